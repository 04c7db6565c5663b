// The local org: a Salesforce REST API stand-in on 127.0.0.1 for tests and the demo. Test and demo
// infrastructure only — it never replaces a real org. See README.md beside this file.
//
//   const org = await startLocalOrg({ seed: 'demo' });
//   const conn = new jsforce.Connection({ loginUrl: org.loginUrl, version: org.apiVersion });
//   await conn.login(org.username, org.password);
//   …
//   await org.close();

import { randomBytes } from 'node:crypto';
import { AuthService } from './auth';
import { BulkService } from './bulk';
import { generateDemo, seedBaseOrg, type BaseOrg, type DemoSummary, type OrgProfile } from './demo';
import { FaultInjector, type FaultRule, type FaultSummary } from './faults';
import { findProjectRoot, defaultSourceDir } from '../metadata/paths';
import { buildSchema } from './metadata';
import { buildRecord, QueryEngine, type RestQueryResult } from './query';
import { type OrgSettings } from './rest';
import type { FieldDef, SObjectDef } from './schema';
import { LocalOrgServer } from './server';
import { Store, type Row } from './store';
import { toStoredDateTime } from './time';
import type { Stored } from './values';

export type { FaultRule, FaultSummary } from './faults';
export type { DemoSummary, DemoCsm, OrgProfile } from './demo';

export interface LocalOrgOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Demo data seed; omitted or null gives an org with only the integration user. */
  seed?: string | null;
  /** NPS answers (company and CSM questions) in completed demo survey responses: what a sync reads (default 8000; 1,000,000 for benchmarks). */
  responses?: number;
  /** SQLite file to keep the org in (reused when it exists); default: memory. */
  db?: string;
  /** Fault rules active from the start (see faults.ts and README.md). */
  faults?: FaultRule[];
  /** Metadata source folders; default: the project's force-app/main/default. */
  sourceDirs?: string[];
  /** More source folders (objects a test needs, e.g. a survey tool's custom object). */
  extraSourceDirs?: string[];
  /** Organization settings (default: America/New_York, fiscal year starting in February, named by its end). */
  org?: Partial<OrgProfile>;
  username?: string;
  /** Password of the integration user (default: random for a new database, kept in the database file). */
  password?: string;
  clientId?: string;
  clientSecret?: string;
  /** PEM public key for the OAuth 2.0 JWT bearer flow. */
  jwtPublicKey?: string | null;
  /** API version the printed URLs and the identity service use (any v20.0–v66.0 is served). */
  apiVersion?: string;
  /** DailyApiRequests allowance (default 100,000). */
  dailyApiLimit?: number;
  /** Records per Bulk API 2.0 results page when the client gives no maxRecords (default 100,000). */
  bulkQueryPageSize?: number;
  /** Keep Bulk query jobs InProgress this long before JobComplete (default 0). */
  bulkQueryLatencyMs?: number;
  /** Access token lifetime (default 2 hours). */
  sessionTtlMs?: number;
  /** End of the demo's 36-month window (default: the start of the current UTC day). */
  now?: Date;
  /** Keep AccountHistory this many months back (default: all). */
  historyMonths?: number | null;
  /** Unanswered invitations per completed response in the demo (default 0.5). */
  unansweredRatio?: number;
  /** A custom User lookup on Account that the demo fills like OwnerId, if the metadata defines it (default: CSM__c when present). */
  demoCsmField?: string | null;
  /** Where to write one line per request and server errors (never tokens or passwords). */
  log?: ((line: string) => void) | null;
}

export interface SurveyAnswerInput {
  accountId?: string | null;
  contactId?: string | null;
  completedAt: Date | string;
  /** Company NPS 0–10 (null: no answer to that question). Not validated: tests may store bad data on purpose. */
  score: number | null;
  csmScore?: number | null;
  comment?: string | null;
  status?: 'Completed' | 'Started';
  /** Add a SurveySubject linking the invitation to the account (default true when accountId is set). */
  withSubject?: boolean;
}

export interface SurveyAnswerIds {
  invitationId: string;
  responseId: string;
  companyAnswerId: string | null;
  csmAnswerId: string | null;
  commentAnswerId: string | null;
}

