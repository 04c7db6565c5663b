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

/** First day of the next period after the one starting on `start` (`YYYY-MM-DD`): one month later, or three for (fiscal) quarters. */
export function nextPeriodStartDate(start: string, periodType: PeriodType): string | null {
  const match = ISO_DATE.exec(start);
  if (!match) return null;
  const months = Number(match[1]) * 12 + Number(match[2]) - 1 + (periodType === 'month' ? 1 : 3);
  return formatDay(dayFromCivil(Math.floor(months / 12), (months % 12) + 1, Number(match[3])));
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
