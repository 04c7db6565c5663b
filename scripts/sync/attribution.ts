// Which CSM each answer belongs to (DESIGN.md § CSM attribution): the account's CSM field as it stood
// when the customer answered, rebuilt by the core's OwnershipTimeline from AccountHistory. History and
// current values are read in bulk for all the accounts of a run, never a query per account (and in the
// same composite requests as the sync's other independent reads).
//
// A fallback is an answer credited to the current value without proof that it was the value then: the
// account has no change of the field in its history and no "created" history row either (Salesforce
// deletes field history after 18 months, so the creation row is what shows the history is complete).

import { OwnershipTimeline, type OwnershipChange } from 'c/npsCore';
import { epochOf, fetchByIdsItems, idOf, text } from './lookups';
import type { QueryItem } from './orgApi';
import { soqlString } from './soql';
import type { AnswerTable, SourceAnswer } from './sources/types';

export interface CsmField {
  /** The Account field holding the CSM: OwnerId or a custom User lookup. */
  accountField: string;
  /** AccountHistory.Field for it: 'Owner' for OwnerId, else the field's API name. */
  historyField: string;
  /** Its relationship name ('Owner', 'CSM__r'), to read whether the user is active with the account. */
  relationship: string;
}

/** From NPS_Setting__mdt.CSM_Field__c ("Owner", "OwnerId" or a custom lookup such as "CSM__c"). */
export function csmFieldOf(setting: string | null | undefined): CsmField {
  const value = (setting ?? '').trim();
  if (value === '' || /^owner(id)?$/i.test(value))
    return { accountField: 'OwnerId', historyField: 'Owner', relationship: 'Owner' };
  return { accountField: value, historyField: value, relationship: value.replace(/__c$/i, '__r') };
}

export interface AttributedAnswer extends SourceAnswer {
  /** The CSM's User Id; null for Unassigned. */
  csm: string | null;
}

export interface AttributionResult {
  /** The CSM of answer i as an index into the table's users (-1: Unassigned). */
  csm: Int32Array;
  /** Answers credited to the current CSM because the account's history could not prove the past value. */
  fallbacks: number;
  fallbackAccounts: number;
  /** Whether the accounts' current CSMs are active users (read with the accounts), by 15-character Id. */
  activeByUser: Map<string, boolean>;
}

/** What the attribution reads: the CSM field's history and current value of every account answered about. */
export class AttributionData {
  readonly changes = new Map<string, OwnershipChange[]>();
  readonly hasCreatedRow = new Set<string>();
  readonly current = new Map<string, string | null>();
  readonly activeByUser = new Map<string, boolean>();
}

/**
 * The queries that read the attribution data for the answers of a table (AccountHistory and Account,
 * by Id lists or in full), to be sent with other independent queries in few composite requests.
 */
export function attributionQueries(table: AnswerTable, field: CsmField, data: AttributionData): QueryItem[] {
  const accountIds = new Set<string>();
  for (let i = 0; i < table.length; i++) {
    if (table.hasCsm(i)) continue;
    const account = table.accountId(i);
    if (account) accountIds.add(account);
  }
  if (accountIds.size === 0) return [];
  const history = fetchByIdsItems(
    {
      select: 'AccountId, Field, DataType, OldValue, NewValue, CreatedDate',
      from: 'AccountHistory',
      idField: 'AccountId',
      ids: accountIds,
      where: `((Field = ${soqlString(field.historyField)} AND DataType = 'EntityId') OR Field = 'created')`,
      orderBy: 'AccountId, CreatedDate, Id'
    },
    (rows) => {
      for (const row of rows) {
        const account = (idOf(row, 'AccountId') as string).slice(0, 15);
        if (text(row, 'Field') === 'created') {
          data.hasCreatedRow.add(account);
          continue;
        }
        const list = data.changes.get(account) ?? [];
        list.push({
          at: epochOf(row, 'CreatedDate') ?? 0,
          oldValue: idOf(row, 'OldValue'),
          newValue: idOf(row, 'NewValue')
        });
        data.changes.set(account, list);
      }
    }
  );
  const accounts = fetchByIdsItems(
    {
      select: `Id, ${field.accountField}, ${field.relationship}.IsActive`,
      from: 'Account',
      idField: 'Id',
      ids: accountIds
    },
    (rows) => {
      for (const row of rows) {
        const csm = idOf(row, field.accountField);
        data.current.set((idOf(row, 'Id') as string).slice(0, 15), csm);
        if (csm)
          data.activeByUser.set(
            csm.slice(0, 15),
            String(row.get(`${field.relationship}.isactive`.toLowerCase())) === 'true'
          );
      }
    }
  );
  return [...history, ...accounts];
}

/**
 * `noCsm`: owners that stand for "no CSM" (the sync's own user, configured placeholders): their
 * accounts' answers go to Unassigned, as DESIGN.md says for an account without a CSM.
 */
export function attribute(
  table: AnswerTable,
  data: AttributionData,
  noCsm: ReadonlySet<string>,
  onProgress: (done: number) => void
): AttributionResult {
  const timelines = new Map<string, OwnershipTimeline>();
  const fallbackAccounts = new Set<string>();
  let fallbacks = 0;
  const csm = new Int32Array(table.length);
  for (let i = 0; i < table.length; i++) {
    if (table.hasCsm(i)) {
      csm[i] = table.users.add(table.get(i).csmId ?? null);
      continue;
    }
    const accountId = table.accountId(i);
    csm[i] = -1;
    if (!accountId) continue;
    const account = accountId.slice(0, 15);
    if (!data.current.has(account)) continue; // the account is gone, or not visible to the sync user
    let timeline = timelines.get(account);
    if (!timeline) {
      timeline = new OwnershipTimeline(data.changes.get(account) ?? [], data.current.get(account) ?? null);
      timelines.set(account, timeline);
    }
    const attribution = timeline.csmAt(table.respondedAtOf(i));
    if (attribution.basis === 'current' && !data.hasCreatedRow.has(account)) {
      fallbacks++;
      fallbackAccounts.add(account);
    }
    const who = attribution.csm !== null && noCsm.has(attribution.csm.slice(0, 15)) ? null : attribution.csm;
    csm[i] = table.users.add(who);
    if (i % 100_000 === 0) onProgress(i);
  }
  onProgress(table.length);
  return { csm, fallbacks, fallbackAccounts: fallbackAccounts.size, activeByUser: data.activeByUser };
}
