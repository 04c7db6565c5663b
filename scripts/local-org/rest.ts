// REST API resources (REST API Developer Guide): versions, resources, limits, query / queryAll,
// sObject describe, single-record CRUD and upsert by external id, getUpdated / getDeleted, and
// sObject Collections (at most 200 records, allOrNone).

import { z } from 'zod';
import { badRequest, invalidType, notFound, RecordFailure, SalesforceApiError } from './errors';
import type { HttpContext } from './http';
import { normalizeId } from './ids';
import { describeGlobalEntry, describeObject } from './describe';
import type { QueryEngine } from './query';
import type { FieldDef, SObjectDef } from './schema';
import type { DmlContext, DmlResult, Row, Store } from './store';
import { parseDateTimeInput, toStoredDateTime } from './time';
import { toJson } from './values';

export const SUPPORTED_VERSIONS = Array.from({ length: 67 - 20 }, (_, i) => `${20 + i}.0`);

export interface ApiUsage {
  used: number;
  max: number;
}

export interface OrgSettings {
  organizationId: string;
  timeZoneSidKey: string;
  fiscalYearStartMonth: number;
  usesStartDateAsFiscalYearName: boolean;
}

export interface RestDeps {
  store: Store;
  engine: QueryEngine;
  usage: ApiUsage;
  org: () => OrgSettings;
  instanceUrl: () => string;
}

const MAX_COLLECTION = 200;

function requireObject(deps: RestDeps, name: string): SObjectDef {
  const object = deps.store.object(name);
  if (!object) throw notFound();
  return object;
}

function userTimeZone(deps: RestDeps, userId: string): string {
  const row = deps.store.findById(deps.store.object('User') as SObjectDef, userId, true);
  return (row?.TimeZoneSidKey as string | undefined) ?? deps.org().timeZoneSidKey;
}

function dmlContext(ctx: HttpContext): DmlContext {
  return { userId: (ctx.session as { userId: string }).userId, source: 'json' };
}

/** Request-level error for a single-record call whose record failed. */
function asRequestError(result: DmlResult): SalesforceApiError {
  const first = result.errors[0];
  return new SalesforceApiError(
    400,
    first?.statusCode ?? 'UNKNOWN_EXCEPTION',
    first?.message ?? 'unknown error',
    first?.fields ?? []
  );
}

const recordBody = z.record(z.string(), z.unknown());

function parseRecord(body: unknown): Row {
  const parsed = recordBody.safeParse(body);
  if (!parsed.success || Array.isArray(body))
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be a JSON object of field values'
    );
  return parsed.data;
}

// --- versions, resources, limits -----------------------------------------------------------------

export function versions(ctx: HttpContext): void {
  ctx.sendJson(
    200,
    SUPPORTED_VERSIONS.map((v) => ({ label: `Local org v${v}`, url: `/services/data/v${v}`, version: v }))
  );
}

export function resources(ctx: HttpContext): void {
  const base = `/services/data/v${ctx.apiVersion}`;
  ctx.sendJson(200, {
    limits: `${base}/limits`,
    sobjects: `${base}/sobjects`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    composite: `${base}/composite`,
    jobs: `${base}/jobs`
  });
}

export function limits(
  ctx: HttpContext,
  deps: RestDeps,
  bulk: { queryJobs: number; ingestBatches: number }
): void {
  const remaining = (max: number, used: number): { Max: number; Remaining: number } => ({
    Max: max,
    Remaining: Math.max(0, max - used)
  });
  ctx.sendJson(200, {
    DailyApiRequests: remaining(deps.usage.max, deps.usage.used),
    DailyBulkApiBatches: remaining(15000, bulk.ingestBatches),
    DailyBulkV2QueryJobs: remaining(10000, bulk.queryJobs),
    DailyBulkV2QueryFileStorageMB: remaining(976562, 0),
    DataStorageMB: remaining(1024, 0),
    FileStorageMB: remaining(1024, 0)
  });
}

// --- query -----------------------------------------------------------------------------------------

