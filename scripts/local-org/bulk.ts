// Bulk API 2.0 (Bulk API 2.0 and Bulk API Developer Guide): query jobs whose CSV results are paged
// with Sforce-Locator / maxRecords and streamed from a cursor (bounded memory), and ingest jobs
// (insert, update, upsert, delete, hardDelete) whose CSV upload is parsed while it arrives, staged
// in SQLite, processed in the background in chunks, and reported as successful / failed /
// unprocessed results.

import { parse } from 'csv-parse';
import { z } from 'zod';
import { badRequest, notFound, RecordFailure, SalesforceApiError } from './errors';
import type { HttpContext } from './http';
import { makeId, normalizeId } from './ids';
import type { Cursor, QueryEngine } from './query';
import type { RecordsQuery } from './soql';
import type { FieldDef, SObjectDef } from './schema';
import type { DmlContext, DmlResult, Store } from './store';
import { storedToRestDateTime } from './time';
import { csvEscape } from './values';
import type { OrgSettings } from './rest';

const DELIMITERS = { COMMA: ',', TAB: '\t', SEMICOLON: ';', PIPE: '|', CARET: '^', BACKQUOTE: '`' } as const;
type DelimiterName = keyof typeof DELIMITERS;
const UPLOAD_LIMIT_BYTES = 150 * 1024 * 1024;
const PROCESS_CHUNK = 2000;

const queryJobBody = z
  .object({
    operation: z.enum(['query', 'queryAll']),
    query: z.string().min(1),
    contentType: z.literal('CSV').optional(),
    columnDelimiter: z.enum(['COMMA', 'TAB', 'SEMICOLON', 'PIPE', 'CARET', 'BACKQUOTE']).optional(),
    lineEnding: z.enum(['LF', 'CRLF']).optional()
  })
  .passthrough();

const ingestJobBody = z
  .object({
    object: z.string().min(1),
    operation: z.enum(['insert', 'update', 'upsert', 'delete', 'hardDelete']),
    externalIdFieldName: z.string().min(1).optional(),
    contentType: z.literal('CSV').optional(),
    columnDelimiter: z.enum(['COMMA', 'TAB', 'SEMICOLON', 'PIPE', 'CARET', 'BACKQUOTE']).optional(),
    lineEnding: z.enum(['LF', 'CRLF']).optional(),
    assignmentRuleId: z.string().optional()
  })
  .passthrough();

const stateBody = z.object({ state: z.enum(['UploadComplete', 'Aborted']) }).passthrough();

interface JobBase {
  id: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  apiVersion: string;
  columnDelimiter: DelimiterName;
  lineEnding: 'LF' | 'CRLF';
}

interface QueryJob extends JobBase {
  kind: 'query';
  operation: 'query' | 'queryAll';
  object: string;
  query: string;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted' | 'Failed';
  cursorId: string | null;
  readyAt: number;
  numberRecordsProcessed: number;
}

interface IngestJob extends JobBase {
  kind: 'ingest';
  object: string;
  operation: 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
  externalIdFieldName: string | null;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  header: string[] | null;
  staged: number;
  processed: number;
  failed: number;
  errorMessage: string | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface BulkOptions {
  /** Records per results page when the client gives no maxRecords. */
  queryPageSize: number;
  /** Query jobs stay InProgress this long (to exercise polling). */
  queryLatencyMs: number;
  /** Ingest jobs keep at most this many results (oldest dropped). */
  maxJobs: number;
}

export interface BulkDeps {
  store: Store;
  engine: QueryEngine;
  org: () => OrgSettings;
  userTimeZone: (userId: string) => string;
}

export class BulkService {
  private readonly deps: BulkDeps;
  private readonly options: BulkOptions;
  private readonly jobs = new Map<string, QueryJob | IngestJob>();
  private jobCounter = 1;
  private closed = false;
  private readonly processing = new Set<string>();
  queryJobsCreated = 0;
  ingestBatches = 0;

