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
    if (!isValidScore(score))
      throw new RangeError(`Not an NPS score: ${String(score)} (expected an integer 0–10)`);
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

/** Layout of one group in the aggregator's store: four numbers in a row. */
const PROMOTERS = 0;
const PASSIVES = 1;
const DETRACTORS = 2;
const SCORE_SUM = 3;
const GROUP_WIDTH = 4;
/** Where a score counts: detractor 0–6, passive 7–8, promoter 9–10. */
const CATEGORY_OF_SCORE = Int8Array.of(2, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0);

/** The counts of every group, four numbers a group, in one array (grown by doubling). */
class CountsStore {
  values = new Float64Array(GROUP_WIDTH * 256);
  groups = 0;

  newGroup(): number {
    if ((this.groups + 1) * GROUP_WIDTH > this.values.length) {
      const values = new Float64Array(this.values.length * 2);
      values.set(this.values);
      this.values = values;
    }
    return this.groups++;
  }
}

/** A group's counts as a live NpsCounts object (what add() hands back, for removeScore). */
class CountsView implements NpsCounts {
  constructor(
    private readonly store: CountsStore,
    private readonly at: number
  ) {}

  get promoters(): number {
    return this.store.values[this.at + PROMOTERS] as number;
  }

  set promoters(value: number) {
    this.store.values[this.at + PROMOTERS] = value;
  }

  get passives(): number {
    return this.store.values[this.at + PASSIVES] as number;
  }

  set passives(value: number) {
    this.store.values[this.at + PASSIVES] = value;
  }

  get detractors(): number {
    return this.store.values[this.at + DETRACTORS] as number;
  }

  set detractors(value: number) {
    this.store.values[this.at + DETRACTORS] = value;
  }

  get scoreSum(): number {
    return this.store.values[this.at + SCORE_SUM] as number;
  }

  set scoreSum(value: number) {
    this.store.values[this.at + SCORE_SUM] = value;
  }
}

const NO_GROUP = -1;

/** A CSM × metric: its group number per period, in a dense array from `first` (periods are consecutive integers). */
class Series {
  first = 0;
  groupByPeriod = new Int32Array(0);

  constructor(
    readonly id: number,
    readonly csm: string,
    readonly metric: string
  ) {}

  groupOf(periodIndex: number, store: CountsStore): number {
    const slot = periodIndex - this.first;
    if (slot >= 0 && slot < this.groupByPeriod.length) {
      const group = this.groupByPeriod[slot] as number;
      if (group !== NO_GROUP) return group;
    }
    return this.create(periodIndex, store);
  }

  private create(periodIndex: number, store: CountsStore): number {
    const old = this.groupByPeriod;
    if (old.length === 0) this.first = periodIndex;
    const first = Math.min(this.first, periodIndex);
    const last = Math.max(this.first + old.length - 1, periodIndex);
    if (first < this.first || last >= this.first + old.length) {
      // Room for a few more periods on the side that grew, so that a year of months costs a few copies.
      const grownFirst = first < this.first ? first - 8 : first;
      const grownLength = Math.max(
        last - grownFirst + 1 + (last >= this.first + old.length ? 8 : 0),
        old.length
      );
      const grown = new Int32Array(grownLength).fill(NO_GROUP);
      grown.set(old, this.first - grownFirst);
      this.groupByPeriod = grown;
      this.first = grownFirst;
    }
    const group = store.newGroup();
    this.groupByPeriod[periodIndex - this.first] = group;
    return group;
  }

  *entries(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.groupByPeriod.length; i++) {
      const group = this.groupByPeriod[i] as number;
      if (group !== NO_GROUP) yield [this.first + i, group];
    }
  }
}

/** Local days 1900–2079 map to their period through an array; other days through the formula. */
const DAY_WINDOW_FIRST = -25_567;
const DAY_WINDOW_SIZE = 65_536;

function assertScore(score: number): void {
  // Same test as isValidScore, written so that the hot path stays a few integer comparisons.
  if ((score | 0) !== score || score < 0 || score > 10) {
    throw new RangeError(`Not an NPS score: ${String(score)} (expected an integer 0–10)`);
  }
}

/**
 * Counts per CSM × metric × period. Counts live in one Float64Array (four numbers a group), CSM × metric
 * pairs are numbered once (seriesIdOf), and periods are dense per pair: adding an answer by series id is
 * a few array reads and two additions, with no string and no allocation.
 */
export class NpsAggregator {
  readonly period: ResolvedPeriodOptions;
  private readonly store = new CountsStore();
  private readonly views: (CountsView | undefined)[] = [];
  /** Every CSM × metric, by series id (ids are small consecutive integers, in order of first answer). */
  private readonly series: Series[] = [];
  /** Series of each CSM: a CSM has one or two metrics, so a short list beats a second Map. */
  private readonly seriesByCsm = new Map<string, Series[]>();
  private readonly periodByDay = new Int32Array(DAY_WINDOW_SIZE).fill(-1);

