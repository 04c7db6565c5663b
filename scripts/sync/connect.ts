// Connecting to the org with the real jsforce client, four ways (docs/SYNC.md § Connecting):
//   1. --target-org ALIAS|USERNAME: the Salesforce CLI's stored login (`sf org display --json`);
//   2. SF_INSTANCE_URL + SF_ACCESS_TOKEN: a session someone else obtained;
//   3. JWT bearer flow for CI: SF_CLIENT_ID, SF_USERNAME, SF_JWT_KEY_FILE, SF_LOGIN_URL;
//   4. SF_USERNAME + SF_PASSWORD, only against a loopback login URL (the local org).
// Every secret met here is registered for redaction before anything can print it.

import { spawn } from 'node:child_process';
import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Connection } from 'jsforce';
import { AuthError, ConfigError, messageOf, registerSecret } from './errors';
import { ApiCallCounter, ResilientTransport, type RetryNotice, type RetryPolicy } from './transport';

/** The API version the sync speaks (sfdx-project.json sourceApiVersion); `--api-version` overrides it. */
export const DEFAULT_API_VERSION = '64.0';

export interface ConnectOptions {
  targetOrg?: string;
  apiVersion: string;
  env: Record<string, string | undefined>;
  retry: RetryPolicy;
  onRetry?: (notice: RetryNotice) => void;
}

