// Authentication: OAuth 2.0 token endpoint (username-password, refresh token, JWT bearer checked
// against a configured public key, client credentials), the SOAP login() that jsforce uses without
// a client id, token revocation and the identity URL. Sessions live in memory; tokens are random
// and never logged.

import { createHmac, createVerify, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from './store';
import type { SObjectDef } from './schema';

export interface Session {
  token: string;
  userId: string;
  issuedAt: number;
  expiresAt: number;
}

export interface AuthOptions {
  clientId: string;
  clientSecret: string;
  /** PEM public key of the connected app's certificate, for the JWT bearer flow. */
  jwtPublicKey: string | null;
  /** User that client-credentials tokens run as. */
  clientCredentialsUserId: string;
  sessionTtlMs: number;
}

export interface OAuthReply {
  status: number;
  body: Record<string, unknown>;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function xmlEscape(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string
  );
}

function xmlUnescape(text: string): string {
  return text.replace(/&(lt|gt|amp|apos|quot|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'apos') return "'";
    if (e === 'quot') return '"';
    return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

function base64UrlDecode(part: string): Buffer {
  return Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export class AuthService {
  private readonly store: Store;
  private readonly options: AuthOptions;
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly passwords = new Map<string, string>();
  readonly organizationId: string;

  constructor(store: Store, organizationId: string, options: AuthOptions) {
    this.store = store;
    this.organizationId = organizationId;
    this.options = options;
  }

  setPassword(username: string, password: string): void {
    this.passwords.set(username.toLowerCase(), password);
  }

  private users(): SObjectDef {
    return this.store.object('User') as SObjectDef;
  }

  private findUser(
    username: string
  ): { Id: string; IsActive: number; Username: string; Name: string; Email: string } | undefined {
    const usernameField = this.users().fieldIndex.get('username');
    if (!usernameField) return undefined;
    return this.store.findByField(this.users(), usernameField, username)[0] as
      { Id: string; IsActive: number; Username: string; Name: string; Email: string } | undefined;
  }

  private checkPassword(username: string, password: string): string | null {
    const expected = this.passwords.get(username.toLowerCase());
    const user = this.findUser(username);
    if (!expected || !user || user.IsActive !== 1 || !safeEqual(expected, password)) return null;
    return user.Id;
  }

  issueAccessToken(userId: string): Session {
    const token = `${this.organizationId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
    const now = Date.now();
    const session = { token, userId, issuedAt: now, expiresAt: now + this.options.sessionTtlMs };
    this.sessions.set(token, session);
    return session;
  }

  /** A refresh token for `userId`, as if the user had approved the connected app in the web flow. */
  issueRefreshToken(userId: string): string {
    const token = `5Aep${randomBytes(40).toString('base64url')}`;
    this.refreshTokens.set(token, userId);
    return token;
  }

  /** The session of an `Authorization: Bearer …` (or `OAuth …`) header, or null. */
  authenticate(header: string | undefined): Session | null {
    if (!header) return null;
    const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim());
    if (!m) return null;
    const session = this.sessions.get((m[1] as string).trim());
    if (!session) return null;
    if (session.expiresAt < Date.now()) {
      this.sessions.delete(session.token);
      return null;
    }
    return session;
  }

  revoke(token: string): boolean {
    const a = this.sessions.delete(token);
    const b = this.refreshTokens.delete(token);
    return a || b;
  }

  /** Ends every access token (refresh tokens stay valid): the next call gets INVALID_SESSION_ID. */
  expireAllSessions(): void {
    this.sessions.clear();
  }

  private tokenResponse(
    session: Session,
    instanceUrl: string,
    extra: Record<string, unknown> = {}
  ): OAuthReply {
    const id = `${instanceUrl}/id/${this.organizationId}/${session.userId}`;
    const issuedAt = String(session.issuedAt);
    const signature = createHmac('sha256', this.options.clientSecret)
      .update(id + issuedAt)
      .digest('base64');
    return {
      status: 200,
      body: {
        access_token: session.token,
        instance_url: instanceUrl,
        id,
        token_type: 'Bearer',
        issued_at: issuedAt,
        signature,
        scope: 'api refresh_token',
        ...extra
      }
    };
  }

  private error(error: string, description: string, status = 400): OAuthReply {
    return { status, body: { error, error_description: description } };
  }

  /** POST /services/oauth2/token with a form body. */
  token(form: URLSearchParams, instanceUrl: string, loginUrl: string): OAuthReply {
    const grant = form.get('grant_type');
    const clientId = form.get('client_id');
    const clientSecret = form.get('client_secret');
    const clientOk = clientId !== null && safeEqual(clientId, this.options.clientId);
    const secretOk = clientSecret !== null && safeEqual(clientSecret, this.options.clientSecret);
    switch (grant) {
      case 'password': {
        if (!clientOk) return this.error('invalid_client_id', 'client identifier invalid');
        if (!secretOk) return this.error('invalid_client', 'invalid client credentials');
        const userId = this.checkPassword(form.get('username') ?? '', form.get('password') ?? '');
        if (!userId) return this.error('invalid_grant', 'authentication failure');
        return this.tokenResponse(this.issueAccessToken(userId), instanceUrl);
      }
      case 'refresh_token': {
        if (!clientOk) return this.error('invalid_client_id', 'client identifier invalid');
        const userId = this.refreshTokens.get(form.get('refresh_token') ?? '');
        if (!userId) return this.error('invalid_grant', 'expired access/refresh token');
        return this.tokenResponse(this.issueAccessToken(userId), instanceUrl);
      }
      case 'client_credentials': {
        if (!clientOk || !secretOk) return this.error('invalid_client', 'invalid client credentials');
        return this.tokenResponse(this.issueAccessToken(this.options.clientCredentialsUserId), instanceUrl);
      }
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
        return this.jwtBearer(form.get('assertion') ?? '', instanceUrl, loginUrl);
      default:
        return this.error('unsupported_grant_type', 'grant type not supported');
    }
  }

  /** OAuth 2.0 JWT Bearer Flow (Salesforce Help): RS256, iss = client id, sub = username, aud = login URL, exp in the future. */
  private jwtBearer(assertion: string, instanceUrl: string, loginUrl: string): OAuthReply {
    if (!this.options.jwtPublicKey)
      return this.error(
        'invalid_grant',
        'JWT bearer flow is not configured: start the local org with a public key (--jwt-public-key)'
      );
    const parts = assertion.split('.');
    if (parts.length !== 3) return this.error('invalid_grant', 'invalid assertion');
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    let header: { alg?: string };
    let payload: { iss?: string; sub?: string; aud?: string | string[]; exp?: number };
    try {
      header = JSON.parse(base64UrlDecode(headerPart).toString('utf8')) as { alg?: string };
      payload = JSON.parse(base64UrlDecode(payloadPart).toString('utf8')) as typeof payload;
    } catch {
      return this.error('invalid_grant', 'invalid assertion');
    }
    if (header.alg !== 'RS256') return this.error('invalid_grant', 'invalid assertion');
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${headerPart}.${payloadPart}`);
    let valid = false;
    try {
      valid = verifier.verify(this.options.jwtPublicKey, base64UrlDecode(signaturePart));
    } catch {
      valid = false;
    }
    if (!valid) return this.error('invalid_grant', 'invalid assertion');
    if (payload.iss !== this.options.clientId)
      return this.error('invalid_client_id', 'client identifier invalid');
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const allowed = [loginUrl, 'https://login.salesforce.com', 'https://test.salesforce.com'];
    if (!audiences.some((a) => a !== undefined && allowed.includes(a.replace(/\/$/, ''))))
      return this.error('invalid_grant', 'audience is invalid');
    if (typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now())
      return this.error('invalid_grant', 'expired authorization code');
    const user = payload.sub ? this.findUser(payload.sub) : undefined;
    if (!user || user.IsActive !== 1)
      return this.error('invalid_grant', "user hasn't approved this consumer");
    return this.tokenResponse(this.issueAccessToken(user.Id), instanceUrl);
  }

  /** POST /services/Soap/u/{version}: login() and logout() of the partner API. */
  soap(body: string, instanceUrl: string, apiVersion: string): { status: number; xml: string } {
    const envelope = (inner: string): string =>
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;
    const fault = (code: string, message: string): { status: number; xml: string } => ({
      status: 500,
      xml: envelope(
        `<soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${xmlEscape(`${code}: ${message}`)}</faultstring></soapenv:Fault>`
      )
    });
    if (/<(?:\w+:)?logout[\s/>]/.test(body)) {
      const sid = /<(?:\w+:)?sessionId>([^<]*)<\//.exec(body)?.[1];
      if (sid) this.revoke(xmlUnescape(sid));
      return { status: 200, xml: envelope('<logoutResponse/>') };
    }
    if (!/<(?:\w+:)?login[\s>]/.test(body))
      return fault('UNKNOWN_EXCEPTION', 'The local org answers only login() and logout() on the SOAP API');
    const username = xmlUnescape(/<(?:\w+:)?username>([^<]*)<\//.exec(body)?.[1] ?? '');
    const password = xmlUnescape(/<(?:\w+:)?password>([^<]*)<\//.exec(body)?.[1] ?? '');
    const userId = this.checkPassword(username, password);
    if (!userId)
      return fault('INVALID_LOGIN', 'Invalid username, password, security token; or user locked out.');
    const session = this.issueAccessToken(userId);
    const user = this.findUser(username);
    const serverUrl = `${instanceUrl}/services/Soap/u/${apiVersion}/${this.organizationId}`;
    const result =
      `<loginResponse><result><metadataServerUrl>${instanceUrl}/services/Soap/m/${apiVersion}/${this.organizationId}</metadataServerUrl>` +
      `<passwordExpired>false</passwordExpired><sandbox>false</sandbox><serverUrl>${serverUrl}</serverUrl>` +
      `<sessionId>${session.token}</sessionId><userId>${userId}</userId><userInfo><organizationId>${this.organizationId}</organizationId>` +
      `<userEmail>${xmlEscape(user?.Email ?? '')}</userEmail><userFullName>${xmlEscape(user?.Name ?? '')}</userFullName><userId>${userId}</userId>` +
      `<userName>${xmlEscape(user?.Username ?? username)}</userName></userInfo></result></loginResponse>`;
    return { status: 200, xml: envelope(result) };
  }

  /** GET /id/{orgId}/{userId} and /services/oauth2/userinfo. */
  identity(session: Session, instanceUrl: string, apiVersion: string): Record<string, unknown> {
    const users = this.users();
    const user = this.store.findById(users, session.userId, true) ?? {};
    return {
      id: `${instanceUrl}/id/${this.organizationId}/${session.userId}`,
      user_id: session.userId,
      organization_id: this.organizationId,
      username: user.Username,
      display_name: user.Name,
      email: user.Email,
      active: user.IsActive === 1,
      user_type: 'STANDARD',
      urls: {
        rest: `${instanceUrl}/services/data/v${apiVersion}/`,
        sobjects: `${instanceUrl}/services/data/v${apiVersion}/sobjects/`,
        query: `${instanceUrl}/services/data/v${apiVersion}/query/`,
        partner: `${instanceUrl}/services/Soap/u/${apiVersion}/${this.organizationId}`
      }
    };
  }
}
