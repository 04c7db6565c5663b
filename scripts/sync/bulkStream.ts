// Bulk API 2.0 bodies too large to hold: query results read as a stream (rows handed over a chunk at a
// time while the page downloads), and ingest data written to CSV files on disk and uploaded from them.
// jsforce buffers every response body in memory (and 3.10.16's bulk2.query stalls after ~500,000
// records), so these requests go out through Node's fetch, counted, retried and renewed like the
// jsforce calls (transport.ts): 502/503/504, dropped connections and stalls are retried with the same
// backoff; a 401 renews the session through jsforce's refresh; a results page cut short is read again
// from its locator, skipping the rows already handed over (the same locator gives the same rows).

import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { Connection } from 'jsforce';
import { messageOf, SyncError } from './errors';
import { isTransientNetworkError, ResilientTransport } from './transport';

const RETRY_STATUS = new Set([502, 503, 504]);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A Salesforce API error answered to a request sent here (carries the errorCode like jsforce's errors). */
export class DirectApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string
  ) {
    super(`${errorCode}: ${message}`);
    this.name = errorCode;
  }
}

class IncompleteBody extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncompleteBody';
  }
}

async function apiError(response: Response): Promise<DirectApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as
      { errorCode?: string; message?: string }[] | { errorCode?: string; message?: string };
    const first = Array.isArray(body) ? body[0] : body;
    if (first?.errorCode)
      return new DirectApiError(response.status, first.errorCode, first.message ?? `HTTP ${response.status}`);
  } catch {
    // not JSON
  }
  return new DirectApiError(
    response.status,
    `HTTP_${response.status}`,
    text.slice(0, 300) || `HTTP ${response.status}`
  );
}

/** Requests the sync sends itself (not through jsforce), with the connection's counter and retry policy. */
export class DirectHttp {
  constructor(private readonly conn: Connection) {}

  private get transport(): ResilientTransport | null {
    const transport = (this.conn as unknown as { _transport?: unknown })._transport;
    return transport instanceof ResilientTransport ? transport : null;
  }

  private async renewSession(): Promise<void> {
    const delegate = (
      this.conn as unknown as { _refreshDelegate?: { refresh(since: number): Promise<void> } }
    )._refreshDelegate;
    if (!delegate) throw new DirectApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    await delegate.refresh(Date.now());
  }

  /**
   * Sends a request and hands the response to `handle`. A transient failure — 502/503/504, a dropped
   * connection or a stall of `timeoutMs` without a byte, before or during the body — is retried;
   * `handle` is called again with the new response and must carry on where it stopped.
   */
  async send<T>(
    request: { method: 'GET' | 'PUT'; url: string; headers?: Record<string, string>; body?: () => Readable },
    handle: (response: Response, signal: { touch(): void }) => Promise<T>
  ): Promise<T> {
    const transport = this.transport;
    const policy = transport?.policy ?? {
      maxRetries: 5,
      timeoutMs: 120_000,
      baseDelayMs: 1000,
      maxDelayMs: 30_000
    };
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      transport?.counter.count();
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const touch = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => controller.abort(), policy.timeoutMs);
      };
      touch();
      let reason: string;
      try {
        const body = request.body?.();
        const response = await fetch(request.url, {
          method: request.method,
          headers: { Authorization: `Bearer ${this.conn.accessToken ?? ''}`, ...(request.headers ?? {}) },
          signal: controller.signal,
          ...(body ? { body: Readable.toWeb(body) as unknown as BodyInit, duplex: 'half' } : {})
        } as RequestInit);
        touch();
        if (response.status === 401 && !renewed) {
          await response.body?.cancel().catch(() => {});
          renewed = true;
          await this.renewSession();
          attempt--;
          continue;
        }
        if (RETRY_STATUS.has(response.status) && attempt < policy.maxRetries) {
          await response.body?.cancel().catch(() => {});
          reason = `HTTP ${response.status} from Salesforce`;
        } else if (!response.ok) {
          throw await apiError(response);
        } else {
          return await handle(response, { touch });
        }
      } catch (error) {
        const transient =
          error instanceof IncompleteBody ||
          (!(error instanceof DirectApiError) && isTransientNetworkError(error));
        if (!transient || attempt >= policy.maxRetries) {
          if (error instanceof IncompleteBody)
            throw new SyncError(
              `Bulk API query results arrived incomplete ${attempt + 1} times (${error.message}); nothing was written from them. Run the sync again.`
            );
          if (controller.signal.aborted && !(error instanceof DirectApiError))
            throw new SyncError(
              `no response from Salesforce within ${Math.round(policy.timeoutMs / 1000)} s`
            );
          throw error;
        }
        reason = controller.signal.aborted
          ? `no response from Salesforce within ${Math.round(policy.timeoutMs / 1000)} s`
          : messageOf(error);
      } finally {
        if (timer) clearTimeout(timer);
      }
      const delayMs = transport?.retryDelayMs(attempt) ?? 1000 * 2 ** attempt;
      transport?.onRetry({
        attempt: attempt + 1,
        maxRetries: policy.maxRetries,
        delayMs,
        reason,
        method: request.method,
        path: new URL(request.url).pathname
      });
      await sleep(delayMs);
    }
  }
}

