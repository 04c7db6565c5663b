// NPS_Response__c: what the org should hold for each answer, what it holds now, and the difference.
// Comparing with the org first makes a re-run write nothing that is already there (idempotent), and
// gives the old values of a changed or deleted response, whose months need their snapshots recomputed.

import { epochOf, idOf, text } from './lookups';
import type { OrgApi, Row } from './orgApi';
import { soqlString, soqlStringList } from './soql';
import type { AttributedAnswer } from './attribution';

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

function same15(a: string | null, b: string | null): boolean {
  return (a ?? '').slice(0, 15) === (b ?? '').slice(0, 15);
}

/** Whether `a` (in the org) already holds `b` (wanted). */
export function sameResponse(a: ResponseValues, b: ResponseValues): boolean {
  return (
    a.source === b.source &&
    same15(a.accountId, b.accountId) &&
    same15(a.contactId, b.contactId) &&
    same15(a.csmId, b.csmId) &&
    a.score === b.score &&
    // DateTime fields keep milliseconds in the API but an org may keep whole seconds only.
    Math.floor(a.respondedAt / 1000) === Math.floor(b.respondedAt / 1000) &&
    a.metric === b.metric &&
    (a.comment ?? '') === (b.comment ?? '') &&
    (b.ownerId === null || same15(a.ownerId, b.ownerId))
  );
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
 * The responses in the org for these source ids, or — `allOfSource` — every response of the source
 * (a full run, which also finds responses whose source record is gone).
 */
export async function fetchExistingResponses(
  api: OrgApi,
  request: { sourceIds: Iterable<string>; allOfSource: string | null; sourceIdPrefix?: string }
): Promise<Map<string, ExistingResponse>> {
  const out = new Map<string, ExistingResponse>();
  const keep = (rows: Row[]) => {
    for (const row of rows) {
      const existing = existingFromRow(row);
      if (existing && (!request.sourceIdPrefix || existing.sourceId.startsWith(request.sourceIdPrefix)))
        out.set(existing.sourceId, existing);
    }
  };
  if (request.allOfSource !== null) {
    await api.query(
      `SELECT ${FIELDS} FROM ${RESPONSE_OBJECT} WHERE Source__c = ${soqlString(request.allOfSource)}`,
      keep
    );
    return out;
  }
  const ids = [...new Set(request.sourceIds)];
  // Source ids are text (not Ids): IN lists of 200 quoted values.
  for (let i = 0; i < ids.length; i += 200) {
    await api.query(
      `SELECT ${FIELDS} FROM ${RESPONSE_OBJECT} WHERE Source_Id__c IN (${soqlStringList(ids.slice(i, i + 200))})`,
      keep
    );
  }
  return out;
}
