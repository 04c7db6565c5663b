// Series the components show beyond one stored snapshot: a team pooled from its CSMs' snapshot counts,
// an account's NPS over time from its responses, and the date bounds a drill-down queries. Every figure
// goes through computeGroupResults, so a team or an account has the same statistics as any group.

import { NpsAggregator, responsesOf } from './aggregate';
import { isValidScore } from './classify';
import { GOAL_PICKLIST } from './format';
import {
  dayFromCivil,
  formatDay,
  localDayOfParsed,
  LocalDayResolver,
  parseRespondedAt,
  periodIndexOfLabel,
  periodLabel,
  resolvePeriodOptions,
  type PeriodOptions,
  type PeriodType
} from './periods';
import { computeGroupResults, type GroupResult, type StatisticsSettings } from './results';
import type { GoalStatus } from './stats';

/** Values of the Period_Type__c picklist (DESIGN.md § Data model). */
export const PERIOD_TYPE_PICKLIST: Readonly<Record<PeriodType, string>> = {
  month: 'Month',
  quarter: 'Quarter',
  'fiscal-quarter': 'Fiscal Quarter'
};

export function periodTypeFromPicklist(value: string | null | undefined): PeriodType | null {
  for (const [type, label] of Object.entries(PERIOD_TYPE_PICKLIST) as [PeriodType, string][]) {
    if (label === value) return type;
  }
  return null;
}

export function goalStatusFromPicklist(value: string | null | undefined): GoalStatus | null {
  for (const [status, label] of Object.entries(GOAL_PICKLIST) as [GoalStatus, string][]) {
    if (label === value) return status;
  }
  return null;
}

/** One group's stored counts for a period (an NPS_Snapshot__c row). */
export interface PeriodCounts {
  /** Period_Label__c, e.g. `2026-Q1`. */
  period: string;
  /** Period_Start__c (`YYYY-MM-DD`), kept as given in the results. */
  periodStart?: string | null;
  metric: string;
  promoters: number;
  passives: number;
  detractors: number;
  /** Mean_Score__c; null when unknown (the pooled mean is then NaN). */
  meanScore: number | null;
}

/**
 * Groups pooled per metric and period into one group named `groupName` (e.g. the team row of a manager's
 * matrix, from its CSMs' snapshots), with the statistics of any group: interval, change against the
 * pooled previous period, shrinkage, goal. The period type only orders the labels (fiscal labels are read
 * with the default fiscal settings, which keeps consecutive quarters consecutive); a label that does not
 * fit the type is left out and counted in `skipped`.
 */
