// Bench part "core and report" (issue 8, items 1 and 4-core):
// - the core alone on 1,000,000 and 10,000,000 in-memory answers (names interned at the edge, and by name);
// - `csm-nps report` on a 1,000,000-row CSV against DuckDB computing the same counts, NPS and mean per
//   CSM × metric × month with SQL over the same file, in the same run, checked equal group by group.
//
// Both sides are timed twice: as commands (a child process each, start-up included: node + csm-nps,
// node + @duckdb/node-api) and in this process (engine only: buildReport + JSON, against DuckDB instance +
// query + rows). The report target counts as met only when both ratios are within it.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { computeGroupResults, LocalDayResolver, NpsAggregator, type GroupResult } from 'c/npsCore';
import { buildReport, reportOptionsSchema } from '../cli/report';
import type { BenchOptions, BenchPart, Figure } from './figures';
import { median, mib, runChild, timeIt, timeItAsync } from './measure';
import { syntheticColumns, writeSyntheticCsv } from './syntheticData';

export interface CoreAndReportOptions extends BenchOptions {
  /** Timed runs of each contender (median reported). */
  runs: number;
  /** The built CLI entry (bin/csm-nps.mjs). */
  cliBin: string;
  /** This bench's built entry, started again with --duckdb-child FILE to time DuckDB as a command. */
  benchEntry: string;
  /** Another csm-nps build to time on the same file, e.g. the previous commit's (optional). */
  compareCliBin?: string;
}

const CSMS = 200;
const CORE_TARGET = 10e6;
const REPORT_TARGET_RATIO = 2;
const REPORT_TARGET_ROWS = 1_000_000;
const DUCKDB_THREADS = 2;

/** The comparable part of one group, as both sides compute it. */
interface ComparableGroup {
  csm: string;
  metric: string;
  period: string;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number;
  meanScore: number;
}

export interface EqualityCheck {
  equal: boolean;
  reportGroups: number;
  duckdbGroups: number;
  /** Up to five differences, as text. */
  differences: string[];
}

