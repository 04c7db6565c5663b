// c/npsData — reading GraphQL UI API results (field values, pages of a connection, errors a person can act
// on) and the NPS_Response__c node every response list shows. No query lives here: each component owns its
// queries in one small module beside it.

import type { GraphqlError, GraphqlResult } from 'lightning/graphql';
import timeZone from '@salesforce/i18n/timeZone';
import { formatDay, formatLabel, goalStatusFromPicklist, LocalDayResolver, type GoalStatus } from 'c/npsCore';
import { LABELS } from './labels';

/** A field as the GraphQL UI API returns it: `{ value }` (null when empty). */
export type Field<T> = { value: T | null } | null | undefined;

export function valueOf<T>(field: Field<T>): T | null {
  return field?.value ?? null;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A connection of the Cursor Connections Specification, as `uiapi.query.<Object>` returns it. */
export interface Connection<TNode> {
  edges: { node: TNode }[];
  pageInfo: PageInfo;
  totalCount?: number | null;
}

/**
 * The pages of one connection as the wire delivers them, one per `after` cursor (null for the first),
 * chained from the first page. A page delivered again (a cache refresh) replaces itself, so rows are
 * never counted twice.
 */
export class PageChain<TNode> {
  private readonly pages = new Map<string, Connection<TNode>>();

  reset(): void {
    this.pages.clear();
  }

  add(after: string | null, page: Connection<TNode>): void {
    this.pages.set(after ?? '', page);
  }

  /** The loaded pages in order, following each page's endCursor. */
  private chain(): Connection<TNode>[] {
    const chain: Connection<TNode>[] = [];
    let page = this.pages.get('');
    while (page) {
      chain.push(page);
      const next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      page = next ? this.pages.get(next) : undefined;
      if (page && chain.includes(page)) break;
    }
    return chain;
  }

  get nodes(): TNode[] {
    return this.chain().flatMap((page) => page.edges.map((edge) => edge.node));
  }

  /** The cursor of the next page still to load; null when the chain is complete (or not started). */
  get nextCursor(): string | null {
    const last = this.chain().at(-1);
    return last?.pageInfo.hasNextPage ? last.pageInfo.endCursor : null;
  }

  get hasFirstPage(): boolean {
    return this.pages.has('');
  }

  get totalCount(): number | null {
    return this.pages.get('')?.totalCount ?? null;
  }
}

const FIELD_UNDEFINED = /Field '([\w.]+)' in type '([\w.]+)' is undefined/;

function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const candidate = error as Partial<GraphqlError> & { body?: unknown };
    if (typeof candidate.message === 'string') return candidate.message;
    if (candidate.body !== undefined) return messageOf(candidate.body);
  }
  return LABELS.unknownError;
}

/**
 * The first field (or object, in type `RecordQuery`) that a GraphQL result says is undefined: one that
 * does not exist, or that the user may not see. Null when no error says so.
 */
export function undefinedFieldOf(
  errors: GraphqlResult['errors'] | unknown
): { field: string; type: string } | null {
  const list: unknown[] = Array.isArray(errors) ? errors : [errors];
  for (const error of list) {
    const match = FIELD_UNDEFINED.exec(messageOf(error));
    if (match) return { field: match[1] as string, type: match[2] as string };
  }
  return null;
}

/**
 * What went wrong in a GraphQL result, in words a user can act on. A field or object the user may not
 * see (field-level or object security) makes the GraphQL API refuse the whole query with "Field 'X' in
 * type 'Y' is undefined": say which one and who can grant it.
 */
export function describeGraphqlErrors(errors: GraphqlResult['errors'] | unknown): string {
  const list: unknown[] = Array.isArray(errors) ? errors : [errors];
  const undefinedField = undefinedFieldOf(list);
  if (undefinedField) {
    const { field, type } = undefinedField;
    return type === 'RecordQuery'
      ? formatLabel(LABELS.noObjectAccess, field)
      : formatLabel(LABELS.noFieldAccess, field, type);
  }
  const messages = [...new Set(list.map(messageOf))].join('; ');
  return formatLabel(LABELS.queryFailed, messages || LABELS.unknownError);
}

/**
 * The message of a failed record save (uiRecordApi rejects with `{ body: { message, output } }`),
 * with what to do next.
 */
export function describeSaveError(error: unknown): string {
  const body = (error as { body?: { message?: string; output?: { errors?: { message?: string }[] } } } | null)
    ?.body;
  const detail = body?.output?.errors?.[0]?.message ?? body?.message ?? messageOf(error);
  return formatLabel(LABELS.saveFailed, detail.replace(/[.\s]+$/, ''));
}

let resolver: LocalDayResolver | null = null;

/** Local dates in the user's time zone (their Salesforce Time Zone setting), for lists and drill-downs. */
export function userDayResolver(): LocalDayResolver {
  resolver ??= new LocalDayResolver(timeZone || 'UTC');
  return resolver;
}

/** The user's time zone (IANA name). */
export function userTimeZone(): string {
  return userDayResolver().timeZone;
}

