// NPS_Response__c: what the org should hold for each answer, what it holds now, and the difference.
// Comparing with the org first makes a re-run write nothing that is already there (idempotent), and
// gives the old values of a changed or deleted response, whose months need their snapshots recomputed.

import type { CsvSpool } from './bulkStream';
import { fingerprint } from './compact';
import { epochOf, idOf, text } from './lookups';
import type { OrgApi, QueryItem, Row } from './orgApi';
import { soqlString } from './soql';
import type { AttributedAnswer } from './attribution';
import type { AnswerTable } from './sources/types';

export const RESPONSE_OBJECT = 'NPS_Response__c';
const FIELDS =
  'Id, OwnerId, Source_Id__c, Source__c, Account__c, Contact__c, CSM__c, Score__c, Responded_At__c, Metric__c, Comment__c';

/** One response as the sync compares it (Ids at 15 characters, time in epoch ms). */
export interface ResponseValues {
  sourceId: string;
  source: string;
  accountId: string | null;
  contactId: string | null;
  csmId: string | null;
  score: number;
  respondedAt: number;
  metric: string;
  comment: string | null;
  /**
   * The record's owner: the CSM while active (sharing is Private: CSMs see and follow up their own
   * answers, managers their team's), else the sync's user; null leaves the owner as it is.
   */
  ownerId: string | null;
}

export interface ExistingResponse extends ResponseValues {
  id: string;
}

export function desiredResponse(
  answer: AttributedAnswer,
  source: string,
  ownerId: string | null
): ResponseValues {
  return {
    ownerId,
    sourceId: answer.sourceId,
    source,
    accountId: answer.accountId,
    contactId: answer.contactId,
    csmId: answer.csm,
    score: answer.score,
    respondedAt: answer.respondedAt,
    metric: answer.metric,
    comment: answer.comment
  };
}

/** The record to upsert (null clears a field). Followed_Up__c is the CSMs' and never touched. */
export function responseRecord(values: ResponseValues): Record<string, unknown> {
  return {
    Source_Id__c: values.sourceId,
    Source__c: values.source,
    Account__c: values.accountId,
    Contact__c: values.contactId,
    CSM__c: values.csmId,
    Score__c: values.score,
    Responded_At__c: new Date(values.respondedAt).toISOString(),
    Metric__c: values.metric,
    Comment__c: values.comment,
    ...(values.ownerId ? { OwnerId: values.ownerId } : {})
  };
}

export function existingFromRow(row: Row): ExistingResponse | null {
  const id = idOf(row, 'Id');
  const sourceId = text(row, 'Source_Id__c');
  const respondedAt = epochOf(row, 'Responded_At__c');
  const score = Number(row.get('score__c'));
  if (!id || !sourceId || respondedAt === null || !Number.isFinite(score)) return null;
  return {
    id,
    sourceId,
    source: text(row, 'Source__c') ?? '',
    accountId: idOf(row, 'Account__c'),
    contactId: idOf(row, 'Contact__c'),
    csmId: idOf(row, 'CSM__c'),
    score,
    respondedAt,
    metric: text(row, 'Metric__c') ?? '',
    comment: text(row, 'Comment__c'),
    ownerId: idOf(row, 'OwnerId')
  };
}

/**
 * What a response's values come to for comparison: source, account, contact and CSM (15-character Ids),
 * score, time to the second (an org may keep whole seconds only), metric and comment — all but the owner,
 * which ExistingResponses.same compares apart (only when the sync sets one).
 */
export function responseFingerprint(v: ResponseValues): number {
  return fingerprint(
    [
      v.source,
      (v.accountId ?? '').slice(0, 15),
      (v.contactId ?? '').slice(0, 15),
      (v.csmId ?? '').slice(0, 15),
      v.score,
      Math.floor(v.respondedAt / 1000),
      v.metric,
      v.comment ?? ''
    ].join('\u0000')
  );
}

/**
 * The responses the org holds for the answers of a run, kept small: for an answer of the table, a
 * 52-bit fingerprint of its values, its time and its owner (~20 bytes); for a response of no answer of
 * the table (its source record is gone or rejected, or — a full run — not in the source any more), what
 * its deletion needs.
 */
export class ExistingResponses {
  private present: Uint8Array;
  private prints: Float64Array;
  private times: Float64Array;
  private owners: Int32Array;
  /** Responses whose source id is not an answer of this run. */
  readonly others: { id: string; sourceId: string; respondedAt: number }[] = [];

