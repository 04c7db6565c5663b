// `npm run bench`: throughput and memory of the NPS core and of `csm-nps report`, measured, not asserted.
// Prints a table (or one JSON object with --json). Targets are printed next to the figures, met or not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeGroupResults, LocalDayResolver, NpsAggregator } from 'c/npsCore';
import { mib, runChild, timeIt } from './measure';
import { syntheticColumns, writeSyntheticCsv } from './syntheticData';

interface Figure {
  name: string;
  value: number | null;
  unit: string;
  target?: string;
  met?: boolean | null;
  note?: string;
}

const args = new Set(process.argv.slice(2));
const asJson = args.has('--json');
const quick = args.has('--quick');
const figures: Figure[] = [];
const log = (text: string): void => {
  if (!asJson) process.stderr.write(`${text}\n`);
};

function coreThroughput(n: number, timeZone: string): { perSecond: number; groups: number } {
  const data = syntheticColumns(n, 200, 7);
  const resolver = new LocalDayResolver(timeZone);
  const names = data.csmNames;
  // Warm up the JIT on a slice, then time a full pass.
  const warm = new NpsAggregator({ type: 'month' });
  for (let i = 0; i < Math.min(n, 200_000); i++) {
    warm.add(names[data.csm[i] as number] as string, 'Company NPS', resolver.dayOf(data.epochMs[i] as number), data.score[i] as number);
  }
  const { result: aggregator, seconds } = timeIt(() => {
    const agg = new NpsAggregator({ type: 'month' });
    for (let i = 0; i < n; i++) {
      agg.add(names[data.csm[i] as number] as string, 'Company NPS', resolver.dayOf(data.epochMs[i] as number), data.score[i] as number);
    }
    return agg;
  });
  return { perSecond: n / seconds, groups: computeGroupResults(aggregator).length };
}

/** Heap after aggregating n answers generated on the fly (none kept): flat when memory tracks groups only. */
function coreMemory(n: number): number {
  const resolver = new LocalDayResolver('UTC');
  const agg = new NpsAggregator({ type: 'month' });
  const names = Array.from({ length: 200 }, (_, i) => `CSM ${i}`);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    agg.add(names[x % 200] as string, 'Company NPS', resolver.dayOf(1_701_388_800_000 + (x % 94_000_000) * 1000), x % 11);
  }
  globalThis.gc?.();
  return mib(process.memoryUsage().heapUsed);
}

async function main(): Promise<void> {
  const n = quick ? 100_000 : 1_000_000;
  log(`Core: aggregating ${n.toLocaleString('en-US')} synthetic answers over 200 CSMs × 36 months…`);
  const utc = coreThroughput(n, 'UTC');
  figures.push({ name: `core aggregation, ${n.toLocaleString('en-US')} answers, UTC`, value: utc.perSecond / 1e6, unit: 'M answers/s', target: '≥ 10', met: utc.perSecond >= 10e6 });
  const ny = coreThroughput(n, 'America/New_York');
  figures.push({ name: `core aggregation, ${n.toLocaleString('en-US')} answers, America/New_York`, value: ny.perSecond / 1e6, unit: 'M answers/s', target: '≥ 10', met: ny.perSecond >= 10e6 });
  if (!quick) {
    const big = coreThroughput(10_000_000, 'America/New_York');
    figures.push({ name: 'core aggregation, 10,000,000 answers, America/New_York', value: big.perSecond / 1e6, unit: 'M answers/s', target: '≥ 10', met: big.perSecond >= 10e6 });
  }
  for (const size of quick ? [10_000, 100_000] : [100_000, 1_000_000, 10_000_000]) {
    figures.push({ name: `core heap after ${size.toLocaleString('en-US')} answers`, value: coreMemory(size), unit: 'MiB', note: 'flat when memory follows groups, not answers' });
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-bench-'));
  try {
    const csv = path.join(dir, 'answers.csv');
    log(`CSV: writing ${n.toLocaleString('en-US')} rows…`);
    await writeSyntheticCsv(csv, n, 200, 11);
    const bin = fileURLToPath(new URL('../bin/csm-nps.mjs', import.meta.url));
    log('csm-nps report --json on it…');
    const report = await runChild(process.execPath, [bin, 'report', '--csv', csv, '--json']);
    if (report.exitCode !== 0) throw new Error(`csm-nps report failed (exit ${report.exitCode}): ${report.stderr}`);
    figures.push({ name: `csm-nps report, ${n.toLocaleString('en-US')}-row CSV`, value: n / report.seconds / 1e3, unit: 'k rows/s', note: `${report.seconds.toFixed(2)} s wall` });
    figures.push({ name: `csm-nps report peak RSS, ${n.toLocaleString('en-US')}-row CSV`, value: report.peakRssMiB, unit: 'MiB', note: 'includes the response_id index for repeated-id detection' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  if (asJson) {
    process.stdout.write(`${JSON.stringify({ node: process.version, figures })}\n`);
    return;
  }
  const width = Math.max(...figures.map((f) => f.name.length));
  process.stdout.write(`\ncsm-nps benchmark (node ${process.version})\n`);
  for (const f of figures) {
    const value = f.value === null ? 'n/a' : f.value.toFixed(f.value >= 100 ? 0 : 2);
    const target = f.target ? `  target ${f.target} ${f.met ? 'MET' : 'MISSED'}` : '';
    process.stdout.write(`${f.name.padEnd(width)}  ${value.padStart(8)} ${f.unit}${target}${f.note ? `  (${f.note})` : ''}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