/** Hooks for tests and the torture suite: they act directly on the org and are never counted as API calls. */
export interface LocalOrgAdmin {
  /** DailyApiRequests used so far (what /limits reports). */
  apiRequests(): number;
  resetApiRequests(): void;
  addFault(rule: FaultRule): string;
  removeFault(id: string): boolean;
  clearFaults(): void;
  faults(): FaultSummary[];
  firedFaults(): { id: string; type: string; path?: string; recordId?: string | null }[];
  /** Ends every access token: the next API call gets 401 INVALID_SESSION_ID. */
  expireSessions(): void;
  /** A refresh token for the user (default: the integration user), as after the OAuth web flow. */
  issueRefreshToken(username?: string): string;
  /** A new access token for the user (default: the integration user). */
  newAccessToken(username?: string): string;
  /** Freezes the org's clock (CreatedDate of new records, field history, date literals); null: real time. */
  setClock(at: Date | null): void;
  now(): Date;
  /** Runs SOQL directly (all pages), as the integration user. */
  query(soql: string, options?: { all?: boolean }): RestQueryResult;
  /** Inserts records as a user would through the UI or a survey (read-only objects and audit fields allowed). Throws on the first failure. */
  insert(sobject: string, records: Record<string, unknown>[]): string[];
  update(sobject: string, records: (Record<string, unknown> & { Id: string })[]): void;
  /** Deletes records (to the recycle bin, with cascades). */
  delete(sobject: string, ids: string[]): void;
  /** One survey submission as Salesforce Surveys records it (invitation, response, answers, subject). */
  addSurveyResponse(input: SurveyAnswerInput): SurveyAnswerIds;
  /** Changes an account's owner at a moment in the past, with the AccountHistory rows Salesforce writes. */
  reassignAccount(accountId: string, ownerId: string, at: Date): void;
  /** Resolves when no Bulk API ingest job is being processed. */
  bulkIdle(): Promise<void>;
}

export interface LocalOrg {
  instanceUrl: string;
  loginUrl: string;
  /** A session of the integration user, valid for `sessionTtlMs`. */
  accessToken: string;
  username: string;
  password: string;
  /** Connected app credentials for the OAuth 2.0 flows. */
  clientId: string;
  clientSecret: string;
  organizationId: string;
  userId: string;
  apiVersion: string;
  demo: DemoSummary | null;
  /** Metadata the local org could not model (e.g. unsupported formulas). */
  warnings: string[];
  admin: LocalOrgAdmin;
  close(): Promise<void>;
}

const DEFAULT_PROFILE: OrgProfile = {
  name: 'Northwind (local demo org)',
  timeZoneSidKey: 'America/New_York',
  fiscalYearStartMonth: 2,
  usesStartDateAsFiscalYearName: false
};

function startOfUtcDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export async function startLocalOrg(options: LocalOrgOptions = {}): Promise<LocalOrg> {
  const apiVersion = options.apiVersion ?? '64.0';
  const sourceDirs = options.sourceDirs ?? [defaultSourceDir(findProjectRoot())];
  const schema = buildSchema({ sourceDirs: [...sourceDirs, ...(options.extraSourceDirs ?? [])] });
  const store = new Store(options.db ?? ':memory:', schema);
  try {
    return await open(store, options, apiVersion, schema.warnings);
  } catch (error) {
    store.close();
    throw error;
  }
}

