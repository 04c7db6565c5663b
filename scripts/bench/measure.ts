// Measuring helpers for `npm run bench`: wall time and peak memory of this process or of a child.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ChildRun {
  exitCode: number | null;
  seconds: number;
  /** Peak resident set size of the child in MiB (Linux VmHWM, polled), or null where /proc is missing. */
  peakRssMiB: number | null;
  stdoutBytes: number;
  stderr: string;
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

/** Runs a command, discarding stdout (counted), and samples its peak RSS until it exits. */
export function runChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
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
      sample();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 10_000) stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ exitCode: code, seconds, peakRssMiB: peak === null ? null : peak / 1024, stdoutBytes, stderr });
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
