// The statistics of one group of answers. Exact definitions: DESIGN.md § Statistics and § Goals.

import { responsesOf, type NpsCounts } from './aggregate';
import { normalCdf } from './normal';

/** NPS = 100·(P − D)/n; null when there is no answer. */
export function npsOf(counts: NpsCounts): number | null {
  const n = responsesOf(counts);
  return n > 0 ? (100 * (counts.promoters - counts.detractors)) / n : null;
}

export function meanScoreOf(counts: NpsCounts): number | null {
  const n = responsesOf(counts);
  return n > 0 ? counts.scoreSum / n : null;
}

export interface Interval {
  low: number;
  high: number;
  /** The adjusted centre 100·(p′ − d′), which the interval is built around. */
  centre: number;
  /** The adjusted standard error se′ = 100·√(V′/n′). */
  standardError: number;
}

/**
 * Adjusted-Wald interval for an NPS (Rocks 2016, "Interval Estimation for the Net Promoter Score",
 * The American Statistician 70(4)): add 3 to n and ¾ to promoters and to detractors, then a Wald interval
 * on the difference of two proportions. Defined for every n ≥ 0 (n = 0 gives the widest interval).
 */
export function adjustedWaldInterval(counts: NpsCounts, z: number): Interval {
  const nAdj = responsesOf(counts) + 3;
  const p = (counts.promoters + 0.75) / nAdj;
  const d = (counts.detractors + 0.75) / nAdj;
  const variance = p + d - (p - d) * (p - d);
  const standardError = 100 * Math.sqrt(variance / nAdj);
  const centre = 100 * (p - d);
  const half = z * standardError;
  return { low: Math.max(-100, centre - half), high: Math.min(100, centre + half), centre, standardError };
}

/** se′ of a group (see adjustedWaldInterval). */
export function adjustedStandardError(counts: NpsCounts): number {
  return adjustedWaldInterval(counts, 0).standardError;
}

/** Prior shares for shrinkage: the pooled promoter/passive/detractor shares of the groups given. */
export interface PriorShares {
  promoters: number;
  passives: number;
  detractors: number;
}

export function pooledShares(groups: Iterable<NpsCounts>): PriorShares | null {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const g of groups) {
    promoters += g.promoters;
    passives += g.passives;
    detractors += g.detractors;
  }
  const n = promoters + passives + detractors;
  return n > 0 ? { promoters: promoters / n, passives: passives / n, detractors: detractors / n } : null;
}

/**
 * Shrunk NPS: the group's counts plus k pseudo-answers split as the prior (an empirical-Bayes style
 * Dirichlet prior), 100·((P + k·πP) − (D + k·πD))/(n + k). Small books move toward the team, large ones
 * barely move: a fair ranking. With k = 0 it is the raw NPS.
 */
export function shrunkNpsOf(counts: NpsCounts, prior: PriorShares, priorStrength: number): number | null {
  const n = responsesOf(counts);
  if (n + priorStrength <= 0) return null;
  const promoters = counts.promoters + priorStrength * prior.promoters;
  const detractors = counts.detractors + priorStrength * prior.detractors;
  return (100 * (promoters - detractors)) / (n + priorStrength);
}

export interface Change {
  change: number;
  significant: boolean;
  /** √(se′²_this + se′²_prev): the standard error of the change. */
  standardError: number;
}

/** Change from the previous period and whether it exceeds z standard errors; null without a previous answer. */
export function changeBetween(
  current: NpsCounts,
  previous: NpsCounts | null | undefined,
  z: number
): Change | null {
  if (!previous || responsesOf(previous) === 0 || responsesOf(current) === 0) return null;
  const now = npsOf(current) as number;
  const before = npsOf(previous) as number;
  const change = now - before;
  const standardError = Math.hypot(adjustedStandardError(current), adjustedStandardError(previous));
  return { change, significant: Math.abs(change) > z * standardError, standardError };
}

export type GoalStatus = 'met' | 'not_met' | 'insufficient_data';

export interface GoalSettings {
  /** T: the change that counts as improvement (default +5). */
  improvementTarget: number;
  /** F: the NPS to stay above (default 30). */
  floor: number;
  /** m: fewer answers than this give "insufficient data" (default 5). */
  minResponses: number;
}

export const DEFAULT_GOALS: Readonly<GoalSettings> = { improvementTarget: 5, floor: 30, minResponses: 5 };

/** Met when NPS > floor, or when the change reaches the improvement target; not judged below m answers. */
export function goalStatusOf(
  responses: number,
  nps: number,
  change: number | null,
  goals: GoalSettings
): GoalStatus {
  if (responses < goals.minResponses) return 'insufficient_data';
  if (nps > goals.floor || (change !== null && change >= goals.improvementTarget)) return 'met';
  return 'not_met';
}

/** Φ((nps − F)/se′): how sure we are that the true NPS is above the floor. */
export function probabilityAboveFloor(nps: number, standardError: number, floor: number): number {
  return normalCdf((nps - floor) / standardError);
}

/** Φ((change − T)/se(change)): how sure we are that the true change reached the target. */
export function probabilityImproved(change: Change | null, improvementTarget: number): number | null {
  return change === null ? null : normalCdf((change.change - improvementTarget) / change.standardError);
}
