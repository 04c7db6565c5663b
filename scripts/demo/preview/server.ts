// The preview server, on 127.0.0.1 only: the three pages, the built components (/assets), SLDS (/slds),
// and the two platform endpoints the components' modules call — GraphQL (answered from the org by
// scripts/demo/graphql) and record updates (uiRecordApi). It holds the org session; the browser never
// sees it. Requests naming another host (DNS rebinding) or posting from another origin are refused.

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { executeGraphql, OrgRequestError } from '../graphql/uiApi';
import type { RestOrgClient } from '../orgClient';
import { loadDirectory, type Directory } from './directory';
import { PAGE_PATHS, pageProperties, renderPage, type PageContext, type PageName } from './pages';

export interface PreviewServerOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  org: RestOrgClient;
  /** The build output folder and its entry file (see build.ts). */
  assetsDir: string;
  entry: string;
  sldsDir: string;
  /** One line per API request (GraphQL operation, record update) with its duration. */
  log?: (line: string) => void;
}

export interface PreviewServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_BODY = 1_000_000;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2'
};

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff'
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

/** A file under `root` (never outside it), or null. */
function fileUnder(root: string, relative: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  if (!file.startsWith(root + path.sep)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

function serveFile(res: ServerResponse, file: string, cache: boolean): void {
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Cache-Control': cache ? 'public, max-age=3600' : 'no-cache',
    'X-Content-Type-Options': 'nosniff'
  });
  createReadStream(file).pipe(res);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error(`request body over ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The error body of a failed record save, as the UI API returns it (uiRecordApi rejects with it). */
function saveErrorBody(error: unknown): { status: number; body: Record<string, unknown> } {
  const orgError = error instanceof OrgRequestError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  const errorCode = orgError?.errorCode ?? 'UNKNOWN_EXCEPTION';
  return {
    status: orgError && orgError.status >= 400 && orgError.status < 500 ? orgError.status : 400,
    body: {
      message: 'An error occurred while trying to update the record. Please try again.',
      errorCode,
      statusCode: orgError?.status ?? 500,
      enhancedErrorType: 'RecordError',
      output: { errors: [{ errorCode, message }], fieldErrors: {} }
    }
  };
}

function pageOf(pathname: string): PageName | null {
  if (pathname === PAGE_PATHS.manager) return 'manager';
  if (pathname === PAGE_PATHS.csm) return 'csm';
  if (pathname === PAGE_PATHS.account) return 'account';
  if (pathname === '/__bench') return 'bench';
  return null;
}

function pageContext(page: PageName, directory: Directory, query: URLSearchParams): PageContext {
  const known = (id: string | null): string | null => (id && directory.byId.has(id) ? id : null);
  let userId: string;
  let recordId: string | null = null;
  if (page === 'csm') userId = known(query.get('user')) ?? directory.defaultCsmId ?? '';
  else userId = known(query.get('as')) ?? directory.defaultManagerId ?? '';
  if (page === 'account') {
    const wanted = query.get('account');
    recordId = wanted && /^[a-zA-Z0-9]{15,18}$/.test(wanted) ? wanted : directory.defaultAccountId;
  }
  const context: PageContext = {
    page,
    userId,
    timeZone: directory.byId.get(userId)?.timeZone ?? directory.orgTimeZone,
    recordId,
    properties: pageProperties(page, query)
  };
  if (page === 'bench') {
    context.bench = {
      runs: Math.max(1, Math.min(20, Number(query.get('runs') ?? 5) || 5)),
      gridRows: Math.max(1, Number(query.get('gridRows') ?? 1) || 1)
    };
  }
  return context;
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const assetsDir = path.resolve(options.assetsDir);
  const sldsDir = path.resolve(options.sldsDir);
  let origin = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    const port = origin.slice(origin.lastIndexOf(':') + 1);
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) {
      send(res, 421, `The preview answers only http://${HOST}:${port}/`);
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';

    if (url.pathname.startsWith('/__preview/')) {
      // Only this page's own scripts may call the API: JSON bodies (no cross-site form post) from no other origin.
      const requestOrigin = req.headers.origin;
      if (requestOrigin && requestOrigin !== origin && requestOrigin !== origin.replace(HOST, 'localhost')) {
        sendJson(res, 403, { message: 'Requests from another origin are refused.' });
        return;
      }
      if (url.pathname === '/__preview/health') {
        sendJson(res, 200, { ok: true });
        return;
      }
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        sendJson(res, 415, { message: 'Send JSON (Content-Type: application/json).' });
        return;
      }
      const started = performance.now();
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch (error) {
        sendJson(res, 400, { message: `The body is not JSON: ${(error as Error).message}` });
        return;
      }
      if (url.pathname === '/__preview/graphql' && method === 'POST') {
        const request = (body ?? {}) as { operationName?: unknown };
        const result = await executeGraphql(request, options.org);
        options.log?.(
          `graphql ${String(request.operationName ?? '(anonymous)')}: ${result.errors ? `error: ${result.errors[0]?.message}` : 'ok'} (${Math.round(performance.now() - started)} ms)`
        );
        sendJson(res, 200, result);
        return;
      }
      const record = /^\/__preview\/ui-api\/records\/([a-zA-Z0-9]{15,18})$/.exec(url.pathname);
      if (record && method === 'PATCH') {
        const fields = (body as { fields?: unknown } | null)?.fields;
        if (!fields || typeof fields !== 'object' || Array.isArray(fields)) {
          sendJson(
            res,
            400,
            saveErrorBody(
              // api-names: ignore (a placeholder in the error text, not a field)
              new OrgRequestError('Send { "fields": { "Field__c": value } }', 'INVALID_INPUT', 400)
            ).body
          );
          return;
        }
        try {
          const saved = await options.org.updateRecord(
            record[1] as string,
            fields as Record<string, unknown>
          );
          options.log?.(
            `update ${saved.apiName} ${saved.id} ${Object.keys(fields).join(', ')} (${Math.round(performance.now() - started)} ms)`
          );
          sendJson(res, 200, saved);
        } catch (error) {
          const failure = saveErrorBody(error);
          options.log?.(`update ${record[1]} failed: ${(error as Error).message}`);
          sendJson(res, failure.status, failure.body);
        }
        return;
      }
      sendJson(res, 404, { message: `No ${method} ${url.pathname} in the preview API.` });
      return;
    }

    if (method !== 'GET' && method !== 'HEAD') {
      send(res, 405, 'Method not allowed');
      return;
    }
    if (url.pathname.startsWith('/assets/')) {
      const file = fileUnder(assetsDir, url.pathname.slice('/assets/'.length));
      if (file) serveFile(res, file, false);
      else send(res, 404, 'Not found');
      return;
    }
    if (url.pathname.startsWith('/slds/')) {
      const file = fileUnder(sldsDir, url.pathname.slice('/slds/'.length));
      if (file) serveFile(res, file, true);
      else send(res, 404, 'Not found');
      return;
    }
    const page = pageOf(url.pathname);
    if (!page) {
      send(res, 404, `No page at ${url.pathname}: the preview has ${Object.values(PAGE_PATHS).join(', ')}`);
      return;
    }
    const directory = await loadDirectory(options.org);
    const context = pageContext(page, directory, url.searchParams);
    send(
      res,
      200,
      renderPage({ page, directory, context, query: url.searchParams, entry: options.entry }),
      'text/html; charset=utf-8'
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.(
        `error on ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`
      );
      if (!res.headersSent)
        send(
          res,
          500,
          `The preview server failed: ${error instanceof Error ? error.message : String(error)}`
        );
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${HOST}:${port}`;
  return {
    url: `${origin}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}