function batchSizeFrom(ctx: HttpContext): number {
  const header = ctx.req.headers['sforce-query-options'];
  const m = typeof header === 'string' ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  if (!m) return 2000;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

export function query(ctx: HttpContext, deps: RestDeps, all: boolean, locator: string | null): void {
  const userId = (ctx.session as { userId: string }).userId;
  if (locator) {
    ctx.sendJson(200, deps.engine.nextRest(locator, ctx.apiVersion, userId));
    return;
  }
  const soql = ctx.url.searchParams.get('q');
  if (!soql) throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  const org = deps.org();
  const compiled = deps.engine.compile(soql, {
    includeDeleted: all,
    timeZone: userTimeZone(deps, userId),
    fiscalYearStartMonth: org.fiscalYearStartMonth,
    usesStartDateAsFiscalYearName: org.usesStartDateAsFiscalYearName,
    bulk: false
  });
  ctx.sendJson(200, deps.engine.runRest(compiled, batchSizeFrom(ctx), ctx.apiVersion, userId));
}

// --- describe ----------------------------------------------------------------------------------

export function describeGlobal(ctx: HttpContext, deps: RestDeps): void {
  const sobjects = [...deps.store.schema.objects.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((o) => describeGlobalEntry(o, ctx.apiVersion));
  ctx.sendJson(200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects });
}

export function describe(ctx: HttpContext, deps: RestDeps, name: string): void {
  ctx.sendJson(200, describeObject(requireObject(deps, name), ctx.apiVersion));
}

export async function sobjectInfo(ctx: HttpContext, deps: RestDeps, name: string): Promise<void> {
  const object = requireObject(deps, name);
  if (ctx.method === 'POST') {
    await createOne(ctx, deps, object);
    return;
  }
  ctx.sendJson(200, { objectDescribe: describeGlobalEntry(object, ctx.apiVersion), recentItems: [] });
}

// --- single-record DML -----------------------------------------------------------------------------

function recordJson(
  object: SObjectDef,
  row: Row,
  fields: FieldDef[],
  apiVersion: string
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: {
      type: object.name,
      url: `/services/data/v${apiVersion}/sobjects/${object.name}/${String(row.Id)}`
    }
  };
  for (const f of fields) out[f.name] = toJson(f, row[f.name]);
  return out;
}

function selectedFields(ctx: HttpContext, object: SObjectDef): FieldDef[] {
  const list = ctx.url.searchParams.get('fields');
  if (!list) return object.fields.filter((f) => f.column !== null || f.formula?.sql);
  return list.split(',').map((name) => {
    const f = object.fieldIndex.get(name.trim().toLowerCase());
    if (!f)
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `No such column '${name.trim()}' on sobject of type ${object.name}`
      );
    return f;
  });
}

/** A retrieved row with formula fields computed (single-record GET). */
function rowWithFormulas(
  deps: RestDeps,
  object: SObjectDef,
  id: string,
  fields: FieldDef[]
): Row | undefined {
  const formulas = fields.filter((f) => f.formula);
  if (formulas.length === 0) return deps.store.findById(object, id);
  const exprs = formulas.map((f) => {
    if (!f.formula?.sql)
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `${object.name}.${f.name} is a formula the local org cannot compute (${f.formula?.unsupportedReason ?? 'unsupported'})`
      );
    return `(${f.formula.sql.split('{{t}}').join('t0')}) AS "${f.name}"`;
  });
  const sql = `SELECT t0.*, ${exprs.join(', ')} FROM "${object.table}" t0 WHERE t0."Id" = ? AND t0."IsDeleted" = 0`;
  return deps.store.prepare<Row>(sql).get(id);
}

async function createOne(ctx: HttpContext, deps: RestDeps, object: SObjectDef): Promise<void> {
  const input = deps.store.resolveInputFields(object, parseRecord(await ctx.json()));
  const [only] = deps.store.runBatch(true, () => [deps.store.insert(object, input, dmlContext(ctx))]);
  if (!only?.success) throw asRequestError(only as DmlResult);
  ctx.sendJson(
    201,
    { id: only.id, success: true, errors: [] },
    { Location: `/services/data/v${ctx.apiVersion}/sobjects/${object.name}/${only.id ?? ''}` }
  );
}

export function toApiError(error: unknown): SalesforceApiError {
  if (error instanceof SalesforceApiError) return error;
  if (error instanceof RecordFailure)
    return new SalesforceApiError(400, error.statusCode, error.message, error.fields);
  return new SalesforceApiError(
    500,
    'UNKNOWN_EXCEPTION',
    `An unexpected error occurred in the local org: ${(error as Error).message}`
  );
}