  constructor(deps: BulkDeps, options: BulkOptions) {
    this.deps = deps;
    this.options = options;
    deps.store.db
      .exec(`CREATE TEMP TABLE IF NOT EXISTS lo_ingest_rows (job TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (job, seq));
      CREATE TEMP TABLE IF NOT EXISTS lo_ingest_results (job TEXT NOT NULL, seq INTEGER NOT NULL, ok INTEGER NOT NULL, sf_id TEXT, created INTEGER, error TEXT, PRIMARY KEY (job, seq));`);
  }

  close(): void {
    this.closed = true;
  }

  /** Resolves when no ingest job is being processed (tests, clean shutdown). */
  async idle(): Promise<void> {
    while (this.processing.size > 0 && !this.closed)
      await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private newJobId(): string {
    return makeId('750', this.jobCounter++);
  }

  private base(ctx: HttpContext): JobBase {
    const now = storedToRestDateTime(this.deps.store.nowStored());
    return {
      id: this.newJobId(),
      createdById: (ctx.session as { userId: string }).userId,
      createdDate: now,
      systemModstamp: now,
      apiVersion: ctx.apiVersion,
      columnDelimiter: 'COMMA',
      lineEnding: 'LF'
    };
  }

  private job<K extends 'query' | 'ingest'>(
    kind: K,
    id: string,
    ctx: HttpContext
  ): K extends 'query' ? QueryJob : IngestJob {
    const job = this.jobs.get(id);
    if (!job || job.kind !== kind || job.createdById !== (ctx.session as { userId: string }).userId)
      throw notFound();
    return job as K extends 'query' ? QueryJob : IngestJob;
  }

  private dropOldJobs(): void {
    const all = [...this.jobs.values()];
    while (all.length > this.options.maxJobs) {
      const oldest = all.shift() as QueryJob | IngestJob;
      this.deleteJob(oldest);
    }
  }

  private deleteJob(job: QueryJob | IngestJob): void {
    this.jobs.delete(job.id);
    if (job.kind === 'query' && job.cursorId) this.deps.engine.releaseCursor(job.cursorId);
    if (job.kind === 'ingest' && this.deps.store.db.open) {
      this.deps.store.prepare('DELETE FROM temp.lo_ingest_rows WHERE job = ?').run(job.id);
      this.deps.store.prepare('DELETE FROM temp.lo_ingest_results WHERE job = ?').run(job.id);
    }
  }

  /** GET /jobs/{kind}: lists the jobs (and returns null); POST: the validated body of a new job. */
  private async listOrParse<T>(
    ctx: HttpContext,
    kind: 'query' | 'ingest',
    schema: z.ZodType<T>
  ): Promise<T | null> {
    if (ctx.method === 'GET') {
      const records = [...this.jobs.values()]
        .filter((j) => j.kind === kind)
        .map((j) => (j.kind === 'query' ? this.queryInfo(j) : this.ingestInfo(j)));
      ctx.sendJson(200, { done: true, records, nextRecordsUrl: null });
      return null;
    }
    if (ctx.method !== 'POST')
      throw new SalesforceApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${ctx.method}' not allowed. Allowed are GET,POST`
      );
    const parsed = schema.safeParse(await ctx.json());
    if (!parsed.success)
      throw badRequest(
        'INVALIDJOB',
        `Invalid ${kind} job: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`
      );
    return parsed.data;
  }

  // --- query jobs ------------------------------------------------------------------------------

  private queryInfo(job: QueryJob): Record<string, unknown> {
    if (job.state === 'InProgress' && Date.now() >= job.readyAt) job.state = 'JobComplete';
    return {
      id: job.id,
      operation: job.operation,
      object: job.object,
      createdById: job.createdById,
      createdDate: job.createdDate,
      systemModstamp: job.systemModstamp,
      state: job.state,
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(job.apiVersion),
      jobType: 'V2Query',
      lineEnding: job.lineEnding,
      columnDelimiter: job.columnDelimiter,
      numberRecordsProcessed: job.state === 'JobComplete' ? job.numberRecordsProcessed : 0,
      retries: 0,
      totalProcessingTime: 0,
      isPkChunkingSupported: true
    };
  }