  constructor(period: PeriodOptions) {
    this.period = resolvePeriodOptions(period);
  }

  /**
   * The id of a CSM × metric, created on first use. Callers that see the same names again and again
   * (a CSV, a query result) look the names up once and add answers by id (addToSeries).
   */
  seriesIdOf(csm: string, metric: string): number {
    let list = this.seriesByCsm.get(csm);
    if (list === undefined) {
      list = [];
      this.seriesByCsm.set(csm, list);
    }
    for (let i = 0; i < list.length; i++) {
      const series = list[i] as Series;
      if (series.metric === metric) return series.id;
    }
    const series = new Series(this.series.length, csm, metric);
    this.series.push(series);
    list.push(series);
    return series.id;
  }

  /** Period index of a local day (cached per day for 1900–2079). */
  periodOfDay(localDay: number): number {
    const slot = localDay - DAY_WINDOW_FIRST;
    if (slot >= 0 && slot < DAY_WINDOW_SIZE) {
      let periodIndex = this.periodByDay[slot] as number;
      if (periodIndex === -1) {
        periodIndex = periodIndexOfDay(localDay, this.period);
        this.periodByDay[slot] = periodIndex;
      }
      return periodIndex;
    }
    return periodIndexOfDay(localDay, this.period);
  }

  private groupFor(csm: string, metric: string, periodIndex: number): number {
    return (this.series[this.seriesIdOf(csm, metric)] as Series).groupOf(periodIndex, this.store);
  }

  private viewOf(group: number): CountsView {
    let view = this.views[group];
    if (view === undefined) {
      view = new CountsView(this.store, group * GROUP_WIDTH);
      this.views[group] = view;
    }
    return view;
  }

  /**
   * Adds one answer given by its local day (see LocalDayResolver). Returns the group's live counts so a
   * caller that may later replace this answer can take it back out with removeScore.
   */
  add(csm: string, metric: string, localDay: number, score: number): NpsCounts {
    assertScore(score);
    const group = (this.series[this.seriesIdOf(csm, metric)] as Series).groupOf(
      this.periodOfDay(localDay),
      this.store
    );
    this.count(group, score, 1);
    return this.viewOf(group);
  }

  /**
   * Adds one answer to the CSM × metric `seriesId` (from seriesIdOf). Returns the number of the group it
   * went to, for removeAnswer.
   */
  addToSeries(seriesId: number, localDay: number, score: number): number {
    assertScore(score);
    const series = this.series[seriesId];
    if (series === undefined) throw new RangeError(`Unknown series id ${seriesId}: get ids from seriesIdOf`);
    const group = series.groupOf(this.periodOfDay(localDay), this.store);
    this.count(group, score, 1);
    return group;
  }

  /** Takes back an answer that addToSeries put in `group` (e.g. a later row with the same id replaces it). */
  removeAnswer(group: number, score: number): void {
    assertScore(score);
    if (!(group >= 0 && group < this.store.groups))
      throw new RangeError(`Unknown group ${group}: use the number addToSeries returned`);
    this.count(group, score, -1);
  }

  private count(group: number, score: number, sign: 1 | -1): void {
    const values = this.store.values;
    const at = group * GROUP_WIDTH;
    const category = at + (CATEGORY_OF_SCORE[score] as number);
    values[category] = (values[category] as number) + sign;
    values[at + SCORE_SUM] = (values[at + SCORE_SUM] as number) + sign * score;
  }

  /** Adds counts to a group given by period index (merging, resuming). */
  addCounts(csm: string, metric: string, periodIndex: number, counts: NpsCounts): void {
    const at = this.groupFor(csm, metric, periodIndex) * GROUP_WIDTH;
    const values = this.store.values;
    values[at + PROMOTERS] = (values[at + PROMOTERS] as number) + counts.promoters;
    values[at + PASSIVES] = (values[at + PASSIVES] as number) + counts.passives;
    values[at + DETRACTORS] = (values[at + DETRACTORS] as number) + counts.detractors;
    values[at + SCORE_SUM] = (values[at + SCORE_SUM] as number) + counts.scoreSum;
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
    const values = this.store.values;
    for (const list of this.seriesByCsm.values()) {
      for (const series of list) {
        for (const [periodIndex, group] of series.entries()) {
          const at = group * GROUP_WIDTH;
          const promoters = values[at + PROMOTERS] as number;
          const passives = values[at + PASSIVES] as number;
          const detractors = values[at + DETRACTORS] as number;
          if (promoters + passives + detractors > 0) {
            yield {
              csm: series.csm,
              metric: series.metric,
              periodIndex,
              promoters,
              passives,
              detractors,
              scoreSum: values[at + SCORE_SUM] as number
            };
          }
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
