// Measuring helpers for `npm run bench`: wall time and peak memory of this process or of a child.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ChildRun {
  exitCode: number | null;
  seconds: number;
  /** Peak resident set size of the child in MiB (Linux VmHWM, polled), or null where /proc is missing. */
  peakRssMiB: number | null;
  stdoutBytes: number;
  /** The child's stdout, when asked for (captureStdout). */
  stdout: string | null;
  stderr: string;
}

export interface ChildOptions {
  env?: NodeJS.ProcessEnv;
  /** Keep stdout (e.g. a JSON result to check); otherwise it is only counted. */
  captureStdout?: boolean;
}

function readPeakRssKiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Runs a command, counting (or keeping) its stdout, and samples its peak RSS until it exits. */
export function runChild(
  command: string,
  args: readonly string[],
  options: ChildOptions = {}
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, [...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env
    });
    const chunks: Buffer[] = [];
    let peak: number | null = null;
    let stdoutBytes = 0;
    let stderr = '';
    const sample = (): void => {
      const kib = child.pid === undefined ? null : readPeakRssKiB(child.pid);
      if (kib !== null) peak = Math.max(peak ?? 0, kib);
    };
    const timer = setInterval(sample, 20);
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (options.captureStdout) chunks.push(chunk);
      sample();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 10_000) stderr += chunk.toString();
    });
    child.on('error', reject);
    // Timed at exit; handed over at close, once stdout has been read to its end.
    let seconds = 0;
    child.on('exit', () => {
      clearInterval(timer);
      seconds = Number(process.hrtime.bigint() - started) / 1e9;
    });
    child.on('close', (code) => {
      const stdout = options.captureStdout ? Buffer.concat(chunks).toString('utf8') : null;
      resolve({
        exitCode: code,
        seconds,
        peakRssMiB: peak === null ? null : peak / 1024,
        stdoutBytes,
        stdout,
        stderr
      });
    });
  });
}

export function mib(bytes: number): number {
  return bytes / 1024 / 1024;
}

export function timeIt<T>(fn: () => T): { result: T; seconds: number } {
  const started = process.hrtime.bigint();
  const result = fn();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export async function timeItAsync<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
