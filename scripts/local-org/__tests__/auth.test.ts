// Authentication: the OAuth 2.0 token endpoint (username-password, refresh token, JWT bearer,
// client credentials), SOAP login(), revocation, the identity URL, and the 401 every API call
// gets without a valid session.

import { createSign, generateKeyPairSync } from 'node:crypto';
import jsforce from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../index';
import { raw, rejection } from './helpers';

jest.setTimeout(30_000);

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
let org: LocalOrg;

beforeAll(async () => {
  org = await startLocalOrg({
    seed: null,
    jwtPublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()
  });
});

afterAll(async () => {
  await org?.close();
});

function form(values: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(values).toString()
  };
}

function jwt(claims: Record<string, unknown>, privateKey = keys.privateKey): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url');
  return `${unsigned}.${signature}`;
}

async function token(
  values: Record<string, string>
): Promise<{ status: number; body: Record<string, string> }> {
  const reply = await raw(org, '/services/oauth2/token', { ...form(values), token: null });
  return { status: reply.status, body: reply.json as Record<string, string> };
}

test('username-password flow: a token that works, and invalid_grant for a wrong password', async () => {
  const ok = await token({
    grant_type: 'password',
    client_id: org.clientId,
    client_secret: org.clientSecret,
    username: org.username,
    password: org.password
  });
  expect(ok.status).toBe(200);
  expect(ok.body).toMatchObject({
    instance_url: org.instanceUrl,
    token_type: 'Bearer',
    id: `${org.loginUrl}/id/${org.organizationId}/${org.userId}`
  });
  expect(
    (await raw(org, `/services/data/v${org.apiVersion}/limits`, { token: ok.body.access_token })).status
  ).toBe(200);
  const wrong = await token({
    grant_type: 'password',
    client_id: org.clientId,
    client_secret: org.clientSecret,
    username: org.username,
    password: 'nope'
  });
  expect(wrong).toEqual({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'authentication failure' }
  });
  const badClient = await token({
    grant_type: 'password',
    client_id: 'someone-else',
    client_secret: org.clientSecret,
    username: org.username,
    password: org.password
  });
  expect(badClient.body.error).toBe('invalid_client_id');
});

test('refresh token flow, and refresh tokens survive expired sessions', async () => {
  const refresh = org.admin.issueRefreshToken();
  org.admin.expireSessions();
  const reply = await token({
    grant_type: 'refresh_token',
    client_id: org.clientId,
    client_secret: org.clientSecret,
    refresh_token: refresh
  });
  expect(reply.status).toBe(200);
  expect(
    (await raw(org, `/services/data/v${org.apiVersion}/limits`, { token: reply.body.access_token })).status
  ).toBe(200);
  const bad = await token({
    grant_type: 'refresh_token',
    client_id: org.clientId,
    refresh_token: 'not-a-token'
  });
  expect(bad.body.error).toBe('invalid_grant');
});

test('JWT bearer flow: checked against the configured public key, issuer, audience, subject and expiry', async () => {
  const exp = Math.floor(Date.now() / 1000) + 180;
  const good = { iss: org.clientId, sub: org.username, aud: 'https://login.salesforce.com', exp };
  const grant = (assertion: string): Promise<{ status: number; body: Record<string, string> }> =>
    token({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
  const ok = await grant(jwt(good));
  expect(ok.status).toBe(200);
  expect(ok.body.id).toContain(org.userId);
  expect((await grant(jwt(good, otherKeys.privateKey))).body).toEqual({
    error: 'invalid_grant',
    error_description: 'invalid assertion'
  });
  expect((await grant(jwt({ ...good, iss: 'other-app' }))).body.error).toBe('invalid_client_id');
  expect((await grant(jwt({ ...good, aud: 'https://evil.example' }))).body.error).toBe('invalid_grant');
  expect((await grant(jwt({ ...good, exp: Math.floor(Date.now() / 1000) - 10 }))).body.error).toBe(
    'invalid_grant'
  );
  expect((await grant(jwt({ ...good, sub: 'nobody@example.com' }))).body.error).toBe('invalid_grant');
  // jsforce's own JWT call shape works too.
  const conn = new jsforce.Connection({
    loginUrl: org.loginUrl,
    version: org.apiVersion,
    oauth2: {
      loginUrl: org.loginUrl,
      clientId: org.clientId,
      clientSecret: org.clientSecret,
      redirectUri: 'http://localhost/cb'
    }
  });
  await conn.authorize({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: jwt({ ...good, aud: org.loginUrl })
  });
  expect((await conn.query('SELECT Id FROM Organization')).totalSize).toBe(1);
});

test('client credentials flow runs as the integration user', async () => {
  const ok = await token({
    grant_type: 'client_credentials',
    client_id: org.clientId,
    client_secret: org.clientSecret
  });
  expect(ok.status).toBe(200);
  expect(ok.body.id).toContain(org.userId);
  expect(
    (await token({ grant_type: 'client_credentials', client_id: org.clientId, client_secret: 'wrong' })).body
      .error
  ).toBe('invalid_client');
  expect((await token({ grant_type: 'authorization_code', code: 'x' })).body.error).toBe(
    'unsupported_grant_type'
  );
});

test('SOAP login(): a session for the right password, INVALID_LOGIN otherwise; logout ends the session', async () => {
  const conn = new jsforce.Connection({ loginUrl: org.loginUrl, version: org.apiVersion });
  const info = await conn.login(org.username, org.password);
  expect(info).toMatchObject({ id: org.userId, organizationId: org.organizationId });
  const wrong = await rejection(
    new jsforce.Connection({ loginUrl: org.loginUrl, version: org.apiVersion }).login(org.username, 'wrong')
  );
  expect(wrong.message).toContain('INVALID_LOGIN');
  const session = conn.accessToken as string;
  await conn.logout();
  expect((await raw(org, `/services/data/v${org.apiVersion}/limits`, { token: session })).status).toBe(401);
});

test('identity URL and userinfo describe the logged-in user', async () => {
  const reply = await raw(org, `/id/${org.organizationId}/${org.userId}`);
  expect(reply.json).toMatchObject({
    user_id: org.userId,
    organization_id: org.organizationId,
    username: org.username,
    active: true
  });
  expect((await raw(org, '/services/oauth2/userinfo')).status).toBe(200);
});

test('every API call needs a valid session: 401 INVALID_SESSION_ID, not counted', async () => {
  org.admin.resetApiRequests();
  for (const token of [null, 'garbage']) {
    const reply = await raw(org, `/services/data/v${org.apiVersion}/query?q=SELECT+Id+FROM+Account`, {
      token
    });
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID', fields: [] }
    ]);
  }
  expect(org.admin.apiRequests()).toBe(0);
  // The list of versions, like Salesforce's, needs no session.
  expect((await raw(org, '/services/data', { token: null })).status).toBe(200);
});

test('revoking a token ends its session', async () => {
  const session = org.admin.newAccessToken();
  expect(
    (await raw(org, '/services/oauth2/revoke', { ...form({ token: session }), token: null })).status
  ).toBe(200);
  expect((await raw(org, `/services/data/v${org.apiVersion}/limits`, { token: session })).status).toBe(401);
});
