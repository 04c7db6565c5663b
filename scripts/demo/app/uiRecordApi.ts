// `lightning/uiRecordApi` in the preview: updateRecord saves through the preview server into the local
// org (PATCH of the record), resolves with the saved record and rejects, as the platform does, with
// `{ ok: false, status, body: { message, output: { errors, fieldErrors } } }`. A saved record updates the
// GraphQL data already shown (see graphql.ts).

import type { RecordInput } from 'lightning/uiRecordApi';
import { notifyRecordUpdated, RECORDS_PATH, type RecordRepresentation } from './transport';

export interface UiApiErrorBody {
  message: string;
  errorCode?: string;
  output?: { errors: { errorCode: string; message: string }[]; fieldErrors: Record<string, unknown> };
}

export interface UiApiError {
  ok: false;
  status: number;
  statusText: string;
  body: UiApiErrorBody;
}

export async function updateRecord(
  recordInput: RecordInput,
  _clientOptions?: { ifUnmodifiedSince?: string }
): Promise<RecordRepresentation> {
  const { Id: id, ...fields } = recordInput.fields;
  if (typeof id !== 'string' || id === '') {
    const error: UiApiError = {
      ok: false,
      status: 400,
      statusText: 'Bad Request',
      body: { message: 'updateRecord needs fields.Id, the Id of the record to update.' }
    };
    throw error;
  }
  let response: Response;
  try {
    response = await fetch(RECORDS_PATH + encodeURIComponent(id), {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ fields })
    });
  } catch (cause) {
    const error: UiApiError = {
      ok: false,
      status: 0,
      statusText: 'Network error',
      body: { message: `The preview server did not answer (${String(cause)})` }
    };
    throw error;
  }
  const body = (await response.json().catch(() => ({ message: `HTTP ${response.status}` }))) as unknown;
  if (!response.ok) {
    const error: UiApiError = {
      ok: false,
      status: response.status,
      statusText: response.statusText,
      body: body as UiApiErrorBody
    };
    throw error;
  }
  const record = body as RecordRepresentation;
  notifyRecordUpdated(
    record.id,
    Object.fromEntries(Object.entries(record.fields).map(([name, field]) => [name, field.value]))
  );
  return record;
}
