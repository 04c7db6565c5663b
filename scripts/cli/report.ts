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
  removeScore,
  resolveSettings,
  type GroupResult,
  type NpsCounts,
  type PeriodType,
  type StatisticsSettings
} from 'c/npsCore';
import { canonicalMetric, CsvFileError, readResponsesCsv, type CsvRejectedRow } from '../csv/responsesCsv';
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
      .refine((n) => Number.isInteger(n) && n >= 1 && n <= 12, '--fiscal-start-month must be a whole number from 1 to 12')
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
    if (o.json && o.out) ctx.addIssue({ code: 'custom', message: 'choose one output: --json or --out FILE.csv, not both' });
    if (o.from && o.to && o.from > o.to) ctx.addIssue({ code: 'custom', message: `--from ${o.from} is after --to ${o.to}` });
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
  // A repeated response_id keeps the last valid row: remember where each id's answer went, to take it back.
  const seen = new Map<string, { line: number; counts: NpsCounts | null; score: number }>();
  let outsideRange = 0;
  let otherMetric = 0;
  // The same spelling rules as the CSV's metric column: --metric "company nps" means "Company NPS".
  const metric = options.metric === undefined ? undefined : canonicalMetric(options.metric);

  const summary = await readResponsesCsv(options.csv, {
    warn: (message) => warnings.push(message),
    reject: (row) => rejected.push(row),
    row: (row) => {
      const day = localDayOfParsed(row.respondedAt, resolver);
      const included = day >= from && day <= to && (metric === undefined || row.metric === metric);
      let counts: NpsCounts | null = null;
      if (included) counts = aggregator.add(row.csm, row.metric, day, row.score);
      else if (day < from || day > to) outsideRange++;
      else otherMetric++;
      if (row.responseId === null) return;
      const before = seen.get(row.responseId);
      if (before) {
        if (before.counts) removeScore(before.counts, before.score);
        warnings.push(`response_id "${row.responseId}" is repeated: line ${row.line} replaces line ${before.line}`);
      }
      seen.set(row.responseId, { line: row.line, counts, score: row.score });
    }
  });

  if (summary.accepted === 0) {
    const why = summary.rowsRead === 0 ? 'it has a header but no answer' : `all ${summary.rowsRead} rows were rejected`;
    const error = new InputError(`${options.csv} holds no valid row: ${why}`);
    Object.assign(error, { rejected, warnings });
    throw error;
  }
  if (outsideRange > 0) {
    warnings.push(`${outsideRange} answer${outsideRange === 1 ? '' : 's'} outside ${options.from ?? '…'} to ${options.to ?? '…'} left out`);
  }
  if (otherMetric > 0) warnings.push(`${otherMetric} answer${otherMetric === 1 ? '' : 's'} of other metrics left out (--metric ${metric})`);
  return { groups: computeGroupResults(aggregator, settings), rejected, warnings, aggregator, settings };
}

function listRejected(io: CliIo, rejected: readonly CsvRejectedRow[], warnings: readonly string[]): void {
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  if (rejected.length > 0) {
    io.stderr.write(`${rejected.length} row${rejected.length === 1 ? '' : 's'} rejected (fix them and run again to include them):\n`);
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
        io.stdout.write(`${JSON.stringify({ groups: [], rejected: detail.rejected ?? [], warnings: detail.warnings ?? [] })}\n`);
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
      const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
      throw new InputError(`--out ${options.out} could not be written (${why}): choose a path in an existing, writable folder`);
    }
    io.stdout.write(`Wrote ${groups.length} group${groups.length === 1 ? '' : 's'} (CSM × metric × period) to ${options.out}\n`);
    listRejected(io, rejected, warnings);
    return 0;
  }
  const teamResults = computeGroupResults(report.aggregator.pooled('All CSMs'), settings);
  if (groups.length === 0) io.stdout.write('No answers in the chosen range.\n');
  else io.stdout.write(renderNpsTable(groups, teamResults, { width: io.columns, color: io.isTTY && !io.env.NO_COLOR, settings }));
  listRejected(io, rejected, warnings);
  return 0;
}
