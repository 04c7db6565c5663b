// Reading and writing the org through jsforce, in as few API calls as the data allows (every org has a
// daily allowance shared with every other integration):
// - independent requests go out together in one Composite request (/composite: up to 25 subrequests,
//   at most 5 of them queries or sObject Collections; Salesforce counts the whole request as ONE call);
// - a query's first page comes back in such a request; a large result then goes through Bulk API 2.0,
//   whose results are read as a stream (bulkStream.ts), so memory follows a chunk of rows, not the result;
// - writes go 200 records a collection, five collections a composite request (1,000 records a call),
//   and through Bulk API 2.0 ingest from CSV files on disk above a threshold.
// Request-level errors keep their Salesforce error code; per-record errors are returned, not thrown.

import { parse as parseCsv } from 'csv-parse/sync';
import type { Connection } from 'jsforce';
import { HttpApi } from 'jsforce/lib/http-api.js';
import { CsvSpool, DirectHttp, streamResultsPage, uploadFile, type SpoolFile } from './bulkStream';
import { errorCodeOf, RequestLimitError, SyncError, messageOf } from './errors';

/** A record with its field paths lower-cased and flattened (`response.completiondatetime`); '' and null are null. */
export type Row = Map<string, unknown>;

export interface RecordFailure {
  /** The external id (or Id) of the record that failed. */
  key: string;
  error: string;
}

export interface WriteOutcome {
  written: number;
  failures: RecordFailure[];
}

export interface OrgApiOptions {
  /** At or above this many records a read or a write goes through Bulk API 2.0. */
  bulkThreshold: number;
  /** Rows per Bulk API 2.0 results page (maxRecords; each page is one API call, read as a stream). */
  bulkPageSize?: number;
  /** First wait between Bulk job status checks. */
  bulkPollMs?: number;
  /** How long a Bulk job may take before the sync gives up on it. */
  bulkTimeoutMs?: number;
}

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

interface SaveResultLike {
  id?: string;
  success: boolean;
  created?: boolean;
  errors?: { statusCode?: string; errorCode?: string; message: string; fields?: string[] }[];
}

/** One request inside a Composite request: `path` is below /services/data/vXX.X (`/query?q=…`). */
export interface SubRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SubResult {
  status: number;
  body: unknown;
}

/** The error of a query or subrequest Salesforce refused (the rest of a composite request still ran). */
export interface ApiFailure {
  errorCode: string;
  message: string;
}

export type FirstPage = { page: QueryPage; error?: undefined } | { page?: undefined; error: ApiFailure };

/** A query for runQueries: its rows go to `onPage`; `onError` may accept a refusal (return true) instead of stopping. */
export interface QueryItem {
  soql: string;
  all?: boolean;
  /** Straight to Bulk API 2.0 (the caller knows the result is large). */
  forceBulk?: boolean;
  onPage: (rows: Row[]) => void | Promise<void>;
  /** The query's totalSize, from its first page (a COUNT() query answers with it alone). */
  onTotal?: (totalSize: number) => void;
  onError?: (error: ApiFailure) => boolean;
}

/** Records to write in sObject Collections: upserts by an external id, or deletes by Id. */
export type CollectionWrite =
  | { kind: 'upsert'; objectName: string; externalIdField: string; records: Record<string, unknown>[] }
  | { kind: 'delete'; objectName: string; ids: string[]; keyOf?: (id: string) => string };

const MAX_SUBREQUESTS = 25;
/** Queries (and their next pages) and sObject Collections allowed in one composite request. */
const MAX_QUERIES_OR_COLLECTIONS = 5;
const COLLECTION_SIZE = 200;
const REST_PAGE = 2000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function flatten(record: Record<string, unknown>, prefix: string, into: Row): Row {
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    const path = prefix + key.toLowerCase();
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      flatten(value as Record<string, unknown>, `${path}.`, into);
    else into.set(path, value === '' ? null : value);
  }
  return into;
}

function rowFromCsv(header: string[], cells: string[]): Row {
  const row: Row = new Map();
  header.forEach((name, i) => {
    const cell = cells[i];
    row.set(name, cell === undefined || cell === '' ? null : cell);
  });
  return row;
}