async function open(
  store: Store,
  options: LocalOrgOptions,
  apiVersion: string,
  warnings: string[]
): Promise<LocalOrg> {
  const username = options.username ?? 'integration@csm-nps.localorg';
  const seed = options.seed ?? null;
  const responses = options.responses ?? 8000;
  const fresh = store.getMeta('base') === null;
  let base: BaseOrg;
  let demo: DemoSummary | null = null;
  if (fresh) {
    // A new database is written without a journal (it is thrown away if generation fails).
    store.db.pragma('journal_mode = OFF');
    store.db.pragma('synchronous = OFF');
    store.ensureTables();
    const profile = { ...DEFAULT_PROFILE, ...options.org };
    const nowMs = options.now ? options.now.getTime() : startOfUtcDay(Date.now());
    base = store.db.transaction(() => seedBaseOrg(store, profile, username, nowMs - 4 * 365 * 86_400_000))();
    if (seed !== null) {
      const accountCsm = store.object('Account')?.fieldIndex.get('csm__c');
      demo = generateDemo(store, base, {
        seed,
        responses,
        nowMs,
        historyMonths: options.historyMonths ?? null,
        unansweredRatio: options.unansweredRatio ?? 0.5,
        csmField:
          options.demoCsmField === undefined
            ? accountCsm && accountCsm.type === 'reference'
              ? accountCsm.name
              : null
            : options.demoCsmField
      });
    }
    store.ensureIndexes();
    store.setMeta('base', JSON.stringify(base));
    store.setMeta('seed', seed ?? '');
    store.setMeta('responses', String(seed === null ? 0 : responses));
    if (demo) store.setMeta('demo', JSON.stringify(demo));
    store.db.pragma('journal_mode = WAL');
    store.db.pragma('synchronous = NORMAL');
  } else {
    const storedSeed = store.getMeta('seed') ?? '';
    if (options.seed !== undefined && (seed ?? '') !== storedSeed) {
      throw new Error(
        `The database ${options.db ?? ''} holds an org generated with seed "${storedSeed}"; delete the file or start with --seed ${storedSeed || '(none)'}.`
      );
    }
    store.ensureTables();
    store.ensureIndexes();
    base = JSON.parse(store.getMeta('base') as string) as BaseOrg;
    const demoJson = store.getMeta('demo');
    demo = demoJson ? (JSON.parse(demoJson) as DemoSummary) : null;
    if (options.org) {
      const o = options.org;
      const changes: [string, Stored | undefined][] = [
        ['TimeZoneSidKey', o.timeZoneSidKey],
        ['FiscalYearStartMonth', o.fiscalYearStartMonth],
        [
          'UsesStartDateAsFiscalYearName',
          o.usesStartDateAsFiscalYearName === undefined ? undefined : o.usesStartDateAsFiscalYearName ? 1 : 0
        ],
        ['Name', o.name]
      ];
      const set = changes.filter((c): c is [string, Stored] => c[1] !== undefined);
      if (set.length)
        store.db
          .prepare(`UPDATE "sobj_Organization" SET ${set.map(([k]) => `"${k}" = ?`).join(', ')}`)
          .run(...set.map(([, v]) => v));
    }
  }
  loadCustomMetadataRecords(store, base);
  const password = options.password ?? store.getMeta('password') ?? randomBytes(15).toString('base64url');
  if (!store.getMeta('password') || options.password) store.setMeta('password', password);

  const orgSettings = (): OrgSettings => {
    const row = store.prepare<Row>('SELECT * FROM "sobj_Organization" LIMIT 1').get() as Row;
    return {
      organizationId: String(row.Id),
      timeZoneSidKey: String(row.TimeZoneSidKey),
      fiscalYearStartMonth: Number(row.FiscalYearStartMonth),
      usesStartDateAsFiscalYearName: row.UsesStartDateAsFiscalYearName === 1
    };
  };
  const clientId = options.clientId ?? 'localorg-connected-app';
  const clientSecret = options.clientSecret ?? 'localorg-connected-app-secret';
  const auth = new AuthService(store, base.organizationId, {
    clientId,
    clientSecret,
    jwtPublicKey: options.jwtPublicKey ?? null,
    clientCredentialsUserId: base.integrationUserId,
    sessionTtlMs: options.sessionTtlMs ?? 2 * 3600_000
  });
  auth.setPassword(username, password);
  const engine = new QueryEngine(store);
  const faults = new FaultInjector();
  for (const rule of options.faults ?? []) faults.add(rule);
  store.recordFaultHook = (object, operation, values, id) => faults.forRecord(object, operation, values, id);
  const usage = { used: 0, max: options.dailyApiLimit ?? 100_000 };
  let instanceUrl = '';
  const userTimeZone = (userId: string): string => {
    const row = store.findById(store.object('User') as SObjectDef, userId, true);
    return (row?.TimeZoneSidKey as string | undefined) ?? orgSettings().timeZoneSidKey;
  };
  const bulk = new BulkService(
    { store, engine, org: orgSettings, userTimeZone },
    {
      queryPageSize: options.bulkQueryPageSize ?? 100_000,
      queryLatencyMs: options.bulkQueryLatencyMs ?? 0,
      maxJobs: 50
    }
  );
  const server = new LocalOrgServer({
    store,
    engine,
    auth,
    faults,
    bulk,
    usage,
    org: orgSettings,
    instanceUrl: () => instanceUrl,
    loginUrl: () => instanceUrl,
    defaultApiVersion: apiVersion,
    log: options.log ?? null,
    setClock: (ms) => store.setClock(ms)
  });
  const port = await server.listen(options.port ?? 0, '127.0.0.1');
  instanceUrl = `http://127.0.0.1:${port}`;
  const session = auth.issueAccessToken(base.integrationUserId);
  const admin = createAdmin({
    store,
    engine,
    auth,
    faults,
    usage,
    bulk,
    base,
    apiVersion,
    orgSettings,
    userTimeZone,
    username
  });
  let closed = false;
  return {
    instanceUrl,
    loginUrl: instanceUrl,
    accessToken: session.token,
    username,
    password,
    clientId,
    clientSecret,
    organizationId: base.organizationId,
    userId: base.integrationUserId,
    apiVersion,
    demo,
    warnings,
    admin,
    async close() {
      if (closed) return;
      closed = true;
      bulk.close();
      await server.close();
      engine.closeAll();
      store.close();
    }
  };
}