export async function record(
  ctx: HttpContext,
  deps: RestDeps,
  name: string,
  idOrField: string,
  extValue: string | null
): Promise<void> {
  const object = requireObject(deps, name);
  if (extValue !== null) {
    await byExternalId(ctx, deps, object, idOrField, extValue);
    return;
  }
  const id = normalizeId(idOrField);
  if (!id || deps.store.objectForId(id) !== object)
    throw notFound('Provided external ID field does not exist or is not accessible: ' + idOrField);
  switch (ctx.method) {
    case 'GET': {
      const fields = selectedFields(ctx, object);
      const row = rowWithFormulas(deps, object, id, fields);
      if (!row) throw notFound();
      ctx.sendJson(200, recordJson(object, row, fields, ctx.apiVersion));
      return;
    }
    case 'PATCH': {
      const input = deps.store.resolveInputFields(object, parseRecord(await ctx.json()));
      const existing = deps.store.findById(object, id, true);
      if (!existing) throw notFound();
      if (existing.IsDeleted === 1)
        throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
      const [result] = deps.store.runBatch(true, () => [
        deps.store.update(object, id, input, dmlContext(ctx))
      ]);
      if (!result?.success) throw asRequestError(result as DmlResult);
      ctx.noContent();
      return;
    }
    case 'DELETE': {
      const existing = deps.store.findById(object, id, true);
      if (!existing) throw notFound();
      if (existing.IsDeleted === 1)
        throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
      const [result] = deps.store.runBatch(true, () => [deps.store.delete(object, id, dmlContext(ctx))]);
      if (!result?.success) throw asRequestError(result as DmlResult);
      ctx.noContent();
      return;
    }
    default:
      throw new SalesforceApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${ctx.method}' not allowed. Allowed are GET,PATCH,DELETE,HEAD`
      );
  }
}

function externalField(object: SObjectDef, name: string): FieldDef {
  const field = object.fieldIndex.get(name.toLowerCase());
  if (!field || !(field.externalId || field.idLookup)) {
    throw new SalesforceApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${name}`
    );
  }
  return field;
}

async function byExternalId(
  ctx: HttpContext,
  deps: RestDeps,
  object: SObjectDef,
  fieldName: string,
  value: string
): Promise<void> {
  const field = externalField(object, fieldName);
  if (ctx.method === 'GET') {
    const matches =
      field.name === 'Id'
        ? [deps.store.findById(object, normalizeId(value) ?? '')].filter((r): r is Row => r !== undefined)
        : deps.store.findByField(object, field, value, 10);
    if (matches.length === 0) throw notFound();
    if (matches.length > 1) {
      ctx.sendJson(
        300,
        matches.map((m) => `/services/data/v${ctx.apiVersion}/sobjects/${object.name}/${String(m.Id)}`)
      );
      return;
    }
    const fields = selectedFields(ctx, object);
    const row = rowWithFormulas(deps, object, String((matches[0] as Row).Id), fields) as Row;
    ctx.sendJson(200, recordJson(object, row, fields, ctx.apiVersion));
    return;
  }
  if (ctx.method !== 'PATCH')
    throw new SalesforceApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${ctx.method}' not allowed. Allowed are GET,PATCH`
    );
  const body = parseRecord(await ctx.json());
  const bodyKey = Object.keys(body).find((k) => k.toLowerCase() === field.name.toLowerCase());
  if (bodyKey !== undefined) {
    throw new SalesforceApiError(
      400,
      'INVALID_FIELD',
      `The external ID field ${field.name} is in the URL; do not repeat it in the body`,
      [field.name]
    );
  }
  const input = deps.store.resolveInputFields(object, body);
  if (field.name !== 'Id') {
    const matches = deps.store.findByField(object, field, value, 10);
    if (matches.length > 1) {
      ctx.sendJson(
        300,
        matches.map((m) => `/services/data/v${ctx.apiVersion}/sobjects/${object.name}/${String(m.Id)}`)
      );
      return;
    }
  }
  const [result] = deps.store.runBatch(true, () => [
    deps.store.upsert(object, field, value, input, dmlContext(ctx))
  ]);
  if (!result?.success) throw asRequestError(result as DmlResult);
  ctx.sendJson(result.created ? 201 : 200, {
    id: result.id,
    success: true,
    errors: [],
    created: result.created === true
  });
}

// --- getUpdated / getDeleted -------------------------------------------------------------------

function window(ctx: HttpContext): [string, string] {
  const start = parseDateTimeInput(ctx.url.searchParams.get('start') ?? '');
  const end = parseDateTimeInput(ctx.url.searchParams.get('end') ?? '');
  if (start === null || end === null)
    throw badRequest('INVALID_REPLICATION_DATE', 'start and end must be ISO 8601 date-times');
  if (end <= start) throw badRequest('INVALID_REPLICATION_DATE', 'end must be after start');
  return [toStoredDateTime(start), toStoredDateTime(end)];
}