function describeSaveError(result: SaveResultLike): string {
  const errors = result.errors ?? [];
  if (errors.length === 0) return 'failed without a reason from Salesforce';
  return errors
    .map(
      (e) =>
        `${e.statusCode ?? e.errorCode ?? 'ERROR'}: ${e.message}${e.fields && e.fields.length > 0 ? ` (${e.fields.join(', ')})` : ''}`
    )
    .join('; ');
}

/** Re-throws API errors the sync must stop on in the sync's own terms. */
export function rethrowApiError(error: unknown, what: string): never {
  const code = errorCodeOf(error);
  if (code === 'REQUEST_LIMIT_EXCEEDED') throw new RequestLimitError(messageOf(error));
  if (error instanceof SyncError) throw error;
  const text = messageOf(error);
  if (
    /Unable to refresh session|INVALID_SESSION_ID|Session expired/i.test(text) ||
    code === 'INVALID_SESSION_ID'
  ) {
    throw new SyncError(
      `${what}: the Salesforce session expired and could not be renewed (${text.slice(0, 200)}). ` +
        'With SF_ACCESS_TOKEN, get a fresh token; --target-org and the JWT flow renew it by themselves.'
    );
  }
  throw new SyncError(`${what}: ${code ? `${code}: ` : ''}${text.slice(0, 500)}`);
}

/** An sObject Collections upsert by external id as a subrequest (at most 200 records). */
export function upsertSubrequest(
  objectName: string,
  externalIdField: string,
  records: Record<string, unknown>[]
): SubRequest {
  return {
    method: 'PATCH',
    path: `/composite/sobjects/${objectName}/${externalIdField}`,
    body: { allOrNone: false, records: records.map((r) => ({ attributes: { type: objectName }, ...r })) }
  };
}

/** The error of the first record of a collection subrequest's answer (or of the request), or null when it saved. */
export function firstSaveError(result: SubResult): string | null {
  if (result.status < 200 || result.status >= 300) {
    const failure = failureOf(result);
    return `${failure.errorCode}: ${failure.message}`;
  }
  const save = (result.body as SaveResultLike[] | null)?.[0];
  if (!save) return 'no save result from Salesforce';
  return save.success ? null : describeSaveError(save);
}

/** A query subrequest (first page of up to 2,000 rows). */
export function querySubrequest(soql: string, all = false): SubRequest {
  return {
    method: 'GET',
    path: `/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`,
    headers: { 'Sforce-Query-Options': `batchSize=${REST_PAGE}` }
  };
}

function isQueryOrCollection(sub: SubRequest): boolean {
  return /^\/(query|queryAll)([/?]|$)/.test(sub.path) || /^\/composite\/sobjects([/?]|$)/.test(sub.path);
}

function failureOf(result: SubResult): ApiFailure {
  const body = result.body as
    { errorCode?: string; message?: string }[] | { errorCode?: string; message?: string } | null;
  const first = Array.isArray(body) ? body[0] : body;
  return {
    errorCode: first?.errorCode ?? `HTTP_${result.status}`,
    message: first?.message ?? `HTTP ${result.status}`
  };
}

/** Throws the refusal of a subrequest the run cannot go on without. */
export function throwFailure(failure: ApiFailure, what: string): never {
  rethrowApiError(Object.assign(new Error(failure.message), { errorCode: failure.errorCode }), what);
}

const LOCK_RETRIES = 2;

/** Longest wait between two status checks of a Bulk job whose progress gives no estimate yet. */
const BLIND_POLL_CAP_MS = 30_000;
/** Longest wait planned from a job's progress: a long job is checked a few times, not every 30 s. */
const ESTIMATED_POLL_CAP_MS = 5 * 60_000;

/**
 * How long to wait before the next status check of a Bulk API job (each check is an API call, counted
 * against the org's daily allowance). With progress (records processed of `total`, in `elapsedMs`), the
 * time the rest takes at the rate seen so far, plus a tenth, so that the next check usually finds the job
 * done — up to 5 minutes; without, the last wait doubled (from `pollMs`) up to 30 s. Never past the job's
 * timeout: the last check falls on it.
 */
