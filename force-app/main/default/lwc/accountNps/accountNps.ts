// The account's NPS (Account record page): its NPS over time, computed live by c/npsCore from every
// response of the account, every response (date, contact, score with its category, comment, the CSM at
// the time), and the current CSM (the Account field App Builder names: Owner, or a custom lookup to User).
// The container: it wires the data (queries.ts) and hands plain values to the presentational children.
import { LightningElement, api, wire } from 'lwc';
import { graphql, type GraphqlDocument, type GraphqlResult } from 'lightning/graphql';
import {
  consecutivePeriodPoints,
  formatLabel,
  formatNps,
  periodTypeFromPicklist,
  resultsOverTime,
  type GroupResult,
  type PeriodType
} from 'c/npsCore';
import {
  describeGraphqlErrors,
  PageChain,
  toResponseRow,
  undefinedFieldOf,
  userTimeZone,
  userToday,
  valueOf,
  type ResponseNode,
  type ResponseRow
} from 'c/npsData';
import type { TrendPoint } from 'c/npsTrendChart';
import { LABELS } from './labels';
import {
  csmFieldOf,
  DEFAULT_CSM_FIELD,
  PAGE_SIZE,
  RESPONSES_OPERATION,
  responsesQuery,
  type CsmField,
  type ResponsesData
} from './queries';

export default class AccountNps extends LightningElement {
  /** The Account of the record page. */
  @api recordId: string | undefined;
  /** App Builder: Month or Quarter. */
  @api periodType = 'Quarter';
  /** App Builder: the question charted, Company NPS or CSM NPS (Metric__c values). */
  @api metric = 'Company NPS';
  /**
   * App Builder: the Account field that holds the CSM, `Owner` or a custom lookup to User such as
   * `CSM__c` (the same field as the sync's csmField, NPS_Setting__mdt.CSM_Field__c).
   */
  @api csmField = DEFAULT_CSM_FIELD;

  labels = LABELS;

  after: string | null = null;
  responses: ResponseRow[] = [];
  currentCsm: string | null = null;
  ready = false;
  error = '';
  private readonly pages = new PageChain<ResponseNode>();
  private loadedFor = '';
  /** The live results of the last responses (not reactive: a cache read by several getters per render). */
  private readonly overTimeCache: {
    inputs: unknown[];
    value: { results: GroupResult[]; skipped: number } | null;
  } = {
    inputs: [],
    value: null
  };

  /** The CSM field of the App Builder property; null when it cannot name a lookup (nothing is queried). */
  get csm(): CsmField | null {
    return csmFieldOf(this.csmField);
  }

  /** The query for the CSM field; undefined (no query) while the property is not a valid field name. */
  get query(): GraphqlDocument | undefined {
    const csm = this.csm;
    return csm ? responsesQuery(csm) : undefined;
  }

  get variables(): Record<string, unknown> | undefined {
    return this.recordId ? { accountId: this.recordId, first: PAGE_SIZE, after: this.after } : undefined;
  }

  @wire(graphql, { query: '$query', variables: '$variables', operationName: RESPONSES_OPERATION })
  handleResponses(result: GraphqlResult<ResponsesData>): void {
    if (result?.errors?.length) {
      this.error = this.describeErrors(result.errors);
      return;
    }
    const query = result?.data?.uiapi?.query;
    const page = query?.NPS_Response__c;
    if (!query || !page) return;
    if (this.recordId !== this.loadedFor) {
      this.pages.reset();
      this.loadedFor = this.recordId ?? '';
      if (this.after !== null) {
        this.after = null;
        return;
      }
    }
    this.error = '';
    this.currentCsm = valueOf(query.Account?.edges?.[0]?.node?.csm?.Name);
    this.pages.add(this.after, page);
    const next = this.pages.nextCursor;
    if (next) {
      this.after = next;
      return;
    }
    this.responses = this.pages.nodes.map(toResponseRow);
    this.ready = true;
  }

  /** An error names the configured CSM field when the org has no such Account field the user can see. */
  private describeErrors(errors: NonNullable<GraphqlResult['errors']>): string {
    const csm = this.csm;
    const missing = undefinedFieldOf(errors);
    if (csm && missing?.type === 'Account' && missing.field === csm.relationship)
      return formatLabel(LABELS.csmFieldUnavailable, csm.field);
    return describeGraphqlErrors(errors);
  }

  /** What is wrong: a CSM field property that names no lookup, or what the query answered. */
  get errorText(): string {
    if (!this.csm) return formatLabel(LABELS.badCsmField, String(this.csmField));
    return this.error;
  }

  get isLoading(): boolean {
    return !this.ready && !this.hasError;
  }

  get hasError(): boolean {
    return this.errorText !== '';
  }

  /** The account's figures, once loaded and while nothing is wrong. */
  get showCurrentCsm(): boolean {
    return this.ready && !this.hasError;
  }

  get isEmpty(): boolean {
    return this.ready && !this.hasError && this.responses.length === 0;
  }

  get hasResponses(): boolean {
    return this.ready && !this.hasError && this.responses.length > 0;
  }

  get currentCsmText(): string {
    return this.currentCsm ?? LABELS.noCsm;
  }

  get resolvedPeriodType(): PeriodType {
    return periodTypeFromPicklist(this.periodType) ?? 'quarter';
  }

  /** The account's NPS per period, computed by c/npsCore from its responses in the user's time zone. */
  get overTime(): { results: GroupResult[]; skipped: number } {
    const inputs = [this.responses, this.periodType, this.metric];
    const cache = this.overTimeCache;
    if (cache.value && inputs.every((value, i) => value === cache.inputs[i])) return cache.value;
    cache.inputs = inputs;
    cache.value = resultsOverTime(
      this.responses.map((r) => ({ respondedAt: r.respondedAt, score: r.score, metric: r.metric })),
      {
        period: { type: this.resolvedPeriodType },
        timeZone: userTimeZone(),
        metric: this.metric,
        groupName: this.recordId ?? 'account'
      }
    );
    return cache.value;
  }

  get hasMetricResults(): boolean {
    return this.overTime.results.length > 0;
  }

  get noMetricText(): string {
    return formatLabel(LABELS.noMetric, this.metric);
  }

  get overTimeTitle(): string {
    return formatLabel(LABELS.overTimeTitle, this.metric, this.periodType);
  }

  get chartLabel(): string {
    return formatLabel(LABELS.chartLabel, this.metric);
  }

  /**
   * Every period from the first answer to the current one, consecutive: a period without answers is a
   * gap in the chart and a row in its table (c/npsCore).
   */
  get points(): TrendPoint[] {
    return consecutivePeriodPoints(this.overTime.results, {
      periodType: this.resolvedPeriodType,
      today: userToday()
    });
  }

  get latestText(): string {
    const latest = this.overTime.results.at(-1);
    if (!latest) return '';
    return formatLabel(
      LABELS.latest,
      latest.period,
      formatNps(latest.nps),
      formatNps(latest.ciLow),
      formatNps(latest.ciHigh),
      latest.responses
    );
  }

  get skippedText(): string {
    const skipped = this.overTime.skipped;
    return skipped > 0 ? formatLabel(LABELS.skipped, skipped) : '';
  }

  get responsesCount(): string {
    return formatLabel(LABELS.responsesCount, this.responses.length);
  }
}