export function pooledResultsByPeriod(
  groups: Iterable<PeriodCounts>,
  options: { periodType: PeriodType; groupName: string; settings?: Partial<StatisticsSettings> }
): { results: GroupResult[]; skipped: number } {
  const period = resolvePeriodOptions({ type: options.periodType });
  const aggregator = new NpsAggregator(period);
  const starts = new Map<string, string>();
  let skipped = 0;
  for (const group of groups) {
    const index = periodIndexOfLabel(group.period, period);
    if (index === null) {
      skipped++;
      continue;
    }
    const counts = {
      promoters: group.promoters,
      passives: group.passives,
      detractors: group.detractors,
      scoreSum: 0
    };
    counts.scoreSum = group.meanScore === null ? Number.NaN : group.meanScore * responsesOf(counts);
    aggregator.addCounts(options.groupName, group.metric, index, counts);
    if (group.periodStart) starts.set(group.period, group.periodStart);
  }
  const results = computeGroupResults(aggregator, options.settings ?? {}).map((result) => ({
    ...result,
    periodStart: starts.get(result.period) ?? result.periodStart
  }));
  return { results, skipped };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** How many calendar months a period spans: one, or three for (fiscal) quarters. */
function monthsPerPeriod(periodType: PeriodType): number {
  return periodType === 'month' ? 1 : 3;
}

/**
 * `start` (`YYYY-MM-DD`) moved by whole periods, forward or back: `periods` months, or three times as many
 * for (fiscal) quarters. Null when `start` is not such a date.
 */
function shiftPeriodStart(
  start: string | null | undefined,
  periods: number,
  periodType: PeriodType
): string | null {
  const match = ISO_DATE.exec(start ?? '');
  if (!match) return null;
  const months = Number(match[1]) * 12 + Number(match[2]) - 1 + periods * monthsPerPeriod(periodType);
  return formatDay(dayFromCivil(Math.floor(months / 12), (months % 12) + 1, Number(match[3])));
}

/** First day of the next period after the one starting on `start` (`YYYY-MM-DD`): one month later, or three for (fiscal) quarters. */
export function nextPeriodStartDate(start: string, periodType: PeriodType): string | null {
  return shiftPeriodStart(start, 1, periodType);
}

/** Months since year 0 of a `YYYY-MM-DD` date (its day left aside); null when it is not such a date. */
function monthNumberOf(date: string | null | undefined): number | null {
  const match = ISO_DATE.exec(date ?? '');
  return match ? Number(match[1]) * 12 + Number(match[2]) - 1 : null;
}

/** What places a figure in a period: its label, and the period's first day where known. */
export interface PeriodKey {
  /** Period label, e.g. `2026-Q1`. */
  period: string;
  /** First day of the period (`YYYY-MM-DD`). */
  periodStart?: string | null;
}

/** One period's figures, as a trend charts them (a GroupResult, or a snapshot with its label as `period`). */
export interface PeriodFigures extends PeriodKey {
  nps: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  responses: number;
}

/** One point of a trend: a period without answers has no NPS and no interval (a chart breaks its line there). */
export interface PeriodPoint {
  label: string;
  nps: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  responses: number;
}

/** One period of a consecutive run, with the figures given for it (none: nobody answered in it). */
export interface ConsecutivePeriod<T extends PeriodKey> {
  label: string;
  /** First day (`YYYY-MM-DD`): the figures' own, or counted in whole periods from the latest period's; null when unknown. */
  start: string | null;
  /** In the order given. */
  figures: T[];
}

/**
 * Consecutive periods for a trend or a matrix: every period is present, a period without answers with no
 * figures, so that a chart never draws a line across periods nobody answered in and a matrix never skips
 * a column. The periods end with the one that holds `today` (a local `YYYY-MM-DD`; the latest period with
 * answers when that is later, or when `today` or its start is unknown): "the last 12 quarters" are the 12
 * up to now, and quiet recent periods show as such. `count` periods, or without it every period from the
 * earliest with answers. The period of `today` is counted in whole periods from the latest period's
 * start, so fiscal quarters need no fiscal settings; labels are read as pooledResultsByPeriod reads them.
 * Several figures may share a period (one per CSM). Figures whose label does not fit the period type are
 * left out. No figures: no periods (there is no period to anchor them).
 */
export function consecutivePeriods<T extends PeriodKey>(
  figures: Iterable<T>,
  options: { periodType: PeriodType; today: string | null; count?: number }
): ConsecutivePeriod<T>[] {
  const period = resolvePeriodOptions({ type: options.periodType });
  const byIndex = new Map<number, T[]>();
  for (const figure of figures) {
    const index = periodIndexOfLabel(figure.period, period);
    if (index === null) continue;
    const list = byIndex.get(index);
    if (list) list.push(figure);
    else byIndex.set(index, [figure]);
  }
  if (byIndex.size === 0) return [];
  const indexes = [...byIndex.keys()];
  const latest = Math.max(...indexes);
  const latestStart = byIndex.get(latest)?.at(-1)?.periodStart ?? null;
  const latestMonth = monthNumberOf(latestStart);
  const todayMonth = monthNumberOf(options.today);
  const elapsed =
    latestMonth === null || todayMonth === null
      ? 0
      : Math.floor((todayMonth - latestMonth) / monthsPerPeriod(options.periodType));
  const last = latest + Math.max(0, elapsed);
  const count =
    options.count !== undefined && Number.isInteger(options.count) && options.count > 0
      ? options.count
      : last - Math.min(...indexes) + 1;
  return Array.from({ length: count }, (_, i) => {
    const index = last - count + 1 + i;
    const found = byIndex.get(index) ?? [];
    const own = found.at(-1);
    return {
      label: own?.period ?? periodLabel(index, period),
      start: own?.periodStart ?? shiftPeriodStart(latestStart, index - latest, options.periodType),
      figures: found
    };
  });
}

/**
 * A trend over consecutive periods (consecutivePeriods): a period without answers as a point without NPS
 * and 0 responses.
 */
export function consecutivePeriodPoints(
  figures: Iterable<PeriodFigures>,
  options: { periodType: PeriodType; today: string | null; count?: number }
): PeriodPoint[] {
  return consecutivePeriods(figures, options).map(({ label, figures: found }) => {
    const figure = found.at(-1);
    return {
      label,
      nps: figure?.nps ?? null,
      ciLow: figure?.ciLow ?? null,
      ciHigh: figure?.ciHigh ?? null,
      responses: figure?.responses ?? 0
    };
  });
}

/**
 * UTC instants that enclose every instant whose local date, in any time zone (UTC−12 to UTC+14), lies in
 * [from, toExclusive): one day of margin each side. Query with these, then keep the exact local dates with
 * localDateOf — the org's time zone is not known in the browser.
 */
export function instantBoundsForLocalDates(
  from: string,
  toExclusive: string
): { gte: string; lt: string } | null {
  const start = ISO_DATE.exec(from);
  const end = ISO_DATE.exec(toExclusive);
  if (!start || !end) return null;
  const day = (m: RegExpExecArray): number => dayFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  return {
    gte: `${formatDay(day(start) - 1)}T00:00:00.000Z`,
    lt: `${formatDay(day(end) + 1)}T00:00:00.000Z`
  };
}

/** Local calendar date (`YYYY-MM-DD`) of a response time in the resolver's time zone; null when unreadable. */
export function localDateOf(
  respondedAt: string | null | undefined,
  resolver: LocalDayResolver
): string | null {
  const parsed = parseRespondedAt(respondedAt);
  return parsed.ok ? formatDay(localDayOfParsed(parsed, resolver)) : null;
}

/** One answer with its time, as the components read NPS_Response__c. */
export interface DatedScore {
  respondedAt: string | null | undefined;
  score: number | null | undefined;
  metric?: string | null;
}

/**
 * NPS per period computed live from answers (e.g. one account's responses): each answer counts in the
 * period holding its local date in `timeZone` (default UTC). With `metric`, answers of other metrics are
 * left aside; answers without a valid score or time are left out and counted in `skipped`. Results are
 * sorted by metric, then period.
 */
export function resultsOverTime(
  responses: Iterable<DatedScore>,
  options: {
    period: PeriodOptions;
    groupName: string;
    timeZone?: string;
    metric?: string;
    settings?: Partial<StatisticsSettings>;
  }
): { results: GroupResult[]; skipped: number } {
  const aggregator = new NpsAggregator(options.period);
  const resolver = new LocalDayResolver(options.timeZone ?? 'UTC');
  let skipped = 0;
  for (const response of responses) {
    const metric = response.metric ?? 'Company NPS';
    if (options.metric !== undefined && metric !== options.metric) continue;
    const parsed = parseRespondedAt(response.respondedAt);
    if (!parsed.ok || !isValidScore(response.score)) {
      skipped++;
      continue;
    }
    aggregator.add(options.groupName, metric, localDayOfParsed(parsed, resolver), response.score);
  }
  return { results: computeGroupResults(aggregator, options.settings ?? {}), skipped };
}