export function bulkPollWait(job: {
  pollMs: number;
  /** The previous wait (0 before the first). */
  sleptMs: number;
  elapsedMs: number;
  processed: number;
  /** Records in the job (0: unknown, e.g. a query job). */
  total: number;
  timeoutMs: number;
}): number {
  let wait: number;
  if (job.total > 0 && job.processed > 0 && job.elapsedMs > 0) {
    const remainingMs = ((job.total - job.processed) * job.elapsedMs) / job.processed;
    wait = Math.min(ESTIMATED_POLL_CAP_MS, remainingMs * 1.1 + job.pollMs);
  } else {
    wait = job.sleptMs === 0 ? job.pollMs : Math.min(BLIND_POLL_CAP_MS, job.sleptMs * 2);
  }
  return Math.max(job.pollMs, Math.min(wait, job.timeoutMs - job.elapsedMs));
}

export class OrgApi {
  readonly bulkThreshold: number;
  private readonly bulkPageSize: number;
  private readonly bulkPollMs: number;
  private readonly bulkTimeoutMs: number;
  private readonly http: DirectHttp;
  /** The results of the leading subrequests of the last firstPages call. */
  private leadingResults: SubResult[] = [];

  constructor(
    readonly conn: Connection,
    options: OrgApiOptions
  ) {
    this.bulkThreshold = options.bulkThreshold;
    this.bulkPageSize = options.bulkPageSize ?? 1_000_000;
    this.bulkPollMs = options.bulkPollMs ?? 250;
    this.bulkTimeoutMs = options.bulkTimeoutMs ?? 30 * 60_000;
    this.http = new DirectHttp(conn);
  }

  private get base(): string {
    return `/services/data/v${this.conn.version}`;
  }

  /** describe of an object (one API call; cached by the caller). */
  async describe(objectName: string): Promise<{
    name: string;
    fields: { name: string; type: string; referenceTo?: string[] | null; relationshipName?: string | null }[];
  }> {
    try {
      return (await this.conn.request(
        `${this.base}/sobjects/${encodeURIComponent(objectName)}/describe`
      )) as Awaited<ReturnType<OrgApi['describe']>>;
    } catch (error) {
      if (errorCodeOf(error) === 'NOT_FOUND')
        throw new SyncError(`the org has no object ${objectName}, or the sync user cannot see it`);
      rethrowApiError(error, `describe ${objectName}`);
    }
  }

  // --- composite ---------------------------------------------------------------------------------

  /**
   * Sends the subrequests in order, as few API calls as Salesforce allows: one Composite request per
   * 25 subrequests holding at most 5 queries or collections (allOrNone false, executed in order). A
   * lone subrequest goes out as a plain request. A subrequest Salesforce refuses fails alone.
   */
  async composite(subs: SubRequest[]): Promise<SubResult[]> {
    const out: SubResult[] = [];
    for (let i = 0; i < subs.length;) {
      const group: SubRequest[] = [];
      let heavy = 0;
      while (i < subs.length && group.length < MAX_SUBREQUESTS) {
        const sub = subs[i] as SubRequest;
        const isHeavy = isQueryOrCollection(sub);
        if (isHeavy && heavy === MAX_QUERIES_OR_COLLECTIONS) break;
        if (isHeavy) heavy++;
        group.push(sub);
        i++;
      }
      out.push(
        ...(group.length === 1
          ? [await this.single(group[0] as SubRequest)]
          : await this.compositeCall(group))
      );
    }
    return out;
  }

