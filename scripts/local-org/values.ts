// Conversions between API values (JSON bodies, Bulk CSV cells) and stored SQLite values, with the
// field-level checks Salesforce applies (length, range, picklists, e-mail format).

import type Database from 'better-sqlite3';
import { RecordFailure, SalesforceApiError } from './errors';
import { normalizeId } from './ids';
import type { FieldDef } from './schema';
import { parseDateInput, parseDateTimeInput, storedToRestDateTime, toStoredDateTime } from './time';

export type Stored = Database.BindValue;

export type InputSource = 'json' | 'csv';

/** The JSON type names Salesforce uses in JSON_PARSER_ERROR messages. */
function jsonTypeName(field: FieldDef): string {
  switch (field.type) {
    case 'boolean':
      return 'boolean';
    case 'double':
    case 'currency':
    case 'percent':
      return 'double';
    case 'int':
      return 'int';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'string';
  }
}

function typeError(field: FieldDef, raw: unknown, source: InputSource): Error {
  const shown = typeof raw === 'string' ? raw : JSON.stringify(raw);
  if (source === 'json') {
    return new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${jsonTypeName(field)} from ${typeof raw === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${shown} or request may be missing a required field`,
      [field.name]
    );
  }
  return new RecordFailure(
    'INVALID_TYPE_ON_FIELD_IN_RECORD',
    `${field.label}: value not of required type: ${shown}`,
    [field.name]
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Converts one input value to its stored form and checks it against the field's definition.
 * `null` clears the field. Throws SalesforceApiError (whole request) or RecordFailure (this record).
 */
export function toStored(field: FieldDef, raw: unknown, source: InputSource): Stored {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'object') {
    if (source === 'json') {
      throw new SalesforceApiError(
        400,
        'JSON_PARSER_ERROR',
        `Cannot deserialize instance of ${jsonTypeName(field)} from START_OBJECT value`,
        [field.name]
      );
    }
    throw typeError(field, raw, source);
  }
  switch (field.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw ? 1 : 0;
      if (typeof raw === 'string' && /^(true|false|1|0)$/i.test(raw.trim()))
        return /^(true|1)$/i.test(raw.trim()) ? 1 : 0;
      throw typeError(field, raw, source);
    }
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      let n: number;
      if (typeof raw === 'number') n = raw;
      else if (
        typeof raw === 'string' &&
        raw.trim() !== '' &&
        /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim())
      )
        n = Number(raw.trim());
      else throw typeError(field, raw, source);
      if (!Number.isFinite(n)) throw typeError(field, raw, source);
      // Salesforce rounds to the field's scale (half up) and rejects more integer digits than precision − scale.
      const factor = 10 ** field.scale;
      const rounded =
        field.type === 'int' ? Math.round(n) : (Math.sign(n) * Math.round(Math.abs(n) * factor)) / factor;
      const integerDigits = field.precision - field.scale;
      if (integerDigits > 0 && Math.abs(rounded) >= 10 ** integerDigits) {
        throw new RecordFailure(
          'NUMBER_OUTSIDE_VALID_RANGE',
          `${field.label}: value outside of valid range on numeric field: ${n}`,
          [field.name]
        );
      }
      return rounded;
    }
    case 'date': {
      if (typeof raw !== 'string') throw typeError(field, raw, source);
      const date = parseDateInput(raw);
      if (date === null) throw typeError(field, raw, source);
      return date;
    }
    case 'datetime': {
      if (typeof raw !== 'string') throw typeError(field, raw, source);
      const ms = parseDateTimeInput(raw);
      if (ms === null) throw typeError(field, raw, source);
      return toStoredDateTime(ms);
    }
    case 'id':
    case 'reference': {
      const value = String(raw).trim();
      if (value === '') return null;
      const id = normalizeId(value);
      if (!id)
        throw new RecordFailure('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`, [
          field.name
        ]);
      return id;
    }
    default: {
      const value = typeof raw === 'string' ? raw : String(raw);
      if (field.type === 'email' && value !== '' && !EMAIL.test(value)) {
        throw new RecordFailure('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [
          field.name
        ]);
      }
      if (field.length > 0 && value.length > field.length) {
        const shown = value.length > 50 ? `${value.slice(0, 50)}...` : value;
        throw new RecordFailure(
          'STRING_TOO_LONG',
          `${field.label}: data value too large: ${shown} (max length=${field.length})`,
          [field.name]
        );
      }
      if (
        field.type === 'picklist' &&
        field.restrictedPicklist &&
        value !== '' &&
        !field.picklistValues.some((v) => v.value === value && v.active)
      ) {
        throw new RecordFailure(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${value}`,
          [field.name]
        );
      }
      if (field.type === 'multipicklist' && field.restrictedPicklist) {
        for (const part of value.split(';')) {
          if (part !== '' && !field.picklistValues.some((v) => v.value === part && v.active)) {
            throw new RecordFailure(
              'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
              `${field.label}: bad value for restricted picklist field: ${part}`,
              [field.name]
            );
          }
        }
      }
      return value === '' ? null : value;
    }
  }
}

/** Stored → REST JSON value. */
export function toJson(field: { type: FieldDef['type'] }, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'boolean':
      return value === 1 || value === true || value === '1';
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return typeof value === 'number' ? value : Number(value);
    case 'datetime':
      return storedToRestDateTime(String(value));
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

/** Stored → Bulk API 2.0 CSV cell (unquoted). */
export function toCsvText(field: { type: FieldDef['type'] }, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (field.type) {
    case 'boolean':
      return value === 1 || value === true || value === '1' ? 'true' : 'false';
    default:
      return String(value);
  }
}

export function csvEscape(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
