// Measures the local org's performance figures (not a test: it prints, it asserts nothing).
//
//   npx tsx scripts/local-org/perf.ts [--responses 1000000] [--keep-db FILE]
//
// 1. Generation: starts `local-org --responses N --db <temp file>` as a child process and times it
//    until its JSON line (the demo generation and the index build included).
// 2. Bulk API 2.0 query: a job over every SurveyQuestionResponse with two parent relationships,
//    its CSV results downloaded over HTTP (rows/s), while the server's RSS is sampled from
//    /proc/<pid>/status to show that memory does not grow with the rows streamed.
// 3. The same results read through jsforce's bulk2.query() (client-side CSV parsing included).
// CPU time of the child is reported too: our machines are shared, wall time is noisy.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsforce from 'jsforce';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

function procStatus(pid: number): { rssMb: number; hwmMb: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main(): Promise<void> {
  const responses = Number(arg('responses', '1000000'));
  const dir = mkdtempSync(path.join(tmpdir(), 'local-org-perf-'));
  const db = arg('keep-db', path.join(dir, 'org.db'));
  const here = path.dirname(fileURLToPath(import.meta.url));
  const main = path.join(here, 'main.ts');
  const built = path.join(here, '..', '..', 'dist', 'local-org.mjs');
  const command = existsSync(built) ? [built] : ['--import', 'tsx', main];
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [...command, '--responses', String(responses), '--db', db, '--port', '0', '--seed', 'perf'],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const info = await new Promise<{
    instanceUrl: string;
    accessToken: string;
    username: string;
    password: string;
    loginUrl: string;
  }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] as string) as never);
    });
    child.on('exit', (code) => reject(new Error(`local-org exited with ${code}: ${stderr}`)));
  });
  const pid = child.pid as number;
  const generationSeconds = (Date.now() - started) / 1000;
  for (let i = 0; i < 100 && !stderr.includes('ready'); i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const generationCpu = cpuSeconds(pid);
  const afterStart = procStatus(pid);
  console.log(
    `generation of ${responses.toLocaleString('en-US')} NPS answers: ${generationSeconds.toFixed(1)} s wall, ${generationCpu.toFixed(1)} s CPU, peak RSS ${afterStart.hwmMb.toFixed(0)} MB`
  );
  console.log(`  ${stderr.split('\n').find((line) => line.includes('ready')) ?? ''}`);

  const headers = { Authorization: `Bearer ${info.accessToken}`, 'Content-Type': 'application/json' };
  const soql =
    'SELECT Id, NumberValue, ResponseId, Question.DeveloperName, Response.CompletionDateTime FROM SurveyQuestionResponse';
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(procStatus(pid).rssMb), 100);
  const baseline = procStatus(pid).rssMb;
  const t0 = Date.now();
  const job = (await (
    await fetch(`${info.instanceUrl}/services/data/v64.0/jobs/query`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ operation: 'query', query: soql })
    })
  ).json()) as { id: string };
  const created = Date.now();
  let rows = 0;
  let bytes = 0;
  let locator: string | null = null;
  let pages = 0;
  do {
    const page: Response = await fetch(
      `${info.instanceUrl}/services/data/v64.0/jobs/query/${job.id}/results${locator ? `?locator=${locator}` : ''}`,
      { headers }
    );
    const reader = (page.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (let i = 0; i < value.length; i++) if (value[i] === 10) rows++;
    }
    rows -= 1; // the header line of each page
    pages++;
    locator = page.headers.get('sforce-locator');
  } while (locator && locator !== 'null');
  const seconds = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  const peak = Math.max(...rssSamples, baseline);
  console.log(
    `Bulk API 2.0 query, raw HTTP: ${rows.toLocaleString('en-US')} rows in ${pages} pages, ${(bytes / 1e6).toFixed(0)} MB, ${seconds.toFixed(1)} s ` +
      `(job creation ${((created - t0) / 1000).toFixed(1)} s) → ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s; ` +
      `server RSS ${baseline.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB while streaming`
  );

  const conn = new jsforce.Connection({
    instanceUrl: info.instanceUrl,
    accessToken: info.accessToken,
    version: '64.0'
  });
  conn.bulk2.pollInterval = 100;
  const t1 = Date.now();
  const stream = await conn.bulk2.query(soql);
  let parsed = 0;
  let lastProgress = Date.now();
  // jsforce 3.10.16 pipes the records into an internal PassThrough (highWaterMark 500,000) that
  // nobody reads: past that many records the stream stops. A watchdog reports it instead of waiting.
  const outcome = await new Promise<'end' | 'stalled'>((resolve, reject) => {
    const watchdog = setInterval(() => {
      if (Date.now() - lastProgress > 10_000) {
        clearInterval(watchdog);
        resolve('stalled');
      }
    }, 1000);
    stream.on('record', (record: Record<string, string>) => {
      lastProgress = Date.now();
      if (record.Id !== 'Id') parsed++;
    });
    stream.on('end', () => {
      clearInterval(watchdog);
      resolve('end');
    });
    stream.on('error', (error: Error) => {
      clearInterval(watchdog);
      reject(error);
    });
  });
  const jsforceSeconds = (lastProgress - t1) / 1000;
  console.log(
    `Bulk API 2.0 query through jsforce bulk2.query(): ${parsed.toLocaleString('en-US')} records in ${jsforceSeconds.toFixed(1)} s → ` +
      `${Math.round(parsed / jsforceSeconds).toLocaleString('en-US')} records/s (client CSV parsing included)` +
      (outcome === 'stalled'
        ? ' — then the stream STALLED (jsforce 3.10.16 keeps at most ~500,000 unread records in an internal buffer)'
        : '')
  );

  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  if (!process.argv.includes('--keep-db')) rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