  async queryJobs(ctx: HttpContext, id: string | null, sub: string | null): Promise<void> {
    if (!id) {
      const body = await this.listOrParse(ctx, 'query', queryJobBody);
      if (!body) return;
      const userId = (ctx.session as { userId: string }).userId;
      const org = this.deps.org();
      const compiled = this.deps.engine.compile(body.query, {
        includeDeleted: body.operation === 'queryAll',
        timeZone: this.deps.userTimeZone(userId),
        fiscalYearStartMonth: org.fiscalYearStartMonth,
        usesStartDateAsFiscalYearName: org.usesStartDateAsFiscalYearName,
        bulk: true
      });
      const cursor = this.deps.engine.openCursor(compiled as RecordsQuery, userId, 'bulk', 0);
      const job: QueryJob = {
        ...this.base(ctx),
        kind: 'query',
        operation: body.operation,
        object: compiled.object.name,
        query: body.query,
        columnDelimiter: body.columnDelimiter ?? 'COMMA',
        lineEnding: body.lineEnding ?? 'LF',
        state: 'UploadComplete',
        cursorId: cursor.id,
        readyAt: Date.now() + this.options.queryLatencyMs,
        numberRecordsProcessed: cursor.count
      };
      this.jobs.set(job.id, job);
      this.queryJobsCreated++;
      this.dropOldJobs();
      const info = this.queryInfo(job);
      job.state = this.options.queryLatencyMs > 0 ? 'InProgress' : 'JobComplete';
      ctx.sendJson(200, info);
      return;
    }
    const job = this.job('query', id, ctx);
    if (sub === 'results') {
      if (ctx.method !== 'GET')
        throw new SalesforceApiError(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed. Allowed are GET');
      await this.queryResults(ctx, job);
      return;
    }
    if (sub !== null) throw notFound();
    switch (ctx.method) {
      case 'GET':
        ctx.sendJson(200, this.queryInfo(job));
        return;
      case 'PATCH': {
        const parsed = stateBody.safeParse(await ctx.json());
        if (!parsed.success || parsed.data.state !== 'Aborted')
          throw badRequest('INVALIDJOBSTATE', 'A query job can only be set to Aborted');
        if (job.state === 'JobComplete' || job.state === 'Failed')
          throw badRequest('INVALIDJOBSTATE', `Job is already ${job.state}`);
        job.state = 'Aborted';
        ctx.sendJson(200, this.queryInfo(job));
        return;
      }
      case 'DELETE':
        this.deleteJob(job);
        ctx.noContent();
        return;
      default:
        throw new SalesforceApiError(
          405,
          'METHOD_NOT_ALLOWED',
          'HTTP Method not allowed. Allowed are GET,PATCH,DELETE'
        );
    }
  }

  private async queryResults(ctx: HttpContext, job: QueryJob): Promise<void> {
    this.queryInfo(job);
    if (job.state !== 'JobComplete')
      throw badRequest(
        'INVALIDJOBSTATE',
        `Query job ${job.id} is ${job.state}; results are available once it is JobComplete`
      );
    if (ctx.apiVersion !== job.apiVersion)
      throw new SalesforceApiError(
        409,
        'INVALIDJOBSTATE',
        'Use the same API version to get query results that you used to create the query'
      );
    const cursor = job.cursorId ? this.deps.engine.getCursor(job.cursorId) : undefined;
    if (!cursor)
      throw new SalesforceApiError(
        404,
        'NOT_FOUND',
        'The results of this job are no longer available (the local org keeps the most recent jobs only)'
      );
    const locator = ctx.url.searchParams.get('locator');
    let offset = 0;
    if (locator) {
      const decoded = /^o(\d+)$/.exec(Buffer.from(locator, 'base64url').toString('utf8'));
      if (!decoded) throw badRequest('INVALIDLOCATOR', `Invalid locator: ${locator}`);
      offset = Number(decoded[1]);
    }
    const maxParam = ctx.url.searchParams.get('maxRecords');
    const maxRecords = maxParam === null ? this.options.queryPageSize : Number(maxParam);
    if (!Number.isInteger(maxRecords) || maxRecords <= 0)
      throw badRequest('INVALIDPARAMETER', 'maxRecords must be a positive integer');
    const end = Math.min(cursor.count, offset + maxRecords);
    const next = end < cursor.count ? Buffer.from(`o${end}`, 'utf8').toString('base64url') : 'null';
    ctx.startStream(200, 'text/csv', {
      'Sforce-Locator': next,
      'Sforce-NumberOfRecords': String(Math.max(0, end - offset))
    });
    await this.deps.engine.streamCsv(
      cursor as Cursor,
      offset,
      end,
      {
        header: true,
        delimiter: DELIMITERS[job.columnDelimiter],
        lineEnding: job.lineEnding === 'CRLF' ? '\r\n' : '\n'
      },
      (chunk) => ctx.write(chunk)
    );
    ctx.end();
  }

  // --- ingest jobs -------------------------------------------------------------------------------

  private ingestInfo(job: IngestJob): Record<string, unknown> {
    return {
      id: job.id,
      operation: job.operation,
      object: job.object,
      createdById: job.createdById,
      createdDate: job.createdDate,
      systemModstamp: job.systemModstamp,
      state: job.state,
      ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(job.apiVersion),
      jobType: 'V2Ingest',
      contentUrl: `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`,
      lineEnding: job.lineEnding,
      columnDelimiter: job.columnDelimiter,
      numberRecordsProcessed: job.processed,
      numberRecordsFailed: job.failed,
      retries: 0,
      totalProcessingTime: job.startedAt && job.finishedAt ? job.finishedAt - job.startedAt : 0,
      apiActiveProcessingTime: 0,
      apexProcessingTime: 0,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {})
    };
  }

