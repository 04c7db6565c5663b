// Which CSM each answer belongs to (DESIGN.md § CSM attribution): the account's CSM field as it stood
// when the customer answered, rebuilt by the core's OwnershipTimeline from AccountHistory. History and
// current values are read in bulk for all the accounts of a run, never a query per account.
//
// A fallback is an answer credited to the current value without proof that it was the value then: the
// account has no change of the field in its history and no "created" history row either (Salesforce
// deletes field history after 18 months, so the creation row is what shows the history is complete).

import { OwnershipTimeline, type OwnershipChange } from 'c/npsCore';
import { epochOf, fetchByIds, idOf, text } from './lookups';
import type { OrgApi } from './orgApi';
import { soqlString } from './soql';
import type { SourceAnswer } from './sources/types';

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
  answers: AttributedAnswer[];
  /** Answers credited to the current CSM because the account's history could not prove the past value. */
  fallbacks: number;
  fallbackAccounts: number;
  /** Whether the accounts' current CSMs are active users (read with the accounts), by 15-character Id. */
  activeByUser: Map<string, boolean>;
}

/**
 * `noCsm`: owners that stand for "no CSM" (the sync's own user, configured placeholders): their
 * accounts' answers go to Unassigned, as DESIGN.md says for an account without a CSM.
 */
export async function attributeAnswers(
  api: OrgApi,
  answers: SourceAnswer[],
  field: CsmField,
  noCsm: ReadonlySet<string>,
  onProgress: (done: number) => void
): Promise<AttributionResult> {
  const accountIds = new Set(
    answers.filter((a) => a.csmId === undefined && a.accountId).map((a) => a.accountId as string)
  );

  const changes = new Map<string, OwnershipChange[]>();
  const hasCreatedRow = new Set<string>();
  if (accountIds.size > 0) {
    await fetchByIds(
      api,
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
            hasCreatedRow.add(account);
            continue;
          }
          const list = changes.get(account) ?? [];
          list.push({
            at: epochOf(row, 'CreatedDate') ?? 0,
            oldValue: idOf(row, 'OldValue'),
            newValue: idOf(row, 'NewValue')
          });
          changes.set(account, list);
        }
      }
    );
  }
  onProgress(Math.floor(answers.length / 2));
  const current = new Map<string, string | null>();
  const activeByUser = new Map<string, boolean>();
  await fetchByIds(
    api,
    {
      select: `Id, ${field.accountField}, ${field.relationship}.IsActive`,
      from: 'Account',
      idField: 'Id',
      ids: accountIds
    },
    (rows) => {
      for (const row of rows) {
        const csm = idOf(row, field.accountField);
        current.set((idOf(row, 'Id') as string).slice(0, 15), csm);
        if (csm)
          activeByUser.set(
            csm.slice(0, 15),
            String(row.get(`${field.relationship}.isactive`.toLowerCase())) === 'true'
          );
      }
    }
  );

  const timelines = new Map<string, OwnershipTimeline>();
  const fallbackAccounts = new Set<string>();
  let fallbacks = 0;
  const out: AttributedAnswer[] = answers.map((answer) => {
    if (answer.csmId !== undefined) return { ...answer, csm: answer.csmId };
    if (!answer.accountId) return { ...answer, csm: null };
    const account = answer.accountId.slice(0, 15);
    if (!current.has(account)) return { ...answer, csm: null }; // the account is gone, or not visible to the sync user
    let timeline = timelines.get(account);
    if (!timeline) {
      timeline = new OwnershipTimeline(changes.get(account) ?? [], current.get(account) ?? null);
      timelines.set(account, timeline);
    }
    const attribution = timeline.csmAt(answer.respondedAt);
    if (attribution.basis === 'current' && !hasCreatedRow.has(account)) {
      fallbacks++;
      fallbackAccounts.add(account);
    }
    const csm = attribution.csm !== null && noCsm.has(attribution.csm.slice(0, 15)) ? null : attribution.csm;
    return { ...answer, csm };
  });
  onProgress(answers.length);
  return { answers: out, fallbacks, fallbackAccounts: fallbackAccounts.size, activeByUser };
}
