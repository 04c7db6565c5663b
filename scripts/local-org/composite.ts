// The Composite and Composite Batch resources (REST API Developer Guide, "Composite Resources"):
//
// - POST /composite: up to 25 subrequests executed in order, at most 5 of them query operations
//   (Query, QueryAll, or the next page of a query) or sObject Collections; the whole request counts as
//   ONE API call, as Salesforce counts it. `allOrNone` false only (a failed subrequest does not stop the
//   others), no references between subrequests (`@{ref.field}`): both are refused with a message saying
//   the local org does not implement them, never approximated.
// - POST /composite/batch: up to 25 independent subrequests (`haltOnError` supported); EACH subrequest
//   counts as one API call, as Salesforce counts it (the batch itself adds nothing beyond them).
//
// A subrequest is dispatched through the same router as a top-level call, with its own method, URL,
// headers and body, so it behaves exactly like the resource it names.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { badRequest, SalesforceApiError } from './errors';
import { HttpContext } from './http';
import { toApiError } from './rest';

export const MAX_SUBREQUESTS = 25;
/** Query operations (query, queryAll, next page) and sObject Collections allowed in one composite request. */
export const MAX_QUERY_OR_COLLECTION_SUBREQUESTS = 5;

export interface SubResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Runs one subrequest through the router: `path` below /services/data/vXX.X (segments), as the session of `parent`. */
export type Dispatcher = (ctx: HttpContext, segments: string[]) => Promise<void>;

const compositeBody = z.object({
  allOrNone: z.boolean().optional(),
  collateSubrequests: z.boolean().optional(),
  compositeRequest: z
    .array(
      z.object({
        method: z.string(),
        url: z.string(),
        referenceId: z.string(),
        body: z.unknown().optional(),
        httpHeaders: z.record(z.string(), z.string()).optional()
      })
    )
    .min(1)
});

const batchBody = z.object({
  haltOnError: z.boolean().optional(),
  batchRequests: z
    .array(
      z.object({
        method: z.string(),
        url: z.string(),
        richInput: z.unknown().optional(),
        httpHeaders: z.record(z.string(), z.string()).optional()
      })
    )
    .min(1)
});

/** A captured answer: the handlers write to this instead of a socket. */
class CapturedResponse {
  statusCode = 200;
  headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  headersSent = false;
  writableEnded = false;
  destroyed = false;
  socket = null;

  writeHead(status: number, headers: Record<string, string | number> = {}): this {
    this.statusCode = status;
    for (const [k, v] of Object.entries(headers)) this.headers[k.toLowerCase()] = String(v);
    this.headersSent = true;
    return this;
  }

  write(chunk: Buffer | string): boolean {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    return true;
  }

  end(chunk?: Buffer | string): this {
    if (chunk !== undefined) this.write(chunk);
    this.writableEnded = true;
    return this;
  }

  on(): this {
    return this;
  }

  off(): this {
    return this;
  }

  body(): unknown {
    const text = Buffer.concat(this.chunks).toString('utf8');
    if (text === '') return null;
    if ((this.headers['content-type'] ?? '').includes('json')) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    }
    return text;
  }
}