  async ingestJobs(ctx: HttpContext, id: string | null, sub: string | null): Promise<void> {
    if (!id) {
      const body = await this.listOrParse(ctx, 'ingest', ingestJobBody);
      if (!body) return;
      const object = this.deps.store.object(body.object);
      if (!object) throw badRequest('INVALIDJOB', `InvalidJob : Unable to find object: ${body.object}`);
      if (body.operation === 'upsert') {
        const field = body.externalIdFieldName
          ? object.fieldIndex.get(body.externalIdFieldName.toLowerCase())
          : undefined;
        if (!field || !(field.externalId || field.idLookup)) {
          throw badRequest(
            'INVALIDJOB',
            `InvalidJob : Field name provided, ${body.externalIdFieldName ?? '(none)'} is not an External ID or indexed field for ${object.name}`
          );
        }
      }
      const job: IngestJob = {
        ...this.base(ctx),
        kind: 'ingest',
        object: object.name,
        operation: body.operation,
        externalIdFieldName:
          body.operation === 'upsert'
            ? (object.fieldIndex.get((body.externalIdFieldName as string).toLowerCase()) as FieldDef).name
            : null,
        columnDelimiter: body.columnDelimiter ?? 'COMMA',
        lineEnding: body.lineEnding ?? 'LF',
        state: 'Open',
        header: null,
        staged: 0,
        processed: 0,
        failed: 0,
        errorMessage: null,
        startedAt: null,
        finishedAt: null
      };
      this.jobs.set(job.id, job);
      this.dropOldJobs();
      ctx.sendJson(200, this.ingestInfo(job));
      return;
    }
    const job = this.job('ingest', id, ctx);
    if (sub === 'batches') {
      if (ctx.method !== 'PUT')
        throw new SalesforceApiError(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed. Allowed are PUT');
      await this.upload(ctx, job);
      return;
    }
    if (sub === 'successfulResults' || sub === 'failedResults' || sub === 'unprocessedrecords') {
      if (ctx.method !== 'GET')
        throw new SalesforceApiError(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed. Allowed are GET');
      await this.results(ctx, job, sub);
      return;
    }
    if (sub !== null) throw notFound();
    switch (ctx.method) {
      case 'GET':
        ctx.sendJson(200, this.ingestInfo(job));
        return;
      case 'PATCH': {
        const parsed = stateBody.safeParse(await ctx.json());
        if (!parsed.success) throw badRequest('INVALIDJOBSTATE', 'state must be UploadComplete or Aborted');
        if (parsed.data.state === 'Aborted') {
          if (job.state === 'JobComplete' || job.state === 'Failed')
            throw badRequest('INVALIDJOBSTATE', `Job is already ${job.state}`);
          job.state = 'Aborted';
          ctx.sendJson(200, this.ingestInfo(job));
          return;
        }
        if (job.state !== 'Open')
          throw badRequest(
            'INVALIDJOBSTATE',
            `Job ${job.id} is ${job.state}; only an Open job can be closed`
          );
        job.state = 'UploadComplete';
        ctx.sendJson(200, this.ingestInfo(job));
        this.startProcessing(job);
        return;
      }
      case 'DELETE':
        if (job.state === 'UploadComplete' || job.state === 'InProgress')
          throw badRequest('INVALIDJOBSTATE', 'A job that is being processed cannot be deleted');
        this.deleteJob(job);
        ctx.noContent();
        return;
      default:
        throw new SalesforceApiError(
          405,
          'METHOD_NOT_ALLOWED',
          'HTTP Method not allowed. Allowed are GET,PATCH,DELETE'
        );
    }
  }

  private async upload(ctx: HttpContext, job: IngestJob): Promise<void> {
    if (job.state !== 'Open')
      throw badRequest(
        'INVALIDJOBSTATE',
        `Job ${job.id} is ${job.state}; data can be uploaded to an Open job only`
      );
    const contentType = String(ctx.req.headers['content-type'] ?? '');
    if (!/^text\/csv/i.test(contentType))
      throw badRequest('INVALIDCONTENTTYPE', `Content-Type must be text/csv, not ${contentType || '(none)'}`);
    const store = this.deps.store;
    const insert = store.prepare('INSERT INTO temp.lo_ingest_rows (job, seq, data) VALUES (?, ?, ?)');
    const parser = parse({
      delimiter: DELIMITERS[job.columnDelimiter],
      bom: true,
      relax_quotes: false,
      skip_empty_lines: true
    });
    let bytes = 0;
    let pending: string[][] = [];
    const flush = (): void => {
      if (pending.length === 0) return;
      const rows = pending;
      pending = [];
      store.db.transaction(() => {
        for (const row of rows) insert.run(job.id, ++job.staged, JSON.stringify(row));
      })();
    };
    const stream = ctx.bodyStream();
    const abort = (error: Error): void => {
      stream.unpipe(parser);
      parser.destroy(error);
    };
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > UPLOAD_LIMIT_BYTES)
        abort(new SalesforceApiError(400, 'EXCEEDED_QUOTA', 'A job can take at most 150 MB of CSV data'));
    });
    stream.on('error', (error: Error) => abort(error));
    stream.on('close', () => {
      if (!stream.readableEnded) abort(new Error('the client closed the connection during the upload'));
    });
    try {
      stream.pipe(parser);
      let line = 0;
      for await (const record of parser as AsyncIterable<string[]>) {
        line++;
        if (job.header === null) {
          job.header = record.map((h) => h.trim());
          continue;
        }
        if (line === 1) {
          const same =
            record.length === job.header.length && record.every((h, i) => h.trim() === job.header?.[i]);
          if (!same) throw badRequest('INVALIDBATCH', 'Every upload to a job must have the same header row');
          continue;
        }
        pending.push(record);
        if (pending.length >= 1000) flush();
      }
      flush();
    } catch (error) {
      stream.unpipe(parser);
      stream.resume();
      if (error instanceof SalesforceApiError) throw error;
      throw badRequest('INVALIDBATCH', `ClientInputError : CSV parse error: ${(error as Error).message}`);
    }
    this.ingestBatches += Math.max(1, Math.ceil(job.staged / 10_000));
    ctx.send(201, '', 'text/plain');
  }

