// The CSM's own NPS (Home page: the current user; User record page: that user): this period's NPS with
// its interval, the change in honest words, the goal with how sure it is, the trend of the last periods
// with the interval band and the floor, the promoter/passive/detractor split, Company and CSM NPS side by
// side, and the detractors waiting for a follow-up with a "Mark followed up" action. The container: it
// wires the data (queries.ts) and hands plain values to the presentational children.
import { LightningElement, api, wire } from 'lwc';
import { graphql, type GraphqlResult } from 'lightning/graphql';
import { updateRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import USER_ID from '@salesforce/user/Id';
import RESPONSE_ID_FIELD from '@salesforce/schema/NPS_Response__c.Id';
import FOLLOWED_UP_FIELD from '@salesforce/schema/NPS_Response__c.Followed_Up__c';
import {
  consecutivePeriodPoints,
  describeChange,
  formatLabel,
  formatNps,
  formatProbability,
  GOAL_LABELS,
  npsBand,
  periodTypeFromPicklist
} from 'c/npsCore';
import {
  describeGraphqlErrors,
  describeSaveError,
  PageChain,
  periodsNewestFirst,
  toResponseRow,
  toSnapshot,
  userToday,
  type ResponseNode,
  type ResponseRow,
  type Snapshot,
  type SnapshotNode
} from 'c/npsData';
import type { TrendPoint } from 'c/npsTrendChart';
import { LABELS, MARKS } from './labels';
import {
  DETRACTORS_OPERATION,
  DETRACTORS_QUERY,
  detractorsWhere,
  PAGE_SIZE,
  SNAPSHOTS_OPERATION,
  SNAPSHOTS_QUERY,
  snapshotsWhere,
  type DetractorsData,
  type SnapshotsData
} from './queries';

const DAY_MS = 86_400_000;

interface MetricBadge {
  key: string;
  metric: string;
  snapshot: Snapshot;
}

export default class CsmNps extends LightningElement {
  /** On a User record page, that user; on the Home page, empty (the current user). */
  @api recordId: string | undefined;
  /** App Builder: Month, Quarter or Fiscal Quarter (Period_Type__c values). */
  @api periodType = 'Quarter';
  /** App Builder: the question shown first, Company NPS or CSM NPS (Metric__c values). */
  @api metric = 'Company NPS';
  /** App Builder: how many periods the trend chart shows. */
  @api numberOfPeriods = 12;
  /** App Builder: the NPS floor of the goal (NPS Setting "NPS Floor"), drawn on the chart. */
  @api floor = 30;
  /** App Builder: how far back detractors wait for a follow-up, in days. */
  @api followUpDays = 90;

  labels = LABELS;

  snapshotAfter: string | null = null;
  snapshots: Snapshot[] = [];
  snapshotsReady = false;
  snapshotsError = '';
  private readonly snapshotPages = new PageChain<SnapshotNode>();
  private snapshotFilterKey = '';

  detractorAfter: string | null = null;
  detractors: ResponseRow[] = [];
  detractorsReady = false;
  detractorsError = '';
  private readonly detractorPages = new PageChain<ResponseNode>();
  private detractorFilterKey = '';

  /** Responses marked followed up here; shown so at once, taken back if the save fails. */
  followedUpIds: string[] = [];
  /** When the component opened: "the last 90 days" and the trend's current period count from here. */
  private readonly openedAt = Date.now();

  // ---------- data ----------

  get csmId(): string {
    return this.recordId || USER_ID;
  }

  get periodCount(): number {
    const count = Math.floor(Number(this.numberOfPeriods));
    return Number.isFinite(count) && count > 0 ? Math.min(count, 36) : 12;
  }

  get followUpWindowDays(): number {
    const days = Math.floor(Number(this.followUpDays));
    return Number.isFinite(days) && days > 0 ? days : 90;
  }

  get snapshotVariables(): Record<string, unknown> {
    return {
      where: snapshotsWhere({ csmId: this.csmId, periodType: this.periodType }),
      first: PAGE_SIZE,
      after: this.snapshotAfter
    };
  }

  @wire(graphql, {
    query: SNAPSHOTS_QUERY,
    variables: '$snapshotVariables',
    operationName: SNAPSHOTS_OPERATION
  })
  handleSnapshots(result: GraphqlResult<SnapshotsData>): void {
    if (result?.errors?.length) {
      this.snapshotsError = describeGraphqlErrors(result.errors);
      return;
    }
    const page = result?.data?.uiapi?.query?.NPS_Snapshot__c;
    if (!page) return;
    const filterKey = JSON.stringify((this.snapshotVariables as { where: unknown }).where);
    if (filterKey !== this.snapshotFilterKey) {
      this.snapshotPages.reset();
      this.snapshotFilterKey = filterKey;
      if (this.snapshotAfter !== null) {
        this.snapshotAfter = null;
        return;
      }
    }
    this.snapshotsError = '';
    this.snapshotPages.add(this.snapshotAfter, page);
    const loaded = this.snapshotPages.nodes.map(toSnapshot).filter((s): s is Snapshot => s !== null);
    const next = this.snapshotPages.nextCursor;
    // Newest first: once a further period has started, the periods to show are complete.
    if (next && periodsNewestFirst(loaded).length <= this.periodCount) {
      this.snapshotAfter = next;
      return;
    }
    this.snapshots = loaded;
    this.snapshotsReady = true;
  }

  get since(): string {
    return new Date(this.openedAt - this.followUpWindowDays * DAY_MS).toISOString();
  }

  get detractorVariables(): Record<string, unknown> {
    return {
      where: detractorsWhere({ csmId: this.csmId, since: this.since }),
      first: PAGE_SIZE,
      after: this.detractorAfter
    };
  }

  @wire(graphql, {
    query: DETRACTORS_QUERY,
    variables: '$detractorVariables',
    operationName: DETRACTORS_OPERATION
  })
  handleDetractors(result: GraphqlResult<DetractorsData>): void {
    if (result?.errors?.length) {
      this.detractorsError = describeGraphqlErrors(result.errors);
      return;
    }
    const page = result?.data?.uiapi?.query?.NPS_Response__c;
    if (!page) return;
    const filterKey = JSON.stringify((this.detractorVariables as { where: unknown }).where);
    if (filterKey !== this.detractorFilterKey) {
      this.detractorPages.reset();
      this.detractorFilterKey = filterKey;
      if (this.detractorAfter !== null) {
        this.detractorAfter = null;
        return;
      }
    }
    this.detractorsError = '';
    this.detractorPages.add(this.detractorAfter, page);
    const next = this.detractorPages.nextCursor;
    if (next) {
      this.detractorAfter = next;
      return;
    }
    this.detractors = this.detractorPages.nodes.map(toResponseRow);
    this.detractorsReady = true;
  }

  // ---------- view ----------

  get isLoading(): boolean {
    return !this.snapshotsReady && !this.snapshotsError;
  }

  get hasError(): boolean {
    return this.snapshotsError !== '';
  }

  get isEmpty(): boolean {
    return this.snapshotsReady && !this.hasError && this.snapshots.length === 0;
  }

  get hasData(): boolean {
    return this.snapshotsReady && !this.hasError && this.latest !== null;
  }

  get isOwnPage(): boolean {
    return !this.recordId || this.recordId === USER_ID;
  }

  /** On someone else's page, say whose NPS is missing. */
  get emptyMessage(): string {
    return this.isOwnPage ? '' : LABELS.noUserData;
  }

  get cardTitle(): string {
    const name = this.snapshots.find((s) => s.csmName)?.csmName;
    return this.isOwnPage || !name ? LABELS.myTitle : formatLabel(LABELS.userTitle, name);
  }

  /** The question shown first: the one chosen in App Builder, or else the one there is data for. */
  get primaryMetric(): string {
    return this.snapshots.some((s) => s.metric === this.metric)
      ? this.metric
      : (this.snapshots[0]?.metric ?? this.metric);
  }

  /** The primary question's snapshots, oldest first. */
  get series(): Snapshot[] {
    const metric = this.primaryMetric;
    return this.snapshots
      .filter((s) => s.metric === metric)
      .sort((a, b) => (a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : 0));
  }

  /** The latest period with answers (the headline names it: it may be before the current period). */
  get latest(): Snapshot | null {
    return this.series.at(-1) ?? null;
  }

  get headlineTitle(): string {
    return formatLabel(LABELS.thisPeriod, this.primaryMetric, this.latest?.periodLabel ?? '');
  }

  get npsText(): string {
    return this.latest?.nps === null || this.latest?.nps === undefined ? '—' : formatNps(this.latest.nps);
  }

  get npsClass(): string {
    const latest = this.latest;
    return `nps-value band_${npsBand(latest?.nps ?? null, latest?.goalStatus === 'insufficient_data')}`;
  }

  get intervalText(): string {
    const latest = this.latest;
    if (!latest || latest.ciLow === null || latest.ciHigh === null) return '';
    return formatLabel(LABELS.interval, formatNps(latest.ciLow), formatNps(latest.ciHigh));
  }

  get responsesText(): string {
    return formatLabel(LABELS.responses, this.latest?.responses ?? 0);
  }

  /** "+6, within normal variation" or "+12, a real improvement" (c/npsCore). */
  get changeText(): string {
    const latest = this.latest;
    return latest ? describeChange(latest.change, latest.changeSignificant) : '';
  }

  get changeMark(): string {
    const latest = this.latest;
    if (!latest || latest.change === null || latest.changeSignificant !== true) return '';
    return latest.change > 0 ? MARKS.up : MARKS.down;
  }

  get goalText(): string {
    const status = this.latest?.goalStatus;
    return status ? GOAL_LABELS[status] : '—';
  }

  get goalClass(): string {
    return `goal-status goal_${this.latest?.goalStatus ?? 'unknown'}`;
  }

  /** How sure the verdict is: the chance of being above the floor, and of having improved by the target. */
  get goalDetails(): { key: string; text: string }[] {
    const latest = this.latest;
    if (!latest) return [];
    if (latest.goalStatus === 'insufficient_data') return [{ key: 'few', text: LABELS.tooFew }];
    const details: { key: string; text: string }[] = [];
    if (latest.probabilityAboveFloor !== null) {
      details.push({
        key: 'floor',
        text: formatLabel(
          LABELS.aboveFloor,
          formatNps(Number(this.floor)),
          formatProbability(latest.probabilityAboveFloor)
        )
      });
    }
    if (latest.probabilityImproved !== null) {
      details.push({
        key: 'improved',
        text: formatLabel(LABELS.improved, formatProbability(latest.probabilityImproved))
      });
    }
    return details;
  }

  get trendTitle(): string {
    return formatLabel(LABELS.trendTitle, this.periodCount);
  }

  get trendLabel(): string {
    return formatLabel(LABELS.trendLabel, this.primaryMetric);
  }

  /** The last periods up to the current one, consecutive: a period without answers is a gap (c/npsCore). */
  get trendPoints(): TrendPoint[] {
    return consecutivePeriodPoints(
      this.series.map((s) => ({ ...s, period: s.periodLabel })),
      {
        periodType: periodTypeFromPicklist(this.periodType) ?? 'quarter',
        count: this.periodCount,
        today: userToday(this.openedAt)
      }
    );
  }

  get floorValue(): number | null {
    const floor = Number(this.floor);
    return Number.isFinite(floor) ? floor : null;
  }

  get splitLabel(): string {
    return formatLabel(LABELS.splitLabel, this.latest?.periodLabel ?? '');
  }

  /** Company NPS and CSM NPS of the latest period, side by side, when both exist. */
  get metricBadges(): MetricBadge[] {
    const latest = this.latest;
    if (!latest) return [];
    const badges = this.snapshots
      .filter((s) => s.periodLabel === latest.periodLabel)
      .map((s) => ({ key: s.metric, metric: s.metric, snapshot: s }))
      .sort((a, b) => a.metric.localeCompare(b.metric));
    return badges.length > 1 ? badges : [];
  }

  get showComparison(): boolean {
    return this.metricBadges.length > 1;
  }

  get detractorsHint(): string {
    return formatLabel(LABELS.detractorsHint, this.followUpWindowDays);
  }

  /**
   * The detractors section: always beside an NPS; without one (nothing synced yet) only when a detractor
   * is waiting or the list failed, so that an empty card never says "Well done".
   */
  get showDetractors(): boolean {
    if (!this.snapshotsReady) return false;
    return this.hasData || this.detractors.length > 0 || this.detractorsError !== '';
  }

  get detractorsLoading(): boolean {
    return !this.detractorsReady && !this.detractorsError;
  }

  get detractorRows(): ResponseRow[] {
    return this.detractors.map((row) => ({
      ...row,
      followedUp: row.followedUp || this.followedUpIds.includes(row.id)
    }));
  }

  // ---------- actions ----------

  /** Marks a detractor followed up: shown at once, saved with updateRecord, taken back if the save fails. */
  async handleFollowUp(event: CustomEvent<{ id: string }>): Promise<void> {
    const id = event.detail.id;
    if (this.followedUpIds.includes(id)) return;
    const row = this.detractors.find((r) => r.id === id);
    const who = row?.contactName ?? row?.accountName ?? LABELS.unknownPerson;
    this.followedUpIds = [...this.followedUpIds, id];
    try {
      await updateRecord({
        fields: { [RESPONSE_ID_FIELD.fieldApiName]: id, [FOLLOWED_UP_FIELD.fieldApiName]: true }
      });
      this.dispatchEvent(
        new ShowToastEvent({
          title: LABELS.followedUpTitle,
          message: formatLabel(LABELS.followedUpMessage, who),
          variant: 'success'
        })
      );
    } catch (error) {
      this.followedUpIds = this.followedUpIds.filter((followed) => followed !== id);
      this.dispatchEvent(
        new ShowToastEvent({
          title: LABELS.followUpFailedTitle,
          message: describeSaveError(error),
          variant: 'error',
          mode: 'sticky'
        })
      );
    }
  }
}