function fakeRequest(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: unknown
): IncomingMessage {
  const payload =
    body === undefined || body === null
      ? []
      : [Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8')];
  const req = Readable.from(payload) as unknown as IncomingMessage;
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  if (payload.length > 0 && !lower['content-type']) lower['content-type'] = 'application/json';
  Object.assign(req, { method: method.toUpperCase(), url, headers: lower });
  return req;
}

interface ParsedUrl {
  version: string;
  segments: string[];
  pathAndQuery: string;
}

/** `/services/data/v64.0/query?q=…` (composite) or `v64.0/query?q=…` (batch). */
function parseSubrequestUrl(raw: string, batch: boolean): ParsedUrl {
  const url = new URL(raw.startsWith('/') ? raw : `/${raw}`, 'http://subrequest.invalid');
  let path = url.pathname;
  if (batch && /^\/v\d+\.\d(\/|$)/.test(path)) path = `/services/data${path}`;
  const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
  if (!m)
    throw badRequest(
      'INVALID_API_INPUT',
      `The subrequest URL ${raw} is not a REST API resource (it must start with ${batch ? 'vXX.X/' : '/services/data/vXX.X/'})`
    );
  const segments = (m[2] ?? '')
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  return { version: m[1] as string, segments, pathAndQuery: `${path}${url.search}` };
}

function isQueryOperation(segments: string[]): boolean {
  return segments[0] === 'query' || segments[0] === 'queryAll';
}

function isCollection(segments: string[]): boolean {
  return segments[0] === 'composite' && segments[1] === 'sobjects';
}

/** Resources a subrequest may name (REST API Developer Guide: composite supports sObject, query and collections). */
function checkSupported(segments: string[], batch: boolean): void {
  const [a, b] = segments;
  if (a === 'sobjects' || a === 'query' || a === 'queryAll') return;
  if (a === 'composite' && b === 'sobjects') return;
  if (batch && a === 'limits') return;
  throw badRequest(
    'INVALID_API_INPUT',
    `/${segments.join('/')} is not supported in a ${batch ? 'composite batch' : 'composite'} subrequest (supported: sObject resources, query, queryAll${batch ? ', limits' : ', sObject Collections'})`
  );
}

async function runSubrequest(
  parent: HttpContext,
  dispatch: Dispatcher,
  instanceUrl: string,
  request: { method: string; url: string; body?: unknown; httpHeaders?: Record<string, string> },
  parsed: ParsedUrl
): Promise<SubResponse> {
  const res = new CapturedResponse();
  const req = fakeRequest(request.method, parsed.pathAndQuery, request.httpHeaders ?? {}, request.body);
  const ctx = new HttpContext(req, res as unknown as ServerResponse, instanceUrl);
  ctx.session = parent.session;
  ctx.apiVersion = parsed.version;
  try {
    await dispatch(ctx, parsed.segments);
  } catch (error) {
    const apiError = toApiError(error);
    return { status: apiError.status, headers: {}, body: apiError.body() };
  }
  const headers: Record<string, string> = {};
  if (res.headers.location) headers.Location = res.headers.location;
  return { status: res.statusCode, headers, body: res.body() };
}

function refuseReferences(text: string): void {
  if (text.includes('@{'))
    throw badRequest(
      'INVALID_API_INPUT',
      'References between subrequests (@{referenceId.field}) are not implemented by the local org'
    );
}

/** POST /composite: one API call for up to 25 subrequests. */
export async function composite(ctx: HttpContext, dispatch: Dispatcher, instanceUrl: string): Promise<void> {
  if (ctx.method !== 'POST')
    throw new SalesforceApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${ctx.method}' not allowed. Allowed are POST`
    );
  const parsed = compositeBody.safeParse(await ctx.json());
  if (!parsed.success)
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The body must be {"allOrNone": false, "compositeRequest": [{"method", "url", "referenceId", "body"?, "httpHeaders"?}, …]}'
    );
  const { compositeRequest } = parsed.data;
  if (parsed.data.allOrNone === true)
    throw badRequest(
      'INVALID_API_INPUT',
      'allOrNone true (rolling back every subrequest) is not implemented by the local org: send allOrNone false'
    );
  if (compositeRequest.length > MAX_SUBREQUESTS)
    throw badRequest(
      'INVALID_API_INPUT',
      `A composite request can have at most ${MAX_SUBREQUESTS} subrequests; this one has ${compositeRequest.length}`
    );
  const seen = new Set<string>();
  const urls: ParsedUrl[] = [];
  let heavy = 0;
  for (const sub of compositeRequest) {
    if (!/^[A-Za-z0-9_]+$/.test(sub.referenceId))
      throw badRequest(
        'INVALID_API_INPUT',
        `Invalid referenceId "${sub.referenceId}": letters, digits and _ only`
      );
    if (seen.has(sub.referenceId))
      throw badRequest(
        'INVALID_API_INPUT',
        `Duplicate referenceId provided in the request: ${sub.referenceId}`
      );
    seen.add(sub.referenceId);
    refuseReferences(sub.url);
    if (sub.body !== undefined) refuseReferences(JSON.stringify(sub.body));
    const url = parseSubrequestUrl(sub.url, false);
    checkSupported(url.segments, false);
    if (isQueryOperation(url.segments) || isCollection(url.segments)) heavy++;
    urls.push(url);
  }
  if (heavy > MAX_QUERY_OR_COLLECTION_SUBREQUESTS)
    throw badRequest(
      'INVALID_API_INPUT',
      `A composite request can have at most ${MAX_QUERY_OR_COLLECTION_SUBREQUESTS} query operations and sObject Collections subrequests; this one has ${heavy}`
    );
  const compositeResponse: {
    body: unknown;
    httpHeaders: Record<string, string>;
    httpStatusCode: number;
    referenceId: string;
  }[] = [];
  for (let i = 0; i < compositeRequest.length; i++) {
    const sub = compositeRequest[i] as (typeof compositeRequest)[number];
    const answer = await runSubrequest(ctx, dispatch, instanceUrl, sub, urls[i] as ParsedUrl);
    compositeResponse.push({
      body: answer.body,
      httpHeaders: answer.headers,
      httpStatusCode: answer.status,
      referenceId: sub.referenceId
    });
  }
  ctx.sendJson(200, { compositeResponse });
}

/**
 * POST /composite/batch: up to 25 independent subrequests, each counted as an API call
 * (`countExtra(n)` adds the subrequests beyond the one call the router already counted).
 */
export async function compositeBatch(
  ctx: HttpContext,
  dispatch: Dispatcher,
  instanceUrl: string,
  countExtra: (n: number) => void
): Promise<void> {
  if (ctx.method !== 'POST')
    throw new SalesforceApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${ctx.method}' not allowed. Allowed are POST`
    );
  const parsed = batchBody.safeParse(await ctx.json());
  if (!parsed.success)
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The body must be {"batchRequests": [{"method", "url", "richInput"?}, …], "haltOnError"?: boolean}'
    );
  const { batchRequests } = parsed.data;
  if (batchRequests.length > MAX_SUBREQUESTS)
    throw badRequest(
      'INVALID_API_INPUT',
      `A batch request can have at most ${MAX_SUBREQUESTS} subrequests; this one has ${batchRequests.length}`
    );
  const urls = batchRequests.map((sub) => {
    const url = parseSubrequestUrl(sub.url, true);
    checkSupported(url.segments, true);
    return url;
  });
  countExtra(batchRequests.length - 1);
  const results: { statusCode: number; result: unknown }[] = [];
  let halted = false;
  let hasErrors = false;
  for (let i = 0; i < batchRequests.length; i++) {
    const sub = batchRequests[i] as (typeof batchRequests)[number];
    if (halted) {
      results.push({
        statusCode: 412,
        result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }]
      });
      continue;
    }
    const answer = await runSubrequest(
      ctx,
      dispatch,
      instanceUrl,
      { method: sub.method, url: sub.url, body: sub.richInput, httpHeaders: sub.httpHeaders },
      urls[i] as ParsedUrl
    );
    results.push({ statusCode: answer.status, result: answer.body });
    if (answer.status >= 400) {
      hasErrors = true;
      if (parsed.data.haltOnError) halted = true;
    }
  }
  ctx.sendJson(200, { hasErrors, results });
}