  private fail(job: IngestJob, message: string): void {
    job.state = 'Failed';
    job.errorMessage = message;
    job.finishedAt = Date.now();
  }

  private startProcessing(job: IngestJob): void {
    const object = this.deps.store.object(job.object) as SObjectDef;
    const header = job.header ?? [];
    if (header.length === 0) {
      this.fail(job, 'InvalidBatch : no data was uploaded to the job');
      return;
    }
    const fields: (FieldDef | null)[] = [];
    for (const name of header) {
      if (name.includes('.')) {
        this.fail(
          job,
          `InvalidBatch : relationship columns (${name}) are not supported by the local org; use the parent record Id`
        );
        return;
      }
      const field = object.fieldIndex.get(name.toLowerCase());
      if (!field) {
        this.fail(job, `InvalidBatch : Field name not found : ${name}`);
        return;
      }
      fields.push(field);
    }
    const idIndex = header.findIndex((h) => h.toLowerCase() === 'id');
    if (
      (job.operation === 'update' || job.operation === 'delete' || job.operation === 'hardDelete') &&
      idIndex < 0
    ) {
      this.fail(job, 'InvalidBatch : Field name not found : Id');
      return;
    }
    const extIndex = job.externalIdFieldName
      ? header.findIndex((h) => h.toLowerCase() === job.externalIdFieldName?.toLowerCase())
      : -1;
    if (job.operation === 'upsert' && extIndex < 0) {
      this.fail(job, `InvalidBatch : Field name not found : ${job.externalIdFieldName ?? ''}`);
      return;
    }
    job.state = 'InProgress';
    job.startedAt = Date.now();
    this.processing.add(job.id);
    const store = this.deps.store;
    const read = store.prepare<{ seq: number; data: string }>(
      'SELECT seq, data FROM temp.lo_ingest_rows WHERE job = ? AND seq > ? ORDER BY seq LIMIT ?'
    );
    const write = store.prepare(
      'INSERT OR REPLACE INTO temp.lo_ingest_results (job, seq, ok, sf_id, created, error) VALUES (?, ?, ?, ?, ?, ?)'
    );
    const ctx: DmlContext = { userId: job.createdById, source: 'csv' };
    const extField = job.externalIdFieldName
      ? (object.fieldIndex.get(job.externalIdFieldName.toLowerCase()) as FieldDef)
      : null;
    let last = 0;
    const step = (): void => {
      if (this.closed || !store.db.open) {
        this.processing.delete(job.id);
        return;
      }
      if (job.state === 'Aborted') {
        job.finishedAt = Date.now();
        this.processing.delete(job.id);
        return;
      }
      const rows = read.all(job.id, last, PROCESS_CHUNK);
      if (rows.length === 0) {
        job.state = 'JobComplete';
        job.finishedAt = Date.now();
        this.processing.delete(job.id);
        return;
      }
      store.db.transaction(() =>
        store.withReferenceCache(() => {
          for (const row of rows) {
            last = row.seq;
            const values = JSON.parse(row.data) as string[];
            const result = this.processRow(job, object, fields, values, idIndex, extIndex, extField, ctx);
            job.processed++;
            if (!result.success) job.failed++;
            const error = result.errors[0];
            write.run(
              job.id,
              row.seq,
              result.success ? 1 : 0,
              result.id,
              result.created ? 1 : 0,
              error ? `${error.statusCode}:${error.message}:${error.fields.join(',')} --` : null
            );
          }
        })
      )();
      setImmediate(step);
    };
    setImmediate(step);
  }

