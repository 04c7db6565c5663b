// The obvious script (issue 8): what a Salesforce developer writes first to do what `csm-nps sync` does,
// so that the benchmark can measure the sync against it on the same org in the same run. It is
// deliberately plain: jsforce `query` with autoFetch for every object (REST pages of 2,000 rows, all
// records in memory), sObject Collections upserts of 200 records a call, and an in-memory group-by.
// It computes the same numbers as the sync — the figures come from the same core, c/npsCore, and the
// records are shaped by the sync's own mapping functions — so that the two orgs can be compared after.
//
// Not part of the product: run by scripts/bench/syncBench.ts only, with SF_LOGIN_URL, SF_USERNAME and
// SF_PASSWORD of the local org in the environment.

import { Connection } from 'jsforce';
import {
  checkNumericScore,
  computeGroupResults,
  LocalDayResolver,
  NpsAggregator,
  OwnershipTimeline,
  resolveSettings,
  UNASSIGNED,
  type OwnershipChange
} from 'c/npsCore';
import { configSchema } from '../sync/config';
import { DEFAULT_API_VERSION } from '../sync/connect';
import { desiredResponse, RESPONSE_OBJECT, responseRecord } from '../sync/responses';
import {
  PERIOD_KINDS,
  periodOptionsOf,
  SNAPSHOT_OBJECT,
  snapshotOf,
  snapshotRecord,
  type OrgCalendar
} from '../sync/snapshots';
import { metricOf, SURVEYS_SOURCE } from '../sync/sources/surveys';

// jsforce returns nested records typed as `any` by default: each query below says what it reads.
interface SurveyAnswerRecord {
  Id: string;
  NumberValue: number | null;
  QuestionId: string | null;
  Question: { DeveloperName: string | null } | null;
  ResponseId: string | null;
  InvitationId: string | null;
  Response: {
    Status: string | null;
    CompletionDateTime: string | null;
    SubmitterId: string | null;
    InvitationId: string | null;
  } | null;
  Invitation: { ParticipantId: string | null; Contact: { AccountId: string | null } | null } | null;
}

const id15 = (id: string | null | undefined): string | null => (id ? id.slice(0, 15) : null);

async function queryAll<T>(conn: Connection, soql: string): Promise<T[]> {
  const result = await conn.query<T & Record<string, unknown>>(soql, {
    autoFetch: true,
    maxFetch: 100_000_000
  });
  return result.records as T[];
}

async function upsertInChunks(
  conn: Connection,
  objectName: string,
  externalId: string,
  records: Record<string, unknown>[]
): Promise<number> {
  let failed = 0;
  for (let i = 0; i < records.length; i += 200) {
    const results = await conn.upsert(objectName, records.slice(i, i + 200), externalId, {
      allOrNone: false
    });
    failed += (Array.isArray(results) ? results : [results]).filter((r) => !r.success).length;
  }
  return failed;
}

