// The preview server's way into the org: Salesforce's REST API (query with its next pages, describe,
// record update and retrieve) with the server's own session. The session stays on the server — the
// browser only talks to the preview server — and is renewed once on a 401.

import { OrgRequestError, type ObjectDescribe, type UiApiOrg } from './graphql/uiApi';

export interface RestOrgClientOptions {
  instanceUrl: string;
  apiVersion: string;
  accessToken: string;
  /** A new session when the org answers 401 (the local org's admin hook, or a new login). */
  renewAccessToken?: () => Promise<string> | string;
}

interface RestError {
  message?: string;
  errorCode?: string;
  fields?: string[];
}

export interface SavedRecord {
  apiName: string;
  id: string;
  fields: Record<string, { value: unknown; displayValue: string | null }>;
}

export class RestOrgClient implements UiApiOrg {
  private accessToken: string;
  private readonly base: string;
  private readonly describes = new Map<string, Promise<ObjectDescribe | null>>();
  private prefixes: Promise<Map<string, string>> | null = null;

  constructor(private readonly options: RestOrgClientOptions) {
    this.accessToken = options.accessToken;
    this.base = `${options.instanceUrl.replace(/\/$/, '')}/services/data/v${options.apiVersion}`;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    renewed = false
  ): Promise<{ status: number; json: unknown }> {
    const url = path.startsWith('/services/')
      ? `${this.options.instanceUrl.replace(/\/$/, '')}${path}`
      : `${this.base}${path}`;
    const response = await fetch(url, {
      method,
      headers: {
        Authorization: `Bearer ${this.accessToken}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    if (response.status === 401 && !renewed && this.options.renewAccessToken) {
      this.accessToken = await this.options.renewAccessToken();
      return this.request(method, path, body, true);
    }
    const text = await response.text();
    let json: unknown = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = { message: text.slice(0, 500) };
      }
    }
    if (response.status >= 400) {
      const first = (Array.isArray(json) ? json[0] : json) as RestError | null;
      throw new OrgRequestError(
        first?.message ?? `The org answered ${response.status} to ${method} ${path}`,
        first?.errorCode ?? `HTTP_${response.status}`,
        response.status
      );
    }
    return { status: response.status, json };
  }

  describe(objectApiName: string): Promise<ObjectDescribe | null> {
    const key = objectApiName.toLowerCase();
    let pending = this.describes.get(key);
    if (!pending) {
      pending = this.request('GET', `/sobjects/${encodeURIComponent(objectApiName)}/describe`).then(
        ({ json }) => json as ObjectDescribe,
        (error: unknown) => {
          if (error instanceof OrgRequestError && error.status === 404) return null;
          this.describes.delete(key);
          throw error;
        }
      );
      this.describes.set(key, pending);
    }
    return pending;
  }

  /** Every record of a SOQL query (following nextRecordsUrl). */
  async query(soql: string): Promise<{ totalSize: number; records: Record<string, unknown>[] }> {
    type Page = {
      totalSize: number;
      done: boolean;
      nextRecordsUrl?: string;
      records: Record<string, unknown>[];
    };
    let page = (await this.request('GET', `/query?q=${encodeURIComponent(soql)}`)).json as Page;
    const records = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      page = (await this.request('GET', page.nextRecordsUrl)).json as Page;
      records.push(...page.records);
    }
    return { totalSize: page.totalSize, records };
  }

  /** The object of a record Id, from its key prefix (describe global). */
  async objectOfId(recordId: string): Promise<string | null> {
    this.prefixes ??= this.request('GET', '/sobjects').then(({ json }) => {
      const map = new Map<string, string>();
      for (const s of (json as { sobjects: { name: string; keyPrefix: string | null }[] }).sobjects)
        if (s.keyPrefix) map.set(s.keyPrefix, s.name);
      return map;
    });
    return (await this.prefixes).get(recordId.slice(0, 3)) ?? null;
  }

  /** Updates a record (PATCH) and returns the saved values of the fields written, as the UI API does. */
  async updateRecord(recordId: string, fields: Record<string, unknown>): Promise<SavedRecord> {
    if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(recordId))
      throw new OrgRequestError(`${JSON.stringify(recordId)} is not a record Id`, 'MALFORMED_ID', 400);
    const objectApiName = await this.objectOfId(recordId);
    if (!objectApiName)
      throw new OrgRequestError(
        `No object has records with Ids starting ${recordId.slice(0, 3)}`,
        'NOT_FOUND',
        404
      );
    const path = `/sobjects/${objectApiName}/${recordId}`;
    await this.request('PATCH', path, fields);
    const names = Object.keys(fields);
    const { json } = await this.request(
      'GET',
      `${path}?fields=${encodeURIComponent(['Id', ...names].join(','))}`
    );
    const saved = json as Record<string, unknown>;
    const describe = await this.describe(objectApiName);
    return {
      apiName: objectApiName,
      id: String(saved.Id ?? recordId),
      fields: Object.fromEntries(
        names.map((name) => {
          const field = describe?.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
          const value = saved[field?.name ?? name] ?? null;
          const label =
            field?.type === 'picklist'
              ? (field.picklistValues?.find((p) => p.value === value)?.label ?? null)
              : null;
          return [field?.name ?? name, { value, displayValue: label }];
        })
      )
    };
  }
}