  private processRow(
    job: IngestJob,
    object: SObjectDef,
    fields: (FieldDef | null)[],
    values: string[],
    idIndex: number,
    extIndex: number,
    extField: FieldDef | null,
    ctx: DmlContext
  ): DmlResult {
    const store = this.deps.store;
    try {
      if (values.length !== fields.length)
        throw new RecordFailure(
          'INVALID_FIELD',
          `the row has ${values.length} values for ${fields.length} columns`
        );
      if (job.operation === 'delete' || job.operation === 'hardDelete') {
        const id = values[idIndex] ?? '';
        return job.operation === 'delete' ? store.delete(object, id, ctx) : store.hardDelete(object, id, ctx);
      }
      const input = new Map<FieldDef, unknown>();
      fields.forEach((field, i) => {
        if (!field || i === idIndex || i === extIndex) return;
        const raw = values[i] ?? '';
        // Bulk API: an empty cell leaves the field as it is (null on insert); #N/A sets it to null.
        if (raw === '') return;
        input.set(field, raw === '#N/A' ? null : raw);
      });
      if (job.operation === 'insert') {
        if (idIndex >= 0 && values[idIndex])
          throw new RecordFailure('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', [
            'Id'
          ]);
        return store.insert(object, input, ctx);
      }
      if (job.operation === 'update') {
        const id = normalizeId(values[idIndex] ?? '') ?? values[idIndex] ?? '';
        return store.update(object, id, input, ctx);
      }
      const key = values[extIndex] ?? '';
      return store.upsert(object, extField as FieldDef, key === '' ? null : key, input, ctx);
    } catch (error) {
      if (error instanceof RecordFailure)
        return { id: null, success: false, errors: [error.toRecordError()] };
      if (error instanceof SalesforceApiError)
        return {
          id: null,
          success: false,
          errors: [{ statusCode: error.errorCode, message: error.message, fields: error.fields }]
        };
      throw error;
    }
  }

