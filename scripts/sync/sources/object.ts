// Source "object": any object with one answer per record (survey tools such as Qualtrics, Delighted,
// Medallia or Gainsight land their answers in custom objects). The field mapping comes from the config
// and every field is checked against the object's describe before a query is built.

import { checkNumericScore, instantOfLocalNoon, parseRespondedAt, type LocalDayResolver } from 'c/npsCore';
import { canonicalMetric } from '../../csv/responsesCsv';
import { METRICS, type ObjectSourceConfig } from '../config';
import { fitComment, unstorableSourceId, unstorableTime } from '../limits';
import { epochOf, fetchByIds, idOf, text } from '../lookups';
import type { OrgApi, Row } from '../orgApi';
import { checkFieldPath, describedObject, soqlDateTime, type DescribedObject } from '../soql';
import {
  newExtract,
  BoundaryTracker,
  boundaryKey,
  type Extract,
  type ExtractWindow,
  type Metric,
  type SourceAnswer
} from './types';

export interface ObjectMapping {
  object: string;
  id: string;
  score: string;
  respondedAt: string;
  respondedAtType: string;
  account?: string;
  contact?: string;
  comment?: string;
  metric?: string;
}

/** Checks every mapped field against describe (one call, plus one per lookup hop); returns exact API names. */
export async function resolveObjectMapping(api: OrgApi, config: ObjectSourceConfig): Promise<ObjectMapping> {
  const cache = new Map<string, Promise<DescribedObject>>();
  const describe = (name: string): Promise<DescribedObject> => {
    let found = cache.get(name.toLowerCase());
    if (!found) {
      found = api.describe(name).then(describedObject);
      cache.set(name.toLowerCase(), found);
    }
    return found;
  };
  const object = await describe(config.name);
  const f = config.fields;
  const check = (path: string, key: string, types?: readonly string[]) =>
    checkFieldPath(object, path, `object.fields.${key}`, describe, types);
  const id = await check(f.id, 'id', ['id', 'string', 'reference', 'email', 'url', 'int', 'double']);
  const score = await check(f.score, 'score', ['double', 'int', 'percent', 'currency', 'string', 'picklist']);
  const respondedAt = await check(f.respondedAt, 'respondedAt', ['datetime', 'date', 'string']);
  const mapping: ObjectMapping = {
    object: object.name,
    id: id.path,
    score: score.path,
    respondedAt: respondedAt.path,
    respondedAtType: respondedAt.type
  };
  if (f.account) mapping.account = (await check(f.account, 'account', ['reference', 'id', 'string'])).path;
  if (f.contact) mapping.contact = (await check(f.contact, 'contact', ['reference', 'id', 'string'])).path;
  if (f.comment)
    mapping.comment = (await check(f.comment, 'comment', ['string', 'textarea', 'picklist'])).path;
  if (f.metric) mapping.metric = (await check(f.metric, 'metric', ['picklist', 'string'])).path;
  return mapping;
}

export function objectQuery(mapping: ObjectMapping, since: number | null): string {
  const fields = new Set(['Id', 'SystemModstamp', mapping.id, mapping.score, mapping.respondedAt]);
  for (const extra of [mapping.account, mapping.contact, mapping.comment, mapping.metric])
    if (extra) fields.add(extra);
  const where = since === null ? '' : ` WHERE SystemModstamp >= ${soqlDateTime(since)}`;
  return `SELECT ${[...fields].join(', ')} FROM ${mapping.object}${where}`;
}

