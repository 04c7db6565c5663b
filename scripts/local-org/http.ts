// One HTTP exchange: reading the body with a size limit, answering JSON / text / streamed CSV with
// back-pressure, and carrying out a `drop` fault (the socket is destroyed part-way through the body).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { SalesforceApiError } from './errors';
import type { Session } from './auth';
import type { CallFault } from './faults';

export const JSON_TYPE = 'application/json;charset=UTF-8';

export class HttpContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly url: URL;
  readonly path: string;
  session: Session | null = null;
  apiVersion = '';
  /** Headers every answer carries (Sforce-Limit-Info on API calls). */
  readonly extraHeaders: Record<string, string> = {};
  private dropAfter: number | null = null;
  private dropArmed = false;
  private written = 0;
  private bodyConsumed = false;

  constructor(req: IncomingMessage, res: ServerResponse, base: string) {
    this.req = req;
    this.res = res;
    this.method = (req.method ?? 'GET').toUpperCase();
    this.url = new URL(req.url ?? '/', base);
    this.path = this.url.pathname.replace(/\/+$/, '') || '/';
  }

  /** Arms a `drop` fault: the body is cut after `afterBytes` (default half of it) and the socket destroyed. */
  armDrop(fault: Extract<CallFault, { type: 'drop' }>): void {
    this.dropArmed = true;
    this.dropAfter = fault.afterBytes ?? null;
  }

  get finished(): boolean {
    return this.res.writableEnded || this.res.destroyed;
  }

  async body(limitBytes: number): Promise<Buffer> {
    if (this.bodyConsumed) throw new Error('request body read twice');
    this.bodyConsumed = true;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > limitBytes) {
        throw new SalesforceApiError(
          413,
          'REQUEST_ENTITY_TOO_LARGE',
          `Request body larger than ${limitBytes} bytes`
        );
      }
      chunks.push(buf);
    }
    return Buffer.concat(chunks);
  }

  /** The request body as a stream (Bulk API uploads), for callers that parse as they read. */
  bodyStream(): IncomingMessage {
    if (this.bodyConsumed) throw new Error('request body read twice');
    this.bodyConsumed = true;
    return this.req;
  }

  async json(limitBytes = 64 * 1024 * 1024): Promise<unknown> {
    const raw = (await this.body(limitBytes)).toString('utf8');
    if (raw.trim() === '') return null;
    try {
      return JSON.parse(raw) as unknown;
    } catch (error) {
      throw new SalesforceApiError(
        400,
        'JSON_PARSER_ERROR',
        `Unexpected character in request body: ${(error as Error).message}`
      );
    }
  }

  private head(status: number, headers: Record<string, string | number>): void {
    if (this.res.headersSent) return;
    this.res.writeHead(status, { ...this.extraHeaders, ...headers });
  }

  private cut(buf: Buffer): boolean {
    if (!this.dropArmed) return false;
    const limit = this.dropAfter ?? Math.floor(buf.length / 2);
    const room = Math.max(0, limit - this.written);
    if (room >= buf.length) return false;
    if (room > 0) this.res.write(buf.subarray(0, room));
    // Give the partial body a moment to leave, then kill the connection mid-body.
    setImmediate(() => this.res.socket?.destroy());
    this.written = limit;
    this.dropArmed = false;
    return true;
  }

  send(
    status: number,
    body: string | Buffer,
    contentType: string,
    headers: Record<string, string> = {}
  ): void {
    if (this.finished) return;
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.head(status, { 'Content-Type': contentType, 'Content-Length': buf.length, ...headers });
    if (this.cut(buf)) return;
    this.written += buf.length;
    this.res.end(buf);
  }

  sendJson(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.send(status, JSON.stringify(body), JSON_TYPE, headers);
  }

  noContent(headers: Record<string, string> = {}): void {
    if (this.finished) return;
    this.head(204, headers);
    this.res.end();
  }

  sendError(error: SalesforceApiError): void {
    this.sendJson(error.status, error.body());
  }

  /** Starts a streamed answer (chunked transfer encoding). */
  startStream(status: number, contentType: string, headers: Record<string, string> = {}): void {
    this.head(status, { 'Content-Type': contentType, ...headers });
  }

  /** Writes one chunk, resolving when the client can take more (or immediately if it went away). */
  async write(chunk: string): Promise<void> {
    if (this.finished) return;
    const buf = Buffer.from(chunk, 'utf8');
    if (this.cut(buf)) return;
    this.written += buf.length;
    if (!this.res.write(buf)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.res.off('drain', done);
          this.res.off('close', done);
          resolve();
        };
        this.res.on('drain', done);
        this.res.on('close', done);
      });
    }
  }

  end(): void {
    if (!this.finished) this.res.end();
  }
}
