// The HTTP layer under jsforce: counts every API call the sync makes (the org's daily allowance is
// shared with every other integration), and retries what is safe to retry — 502/503/504, timeouts and
// dropped connections — with exponential backoff and jitter. jsforce's own retries are switched off
// so that each attempt is counted once and the policy is in one place.
//
// Every request the sync sends is idempotent (queries, upserts by external id, deletes by Id, Bulk API
// job steps that check their state), so a request that may have reached the server is safe to resend.

import { PassThrough } from 'node:stream';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
import { StreamPromise } from 'jsforce/lib/util/promise.js';
import { Transport } from 'jsforce/lib/transport.js';

export interface RetryPolicy {
  /** Attempts after the first one (default 5). */
  maxRetries: number;
  /** Delay before the first retry, doubled each time (default 1000 ms). */
  baseDelayMs: number;
  /** No single wait is longer than this (default 30 s). */
  maxDelayMs: number;
  /** A request without a response after this long is abandoned and retried (default 120 s). */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxRetries: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  timeoutMs: 120_000
};

/** API calls made, in total and per phase of the sync. */
export class ApiCallCounter {
  total = 0;
  phase = 'connect';
  readonly byPhase = new Map<string, number>();

  count(): void {
    this.total++;
    this.byPhase.set(this.phase, (this.byPhase.get(this.phase) ?? 0) + 1);
  }
}

export interface RetryNotice {
  attempt: number;
  maxRetries: number;
  delayMs: number;
  reason: string;
  method: string;
  path: string;
}

const RETRY_STATUS = new Set([502, 503, 504]);
const RETRY_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE'
]);

/** Whether a failed attempt (no HTTP response) is a transient network problem worth retrying. */
export function isTransientNetworkError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    name?: string;
    code?: string;
    errno?: string;
    type?: string;
    message?: string;
    cause?: unknown;
  };
  // Node's fetch reports a dropped connection as TypeError "fetch failed" whose cause is the socket error.
  if (depth < 3 && e.cause !== undefined && isTransientNetworkError(e.cause, depth + 1)) return true;
  if (e.name === 'AbortError' || e.type === 'aborted' || e.name === 'RequestTimeoutError') return true;
  if ((e.code && RETRY_ERROR_CODES.has(e.code)) || (e.errno && RETRY_ERROR_CODES.has(e.errno))) return true;
  const message = e.message ?? '';
  return /socket hang up|premature close|ECONNRESET|network timeout|aborted|terminated|other side closed/i.test(
    message
  );
}

class RequestTimeoutError extends Error {
  constructor(ms: number) {
    super(`no response from Salesforce within ${Math.round(ms / 1000)} s`);
    this.name = 'RequestTimeoutError';
  }
}

/** Is this request an API call the org counts (REST, Bulk, composite), as opposed to a login? */
function isCountedCall(url: string): boolean {
  return /\/services\/(data|async)\//.test(url);
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname;
  } catch {
    return url;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ResilientTransport extends Transport {
  private readonly inner = new Transport();

  constructor(
    readonly counter: ApiCallCounter,
    readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    readonly onRetry: (notice: RetryNotice) => void = () => {},
    private readonly random: () => number = Math.random
  ) {
    super();
  }

  /** The wait before retry `attempt + 1` (full jitter), for callers that send requests themselves (streamed Bulk API bodies). */
  retryDelayMs(attempt: number): number {
    const exponential = this.policy.baseDelayMs * 2 ** attempt;
    return Math.min(this.policy.maxDelayMs, Math.round(exponential / 2 + (this.random() * exponential) / 2));
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    return StreamPromise.create(() => {
      const stream = new PassThrough();
      const promise = this.send(req, options).then(
        (response) => {
          stream.end(response.body ?? '');
          return response;
        },
        (error: unknown) => {
          stream.destroy(error instanceof Error ? error : new Error(String(error)));
          throw error;
        }
      );
      // A consumer that only awaits the promise never reads the stream: do not let an error on it go unhandled.
      stream.on('error', () => {});
      return { stream, promise };
    });
  }

  private async send(req: HttpRequest, options: HttpRequestOptions): Promise<HttpResponse> {
    const counted = isCountedCall(req.url);
    for (let attempt = 0; ; attempt++) {
      if (counted) this.counter.count();
      let reason: string;
      try {
        const response = await this.attempt(req, options);
        if (!RETRY_STATUS.has(response.statusCode) || attempt >= this.policy.maxRetries) return response;
        reason = `HTTP ${response.statusCode} from Salesforce`;
      } catch (error) {
        if (!isTransientNetworkError(error) || attempt >= this.policy.maxRetries) throw error;
        reason = error instanceof Error ? error.message : String(error);
      }
      const exponential = this.policy.baseDelayMs * 2 ** attempt;
      // "Full jitter" backoff (AWS Architecture Blog, "Exponential Backoff and Jitter"): spreads clients apart.
      const delayMs = Math.min(
        this.policy.maxDelayMs,
        Math.round(exponential / 2 + (this.random() * exponential) / 2)
      );
      this.onRetry({
        attempt: attempt + 1,
        maxRetries: this.policy.maxRetries,
        delayMs,
        reason,
        method: req.method,
        path: pathOf(req.url)
      });
      await sleep(delayMs);
    }
  }

  private attempt(req: HttpRequest, options: HttpRequestOptions): Promise<HttpResponse> {
    const timeoutMs = this.policy.timeoutMs;
    const call = this.inner.httpRequest(
      { ...req, headers: { ...(req.headers ?? {}) } },
      { ...options, timeout: timeoutMs, retry: { maxRetries: 0 } }
    );
    return new Promise<HttpResponse>((resolve, reject) => {
      // jsforce's timeout covers the wait for the headers; this one also covers a body that stalls.
      const timer = setTimeout(() => {
        call.stream().destroy();
        reject(new RequestTimeoutError(timeoutMs));
      }, timeoutMs + 1000);
      call.then(
        (response) => {
          clearTimeout(timer);
          resolve(response);
        },
        (error: unknown) => {
          clearTimeout(timer);
          // jsforce aborts a call without headers after `timeout` and says "…timeout of 10 minutes"
          // whatever the timeout was: say what happened instead.
          const aborted =
            typeof error === 'object' && error !== null && (error as Error).name === 'AbortError';
          reject(aborted ? new RequestTimeoutError(timeoutMs) : error);
        }
      );
    });
  }
}