  private async single(sub: SubRequest): Promise<SubResult> {
    try {
      const body = await this.conn.request({
        method: sub.method,
        url: `${this.base}${sub.path}`,
        headers: {
          ...(sub.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(sub.headers ?? {})
        },
        ...(sub.body !== undefined ? { body: JSON.stringify(sub.body) } : {})
      });
      return { status: 200, body };
    } catch (error) {
      const code = errorCodeOf(error);
      // A refusal of this request (bad query, unknown field…) is its answer; anything else stops the run.
      if (
        !code ||
        code === 'REQUEST_LIMIT_EXCEEDED' ||
        code === 'INVALID_SESSION_ID' ||
        error instanceof SyncError
      )
        rethrowApiError(error, `${sub.method} ${sub.path.slice(0, 120)}`);
      return { status: 400, body: [{ errorCode: code, message: messageOf(error) }] };
    }
  }

  private async compositeCall(group: SubRequest[]): Promise<SubResult[]> {
    let answer: { compositeResponse: { body: unknown; httpStatusCode: number; referenceId: string }[] };
    try {
      answer = (await this.conn.request({
        method: 'POST',
        url: `${this.base}/composite`,
        body: JSON.stringify({
          allOrNone: false,
          collateSubrequests: false,
          compositeRequest: group.map((sub, i) => ({
            method: sub.method,
            url: `${this.base}${sub.path}`,
            referenceId: `r${i}`,
            ...(sub.body !== undefined ? { body: sub.body } : {}),
            ...(sub.headers ? { httpHeaders: sub.headers } : {})
          }))
        }),
        headers: { 'content-type': 'application/json' }
      })) as typeof answer;
    } catch (error) {
      rethrowApiError(error, `composite request (${group.length} subrequests)`);
    }
    const byRef = new Map(answer.compositeResponse.map((r) => [r.referenceId, r]));
    return group.map((_, i) => {
      const r = byRef.get(`r${i}`);
      if (!r)
        return {
          status: 500,
          body: [{ errorCode: 'MISSING_RESPONSE', message: 'no answer to this subrequest' }]
        };
      return { status: r.httpStatusCode, body: r.body };
    });
  }

  // --- queries -----------------------------------------------------------------------------------

  /** The first page (up to 2,000 rows) of each query, in as few calls as possible. */
  async firstPages(
    queries: { soql: string; all?: boolean }[],
    leading: SubRequest[] = []
  ): Promise<FirstPage[]> {
    const results = await this.composite([
      ...leading,
      ...queries.map((q) => querySubrequest(q.soql, q.all ?? false))
    ]);
    this.leadingResults = results.slice(0, leading.length);
    return results
      .slice(leading.length)
      .map((result) =>
        result.status >= 200 && result.status < 300
          ? { page: result.body as QueryPage }
          : { error: failureOf(result) }
      );
  }

  /**
   * Hands over every row of a query whose first page is in hand: that page and the next ones when the
   * result is small; when it holds `bulkThreshold` rows or more, the whole result again through Bulk
   * API 2.0 (the first page is then not handed over).
   */
  async finish(
    first: QueryPage,
    soql: string,
    onPage: (rows: Row[]) => void | Promise<void>,
    all = false
  ): Promise<number> {
    if (!first.done && first.totalSize >= this.bulkThreshold) return this.bulkQuery(soql, onPage, all);
    let page = first;
    let count = 0;
    for (;;) {
      const rows = page.records.map((r) => flatten(r, '', new Map()));
      count += rows.length;
      await onPage(rows);
      if (page.done || !page.nextRecordsUrl) return count;
      try {
        page = (await this.conn.request(page.nextRecordsUrl)) as QueryPage;
      } catch (error) {
        rethrowApiError(error, `query ${soql.slice(0, 120)} (next page)`);
      }
    }
  }

  /**
   * Runs a query and hands its rows over page by page. REST pages (2,000 rows) when the result is small;
   * when the first page says there are at least `bulkThreshold` rows, the same query goes through Bulk API 2.0.
   */
  async query(
    soql: string,
    onPage: (rows: Row[]) => void | Promise<void>,
    options: { all?: boolean; forceBulk?: boolean } = {}
  ): Promise<number> {
    if (options.forceBulk) return this.bulkQuery(soql, onPage, options.all ?? false);
    const [first] = await this.firstPages([{ soql, all: options.all ?? false }]);
    if (!first?.page)
      throwFailure(
        first?.error ?? { errorCode: 'UNKNOWN', message: 'no answer' },
        `query ${soql.slice(0, 120)}`
      );
    return this.finish(first.page, soql, onPage, options.all ?? false);
  }

  /**
   * Several independent queries: their first pages in as few calls as possible, then each to its end, in
   * order. `leading` subrequests (e.g. a write that must come first) go out ahead of them in the same
   * composite request; their results are returned, in order.
   */
  async runQueries(items: QueryItem[], leading: SubRequest[] = []): Promise<SubResult[]> {
    const rest = items.filter((item) => !item.forceBulk);
    const pages = await this.firstPages(
      rest.map((item) => ({ soql: item.soql, all: item.all ?? false })),
      leading
    );
    const leadingResults = this.leadingResults;
    const firstOf = new Map(rest.map((item, i) => [item, pages[i] as FirstPage]));
    for (const item of items) {
      if (item.forceBulk) {
        await this.bulkQuery(item.soql, item.onPage, item.all ?? false);
        continue;
      }
      const first = firstOf.get(item) as FirstPage;
      if (first.error) {
        if (item.onError?.(first.error)) continue;
        throwFailure(first.error, `query ${item.soql.slice(0, 120)}`);
      }
      item.onTotal?.(first.page.totalSize);
      await this.finish(first.page, item.soql, item.onPage, item.all ?? false);
    }
    return leadingResults;
  }

  /** All rows of a small query (settings, state). */
  async queryRows(soql: string, options: { all?: boolean } = {}): Promise<Row[]> {
    const out: Row[] = [];
    await this.query(soql, (rows) => void out.push(...rows), options);
    return out;
  }

  // --- Bulk API 2.0 -------------------------------------------------------------------------------

  private bulkRequest<T>(
    request: {
      method: 'GET' | 'POST' | 'PATCH' | 'PUT';
      path: string;
      body?: string;
      contentType?: string;
      accept?: string;
    },
    onHeaders?: (headers: Record<string, string>) => void,
    responseType?: string
  ): Promise<T> {
    const api = new HttpApi(this.conn, responseType ? { responseType } : {});
    if (onHeaders)
      api.on('response', (response: { headers: Record<string, string> }) => onHeaders(response.headers));
    const headers: Record<string, string> = {};
    if (request.contentType) headers['Content-Type'] = request.contentType;
    if (request.accept) headers.Accept = request.accept;
    return api.request({
      method: request.method,
      url: `${this.conn.instanceUrl}${this.base}${request.path}`,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {})
    }) as Promise<T>;
  }