export function updatedOrDeleted(
  ctx: HttpContext,
  deps: RestDeps,
  name: string,
  kind: 'updated' | 'deleted'
): void {
  const object = requireObject(deps, name);
  const [start, end] = window(ctx);
  const t = `"${object.table}"`;
  const latest = deps.store.nowStored() < end ? deps.store.nowStored() : end;
  if (kind === 'updated') {
    const column = object.fieldIndex.has('systemmodstamp') ? 'SystemModstamp' : 'CreatedDate';
    const ids = deps.store
      .prepare<{ Id: string }>(
        `SELECT "Id" FROM ${t} WHERE "IsDeleted" = 0 AND "${column}" >= ? AND "${column}" < ? ORDER BY "${column}"`
      )
      .all(start, end);
    ctx.sendJson(200, { ids: ids.map((r) => r.Id), latestDateCovered: toJson({ type: 'datetime' }, latest) });
    return;
  }
  const rows = deps.store
    .prepare<{ Id: string; d: string }>(
      `SELECT "Id", "_DeletedDate" AS d FROM ${t} WHERE "IsDeleted" = 1 AND "_DeletedDate" >= ? AND "_DeletedDate" < ? ORDER BY "_DeletedDate"`
    )
    .all(start, end);
  ctx.sendJson(200, {
    deletedRecords: rows.map((r) => ({ id: r.Id, deletedDate: toJson({ type: 'datetime' }, r.d) })),
    earliestDateAvailable: toJson({ type: 'datetime' }, '2000-01-01T00:00:00.000Z'),
    latestDateCovered: toJson({ type: 'datetime' }, latest)
  });
}

// --- sObject Collections -----------------------------------------------------------------------

const collectionBody = z
  .object({ allOrNone: z.boolean().optional(), records: z.array(z.record(z.string(), z.unknown())) })
  .passthrough();

