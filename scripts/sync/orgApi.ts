// Reading and writing the org through jsforce: REST query pages for small reads and Bulk API 2.0
// query above a threshold; sObject Collections (200 a call) for small writes and Bulk API 2.0 ingest
// above it. Rows are handed over page by page, so memory follows the page, not the whole result.
// Request-level errors keep their Salesforce error code; per-record errors are returned, not thrown.

import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import type { Connection } from 'jsforce';
import { HttpApi } from 'jsforce/lib/http-api.js';
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
  /** Rows per Bulk API 2.0 results page. */
  bulkPageSize?: number;
  /** First wait between Bulk job status checks (grows to 5 s). */
  bulkPollMs?: number;
  /** How long a Bulk job may take before the sync gives up on it. */
  bulkTimeoutMs?: number;
}

interface QueryPage {
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

const LOCK_RETRIES = 2;

export class OrgApi {
  readonly bulkThreshold: number;
  private readonly bulkPageSize: number;
  private readonly bulkPollMs: number;
  private readonly bulkTimeoutMs: number;

  constructor(
    readonly conn: Connection,
    options: OrgApiOptions
  ) {
    this.bulkThreshold = options.bulkThreshold;
    this.bulkPageSize = options.bulkPageSize ?? 100_000;
    this.bulkPollMs = options.bulkPollMs ?? 250;
    this.bulkTimeoutMs = options.bulkTimeoutMs ?? 30 * 60_000;
  }

  private get base(): string {
    return `/services/data/v${this.conn.version}`;
  }

  /** describe of an object (one API call; cached by the caller). */
  async describe(
    objectName: string
  ): Promise<{
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
    let page: QueryPage;
    const resource = options.all ? 'queryAll' : 'query';
    try {
      page = (await this.conn.request({
        method: 'GET',
        url: `${this.base}/${resource}?q=${encodeURIComponent(soql)}`,
        headers: { 'Sforce-Query-Options': 'batchSize=2000' }
      })) as QueryPage;
    } catch (error) {
      rethrowApiError(error, `query ${soql.slice(0, 120)}`);
    }
    if (!page.done && page.totalSize >= this.bulkThreshold)
      return this.bulkQuery(soql, onPage, options.all ?? false);
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

  /** All rows of a small query (settings, state). */
  async queryRows(soql: string, options: { all?: boolean } = {}): Promise<Row[]> {
    const out: Row[] = [];
    await this.query(soql, (rows) => void out.push(...rows), options);
    return out;
  }

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

  private async pollJob(kind: 'query' | 'ingest', id: string): Promise<Record<string, unknown>> {
    const started = Date.now();
    let wait = this.bulkPollMs;
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
      if (Date.now() - started > this.bulkTimeoutMs) {
        throw new SyncError(
          `Bulk API ${kind} job ${id} did not finish in ${Math.round(this.bulkTimeoutMs / 60_000)} minutes; run the sync again (it resumes)`
        );
      }
      await sleep(wait);
      wait = Math.min(5000, wait * 2);
    }
  }

