// The HTTP front of the local org: Salesforce's URL layout on node:http, authentication, the
// DailyApiRequests counter, fault injection, routing to the REST / Bulk / OAuth / SOAP handlers,
// and the admin endpoints used by tests and the torture suite (/__admin/…, never part of the
// Salesforce API and never counted).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { z } from 'zod';
import type { AuthService } from './auth';
import type { BulkService } from './bulk';
import { composite, compositeBatch } from './composite';
import { notFound, SalesforceApiError } from './errors';
import type { FaultInjector } from './faults';
import { HttpContext, JSON_TYPE } from './http';
import * as rest from './rest';
import type { RestDeps } from './rest';

export interface ServerParts extends RestDeps {
  auth: AuthService;
  faults: FaultInjector;
  bulk: BulkService;
  loginUrl: () => string;
  defaultApiVersion: string;
  log: ((line: string) => void) | null;
  /** Admin hook: the clock, for tests that date field history. */
  setClock: (ms: number | null) => void;
}

const FORM_LIMIT = 1024 * 1024;

function isApiPath(path: string): boolean {
  return /^\/services\/data\/v\d+\.\d(\/|$)/.test(path);
}

export class LocalOrgServer {
  readonly server: Server;
  private readonly parts: ServerParts;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(parts: ServerParts) {
    this.parts = parts;
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    // Idle keep-alive connections stay open a minute, as behind Salesforce's own front ends: with Node's 5 s
    // a client that thinks for a few seconds between calls (the obvious script of the benchmark, after
    // reading a million rows) reuses a socket the server has just closed and gets "socket hang up".
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closed;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const ctx = new HttpContext(req, res, this.parts.instanceUrl());
    const log = this.parts.log;
    if (log)
      res.once('finish', () => log(`${ctx.method} ${ctx.path} ${res.statusCode} ${Date.now() - started}ms`));
    try {
      await this.route(ctx);
    } catch (error) {
      const apiError = rest.toApiError(error);
      if (apiError.status >= 500)
        log?.(`local-org: ${ctx.method} ${ctx.path} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) ctx.sendError(apiError);
      else res.destroy();
    }
  }

  private async route(ctx: HttpContext): Promise<void> {
    const { path } = ctx;
    if (path.startsWith('/__admin')) {
      await this.admin(ctx);
      return;
    }
    const api = isApiPath(path);
    const fault = this.parts.faults.forCall(ctx.method, path);
    let counted = false;
    if (fault) {
      if (api) {
        this.parts.usage.used++;
        counted = true;
      }
      switch (fault.type) {
        case 'unavailable':
          ctx.sendJson(503, [
            {
              message: 'Service temporarily unavailable (local org fault injection)',
              errorCode: 'SERVER_UNAVAILABLE',
              fields: []
            }
          ]);
          return;
        case 'invalidSession': {
          const session = this.parts.auth.authenticate(ctx.req.headers.authorization);
          if (session) this.parts.auth.revoke(session.token);
          ctx.sendJson(401, [
            { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID', fields: [] }
          ]);
          return;
        }
        case 'requestLimit':
          ctx.sendJson(403, [
            { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED', fields: [] }
          ]);
          return;
        case 'error':
          ctx.sendJson(fault.status, [
            {
              message: fault.message ?? `${fault.errorCode} (local org fault injection)`,
              errorCode: fault.errorCode,
              fields: []
            }
          ]);
          return;
        case 'delay':
          await this.sleep(fault.ms);
          if (ctx.finished || ctx.req.destroyed) return;
          break;
        case 'drop':
          if (fault.beforeHandling) {
            ctx.req.socket.destroy();
            return;
          }
          ctx.armDrop(fault);
          break;
      }
    }
    if (path === '/services/oauth2/token') {
      if (ctx.method !== 'POST') throw new SalesforceApiError(405, 'METHOD_NOT_ALLOWED', 'Use POST');
      const form = new URLSearchParams((await ctx.body(FORM_LIMIT)).toString('utf8'));
      const reply = this.parts.auth.token(form, this.parts.instanceUrl(), this.parts.loginUrl());
      ctx.sendJson(reply.status, reply.body);
      return;
    }
    if (path === '/services/oauth2/revoke') {
      const form =
        ctx.method === 'POST'
          ? new URLSearchParams((await ctx.body(FORM_LIMIT)).toString('utf8'))
          : ctx.url.searchParams;
      this.parts.auth.revoke(form.get('token') ?? '');
      ctx.send(200, '', 'text/plain');
      return;
    }
    if (path === '/services/oauth2/userinfo' || /^\/id\/00D\w+\/005\w+$/.test(path)) {
      const session = this.parts.auth.authenticate(ctx.req.headers.authorization);
      if (!session) throw new SalesforceApiError(403, 'Bad_OAuth_Token', 'Bad_OAuth_Token');
      ctx.sendJson(
        200,
        this.parts.auth.identity(session, this.parts.instanceUrl(), this.parts.defaultApiVersion)
      );
      return;
    }
    const soap = /^\/services\/Soap\/u\/(\d+\.\d)(\/.*)?$/.exec(path);
    if (soap) {
      const reply = this.parts.auth.soap(
        (await ctx.body(FORM_LIMIT)).toString('utf8'),
        this.parts.instanceUrl(),
        soap[1] as string
      );
      ctx.send(reply.status, reply.xml, 'text/xml;charset=UTF-8');
      return;
    }
    if (path === '/services/data') {
      rest.versions(ctx);
      return;
    }
    const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
    if (!m) throw notFound();
    const version = m[1] as string;
    if (!rest.SUPPORTED_VERSIONS.includes(version))
      throw notFound(`API version ${version} is not supported by the local org`);
    const session = this.parts.auth.authenticate(ctx.req.headers.authorization);
    if (!session) {
      ctx.sendJson(401, [
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID', fields: [] }
      ]);
      return;
    }
    ctx.session = session;
    ctx.apiVersion = version;
    if (!counted) this.parts.usage.used++;
    ctx.extraHeaders['Sforce-Limit-Info'] = `api-usage=${this.parts.usage.used}/${this.parts.usage.max}`;
    if (this.parts.usage.used > this.parts.usage.max) {
      ctx.sendJson(403, [
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED', fields: [] }
      ]);
      return;
    }
    await this.dispatch(
      ctx,
      (m[2] ?? '')
        .split('/')
        .filter((s) => s !== '')
        .map(decodeURIComponent)
    );
  }

  /** A composite subrequest: logged (with its query string) like a call of its own, then dispatched. */
  private async dispatchLogged(ctx: HttpContext, seg: string[]): Promise<void> {
    this.parts.log?.(`  subrequest ${ctx.method} ${ctx.path}${ctx.url.search}`);
    await this.dispatch(ctx, seg);
  }

  private async dispatch(ctx: HttpContext, seg: string[]): Promise<void> {
    const deps = this.parts;
    const [a, b, c, d, e] = seg;
    const method = ctx.method;
    const only = (...methods: string[]): void => {
      if (!methods.includes(method))
        throw new SalesforceApiError(
          405,
          'METHOD_NOT_ALLOWED',
          `HTTP Method '${method}' not allowed. Allowed are ${methods.join(',')}`
        );
    };
    if (a === undefined) {
      only('GET');
      rest.resources(ctx);
      return;
    }
    switch (a) {
      case 'limits':
        only('GET');
        rest.limits(ctx, deps, {
          queryJobs: deps.bulk.queryJobsCreated,
          ingestBatches: deps.bulk.ingestBatches
        });
        return;
      case 'query':
      case 'queryAll':
        only('GET');
        if (c !== undefined) throw notFound();
        rest.query(ctx, deps, a === 'queryAll', b ?? null);
        return;
      case 'sobjects':
        if (b === undefined) {
          only('GET');
          rest.describeGlobal(ctx, deps);
          return;
        }
        if (c === undefined) {
          only('GET', 'POST');
          await rest.sobjectInfo(ctx, deps, b);
          return;
        }
        if (d === undefined && c === 'describe') {
          only('GET');
          rest.describe(ctx, deps, b);
          return;
        }
        if (d === undefined && (c === 'updated' || c === 'deleted')) {
          only('GET');
          rest.updatedOrDeleted(ctx, deps, b, c);
          return;
        }
        if (e !== undefined) throw notFound();
        await rest.record(ctx, deps, b, c, d ?? null);
        return;
      case 'composite':
        if (b === undefined) {
          await composite(ctx, (sub, segments) => this.dispatchLogged(sub, segments), deps.instanceUrl());
          return;
        }
        if (b === 'batch' && c === undefined) {
          await compositeBatch(
            ctx,
            (sub, segments) => this.dispatchLogged(sub, segments),
            deps.instanceUrl(),
            (n) => {
              deps.usage.used += n;
            }
          );
          return;
        }
        if (b !== 'sobjects' || e !== undefined)
          throw notFound(
            'The local org supports the composite resources /composite, /composite/batch and /composite/sobjects only'
          );
        await rest.collections(ctx, deps, c ?? null, d ?? null);
        return;
      case 'jobs':
        if (e !== undefined) throw notFound();
        if (b === 'query') {
          await deps.bulk.queryJobs(ctx, c ?? null, d ?? null);
          return;
        }
        if (b === 'ingest') {
          await deps.bulk.ingestJobs(ctx, c ?? null, d ?? null);
          return;
        }
        throw notFound();
      default:
        throw notFound(
          `The requested resource does not exist (the local org does not implement /${seg.join('/')})`
        );
    }
  }

  // --- admin -----------------------------------------------------------------------------------

  private async admin(ctx: HttpContext): Promise<void> {
    const session = this.parts.auth.authenticate(ctx.req.headers.authorization);
    if (!session) {
      ctx.sendJson(401, [
        {
          message: 'The admin endpoints need the local org access token (Authorization: Bearer …)',
          errorCode: 'INVALID_SESSION_ID',
          fields: []
        }
      ]);
      return;
    }
    const seg = ctx.path
      .split('/')
      .filter((s) => s !== '')
      .slice(1);
    const [a, b] = seg;
    const { faults, usage, auth } = this.parts;
    if (a === 'faults') {
      if (ctx.method === 'GET' && !b) {
        ctx.sendJson(200, { faults: faults.list(), fired: faults.log });
        return;
      }
      if (ctx.method === 'POST' && !b) {
        const body = await ctx.json();
        const rules = Array.isArray(body) ? body : [body];
        try {
          const ids = rules.map((r) => faults.add(r));
          ctx.sendJson(201, { ids });
        } catch (error) {
          if (error instanceof z.ZodError) {
            ctx.sendJson(400, [
              {
                message: `Invalid fault rule: ${error.issues.map((i) => `${i.path.join('.') || 'rule'}: ${i.message}`).join('; ')}`,
                errorCode: 'INVALID_FAULT',
                fields: []
              }
            ]);
            return;
          }
          throw error;
        }
        return;
      }
      if (ctx.method === 'DELETE') {
        if (b) {
          if (!faults.remove(b)) throw notFound(`No fault ${b}`);
        } else {
          faults.clear();
        }
        ctx.noContent();
        return;
      }
    }
    if (a === 'api-usage') {
      if (ctx.method === 'GET') {
        ctx.sendJson(200, { used: usage.used, max: usage.max });
        return;
      }
      if (ctx.method === 'POST' && b === 'reset') {
        usage.used = 0;
        ctx.sendJson(200, { used: 0, max: usage.max });
        return;
      }
    }
    if (a === 'sessions' && b === 'expire' && ctx.method === 'POST') {
      auth.expireAllSessions();
      ctx.noContent();
      return;
    }
    if (a === 'clock' && ctx.method === 'POST') {
      const body = z.object({ now: z.string().nullable() }).safeParse(await ctx.json());
      if (!body.success)
        throw new SalesforceApiError(
          400,
          'JSON_PARSER_ERROR',
          'Body must be {"now": "<ISO date-time>" | null}'
        );
      const ms = body.data.now === null ? null : Date.parse(body.data.now);
      if (ms !== null && Number.isNaN(ms))
        throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', `Not a date-time: ${body.data.now ?? ''}`);
      this.parts.setClock(ms);
      ctx.sendJson(200, { now: ms === null ? null : new Date(ms).toISOString() });
      return;
    }
    ctx.send(
      404,
      JSON.stringify([
        { message: `Unknown admin endpoint ${ctx.method} ${ctx.path}`, errorCode: 'NOT_FOUND', fields: [] }
      ]),
      JSON_TYPE
    );
  }
}
