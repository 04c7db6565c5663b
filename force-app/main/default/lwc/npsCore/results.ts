// From aggregated counts to the figures every surface shows: one function, used by the CLI, the sync
// (snapshots) and the components, so that one answer has one number everywhere.

import { responsesOf, type GroupCounts, type NpsAggregator, type NpsCounts } from './aggregate';
import { zForConfidence } from './normal';
import { periodLabel, periodStart, type ResolvedPeriodOptions } from './periods';
import {
  adjustedWaldInterval,
  changeBetween,
  DEFAULT_GOALS,
  goalStatusOf,
  meanScoreOf,
  npsOf,
  pooledShares,
  probabilityAboveFloor,
  probabilityImproved,
  shrunkNpsOf,
  type GoalSettings,
  type GoalStatus,
  type PriorShares
} from './stats';

export interface StatisticsSettings extends GoalSettings {
  /** Two-sided confidence level of the intervals (default 0.95). */
  confidence: number;
  /** k, the weight of the prior in pseudo-answers (default 10). */
  priorStrength: number;
}

export const DEFAULT_SETTINGS: Readonly<StatisticsSettings> = {
  ...DEFAULT_GOALS,
  confidence: 0.95,
  priorStrength: 10
};

/** The statistics of one group (field names as in DESIGN.md § CLI contract). */
export interface GroupStatistics {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number;
  ciLow: number;
  ciHigh: number;
  meanScore: number;
  shrunkNps: number;
  change: number | null;
  changeSignificant: boolean | null;
  goalStatus: GoalStatus;
  probabilityAboveFloor: number;
  probabilityImproved: number | null;
}

export interface GroupResult extends GroupStatistics {
  csm: string;
  metric: string;
  period: string;
  periodStart: string;
}

export function resolveSettings(settings: Partial<StatisticsSettings> = {}): StatisticsSettings {
  const resolved: StatisticsSettings = { ...DEFAULT_SETTINGS };
  for (const [key, value] of Object.entries(settings) as [keyof StatisticsSettings, number | undefined][]) {
    if (value !== undefined) resolved[key] = value;
  }
  zForConfidence(resolved.confidence); // throws a clear RangeError for a level outside (0, 1)
  if (!Number.isFinite(resolved.priorStrength) || resolved.priorStrength < 0) {
    throw new RangeError(`Prior strength must be a number ≥ 0, got ${resolved.priorStrength}`);
  }
  if (!Number.isFinite(resolved.minResponses) || resolved.minResponses < 0) {
    throw new RangeError(`Minimum responses must be a number ≥ 0, got ${resolved.minResponses}`);
  }
  if (!Number.isFinite(resolved.floor) || !Number.isFinite(resolved.improvementTarget)) {
    throw new RangeError('Floor and improvement target must be numbers');
  }
  return resolved;
}

/**
 * Statistics of one group. `previous` is the same CSM and metric in the previous period (for the change);
 * `prior` the pooled shares of the period (for shrinkage; without it the group's own shares are used,
 * which leaves the NPS unshrunk). Null when the group has no answer.
 */
export function summarizeGroup(
  counts: NpsCounts,
  options: {
    previous?: NpsCounts | null;
    prior?: PriorShares | null;
    settings?: Partial<StatisticsSettings>;
  } = {}
): GroupStatistics | null {
  const settings = resolveSettings(options.settings);
  const n = responsesOf(counts);
  if (n === 0) return null;
  const z = zForConfidence(settings.confidence);
  const nps = npsOf(counts) as number;
  const interval = adjustedWaldInterval(counts, z);
  const change = changeBetween(counts, options.previous, z);
  const prior = options.prior ?? (pooledShares([counts]) as PriorShares);
  return {
    responses: n,
    promoters: counts.promoters,
    passives: counts.passives,
    detractors: counts.detractors,
    nps,
    ciLow: interval.low,
    ciHigh: interval.high,
    meanScore: meanScoreOf(counts) as number,
    shrunkNps: shrunkNpsOf(counts, prior, settings.priorStrength) as number,
    change: change?.change ?? null,
    changeSignificant: change?.significant ?? null,
    goalStatus: goalStatusOf(n, nps, change?.change ?? null, settings),
    probabilityAboveFloor: probabilityAboveFloor(nps, interval.standardError, settings.floor),
    probabilityImproved: probabilityImproved(change, settings.improvementTarget)
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every group's figures: change against the previous period of the same CSM and metric, shrinkage toward
 * the pooled shares of all groups of the same period and metric (Unassigned included). Sorted by CSM,
 * metric, then period.
 */
export function computeGroupResults(
  source: NpsAggregator | { period: ResolvedPeriodOptions; groups(): Iterable<GroupCounts> },
  settings: Partial<StatisticsSettings> = {}
): GroupResult[] {
  const resolved = resolveSettings(settings);
  const groups = [...source.groups()].filter((g) => responsesOf(g) > 0);
  const byKey = new Map<string, GroupCounts>();
  const pooled = new Map<string, NpsCounts[]>();
  for (const g of groups) {
    byKey.set(groupKey(g.csm, g.metric, g.periodIndex), g);
    const poolKey = `${g.metric}\u0000${g.periodIndex}`;
    const list = pooled.get(poolKey);
    if (list) list.push(g);
    else pooled.set(poolKey, [g]);
  }
  const priors = new Map<string, PriorShares | null>();
  for (const [key, list] of pooled) priors.set(key, pooledShares(list));

  groups.sort(
    (a, b) => compareText(a.csm, b.csm) || compareText(a.metric, b.metric) || a.periodIndex - b.periodIndex
  );
  return groups.map((g) => {
    const stats = summarizeGroup(g, {
      previous: byKey.get(groupKey(g.csm, g.metric, g.periodIndex - 1)) ?? null,
      prior: priors.get(`${g.metric}\u0000${g.periodIndex}`) ?? null,
      settings: resolved
    }) as GroupStatistics;
    return {
      csm: g.csm,
      metric: g.metric,
      period: periodLabel(g.periodIndex, source.period),
      periodStart: periodStart(g.periodIndex, source.period),
      ...stats
    };
  });
}

function groupKey(csm: string, metric: string, periodIndex: number): string {
  return `${csm}\u0000${metric}\u0000${periodIndex}`;
}
