// How the preview's platform modules reach the local org: through the preview server, which holds the
// org session (the browser never sees a token). One place for the URLs, the JSON and the errors.

import type { GraphqlError } from 'lightning/graphql';

export const GRAPHQL_PATH = '/__preview/graphql';
export const RECORDS_PATH = '/__preview/ui-api/records/';

export interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown> | null;
  operationName: string | null;
}

export interface GraphqlResponse {
  data?: unknown;
  errors?: GraphqlError[];
}

/**
 * Answers already fetched, by request. Off by default (every wire asks the org, as an empty LDS cache
 * would); the render benchmark turns it on to time rendering without the network.
 */
const memo = new Map<string, Promise<GraphqlResponse>>();
let memoEnabled = false;

export function setGraphqlMemo(enabled: boolean): void {
  memoEnabled = enabled;
  if (!enabled) memo.clear();
}

export function requestKey(request: GraphqlRequest): string {
  return JSON.stringify([request.operationName, request.query, request.variables]);
}

async function post(request: GraphqlRequest): Promise<GraphqlResponse> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(request)
    });
  } catch (error) {
    return {
      errors: [
        {
          message: `The preview server did not answer (${String(error)}). Is \`npm run demo\` still running?`
        }
      ]
    };
  }
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphqlResponse;
  } catch {
    return {
      errors: [
        { message: `The preview server answered ${response.status} without JSON: ${text.slice(0, 200)}` }
      ]
    };
  }
}

export function fetchGraphql(request: GraphqlRequest): Promise<GraphqlResponse> {
  if (!memoEnabled) return post(request);
  const key = requestKey(request);
  let pending = memo.get(key);
  if (!pending) {
    pending = post(request);
    memo.set(key, pending);
  }
  return pending;
}

/** A saved record: what the UI API returns (`fields` by API name, each `{ value, displayValue }`). */
export interface RecordRepresentation {
  apiName: string;
  id: string;
  fields: Record<string, { value: unknown; displayValue: string | null }>;
}

type RecordListener = (recordId: string, fields: Record<string, unknown>) => void;
const recordListeners = new Set<RecordListener>();

/** Called by each GraphQL wire: a record saved through uiRecordApi updates the data it shows, as LDS does. */
export function onRecordUpdated(listener: RecordListener): () => void {
  recordListeners.add(listener);
  return () => recordListeners.delete(listener);
}

export function notifyRecordUpdated(recordId: string, fields: Record<string, unknown>): void {
  for (const listener of recordListeners) listener(recordId, fields);
}
