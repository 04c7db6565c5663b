// `npm run bench`: throughput and memory of the NPS core and of `csm-nps report`, measured against an
// alternative on the same data in the same run, not asserted. Prints a table (or one JSON object with
// --json). Targets are printed next to the figures, met or not.
//
//   npm run bench                       full run (1,000,000 and 10,000,000 answers; 5 timed runs each)
//   npm run bench -- --quick            smaller (100,000 answers, 1 run)
//   npm run bench -- --json             one JSON object with every figure and raw measurement
//   npm run bench -- --runs 5           timed runs of each contender (median reported)
//   npm run bench -- --compare-cli PATH also time another csm-nps build (e.g. the previous commit's bin)
//
// Each part of the bench is a function returning a BenchPart (figures.ts); add new parts to `parts`.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchCoreAndReport, runDuckDbChild } from './coreAndReport';
import { formatFigures, type BenchPart } from './figures';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const valueOf = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at === -1 ? undefined : argv[at + 1];
};

async function main(): Promise<void> {
  const childFile = valueOf('--duckdb-child');
  if (childFile !== undefined) return runDuckDbChild(childFile);

  const asJson = flag('--json');
  const quick = flag('--quick');
  const runs = Number(valueOf('--runs') ?? (quick ? 1 : 5));
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number ≥ 1');
  const log = (text: string): void => {
    if (!asJson) process.stderr.write(`${text}\n`);
  };
  const loadBefore = loadavg();
  const parts: BenchPart[] = [];
  parts.push(
    await benchCoreAndReport({
      quick,
      log,
      runs,
      cliBin: fileURLToPath(new URL('../bin/csm-nps.mjs', import.meta.url)),
      benchEntry: fileURLToPath(import.meta.url),
      compareCliBin: valueOf('--compare-cli')
    })
  );

  if (asJson) {
    const output = {
      node: process.version,
      quick,
      runs,
      figures: parts.flatMap((p) => p.figures),
      ...Object.fromEntries(parts.map((p) => [p.name, p.details]))
    };
    process.stdout.write(`${JSON.stringify(output)}\n`);
    return;
  }
  // The machine is often shared: its load says how much the figures may be understated.
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  process.stdout.write(
    `\ncsm-nps benchmark (node ${process.version}${quick ? ', --quick' : ''}; load average ${load(loadBefore)} before, ${load(loadavg())} after)\n` +
      formatFigures(parts)
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
