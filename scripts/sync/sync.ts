// `csm-nps sync`: the phases, in the order that makes a run idempotent and safe to kill at any point.
//
//   settings    Organization (time zone, fiscal year), NPS_Setting__mdt Default, NPS_Sync_State__c
//   extract     source records changed since the watermark (everything on a first or --full run)
//   attribute   the CSM of each answer at its moment, from AccountHistory (in bulk)
//   compare     the same responses as the org holds them now: only differences are written
//   (intent)    the months about to change are recorded in the state before the first write
//   responses   upsert NPS_Response__c by Source_Id__c; delete those whose source record is gone
//   snapshots   recompute the changed periods from NPS_Response__c in the org; upsert by Key__c; delete empty groups
//   state       the watermark moves last, and the recorded months are cleared
//
// Killed anywhere, the next run reads the same source changes (the watermark has not moved), finds
// what is already written unchanged, and recomputes the recorded months: the org ends as after one run.

import { basename } from 'node:path';
import {
  computeGroupResults,
  LocalDayResolver,
  NpsAggregator,
  periodIndexOfLabel,
  resolvePeriodOptions,
  resolveSettings,
  UNASSIGNED,
  type GroupResult,
  type StatisticsSettings
} from 'c/npsCore';
import { attribute, AttributionData, attributionQueries, csmFieldOf } from './attribution';
import { CONFIG_FILE, type SyncConfig } from './config';
import { connectToOrg, type OrgConnection } from './connect';
import { ConfigError, SyncError } from './errors';
import { fetchByIdsItems, idOf, text } from './lookups';
import {
  firstSaveError,
  OrgApi,
  type CollectionWrite,
  type QueryItem,
  type RecordFailure,
  type Row,
  type WriteOutcome
} from './orgApi';
import type { Progress } from './progress';
import {
  desiredResponse,
  ExistingResponses,
  existingQueries,
  RESPONSE_OBJECT,
  responseFingerprint,
  responseRecord,
  ResponseSink,
  type ResponseValues
} from './responses';
import {
  planSnapshots,
  readBackCountQuery,
  SNAPSHOT_OBJECT,
  snapshotExistingQueries,
  storableTimeCheck,
  type OrgCalendar,
  type SnapshotValues
} from './snapshots';
import { checkFieldPath, describedObject } from './soql';
import { CSV_SOURCE, csvSourceId, extractCsv } from './sources/csv';
import { extractObject, resolveObjectMapping } from './sources/object';
import { extractSurveys, SURVEYS_SOURCE } from './sources/surveys';
import type { Extract, RejectedRecord } from './sources/types';
import {
  decodeMonths,
  encodeMonths,
  monthIndexOfDay,
  stateFromRows,
  stateQuery,
  stateWriteSubrequest,
  writeState,
  type SyncState,
  type SyncStateSummary
} from './state';
import type { RetryNotice, RetryPolicy } from './transport';

export interface SyncOptions {
  config: SyncConfig;
  source: 'surveys' | 'object' | 'csv';
  csvFile?: string;
  dryRun: boolean;
  /** Ignore the watermark: read every source record, and remove responses whose record is gone. */
  full: boolean;
  targetOrg?: string;
  apiVersion: string;
  retry: RetryPolicy;
  env: Record<string, string | undefined>;
  progress: Progress;
  /** Read the latest month snapshots for the end table (one API call; not needed for --json). */
  wantTable: boolean;
  /** Bulk API 2.0 poll interval (tests make it short). */
  bulkPollMs?: number;
  onRetry?: (notice: RetryNotice) => void;
}

/** The `--json` summary (the first eight keys are the contract of issue 5). */
export interface SyncSummary {
  apiCalls: number;
  responsesRead: number;
  responsesUpserted: number;
  snapshotsUpserted: number;
  snapshotsDeleted: number;
  attributionFallbacks: number;
  rejected: RejectedRecord[];
  failed: { sourceId: string; error: string }[];
  responsesDeleted: number;
  responsesUnchanged: number;
  snapshotsUnchanged: number;
  skipped: number;
  dryRun: boolean;
  source: string;
  fullRun: boolean;
  watermark: string | null;
  apiCallsByPhase: Record<string, number>;
  warnings: string[];
  durationMs: number;
}