export async function extractObject(
  api: OrgApi,
  config: ObjectSourceConfig,
  mapping: ObjectMapping,
  resolver: LocalDayResolver,
  window: ExtractWindow,
  onProgress: (read: number) => void,
  /** Why a time cannot be stored (the sync passes the org calendar's check: storableTimeCheck). */
  timeProblemOf: (epochMs: number) => string | null = unstorableTime
): Promise<Extract> {
  const extract = newExtract();
  const tracker = new BoundaryTracker();
  const byId = new Map<string, { recordId: string; answer: SourceAnswer }>();
  const reject = (sourceId: string, reason: string) => {
    extract.rejected.push({ sourceId, reason });
    extract.rejectedSourceIds.push(sourceId);
  };
  await api.query(objectQuery(mapping, window.since), (rows: Row[]) => {
    for (const row of rows) {
      const recordId = idOf(row, 'Id') as string;
      const modstamp = epochOf(row, 'SystemModstamp') ?? 0;
      tracker.see(recordId, modstamp);
      if (window.boundary.has(boundaryKey(recordId, modstamp))) continue; // loaded by the previous run, unchanged
      extract.read++;
      const sourceId = text(row, mapping.id);
      if (sourceId === null || sourceId.trim() === '') {
        extract.rejected.push({
          sourceId: recordId,
          reason: `${mapping.id} is empty: every answer needs an id`
        });
        continue;
      }
      const idProblem = unstorableSourceId(sourceId);
      if (idProblem) {
        extract.rejected.push({ sourceId: recordId, reason: `${mapping.id}: ${idProblem}` });
        continue;
      }
      const score = checkNumericScore(row.get(mapping.score.toLowerCase()) ?? null);
      if (!score.ok) {
        reject(sourceId, `${mapping.score}: ${score.reason}`);
        continue;
      }
      const at = parseRespondedAt(text(row, mapping.respondedAt));
      if (!at.ok) {
        reject(sourceId, `${mapping.respondedAt}: ${at.reason}`);
        continue;
      }
      const respondedAt = at.kind === 'instant' ? at.epochMs : instantOfLocalNoon(at.day, resolver);
      const timeProblem = timeProblemOf(respondedAt);
      if (timeProblem) {
        reject(
          sourceId,
          `${mapping.respondedAt}: "${(text(row, mapping.respondedAt) ?? '').slice(0, 40)}" ${timeProblem}`
        );
        continue;
      }
      let metric: Metric = config.defaultMetric;
      if (mapping.metric) {
        const named = text(row, mapping.metric);
        if (named !== null) {
          const canonical = canonicalMetric(named);
          if (!(METRICS as readonly string[]).includes(canonical)) {
            reject(
              sourceId,
              `${mapping.metric}: metric "${named.slice(0, 40)}" is not ${METRICS.map((m) => `"${m}"`).join(' or ')}`
            );
            continue;
          }
          metric = canonical as Metric;
        }
      }
      const answer: SourceAnswer = {
        sourceId,
        modstamp,
        score: score.score,
        respondedAt,
        accountId: mapping.account ? idOf(row, mapping.account) : null,
        contactId: mapping.contact ? idOf(row, mapping.contact) : null,
        comment: mapping.comment
          ? fitComment(
              text(row, mapping.comment),
              `${mapping.object} ${recordId} (${mapping.id} "${sourceId.slice(0, 40)}")`,
              extract.warnings
            )
          : null,
        metric
      };
      // Two records with one id (a mapped id field that is not unique): one answer, the latest change.
      const twin = byId.get(sourceId);
      if (twin) {
        const keep =
          twin.answer.modstamp !== null &&
          (twin.answer.modstamp > modstamp || (twin.answer.modstamp === modstamp && twin.recordId > recordId))
            ? twin
            : { recordId, answer };
        const other = keep === twin ? recordId : twin.recordId;
        extract.warnings.push(
          `${mapping.object}: ${mapping.id} "${sourceId.slice(0, 60)}" is on records ${other} and ${keep.recordId}: the one changed last, ${keep.recordId}, is used`
        );
        byId.set(sourceId, keep);
      } else byId.set(sourceId, { recordId, answer });
    }
    onProgress(extract.read);
  });
  if (window.since !== null) {
    const deleted = await api.queryRows(
      `SELECT Id, SystemModstamp${mapping.id === 'Id' ? '' : `, ${mapping.id}`} FROM ${mapping.object} WHERE IsDeleted = true AND SystemModstamp >= ${soqlDateTime(window.since)}`,
      { all: true }
    );
    for (const row of deleted) {
      const recordId = idOf(row, 'Id') as string;
      const modstamp = epochOf(row, 'SystemModstamp') ?? 0;
      tracker.see(recordId, modstamp);
      const sourceId = text(row, mapping.id);
      if (sourceId !== null && !window.boundary.has(boundaryKey(recordId, modstamp)))
        extract.deletedSourceIds.push(sourceId);
    }
  }
  extract.maxModstamp = tracker.max;
  extract.boundary = tracker.boundary;
  for (const entry of byId.values()) extract.answers.add(entry.answer);
  byId.clear();

  // An answer with a contact but no account: the contact's account.
  const table = extract.answers;
  const contacts = new Set<string>();
  for (let i = 0; i < table.length; i++) {
    const contactId = table.contactId(i);
    if (table.accountId(i) === null && contactId !== null) contacts.add(contactId);
  }
  if (contacts.size > 0) {
    const accountOf = new Map<string, string | null>();
    await fetchByIds(
      api,
      { select: 'Id, AccountId', from: 'Contact', idField: 'Id', ids: contacts },
      (rows) => {
        for (const row of rows)
          accountOf.set((idOf(row, 'Id') as string).slice(0, 15), idOf(row, 'AccountId'));
      }
    );
    for (let i = 0; i < table.length; i++) {
      const contactId = table.contactId(i);
      if (table.accountId(i) === null && contactId !== null)
        table.setAccount(i, accountOf.get(contactId.slice(0, 15)) ?? null);
    }
  }
  return extract;
}
