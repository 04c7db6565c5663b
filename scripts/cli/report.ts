// `csm-nps report`: the real NPS per CSM per period from a CSV of answers (DESIGN.md § CLI contract).

import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  computeGroupResults,
  groupResultsToCsv,
  isValidCivilDate,
  dayFromCivil,
  LocalDayResolver,
  localDayOfParsed,
  NpsAggregator,
  resolveSettings,
  type GroupResult,
  type PeriodType,
  type StatisticsSettings
} from 'c/npsCore';
import { canonicalMetric, CsvFileError, scanResponsesCsv, type CsvRejectedRow } from '../csv/responsesCsv';
import { InputError, UsageError, type CliIo } from './io';
import { renderNpsTable } from './table';

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((text) => {
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    return isValidCivilDate(y, m, d);
  }, 'is not a date that exists');

const numberText = (what: string) =>
  z
    .string()
    .trim()
    .refine((t) => t !== '' && Number.isFinite(Number(t)), `${what} must be a number`)
    .transform(Number);

/** The report's options as commander hands them over (strings), validated and converted. */
export const reportOptionsSchema = z
  .object({
    csv: z.string().min(1, 'needs a file: --csv FILE'),
    period: z.enum(['month', 'quarter', 'fiscal-quarter']).default('month'),
    tz: z.string().default('UTC'),
    fiscalStartMonth: numberText('--fiscal-start-month')
      .refine(
        (n) => Number.isInteger(n) && n >= 1 && n <= 12,
        '--fiscal-start-month must be a whole number from 1 to 12'
      )
      .default(1),
    fiscalYearName: z.enum(['end', 'start']).default('end'),
    metric: z.string().optional(),
    from: localDate.optional(),
    to: localDate.optional(),
    confidence: numberText('--confidence')
      .refine((n) => n > 0 && n < 1, '--confidence must be between 0 and 1, e.g. 0.95')
      .default(0.95),
    minResponses: numberText('--min-responses')
      .refine((n) => Number.isInteger(n) && n >= 0, '--min-responses must be a whole number ≥ 0')
      .default(5),
    improvement: numberText('--improvement').default(5),
    floor: numberText('--floor')
      .refine((n) => n >= -100 && n <= 100, '--floor must be between −100 and 100')
      .default(30),
    priorStrength: numberText('--prior-strength')
      .refine((n) => n >= 0, '--prior-strength must be ≥ 0')
      .default(10),
    json: z.boolean().default(false),
    out: z.string().optional()
  })
  .superRefine((o, ctx) => {
    if (o.json && o.out)
      ctx.addIssue({ code: 'custom', message: 'choose one output: --json or --out FILE.csv, not both' });
    if (o.from && o.to && o.from > o.to)
      ctx.addIssue({ code: 'custom', message: `--from ${o.from} is after --to ${o.to}` });
  });

export type ReportOptions = z.output<typeof reportOptionsSchema>;

/** What `--json` prints (DESIGN.md § CLI contract). */
export interface ReportOutput {
  groups: GroupResult[];
  rejected: CsvRejectedRow[];
  warnings: string[];
}

export interface Report extends ReportOutput {
  /** The aggregate behind the groups (for the team row). */
  aggregator: NpsAggregator;
  settings: StatisticsSettings;
}

function parseOptions(raw: unknown): ReportOptions {
  const parsed = reportOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => {
      const key = issue.path[0];
      const flag = typeof key === 'string' ? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : '';
      return flag && !issue.message.includes('--') ? `${flag}: ${issue.message}` : issue.message;
    });
    throw new UsageError(messages.join('\n'));
  }
  try {
    new LocalDayResolver(parsed.data.tz);
  } catch (error) {
    throw new UsageError(`--tz: ${(error as Error).message}`);
  }
  return parsed.data;
}

function dayOfDate(text: string): number {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  return dayFromCivil(y, m, d);
}

/** Reads the CSV and computes every group; the pure part of the command. */
function settingsOf(options: ReportOptions): StatisticsSettings {
  return resolveSettings({
    confidence: options.confidence,
    minResponses: options.minResponses,
    improvementTarget: options.improvement,
    floor: options.floor,
    priorStrength: options.priorStrength
  });
}