/** The user's local date (`YYYY-MM-DD`) at an instant, by default now: which period is the current one. */
export function userToday(now: number = Date.now()): string {
  return formatDay(userDayResolver().dayOf(now));
}

/** One response as the lists show it. */
export interface ResponseRow {
  id: string;
  respondedAt: string | null;
  score: number | null;
  metric: string | null;
  comment: string | null;
  followedUp: boolean;
  accountName: string | null;
  contactName: string | null;
  csmName: string | null;
}

/** The fields of NPS_Response__c that every response list reads (each query selects these). */
export interface ResponseNode {
  Id: string;
  Responded_At__c?: Field<string>;
  Score__c?: Field<number>;
  Metric__c?: Field<string>;
  Comment__c?: Field<string>;
  Followed_Up__c?: Field<boolean>;
  Account__r?: { Name?: Field<string> } | null;
  Contact__r?: { Name?: Field<string> } | null;
  CSM__r?: { Name?: Field<string> } | null;
}

export function toResponseRow(node: ResponseNode): ResponseRow {
  return {
    id: node.Id,
    respondedAt: valueOf(node.Responded_At__c),
    score: valueOf(node.Score__c),
    metric: valueOf(node.Metric__c),
    comment: valueOf(node.Comment__c),
    followedUp: valueOf(node.Followed_Up__c) === true,
    accountName: valueOf(node.Account__r?.Name),
    contactName: valueOf(node.Contact__r?.Name),
    csmName: valueOf(node.CSM__r?.Name)
  };
}

/** The fields of NPS_Snapshot__c that the components read (each snapshot query selects these). */
export interface SnapshotNode {
  Id: string;
  CSM__c?: Field<string>;
  CSM__r?: { Name?: Field<string> } | null;
  Metric__c?: Field<string>;
  Period_Label__c?: Field<string>;
  Period_Start__c?: Field<string>;
  Responses__c?: Field<number>;
  Promoters__c?: Field<number>;
  Passives__c?: Field<number>;
  Detractors__c?: Field<number>;
  NPS__c?: Field<number>;
  CI_Low__c?: Field<number>;
  CI_High__c?: Field<number>;
  Mean_Score__c?: Field<number>;
  Shrunk_NPS__c?: Field<number>;
  Change__c?: Field<number>;
  Change_Significant__c?: Field<boolean>;
  Goal_Status__c?: Field<string>;
  Probability_Above_Floor__c?: Field<number>;
  Probability_Improved__c?: Field<number>;
}

/** One NPS_Snapshot__c row, as stored by the sync (numbers unrounded). */
export interface Snapshot {
  id: string;
  /** null: the Unassigned group. */
  csmId: string | null;
  csmName: string | null;
  metric: string;
  periodLabel: string;
  periodStart: string;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  meanScore: number | null;
  shrunkNps: number | null;
  /** null: no previous period to compare (then significance is null too). */
  change: number | null;
  changeSignificant: boolean | null;
  goalStatus: GoalStatus | null;
  probabilityAboveFloor: number | null;
  probabilityImproved: number | null;
}

/** A snapshot row; null when it lacks its period (it could not be placed in the matrix). */
export function toSnapshot(node: SnapshotNode): Snapshot | null {
  const periodLabel = valueOf(node.Period_Label__c);
  const periodStart = valueOf(node.Period_Start__c);
  if (!periodLabel || !periodStart) return null;
  const change = valueOf(node.Change__c);
  return {
    id: node.Id,
    csmId: valueOf(node.CSM__c),
    csmName: valueOf(node.CSM__r?.Name),
    metric: valueOf(node.Metric__c) ?? '',
    periodLabel,
    periodStart,
    responses: valueOf(node.Responses__c) ?? 0,
    promoters: valueOf(node.Promoters__c) ?? 0,
    passives: valueOf(node.Passives__c) ?? 0,
    detractors: valueOf(node.Detractors__c) ?? 0,
    nps: valueOf(node.NPS__c),
    ciLow: valueOf(node.CI_Low__c),
    ciHigh: valueOf(node.CI_High__c),
    meanScore: valueOf(node.Mean_Score__c),
    shrunkNps: valueOf(node.Shrunk_NPS__c),
    change,
    // A checkbox cannot be null: without a change there is no comparison, so no significance either.
    changeSignificant: change === null ? null : valueOf(node.Change_Significant__c) === true,
    goalStatus: goalStatusFromPicklist(valueOf(node.Goal_Status__c)),
    probabilityAboveFloor: valueOf(node.Probability_Above_Floor__c),
    probabilityImproved: valueOf(node.Probability_Improved__c)
  };
}

/** Distinct periods of snapshots, newest first. */
export function periodsNewestFirst(snapshots: readonly Snapshot[]): { label: string; start: string }[] {
  const byLabel = new Map<string, string>();
  for (const s of snapshots) if (!byLabel.has(s.periodLabel)) byLabel.set(s.periodLabel, s.periodStart);
  return [...byLabel]
    .map(([label, start]) => ({ label, start }))
    .sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0));
}
