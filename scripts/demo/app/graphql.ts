// `lightning/graphql` in the preview: `gql` keeps the query text, and the `graphql` wire adapter sends
// { query, variables, operationName } to the preview server, which answers it from the local org (see
// scripts/demo/graphql). What it emits has the shape of the platform's adapter: { data, errors, refresh }.
// Like LDS, the data is read-only, nothing is fetched while `query` is undefined, and a record saved
// through uiRecordApi updates the fields of that record in the data already shown.

import type { GraphqlConfig, GraphqlDocument, GraphqlResult } from 'lightning/graphql';
import {
  fetchGraphql,
  onRecordUpdated,
  requestKey,
  type GraphqlRequest,
  type GraphqlResponse
} from './transport';

interface PreviewDocument extends GraphqlDocument {
  readonly source: string;
}

function isPreviewDocument(value: unknown): value is PreviewDocument {
  return (
    typeof value === 'object' && value !== null && typeof (value as { source?: unknown }).source === 'string'
  );
}

/** The query text; an interpolated gql document (a fragment) is inlined, as the platform's gql allows. */
export function gql(strings: TemplateStringsArray, ...values: unknown[]): GraphqlDocument {
  let source = strings[0] ?? '';
  values.forEach((value, i) => {
    source += (isPreviewDocument(value) ? value.source : String(value)) + (strings[i + 1] ?? '');
  });
  const document: PreviewDocument = Object.freeze({ source });
  return document;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

/** A copy of `data` where every node with this Id shows the saved values of the fields it selected. */
function withRecordFields(
  data: unknown,
  recordId: string,
  fields: Record<string, unknown>
): { data: unknown; changed: boolean } {
  let changed = false;
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value !== 'object' || value === null) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) copy[key] = visit(child);
    if (copy.Id === recordId) {
      for (const [field, saved] of Object.entries(fields)) {
        const current = copy[field];
        if (
          typeof current === 'object' &&
          current !== null &&
          'value' in current &&
          (current as { value: unknown }).value !== saved
        ) {
          copy[field] = { ...(current as Record<string, unknown>), value: saved, displayValue: null };
          changed = true;
        }
      }
    }
    return copy;
  };
  const next = visit(data);
  return { data: next, changed };
}

type DataCallback = (result: GraphqlResult) => void;

export class graphql {
  private readonly dataCallback: DataCallback;
  private request: GraphqlRequest | null = null;
  private requestedKey = '';
  private connected = false;
  /** Answers to older requests are dropped: only the latest config's answer is emitted. */
  private sequence = 0;
  private lastData: unknown = undefined;
  private unsubscribe: (() => void) | null = null;

  constructor(dataCallback: DataCallback) {
    this.dataCallback = dataCallback;
  }

  update(config: GraphqlConfig): void {
    if (!config.query) {
      // No query (e.g. no cell chosen yet): nothing is fetched, and an answer still on its way is dropped.
      this.request = null;
      this.requestedKey = '';
      this.sequence++;
      return;
    }
    if (!isPreviewDocument(config.query)) {
      this.emit({ errors: [{ message: 'The query was not written with gql from lightning/graphql.' }] });
      return;
    }
    this.request = {
      query: config.query.source,
      variables: config.variables ?? null,
      operationName: config.operationName ?? null
    };
    if (this.connected) this.load(false);
  }

  connect(): void {
    this.connected = true;
    this.unsubscribe = onRecordUpdated((recordId, fields) => {
      if (this.lastData === undefined) return;
      const patched = withRecordFields(this.lastData, recordId, fields);
      if (patched.changed) this.emit({ data: patched.data });
    });
    if (this.request) this.load(false);
  }

  disconnect(): void {
    this.connected = false;
    this.sequence++;
    this.requestedKey = '';
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private load(force: boolean): Promise<unknown> {
    const request = this.request;
    if (!request) return Promise.resolve(undefined);
    const key = requestKey(request);
    if (!force && key === this.requestedKey) return Promise.resolve(undefined);
    this.requestedKey = key;
    const sequence = ++this.sequence;
    return fetchGraphql(request).then((response) => {
      if (sequence === this.sequence && this.connected) this.emit(response);
      return response;
    });
  }

  private emit(response: GraphqlResponse): void {
    const errors = response.errors?.length ? response.errors : undefined;
    this.lastData = errors ? undefined : response.data;
    const result: GraphqlResult = {
      data: errors ? undefined : deepFreeze(structuredClone(response.data)),
      errors: errors ? deepFreeze(structuredClone(errors)) : undefined,
      refresh: () => this.load(true)
    };
    this.dataCallback(result);
  }
}