export async function buildReport(options: ReportOptions): Promise<Report> {
  const settings = settingsOf(options);
  const resolver = new LocalDayResolver(options.tz);
  const aggregator = new NpsAggregator({
    type: options.period as PeriodType,
    fiscalStartMonth: options.fiscalStartMonth,
    fiscalYearName: options.fiscalYearName
  });
  const from = options.from ? dayOfDate(options.from) : -Infinity;
  const to = options.to ? dayOfDate(options.to) : Infinity;
  const rejected: CsvRejectedRow[] = [];
  const warnings: string[] = [];
  let outsideRange = 0;
  let otherMetric = 0;
  // The same spelling rules as the CSV's metric column: --metric "company nps" means "Company NPS".
  const metric = options.metric === undefined ? undefined : canonicalMetric(options.metric);
  // Series id per metric id and CSM id (both small integers from the reader): no string look-up per row.
  const seriesOf: Int32Array[] = [];
  const included: boolean[] = [];
  // A repeated response_id keeps the last valid row. Per answer (by ordinal): its line, score and group
  // (−1 when --from/--to/--metric left it out), to take an earlier answer back out at the end.
  let lines = new Int32Array(1 << 16);
  let scores = new Uint8Array(1 << 16);
  let groups = new Int32Array(1 << 16);

  const scan = await scanResponsesCsv(
    options.csv,
    {
      warn: (message) => warnings.push(message),
      reject: (row) => rejected.push(row),
      answer: (row, names) => {
        const day = localDayOfParsed(row.respondedAt, resolver);
        let group = -1;
        if (day < from || day > to) outsideRange++;
        else {
          let metricIncluded = included[row.metricId];
          if (metricIncluded === undefined) {
            metricIncluded = metric === undefined || names.metricName(row.metricId) === metric;
            included[row.metricId] = metricIncluded;
          }
          if (!metricIncluded) otherMetric++;
          else {
            let byCsm = seriesOf[row.metricId];
            if (byCsm === undefined || row.csmId >= byCsm.length)
              byCsm = growSeriesTable(seriesOf, row.metricId, names.csmCount);
            let series = byCsm[row.csmId] as number;
            if (series === -1) {
              series = aggregator.seriesIdOf(names.csmName(row.csmId), names.metricName(row.metricId));
              byCsm[row.csmId] = series;
            }
            group = aggregator.addToSeries(series, day, row.score);
          }
        }
        const ordinal = row.ordinal;
        if (ordinal === lines.length) {
          lines = grown(lines, new Int32Array(lines.length * 2));
          scores = grown(scores, new Uint8Array(scores.length * 2));
          groups = grown(groups, new Int32Array(groups.length * 2));
        }
        lines[ordinal] = row.line;
        scores[ordinal] = row.score;
        groups[ordinal] = group;
      }
    },
    { findRepeatedIds: true }
  );
  const replaced: { by: number; earlier: number; id: string }[] = [];
  scan.forEachRepeatedResponseId((ordinals, id) => {
    for (let i = 1; i < ordinals.length; i++)
      replaced.push({ by: ordinals[i] as number, earlier: ordinals[i - 1] as number, id });
  });
  // In file order of the replacing row, as a reader of the file would meet them.
  replaced.sort((a, b) => a.by - b.by);
  for (const { by, earlier, id } of replaced) {
    const group = groups[earlier] as number;
    if (group !== -1) aggregator.removeAnswer(group, scores[earlier] as number);
    warnings.push(`response_id "${id}" is repeated: line ${lines[by]} replaces line ${lines[earlier]}`);
  }
  const summary = scan.summary;

  if (summary.accepted === 0) {
    const why =
      summary.rowsRead === 0 ? 'it has a header but no answer' : `all ${summary.rowsRead} rows were rejected`;
    const error = new InputError(`${options.csv} holds no valid row: ${why}`);
    Object.assign(error, { rejected, warnings });
    throw error;
  }
  if (outsideRange > 0) {
    warnings.push(
      `${outsideRange} answer${outsideRange === 1 ? '' : 's'} outside ${options.from ?? '…'} to ${options.to ?? '…'} left out`
    );
  }
  if (otherMetric > 0)
    warnings.push(
      `${otherMetric} answer${otherMetric === 1 ? '' : 's'} of other metrics left out (--metric ${metric})`
    );
  return { groups: computeGroupResults(aggregator, settings), rejected, warnings, aggregator, settings };
}

function grown<T extends Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** The series table of one metric, grown to hold every CSM id seen so far (−1: not looked up yet). */
function growSeriesTable(table: Int32Array[], metricId: number, csmCount: number): Int32Array {
  const old = table[metricId];
  const wider = new Int32Array(Math.max(64, csmCount * 2)).fill(-1);
  if (old) wider.set(old);
  table[metricId] = wider;
  return wider;
}

function listRejected(io: CliIo, rejected: readonly CsvRejectedRow[], warnings: readonly string[]): void {
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  if (rejected.length > 0) {
    io.stderr.write(
      `${rejected.length} row${rejected.length === 1 ? '' : 's'} rejected (fix them and run again to include them):\n`
    );
    for (const r of rejected) io.stderr.write(`  line ${r.line}: ${r.reason}\n`);
  }
}

/** Runs the command; returns the exit status. */
export async function runReport(rawOptions: unknown, io: CliIo): Promise<number> {
  const options = parseOptions(rawOptions);
  let report: Report;
  try {
    report = await buildReport(options);
  } catch (error) {
    if (error instanceof CsvFileError || error instanceof InputError) {
      const detail = error as Error & Partial<ReportOutput>;
      if (options.json) {
        io.stdout.write(
          `${JSON.stringify({ groups: [], rejected: detail.rejected ?? [], warnings: detail.warnings ?? [] })}\n`
        );
      } else {
        listRejected(io, detail.rejected ?? [], detail.warnings ?? []);
      }
      throw new InputError(error.message);
    }
    throw error;
  }
  const { groups, rejected, warnings, settings } = report;
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ groups, rejected, warnings })}\n`);
    return 0;
  }
  if (options.out) {
    try {
      await writeFile(options.out, groupResultsToCsv(groups), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'its folder does not exist'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
      throw new InputError(
        `--out ${options.out} could not be written (${why}): choose a path in an existing, writable folder`
      );
    }
    io.stdout.write(
      `Wrote ${groups.length} group${groups.length === 1 ? '' : 's'} (CSM × metric × period) to ${options.out}\n`
    );
    listRejected(io, rejected, warnings);
    return 0;
  }
  const teamResults = computeGroupResults(report.aggregator.pooled('All CSMs'), settings);
  if (groups.length === 0) io.stdout.write('No answers in the chosen range.\n');
  else
    io.stdout.write(
      renderNpsTable(groups, teamResults, {
        width: io.columns,
        color: io.isTTY && !io.env.NO_COLOR,
        settings
      })
    );
  listRejected(io, rejected, warnings);
  return 0;
}
