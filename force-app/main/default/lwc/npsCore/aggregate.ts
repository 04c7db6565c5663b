// Streaming aggregation: one pass over the answers, memory proportional to the number of groups
// (CSM × metric × period), never to the number of answers. Aggregates are plain sums, so they merge:
// work can be split, resumed, and combined in any order with the same result.

import { isValidScore } from './classify';
import {
  periodIndexOfDay,
  periodLabel,
  periodStart,
  resolvePeriodOptions,
  type PeriodOptions,
  type ResolvedPeriodOptions
} from './periods';

/** Counts of one group. `scoreSum` is the sum of the 0–10 scores (for the mean score). */
export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
  scoreSum: number;
}

export function emptyCounts(): NpsCounts {
  return { promoters: 0, passives: 0, detractors: 0, scoreSum: 0 };
}

export function responsesOf(counts: NpsCounts): number {
  return counts.promoters + counts.passives + counts.detractors;
}

/** Adds one answer to counts (score already validated). */
export function addScore(counts: NpsCounts, score: number): void {
  if (score >= 9) counts.promoters++;
  else if (score >= 7) counts.passives++;
  else counts.detractors++;
  counts.scoreSum += score;
}

/** Takes one answer back out of counts, e.g. when a later row with the same id replaces it. */
export function removeScore(counts: NpsCounts, score: number): void {
  if (score >= 9) counts.promoters--;
  else if (score >= 7) counts.passives--;
  else counts.detractors--;
  counts.scoreSum -= score;
}

export function mergeCounts(into: NpsCounts, from: NpsCounts): NpsCounts {
  into.promoters += from.promoters;
  into.passives += from.passives;
  into.detractors += from.detractors;
  into.scoreSum += from.scoreSum;
  return into;
}

/** Counts of a list of scores (validated: a score outside 0–10 throws). */
export function countScores(scores: Iterable<number>): NpsCounts {
  const counts = emptyCounts();
  for (const score of scores) {
    if (!isValidScore(score)) throw new RangeError(`Not an NPS score: ${String(score)} (expected an integer 0–10)`);
    addScore(counts, score);
  }
  return counts;
}

/** One group's counts, as stored and exchanged (JSON-safe). */
export interface GroupCounts extends NpsCounts {
  csm: string;
  metric: string;
  /** Period index (consecutive periods have consecutive indexes). */
  periodIndex: number;
}

/** A serialisable partial aggregate: save it, send it, merge it later. */
export interface AggregateState {
  version: 1;
  period: ResolvedPeriodOptions;
  groups: GroupCounts[];
}

/** A CSM × metric's counts per period, in a dense array from `first` (periods are consecutive integers). */
class Series {
  first = 0;
  readonly slots: (NpsCounts | undefined)[] = [];

  get(periodIndex: number): NpsCounts | undefined {
    return this.slots[periodIndex - this.first];
  }

  getOrCreate(periodIndex: number): NpsCounts {
    if (this.slots.length === 0) this.first = periodIndex;
    if (periodIndex < this.first) {
      this.slots.unshift(...new Array<undefined>(this.first - periodIndex));
      this.first = periodIndex;
    }
    const slot = periodIndex - this.first;
    let counts = this.slots[slot];
    if (counts === undefined) {
      while (this.slots.length < slot) this.slots.push(undefined);
      counts = emptyCounts();
      this.slots[slot] = counts;
    }
    return counts;
  }

  *entries(): IterableIterator<[number, NpsCounts]> {
    for (let i = 0; i < this.slots.length; i++) {
      const counts = this.slots[i];
      if (counts !== undefined) yield [this.first + i, counts];
    }
  }
}

/** Local days 1900–2079 map to their period through an array; other days through the formula. */
const DAY_WINDOW_FIRST = -25_567;
const DAY_WINDOW_SIZE = 65_536;

export class NpsAggregator {
  readonly period: ResolvedPeriodOptions;
  private readonly byCsm = new Map<string, Map<string, Series>>();
  private readonly periodByDay = new Int32Array(DAY_WINDOW_SIZE).fill(-1);

  constructor(period: PeriodOptions) {
    this.period = resolvePeriodOptions(period);
  }

  private countsFor(csm: string, metric: string, periodIndex: number): NpsCounts {
    let byMetric = this.byCsm.get(csm);
    if (byMetric === undefined) {
      byMetric = new Map();
      this.byCsm.set(csm, byMetric);
    }
    let series = byMetric.get(metric);
    if (series === undefined) {
      series = new Series();
      byMetric.set(metric, series);
    }
    return series.getOrCreate(periodIndex);
  }

  /**
   * Adds one answer given by its local day (see LocalDayResolver). Returns the group's live counts so a
   * caller that may later replace this answer can take it back out with removeScore.
   */
  add(csm: string, metric: string, localDay: number, score: number): NpsCounts {
    if (!isValidScore(score)) throw new RangeError(`Not an NPS score: ${String(score)} (expected an integer 0–10)`);
    const slot = localDay - DAY_WINDOW_FIRST;
    let periodIndex: number;
    if (slot >= 0 && slot < DAY_WINDOW_SIZE) {
      periodIndex = this.periodByDay[slot] as number;
      if (periodIndex === -1) {
        periodIndex = periodIndexOfDay(localDay, this.period);
        this.periodByDay[slot] = periodIndex;
      }
    } else {
      periodIndex = periodIndexOfDay(localDay, this.period);
    }
    const counts = this.countsFor(csm, metric, periodIndex);
    addScore(counts, score);
    return counts;
  }

  /** Adds counts to a group given by period index (merging, resuming). */
  addCounts(csm: string, metric: string, periodIndex: number, counts: NpsCounts): void {
    mergeCounts(this.countsFor(csm, metric, periodIndex), counts);
  }

  merge(other: NpsAggregator | AggregateState): this {
    const state = other instanceof NpsAggregator ? other.toState() : other;
    const same =
      state.period.type === this.period.type &&
      state.period.fiscalStartMonth === this.period.fiscalStartMonth &&
      state.period.fiscalYearName === this.period.fiscalYearName;
    if (!same) throw new Error('Cannot merge aggregates built with different period settings');
    for (const group of state.groups) this.addCounts(group.csm, group.metric, group.periodIndex, group);
    return this;
  }

  /** Every group with at least one answer, in no particular order. */
  *groups(): IterableIterator<GroupCounts> {
    for (const [csm, byMetric] of this.byCsm) {
      for (const [metric, series] of byMetric) {
        for (const [periodIndex, counts] of series.entries()) {
          if (responsesOf(counts) > 0) yield { csm, metric, periodIndex, ...counts };
        }
      }
    }
  }

  get groupCount(): number {
    let n = 0;
    for (const _ of this.groups()) n++;
    return n;
  }

  /**
   * The team view: every CSM's answers pooled per metric and period, as one aggregate whose single
   * "CSM" is `teamName` (so computeGroupResults gives the team's NPS, interval and change).
   */
  pooled(teamName: string): NpsAggregator {
    const team = new NpsAggregator(this.period);
    for (const group of this.groups()) team.addCounts(teamName, group.metric, group.periodIndex, group);
    return team;
  }

  toState(): AggregateState {
    return { version: 1, period: { ...this.period }, groups: [...this.groups()] };
  }

  static fromState(state: AggregateState): NpsAggregator {
    return new NpsAggregator(state.period).merge(state);
  }

  label(periodIndex: number): string {
    return periodLabel(periodIndex, this.period);
  }

  start(periodIndex: number): string {
    return periodStart(periodIndex, this.period);
  }
}