function parseCollection(body: unknown): { allOrNone: boolean; records: Row[] } {
  const parsed = collectionBody.safeParse(body);
  if (!parsed.success)
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The body must be {"allOrNone": boolean, "records": [ … ]}'
    );
  if (parsed.data.records.length > MAX_COLLECTION) {
    throw new SalesforceApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`
    );
  }
  return { allOrNone: parsed.data.allOrNone ?? false, records: parsed.data.records };
}

function recordType(deps: RestDeps, record: Row): SObjectDef {
  const attributes = record.attributes as { type?: unknown } | undefined;
  const type = attributes && typeof attributes.type === 'string' ? attributes.type : null;
  if (!type)
    throw new SalesforceApiError(
      400,
      'INVALID_TYPE',
      'Must send a concrete entity type: set attributes.type on every record'
    );
  const object = deps.store.object(type);
  if (!object) throw invalidType(type);
  return object;
}

export async function collections(
  ctx: HttpContext,
  deps: RestDeps,
  name: string | null,
  extField: string | null
): Promise<void> {
  const dml = dmlContext(ctx);
  if (ctx.method === 'DELETE' && !name) {
    const ids = (ctx.url.searchParams.get('ids') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s);
    if (ids.length === 0) throw badRequest('MISSING_ARGUMENT', 'ids is required');
    if (ids.length > MAX_COLLECTION)
      throw badRequest(
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`
      );
    const allOrNone = ctx.url.searchParams.get('allOrNone') === 'true';
    const results = deps.store.runBatch(allOrNone, () =>
      ids.map((id) => {
        const object = deps.store.objectForId(normalizeId(id) ?? '');
        if (!object)
          return {
            id,
            success: false,
            errors: [{ statusCode: 'MALFORMED_ID', message: `malformed id ${id}`, fields: [] }]
          };
        return deps.store.delete(object, id, dml);
      })
    );
    ctx.sendJson(
      200,
      results.map((r, i) => ({
        id: r.success ? r.id : (normalizeId(ids[i] as string) ?? ids[i]),
        success: r.success,
        errors: r.errors
      }))
    );
    return;
  }
  if ((ctx.method === 'GET' || ctx.method === 'POST') && name && !extField) {
    const object = requireObject(deps, name);
    let ids: string[];
    let fieldNames: string[];
    if (ctx.method === 'GET') {
      ids = (ctx.url.searchParams.get('ids') ?? '').split(',').filter((s) => s);
      fieldNames = (ctx.url.searchParams.get('fields') ?? '').split(',').filter((s) => s);
    } else {
      const body = z
        .object({ ids: z.array(z.string()), fields: z.array(z.string()) })
        .safeParse(await ctx.json());
      if (!body.success)
        throw new SalesforceApiError(
          400,
          'JSON_PARSER_ERROR',
          'The body must be {"ids": [...], "fields": [...]}'
        );
      ids = body.data.ids;
      fieldNames = body.data.fields;
    }
    if (ids.length > 2000) throw badRequest('EXCEEDED_ID_LIMIT', 'cannot retrieve more than 2000 records');
    if (fieldNames.length === 0) throw badRequest('MISSING_ARGUMENT', 'fields is required');
    const fields = fieldNames.map((n) => {
      const f = object.fieldIndex.get(n.trim().toLowerCase());
      if (!f)
        throw new SalesforceApiError(
          400,
          'INVALID_FIELD',
          `No such column '${n}' on sobject of type ${object.name}`
        );
      return f;
    });
    const out = ids.map((raw) => {
      const id = normalizeId(raw);
      const row = id ? rowWithFormulas(deps, object, id, fields) : undefined;
      return row ? recordJson(object, row, fields, ctx.apiVersion) : null;
    });
    ctx.sendJson(200, out);
    return;
  }
  const { allOrNone, records } = parseCollection(await ctx.json());
  if (ctx.method === 'POST' && !name) {
    const prepared = records.map((r) => {
      const object = recordType(deps, r);
      return { object, input: deps.store.resolveInputFields(object, r) };
    });
    const results = deps.store.runBatch(allOrNone, () =>
      prepared.map((p) => deps.store.insert(p.object, p.input, dml))
    );
    ctx.sendJson(
      200,
      results.map((r) => ({ id: r.id, success: r.success, errors: r.errors }))
    );
    return;
  }
  if (ctx.method === 'PATCH' && !name) {
    const prepared = records.map((r) => {
      const object = recordType(deps, r);
      const idKey = Object.keys(r).find((k) => k.toLowerCase() === 'id');
      const id = idKey ? r[idKey] : undefined;
      const rest = { ...r };
      if (idKey) delete rest[idKey];
      return {
        object,
        id: typeof id === 'string' ? id : null,
        input: deps.store.resolveInputFields(object, rest)
      };
    });
    const results = deps.store.runBatch(allOrNone, () =>
      prepared.map((p) =>
        p.id === null
          ? {
              id: null,
              success: false,
              errors: [
                { statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }
              ]
            }
          : deps.store.update(p.object, p.id, p.input, dml)
      )
    );
    ctx.sendJson(
      200,
      results.map((r) => ({ id: r.id, success: r.success, errors: r.errors }))
    );
    return;
  }
  if (ctx.method === 'PATCH' && name && extField) {
    const object = requireObject(deps, name);
    const field = externalField(object, extField);
    const values = records.map((r) => {
      const type = recordType(deps, r);
      if (type !== object)
        throw new SalesforceApiError(400, 'INVALID_TYPE', `Every record must be a ${object.name}`);
      const key = Object.keys(r).find((k) => k.toLowerCase() === field.name.toLowerCase());
      return key === undefined ? undefined : r[key];
    });
    const counts = new Map<string, number>();
    for (const v of values)
      if (v !== undefined && v !== null)
        counts.set(String(v).toLowerCase(), (counts.get(String(v).toLowerCase()) ?? 0) + 1);
    const prepared = records.map((r, i) => {
      const key = Object.keys(r).find((k) => k.toLowerCase() === field.name.toLowerCase());
      const rest = { ...r };
      if (key !== undefined) delete rest[key];
      return { value: values[i], input: deps.store.resolveInputFields(object, rest) };
    });
    const results = deps.store.runBatch(allOrNone, () =>
      prepared.map((p): DmlResult => {
        if (
          p.value !== undefined &&
          p.value !== null &&
          (counts.get(String(p.value).toLowerCase()) ?? 0) > 1
        ) {
          return {
            id: null,
            success: false,
            created: false,
            errors: [
              {
                statusCode: 'DUPLICATE_EXTERNAL_ID',
                message: `Duplicate external id specified: ${String(p.value)}`,
                fields: [field.name]
              }
            ]
          };
        }
        return deps.store.upsert(object, field, p.value, p.input, dml);
      })
    );
    ctx.sendJson(
      200,
      results.map((r) => ({ id: r.id, success: r.success, errors: r.errors, created: r.created === true }))
    );
    return;
  }
  throw new SalesforceApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${ctx.method}' not allowed here`);
}