  constructor(
    private readonly table: AnswerTable,
    private readonly keepOther: (sourceId: string) => boolean,
    private readonly sourceIdPrefix?: string
  ) {
    this.present = new Uint8Array(table.length);
    this.prints = new Float64Array(table.length);
    this.times = new Float64Array(table.length);
    this.owners = new Int32Array(table.length);
  }

  addRows(rows: Row[]): void {
    for (const row of rows) {
      const existing = existingFromRow(row);
      if (!existing || (this.sourceIdPrefix && !existing.sourceId.startsWith(this.sourceIdPrefix))) continue;
      const i = this.table.indexOf(existing.sourceId);
      if (i < 0) {
        if (this.keepOther(existing.sourceId))
          this.others.push({
            id: existing.id,
            sourceId: existing.sourceId,
            respondedAt: existing.respondedAt
          });
        continue;
      }
      this.present[i] = 1;
      this.prints[i] = responseFingerprint(existing);
      this.times[i] = existing.respondedAt;
      this.owners[i] = this.table.users.add(existing.ownerId ? existing.ownerId.slice(0, 15) : null);
    }
  }

  has(i: number): boolean {
    return this.present[i] === 1;
  }

  /** Whether the org's response for answer i already holds `values` (the owner only when `values` sets one). */
  same(i: number, values: ResponseValues, print: number): boolean {
    if (this.present[i] !== 1 || this.prints[i] !== print) return false;
    if (values.ownerId === null) return true;
    return this.table.users.value(this.owners[i] as number) === values.ownerId.slice(0, 15);
  }

  respondedAt(i: number): number {
    return this.times[i] as number;
  }
}

/** Source ids per query: an IN list of quoted text values, kept under ~11,000 URL-encoded characters. */
const IN_LIST_BUDGET = 11_000;

/**
 * The queries that read the org's responses for a run: by Source_Id__c lists for a few answers; every
 * response of the source on a full run, or when the answers are too many for lists (the rows of other
 * answers are passed over).
 */
export function existingQueries(
  table: AnswerTable,
  removed: ReadonlySet<string>,
  request: { allOfSource: string | null; source: string; sourceIdPrefix?: string },
  into: ExistingResponses
): QueryItem[] {
  const addRows = (rows: Row[]) => into.addRows(rows);
  const count = table.length + removed.size;
  if (request.allOfSource !== null || count > 6000) {
    return [
      {
        soql: `SELECT ${FIELDS} FROM ${RESPONSE_OBJECT} WHERE Source__c = ${soqlString(request.allOfSource ?? request.source)}`,
        onPage: addRows
      }
    ];
  }
  const items: QueryItem[] = [];
  let list: string[] = [];
  let size = 0;
  const flush = () => {
    if (list.length === 0) return;
    items.push({
      soql: `SELECT ${FIELDS} FROM ${RESPONSE_OBJECT} WHERE Source_Id__c IN (${list.join(',')})`,
      onPage: addRows
    });
    list = [];
    size = 0;
  };
  const add = (sourceId: string) => {
    const literal = soqlString(sourceId);
    const encoded = encodeURIComponent(literal).length + 3;
    if (size + encoded > IN_LIST_BUDGET) flush();
    list.push(literal);
    size += encoded;
  };
  for (let i = 0; i < table.length; i++) add(table.sourceId(i));
  for (const sourceId of removed) if (table.indexOf(sourceId) < 0) add(sourceId);
  flush();
  return items;
}

export const RESPONSE_COLUMNS = [
  'Source_Id__c',
  'Source__c',
  'Account__c',
  'Contact__c',
  'CSM__c',
  'Score__c',
  'Responded_At__c',
  'Metric__c',
  'Comment__c',
  'OwnerId'
];

/**
 * The responses to write: in memory while they are few, in a CSV spool on disk (for a Bulk API 2.0
 * ingest job) from `spoolAt` on, so that a first sync of a million answers never holds them.
 */
export class ResponseSink {
  records: Record<string, unknown>[] = [];
  spool: CsvSpool | null = null;
  count = 0;

  constructor(
    private readonly api: OrgApi,
    private readonly spoolAt: number
  ) {}

  add(record: Record<string, unknown>): void {
    this.count++;
    if (this.spool) {
      this.spool.add(record);
      return;
    }
    this.records.push(record);
    if (this.records.length >= this.spoolAt) {
      this.spool = this.api.spool(RESPONSE_COLUMNS);
      for (const r of this.records) this.spool.add(r);
      this.records = [];
    }
  }

  close(): void {
    this.spool?.close();
  }

  remove(): void {
    this.spool?.remove();
  }
}