/**
 * Reads one Bulk API 2.0 query results page as a stream: `onRows` gets the rows (lower-cased header →
 * cell) `chunkRows` at a time while the page downloads. The page's row count is checked against
 * Sforce-NumberOfRecords; a page cut short or garbled is read again, without the rows already handed over.
 */
export async function streamResultsPage(
  http: DirectHttp,
  url: string,
  chunkRows: number,
  onRows: (header: string[], rows: string[][]) => void | Promise<void>
): Promise<{ next: string | null; rows: number }> {
  let delivered = 0;
  return http.send({ method: 'GET', url, headers: { Accept: 'text/csv' } }, async (response, signal) => {
    const locator = response.headers.get('sforce-locator');
    const announcedText = response.headers.get('sforce-numberofrecords');
    const announced = announcedText !== null && /^\d+$/.test(announcedText) ? Number(announcedText) : null;
    let header: string[] | null = null;
    let seen = 0;
    let batch: string[][] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      await onRows(header as string[], rows);
    };
    const body = Readable.fromWeb(response.body as unknown as import('node:stream/web').ReadableStream);
    body.on('data', () => signal.touch());
    try {
      await pipeline(
        body,
        parse({ bom: true, relax_column_count: false }),
        async (records: AsyncIterable<string[]>) => {
          for await (const record of records) {
            if (header === null) {
              header = record.map((h) => h.toLowerCase());
              continue;
            }
            seen++;
            if (seen <= delivered) continue; // handed over before the page was cut short
            batch.push(record);
            delivered++;
            if (batch.length >= chunkRows) await flush();
          }
        }
      );
    } catch (error) {
      await flush();
      if (isTransientNetworkError(error)) throw error;
      throw new IncompleteBody(`a results page is not valid CSV (${messageOf(error).slice(0, 120)})`);
    }
    await flush();
    if (announced !== null && seen !== announced)
      throw new IncompleteBody(`a results page held ${seen} rows where Salesforce announced ${announced}`);
    return { next: locator && locator !== 'null' ? locator : null, rows: seen };
  });
}

/** RFC 4180 cell. Bulk API 2.0: an empty cell leaves a field as it is, #N/A sets it to null. */
export function csvCell(value: unknown): string {
  if (value === null) return '#N/A';
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface SpoolFile {
  path: string;
  rows: number;
  bytes: number;
}

/**
 * CSV rows written to files of at most `maxBytes` (Bulk API 2.0 takes 100 MB of CSV a job), so that a
 * million records never sit in memory as objects or as one string.
 */
export class CsvSpool {
  readonly files: SpoolFile[] = [];
  private readonly dir: string;
  private fd: number | null = null;
  private current: SpoolFile | null = null;
  private buffer = '';
  private readonly headerLine: string;
  rows = 0;

  constructor(
    readonly columns: string[],
    private readonly maxBytes = 90 * 1024 * 1024
  ) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-spool-'));
    this.headerLine = `${columns.join(',')}\n`;
  }

  add(record: Record<string, unknown>): void {
    const line = `${this.columns.map((c) => csvCell(record[c])).join(',')}\n`;
    const size = Buffer.byteLength(line);
    if (!this.current || (this.current.bytes + size > this.maxBytes && this.current.rows > 0)) this.next();
    const file = this.current as SpoolFile;
    this.buffer += line;
    file.rows++;
    file.bytes += size;
    this.rows++;
    if (this.buffer.length > 1 << 20) this.flush();
  }

  private next(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    const file = { path: path.join(this.dir, `part-${this.files.length + 1}.csv`), rows: 0, bytes: 0 };
    this.fd = openSync(file.path, 'w');
    this.files.push(file);
    this.current = file;
    this.buffer = this.headerLine;
    file.bytes = Buffer.byteLength(this.headerLine);
  }

  private flush(): void {
    if (this.fd === null || this.buffer === '') return;
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  /** Writes what is buffered; the files are complete after this. */
  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    for (const file of this.files) file.bytes = statSync(file.path).size;
  }

  /** The records of a file, parsed back (for the rare rows a job did not process). */
  async *records(file: SpoolFile): AsyncGenerator<Record<string, string>> {
    const parser = createReadStream(file.path).pipe(parse({ columns: true, bom: true }));
    for await (const record of parser) yield record as Record<string, string>;
  }

  remove(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Uploads a spool file as the CSV data of an ingest job (streamed from disk; retried from the start). */
export async function uploadFile(http: DirectHttp, url: string, file: SpoolFile): Promise<void> {
  await http.send(
    {
      method: 'PUT',
      url,
      headers: { 'Content-Type': 'text/csv', 'Content-Length': String(file.bytes) },
      body: () => createReadStream(file.path)
    },
    async (response) => {
      await response.arrayBuffer();
    }
  );
}