export interface OrgConnection {
  conn: Connection;
  counter: ApiCallCounter;
  /** How we logged in, for the summary (never a secret). */
  method: 'target-org' | 'access-token' | 'jwt' | 'password';
  /** The running user's Id when the login told us (owner of snapshots without an active CSM). */
  userId: string | null;
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

function checkApiVersion(version: string): string {
  if (!/^\d{2,3}\.0$/.test(version))
    throw new ConfigError(
      `--api-version: "${version}" is not an API version; write it like ${DEFAULT_API_VERSION}`
    );
  return version;
}

interface SfOrgDisplay {
  accessToken: string;
  instanceUrl: string;
  username?: string;
  id?: string;
}

/** Runs `sf org display --json --target-org X` (which refreshes an expired token) and reads the session. */
export async function sfOrgDisplay(
  targetOrg: string,
  env: Record<string, string | undefined>
): Promise<SfOrgDisplay> {
  const { stdout, code, spawnError } = await new Promise<{
    stdout: string;
    code: number | null;
    spawnError: Error | null;
  }>((resolve) => {
    let out = '';
    const child = spawn('sf', ['org', 'display', '--json', '--target-org', targetOrg], {
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe']
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.stderr.resume(); // warnings from the CLI are not ours to print (and could hold anything)
    child.on('error', (error) => resolve({ stdout: out, code: null, spawnError: error }));
    child.on('close', (exitCode) => resolve({ stdout: out, code: exitCode, spawnError: null }));
  });
  if (spawnError) {
    const missing = (spawnError as NodeJS.ErrnoException).code === 'ENOENT';
    throw new AuthError(
      missing
        ? '--target-org needs the Salesforce CLI (`sf`) on the PATH: install it (npm install -g @salesforce/cli), run `sf org login web --alias ' +
            `${targetOrg}\`, or connect with SF_INSTANCE_URL + SF_ACCESS_TOKEN or the JWT variables instead`
        : `could not run the Salesforce CLI for --target-org ${targetOrg}: ${spawnError.message}`
    );
  }
  let parsed: {
    status?: number;
    message?: string;
    name?: string;
    result?: Partial<SfOrgDisplay> & Record<string, unknown>;
  };
  try {
    parsed = JSON.parse(stdout.trim() || '{}') as typeof parsed;
  } catch {
    throw new AuthError(
      `\`sf org display --json --target-org ${targetOrg}\` did not print JSON (exit status ${code}): update the Salesforce CLI`
    );
  }
  registerSecret(parsed.result?.accessToken);
  if (parsed.status !== 0 || !parsed.result?.accessToken || !parsed.result.instanceUrl) {
    const why = parsed.message ?? (parsed.result ? 'it returned no access token' : `exit status ${code}`);
    throw new AuthError(
      `the Salesforce CLI has no usable login for "${targetOrg}": ${why}. Run \`sf org login web --alias ${targetOrg}\` (or \`sf org list\` to see the aliases), then try again.`
    );
  }
  return {
    accessToken: parsed.result.accessToken,
    instanceUrl: parsed.result.instanceUrl,
    username: parsed.result.username,
    id: parsed.result.id
  };
}

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** A signed JWT bearer assertion (OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration, RFC 7523). */
export function jwtAssertion(
  clientId: string,
  username: string,
  audience: string,
  privateKeyPem: string,
  nowMs = Date.now()
): string {
  const header = base64url(JSON.stringify({ alg: 'RS256' }));
  const claims = base64url(
    JSON.stringify({ iss: clientId, sub: username, aud: audience, exp: Math.floor(nowMs / 1000) + 180 })
  );
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${claims}`);
  return `${header}.${claims}.${base64url(signer.sign(privateKeyPem))}`;
}

/** The `aud` Salesforce expects: login or test for production and sandboxes, else the login URL itself. */
function jwtAudience(loginUrl: string): string {
  const url = new URL(loginUrl);
  if (
    /(^|\.)test\.salesforce\.com$/.test(url.hostname) ||
    /\.sandbox\.my\.salesforce\.com$/.test(url.hostname)
  )
    return 'https://test.salesforce.com';
  if (/salesforce\.com$/.test(url.hostname)) return 'https://login.salesforce.com';
  return url.origin;
}

function describeLoginError(error: unknown, what: string, fix: string): AuthError {
  const message = messageOf(error).replace(/\s+/g, ' ').slice(0, 300);
  return new AuthError(`${what} failed: ${message}. ${fix}`);
}

/**
 * The running user's Id from the OAuth userinfo endpoint (not a REST API call: it does not count
 * against the org's API allowance). Null when the org does not answer it.
 */
async function runningUserId(conn: Connection): Promise<string | null> {
  try {
    const info = (await conn.request(`${conn.instanceUrl}/services/oauth2/userinfo`)) as { user_id?: string };
    return typeof info.user_id === 'string' ? info.user_id : null;
  } catch (error) {
    const text = messageOf(error);
    if (/INVALID_SESSION_ID|Session expired|Bad_OAuth_Token|401/i.test(text)) {
      throw new AuthError(
        'the access token was refused (expired or revoked): get a fresh one (sf org display --json) or use --target-org / the JWT flow'
      );
    }
    return null;
  }
}

/** Logs in the way the options and environment say; the API version is set explicitly on the connection. */
export async function connectToOrg(options: ConnectOptions): Promise<OrgConnection> {
  const env = options.env;
  const version = checkApiVersion(options.apiVersion);
  const counter = new ApiCallCounter();
  const transport = new ResilientTransport(counter, options.retry, options.onRetry);
  const make = (config: ConstructorParameters<typeof Connection>[0]): Connection => {
    const conn = new Connection({ ...config, version, logLevel: 'NONE' });
    conn._transport = transport;
    // A session renewed after a 401 is a secret too (a message quoting it must not show it).
    conn.on('refresh', (accessToken: unknown) =>
      registerSecret(typeof accessToken === 'string' ? accessToken : null)
    );
    return conn;
  };
  for (const key of ['SF_ACCESS_TOKEN', 'SF_PASSWORD']) registerSecret(env[key]);

  if (options.targetOrg) {
    const targetOrg = options.targetOrg;
    const session = await sfOrgDisplay(targetOrg, env);
    const conn = make({
      instanceUrl: session.instanceUrl,
      accessToken: session.accessToken,
      // On a 401, ask the CLI again: it refreshes the token with the refresh token it keeps.
      refreshFn: (c, callback) => {
        sfOrgDisplay(targetOrg, env).then(
          (fresh) => {
            c._establish({ instanceUrl: fresh.instanceUrl, accessToken: fresh.accessToken });
            callback(null, fresh.accessToken);
          },
          (error: unknown) => callback(error as Error)
        );
      }
    });
    return { conn, counter, method: 'target-org', userId: await runningUserId(conn) };
  }

  if (env.SF_ACCESS_TOKEN || env.SF_INSTANCE_URL) {
    if (!env.SF_ACCESS_TOKEN || !env.SF_INSTANCE_URL) {
      throw new ConfigError(
        'SF_INSTANCE_URL and SF_ACCESS_TOKEN go together: set both (e.g. from `sf org display --json`), or neither'
      );
    }
    const conn = make({
      instanceUrl: env.SF_INSTANCE_URL.replace(/\/+$/, ''),
      accessToken: env.SF_ACCESS_TOKEN
    });
    return { conn, counter, method: 'access-token', userId: await runningUserId(conn) };
  }

  const loginUrl = (env.SF_LOGIN_URL ?? 'https://login.salesforce.com').replace(/\/+$/, '');
  if (env.SF_CLIENT_ID || env.SF_JWT_KEY_FILE) {
    const missing = ['SF_CLIENT_ID', 'SF_USERNAME', 'SF_JWT_KEY_FILE'].filter((k) => !env[k]);
    if (missing.length > 0)
      throw new ConfigError(
        `the JWT bearer login needs ${missing.join(', ')} as well (see docs/SYNC.md § Connected app for JWT)`
      );
    const clientId = env.SF_CLIENT_ID as string;
    const username = env.SF_USERNAME as string;
    let key: string;
    try {
      key = await readFile(env.SF_JWT_KEY_FILE as string, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `SF_JWT_KEY_FILE: cannot read ${env.SF_JWT_KEY_FILE}: ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`
      );
    }
    registerSecret(key);
    const conn = make({
      loginUrl,
      oauth2: { loginUrl, clientId },
      refreshFn: (c, callback) => {
        jwtLogin(c).then(
          () => callback(null, c.accessToken ?? undefined),
          (error: unknown) => callback(error as Error)
        );
      }
    });
    const jwtLogin = async (c: Connection): Promise<void> => {
      let assertion: string;
      try {
        assertion = jwtAssertion(clientId, username, jwtAudience(loginUrl), key);
      } catch (error) {
        throw new ConfigError(
          `SF_JWT_KEY_FILE does not hold a usable RSA private key (PEM): ${messageOf(error)}`
        );
      }
      registerSecret(assertion);
      await c.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
      registerSecret(c.accessToken);
    };
    try {
      await jwtLogin(conn);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw describeLoginError(
        error,
        `JWT bearer login as ${username} at ${loginUrl}`,
        'Check that the connected app holds the certificate of this key, that the user is pre-authorized (profile or permission set on the app), and SF_LOGIN_URL (test.salesforce.com for a sandbox).'
      );
    }
    return { conn, counter, method: 'jwt', userId: conn.userInfo?.id ?? null };
  }

  if (env.SF_USERNAME && env.SF_PASSWORD) {
    if (!isLoopback(loginUrl)) {
      throw new ConfigError(
        `username/password login is only accepted for the local org (a loopback SF_LOGIN_URL), not ${loginUrl}: ` +
          'use the JWT bearer flow (SF_CLIENT_ID, SF_USERNAME, SF_JWT_KEY_FILE) or --target-org for a real org'
      );
    }
    const conn = make({ loginUrl });
    try {
      await conn.login(env.SF_USERNAME, env.SF_PASSWORD);
    } catch (error) {
      throw describeLoginError(
        error,
        `login as ${env.SF_USERNAME} at ${loginUrl}`,
        'Check SF_USERNAME, SF_PASSWORD and SF_LOGIN_URL.'
      );
    }
    registerSecret(conn.accessToken);
    return { conn, counter, method: 'password', userId: conn.userInfo?.id ?? null };
  }

  throw new ConfigError(
    'no org to connect to. Use one of: --target-org ALIAS (the Salesforce CLI login); SF_INSTANCE_URL + SF_ACCESS_TOKEN; ' +
      'SF_CLIENT_ID + SF_USERNAME + SF_JWT_KEY_FILE (+ SF_LOGIN_URL) for the JWT bearer flow; ' +
      'or SF_USERNAME + SF_PASSWORD + SF_LOGIN_URL for the local org (npm run local-org)'
  );
}
