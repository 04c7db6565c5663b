// Synthetic answers for benchmarks: N answers over C CSMs × M months, deterministic for a seed.
import { createWriteStream } from 'node:fs';
import { seededRandom } from '../samples/seededRandom';

export interface SyntheticColumns {
  csmNames: string[];
  csm: Uint16Array;
  epochMs: Float64Array;
  score: Uint8Array;
}

const MS_PER_DAY = 86_400_000;
/** 36 months ending 2026-11-30, as the benchmark in issue 2 describes. */
export const START_MS = Date.UTC(2023, 11, 1);
export const MONTHS = 36;

export function syntheticColumns(n: number, csms: number, seed = 1): SyntheticColumns {
  const random = seededRandom(seed);
  const span = Date.UTC(2026, 11, 1) - START_MS;
  const columns: SyntheticColumns = {
    csmNames: Array.from({ length: csms }, (_, i) => `CSM ${String(i + 1).padStart(3, '0')}`),
    csm: new Uint16Array(n),
    epochMs: new Float64Array(n),
    score: new Uint8Array(n)
  };
  for (let i = 0; i < n; i++) {
    columns.csm[i] = Math.floor(random() * csms);
    columns.epochMs[i] = START_MS + Math.floor(random() * span);
    columns.score[i] = Math.min(10, Math.floor(random() * 12));
  }
  return columns;
}

/** Writes the same kind of answers as a CSV in the DESIGN.md format; resolves when flushed. */
export async function writeSyntheticCsv(file: string, n: number, csms: number, seed = 1): Promise<void> {
  const data = syntheticColumns(n, csms, seed);
  const out = createWriteStream(file);
  const write = (text: string): Promise<void> | void => {
    if (!out.write(text)) return new Promise((resolve) => out.once('drain', () => resolve()));
    return undefined;
  };
  await write('response_id,responded_at,score,csm,account,comment,metric\n');
  let chunk = '';
  for (let i = 0; i < n; i++) {
    const iso = new Date(data.epochMs[i] as number).toISOString();
    chunk += `R${i},${iso},${data.score[i]},${data.csmNames[data.csm[i] as number]},Account ${i % 5000},,Company NPS\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve()))
  );
}

export { MS_PER_DAY };