  /**
   * Waits for a Bulk job, with as few status calls as possible: the next check is planned from the
   * job's own progress (records processed so far and the time it took), not on a fixed beat.
   */
  private async pollJob(kind: 'query' | 'ingest', id: string, records = 0): Promise<Record<string, unknown>> {
    const started = Date.now();
    let slept = 0;
    // An ingest job has just been closed: it cannot be done yet, so the first check waits.
    if (kind === 'ingest') {
      slept = this.bulkPollMs;
      await sleep(slept);
    }
    for (;;) {
      const info = await this.bulkRequest<Record<string, unknown>>({
        method: 'GET',
        path: `/jobs/${kind}/${id}`
      });
      const state = String(info.state);
      if (state === 'JobComplete') return info;
      if (state === 'Failed' || state === 'Aborted') {
        if (kind === 'ingest') return info;
        throw new SyncError(
          `Bulk API query job ${id} ${state.toLowerCase()}: ${String(info.errorMessage ?? 'no reason given')}`
        );
      }
      const elapsed = Date.now() - started;
      if (elapsed > this.bulkTimeoutMs) {
        throw new SyncError(
          `Bulk API ${kind} job ${id} did not finish in ${Math.round(this.bulkTimeoutMs / 60_000)} minutes; run the sync again (it resumes)`
        );
      }
      slept = bulkPollWait({
        pollMs: this.bulkPollMs,
        sleptMs: slept,
        elapsedMs: elapsed,
        processed: Number(info.numberRecordsProcessed ?? 0),
        total: records,
        timeoutMs: this.bulkTimeoutMs
      });
      await sleep(slept);
    }
  }