  private async results(
    ctx: HttpContext,
    job: IngestJob,
    which: 'successfulResults' | 'failedResults' | 'unprocessedrecords'
  ): Promise<void> {
    if (
      which !== 'unprocessedrecords' &&
      job.state !== 'JobComplete' &&
      job.state !== 'Failed' &&
      job.state !== 'Aborted'
    ) {
      throw badRequest(
        'INVALIDJOBSTATE',
        `Job ${job.id} is ${job.state}; results are available once it is complete`
      );
    }
    const header = job.header ?? [];
    const delimiter = DELIMITERS[job.columnDelimiter];
    const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
    const line = (cells: string[]): string => cells.map(csvEscape).join(delimiter) + eol;
    ctx.startStream(200, 'text/csv');
    const first =
      which === 'successfulResults'
        ? ['sf__Id', 'sf__Created']
        : which === 'failedResults'
          ? ['sf__Id', 'sf__Error']
          : [];
    await ctx.write(line([...first, ...header]));
    const store = this.deps.store;
    const sql =
      which === 'unprocessedrecords'
        ? 'SELECT r.seq, r.data, NULL AS ok, NULL AS sf_id, NULL AS created, NULL AS error FROM temp.lo_ingest_rows r LEFT JOIN temp.lo_ingest_results x ON x.job = r.job AND x.seq = r.seq WHERE r.job = ? AND x.seq IS NULL AND r.seq > ? ORDER BY r.seq LIMIT 5000'
        : `SELECT r.seq, r.data, x.ok, x.sf_id, x.created, x.error FROM temp.lo_ingest_results x JOIN temp.lo_ingest_rows r ON r.job = x.job AND r.seq = x.seq WHERE x.job = ? AND x.ok = ${which === 'successfulResults' ? 1 : 0} AND x.seq > ? ORDER BY x.seq LIMIT 5000`;
    const stmt = store.prepare<{
      seq: number;
      data: string;
      ok: number | null;
      sf_id: string | null;
      created: number | null;
      error: string | null;
    }>(sql);
    let after = 0;
    for (;;) {
      const rows = stmt.all(job.id, after);
      if (rows.length === 0) break;
      let out = '';
      for (const r of rows) {
        after = r.seq;
        const data = JSON.parse(r.data) as string[];
        const lead =
          which === 'successfulResults'
            ? [r.sf_id ?? '', r.created ? 'true' : 'false']
            : which === 'failedResults'
              ? [r.sf_id ?? '', r.error ?? '']
              : [];
        out += line([...lead, ...data]);
      }
      await ctx.write(out);
    }
    ctx.end();
  }
}
