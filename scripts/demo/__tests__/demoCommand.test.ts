// `npm run demo` as a user runs it (a separate process): it prints `Preview: http://127.0.0.1:PORT/` on a
// line of its own, serves the pages on 127.0.0.1 only, keeps its API to its own pages, and Ctrl-C
// (SIGINT) stops everything with exit status 0. A taken --port is a usage error. No browser needed.

import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { findProjectRoot } from '../../metadata/paths';

jest.setTimeout(180_000);

const root = findProjectRoot();

function startCommand(args: string[]): {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  exited: Promise<number | null>;
} {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'scripts', 'demo', 'main.ts'), ...args],
    {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}

async function waitFor<T>(
  what: string,
  check: () => T | null,
  timeoutMs: number,
  output: { stdout: string; stderr: string }
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value !== null) return value;
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out waiting for ${what}; stdout:\n${output.stdout}\nstderr:\n${output.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A raw HTTP request (fetch cannot set Host). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

it('prints the preview URL on a line of its own, serves the pages, and stops cleanly on Ctrl-C', async () => {
  const { child, output, exited } = startCommand(['--port', '0', '--no-sync']);
  try {
    const url = await waitFor(
      'the Preview line',
      () => /^Preview: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output.stdout)?.[1] ?? null,
      150_000,
      output
    );
    for (const page of ['', 'csm', 'account']) {
      const response = await get(`${url}${page}`);
      expect(response.status).toBe(200);
      expect(response.body).toContain('id="preview-context"');
    }
    expect((await get(`${url}assets/app.js`)).status).toBe(200);
    expect((await get(`${url}slds/styles/salesforce-lightning-design-system.min.css`)).status).toBe(200);
    expect((await get(`${url}assets/../../package.json`)).status).toBe(404);
    // Another host name (DNS rebinding) or another origin gets nothing.
    expect((await get(url, { Host: 'attacker.example' })).status).toBe(421);
    const crossSite = await fetch(`${url}__preview/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'http://attacker.example' },
      body: JSON.stringify({ query: '{ uiapi { query { Account { edges { node { Id } } } } } }' })
    });
    expect(crossSite.status).toBe(403);
    const form = await fetch(`${url}__preview/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: '{}'
    });
    expect(form.status).toBe(415);
    const own = await fetch(`${url}__preview/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        query: '{ uiapi { query { Account(first: 1) { edges { node { Id Name { value } } } } } } }'
      })
    });
    const answer = (await own.json()) as { data?: { uiapi: { query: { Account: { edges: unknown[] } } } } };
    expect(answer.data?.uiapi.query.Account.edges).toHaveLength(1);
    // No token, password or session id reaches a page.
    expect(output.stdout).not.toMatch(/00D\w{12,}!/);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output.stderr).toContain('Stopped.');
    await expect(get(url)).rejects.toThrow();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

it('refuses a --port that is taken, before starting anything', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as AddressInfo).port;
  try {
    const { output, exited } = startCommand(['--port', String(port)]);
    expect(await exited).toBe(2);
    expect(output.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
    expect(output.stdout).not.toContain('Preview:');
  } finally {
    blocker.close();
  }
});