  /**
   * Bulk API 2.0 query: create the job, wait, read the results page by page (Sforce-Locator), each page
   * as a stream handed over in chunks of at most 10,000 rows (or the page size, if smaller).
   */
  async bulkQuery(soql: string, onPage: (rows: Row[]) => void | Promise<void>, all = false): Promise<number> {
    try {
      const job = await this.bulkRequest<{ id: string }>({
        method: 'POST',
        path: '/jobs/query',
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify({
          operation: all ? 'queryAll' : 'query',
          query: soql,
          contentType: 'CSV',
          columnDelimiter: 'COMMA',
          lineEnding: 'LF'
        })
      });
      await this.pollJob('query', job.id);
      let locator: string | null = null;
      let count = 0;
      const chunk = Math.min(10_000, this.bulkPageSize);
      for (;;) {
        const params = new URLSearchParams({ maxRecords: String(this.bulkPageSize) });
        if (locator) params.set('locator', locator);
        const page = await streamResultsPage(
          this.http,
          `${this.conn.instanceUrl}${this.base}/jobs/query/${job.id}/results?${params.toString()}`,
          chunk,
          async (header, cells) => {
            const rows = cells.map((c) => rowFromCsv(header, c));
            count += rows.length;
            await onPage(rows);
          }
        );
        if (page.rows === 0 && count === 0) await onPage([]);
        if (!page.next) return count;
        locator = page.next;
      }
    } catch (error) {
      rethrowApiError(error, `Bulk API query ${soql.slice(0, 120)}`);
    }
  }

  // --- writes ------------------------------------------------------------------------------------

  /**
   * Upserts records by an external id. Per-record failures are returned; UNABLE_TO_LOCK_ROW is retried.
   * `records` values: null clears the field.
   */
  async upsert(
    objectName: string,
    externalIdField: string,
    records: Record<string, unknown>[],
    onProgress?: (done: number) => void
  ): Promise<WriteOutcome> {
    if (records.length === 0) return { written: 0, failures: [] };
    if (records.length >= this.bulkThreshold)
      return this.bulkIngest(objectName, 'upsert', externalIdField, records, onProgress);
    const [outcome] = await this.writeCollections(
      [{ kind: 'upsert', objectName, externalIdField, records }],
      onProgress
    );
    return outcome as WriteOutcome;
  }

  /** Deletes records by Id; an Id already deleted counts as done (a re-run after a crash). */
  async delete(
    objectName: string,
    ids: string[],
    keyOf: (id: string) => string = (id) => id
  ): Promise<WriteOutcome> {
    if (ids.length === 0) return { written: 0, failures: [] };
    if (ids.length >= this.bulkThreshold) {
      return this.bulkIngest(
        objectName,
        'delete',
        'Id',
        ids.map((Id) => ({ Id })),
        undefined,
        keyOf
      );
    }
    const [outcome] = await this.writeCollections([{ kind: 'delete', objectName, ids, keyOf }]);
    return outcome as WriteOutcome;
  }

