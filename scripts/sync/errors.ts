// Errors the sync stops on, each with what to do, and the redaction that keeps every secret the sync
// holds (access tokens, passwords, private keys) out of anything it prints or writes.

/** The sync cannot go on: configuration, connection or org problem. Exit status 1. */
export class SyncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncError';
  }
}

/** Login failed or the session cannot be renewed. */
export class AuthError extends SyncError {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

/** The org's daily API request limit is used up (REQUEST_LIMIT_EXCEEDED): stop at once, retrying makes it worse. */
export class RequestLimitError extends SyncError {
  constructor(detail: string) {
    super(
      `Salesforce refused the request: the org has used up its API request allowance (REQUEST_LIMIT_EXCEEDED: ${detail}). ` +
        'Nothing is half-written: the sync stopped before its next step, and the next run resumes from the same watermark. ' +
        'Check Setup → Company Information → API Requests (or /limits), wait for the 24-hour window to free calls or ask Salesforce ' +
        'for a higher allowance, then run `csm-nps sync` again.'
    );
    this.name = 'RequestLimitError';
  }
}

/** The configuration file or the options are wrong. */
export class ConfigError extends SyncError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const secrets = new Set<string>();

/** Remembers a secret so that `redact` removes it from any text (short strings are ignored: too many false hits). */
export function registerSecret(value: string | null | undefined): void {
  if (typeof value === 'string' && value.length >= 6) secrets.add(value);
}

/** Replaces every known secret, and anything shaped like a Salesforce session id or bearer token, with `***`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  // Session ids: org id (00D + 12/15 chars) '!' token. Bearer headers in any echoed request.
  out = out.replace(/00D[a-zA-Z0-9]{12,15}![A-Za-z0-9._-]{20,}/g, '***');
  out = out.replace(/(Bearer\s+)[A-Za-z0-9!._~+/=-]{8,}/gi, '$1***');
  out = out.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '***');
  // Credentials written into a URL (http://user:password@host), e.g. in SF_LOGIN_URL, echoed by an error.
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, '$1***@');
  return out;
}

/** The error code of a jsforce / Salesforce API error, when there is one. */
export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { errorCode?: unknown; name?: unknown; data?: { errorCode?: unknown } };
  if (typeof e.errorCode === 'string') return e.errorCode;
  if (typeof e.data?.errorCode === 'string') return e.data.errorCode;
  return undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