// Month of each answer in UTC (the report's default --tz), counts per category, NPS = 100·(P − D)/n and the
// mean score, per CSM × metric × month: the CSM and metric spelled as the report spells them.
function duckDbSql(file: string): string {
  const quoted = file.replace(/'/g, "''");
  return `
    SELECT coalesce(nullif(trim(csm), ''), 'Unassigned') AS csm,
           CASE lower(trim(coalesce(metric, '')))
             WHEN '' THEN 'Company NPS' WHEN 'company nps' THEN 'Company NPS' WHEN 'csm nps' THEN 'CSM NPS'
             ELSE trim(metric) END AS metric,
           strftime(timezone('UTC', responded_at), '%Y-%m') AS period,
           count(*) AS responses,
           count(*) FILTER (WHERE score >= 9) AS promoters,
           count(*) FILTER (WHERE score BETWEEN 7 AND 8) AS passives,
           count(*) FILTER (WHERE score <= 6) AS detractors,
           100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(*) AS nps,
           avg(score) AS mean_score
    FROM read_csv('${quoted}', header = true, columns = {
      'response_id': 'VARCHAR', 'responded_at': 'TIMESTAMPTZ', 'score': 'INTEGER', 'csm': 'VARCHAR',
      'account': 'VARCHAR', 'comment': 'VARCHAR', 'metric': 'VARCHAR'})
    GROUP BY ALL`;
}

/** DuckDB over the file, from instance creation to rows in JavaScript. */
export async function duckDbGroups(file: string): Promise<ComparableGroup[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(DUCKDB_THREADS) });
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const reader = await connection.runAndReadAll(duckDbSql(file));
    return reader.getRowObjectsJS().map((row) => ({
      csm: String(row.csm),
      metric: String(row.metric),
      period: String(row.period),
      responses: Number(row.responses),
      promoters: Number(row.promoters),
      passives: Number(row.passives),
      detractors: Number(row.detractors),
      nps: Number(row.nps),
      meanScore: Number(row.mean_score)
    }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** `--duckdb-child FILE`: DuckDB as a command of its own, printing its groups as JSON. */
export async function runDuckDbChild(file: string): Promise<void> {
  const groups = await duckDbGroups(file);
  process.stdout.write(`${JSON.stringify(groups)}\n`);
}

function comparable(groups: readonly GroupResult[]): ComparableGroup[] {
  return groups.map((g) => ({
    csm: g.csm,
    metric: g.metric,
    period: g.period,
    responses: g.responses,
    promoters: g.promoters,
    passives: g.passives,
    detractors: g.detractors,
    nps: g.nps as number,
    meanScore: g.meanScore as number
  }));
}

/** Same groups, same counts (exactly), same NPS and mean (to 1e-9: the two sides sum in different orders). */
export function compareGroups(
  report: readonly ComparableGroup[],
  duckdb: readonly ComparableGroup[]
): EqualityCheck {
  const key = (g: ComparableGroup) => `${g.csm}\u0000${g.metric}\u0000${g.period}`;
  const theirs = new Map(duckdb.map((g) => [key(g), g]));
  const differences: string[] = [];
  const note = (text: string) => {
    if (differences.length < 5) differences.push(text);
  };
  let same = report.length === duckdb.length;
  if (!same) note(`${report.length} groups in the report, ${duckdb.length} in DuckDB`);
  for (const ours of report) {
    const other = theirs.get(key(ours));
    if (!other) {
      same = false;
      note(`${ours.csm} ${ours.metric} ${ours.period}: only in the report`);
      continue;
    }
    for (const field of ['responses', 'promoters', 'passives', 'detractors'] as const) {
      if (ours[field] !== other[field]) {
        same = false;
        note(`${ours.csm} ${ours.metric} ${ours.period}: ${field} ${ours[field]} vs ${other[field]}`);
      }
    }
    for (const field of ['nps', 'meanScore'] as const) {
      if (!(Math.abs(ours[field] - other[field]) <= 1e-9)) {
        same = false;
        note(`${ours.csm} ${ours.metric} ${ours.period}: ${field} ${ours[field]} vs ${other[field]}`);
      }
    }
  }
  return { equal: same, reportGroups: report.length, duckdbGroups: duckdb.length, differences };
}

interface CoreRun {
  answers: number;
  timeZone: string;
  api: 'by id' | 'by name';
  /** Answers per wall-clock second: median pass, and best pass. */
  perSecond: number;
  bestPerSecond: number;
  /** Answers per second of CPU time of this process (what a busy machine's other work does not take away). */
  perCpuSecond: number;
  seconds: number[];
  cpuSeconds: number[];
  groups: number;
}

/**
 * The core alone: n answers held in typed arrays (CSM index, instant, score) → local day → aggregate.
 * "by id": CSM names interned once (seriesIdOf), answers added by series id, as the CLI does.
 * "by name": add(csm, metric, day, score) per answer, as a caller with plain objects would.
 */
function coreThroughput(
  data: ReturnType<typeof syntheticColumns>,
  n: number,
  timeZone: string,
  api: CoreRun['api'],
  runs: number
): CoreRun {
  const resolver = new LocalDayResolver(timeZone);
  const names = data.csmNames;
  const pass = (count: number): NpsAggregator => {
    const agg = new NpsAggregator({ type: 'month' });
    const { csm, epochMs, score } = data;
    if (api === 'by id') {
      const ids = names.map((name) => agg.seriesIdOf(name, 'Company NPS'));
      for (let i = 0; i < count; i++)
        agg.addToSeries(
          ids[csm[i] as number] as number,
          resolver.dayOf(epochMs[i] as number),
          score[i] as number
        );
    } else {
      for (let i = 0; i < count; i++)
        agg.add(
          names[csm[i] as number] as string,
          'Company NPS',
          resolver.dayOf(epochMs[i] as number),
          score[i] as number
        );
    }
    return agg;
  };
  pass(Math.min(n, 200_000)); // warm the JIT (and the time zone's offset cache) up
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let last: NpsAggregator | null = null;
  for (let r = 0; r < runs; r++) {
    const cpuBefore = process.cpuUsage();
    const timed = timeIt(() => pass(n));
    const cpu = process.cpuUsage(cpuBefore);
    seconds.push(timed.seconds);
    cpuSeconds.push((cpu.user + cpu.system) / 1e6);
    last = timed.result;
  }
  return {
    answers: n,
    timeZone,
    api,
    perSecond: n / median(seconds),
    bestPerSecond: n / Math.min(...seconds),
    perCpuSecond: n / median(cpuSeconds),
    seconds,
    cpuSeconds,
    groups: computeGroupResults(last as NpsAggregator).length
  };
}

/** Heap after aggregating n answers generated on the fly (none kept): flat when memory tracks groups only. */
function coreHeapAfter(n: number): number {
  const resolver = new LocalDayResolver('UTC');
  const agg = new NpsAggregator({ type: 'month' });
  const ids = Array.from({ length: CSMS }, (_, i) => agg.seriesIdOf(`CSM ${i}`, 'Company NPS'));
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    agg.addToSeries(
      ids[x % CSMS] as number,
      resolver.dayOf(1_701_388_800_000 + (x % 94_000_000) * 1000),
      x % 11
    );
  }
  globalThis.gc?.();
  return mib(process.memoryUsage().heapUsed);
}

interface TimedRuns {
  seconds: number[];
  median: number;
  best: number;
  peakRssMiB?: number | null;
  check: EqualityCheck | null;
}

function timed(seconds: number[], check: EqualityCheck | null, peakRssMiB?: number | null): TimedRuns {
  return {
    seconds,
    median: median(seconds),
    best: Math.min(...seconds),
    ...(peakRssMiB === undefined ? {} : { peakRssMiB }),
    check
  };
}

/**
 * Ours ÷ theirs for each run (the two were timed one right after the other, so a busy moment of the
 * machine weighs on both), and the median of those ratios: steadier on a shared machine than a ratio of medians.
 */
function pairedRatio(
  ours: readonly number[],
  theirs: readonly number[]
): { perRun: number[]; median: number } {
  const perRun = ours.map((s, i) => s / (theirs[i] as number));
  return { perRun, median: median(perRun) };
}

const fmt = (n: number) => n.toLocaleString('en-US');

export async function benchCoreAndReport(options: CoreAndReportOptions): Promise<BenchPart> {
  const { quick, log, runs } = options;
  const figures: Figure[] = [];
  const loadBefore = loadavg();

  // --- the core alone ---
  const coreSizes = quick ? [100_000] : [1_000_000, 10_000_000];
  const coreRuns: CoreRun[] = [];
  for (const n of coreSizes) {
    log(`Core: ${fmt(n)} in-memory answers over ${CSMS} CSMs × 36 months…`);
    const data = syntheticColumns(n, CSMS, 7);
    for (const timeZone of ['UTC', 'America/New_York']) {
      for (const api of ['by id', 'by name'] as const) {
        const run = coreThroughput(data, n, timeZone, api, quick ? 3 : 5);
        coreRuns.push(run);
        figures.push({
          name: `core aggregation ${api}, ${fmt(n)} answers, ${timeZone}`,
          value: run.perSecond / 1e6,
          unit: 'M answers/s',
          target: '≥ 10',
          met: run.perSecond >= CORE_TARGET,
          note: `median of ${run.seconds.length} passes; best ${(run.bestPerSecond / 1e6).toFixed(1)}; ${(run.perCpuSecond / 1e6).toFixed(1)} per CPU-second`
        });
      }
    }
  }
  globalThis.gc?.();
  const heap: Record<string, number> = {};
  for (const size of quick ? [10_000, 100_000] : [100_000, 1_000_000, 10_000_000]) {
    heap[String(size)] = coreHeapAfter(size);
    figures.push({
      name: `core heap after ${fmt(size)} answers`,
      value: heap[String(size)] as number,
      unit: 'MiB',
      note: 'flat when memory follows groups, not answers'
    });
  }

  // --- csm-nps report against DuckDB, same file, same run ---
  const rows = quick ? 100_000 : REPORT_TARGET_ROWS;
  const dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-bench-'));
  try {
    const csv = path.join(dir, 'answers.csv');
    log(`CSV: writing ${fmt(rows)} rows…`);
    await writeSyntheticCsv(csv, rows, CSMS, 11);
    const reportOptions = reportOptionsSchema.parse({ csv, json: true });
    const cli: number[] = [];
    const duckCli: number[] = [];
    const inProcess: number[] = [];
    const duckInProcess: number[] = [];
    const compare: number[] = [];
    let cliCheck: EqualityCheck | null = null;
    let inProcessCheck: EqualityCheck | null = null;
    let compareCheck: EqualityCheck | null = null;
    let cliPeak: number | null = null;
    let duckPeak: number | null = null;
    let comparePeak: number | null = null;
    let duckReference: ComparableGroup[] = [];
    await import('@duckdb/node-api'); // loaded once before timing: the in-process figure is the engine's
    const allEqual = (a: EqualityCheck | null, b: EqualityCheck) => (a === null ? b : a.equal ? b : a);
    // Interleaved, so that a busy moment of the machine falls on both sides alike.
    for (let r = 0; r < runs; r++) {
      log(`Run ${r + 1}/${runs}: csm-nps report --json (command)…`);
      const report = await runChild(process.execPath, [options.cliBin, 'report', '--csv', csv, '--json'], {
        captureStdout: true
      });
      if (report.exitCode !== 0)
        throw new Error(`csm-nps report failed (exit ${report.exitCode}): ${report.stderr}`);
      cli.push(report.seconds);
      cliPeak = Math.max(cliPeak ?? 0, report.peakRssMiB ?? 0);

      log(`Run ${r + 1}/${runs}: DuckDB (command)…`);
      const duck = await runChild(process.execPath, [options.benchEntry, '--duckdb-child', csv], {
        captureStdout: true
      });
      if (duck.exitCode !== 0) throw new Error(`DuckDB failed (exit ${duck.exitCode}): ${duck.stderr}`);
      duckCli.push(duck.seconds);
      duckPeak = Math.max(duckPeak ?? 0, duck.peakRssMiB ?? 0);
      duckReference = JSON.parse(duck.stdout as string) as ComparableGroup[];
      const reportGroups = (JSON.parse(report.stdout as string) as { groups: GroupResult[] }).groups;
      cliCheck = allEqual(cliCheck, compareGroups(comparable(reportGroups), duckReference));

      log(`Run ${r + 1}/${runs}: report and DuckDB in this process…`);
      globalThis.gc?.();
      const ours = await timeItAsync(async () => {
        const built = await buildReport(reportOptions);
        return {
          built,
          json: JSON.stringify({ groups: built.groups, rejected: built.rejected, warnings: built.warnings })
        };
      });
      inProcess.push(ours.seconds);
      globalThis.gc?.();
      const theirs = await timeItAsync(() => duckDbGroups(csv));
      duckInProcess.push(theirs.seconds);
      inProcessCheck = allEqual(
        inProcessCheck,
        compareGroups(comparable(ours.result.built.groups), theirs.result)
      );

      if (options.compareCliBin) {
        log(`Run ${r + 1}/${runs}: ${options.compareCliBin} (command)…`);
        const other = await runChild(
          process.execPath,
          [options.compareCliBin, 'report', '--csv', csv, '--json'],
          { captureStdout: true }
        );
        if (other.exitCode !== 0)
          throw new Error(`${options.compareCliBin} report failed (exit ${other.exitCode}): ${other.stderr}`);
        compare.push(other.seconds);
        comparePeak = Math.max(comparePeak ?? 0, other.peakRssMiB ?? 0);
        const otherGroups = (JSON.parse(other.stdout as string) as { groups: GroupResult[] }).groups;
        compareCheck = allEqual(compareCheck, compareGroups(comparable(otherGroups), duckReference));
      }
    }

    const cliRuns = timed(cli, cliCheck, cliPeak);
    const duckCliRuns = timed(duckCli, null, duckPeak);
    const inRuns = timed(inProcess, inProcessCheck);
    const duckInRuns = timed(duckInProcess, null);
    const cliRatios = pairedRatio(cli, duckCli);
    const inRatios = pairedRatio(inProcess, duckInProcess);
    const cliRatio = cliRatios.median;
    const inRatio = inRatios.median;
    const equal = Boolean(cliCheck?.equal && inProcessCheck?.equal);
    const label = `${fmt(rows)}-row CSV`;
    const medianNote = runs === 1 ? '1 run' : `median of ${runs}`;
    const ratioNote = runs === 1 ? '1 run' : 'median of the per-run ratios';
    // The target is for the 1,000,000-row CSV: a smaller file never meets or misses it.
    const quickNote = `--quick: ${fmt(rows)} rows, the target is for ${fmt(REPORT_TARGET_ROWS)}`;
    figures.push(
      {
        name: `csm-nps report (command), ${label}`,
        value: cliRuns.median,
        unit: 's',
        note: `${medianNote}; ${fmt(Math.round(rows / cliRuns.median / 1e3))} k rows/s; peak RSS ${cliPeak?.toFixed(0) ?? 'n/a'} MiB`
      },
      {
        name: `DuckDB ${DUCKDB_THREADS} threads (command), ${label}`,
        value: duckCliRuns.median,
        unit: 's',
        note: `${medianNote}; node + @duckdb/node-api; peak RSS ${duckPeak?.toFixed(0) ?? 'n/a'} MiB`
      },
      {
        name: 'report ÷ DuckDB, commands',
        value: cliRatio,
        unit: '×',
        target: `≤ ${REPORT_TARGET_RATIO}×`,
        met: quick ? null : cliRatio <= REPORT_TARGET_RATIO && equal,
        note: quick ? `${ratioNote}; ${quickNote}` : ratioNote
      },
      {
        name: `csm-nps report (in process), ${label}`,
        value: inRuns.median,
        unit: 's',
        note: `${medianNote}; buildReport + JSON`
      },
      {
        name: `DuckDB ${DUCKDB_THREADS} threads (in process), ${label}`,
        value: duckInRuns.median,
        unit: 's',
        note: `${medianNote}; instance + query + rows`
      },
      {
        name: 'report ÷ DuckDB, in process',
        value: inRatio,
        unit: '×',
        target: `≤ ${REPORT_TARGET_RATIO}×`,
        met: quick ? null : inRatio <= REPORT_TARGET_RATIO && equal,
        note: quick ? `${ratioNote}; ${quickNote}` : ratioNote
      },
      {
        name: 'report and DuckDB give the same groups',
        value: equal ? 1 : 0,
        unit: equal ? '(equal)' : '(DIFFERENT)',
        note: `${cliCheck?.reportGroups ?? 0} groups; counts exact, NPS and mean to 1e-9${equal ? '' : `; ${[...(cliCheck?.differences ?? []), ...(inProcessCheck?.differences ?? [])].join('; ')}`}`
      }
    );
    let compareRuns: TimedRuns | null = null;
    if (options.compareCliBin) {
      compareRuns = timed(compare, compareCheck, comparePeak);
      figures.push({
        name: `other build (command), ${label}`,
        value: compareRuns.median,
        unit: 's',
        note: `${options.compareCliBin}; ${medianNote}; peak RSS ${comparePeak?.toFixed(0) ?? 'n/a'} MiB; ${compareCheck?.equal ? 'same groups' : 'DIFFERENT groups'}`
      });
    }
    return {
      name: 'coreAndReport',
      figures,
      details: {
        machine: {
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model ?? null,
          loadAverageBefore: loadBefore,
          loadAverageAfter: loadavg()
        },
        core: { runs: coreRuns, heapMiBAfter: heap },
        report: {
          rows,
          csms: CSMS,
          months: 36,
          duckdbThreads: DUCKDB_THREADS,
          command: { report: cliRuns, duckdb: duckCliRuns, ratio: cliRatio, ratioPerRun: cliRatios.perRun },
          inProcess: { report: inRuns, duckdb: duckInRuns, ratio: inRatio, ratioPerRun: inRatios.perRun },
          equal,
          compare: compareRuns ? { bin: options.compareCliBin, runs: compareRuns } : null
        }
      }
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