/** Custom metadata records come from force-app at every start (the metadata is their source of truth). */
function loadCustomMetadataRecords(store: Store, base: BaseOrg): void {
  const now = store.nowStored();
  store.db.transaction(() => {
    for (const object of store.schema.objects.values()) {
      if (object.kind === 'customMetadata') store.db.exec(`DELETE FROM "${object.table}"`);
    }
    for (const record of store.schema.customMetadataRecords) {
      const object = store.object(record.type);
      if (!object) continue;
      const values: Record<string, Stored> = {
        Id: store.newId(object),
        IsDeleted: 0,
        CreatedDate: now,
        CreatedById: base.integrationUserId,
        LastModifiedDate: now,
        LastModifiedById: base.integrationUserId,
        SystemModstamp: now,
        DeveloperName: record.developerName,
        MasterLabel: record.label,
        Label: record.label,
        QualifiedApiName: record.developerName,
        Language: 'en_US',
        IsProtected: record.protected ? 1 : 0
      };
      for (const [name, value] of Object.entries(record.values)) {
        const field = object.fieldIndex.get(name.toLowerCase());
        if (!field?.column) continue;
        values[field.column] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
      }
      const keys = Object.keys(values).filter((k) => object.fieldIndex.get(k.toLowerCase())?.column);
      store.db
        .prepare(
          `INSERT INTO "${object.table}" (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`
        )
        .run(...keys.map((k) => values[k] as Stored));
    }
  })();
}

interface AdminDeps {
  store: Store;
  engine: QueryEngine;
  auth: AuthService;
  faults: FaultInjector;
  usage: { used: number; max: number };
  bulk: BulkService;
  base: BaseOrg;
  apiVersion: string;
  orgSettings: () => OrgSettings;
  userTimeZone: (userId: string) => string;
  username: string;
}

