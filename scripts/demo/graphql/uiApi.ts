// The GraphQL UI API subset the components use, answered from an org's REST API: each
// `uiapi { query { <Object>(first, after, where, orderBy) { edges { node { … } } pageInfo totalCount } } }`
// becomes one SOQL query (and a COUNT() for totalCount). Shapes follow the GraphQL UI API documentation
// (Salesforce, "GraphQL API Developer Guide": Record Query, Filtering, Ordering, Pagination): a field is
// `{ value, displayValue }`, `Id` is a scalar, a parent relationship is a nested record (null when the
// lookup is empty), cursors are opaque, `first` is at most 2000. Validation errors carry the platform's
// wording ("Field 'X' in type 'Y' is undefined") so the components' error handling is exercised as in an
// org. Sharing and field-level security are not modelled: the local org has none.

import {
  parseGraphql,
  GraphqlSyntaxError,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type Location,
  type OperationDefinitionNode,
  type SelectionNode,
  type TypeNode,
  type ValueNode
} from './parse';

export interface FieldDescribe {
  name: string;
  type: string;
  relationshipName: string | null;
  referenceTo: string[];
  filterable: boolean;
  sortable: boolean;
  picklistValues?: { value: string; label: string | null }[];
}

export interface ObjectDescribe {
  name: string;
  fields: FieldDescribe[];
}

/** What the UI API needs from an org: describes and SOQL (every page of the result). */
export interface UiApiOrg {
  /** null when the org has no such object. */
  describe(objectApiName: string): Promise<ObjectDescribe | null>;
  query(soql: string): Promise<{ totalSize: number; records: Record<string, unknown>[] }>;
}

export interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphqlErrorBody {
  message: string;
  locations?: Location[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface GraphqlResponseBody {
  data?: Record<string, unknown> | null;
  errors?: GraphqlErrorBody[];
}

/** A request the API refuses (validation) or could not run (the org's error), with where it happened. */
export class UiApiError extends Error {
  constructor(
    message: string,
    readonly location?: Location,
    readonly path?: (string | number)[],
    readonly extensions?: Record<string, unknown>
  ) {
    super(message);
    this.name = 'UiApiError';
  }
}

/** Raised by a UiApiOrg when the org refuses a query. */
export class OrgRequestError extends Error {
  constructor(
    message: string,
    readonly errorCode: string,
    readonly status: number
  ) {
    super(message);
    this.name = 'OrgRequestError';
  }
}

const MAX_FIRST = 2000;
/** Records reachable by record-connection pagination (no upperBound). */
const RECORD_CONNECTION_LIMIT = 4000;
const DEFAULT_FIRST = 10;

const VALUE_TYPES: Record<string, string> = {
  string: 'StringValue',
  picklist: 'PicklistValue',
  multipicklist: 'MultiPicklistValue',
  datetime: 'DateTimeValue',
  date: 'DateValue',
  time: 'TimeValue',
  double: 'DoubleValue',
  int: 'IntValue',
  long: 'LongValue',
  currency: 'CurrencyValue',
  percent: 'PercentValue',
  boolean: 'BooleanValue',
  reference: 'IDValue',
  id: 'IDValue',
  textarea: 'TextAreaValue',
  email: 'EmailValue',
  phone: 'PhoneValue',
  url: 'UrlValue'
};

const NUMBER_TYPES = new Set(['double', 'int', 'long', 'currency', 'percent']);
const TEXT_TYPES = new Set([
  'string',
  'picklist',
  'multipicklist',
  'textarea',
  'email',
  'phone',
  'url',
  'combobox'
]);

// ---------------------------------------------------------------- documents and values

interface Context {
  org: UiApiOrg;
  variables: Record<string, unknown>;
  fragments: Map<string, FragmentDefinitionNode>;
  describes: Map<string, Promise<ObjectDescribe | null>>;
}

function describe(ctx: Context, objectApiName: string): Promise<ObjectDescribe | null> {
  let pending = ctx.describes.get(objectApiName.toLowerCase());
  if (!pending) {
    pending = ctx.org.describe(objectApiName);
    ctx.describes.set(objectApiName.toLowerCase(), pending);
  }
  return pending;
}

function valueOf(node: ValueNode, ctx: Context): unknown {
  switch (node.kind) {
    case 'Variable':
      if (!(node.name in ctx.variables))
        throw new UiApiError(`Variable '$${node.name}' is not defined by the operation.`, node.loc);
      return ctx.variables[node.name];
    case 'Int':
    case 'Float':
      return Number(node.value);
    case 'String':
    case 'Enum':
      return node.value;
    case 'Boolean':
      return node.value;
    case 'Null':
      return null;
    case 'List':
      return node.values.map((v) => valueOf(v, ctx));
    case 'Object':
      return Object.fromEntries(node.fields.map((f) => [f.name, valueOf(f.value, ctx)]));
  }
}

function typeText(type: TypeNode): string {
  if (type.kind === 'Named') return type.name;
  if (type.kind === 'List') return `[${typeText(type.type)}]`;
  return `${typeText(type.type)}!`;
}

function coerceVariables(
  operation: OperationDefinitionNode,
  given: Record<string, unknown>,
  ctx: Context
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions) {
    let value = given[definition.name];
    if (value === undefined && definition.defaultValue) value = valueOf(definition.defaultValue, ctx);
    if (value === undefined) value = null;
    if (value === null && definition.type.kind === 'NonNull')
      throw new UiApiError(
        `Variable '$${definition.name}' of required type '${typeText(definition.type)}' was not provided.`,
        definition.loc
      );
    const named = definition.type.kind === 'NonNull' ? definition.type.type : definition.type;
    if (value !== null && named.kind === 'Named') {
      if (named.name === 'Int' && !Number.isInteger(value))
        throw new UiApiError(
          `Variable '$${definition.name}' got invalid value ${JSON.stringify(value)}; Int cannot represent it.`,
          definition.loc
        );
      if ((named.name === 'String' || named.name === 'ID') && typeof value !== 'string')
        throw new UiApiError(
          `Variable '$${definition.name}' got invalid value ${JSON.stringify(value)}; expected type '${named.name}'.`,
          definition.loc
        );
    }
    values[definition.name] = value;
  }
  return values;
}

function included(
  node: { directives: { name: string; arguments: { name: string; value: ValueNode }[]; loc: Location }[] },
  ctx: Context
): boolean {
  for (const directive of node.directives) {
    if (directive.name !== 'skip' && directive.name !== 'include')
      throw new UiApiError(`Unknown directive '@${directive.name}'.`, directive.loc);
    const condition = directive.arguments.find((a) => a.name === 'if');
    const value = condition ? valueOf(condition.value, ctx) : null;
    if (typeof value !== 'boolean')
      throw new UiApiError(`@${directive.name} needs a Boolean argument 'if'.`, directive.loc);
    if (directive.name === 'skip' && value) return false;
    if (directive.name === 'include' && !value) return false;
  }
  return true;
}

/** The fields of a selection set by response key, fragments expanded, @skip/@include applied (spec § 6.3.2). */
function collectFields(
  selections: readonly SelectionNode[],
  typeName: string,
  ctx: Context,
  out = new Map<string, FieldNode[]>(),
  seen = new Set<string>()
): Map<string, FieldNode[]> {
  for (const selection of selections) {
    if (!included(selection, ctx)) continue;
    if (selection.kind === 'Field') {
      const key = selection.alias ?? selection.name;
      const list = out.get(key);
      if (list) list.push(selection);
      else out.set(key, [selection]);
    } else if (selection.kind === 'InlineFragment') {
      if (selection.typeCondition === null || selection.typeCondition === typeName)
        collectFields(selection.selectionSet, typeName, ctx, out, seen);
    } else {
      if (seen.has(selection.name)) continue;
      const fragment = ctx.fragments.get(selection.name);
      if (!fragment) throw new UiApiError(`Unknown fragment '${selection.name}'.`, selection.loc);
      seen.add(selection.name);
      if (fragment.typeCondition === typeName) collectFields(fragment.selectionSet, typeName, ctx, out, seen);
    }
  }
  return out;
}

function subselections(fields: readonly FieldNode[]): SelectionNode[] {
  return fields.flatMap((f) => f.selectionSet ?? []);
}

function undefinedField(name: string, typeName: string, loc: Location): UiApiError {
  return new UiApiError(
    `Validation error of type FieldUndefined: Field '${name}' in type '${typeName}' is undefined`,
    loc
  );
}

function needsSelection(field: FieldNode, typeName: string): void {
  if (!field.selectionSet)
    throw new UiApiError(
      `Field '${field.name}' of type '${typeName}' must have a selection of subfields.`,
      field.loc
    );
}

function noArguments(field: FieldNode): void {
  const first = field.arguments[0];
  if (first) throw new UiApiError(`Unknown argument '${first.name}' on field '${field.name}'.`, first.loc);
}

// ---------------------------------------------------------------- record plans

type ValuePart = { key: string; part: 'value' | 'displayValue' | '__typename' };

type PlanEntry =
  | { key: string; kind: 'typename'; typeName: string }
  | { key: string; kind: 'id' }
  | { key: string; kind: 'apiName' }
  | { key: string; kind: 'field'; field: FieldDescribe; parts: ValuePart[] }
  | { key: string; kind: 'parent'; field: FieldDescribe; plan: RecordPlan };

interface RecordPlan {
  object: ObjectDescribe;
  entries: PlanEntry[];
}

function fieldByName(object: ObjectDescribe, name: string): FieldDescribe | undefined {
  const lower = name.toLowerCase();
  return object.fields.find((f) => f.name.toLowerCase() === lower);
}

function relationshipByName(object: ObjectDescribe, name: string): FieldDescribe | undefined {
  const lower = name.toLowerCase();
  return object.fields.find((f) => f.relationshipName?.toLowerCase() === lower);
}

async function parentObject(ctx: Context, field: FieldDescribe, loc: Location): Promise<ObjectDescribe> {
  if (field.referenceTo.length !== 1)
    throw new UiApiError(
      `${field.relationshipName} is polymorphic (${field.referenceTo.join(', ')}): the preview's GraphQL adapter reads single-object relationships only.`,
      loc
    );
  const parent = await describe(ctx, field.referenceTo[0] as string);
  if (!parent)
    throw new UiApiError(
      `The org has no ${field.referenceTo[0]} object (the target of ${field.relationshipName}).`,
      loc
    );
  return parent;
}

async function recordPlan(
  object: ObjectDescribe,
  selections: readonly SelectionNode[],
  ctx: Context
): Promise<RecordPlan> {
  const entries: PlanEntry[] = [];
  for (const [key, fields] of collectFields(selections, object.name, ctx)) {
    const field = fields[0] as FieldNode;
    noArguments(field);
    if (field.name === '__typename') {
      entries.push({ key, kind: 'typename', typeName: object.name });
    } else if (field.name === 'Id') {
      entries.push({ key, kind: 'id' });
    } else if (field.name === 'ApiName') {
      entries.push({ key, kind: 'apiName' });
    } else {
      const scalar = fieldByName(object, field.name);
      const relationship = scalar ? undefined : relationshipByName(object, field.name);
      if (scalar) {
        const typeName = VALUE_TYPES[scalar.type] ?? 'StringValue';
        needsSelection(field, typeName);
        const parts: ValuePart[] = [];
        for (const [partKey, partFields] of collectFields(subselections(fields), typeName, ctx)) {
          const part = (partFields[0] as FieldNode).name;
          if (part !== 'value' && part !== 'displayValue' && part !== '__typename')
            throw undefinedField(part, typeName, (partFields[0] as FieldNode).loc);
          parts.push({ key: partKey, part });
        }
        entries.push({ key, kind: 'field', field: scalar, parts });
      } else if (relationship) {
        needsSelection(field, relationship.referenceTo[0] ?? 'Record');
        const parent = await parentObject(ctx, relationship, field.loc);
        entries.push({
          key,
          kind: 'parent',
          field: relationship,
          plan: await recordPlan(parent, subselections(fields), ctx)
        });
      } else {
        throw undefinedField(field.name, object.name, field.loc);
      }
    }
  }
  return { object, entries };
}

/** SOQL field paths of a plan (the Id of each record always, to tell an empty lookup from a record). */
function soqlFields(plan: RecordPlan, prefix = ''): string[] {
  const out = [`${prefix}Id`];
  for (const entry of plan.entries) {
    if (entry.kind === 'field') out.push(`${prefix}${entry.field.name}`);
    else if (entry.kind === 'parent')
      out.push(...soqlFields(entry.plan, `${prefix}${entry.field.relationshipName}.`));
  }
  return [...new Set(out)];
}

function uiValue(field: FieldDescribe, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (field.type === 'datetime' && typeof raw === 'string') {
    // REST writes 2026-01-20T15:00:00.000+0000; the UI API writes ISO 8601 in UTC with Z.
    const time = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(time) ? raw : new Date(time).toISOString();
  }
  return raw;
}

function displayValueOf(field: FieldDescribe, value: unknown): string | null {
  if (value === null) return null;
  if (field.type === 'picklist')
    return field.picklistValues?.find((p) => p.value === value)?.label ?? String(value);
  return null;
}

function shapeRecord(plan: RecordPlan, record: Record<string, unknown>): Record<string, unknown> {
  const node: Record<string, unknown> = {};
  for (const entry of plan.entries) {
    switch (entry.kind) {
      case 'typename':
        node[entry.key] = entry.typeName;
        break;
      case 'id':
        node[entry.key] = record.Id ?? null;
        break;
      case 'apiName':
        node[entry.key] = plan.object.name;
        break;
      case 'field': {
        const value = uiValue(entry.field, record[entry.field.name]);
        const shaped: Record<string, unknown> = {};
        for (const part of entry.parts) {
          if (part.part === 'value') shaped[part.key] = value;
          else if (part.part === 'displayValue') shaped[part.key] = displayValueOf(entry.field, value);
          else shaped[part.key] = VALUE_TYPES[entry.field.type] ?? 'StringValue';
        }
        node[entry.key] = shaped;
        break;
      }
      case 'parent': {
        const parent = record[entry.field.relationshipName as string];
        node[entry.key] =
          parent && typeof parent === 'object'
            ? shapeRecord(entry.plan, parent as Record<string, unknown>)
            : null;
        break;
      }
    }
  }
  return node;
}

// ---------------------------------------------------------------- filters and ordering

/** A SOQL string literal: quotes and backslashes escaped, as the SOQL reference requires. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const DATE_LITERAL = /^[A-Z][A-Z0-9_]*$/;

function literalFor(field: FieldDescribe, value: unknown, where: string): string {
  if (value === null) return 'null';
  if (field.type === 'date' || field.type === 'datetime') {
    if (typeof value !== 'object' || Array.isArray(value))
      throw new UiApiError(
        `${where}: a ${field.type === 'date' ? 'Date' : 'DateTime'} filter takes { value: … }, { literal: … } or { range: … }, got ${JSON.stringify(value)}.`
      );
    const input = value as { value?: unknown; literal?: unknown; range?: unknown };
    if (typeof input.literal === 'string') {
      if (!DATE_LITERAL.test(input.literal))
        throw new UiApiError(`${where}: ${input.literal} is not a date literal.`);
      return input.literal;
    }
    if (input.range && typeof input.range === 'object') {
      const [[name, n]] = Object.entries(input.range as Record<string, unknown>) as [[string, unknown]];
      if (!/^(last|next)_n_[a-z_]+$/.test(name) || !Number.isInteger(n))
        throw new UiApiError(
          `${where}: range ${JSON.stringify(input.range)} is not a relative date range such as { last_n_days: 90 }.`
        );
      return `${name.toUpperCase()}:${String(n)}`;
    }
    if (typeof input.value === 'string') {
      if (field.type === 'date') {
        if (!ISO_DATE.test(input.value))
          throw new UiApiError(`${where}: ${input.value} is not a date (YYYY-MM-DD).`);
        return input.value;
      }
      if (!ISO_DATE_TIME.test(input.value) || Number.isNaN(Date.parse(input.value)))
        throw new UiApiError(`${where}: ${input.value} is not an ISO 8601 date-time with a time zone.`);
      return new Date(input.value).toISOString();
    }
    if (input.value === null) return 'null';
    throw new UiApiError(`${where}: expected { value: "…" }, got ${JSON.stringify(value)}.`);
  }
  if (field.type === 'boolean') {
    if (typeof value !== 'boolean')
      throw new UiApiError(`${where}: expected true or false, got ${JSON.stringify(value)}.`);
    return String(value);
  }
  if (NUMBER_TYPES.has(field.type)) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new UiApiError(`${where}: expected a number, got ${JSON.stringify(value)}.`);
    return String(value);
  }
  if (field.type === 'id' || field.type === 'reference') {
    if (typeof value !== 'string' || !/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value))
      throw new UiApiError(`${where}: ${JSON.stringify(value)} is not a record Id.`);
    return soqlString(value);
  }
  if (typeof value !== 'string')
    throw new UiApiError(`${where}: expected a string, got ${JSON.stringify(value)}.`);
  return soqlString(value);
}

const OPERATORS: Record<string, string> = {
  eq: '=',
  ne: '!=',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  like: 'LIKE',
  in: 'IN',
  nin: 'NOT IN',
  includes: 'INCLUDES',
  excludes: 'EXCLUDES'
};

function fieldCondition(path: string, field: FieldDescribe, operators: unknown, typeName: string): string {
  if (typeof operators !== 'object' || operators === null || Array.isArray(operators))
    throw new UiApiError(
      `${typeName}.${field.name}: expected an object of operators such as { eq: … }, got ${JSON.stringify(operators)}.`
    );
  if (!field.filterable)
    throw new UiApiError(
      `${field.name} cannot be filtered: the org does not allow filtering on fields of type ${field.type}.`
    );
  const conditions: string[] = [];
  for (const [op, value] of Object.entries(operators as Record<string, unknown>)) {
    const soqlOp = OPERATORS[op];
    const where = `${typeName}.${field.name}.${op}`;
    if (!soqlOp)
      throw new UiApiError(`${where}: unknown operator (use ${Object.keys(OPERATORS).join(', ')}).`);
    if (op === 'like' && !TEXT_TYPES.has(field.type) && field.type !== 'id' && field.type !== 'reference')
      throw new UiApiError(`${where}: like applies to text fields only.`);
    if (op === 'in' || op === 'nin' || op === 'includes' || op === 'excludes') {
      if (!Array.isArray(value))
        throw new UiApiError(`${where}: expected a list, got ${JSON.stringify(value)}.`);
      // An empty list matches nothing (in) or everything (nin); SOQL has no empty IN ().
      if (value.length === 0) {
        if (op === 'in' || op === 'includes') conditions.push('Id = null');
        continue;
      }
      conditions.push(`${path} ${soqlOp} (${value.map((v) => literalFor(field, v, where)).join(', ')})`);
      continue;
    }
    if (value === null && op !== 'eq' && op !== 'ne')
      throw new UiApiError(`${where}: only eq and ne compare with null.`);
    conditions.push(`${path} ${soqlOp} ${literalFor(field, value, where)}`);
  }
  if (conditions.length === 0) return '';
  return conditions.length === 1 ? (conditions[0] as string) : `(${conditions.join(' AND ')})`;
}

async function filterSoql(
  filter: unknown,
  object: ObjectDescribe,
  ctx: Context,
  prefix = ''
): Promise<string> {
  const typeName = `${object.name}_Filter`;
  if (filter === null || filter === undefined) return '';
  if (typeof filter !== 'object' || Array.isArray(filter))
    throw new UiApiError(`${typeName}: expected an object, got ${JSON.stringify(filter)}.`);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw new UiApiError(`${typeName}.${key}: expected a list of filters.`);
      const inner = (await Promise.all(value.map((v) => filterSoql(v, object, ctx, prefix)))).filter(
        (s) => s !== ''
      );
      if (inner.length > 0)
        parts.push(
          inner.length === 1 ? (inner[0] as string) : `(${inner.join(key === 'and' ? ' AND ' : ' OR ')})`
        );
    } else if (key === 'not') {
      const inner = await filterSoql(value, object, ctx, prefix);
      if (inner) parts.push(`(NOT ${inner.startsWith('(') ? inner : `(${inner})`})`);
    } else {
      const field = fieldByName(object, key);
      if (field) {
        const condition = fieldCondition(`${prefix}${field.name}`, field, value, typeName);
        if (condition) parts.push(condition);
        continue;
      }
      const relationship = relationshipByName(object, key);
      if (!relationship)
        throw new UiApiError(
          `Validation error of type FieldUndefined: Field '${key}' in type '${typeName}' is undefined`
        );
      const parent = await parentObject(ctx, relationship, { line: 0, column: 0 });
      const inner = await filterSoql(value, parent, ctx, `${prefix}${relationship.relationshipName}.`);
      if (inner) parts.push(inner);
    }
  }
  if (parts.length === 0) return '';
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`;
}

async function orderSoql(
  orderBy: unknown,
  object: ObjectDescribe,
  ctx: Context,
  prefix = ''
): Promise<string[]> {
  if (orderBy === null || orderBy === undefined) return [];
  const typeName = `${object.name}_OrderBy`;
  if (typeof orderBy !== 'object' || Array.isArray(orderBy))
    throw new UiApiError(`${typeName}: expected an object, got ${JSON.stringify(orderBy)}.`);
  const out: string[] = [];
  for (const [key, value] of Object.entries(orderBy as Record<string, unknown>)) {
    const field = fieldByName(object, key);
    if (field) {
      if (!field.sortable)
        throw new UiApiError(
          `${field.name} cannot be sorted: the org does not allow sorting on fields of type ${field.type}.`
        );
      const { order, nulls } = (value ?? {}) as { order?: unknown; nulls?: unknown };
      if (order !== undefined && order !== 'ASC' && order !== 'DESC')
        throw new UiApiError(`${typeName}.${key}.order: expected ASC or DESC, got ${JSON.stringify(order)}.`);
      if (nulls !== undefined && nulls !== 'FIRST' && nulls !== 'LAST')
        throw new UiApiError(
          `${typeName}.${key}.nulls: expected FIRST or LAST, got ${JSON.stringify(nulls)}.`
        );
      out.push(`${prefix}${field.name} ${order ?? 'ASC'}${nulls ? ` NULLS ${nulls}` : ''}`);
      continue;
    }
    const relationship = relationshipByName(object, key);
    if (!relationship)
      throw new UiApiError(
        `Validation error of type FieldUndefined: Field '${key}' in type '${typeName}' is undefined`
      );
    const parent = await parentObject(ctx, relationship, { line: 0, column: 0 });
    out.push(...(await orderSoql(value, parent, ctx, `${prefix}${relationship.relationshipName}.`)));
  }
  return out;
}

// ---------------------------------------------------------------- cursors

export function encodeCursor(offset: number): string {
  return Buffer.from(`v1:${offset}`, 'utf8').toString('base64');
}

export function decodeCursor(cursor: string): number | null {
  const match = /^v1:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : null;
}

// ---------------------------------------------------------------- connections

const CONNECTION_ARGUMENTS = new Set(['first', 'after', 'where', 'orderBy', 'upperBound']);

async function resolveConnection(
  field: FieldNode[],
  object: ObjectDescribe,
  ctx: Context,
  path: string[]
): Promise<Record<string, unknown>> {
  const node = field[0] as FieldNode;
  const args: Record<string, unknown> = {};
  for (const argument of node.arguments) {
    if (argument.name === 'scope')
      throw new UiApiError(
        `${node.name}(scope: …) is not supported by the preview's GraphQL adapter: filter on OwnerId instead.`,
        argument.loc
      );
    if (!CONNECTION_ARGUMENTS.has(argument.name))
      throw new UiApiError(
        `Unknown argument '${argument.name}' on field 'RecordQuery.${node.name}'.`,
        argument.loc
      );
    args[argument.name] = valueOf(argument.value, ctx);
  }
  const first = args.first ?? DEFAULT_FIRST;
  if (!Number.isInteger(first) || (first as number) < 1 || (first as number) > MAX_FIRST)
    throw new UiApiError(
      `${node.name}(first: ${JSON.stringify(args.first)}): first must be a whole number from 1 to ${MAX_FIRST}.`,
      node.loc,
      path
    );
  let offset = 0;
  if (args.after !== undefined && args.after !== null) {
    const decoded = typeof args.after === 'string' ? decodeCursor(args.after) : null;
    if (decoded === null)
      throw new UiApiError(
        `${node.name}(after: ${JSON.stringify(args.after)}) is not a cursor this API returned.`,
        node.loc,
        path
      );
    offset = decoded;
  }
  // The platform's paging limits (GraphQL API Developer Guide, "Paginate Results"): with record
  // connections a query reaches 4,000 records at most; with upperBound (v59.0+), pages hold 200 to 2,000
  // records and reach upperBound. A component that pages past them fails here as it would in an org.
  if (args.upperBound !== undefined && args.upperBound !== null) {
    const upperBound = args.upperBound as number;
    if (!Number.isInteger(upperBound) || upperBound < 1 || (first as number) < 200)
      throw new UiApiError(
        `${node.name}(first: ${String(first)}, upperBound: ${JSON.stringify(args.upperBound)}): with upperBound, first must be 200 to ${MAX_FIRST} and upperBound a positive whole number.`,
        node.loc,
        path
      );
    if (offset >= upperBound)
      throw new UiApiError(
        `${node.name}: paged past upperBound (${upperBound} records); raise upperBound.`,
        node.loc,
        path
      );
  } else if (offset + (first as number) > RECORD_CONNECTION_LIMIT) {
    throw new UiApiError(
      `${node.name}: record-connection pagination reaches ${RECORD_CONNECTION_LIMIT} records at most (asked for records ${offset + 1} to ${offset + (first as number)}); page with upperBound to read more.`,
      node.loc,
      path
    );
  }

  const connectionType = `${object.name}Connection`;
  needsSelection(node, connectionType);
  const connectionFields = collectFields(subselections(field), connectionType, ctx);
  const nodeSelections: SelectionNode[] = [];
  const edgeKeys: { key: string; parts: [string, string][] }[] = [];
  for (const [key, fields] of connectionFields) {
    const name = (fields[0] as FieldNode).name;
    if (name === 'edges') {
      needsSelection(fields[0] as FieldNode, `${object.name}Edge`);
      const parts: [string, string][] = [];
      for (const [edgeKey, edgeFields] of collectFields(subselections(fields), `${object.name}Edge`, ctx)) {
        const edgeName = (edgeFields[0] as FieldNode).name;
        if (edgeName === 'node') nodeSelections.push(...subselections(edgeFields));
        else if (edgeName !== 'cursor' && edgeName !== '__typename')
          throw undefinedField(edgeName, `${object.name}Edge`, (edgeFields[0] as FieldNode).loc);
        parts.push([edgeKey, edgeName]);
      }
      edgeKeys.push({ key, parts });
    } else if (!['pageInfo', 'totalCount', 'pageResultCount', '__typename'].includes(name)) {
      throw undefinedField(name, connectionType, (fields[0] as FieldNode).loc);
    }
  }
  const plan = await recordPlan(object, nodeSelections, ctx);
  const where = await filterSoql(args.where, object, ctx);
  const order = await orderSoql(args.orderBy, object, ctx);
  // Id last: pages of the same query never skip or repeat a record that ties on the sort fields.
  if (!order.some((o) => /^Id /.test(o))) order.push('Id ASC');
  const whereClause = where ? ` WHERE ${where}` : '';
  const soql = `SELECT ${soqlFields(plan).join(', ')} FROM ${object.name}${whereClause} ORDER BY ${order.join(', ')} LIMIT ${offset + (first as number) + 1}`;
  const wantsTotal = [...connectionFields.values()].some((f) => (f[0] as FieldNode).name === 'totalCount');
  const [result, total] = await Promise.all([
    ctx.org.query(soql),
    wantsTotal ? ctx.org.query(`SELECT COUNT() FROM ${object.name}${whereClause}`) : Promise.resolve(null)
  ]);
  const rows = result.records.slice(offset, offset + (first as number));
  const hasNextPage = result.records.length > offset + (first as number);
  const nodes = rows.map((record) => shapeRecord(plan, record));

  const out: Record<string, unknown> = {};
  for (const [key, fields] of connectionFields) {
    const name = (fields[0] as FieldNode).name;
    if (name === '__typename') out[key] = connectionType;
    else if (name === 'totalCount') out[key] = total?.totalSize ?? null;
    else if (name === 'pageResultCount') out[key] = nodes.length;
    else if (name === 'pageInfo') {
      const info: Record<string, unknown> = {};
      for (const [infoKey, infoFields] of collectFields(subselections(fields), 'PageInfo', ctx)) {
        const infoName = (infoFields[0] as FieldNode).name;
        if (infoName === 'hasNextPage') info[infoKey] = hasNextPage;
        else if (infoName === 'hasPreviousPage') info[infoKey] = offset > 0;
        else if (infoName === 'startCursor') info[infoKey] = nodes.length > 0 ? encodeCursor(offset) : null;
        else if (infoName === 'endCursor')
          info[infoKey] = nodes.length > 0 ? encodeCursor(offset + nodes.length) : null;
        else if (infoName === '__typename') info[infoKey] = 'PageInfo';
        else throw undefinedField(infoName, 'PageInfo', (infoFields[0] as FieldNode).loc);
      }
      out[key] = info;
    } else if (name === 'edges') {
      const parts = edgeKeys.find((e) => e.key === key)?.parts ?? [];
      out[key] = nodes.map((shaped, i) => {
        const edge: Record<string, unknown> = {};
        for (const [edgeKey, edgeName] of parts) {
          if (edgeName === 'node') edge[edgeKey] = shaped;
          else if (edgeName === 'cursor') edge[edgeKey] = encodeCursor(offset + i + 1);
          else edge[edgeKey] = `${object.name}Edge`;
        }
        return edge;
      });
    }
  }
  return out;
}

async function resolveRecordQuery(fields: FieldNode[], ctx: Context): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const pending: Promise<void>[] = [];
  for (const [key, objectFields] of collectFields(subselections(fields), 'RecordQuery', ctx)) {
    const node = objectFields[0] as FieldNode;
    if (node.name === '__typename') {
      out[key] = 'RecordQuery';
      continue;
    }
    pending.push(
      (async () => {
        const object = await describe(ctx, node.name);
        if (!object) throw undefinedField(node.name, 'RecordQuery', node.loc);
        out[key] = await resolveConnection(objectFields, object, ctx, ['uiapi', 'query', key]);
      })()
    );
  }
  await Promise.all(pending);
  return out;
}

async function execute(
  document: DocumentNode,
  request: GraphqlRequestBody,
  org: UiApiOrg
): Promise<Record<string, unknown>> {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition'
  );
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition')
      .map((f) => [f.name, f])
  );
  const operationName =
    typeof request.operationName === 'string' && request.operationName !== '' ? request.operationName : null;
  const operation = operationName
    ? operations.find((o) => o.name === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation)
    throw new UiApiError(
      operationName
        ? `Unknown operation named '${operationName}'.`
        : 'Must provide operation name if query contains multiple operations.'
    );
  if (operation.operation !== 'query')
    throw new UiApiError(
      `The preview's GraphQL adapter answers queries only, not ${operation.operation}s (save records with lightning/uiRecordApi).`,
      operation.loc
    );
  const ctx: Context = { org, variables: {}, fragments, describes: new Map() };
  const given =
    request.variables && typeof request.variables === 'object'
      ? (request.variables as Record<string, unknown>)
      : {};
  ctx.variables = coerceVariables(operation, given, ctx);
  const data: Record<string, unknown> = {};
  for (const [key, fields] of collectFields(operation.selectionSet, 'Query', ctx)) {
    const node = fields[0] as FieldNode;
    if (node.name === '__typename') {
      data[key] = 'Query';
      continue;
    }
    if (node.name !== 'uiapi') throw undefinedField(node.name, 'Query', node.loc);
    needsSelection(node, 'UIAPI');
    const uiapi: Record<string, unknown> = {};
    for (const [uiKey, uiFields] of collectFields(subselections(fields), 'UIAPI', ctx)) {
      const uiNode = uiFields[0] as FieldNode;
      if (uiNode.name === '__typename') uiapi[uiKey] = 'UIAPI';
      else if (uiNode.name === 'query') {
        needsSelection(uiNode, 'RecordQuery');
        uiapi[uiKey] = await resolveRecordQuery(uiFields, ctx);
      } else
        throw new UiApiError(
          `uiapi.${uiNode.name} is not supported by the preview's GraphQL adapter (scripts/demo/graphql): it answers uiapi.query only.`,
          uiNode.loc
        );
    }
    data[key] = uiapi;
  }
  return data;
}

function errorBody(error: unknown): GraphqlErrorBody {
  if (error instanceof GraphqlSyntaxError) return { message: error.message, locations: [error.location] };
  if (error instanceof UiApiError) {
    const body: GraphqlErrorBody = { message: error.message };
    if (error.location && error.location.line > 0) body.locations = [error.location];
    if (error.path) body.path = error.path;
    if (error.extensions) body.extensions = error.extensions;
    return body;
  }
  if (error instanceof OrgRequestError)
    return { message: error.message, extensions: { errorCode: error.errorCode } };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** Answers one GraphQL request (the body of POST /graphql) from the org. Never throws: errors are in `errors`. */
export async function executeGraphql(
  request: GraphqlRequestBody,
  org: UiApiOrg
): Promise<GraphqlResponseBody> {
  if (typeof request.query !== 'string' || request.query.trim() === '')
    return { errors: [{ message: 'Must provide a query string.' }] };
  let document: DocumentNode;
  try {
    document = parseGraphql(request.query);
  } catch (error) {
    return { errors: [errorBody(error)] };
  }
  try {
    return { data: await execute(document, request, org) };
  } catch (error) {
    return { data: null, errors: [errorBody(error)] };
  }
}
