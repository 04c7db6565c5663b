// Building SOQL safely: every value that goes into a query is escaped or checked here, and every field
// name from the configuration is checked against the object's describe before a query is built
// (SOQL and SOSL Reference, "Quoted String Escape Sequences").

import { ConfigError } from './errors';

/** A SOQL string literal: backslash, quotes and control characters escaped. */
export function soqlString(value: string): string {
  const escaped = value.replace(/[\\'"\n\r\t\b\f]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\${c}`;
    }
  });
  return `'${escaped}'`;
}

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function isSalesforceId(value: unknown): boolean {
  return typeof value === 'string' && ID.test(value);
}

/** An Id literal; refuses anything that is not shaped like an Id (it would otherwise reach the query). */
export function soqlId(value: string): string {
  if (!ID.test(value)) throw new Error(`not a Salesforce Id: ${JSON.stringify(value).slice(0, 40)}`);
  return `'${value}'`;
}

/** `'a','b'` for an IN list of strings. */
export function soqlStringList(values: readonly string[]): string {
  return values.map(soqlString).join(',');
}

/** A DateTime literal (UTC, whole seconds rounded down: Salesforce keeps seconds). */
export function soqlDateTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The fields of a describe result, by lower-cased name. */
export interface DescribedObject {
  name: string;
  fields: Map<string, { name: string; type: string; referenceTo: string[]; relationshipName: string | null }>;
}

export function describedObject(describe: {
  name: string;
  fields: {
    name: string;
    type: string;
    referenceTo?: (string | null)[] | null;
    relationshipName?: string | null;
  }[];
}): DescribedObject {
  const fields = new Map<
    string,
    { name: string; type: string; referenceTo: string[]; relationshipName: string | null }
  >();
  for (const f of describe.fields) {
    fields.set(f.name.toLowerCase(), {
      name: f.name,
      type: f.type,
      referenceTo: (f.referenceTo ?? []).filter((r): r is string => typeof r === 'string'),
      relationshipName: f.relationshipName ?? null
    });
  }
  return { name: describe.name, fields };
}

/**
 * Checks that a configured field (or one lookup hop, `Contact__r.AccountId`) exists on the object; returns
 * its exact API name and type. `describeParent` describes the lookup's target when there is a hop.
 */
export async function checkFieldPath(
  object: DescribedObject,
  path: string,
  key: string,
  describeParent: (name: string) => Promise<DescribedObject>,
  allowedTypes?: readonly string[]
): Promise<{ path: string; type: string }> {
  const parts = path.split('.');
  if (parts.length === 1) {
    const field = object.fields.get(path.toLowerCase());
    if (!field)
      throw new ConfigError(
        `${key}: ${object.name} has no field "${path}" (checked against its describe): check the API name, and that the sync user can read it`
      );
    if (allowedTypes && !allowedTypes.includes(field.type)) {
      throw new ConfigError(
        `${key}: ${object.name}.${field.name} is a ${field.type} field; expected ${allowedTypes.join(' or ')}`
      );
    }
    return { path: field.name, type: field.type };
  }
  const [relationship, fieldName] = parts as [string, string];
  const lookup = [...object.fields.values()].find(
    (f) => f.relationshipName?.toLowerCase() === relationship.toLowerCase()
  );
  if (!lookup || lookup.referenceTo.length !== 1) {
    throw new ConfigError(
      `${key}: ${object.name} has no lookup relationship "${relationship}" (checked against its describe)`
    );
  }
  const parent = await describeParent(lookup.referenceTo[0] as string);
  const field = parent.fields.get(fieldName.toLowerCase());
  if (!field)
    throw new ConfigError(
      `${key}: ${parent.name} (through ${object.name}.${lookup.relationshipName}) has no field "${fieldName}"`
    );
  if (allowedTypes && !allowedTypes.includes(field.type)) {
    throw new ConfigError(
      `${key}: ${parent.name}.${field.name} is a ${field.type} field; expected ${allowedTypes.join(' or ')}`
    );
  }
  return { path: `${lookup.relationshipName as string}.${field.name}`, type: field.type };
}