function createAdmin(d: AdminDeps): LocalOrgAdmin {
  const { store } = d;
  const ctx = {
    userId: d.base.integrationUserId,
    source: 'json' as const,
    bypassAccess: true,
    allowAuditFields: true
  };
  const objectOf = (name: string): SObjectDef => {
    const object = store.object(name);
    if (!object) throw new Error(`No object ${name} in the local org`);
    return object;
  };
  const userIdOf = (username?: string): string => {
    if (!username) return d.base.integrationUserId;
    const users = objectOf('User');
    const row = store.findByField(users, users.fieldIndex.get('username') as FieldDef, username)[0];
    if (!row) throw new Error(`No user ${username}`);
    return String(row.Id);
  };
  const failIfAny = (
    results: { success: boolean; errors: { statusCode: string; message: string }[] }[],
    what: string
  ): void => {
    const bad = results.find((r) => !r.success);
    if (bad)
      throw new Error(`${what} failed: ${bad.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`);
  };
  const insert = (sobject: string, records: Record<string, unknown>[]): string[] => {
    const object = objectOf(sobject);
    const inputs = records.map((r) => store.resolveInputFields(object, r));
    const results = store.runBatch(true, () => inputs.map((input) => store.insert(object, input, ctx)));
    failIfAny(results, `insert into ${sobject}`);
    return results.map((r) => r.id as string);
  };
  let survey: { surveyId: string; versionId: string; company: string; csm: string; comment: string } | null =
    null;
  const relationshipSurvey = (): NonNullable<typeof survey> => {
    if (survey) return survey;
    const found = d.engine.compile(
      "SELECT Id, ActiveVersionId FROM Survey WHERE DeveloperName = 'customer_relationship_survey'",
      {
        includeDeleted: false,
        timeZone: 'UTC',
        fiscalYearStartMonth: 1,
        usesStartDateAsFiscalYearName: false,
        bulk: false
      }
    );
    const result = d.engine.runRest(found, 2000, d.apiVersion, d.base.integrationUserId);
    const existing = result.records[0] as { Id: string; ActiveVersionId: string } | undefined;
    if (existing) {
      const questions = d.engine.runRest(
        d.engine.compile(
          `SELECT Id, DeveloperName FROM SurveyQuestion WHERE SurveyVersionId = '${existing.ActiveVersionId}'`,
          {
            includeDeleted: false,
            timeZone: 'UTC',
            fiscalYearStartMonth: 1,
            usesStartDateAsFiscalYearName: false,
            bulk: false
          }
        ),
        2000,
        d.apiVersion,
        d.base.integrationUserId
      ).records as { Id: string; DeveloperName: string }[];
      const byName = (dev: string): string =>
        (questions.find((q) => q.DeveloperName === dev) as { Id: string }).Id;
      survey = {
        surveyId: existing.Id,
        versionId: existing.ActiveVersionId,
        company: byName('likely_to_recommend'),
        csm: byName('csm_likely_to_recommend'),
        comment: byName('reason_for_score')
      };
      return survey;
    }
    const [surveyId] = insert('Survey', [
      {
        Name: 'Customer Relationship Survey',
        DeveloperName: 'customer_relationship_survey',
        TotalVersionsCount: 1,
        SurveyType: 'Standard'
      }
    ]);
    const [versionId] = insert('SurveyVersion', [
      { Name: 'Customer Relationship Survey', SurveyId: surveyId, VersionNumber: 1, SurveyStatus: 'Active' }
    ]);
    const surveys = objectOf('Survey');
    const versionFields = new Map<FieldDef, unknown>([
      [surveys.fieldIndex.get('activeversionid') as FieldDef, versionId],
      [surveys.fieldIndex.get('latestversionid') as FieldDef, versionId]
    ]);
    store.updateOrThrow(surveys, surveyId as string, versionFields, ctx);
    const [company, csm, comment] = insert('SurveyQuestion', [
      {
        Name: 'How likely are you to recommend us?',
        DeveloperName: 'likely_to_recommend',
        QuestionType: 'NPS',
        QuestionOrder: 1,
        SurveyVersionId: versionId
      },
      {
        Name: 'How likely are you to recommend your CSM?',
        DeveloperName: 'csm_likely_to_recommend',
        QuestionType: 'NPS',
        QuestionOrder: 2,
        SurveyVersionId: versionId
      },
      {
        Name: 'What is the main reason for your scores?',
        DeveloperName: 'reason_for_score',
        QuestionType: 'FreeText',
        QuestionOrder: 3,
        SurveyVersionId: versionId
      }
    ]);
    survey = {
      surveyId: surveyId as string,
      versionId: versionId as string,
      company: company as string,
      csm: csm as string,
      comment: comment as string
    };
    return survey;
  };
  return {
    apiRequests: () => d.usage.used,
    resetApiRequests: () => {
      d.usage.used = 0;
    },
    addFault: (rule) => d.faults.add(rule),
    removeFault: (id) => d.faults.remove(id),
    clearFaults: () => d.faults.clear(),
    faults: () => d.faults.list(),
    firedFaults: () => [...d.faults.log],
    expireSessions: () => d.auth.expireAllSessions(),
    issueRefreshToken: (username) => d.auth.issueRefreshToken(userIdOf(username)),
    newAccessToken: (username) => d.auth.issueAccessToken(userIdOf(username)).token,
    setClock: (at) => store.setClock(at === null ? null : at.getTime()),
    now: () => new Date(store.nowMs()),
    query: (soql, options = {}) => {
      const org = d.orgSettings();
      const compiled = d.engine.compile(soql, {
        includeDeleted: options.all === true,
        timeZone: d.userTimeZone(d.base.integrationUserId),
        fiscalYearStartMonth: org.fiscalYearStartMonth,
        usesStartDateAsFiscalYearName: org.usesStartDateAsFiscalYearName,
        bulk: false
      });
      if (compiled.kind !== 'records')
        return d.engine.runRest(compiled, 2000, d.apiVersion, d.base.integrationUserId);
      const cursor = d.engine.openCursor(compiled, d.base.integrationUserId, 'bulk', 0);
      try {
        const records = d.engine
          .pageRows(cursor, 0, cursor.count)
          .map((row) => buildRecord(row, compiled, `/services/data/v${d.apiVersion}`));
        return { totalSize: cursor.count, done: true, records };
      } finally {
        d.engine.releaseCursor(cursor.id);
      }
    },
    insert,
    update: (sobject, records) => {
      const object = objectOf(sobject);
      const results = store.runBatch(true, () =>
        records.map((r) => {
          const { Id, ...rest } = r;
          return store.update(object, Id, store.resolveInputFields(object, rest), ctx);
        })
      );
      failIfAny(results, `update of ${sobject}`);
    },
    delete: (sobject, ids) => {
      const object = objectOf(sobject);
      failIfAny(
        store.runBatch(true, () => ids.map((id) => store.delete(object, id, ctx))),
        `delete from ${sobject}`
      );
    },
    addSurveyResponse: (input) => {
      const s = relationshipSurvey();
      const completed =
        typeof input.completedAt === 'string' ? input.completedAt : input.completedAt.toISOString();
      const completedMs = Date.parse(completed);
      const status = input.status ?? 'Completed';
      return store.db.transaction(() => {
        const [invitationId] = insert('SurveyInvitation', [
          {
            Name: `SI-admin-${completedMs}`,
            SurveyId: s.surveyId,
            ParticipantId: input.contactId ?? null,
            ContactId: input.contactId ?? null,
            ResponseStatus: status,
            CreatedDate: toStoredDateTime(completedMs - 86_400_000)
          }
        ]);
        const [responseId] = insert('SurveyResponse', [
          {
            Name: `SR-admin-${completedMs}`,
            SurveyId: s.surveyId,
            SurveyVersionId: s.versionId,
            InvitationId: invitationId,
            SubmitterId: input.contactId ?? null,
            Status: status,
            CompletionDateTime: status === 'Completed' ? completed : null,
            CreatedDate: toStoredDateTime(completedMs - 60_000)
          }
        ]);
        const answer = (questionId: string, number: number | null, text: string | null): string =>
          insert('SurveyQuestionResponse', [
            {
              ResponseId: responseId,
              InvitationId: invitationId,
              QuestionId: questionId,
              SurveyVersionId: s.versionId,
              Datatype: number === null ? 'String' : 'Int',
              NumberValue: number,
              ResponseValue: text ?? (number === null ? null : String(number)),
              ResponseShortText:
                text === null ? (number === null ? null : String(number)) : text.slice(0, 255),
              CreatedDate: completed
            }
          ])[0] as string;
        const companyAnswerId = input.score === null ? null : answer(s.company, input.score, null);
        const csmAnswerId =
          input.csmScore === undefined || input.csmScore === null
            ? null
            : answer(s.csm, input.csmScore, null);
        const commentAnswerId = input.comment ? answer(s.comment, null, input.comment) : null;
        if (input.accountId && input.withSubject !== false) {
          insert('SurveySubject', [
            {
              Name: 'Subject',
              ParentId: invitationId,
              SubjectId: input.accountId,
              SubjectEntityType: 'Account',
              SurveyId: s.surveyId,
              SurveyInvitationId: invitationId
            }
          ]);
        }
        return {
          invitationId: invitationId as string,
          responseId: responseId as string,
          companyAnswerId,
          csmAnswerId,
          commentAnswerId
        };
      })();
    },
    reassignAccount: (accountId, ownerId, at) => {
      const accounts = objectOf('Account');
      const existing = store.findById(accounts, accountId);
      if (!existing) throw new Error(`No account ${accountId}`);
      const frozen = store.frozenClock();
      store.setClock(at.getTime());
      try {
        store.updateOrThrow(
          accounts,
          accountId,
          new Map<FieldDef, unknown>([[accounts.fieldIndex.get('ownerid') as FieldDef, ownerId]]),
          { ...ctx, bypassAccess: false }
        );
      } finally {
        store.setClock(frozen);
      }
    },
    bulkIdle: () => d.bulk.idle()
  };
}