async function main(): Promise<void> {
  const env = process.env;
  const conn = new Connection({ loginUrl: env.SF_LOGIN_URL, version: DEFAULT_API_VERSION });
  const login = await conn.login(env.SF_USERNAME ?? '', env.SF_PASSWORD ?? '');
  const syncUser = login.id;

  const [org] = await queryAll<{
    TimeZoneSidKey: string;
    FiscalYearStartMonth: number;
    UsesStartDateAsFiscalYearName: boolean;
  }>(conn, 'SELECT TimeZoneSidKey, FiscalYearStartMonth, UsesStartDateAsFiscalYearName FROM Organization');
  const calendar: OrgCalendar = {
    timeZone: org?.TimeZoneSidKey ?? 'UTC',
    fiscalStartMonth: org?.FiscalYearStartMonth ?? 1,
    fiscalYearName: org?.UsesStartDateAsFiscalYearName ? 'start' : 'end'
  };
  const [setting] = await queryAll<Record<string, number | null>>(
    conn,
    "SELECT Improvement_Target__c, NPS_Floor__c, Min_Responses__c, Confidence_Level__c, Prior_Strength__c FROM NPS_Setting__mdt WHERE DeveloperName = 'Default'"
  );
  const settings = resolveSettings({
    improvementTarget: setting?.Improvement_Target__c ?? undefined,
    floor: setting?.NPS_Floor__c ?? undefined,
    minResponses: setting?.Min_Responses__c ?? undefined,
    confidence: setting?.Confidence_Level__c ?? undefined,
    priorStrength: setting?.Prior_Strength__c ?? undefined
  });
  const surveysConfig = configSchema.parse({}).surveys;

  // Everything, with autoFetch.
  const answers = await queryAll<SurveyAnswerRecord>(
    conn,
    "SELECT Id, NumberValue, QuestionId, Question.DeveloperName, ResponseId, InvitationId, Response.Status, Response.CompletionDateTime, Response.SubmitterId, Response.InvitationId, Invitation.ParticipantId, Invitation.Contact.AccountId FROM SurveyQuestionResponse WHERE Question.QuestionType = 'NPS'"
  );
  const subjects = new Map<string, string>();
  for (const s of await queryAll<{ ParentId: string; SubjectId: string }>(
    conn,
    "SELECT ParentId, SubjectId FROM SurveySubject WHERE SubjectEntityType = 'Account' ORDER BY CreatedDate, Id"
  ))
    subjects.set(s.ParentId.slice(0, 15), s.SubjectId);
  // The comments: free-text answers of the same survey responses.
  const comments = new Map<string, string>();
  for (const c of await queryAll<{ ResponseId: string; ResponseValue: string | null }>(
    conn,
    "SELECT ResponseId, ResponseValue FROM SurveyQuestionResponse WHERE Question.QuestionType = 'FreeText'"
  )) {
    if (!c.ResponseValue || c.ResponseValue.trim() === '') continue;
    const key = c.ResponseId.slice(0, 15);
    const before = comments.get(key);
    comments.set(key, before === undefined ? c.ResponseValue : `${before}\n\n${c.ResponseValue}`);
  }
  const contacts = new Map<string, string | null>();
  for (const c of await queryAll<{ Id: string; AccountId: string | null }>(
    conn,
    'SELECT Id, AccountId FROM Contact'
  ))
    contacts.set(c.Id.slice(0, 15), c.AccountId);
  const history = new Map<string, OwnershipChange[]>();
  for (const h of await queryAll<{
    AccountId: string;
    OldValue: string | null;
    NewValue: string | null;
    CreatedDate: string;
  }>(
    conn,
    "SELECT AccountId, OldValue, NewValue, CreatedDate FROM AccountHistory WHERE Field = 'Owner' AND DataType = 'EntityId' ORDER BY AccountId, CreatedDate, Id"
  )) {
    const list = history.get(h.AccountId.slice(0, 15)) ?? [];
    list.push({ at: Date.parse(h.CreatedDate), oldValue: h.OldValue, newValue: h.NewValue });
    history.set(h.AccountId.slice(0, 15), list);
  }
  const owners = new Map<string, { ownerId: string; active: boolean }>();
  for (const a of await queryAll<{ Id: string; OwnerId: string; Owner: { IsActive: boolean } | null }>(
    conn,
    'SELECT Id, OwnerId, Owner.IsActive FROM Account'
  ))
    owners.set(a.Id.slice(0, 15), { ownerId: a.OwnerId, active: a.Owner?.IsActive === true });
  const activeUsers = new Set(
    (await queryAll<{ Id: string }>(conn, 'SELECT Id FROM User WHERE IsActive = true')).map((u) =>
      u.Id.slice(0, 15)
    )
  );

  // In memory: one record per answer, and a group-by per period type.
  const resolver = new LocalDayResolver(calendar.timeZone);
  const aggregators = PERIOD_KINDS.map((kind) => ({
    kind,
    aggregator: new NpsAggregator(periodOptionsOf(calendar, kind.type))
  }));
  const responses: Record<string, unknown>[] = [];
  for (const a of answers) {
    const completedAt = a.Response?.CompletionDateTime ? Date.parse(a.Response.CompletionDateTime) : null;
    const status = a.Response?.Status ?? null;
    if (completedAt === null || (status !== null && status !== 'Completed')) continue;
    const score = checkNumericScore(a.NumberValue);
    if (!score.ok) continue;
    const participant = a.Invitation?.ParticipantId ?? a.Response?.SubmitterId ?? null;
    const contactId = participant && participant.startsWith('003') ? participant : null;
    const invitation = id15(a.InvitationId ?? a.Response?.InvitationId);
    let accountId =
      subjects.get(id15(a.ResponseId) ?? '') ??
      subjects.get(invitation ?? '') ??
      a.Invitation?.Contact?.AccountId ??
      null;
    if (accountId === null && contactId !== null) accountId = contacts.get(contactId.slice(0, 15)) ?? null;
    let csm: string | null = null;
    const account = id15(accountId);
    const owner = account ? owners.get(account) : undefined;
    if (account && owner) {
      csm = new OwnershipTimeline(history.get(account) ?? [], owner.ownerId).csmAt(completedAt).csm;
      if (csm && csm.slice(0, 15) === syncUser.slice(0, 15)) csm = null;
    }
    const metric = metricOf(surveysConfig, a.Question?.DeveloperName ?? null, a.QuestionId);
    const ownerId = csm && activeUsers.has(csm.slice(0, 15)) ? csm : syncUser;
    responses.push(
      responseRecord(
        desiredResponse(
          {
            sourceId: a.Id,
            modstamp: null,
            score: score.score,
            respondedAt: completedAt,
            accountId,
            contactId,
            comment: comments.get(id15(a.ResponseId) ?? '') ?? null,
            metric,
            csm
          },
          SURVEYS_SOURCE,
          ownerId
        )
      )
    );
    const day = resolver.dayOf(completedAt);
    for (const { aggregator } of aggregators) aggregator.add(csm ?? UNASSIGNED, metric, day, score.score);
  }
  const failedResponses = await upsertInChunks(conn, RESPONSE_OBJECT, 'Source_Id__c', responses);

  const snapshots: Record<string, unknown>[] = [];
  for (const { kind, aggregator } of aggregators) {
    for (const result of computeGroupResults(aggregator, settings)) {
      const snapshot = snapshotOf(result, kind.picklist);
      const csmId = snapshot.csmId;
      snapshots.push(
        snapshotRecord(snapshot, csmId && activeUsers.has(csmId.slice(0, 15)) ? csmId : syncUser)
      );
    }
  }
  const failedSnapshots = await upsertInChunks(conn, SNAPSHOT_OBJECT, 'Key__c', snapshots);
  process.stdout.write(
    `${JSON.stringify({ answers: answers.length, responses: responses.length, snapshots: snapshots.length, failedResponses, failedSnapshots })}\n`
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `obvious script failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
  );
  process.exitCode = 1;
});