  /**
   * Writes through sObject Collections (200 records each), five collections a composite request, in
   * order — so a write placed last (the sync state) goes out after the others. Records that fail with
   * UNABLE_TO_LOCK_ROW are tried again (twice). One outcome per write.
   */
  async writeCollections(
    writes: CollectionWrite[],
    onProgress?: (done: number) => void
  ): Promise<WriteOutcome[]> {
    const outcomes: WriteOutcome[] = writes.map(() => ({ written: 0, failures: [] }));
    interface Piece {
      write: number;
      sub: SubRequest;
      records?: Record<string, unknown>[];
      ids?: string[];
    }
    let pending: { write: number; records?: Record<string, unknown>[]; ids?: string[] }[] = writes.map(
      (w, i) => (w.kind === 'upsert' ? { write: i, records: w.records } : { write: i, ids: w.ids })
    );
    let done = 0;
    for (let round = 0; pending.length > 0; round++) {
      const pieces: Piece[] = [];
      for (const p of pending) {
        const w = writes[p.write] as CollectionWrite;
        if (w.kind === 'upsert') {
          const records = p.records ?? [];
          for (let i = 0; i < records.length; i += COLLECTION_SIZE) {
            const chunk = records.slice(i, i + COLLECTION_SIZE);
            pieces.push({
              write: p.write,
              records: chunk,
              sub: upsertSubrequest(w.objectName, w.externalIdField, chunk)
            });
          }
        } else {
          const ids = p.ids ?? [];
          for (let i = 0; i < ids.length; i += COLLECTION_SIZE) {
            const chunk = ids.slice(i, i + COLLECTION_SIZE);
            pieces.push({
              write: p.write,
              ids: chunk,
              sub: { method: 'DELETE', path: `/composite/sobjects?ids=${chunk.join(',')}&allOrNone=false` }
            });
          }
        }
      }
      const results = await this.composite(pieces.map((p) => p.sub));
      const locked = new Map<number, { records: Record<string, unknown>[]; ids: string[] }>();
      pieces.forEach((piece, n) => {
        const w = writes[piece.write] as CollectionWrite;
        const outcome = outcomes[piece.write] as WriteOutcome;
        const result = results[n] as SubResult;
        if (result.status < 200 || result.status >= 300)
          throwFailure(failureOf(result), `${w.kind} ${w.objectName}`);
        const saves = result.body as SaveResultLike[];
        saves.forEach((save, index) => {
          const codes = (save.errors ?? []).map((e) => e.statusCode ?? e.errorCode ?? '');
          // A delete of a record already gone counts as done (a re-run after a crash).
          const gone =
            w.kind === 'delete' &&
            codes.some((c) => c === 'ENTITY_IS_DELETED' || c === 'INVALID_CROSS_REFERENCE_KEY');
          if (save.success || gone) {
            outcome.written++;
            done++;
            return;
          }
          const retry = () => {
            const list = locked.get(piece.write) ?? { records: [], ids: [] };
            locked.set(piece.write, list);
            return list;
          };
          const lockedRow = codes.includes('UNABLE_TO_LOCK_ROW') && round < LOCK_RETRIES;
          if (w.kind === 'upsert') {
            const record = (piece.records as Record<string, unknown>[])[index] as Record<string, unknown>;
            if (lockedRow) retry().records.push(record);
            else
              outcome.failures.push({
                key: String(record[w.externalIdField]),
                error: describeSaveError(save)
              });
          } else {
            const id = (piece.ids as string[])[index] as string;
            if (lockedRow) retry().ids.push(id);
            else
              outcome.failures.push({
                key: (w.keyOf ?? ((x: string) => x))(id),
                error: describeSaveError(save)
              });
          }
          if (!lockedRow) done++;
        });
      });
      onProgress?.(done);
      pending = [...locked].map(([write, retry]) =>
        (writes[write] as CollectionWrite).kind === 'upsert'
          ? { write, records: retry.records }
          : { write, ids: retry.ids }
      );
      if (pending.length > 0) await sleep(500 * (round + 1));
    }
    return outcomes;
  }

  /** A CSV spool for records too many to hold (Bulk API 2.0 ingest reads it from disk). */
  spool(columns: string[]): CsvSpool {
    return new CsvSpool(columns);
  }

  /**
   * Bulk API 2.0 ingest (upsert or delete) with per-record failures read from failedResults. Records
   * that failed with UNABLE_TO_LOCK_ROW go into a new job, up to twice, as the REST path retries them.
   */
  private async bulkIngest(
    objectName: string,
    operation: 'upsert' | 'delete',
    externalIdField: string,
    records: Record<string, unknown>[],
    onProgress?: (done: number) => void,
    keyOf: (key: string) => string = (key) => key
  ): Promise<WriteOutcome> {
    const spool = new CsvSpool([...new Set(records.flatMap((r) => Object.keys(r)))]);
    try {
      for (const record of records) spool.add(record);
      spool.close();
      return await this.ingestSpool(objectName, operation, externalIdField, spool, onProgress, keyOf);
    } finally {
      spool.remove();
    }
  }

