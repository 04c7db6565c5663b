// The command: one JSON line with the credentials on stdout, nothing secret on stderr, faults from
// flags, an org kept in a SQLite file across restarts, and a clean stop on SIGTERM / SIGINT.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

jest.setTimeout(90_000);

const MAIN = path.join(__dirname, '..', 'main.ts');

interface Running {
  child: ChildProcessWithoutNullStreams;
  info: { instanceUrl: string; accessToken: string; username: string; password: string; loginUrl: string };
  stderr: () => string;
  stdout: () => string;
}

function start(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: path.join(__dirname, '..', '..', '..'),
    stdio: 'pipe'
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        try {
          resolve({ child, info: JSON.parse(line) as Running['info'], stderr: () => err, stdout: () => out });
        } catch (error) {
          reject(error as Error);
        }
      }
    });
    child.on('exit', (code) =>
      reject(new Error(`local-org exited with ${code ?? 'a signal'} before printing its line: ${err}`))
    );
  });
}

function stop(running: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    running.child.once('exit', (code) => resolve(code));
    running.child.kill(signal);
  });
}

function exitOf(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: 'pipe' });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr: err })));
}

test('prints one JSON line, serves jsforce-style calls, applies --fault, stops cleanly on SIGTERM', async () => {
  const running = await start([
    '--empty',
    '--port',
    '0',
    '--fault',
    '{"type":"unavailable","path":"/limits"}'
  ]);
  const { info } = running;
  expect(Object.keys(info)).toEqual(['instanceUrl', 'accessToken', 'username', 'password', 'loginUrl']);
  expect(info.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const auth = { Authorization: `Bearer ${info.accessToken}` };
  const query = await fetch(
    `${info.instanceUrl}/services/data/v64.0/query?q=${encodeURIComponent('SELECT Name FROM Organization')}`,
    { headers: auth }
  );
  expect(query.status).toBe(200);
  expect((await fetch(`${info.instanceUrl}/services/data/v64.0/limits`, { headers: auth })).status).toBe(503);
  expect((await fetch(`${info.instanceUrl}/services/data/v64.0/limits`, { headers: auth })).status).toBe(200);
  expect(await stop(running)).toBe(0);
  // The credentials appear on stdout's one line only.
  expect(running.stdout().trim().split('\n')).toHaveLength(1);
  expect(running.stderr()).toContain('ready');
  expect(running.stderr()).not.toContain(info.accessToken);
  expect(running.stderr()).not.toContain(info.password);
});

test('--db keeps the org across restarts (same password, same records) and refuses another seed', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'local-org-'));
  const db = path.join(dir, 'org.db');
  try {
    const first = await start(['--seed', 'cli-test', '--responses', '300', '--db', db]);
    const auth = { Authorization: `Bearer ${first.info.accessToken}`, 'Content-Type': 'application/json' };
    const created = await fetch(`${first.info.instanceUrl}/services/data/v64.0/sobjects/Account`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ Name: 'Kept Across Restarts' })
    });
    expect(created.status).toBe(201);
    expect(await stop(first, 'SIGINT')).toBe(0);
    const second = await start(['--seed', 'cli-test', '--db', db]);
    expect(second.info.password).toBe(first.info.password);
    const found = await fetch(
      `${second.info.instanceUrl}/services/data/v64.0/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name = 'Kept Across Restarts'")}`,
      {
        headers: { Authorization: `Bearer ${second.info.accessToken}` }
      }
    );
    expect(((await found.json()) as { totalSize: number }).totalSize).toBe(1);
    expect(await stop(second)).toBe(0);
    const other = await exitOf(['--seed', 'something-else', '--db', db]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('seed "cli-test"');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad flags exit with status 2 and say why', async () => {
  const bad = await exitOf(['--port', 'eighty']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/port/i);
});
