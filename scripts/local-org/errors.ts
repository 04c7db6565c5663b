// Salesforce-shaped errors. A request-level error is answered as `[{"message","errorCode","fields"}]`
// with its HTTP status (REST API Developer Guide, "Status Codes and Error Responses"); a record-level
// error inside a result uses `statusCode` instead of `errorCode` (sObject Collections, Bulk results).

export interface ApiErrorBody {
  message: string;
  errorCode: string;
  fields: string[];
}

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** A request-level failure: thrown anywhere inside a handler, answered by the router. */
export class SalesforceApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly fields: string[];

  constructor(status: number, errorCode: string, message: string, fields: string[] = []) {
    super(message);
    this.name = 'SalesforceApiError';
    this.status = status;
    this.errorCode = errorCode;
    this.fields = fields;
  }

  body(): ApiErrorBody[] {
    return [{ message: this.message, errorCode: this.errorCode, fields: this.fields }];
  }
}

/** A failure of one record inside a DML call: becomes one entry of that record's `errors`. */
export class RecordFailure extends Error {
  readonly statusCode: string;
  readonly fields: string[];

  constructor(statusCode: string, message: string, fields: string[] = []) {
    super(message);
    this.name = 'RecordFailure';
    this.statusCode = statusCode;
    this.fields = fields;
  }

  toRecordError(): RecordError {
    return { statusCode: this.statusCode, message: this.message, fields: this.fields };
  }
}

export function malformedQuery(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'MALFORMED_QUERY', message);
}

export function invalidField(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'INVALID_FIELD', message);
}

/** SOQL or DML naming an object the org does not have. */
export function invalidType(objectName: string): SalesforceApiError {
  return new SalesforceApiError(
    400,
    'INVALID_TYPE',
    `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
  );
}

export function notFound(message = 'The requested resource does not exist'): SalesforceApiError {
  return new SalesforceApiError(404, 'NOT_FOUND', message);
}

export function badRequest(errorCode: string, message: string, fields: string[] = []): SalesforceApiError {
  return new SalesforceApiError(400, errorCode, message, fields);
}
