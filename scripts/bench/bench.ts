// `npm run bench`: every figure of issue 8 from one run, each measured against an alternative on the same
// data in the same run, not asserted. Prints a table (or one JSON object with --json). Targets are printed
// next to the figures: MET, MISSED, or NOT MEASURED (a target is never judged on a smaller size than stated).
// Parts, in order:
//   core and report (coreAndReport.ts)  the core alone; `csm-nps report` on a CSV against DuckDB
//   sync (syncBench.ts)                 `csm-nps sync` against the obvious script on the local org at
//                                       10,000, 100,000 and 1,000,000 answers; incremental syncs; memory growth
//   render (renderPart.ts)              NPS by CSM, 200 CSMs × 24 months, in Chromium (where installed)
//
//   npm run bench                       full run (core 1M and 10M answers, report 1M rows, sync up to 1M; 5 runs)
//   npm run bench -- --quick            smaller (core and report 100,000; sync 10,000 and 100,000; 1 run):
//                                       the 1,000,000 targets print NOT MEASURED
//   npm run bench -- --json             one JSON object with every figure and raw measurement
//   npm run bench -- --runs 5           timed runs of each report contender (median reported)
//   npm run bench -- --skip-sync        partial run: no sync part (no local orgs)
//   npm run bench -- --skip-render      partial run: no render part (no Chromium)
//   npm run bench -- --compare-cli PATH also time another csm-nps build (e.g. the previous commit's bin)
//   npm run bench -- --markdown         the table in Markdown (as in the README)
//   npm run bench -- --markdown-from F  a saved --json run (file F) as that Markdown table, without measuring
//
// Each part of the bench is a function returning a BenchPart (figures.ts); add new parts to `parts`. A part
// that fails is reported as a FAILED line (and the exit status is 1); the other parts still print.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchCoreAndReport, runDuckDbChild } from './coreAndReport';
import { formatFigures, formatFiguresMarkdown, type BenchPart, type Figure } from './figures';
import { benchRender } from './renderPart';
import { runSyncBench } from './syncBench';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const valueOf = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at === -1 ? undefined : argv[at + 1];
};

async function main(): Promise<void> {
  const childFile = valueOf('--duckdb-child');
  if (childFile !== undefined) return runDuckDbChild(childFile);
  const saved = valueOf('--markdown-from');
  if (saved !== undefined) {
    // A saved `--json` run as the README's table.
    const run = JSON.parse(readFileSync(saved, 'utf8')) as { figures: Figure[] };
    process.stdout.write(formatFiguresMarkdown(run.figures));
    return;
  }

  const asJson = flag('--json');
  const quick = flag('--quick');
  const runs = Number(valueOf('--runs') ?? (quick ? 1 : 5));
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number ≥ 1');
  const log = (text: string): void => {
    if (!asJson) process.stderr.write(`${text}\n`);
  };
  const loadBefore = loadavg();
  const parts: BenchPart[] = [];
  const runPart = async (name: string, part: () => Promise<BenchPart>): Promise<void> => {
    try {
      parts.push(await part());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(
        `bench part "${name}" failed: ${error instanceof Error ? error.stack : message}\n`
      );
      process.exitCode = 1;
      parts.push({
        name,
        figures: [
          { name: `${name}: FAILED`, value: null, unit: '', note: message.split('\n')[0] ?? message }
        ],
        details: { error: message }
      });
    }
  };
  await runPart('coreAndReport', () =>
    benchCoreAndReport({
      quick,
      log,
      runs,
      cliBin: fileURLToPath(new URL('../bin/csm-nps.mjs', import.meta.url)),
      benchEntry: fileURLToPath(import.meta.url),
      compareCliBin: valueOf('--compare-cli')
    })
  );
  if (!flag('--skip-sync')) await runPart('sync', () => runSyncBench({ quick, log }));
  if (!flag('--skip-render')) await runPart('render', () => benchRender({ log }));

  if (asJson) {
    const output = {
      node: process.version,
      quick,
      runs,
      skipped: ['--skip-sync', '--skip-render'].filter(flag).map((f) => f.slice('--skip-'.length)),
      figures: parts.flatMap((p) => p.figures),
      ...Object.fromEntries(parts.map((p) => [p.name, p.details]))
    };
    process.stdout.write(`${JSON.stringify(output)}\n`);
    return;
  }
  // The machine is often shared: its load says how much the figures may be understated.
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  const heading = `csm-nps benchmark (node ${process.version}${quick ? ', --quick' : ''}; load average ${load(loadBefore)} before, ${load(loadavg())} after)`;
  process.stdout.write(
    flag('--markdown')
      ? `${heading}\n\n${formatFiguresMarkdown(parts.flatMap((p) => p.figures))}`
      : `\n${heading}\n${formatFigures(parts)}`
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
