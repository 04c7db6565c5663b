// Shared bits of the local org tests: a fixture metadata folder and a raw HTTP helper for the
// cases where jsforce would hide the status code or the body.

import path from 'node:path';
import jsforce, { type Connection } from 'jsforce';
import type { LocalOrg } from '../index';

/** Extra metadata for tests: a survey tool's custom object and a CSM lookup on Account. */
export const SURVEY_TOOL_METADATA = path.join(__dirname, 'data', 'survey-tool');

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export async function raw(
  org: LocalOrg,
  pathAndQuery: string,
  init: RequestInit & { token?: string | null } = {}
): Promise<RawResponse> {
  const headers = new Headers(init.headers);
  // A fresh session each time: some tests expire every session on purpose.
  const token = init.token === undefined ? org.admin.newAccessToken() : init.token;
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const response = await fetch(`${org.instanceUrl}${pathAndQuery}`, { ...init, headers });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A jsforce connection logged in as the integration user by the OAuth 2.0 username-password flow. */
export async function oauthConnection(org: LocalOrg): Promise<Connection> {
  const conn = new jsforce.Connection({
    loginUrl: org.loginUrl,
    version: org.apiVersion,
    oauth2: {
      loginUrl: org.loginUrl,
      clientId: org.clientId,
      clientSecret: org.clientSecret,
      redirectUri: 'http://localhost/callback'
    }
  });
  await conn.login(org.username, org.password);
  return conn;
}

/** A jsforce connection logged in by SOAP login() (what jsforce does without a client id). */
export async function soapConnection(org: LocalOrg): Promise<Connection> {
  const conn = new jsforce.Connection({ loginUrl: org.loginUrl, version: org.apiVersion });
  await conn.login(org.username, org.password);
  return conn;
}

export function errorCodeOf(error: unknown): string | undefined {
  return (error as { errorCode?: string }).errorCode ?? (error as { name?: string }).name;
}

/** The exception a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: PromiseLike<unknown>): Promise<Error & { errorCode?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { errorCode?: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
