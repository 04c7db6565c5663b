// Connecting: --target-org through the Salesforce CLI (a fake `sf` on the PATH), SF_INSTANCE_URL +
// SF_ACCESS_TOKEN, the JWT bearer flow, username/password only for a loopback login URL, the explicit
// API version — and no token, password or key in anything printed.

import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalOrg, type LocalOrg } from '../../local-org/index';
import { addAnswers, capturedOutput, smallBook, syncCli, tempFile } from '../../test-support/syncFixture';

jest.setTimeout(60_000);

const secrets: string[] = [];

/** A fake `sf` that answers `org display --json` with display-<n>.json on its n-th call. */
function fakeSf(displays: unknown[]): { dir: string; calls: () => string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-sf-'));
  displays.forEach((d, i) => writeFileSync(path.join(dir, `display-${i + 1}.json`), JSON.stringify(d)));
  writeFileSync(
    path.join(dir, 'sf'),
    `#!/bin/sh
echo "$@" >> "${dir}/calls.log"
n=$(wc -l < "${dir}/calls.log" | tr -d ' ')
f="${dir}/display-$n.json"
[ -f "$f" ] || f="${dir}/display-${displays.length}.json"
cat "$f"
grep -q '"status":0' "$f" || exit 1
`
  );
  chmodSync(path.join(dir, 'sf'), 0o755);
  return {
    dir,
    calls: () => {
      try {
        return readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n');
      } catch {
        return [];
      }
    }
  };
}

describe('connecting to the org', () => {
  let org: LocalOrg;
  const requests: string[] = [];
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
  });

  beforeAll(async () => {
    const book = await smallBook({ jwtPublicKey: publicKey, log: (line) => requests.push(line) });
    org = book.org;
    addAnswers(book);
    secrets.push(org.password, org.accessToken, privateKey);
  });
  afterAll(async () => {
    await org?.close();
  });

  it('--target-org reuses the Salesforce CLI login (sf org display --json) and renews a revoked session through it', async () => {
    const first = org.admin.newAccessToken();
    const second = org.admin.newAccessToken();
    secrets.push(first, second);
    const display = (token: string) => ({
      status: 0,
      result: {
        id: org.organizationId,
        accessToken: token,
        instanceUrl: org.instanceUrl,
        username: org.username,
        apiVersion: '64.0',
        connectedStatus: 'Connected'
      }
    });
    const sf = fakeSf([display(first), display(second)]);
    org.admin.addFault({ type: 'invalidSession', path: '/query', nth: 2 });
    const result = await syncCli(org, ['sync', '--json', '--target-org', 'prod'], {
      PATH: `${sf.dir}:${process.env.PATH}`
    });
    org.admin.clearFaults();
    expect(result.code).toBe(0);
    expect(result.json.responsesUpserted).toBe(9);
    expect(sf.calls()).toEqual([
      'org display --json --target-org prod',
      'org display --json --target-org prod'
    ]);
  });

  it('--target-org with no such login says how to log in', async () => {
    const sf = fakeSf([
      { status: 1, name: 'NamedOrgNotFoundError', message: 'No authorization information found for nope.' }
    ]);
    const result = await syncCli(org, ['sync', '--target-org', 'nope'], {
      PATH: `${sf.dir}:${process.env.PATH}`
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No authorization information found for nope.');
    expect(result.stderr).toContain('sf org login web --alias nope');
  });

  it('--target-org without the Salesforce CLI installed says so', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-sf-'));
    const result = await syncCli(org, ['sync', '--target-org', 'prod'], { PATH: empty });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('needs the Salesforce CLI (`sf`) on the PATH');
  });

  it('SF_INSTANCE_URL + SF_ACCESS_TOKEN', async () => {
    const token = org.admin.newAccessToken();
    secrets.push(token);
    const result = await syncCli(org, ['sync', '--json'], {
      SF_INSTANCE_URL: org.instanceUrl,
      SF_ACCESS_TOKEN: token
    });
    expect(result.code).toBe(0);
    expect(result.json.apiCalls).toBeLessThanOrEqual(5);
  });

  it('the JWT bearer flow (connected app with a certificate), and a clear message for a key the app does not know', async () => {
    const keyFile = tempFile('sync.key', privateKey);
    const env = {
      SF_CLIENT_ID: org.clientId,
      SF_USERNAME: org.username,
      SF_JWT_KEY_FILE: keyFile,
      SF_LOGIN_URL: org.loginUrl
    };
    const ok = await syncCli(org, ['sync', '--json'], env);
    expect(ok.code).toBe(0);
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' }
    });
    secrets.push(other.privateKey);
    const wrong = await syncCli(org, ['sync'], {
      ...env,
      SF_JWT_KEY_FILE: tempFile('other.key', other.privateKey)
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /JWT bearer login as integration@csm-nps\.localorg at http:\/\/127\.0\.0\.1:\d+ failed: .*invalid assertion/
    );
    const missing = await syncCli(org, ['sync'], { SF_CLIENT_ID: org.clientId, SF_LOGIN_URL: org.loginUrl });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('the JWT bearer login needs SF_USERNAME, SF_JWT_KEY_FILE as well');
  });

  it('refuses username/password against anything but a loopback login URL', async () => {
    const result = await syncCli(org, ['sync'], {
      SF_USERNAME: 'someone@example.com',
      SF_PASSWORD: 'hunter2-secret',
      SF_LOGIN_URL: 'https://login.salesforce.com'
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('username/password login is only accepted for the local org');
    expect(result.stderr).not.toContain('hunter2-secret');
  });

  it('a wrong password is reported without echoing it', async () => {
    const result = await syncCli(org, ['sync'], {
      SF_USERNAME: org.username,
      SF_PASSWORD: 'not-the-password-123',
      SF_LOGIN_URL: org.loginUrl
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`login as ${org.username}`);
    expect(result.stderr).not.toContain('not-the-password-123');
  });

  it('speaks the API version it is given, on every call', async () => {
    requests.length = 0;
    const result = await syncCli(org, ['sync', '--json', '--api-version', '62.0']);
    expect(result.code).toBe(0);
    const apiPaths = requests.filter((line) => line.includes('/services/data/'));
    expect(apiPaths.length).toBeGreaterThan(0);
    for (const line of apiPaths) expect(line).toContain('/services/data/v62.0/');
    const bad = await syncCli(org, ['sync', '--api-version', 'latest']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--api-version: "latest" is not an API version');
  });

  afterAll(() => {
    // Every line any sync printed in this file (and the org's own request log): no secret anywhere.
    const all = [...capturedOutput, ...requests].join('\n');
    for (const secret of secrets) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/00D[A-Za-z0-9]{12,15}![A-Za-z0-9_-]{20,}/);
    expect(all).not.toContain('PRIVATE KEY');
  });
});

describe('a missing org', () => {
  it('an org that is not there: the login fails with the URL, exit 1', async () => {
    const gone = await startLocalOrg({ seed: null });
    const url = gone.loginUrl;
    await gone.close();
    const result = await syncCli(gone, ['sync', '--max-retries', '0'], {
      SF_USERNAME: 'x@y.z',
      SF_PASSWORD: 'irrelevant-pass',
      SF_LOGIN_URL: url
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`login as x@y.z at ${url} failed`);
  });
});