  /** Bulk API 2.0 ingest of the records of a spool (one job per file), with the lock retries of bulkIngest. */
  async ingestSpool(
    objectName: string,
    operation: 'upsert' | 'delete',
    externalIdField: string,
    spool: CsvSpool,
    onProgress?: (done: number) => void,
    keyOf: (key: string) => string = (key) => key
  ): Promise<WriteOutcome> {
    const failures: RecordFailure[] = [];
    let written = 0;
    let round = 0;
    let current = spool;
    try {
      for (;;) {
        const outcome = await this.ingestJobs(
          objectName,
          operation,
          externalIdField,
          current,
          round === 0 ? onProgress : undefined
        );
        written += outcome.written;
        const locked: Record<string, string>[] = [];
        for (const failure of outcome.failures) {
          if (failure.row && round < LOCK_RETRIES && /^UNABLE_TO_LOCK_ROW\b/.test(failure.error))
            locked.push(failure.row);
          else failures.push({ key: keyOf(failure.key), error: failure.error });
        }
        if (locked.length === 0) break;
        if (current !== spool) current.remove();
        current = new CsvSpool(spool.columns);
        for (const row of locked)
          current.add(Object.fromEntries(spool.columns.map((c) => [c, row[c] === '' ? undefined : row[c]])));
        current.close();
        round++;
        await sleep(500 * round);
      }
    } finally {
      if (current !== spool) current.remove();
    }
    return { written, failures };
  }

  /**
   * The jobs of one round: every file is uploaded and closed first (Salesforce works on them together),
   * then each job is waited for. Failures are keyed by the external id (or Id) as sent, with the row.
   */
  private async ingestJobs(
    objectName: string,
    operation: 'upsert' | 'delete',
    externalIdField: string,
    spool: CsvSpool,
    onProgress?: (done: number) => void
  ): Promise<{ written: number; failures: (RecordFailure & { row?: Record<string, string> })[] }> {
    const failures: (RecordFailure & { row?: Record<string, string> })[] = [];
    let done = 0;
    try {
      const jobs: { id: string; file: SpoolFile }[] = [];
      for (const file of spool.files) {
        const job = await this.bulkRequest<{ id: string }>({
          method: 'POST',
          path: '/jobs/ingest',
          contentType: 'application/json; charset=utf-8',
          body: JSON.stringify({
            object: objectName,
            operation,
            ...(operation === 'upsert' ? { externalIdFieldName: externalIdField } : {}),
            contentType: 'CSV',
            columnDelimiter: 'COMMA',
            lineEnding: 'LF'
          })
        });
        await uploadFile(
          this.http,
          `${this.conn.instanceUrl}${this.base}/jobs/ingest/${job.id}/batches`,
          file
        );
        await this.bulkRequest({
          method: 'PATCH',
          path: `/jobs/ingest/${job.id}`,
          contentType: 'application/json; charset=utf-8',
          body: JSON.stringify({ state: 'UploadComplete' })
        });
        jobs.push({ id: job.id, file });
      }
      for (const { id, file } of jobs) {
        const info = await this.pollJob('ingest', id, file.rows);
        const failed = Number(info.numberRecordsFailed ?? 0);
        const processed = Number(info.numberRecordsProcessed ?? 0);
        if (String(info.state) !== 'JobComplete') {
          throw new SyncError(
            `Bulk API ${operation} job ${id} on ${objectName} ${String(info.state).toLowerCase()}: ${String(info.errorMessage ?? 'no reason given')}`
          );
        }
        const failedKeys = new Set<string>();
        if (failed > 0) {
          const text = await this.bulkRequest<string>(
            { method: 'GET', path: `/jobs/ingest/${id}/failedResults`, accept: 'text/csv' },
            undefined,
            'text/plain'
          );
          const rows = parseCsv(String(text), { columns: true, bom: true }) as Record<string, string>[];
          for (const row of rows) {
            const key = row[externalIdField] ?? row.Id ?? row.sf__Id ?? '';
            failedKeys.add(key);
            failures.push({ key, error: row.sf__Error ?? 'failed', row });
          }
        }
        if (processed < file.rows) {
          // Records Salesforce never reached (job stopped early): reported, so the run is not silently partial.
          let n = 0;
          for await (const record of spool.records(file)) {
            if (n++ < processed) continue;
            const key = String(record[externalIdField] ?? '');
            if (!failedKeys.has(key))
              failures.push({ key, error: 'not processed by the Bulk API job; run the sync again' });
          }
        }
        done += file.rows;
        onProgress?.(done);
      }
    } catch (error) {
      rethrowApiError(error, `Bulk API ${operation} of ${objectName}`);
    }
    return { written: spool.rows - failures.length, failures };
  }
}