  /** Bulk API 2.0 query: create the job, wait, read the CSV results page by page (Sforce-Locator). */
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
      for (;;) {
        const params = new URLSearchParams({ maxRecords: String(this.bulkPageSize) });
        if (locator) params.set('locator', locator);
        let next: string | null = null;
        const text = await this.bulkRequest<string>(
          { method: 'GET', path: `/jobs/query/${job.id}/results?${params.toString()}`, accept: 'text/csv' },
          (headers) => {
            const value = headers['sforce-locator'];
            next = value && value !== 'null' ? value : null;
          },
          'text/plain'
        );
        const records = parseCsv(typeof text === 'string' ? text : String(text ?? ''), {
          bom: true,
          relax_column_count: false
        }) as string[][];
        const header = (records[0] ?? []).map((h) => h.toLowerCase());
        const rows = records.slice(1).map((cells) => rowFromCsv(header, cells));
        count += rows.length;
        await onPage(rows);
        if (!next) return count;
        locator = next;
      }
    } catch (error) {
      rethrowApiError(error, `Bulk API query ${soql.slice(0, 120)}`);
    }
  }

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
    const failures: RecordFailure[] = [];
    let written = 0;
    let pending = records;
    for (let round = 0; pending.length > 0; round++) {
      const locked: Record<string, unknown>[] = [];
      for (let i = 0; i < pending.length; i += 200) {
        const chunk = pending.slice(i, i + 200);
        let results: SaveResultLike[];
        try {
          results = (await this.conn.request({
            method: 'PATCH',
            url: `${this.base}/composite/sobjects/${objectName}/${externalIdField}`,
            body: JSON.stringify({
              allOrNone: false,
              records: chunk.map((r) => ({ attributes: { type: objectName }, ...r }))
            }),
            headers: { 'content-type': 'application/json' }
          })) as SaveResultLike[];
        } catch (error) {
          rethrowApiError(error, `upsert ${objectName}`);
        }
        results.forEach((result, index) => {
          const record = chunk[index] as Record<string, unknown>;
          if (result.success) {
            written++;
            return;
          }
          const lock = (result.errors ?? []).some(
            (e) => (e.statusCode ?? e.errorCode) === 'UNABLE_TO_LOCK_ROW'
          );
          if (lock && round < LOCK_RETRIES) locked.push(record);
          else failures.push({ key: String(record[externalIdField]), error: describeSaveError(result) });
        });
        onProgress?.(written + failures.length);
      }
      pending = locked;
      if (pending.length > 0) await sleep(500 * (round + 1));
    }
    return { written, failures };
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
    const failures: RecordFailure[] = [];
    let written = 0;
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      let results: SaveResultLike[];
      try {
        results = (await this.conn.request({
          method: 'DELETE',
          url: `${this.base}/composite/sobjects?ids=${chunk.join(',')}&allOrNone=false`
        })) as SaveResultLike[];
      } catch (error) {
        rethrowApiError(error, `delete ${objectName}`);
      }
      results.forEach((result, index) => {
        const gone = (result.errors ?? []).some((e) =>
          ['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY'].includes(e.statusCode ?? e.errorCode ?? '')
        );
        if (result.success || gone) written++;
        else failures.push({ key: keyOf(chunk[index] as string), error: describeSaveError(result) });
      });
    }
    return { written, failures };
  }

  /** Bulk API 2.0 ingest (upsert or delete) with per-record failures read from failedResults. */
  private async bulkIngest(
    objectName: string,
    operation: 'upsert' | 'delete',
    externalIdField: string,
    records: Record<string, unknown>[],
    onProgress?: (done: number) => void,
    keyOf: (key: string) => string = (key) => key
  ): Promise<WriteOutcome> {
    const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
    // Bulk API 2.0: an empty cell leaves a field unchanged; #N/A sets it to null.
    const toCell = (value: unknown): string =>
      value === null
        ? '#N/A'
        : value === undefined
          ? ''
          : typeof value === 'boolean'
            ? String(value)
            : String(value);
    // One job holds at most 150 MB of CSV; stay well under it.
    const chunks: Record<string, unknown>[][] = [];
    let current: Record<string, unknown>[] = [];
    let size = 0;
    for (const record of records) {
      const estimate = columns.reduce((n, c) => n + toCell(record[c]).length + 3, 1);
      if (size + estimate > 90 * 1024 * 1024 && current.length > 0) {
        chunks.push(current);
        current = [];
        size = 0;
      }
      current.push(record);
      size += estimate;
    }
    if (current.length > 0) chunks.push(current);

    const failures: RecordFailure[] = [];
    let done = 0;
    try {
      for (const chunk of chunks) {
        const csv = stringifyCsv([columns, ...chunk.map((r) => columns.map((c) => toCell(r[c])))], {
          record_delimiter: 'unix'
        });
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
        await this.bulkRequest({
          method: 'PUT',
          path: `/jobs/ingest/${job.id}/batches`,
          contentType: 'text/csv',
          body: csv
        });
        await this.bulkRequest({
          method: 'PATCH',
          path: `/jobs/ingest/${job.id}`,
          contentType: 'application/json; charset=utf-8',
          body: JSON.stringify({ state: 'UploadComplete' })
        });
        const info = await this.pollJob('ingest', job.id);
        const failed = Number(info.numberRecordsFailed ?? 0);
        const processed = Number(info.numberRecordsProcessed ?? 0);
        if (String(info.state) !== 'JobComplete') {
          throw new SyncError(
            `Bulk API ${operation} job ${job.id} on ${objectName} ${String(info.state).toLowerCase()}: ${String(info.errorMessage ?? 'no reason given')}`
          );
        }
        const failedKeys = new Set<string>();
        if (failed > 0) {
          const text = await this.bulkRequest<string>(
            { method: 'GET', path: `/jobs/ingest/${job.id}/failedResults`, accept: 'text/csv' },
            undefined,
            'text/plain'
          );
          const rows = parseCsv(String(text), { columns: true, bom: true }) as Record<string, string>[];
          for (const row of rows) {
            const key = row[externalIdField] ?? row.Id ?? row.sf__Id ?? '';
            failedKeys.add(key);
            failures.push({ key: keyOf(key), error: row.sf__Error ?? 'failed' });
          }
        }
        if (processed < chunk.length) {
          // Records Salesforce never reached (job stopped early): reported, so the run is not silently partial.
          for (const record of chunk.slice(processed)) {
            const key = String(record[externalIdField]);
            if (!failedKeys.has(key))
              failures.push({
                key: keyOf(key),
                error: 'not processed by the Bulk API job; run the sync again'
              });
          }
        }
        done += chunk.length;
        onProgress?.(done);
      }
    } catch (error) {
      rethrowApiError(error, `Bulk API ${operation} of ${objectName}`);
    }
    return { written: records.length - failures.length, failures };
  }
}