export interface SyncRun {
  summary: SyncSummary;
  /** The month snapshots to show at the end (CSM names resolved), and the settings behind them. */
  table: { results: GroupResult[]; team: GroupResult[]; settings: StatisticsSettings } | null;
  /** Snapshots computed this run (tests and --dry-run). */
  computed: SnapshotValues[];
  connection: OrgConnection;
}

/** The source's key in NPS_Sync_State__c and its NPS_Response__c.Source__c value. */
/** A phase's closing line: what was written, or under --dry-run what would have been. */
function writtenWord(done: 'upserted' | 'deleted', dryRun: boolean): string {
  return dryRun ? `would be ${done}` : done;
}

function sourceIdentity(options: SyncOptions): { key: string; source: string } {
  if (options.source === 'surveys') return { key: SURVEYS_SOURCE, source: SURVEYS_SOURCE };
  if (options.source === 'object') {
    const name = options.config.object?.name as string;
    return { key: name, source: name.slice(0, 40) };
  }
  const file = options.csvFile ?? options.config.csv?.file;
  if (!file)
    throw new ConfigError('the csv source needs a file: --csv FILE, or "csv": { "file": … } in the config');
  return { key: `CSV:${basename(file)}`.slice(0, 80), source: CSV_SOURCE };
}

function numberOf(row: Row | undefined, field: string): number | undefined {
  const value = row?.get(field.toLowerCase());
  if (value === null || value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

async function readOrgSettings(
  api: OrgApi,
  stateKey: string
): Promise<{ calendar: OrgCalendar; settingsRow: Row | undefined; state: SyncState }> {
  const orgRows: Row[] = [];
  const settingRows: Row[] = [];
  const stateRows: Row[] = [];
  // Three independent reads: one composite request, one API call.
  await api.runQueries([
    {
      soql: 'SELECT TimeZoneSidKey, FiscalYearStartMonth, UsesStartDateAsFiscalYearName FROM Organization LIMIT 1',
      onPage: (rows) => void orgRows.push(...rows)
    },
    {
      soql: "SELECT DeveloperName, Improvement_Target__c, NPS_Floor__c, Min_Responses__c, Confidence_Level__c, Prior_Strength__c, CSM_Field__c FROM NPS_Setting__mdt WHERE DeveloperName = 'Default' LIMIT 1",
      onPage: (rows) => void settingRows.push(...rows)
    },
    { soql: stateQuery(stateKey), onPage: (rows) => void stateRows.push(...rows) }
  ]);
  const org = orgRows[0];
  const timeZone = (org && text(org, 'TimeZoneSidKey')) || 'UTC';
  const startMonth = numberOf(org, 'FiscalYearStartMonth') ?? 1;
  const byStart = String(org?.get('usesstartdateasfiscalyearname') ?? 'false') === 'true';
  try {
    new LocalDayResolver(timeZone);
  } catch {
    throw new SyncError(
      `the org's default time zone "${timeZone}" is not known to this Node.js: update Node.js (its time zone data)`
    );
  }
  return {
    calendar: { timeZone, fiscalStartMonth: startMonth, fiscalYearName: byStart ? 'start' : 'end' },
    settingsRow: settingRows[0],
    state: stateFromRows(stateKey, stateRows)
  };
}

function settingsFrom(row: Row | undefined, warnings: string[]): StatisticsSettings {
  if (!row)
    warnings.push(
      'NPS_Setting__mdt record "Default" not found: using the default settings (floor 30, target +5, 5 answers, 95%, k = 10)'
    );
  try {
    return resolveSettings({
      improvementTarget: numberOf(row, 'Improvement_Target__c'),
      floor: numberOf(row, 'NPS_Floor__c'),
      minResponses: numberOf(row, 'Min_Responses__c'),
      confidence: numberOf(row, 'Confidence_Level__c'),
      priorStrength: numberOf(row, 'Prior_Strength__c')
    });
  } catch (error) {
    throw new ConfigError(
      `NPS_Setting__mdt.Default holds a value the statistics cannot use: ${(error as Error).message}. Fix it in Setup → Custom Metadata Types → NPS Setting.`
    );
  }
}

/** Names and active flags of users, fetched once per run. */
class UserDirectory {
  private readonly users = new Map<string, { name: string; active: boolean; named: boolean }>();
  constructor(private readonly api: OrgApi) {}

  /** Active flags already known (read with the accounts): no query for these users. */
  prime(active: Map<string, boolean>): void {
    for (const [id, isActive] of active)
      if (!this.users.has(id)) this.users.set(id, { name: id, active: isActive, named: false });
  }

  private missing(ids: Iterable<string>, needNames: boolean): string[] {
    return [...ids].filter((id) => {
      const known = this.users.get(id.slice(0, 15));
      return !known || (needNames && !known.named);
    });
  }

  private keep(rows: Row[]): void {
    for (const row of rows) {
      this.users.set((idOf(row, 'Id') as string).slice(0, 15), {
        name: text(row, 'Name') ?? (idOf(row, 'Id') as string),
        active: String(row.get('isactive')) === 'true',
        named: true
      });
    }
  }

  /** The queries that read the users not known yet (to go out with other independent reads). */
  queries(ids: Iterable<string>, needNames = false): QueryItem[] {
    return fetchByIdsItems(
      { select: 'Id, Name, IsActive', from: 'User', idField: 'Id', ids: this.missing(ids, needNames) },
      (rows) => this.keep(rows)
    );
  }

  async load(ids: Iterable<string>, needNames = false): Promise<void> {
    await this.api.runQueries(this.queries(ids, needNames));
  }

  async active(ids: Set<string>): Promise<Set<string>> {
    await this.load(ids);
    return new Set([...ids].map((id) => id.slice(0, 15)).filter((id) => this.users.get(id)?.active === true));
  }

  name(id: string): string {
    return this.users.get(id.slice(0, 15))?.name ?? id;
  }
}

export async function runSync(options: SyncOptions): Promise<SyncRun> {
  const started = Date.now();
  const { progress, config } = options;
  const identity = sourceIdentity(options);
  const warnings: string[] = [];
  const connection = await connectToOrg({
    targetOrg: options.targetOrg,
    apiVersion: options.apiVersion,
    env: options.env,
    retry: options.retry,
    onRetry: options.onRetry
  });
  const { counter } = connection;
  const api = new OrgApi(connection.conn, {
    bulkThreshold: config.bulkThreshold,
    bulkPollMs: options.bulkPollMs
  });
  const users = new UserDirectory(api);
  const summary: SyncSummary = {
    apiCalls: 0,
    responsesRead: 0,
    responsesUpserted: 0,
    snapshotsUpserted: 0,
    snapshotsDeleted: 0,
    attributionFallbacks: 0,
    rejected: [],
    failed: [],
    responsesDeleted: 0,
    responsesUnchanged: 0,
    snapshotsUnchanged: 0,
    skipped: 0,
    dryRun: options.dryRun,
    source: identity.key,
    fullRun: false,
    watermark: null,
    apiCallsByPhase: {},
    warnings,
    durationMs: 0
  };
  const finish = () => {
    summary.apiCalls = counter.total;
    summary.apiCallsByPhase = Object.fromEntries(counter.byPhase);
    summary.durationMs = Date.now() - started;
  };

  /** The responses to write, spooled to disk when many: removed however the run ends. */
  let written: ResponseSink | null = null;
  try {
    // --- settings ---------------------------------------------------------------------------------
    counter.phase = 'settings';
    let phase = progress.phase('settings', 'Reading org settings');
    const { calendar, settingsRow, state } = await readOrgSettings(api, identity.key);
    const settings = settingsFrom(settingsRow, warnings);
    const csmField = csmFieldOf(config.csmField ?? (settingsRow ? text(settingsRow, 'CSM_Field__c') : null));
    if (csmField.accountField !== 'OwnerId') {
      const account = describedObject(await api.describe('Account'));
      const checked = await checkFieldPath(
        account,
        csmField.accountField,
        'CSM field (csmField / NPS_Setting__mdt.CSM_Field__c)',
        async () => account,
        ['reference']
      );
      const field = account.fields.get(checked.path.toLowerCase());
      if (!field?.referenceTo.includes('User'))
        throw new ConfigError(`CSM field: Account.${checked.path} is not a lookup to User`);
      csmField.accountField = checked.path;
      csmField.historyField = checked.path;
      csmField.relationship = field.relationshipName ?? checked.path.replace(/__c$/i, '__r');
    }
    const resolver = new LocalDayResolver(calendar.timeZone);
    // What the numbers depend on besides the answers: when it changes, every snapshot is recomputed
    // (and with another CSM field, every answer is credited again).
    const attributionPrint = JSON.stringify({
      csm: csmField.accountField,
      unassigned: [...config.unassignedOwners].sort()
    });
    const fingerprint = JSON.stringify({ calendar, settings, attribution: attributionPrint });
    const lastPrint = state.summary?.fingerprint;
    const reattribute = lastPrint !== undefined && JSON.parse(lastPrint).attribution !== attributionPrint;
    const full = options.full || options.source === 'csv' || state.watermark === null || reattribute;
    const recomputeAll =
      (full && options.source !== 'csv') ||
      (lastPrint !== undefined && lastPrint !== fingerprint) ||
      state.summary?.pendingAll === true;
    if (lastPrint !== undefined && lastPrint !== fingerprint) {
      warnings.push(
        `the settings, the org's fiscal year or time zone, or the CSM field changed since the last run: every snapshot is recomputed${reattribute ? ' and every answer credited again' : ''}`
      );
    }
    summary.fullRun = full;
    const window = {
      since: full ? null : state.watermark,
      boundary: new Set(full ? [] : (state.summary?.boundary ?? []))
    };
    const previousPending = decodeMonths(state.summary?.pendingMonths);
    /** The state while the run writes: what a run killed from here on must still recompute. */
    const intent = (pending: Set<number>) => ({
      summary: {
        status: 'running',
        startedAt: new Date(started).toISOString(),
        pendingMonths: encodeMonths(pending),
        pendingAll: recomputeAll,
        fingerprint: lastPrint,
        boundary: state.summary?.boundary ?? []
      } satisfies SyncStateSummary
    });
    const refuseUnrecorded = (failure: string | null): void => {
      if (!failure) return;
      // A lock is another writer (a second sync at the same time?); anything else is usually access.
      const advice = /^UNABLE_TO_LOCK_ROW\b/.test(failure)
        ? 'Another process holds the record (a second sync running at the same time?): run the sync again once it is done; nothing was written.'
        : 'Check that the sync user has the CSM_NPS_Sync permission set; nothing was written.';
      throw new SyncError(`could not record the run in NPS_Sync_State__c: ${failure}. ${advice}`);
    };
    let intentRecorded = false;
    phase.done(
      `time zone ${calendar.timeZone}, fiscal year from month ${calendar.fiscalStartMonth}, ` +
        (full ? 'reading everything' : `changes since ${new Date(state.watermark as number).toISOString()}`) +
        (previousPending.size > 0
          ? `, finishing ${previousPending.size} month(s) left by an interrupted run`
          : '')
    );

    // --- extract ----------------------------------------------------------------------------------
    counter.phase = 'extract';
    phase = progress.phase('extract', `Reading answers (${identity.key})`);
    let extract: Extract;
    if (options.source === 'surveys')
      extract = await extractSurveys(api, config.surveys, window, (n) => phase.update(n));
    else if (options.source === 'object') {
      const mapping = await resolveObjectMapping(api, config.object as NonNullable<SyncConfig['object']>);
      extract = await extractObject(
        api,
        config.object as NonNullable<SyncConfig['object']>,
        mapping,
        resolver,
        window,
        (n) => phase.update(n),
        storableTimeCheck(calendar)
      );
    } else {
      extract = await extractCsv(
        api,
        options.csvFile ?? (config.csv?.file as string),
        resolver,
        (n) => phase.update(n),
        storableTimeCheck(calendar),
        options.csvFile ? '--csv' : `"csv.file" in ${CONFIG_FILE}`
      );
    }
    summary.responsesRead = extract.read;
    summary.skipped = extract.skipped;
    summary.rejected = extract.rejected;
    warnings.push(...extract.warnings);
    phase.done(
      `${extract.read.toLocaleString('en-US')} read, ${extract.answers.length.toLocaleString('en-US')} answers` +
        (extract.rejected.length > 0 ? `, ${extract.rejected.length} rejected` : '') +
        (extract.skipped > 0 ? `, ${extract.skipped} not completed yet` : '') +
        (extract.deletedSourceIds.length > 0
          ? `, ${extract.deletedSourceIds.length} deleted in the source`
          : '')
    );

    // --- attribute and compare: their reads go out together ------------------------------------------
    // The CSM of each answer at its moment (AccountHistory and Account, in bulk), and the responses as
    // the org holds them now, so that only differences are written.
    counter.phase = 'attribute';
    const table = extract.answers;
    const removed = new Set([...extract.deletedSourceIds, ...extract.rejectedSourceIds]);
    const compare = table.length > 0 || removed.size > 0 || full;
    const attributionData = new AttributionData();
    const existing = new ExistingResponses(
      table,
      // A response of no answer of this run is deleted when its source record is gone or no longer
      // valid, or (full run) is not in the source any more.
      (sourceId) => removed.has(sourceId) || full,
      options.source === 'csv' ? csvSourceId(options.csvFile ?? (config.csv?.file as string), '') : undefined
    );
    const namedCsms = new Set<string>();
    for (let i = 0; i < table.length; i++) {
      if (!table.hasCsm(i)) continue;
      const named = table.get(i).csmId;
      if (named) namedCsms.add(named);
    }
    if (compare) {
      phase = progress.phase(
        'attribute',
        'Crediting CSMs (Account History) and comparing with NPS_Response__c'
      );
      phase.total(table.length);
      // A run that recomputes everything records that before any write in the same request as its reads
      // (pendingAll covers every month): one API call less than a write of its own.
      const early = recomputeAll && !options.dryRun && !state.summary?.pendingAll;
      const [intentResult] = await api.runQueries(
        [
          ...(extract.pendingReads ?? []),
          ...(table.length > 0 ? attributionQueries(table, csmField, attributionData) : []),
          ...users.queries(namedCsms),
          ...existingQueries(
            table,
            removed,
            { allOfSource: full ? identity.source : null, source: identity.source },
            existing
          )
        ],
        early ? [stateWriteSubrequest(identity.key, intent(new Set()))] : []
      );
      if (intentResult) {
        refuseUnrecorded(firstSaveError(intentResult));
        intentRecorded = true;
      }
    }
    // The answers complete (e.g. their comments) before they are compared with the org.
    if (compare) extract.afterReads?.();
    const noCsm = new Set(
      [...config.unassignedOwners, ...(connection.userId ? [connection.userId] : [])].map((id) =>
        id.slice(0, 15)
      )
    );
    const attribution = attribute(table, attributionData, noCsm, (n) => phase.update(n));
    users.prime(attribution.activeByUser);
    summary.attributionFallbacks = attribution.fallbacks;
    if (attribution.fallbacks > 0) {
      warnings.push(
        `${attribution.fallbacks} answer${attribution.fallbacks === 1 ? '' : 's'} (${attribution.fallbackAccounts} account${attribution.fallbackAccounts === 1 ? '' : 's'}) credited to the account's current CSM: ` +
          'its history does not go back far enough to show the CSM at the time (Salesforce keeps field history 18 months; turn on Field History Tracking for the CSM field)'
      );
    }

    counter.phase = 'compare';
    const sink = new ResponseSink(api, config.bulkThreshold);
    written = sink;
    const toDelete: { id: string; sourceId: string }[] = [];
    const months = new Set<number>(previousPending);
    /** Dry run: the responses as they would be after the writes (null: deleted). */
    const overlay = new Map<string, ResponseValues | null>();
    if (compare) {
      const csms = new Set<string>();
      for (const index of attribution.csm) {
        const csm = table.users.value(index);
        if (csm) csms.add(csm);
      }
      const active = csms.size > 0 ? await users.active(csms) : new Set<string>();
      const ownerOf = (csm: string | null) => (csm && active.has(csm.slice(0, 15)) ? csm : connection.userId);
      for (let i = 0; i < table.length; i++) {
        const csm = table.users.value(attribution.csm[i] as number);
        const values = desiredResponse({ ...table.get(i), csm }, identity.source, ownerOf(csm));
        if (existing.same(i, values, responseFingerprint(values))) {
          summary.responsesUnchanged++;
          continue;
        }
        sink.add(responseRecord(values));
        if (options.dryRun) overlay.set(values.sourceId, values);
        months.add(monthIndexOfDay(resolver.dayOf(values.respondedAt)));
        if (existing.has(i)) months.add(monthIndexOfDay(resolver.dayOf(existing.respondedAt(i))));
      }
      for (const other of existing.others) {
        toDelete.push({ id: other.id, sourceId: other.sourceId });
        if (options.dryRun) overlay.set(other.sourceId, null);
        months.add(monthIndexOfDay(resolver.dayOf(other.respondedAt)));
      }
      sink.close();
      phase.done(
        `${table.length.toLocaleString('en-US')} answers credited${attribution.fallbacks > 0 ? ` (${attribution.fallbacks} to the current CSM for lack of history)` : ''}; ` +
          `${sink.count.toLocaleString('en-US')} to write, ${toDelete.length.toLocaleString('en-US')} to delete, ${summary.responsesUnchanged.toLocaleString('en-US')} unchanged`
      );
    }

    const changes = sink.count > 0 || toDelete.length > 0;
    if (!intentRecorded && !options.dryRun && (changes || (recomputeAll && !state.summary?.pendingAll))) {
      counter.phase = 'state';
      // Write-ahead: the months about to change, so that a run killed after this point still recomputes them.
      refuseUnrecorded(await writeState(api, identity.key, intent(months)));
    }

    // --- responses --------------------------------------------------------------------------------
    counter.phase = 'responses';
    const responseFailures: RecordFailure[] = [];
    if (changes) {
      phase = progress.phase(
        'responses',
        options.dryRun ? 'Responses (dry run, nothing written)' : 'Writing NPS_Response__c'
      );
      phase.total(sink.count + toDelete.length);
      if (options.dryRun) {
        summary.responsesUpserted = sink.count;
        summary.responsesDeleted = toDelete.length;
      } else {
        const bySourceId = new Map(toDelete.map((d) => [d.id, d.sourceId]));
        const keyOf = (id: string) => bySourceId.get(id) ?? id;
        const ids = toDelete.map((d) => d.id);
        let upserted: WriteOutcome;
        let deleted: WriteOutcome;
        try {
          if (sink.spool) {
            // Many answers: Bulk API 2.0 ingest straight from the CSV files on disk.
            upserted = await api.ingestSpool(RESPONSE_OBJECT, 'upsert', 'Source_Id__c', sink.spool, (n) =>
              phase.update(n)
            );
            deleted = await api.delete(RESPONSE_OBJECT, ids, keyOf);
          } else if (ids.length < api.bulkThreshold) {
            // Upserts and deletes in the same composite requests (five collections of 200 a call).
            const writes: CollectionWrite[] = [];
            if (sink.records.length > 0)
              writes.push({
                kind: 'upsert',
                objectName: RESPONSE_OBJECT,
                externalIdField: 'Source_Id__c',
                records: sink.records
              });
            if (ids.length > 0) writes.push({ kind: 'delete', objectName: RESPONSE_OBJECT, ids, keyOf });
            const outcomes = await api.writeCollections(writes, (n) => phase.update(n));
            const empty: WriteOutcome = { written: 0, failures: [] };
            upserted = sink.records.length > 0 ? (outcomes.shift() as WriteOutcome) : empty;
            deleted = ids.length > 0 ? (outcomes.shift() as WriteOutcome) : empty;
          } else {
            upserted = await api.upsert(RESPONSE_OBJECT, 'Source_Id__c', sink.records, (n) =>
              phase.update(n)
            );
            deleted = await api.delete(RESPONSE_OBJECT, ids, keyOf);
          }
        } finally {
          sink.remove();
        }
        summary.responsesUpserted = upserted.written;
        summary.responsesDeleted = deleted.written;
        responseFailures.push(...upserted.failures, ...deleted.failures);
      }
      phase.done(
        `${summary.responsesUpserted.toLocaleString('en-US')} ${writtenWord('upserted', options.dryRun)}, ${summary.responsesDeleted.toLocaleString('en-US')} ${writtenWord('deleted', options.dryRun)}${responseFailures.length > 0 ? `, ${responseFailures.length} failed` : ''}`
      );
    }
    summary.failed.push(...responseFailures.map((f) => ({ sourceId: f.key, error: f.error })));

    // --- snapshots --------------------------------------------------------------------------------
    counter.phase = 'snapshots';
    let computed: SnapshotValues[] = [];
    const snapshotFailures: RecordFailure[] = [];
    if (months.size > 0 || recomputeAll) {
      phase = progress.phase(
        'snapshots',
        options.dryRun ? 'Snapshots (dry run, nothing written)' : 'Recomputing NPS_Snapshot__c'
      );
      const target = { months, all: recomputeAll, calendar };
      const existingSnapshots = new Map<string, Row>();
      let readBackSize = 0;
      // What the org holds for the target periods, and how many responses the read-back will see: together.
      await api.runQueries([
        ...snapshotExistingQueries(target, existingSnapshots),
        readBackCountQuery(target, (n) => {
          readBackSize = n;
        })
      ]);
      const plan = await planSnapshots(
        api,
        {
          ...target,
          settings,
          overlay: options.dryRun ? overlay : undefined,
          fallbackOwner: connection.userId,
          activeUsers: (ids) => users.active(ids),
          existing: existingSnapshots,
          readBackSize
        },
        (n) => phase.update(n)
      );
      computed = plan.computed;
      warnings.push(...plan.warnings);
      summary.snapshotsUnchanged = plan.unchanged;
      if (options.dryRun) {
        summary.snapshotsUpserted = plan.upserts.length;
        summary.snapshotsDeleted = plan.deletes.length;
      } else {
        const upserted = await api.upsert(SNAPSHOT_OBJECT, 'Key__c', plan.upserts);
        const keyOf = new Map(plan.deletes.map((d) => [d.id, d.key]));
        const deleted = await api.delete(
          SNAPSHOT_OBJECT,
          plan.deletes.map((d) => d.id),
          (id) => keyOf.get(id) ?? id
        );
        summary.snapshotsUpserted = upserted.written;
        summary.snapshotsDeleted = deleted.written;
        snapshotFailures.push(...upserted.failures, ...deleted.failures);
      }
      phase.done(
        `${plan.computed.length.toLocaleString('en-US')} groups ${recomputeAll ? 'in every period' : `in ${months.size} month(s) and the periods around them`}: ` +
          `${summary.snapshotsUpserted.toLocaleString('en-US')} ${writtenWord('upserted', options.dryRun)}, ${summary.snapshotsDeleted} ${writtenWord('deleted', options.dryRun)}, ${plan.unchanged.toLocaleString('en-US')} unchanged`
      );
    }
    summary.failed.push(...snapshotFailures.map((f) => ({ sourceId: f.key, error: f.error })));

    // --- state: the watermark moves last ----------------------------------------------------------
    counter.phase = 'state';
    // The watermark moves only when new records were read and all of them were written.
    const advance =
      responseFailures.length === 0 &&
      extract.maxModstamp !== null &&
      (extract.read > 0 || extract.deletedSourceIds.length > 0);
    const watermark = advance ? extract.maxModstamp : state.watermark;
    summary.watermark = watermark === null ? null : new Date(watermark).toISOString();
    const needsState =
      changes ||
      advance ||
      previousPending.size > 0 ||
      recomputeAll ||
      state.id === null ||
      lastPrint !== fingerprint;
    if (!options.dryRun && needsState) {
      const done: SyncStateSummary = {
        status: summary.failed.length > 0 ? 'completed with failures' : 'completed',
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date().toISOString(),
        pendingMonths: snapshotFailures.length > 0 ? encodeMonths(months) : [],
        pendingAll: snapshotFailures.length > 0 && recomputeAll,
        fingerprint: snapshotFailures.length > 0 ? lastPrint : fingerprint,
        boundary: advance ? extract.boundary : (state.summary?.boundary ?? []),
        counts: {
          read: summary.responsesRead,
          responsesUpserted: summary.responsesUpserted,
          responsesDeleted: summary.responsesDeleted,
          snapshotsUpserted: summary.snapshotsUpserted,
          snapshotsDeleted: summary.snapshotsDeleted,
          attributionFallbacks: summary.attributionFallbacks
        },
        rejected: summary.rejected.map((r) => ({ sourceId: r.sourceId, reason: r.reason })),
        failed: summary.failed,
        warnings
      };
      const failure = await writeState(api, identity.key, { watermark, summary: done });
      if (failure) summary.failed.push({ sourceId: `NPS_Sync_State__c ${identity.key}`, error: failure });
    }

    // --- the table: latest month snapshots ------------------------------------------------------------
    counter.phase = 'report';
    const endTable = options.wantTable
      ? await latestMonthTable(api, options.dryRun ? computed : null, settings, users)
      : null;
    finish();
    return { summary, table: endTable, computed, connection };
  } catch (error) {
    finish();
    Object.assign(error as object, { summary });
    throw error;
  } finally {
    written?.remove();
  }
}

const TABLE_MONTHS = 6;

/**
 * The month snapshots of the latest months, rebuilt into counts and passed through the core again for
 * the table (CSM rows and the team row). From the org after a run; from this run's plan in a dry run.
 */
async function latestMonthTable(
  api: OrgApi,
  dryRunComputed: SnapshotValues[] | null,
  settings: StatisticsSettings,
  users: UserDirectory
): Promise<SyncRun['table']> {
  const month = resolvePeriodOptions({ type: 'month' });
  interface Counts {
    csm: string | null;
    csmName: string | null;
    metric: string;
    label: string;
    promoters: number;
    passives: number;
    detractors: number;
    scoreSum: number;
  }
  const groups: Counts[] = [];
  if (dryRunComputed) {
    for (const s of dryRunComputed) {
      if (s.periodType !== 'Month') continue;
      const r = s.result;
      groups.push({
        csm: s.csmId,
        csmName: null,
        metric: s.metric,
        label: s.periodLabel,
        promoters: r.promoters,
        passives: r.passives,
        detractors: r.detractors,
        scoreSum: r.meanScore * r.responses
      });
    }
  } else {
    const rows = await api.queryRows(
      `SELECT CSM__c, CSM__r.Name, Metric__c, Period_Label__c, Responses__c, Promoters__c, Passives__c, Detractors__c, Mean_Score__c FROM ${SNAPSHOT_OBJECT} WHERE Period_Type__c = 'Month' ORDER BY Period_Start__c DESC LIMIT 2000`
    );
    for (const row of rows) {
      const n = Number(row.get('responses__c') ?? 0);
      groups.push({
        csm: idOf(row, 'CSM__c'),
        csmName: text(row, 'CSM__r.Name'),
        metric: text(row, 'Metric__c') ?? '',
        label: text(row, 'Period_Label__c') ?? '',
        promoters: Number(row.get('promoters__c') ?? 0),
        passives: Number(row.get('passives__c') ?? 0),
        detractors: Number(row.get('detractors__c') ?? 0),
        scoreSum: Number(row.get('mean_score__c') ?? 0) * n
      });
    }
  }
  const indexes = [
    ...new Set(groups.map((g) => periodIndexOfLabel(g.label, month)).filter((i): i is number => i !== null))
  ].sort((a, b) => b - a);
  if (indexes.length === 0) return null;
  const keep = new Set(indexes.slice(0, TABLE_MONTHS + 1)); // one more month: the change of the earliest shown
  const unnamed = groups.filter((g) => g.csm !== null && g.csmName === null).map((g) => g.csm as string);
  if (unnamed.length > 0) await users.load(unnamed, true);
  const names = new Map<string, string>();
  const used = new Map<string, string>();
  for (const g of groups) {
    if (!g.csm || names.has(g.csm)) continue;
    let name = g.csmName ?? users.name(g.csm);
    if (used.has(name) && used.get(name) !== g.csm) name = `${name} (${g.csm.slice(0, 15)})`;
    used.set(name, g.csm);
    names.set(g.csm, name);
  }
  const aggregator = new NpsAggregator(month);
  for (const g of groups) {
    const index = periodIndexOfLabel(g.label, month);
    if (index === null || !keep.has(index)) continue;
    aggregator.addCounts(g.csm ? (names.get(g.csm) ?? g.csm) : UNASSIGNED, g.metric, index, g);
  }
  const shown = new Set(indexes.slice(0, TABLE_MONTHS).map((i) => aggregator.label(i)));
  const results = computeGroupResults(aggregator, settings).filter((r) => shown.has(r.period));
  const team = computeGroupResults(aggregator.pooled('All CSMs'), settings).filter((r) =>
    shown.has(r.period)
  );
  return { results, team, settings };
}
