// SOQL → SQLite. Queries are parsed with @jetstreamapp/soql-parser-js and compiled into one SQL
// statement over the object tables: parent relationships (any depth, polymorphic Id/Type/Name)
// become LEFT JOINs, formula fields become expressions, and SOQL's semantics are kept where they
// differ from SQL (case-insensitive text comparison, `!=` and `NOT IN` matching nulls, date
// literals in the user's time zone, AND/OR never mixed without parentheses). Anything outside the
// supported subset is answered with MALFORMED_QUERY, never approximated.

import {
  parseQuery,
  type Condition,
  type FieldType as ParsedField,
  type FunctionExp,
  type HavingClause,
  type OrderByClause,
  type Query,
  type ValueQueryCondition,
  type WhereClause
} from '@jetstreamapp/soql-parser-js';
import { invalidField, invalidType, malformedQuery, SalesforceApiError } from './errors';
import { bindFormulaSql } from './formula';
import { normalizeId } from './ids';
import type { FieldDef, FieldType, SObjectDef } from './schema';
import { dateLiteralRange, localMidnightStored, parseDateTimeInput, toStoredDateTime, todayIn } from './time';
import type { Stored } from './values';

export interface QueryEnv {
  objects: Map<string, SObjectDef>;
  includeDeleted: boolean;
  /** The running user's time zone (date literals and convertTimezone()). */
  timeZone: string;
  fiscalYearStartMonth: number;
  usesStartDateAsFiscalYearName: boolean;
  nowMs: number;
  /** Bulk API 2.0 query: no aggregates, no OFFSET. */
  bulk: boolean;
}

/** A column of a record query's output. */
export interface OutColumn {
  /** Canonical relationship names leading to the field (`['Response']`). */
  relPath: string[];
  name: string;
  type: FieldType;
  index: number;
}

/** A relationship object in the output: null when its Id column is null. */
export interface OutRelationship {
  path: string[];
  idIndex: number;
  /** The parent's object name, or the index of a column holding it (polymorphic). */
  objectName: string | null;
  typeIndex: number | null;
}

interface Base {
  object: SObjectDef;
  /** `FROM "sobj_X" t0 LEFT JOIN …` without WHERE. */
  joins: string;
  /** Just the `LEFT JOIN …` clauses (to re-join a page of row ids). */
  leftJoins: string;
  where: string;
  params: Stored[];
  limit: number | null;
  offset: number | null;
}

export interface RecordsQuery extends Base {
  kind: 'records';
  /** SELECT expressions; index 0 is the root Id. */
  select: string[];
  orderBy: string;
  columns: OutColumn[];
  relationships: OutRelationship[];
}

export interface CountQuery extends Base {
  kind: 'count';
}

export interface AggregateOutput {
  key: string;
  type: FieldType;
  index: number;
}

export interface AggregateQuery extends Base {
  kind: 'aggregate';
  select: string[];
  groupBy: string;
  having: string;
  havingParams: Stored[];
  orderBy: string;
  outputs: AggregateOutput[];
}

export type CompiledQuery = RecordsQuery | CountQuery | AggregateQuery;

const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);
const DATE_FUNCTIONS = new Set([
  'CALENDAR_YEAR',
  'CALENDAR_QUARTER',
  'CALENDAR_MONTH',
  'DAY_IN_MONTH',
  'DAY_IN_WEEK',
  'DAY_IN_YEAR',
  'DAY_ONLY',
  'HOUR_IN_DAY',
  'WEEK_IN_MONTH',
  'WEEK_IN_YEAR',
  'FISCAL_YEAR',
  'FISCAL_QUARTER',
  'FISCAL_MONTH'
]);
const STRINGISH = new Set<FieldType>([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'email',
  'phone',
  'url',
  'anyType'
]);
const NUMERIC = new Set<FieldType>(['double', 'int', 'currency', 'percent']);

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function noSuchColumn(name: string, object: string): SalesforceApiError {
  return invalidField(
    `No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
  );
}

/** Unescapes a quoted SOQL string literal (`'it\'s'` → `it's`). `keepLikeEscapes` keeps `\%` and `\_`. */
export function unquoteSoqlString(literal: string, keepLikeEscapes = false): string {
  if (!/^'.*'$/s.test(literal)) throw malformedQuery(`expected a quoted string, found ${literal}`);
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    switch (n) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        const hex = body.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw malformedQuery(`invalid unicode escape \\u${hex}`);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      case '%':
      case '_':
        out += keepLikeEscapes ? `\\${n}` : n;
        break;
      case '\\':
        out += keepLikeEscapes ? '\\\\' : '\\';
        break;
      case "'":
      case '"':
        out += n;
        break;
      default:
        throw malformedQuery(
          `Invalid string literal '${body}'. Illegal character sequence \\${n ?? ''} in string literal.`
        );
    }
  }
  return out;
}

interface Resolved {
  sql: string;
  type: FieldType;
  field: FieldDef | null;
  /** Canonical names: relationships then the field. */
  canonical: string[];
  rels: { name: string; key: string }[];
}

interface JoinInfo {
  alias: string;
  object: SObjectDef | null;
  idSql: string;
  typeSql: string | null;
}

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { cond: Condition | ValueQueryCondition };

class Compiler {
  private readonly env: QueryEnv;
  private readonly root: SObjectDef;
  private readonly aliasOfRoot: string | null;
  private readonly prefix: string;
  private readonly joinClauses: string[] = [];
  private readonly joinMap = new Map<string, JoinInfo>();
  private aliasCounter = 1;
  readonly params: Stored[] = [];

  constructor(env: QueryEnv, root: SObjectDef, aliasOfRoot: string | null, prefix: string) {
    this.env = env;
    this.root = root;
    this.aliasOfRoot = aliasOfRoot;
    this.prefix = prefix;
  }

  get rootAlias(): string {
    return `${this.prefix}t0`;
  }

  leftJoinsSql(): string {
    return this.joinClauses.join(' ');
  }

  fromSql(): string {
    return `FROM ${quote(this.root.table)} ${this.rootAlias}${this.joinClauses.length ? ` ${this.joinClauses.join(' ')}` : ''}`;
  }

  joinFor(key: string): JoinInfo | undefined {
    return this.joinMap.get(key);
  }

  private nextAlias(): string {
    return `${this.prefix}t${this.aliasCounter++}`;
  }

  /** Resolves `Response.CompletionDateTime`, `a.Name`, `Owner.Name`, `Subject.Type`… to SQL. */
  resolve(path: string): Resolved {
    let segments = path.split('.');
    if (segments.length > 1) {
      const first = (segments[0] as string).toLowerCase();
      const isRootName =
        first === this.root.name.toLowerCase() ||
        (this.aliasOfRoot !== null && first === this.aliasOfRoot.toLowerCase());
      if (isRootName && !this.root.relationshipIndex.has(first)) segments = segments.slice(1);
    }
    let object: SObjectDef = this.root;
    let alias = this.rootAlias;
    const rels: { name: string; key: string }[] = [];
    const canonical: string[] = [];
    for (let i = 0; i < segments.length - 1; i++) {
      const seg = segments[i] as string;
      const field = object.relationshipIndex.get(seg.toLowerCase());
      if (!field || field.column === null) {
        throw invalidField(
          `Didn't understand relationship '${seg}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
        );
      }
      const relName = field.relationshipName as string;
      const key = [...rels.map((r) => r.key), relName.toLowerCase()].join('.');
      rels.push({ name: relName, key });
      canonical.push(relName);
      const fkSql = `${alias}.${quote(field.column)}`;
      if (field.referenceTo.length > 1) {
        if (i !== segments.length - 2)
          throw malformedQuery(
            `Traversing through the polymorphic relationship '${relName}' is not supported by the local org`
          );
        return this.resolvePolymorphic(field, fkSql, key, segments[i + 1] as string, canonical, rels);
      }
      const parent = this.env.objects.get((field.referenceTo[0] as string).toLowerCase());
      if (!parent) throw invalidField(`Didn't understand relationship '${seg}' in field path.`);
      let join = this.joinMap.get(key);
      if (!join) {
        const joinAlias = this.nextAlias();
        this.joinClauses.push(
          `LEFT JOIN ${quote(parent.table)} ${joinAlias} ON ${joinAlias}."Id" = ${fkSql}`
        );
        join = { alias: joinAlias, object: parent, idSql: `${joinAlias}."Id"`, typeSql: null };
        this.joinMap.set(key, join);
      }
      object = parent;
      alias = join.alias;
    }
    const last = segments[segments.length - 1] as string;
    const field = object.fieldIndex.get(last.toLowerCase());
    if (!field) throw noSuchColumn(last, object.name);
    canonical.push(field.name);
    return { sql: this.fieldSql(object, field, alias), type: field.type, field, canonical, rels };
  }

  private resolvePolymorphic(
    field: FieldDef,
    fkSql: string,
    key: string,
    leaf: string,
    canonical: string[],
    rels: { name: string; key: string }[]
  ): Resolved {
    const targets = field.referenceTo
      .map((t) => this.env.objects.get(t.toLowerCase()))
      .filter((o): o is SObjectDef => o !== undefined);
    const typeSql = `(CASE substr(${fkSql}, 1, 3) ${targets.map((t) => `WHEN '${t.keyPrefix}' THEN '${t.name}'`).join(' ')} END)`;
    if (!this.joinMap.has(key)) this.joinMap.set(key, { alias: '', object: null, idSql: fkSql, typeSql });
    const lower = leaf.toLowerCase();
    if (lower === 'id')
      return { sql: fkSql, type: 'reference', field: null, canonical: [...canonical, 'Id'], rels };
    if (lower === 'type')
      return { sql: typeSql, type: 'string', field: null, canonical: [...canonical, 'Type'], rels };
    if (lower === 'name') {
      const parts: string[] = [];
      for (const target of targets) {
        if (!target.nameField) continue;
        const joinKey = `${key}#${target.name}`;
        let join = this.joinMap.get(joinKey);
        if (!join) {
          const a = this.nextAlias();
          this.joinClauses.push(`LEFT JOIN ${quote(target.table)} ${a} ON ${a}."Id" = ${fkSql}`);
          join = { alias: a, object: target, idSql: `${a}."Id"`, typeSql: null };
          this.joinMap.set(joinKey, join);
        }
        parts.push(`${join.alias}.${quote(target.nameField)}`);
      }
      return {
        sql: parts.length > 1 ? `COALESCE(${parts.join(', ')})` : (parts[0] ?? 'NULL'),
        type: 'string',
        field: null,
        canonical: [...canonical, 'Name'],
        rels
      };
    }
    throw noSuchColumn(leaf, 'Name');
  }

  private fieldSql(object: SObjectDef, field: FieldDef, alias: string): string {
    if (field.formula) {
      if (!field.formula.sql) {
        throw invalidField(
          `${object.name}.${field.name} is a formula the local org cannot compute (${field.formula.unsupportedReason ?? 'unsupported'})`
        );
      }
      return `(${bindFormulaSql(field.formula.sql, alias)})`;
    }
    return `${alias}.${quote(field.column as string)}`;
  }

  // --- functions -------------------------------------------------------------------------------

  /** SQL and result type of a date function (CALENDAR_MONTH(f), DAY_ONLY(convertTimezone(f))…). */
  dateFunction(
    name: string,
    params: (string | FunctionExp)[]
  ): { sql: string; type: FieldType; canonical: string } {
    const upper = name.toUpperCase();
    if (params.length !== 1) throw malformedQuery(`${upper}() takes one field`);
    const arg = params[0] as string | FunctionExp;
    let base: string;
    let argType: FieldType;
    let inner: string;
    if (typeof arg === 'string') {
      const r = this.resolve(arg);
      base = r.sql;
      argType = r.type;
      inner = r.canonical.join('.');
    } else if ((arg.functionName ?? '').toLowerCase() === 'converttimezone') {
      const p = arg.parameters?.[0];
      if (typeof p !== 'string') throw malformedQuery('convertTimezone() takes one field');
      const r = this.resolve(p);
      if (r.type !== 'datetime') throw malformedQuery('convertTimezone() applies to DateTime fields only');
      base = `lo_local(${r.sql}, '${this.env.timeZone.replace(/'/g, "''")}')`;
      argType = 'datetime';
      inner = `convertTimezone(${r.canonical.join('.')})`;
    } else {
      throw malformedQuery(`${arg.functionName ?? 'function'}() cannot be nested in ${upper}()`);
    }
    if (argType !== 'date' && argType !== 'datetime')
      throw malformedQuery(`${upper}() applies to Date and DateTime fields only`);
    const y = `CAST(substr(${base}, 1, 4) AS INTEGER)`;
    const m = `CAST(substr(${base}, 6, 2) AS INTEGER)`;
    const d = `CAST(substr(${base}, 9, 2) AS INTEGER)`;
    const s = this.env.fiscalYearStartMonth;
    const canonical = `${upper}(${inner})`;
    switch (upper) {
      case 'CALENDAR_YEAR':
        return { sql: y, type: 'int', canonical };
      case 'CALENDAR_MONTH':
        return { sql: m, type: 'int', canonical };
      case 'CALENDAR_QUARTER':
        return { sql: `((${m} - 1) / 3 + 1)`, type: 'int', canonical };
      case 'DAY_IN_MONTH':
        return { sql: d, type: 'int', canonical };
      case 'DAY_IN_WEEK':
        return {
          sql: `(CAST(strftime('%w', substr(${base}, 1, 10)) AS INTEGER) + 1)`,
          type: 'int',
          canonical
        };
      case 'DAY_IN_YEAR':
        return { sql: `CAST(strftime('%j', substr(${base}, 1, 10)) AS INTEGER)`, type: 'int', canonical };
      case 'DAY_ONLY':
        if (argType !== 'datetime') throw malformedQuery('DAY_ONLY() applies to DateTime fields only');
        return { sql: `substr(${base}, 1, 10)`, type: 'date', canonical };
      case 'HOUR_IN_DAY':
        if (argType !== 'datetime') throw malformedQuery('HOUR_IN_DAY() applies to DateTime fields only');
        return { sql: `CAST(substr(${base}, 12, 2) AS INTEGER)`, type: 'int', canonical };
      case 'WEEK_IN_MONTH':
        return { sql: `((${d} - 1) / 7 + 1)`, type: 'int', canonical };
      case 'WEEK_IN_YEAR':
        return {
          sql: `((CAST(strftime('%j', substr(${base}, 1, 10)) AS INTEGER) - 1) / 7 + 1)`,
          type: 'int',
          canonical
        };
      case 'FISCAL_MONTH':
        return { sql: `(((${m} - ${s} + 12) % 12) + 1)`, type: 'int', canonical };
      case 'FISCAL_QUARTER':
        return { sql: `((((${m} - ${s} + 12) % 12)) / 3 + 1)`, type: 'int', canonical };
      case 'FISCAL_YEAR': {
        if (s === 1) return { sql: y, type: 'int', canonical };
        const start = this.env.usesStartDateAsFiscalYearName;
        return {
          sql: `(CASE WHEN ${m} >= ${s} THEN ${y}${start ? '' : ' + 1'} ELSE ${y}${start ? ' - 1' : ''} END)`,
          type: 'int',
          canonical
        };
      }
      default:
        throw malformedQuery(`${upper}() is not supported by the local org`);
    }
  }

  aggregate(name: string, params: (string | FunctionExp)[]): { sql: string; type: FieldType } {
    const upper = name.toUpperCase();
    if (upper === 'COUNT' && params.length === 0) return { sql: 'COUNT(*)', type: 'int' };
    if (params.length !== 1) throw malformedQuery(`${upper}() takes one field`);
    const arg = params[0] as string | FunctionExp;
    let inner: { sql: string; type: FieldType; field: FieldDef | null };
    if (typeof arg === 'string') {
      inner = this.resolve(arg);
    } else if (arg.functionName && DATE_FUNCTIONS.has(arg.functionName.toUpperCase())) {
      const f = this.dateFunction(arg.functionName, arg.parameters ?? []);
      inner = { sql: f.sql, type: f.type, field: null };
    } else {
      throw malformedQuery(`${arg.functionName ?? 'function'}() cannot be nested in ${upper}()`);
    }
    switch (upper) {
      case 'COUNT':
        return { sql: `COUNT(${inner.sql})`, type: 'int' };
      case 'COUNT_DISTINCT':
        return { sql: `COUNT(DISTINCT ${inner.sql})`, type: 'int' };
      case 'SUM':
      case 'AVG':
        if (!NUMERIC.has(inner.type))
          throw malformedQuery(
            `field ${typeof arg === 'string' ? arg : ''} does not support aggregate operator ${upper}`
          );
        return { sql: `${upper === 'SUM' ? 'SUM' : 'AVG'}(${inner.sql})`, type: 'double' };
      case 'MIN':
      case 'MAX':
        if (
          inner.type === 'textarea' ||
          inner.type === 'boolean' ||
          inner.type === 'anyType' ||
          inner.type === 'multipicklist'
        ) {
          throw malformedQuery(
            `field ${typeof arg === 'string' ? arg : ''} does not support aggregate operator ${upper}`
          );
        }
        return { sql: `${upper}(${inner.sql})`, type: inner.type === 'int' ? 'int' : inner.type };
      default:
        throw malformedQuery(`${upper}() is not supported by the local org`);
    }
  }

  // --- WHERE -----------------------------------------------------------------------------------

  where(clause: WhereClause | undefined): string {
    if (!clause) return '';
    const tokens: Token[] = [];
    flattenWhere(clause, tokens);
    let pos = 0;
    const peek = (): Token | undefined => tokens[pos];
    const expr = (): string => {
      const parts = [term()];
      let joiner: 'AND' | 'OR' | null = null;
      for (;;) {
        const t = peek();
        if (t !== 'AND' && t !== 'OR') break;
        if (joiner && joiner !== t) {
          throw malformedQuery(`unexpected token: ${t} — SOQL needs parentheses to mix AND and OR`);
        }
        joiner = t;
        pos++;
        parts.push(term());
      }
      return parts.length === 1 ? (parts[0] as string) : `(${parts.join(` ${joiner} `)})`;
    };
    const term = (): string => {
      const t = tokens[pos++];
      if (t === 'NOT') return `(NOT IFNULL(${term()}, 0))`;
      if (t === '(') {
        const inner = expr();
        if (tokens[pos++] !== ')') throw malformedQuery('unbalanced parentheses in WHERE');
        return inner;
      }
      if (t && typeof t === 'object') return this.condition(t.cond);
      throw malformedQuery(`unexpected token in WHERE: ${String(t)}`);
    };
    const sql = expr();
    if (pos !== tokens.length) throw malformedQuery('unexpected token after WHERE condition');
    return sql;
  }

  private condition(cond: Condition | ValueQueryCondition): string {
    if ('valueQuery' in cond && cond.valueQuery) return this.semiJoin(cond as ValueQueryCondition);
    if ('fn' in cond) {
      const fn = cond.fn;
      const name = (fn.functionName ?? '').toUpperCase();
      if (!DATE_FUNCTIONS.has(name))
        throw malformedQuery(`${name || 'this function'}() is not supported in WHERE by the local org`);
      const f = this.dateFunction(name, fn.parameters ?? []);
      return this.compare(f.sql, f.type, name, cond.operator, cond.value, cond.literalType, undefined);
    }
    if (!('field' in cond)) throw malformedQuery('unsupported condition');
    const r = this.resolve(cond.field);
    if (r.field && !r.field.filterable)
      throw invalidField(`field '${r.field.name}' can not be filtered in a query call`);
    const valued = cond as {
      value?: string | string[];
      literalType?: unknown;
      dateLiteralVariable?: number | number[];
    };
    return this.compare(
      r.sql,
      r.type,
      r.canonical.join('.'),
      cond.operator,
      valued.value ?? '',
      valued.literalType,
      valued.dateLiteralVariable
    );
  }

  private semiJoin(cond: ValueQueryCondition): string {
    const r = this.resolve(cond.field);
    if (cond.operator !== 'IN' && cond.operator !== 'NOT IN')
      throw malformedQuery('a sub-select needs IN or NOT IN');
    if (r.type !== 'id' && r.type !== 'reference')
      throw malformedQuery(
        `semi-join sub-selects compare Id or reference fields, not ${r.canonical.join('.')}`
      );
    const sub = cond.valueQuery;
    const subObject = this.env.objects.get((sub.sObject ?? '').toLowerCase());
    if (!subObject) throw invalidType(sub.sObject ?? '');
    const compiler = new Compiler(
      this.env,
      subObject,
      sub.sObjectAlias ?? null,
      `${this.prefix}s${this.aliasCounter++}_`
    );
    const fields = sub.fields ?? [];
    const firstType = (fields[0] as ParsedField | undefined)?.type;
    if (fields.length !== 1 || (firstType !== 'Field' && firstType !== 'FieldRelationship')) {
      throw malformedQuery('a semi-join sub-select selects exactly one Id or reference field');
    }
    const only = fields[0] as { field: string; relationships?: string[] };
    const subField = compiler.resolve(
      only.relationships ? [...only.relationships, only.field].join('.') : only.field
    );
    if (subField.type !== 'id' && subField.type !== 'reference')
      throw malformedQuery('a semi-join sub-select selects exactly one Id or reference field');
    const where = compiler.where(sub.where);
    const deleted = this.env.includeDeleted ? '' : `${compiler.rootAlias}."IsDeleted" = 0`;
    const conditions = [deleted, where].filter((c) => c).join(' AND ');
    this.params.push(...compiler.params);
    const inner = `SELECT ${subField.sql} ${compiler.fromSql()}${conditions ? ` WHERE ${conditions}` : ''}`;
    return cond.operator === 'IN'
      ? `${r.sql} IN (${inner})`
      : `(${r.sql} IS NULL OR ${r.sql} NOT IN (${inner}))`;
  }

  /** Converts a literal for comparison with a field of `type`, or returns a date range. */
  private literal(
    type: FieldType,
    name: string,
    value: string,
    literalType: string | undefined,
    n: number | undefined,
    forLike = false
  ): Stored | { range: [string, string] } {
    const wrong = (expected: string): SalesforceApiError =>
      invalidField(
        `value of filter criterion for field '${name}' must be of type ${expected} and should not be enclosed in quotes`
      );
    if (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') {
      if (type !== 'date' && type !== 'datetime') throw wrong(type);
      const literal = literalType === 'DATE_N_LITERAL' ? (value.split(':')[0] ?? value) : value;
      const range = dateLiteralRange(literal.toUpperCase(), n, todayIn(this.env.nowMs, this.env.timeZone), {
        fiscalYearStartMonth: this.env.fiscalYearStartMonth
      });
      if (!range) throw malformedQuery(`date literal ${value} is not supported by the local org`);
      if (type === 'date') return { range: [range.start, range.end] };
      return {
        range: [
          localMidnightStored(range.start, this.env.timeZone),
          localMidnightStored(range.end, this.env.timeZone)
        ]
      };
    }
    switch (type) {
      case 'id':
      case 'reference': {
        if (literalType !== 'STRING') throw wrong('reference');
        const text = unquoteSoqlString(value);
        const id = normalizeId(text);
        if (!id)
          throw new SalesforceApiError(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${text}`);
        return id;
      }
      case 'boolean':
        if (literalType !== 'BOOLEAN') throw wrong('boolean');
        return value.toUpperCase() === 'TRUE' ? 1 : 0;
      case 'double':
      case 'int':
      case 'currency':
      case 'percent':
        if (literalType !== 'INTEGER' && literalType !== 'DECIMAL')
          throw wrong(type === 'int' ? 'int' : 'double');
        return Number(value);
      case 'date':
        if (literalType !== 'DATE') throw wrong('date');
        return value;
      case 'datetime': {
        if (literalType !== 'DATETIME') throw wrong('dateTime');
        const ms = parseDateTimeInput(value);
        if (ms === null) throw malformedQuery(`invalid dateTime literal ${value}`);
        return toStoredDateTime(ms);
      }
      default:
        if (literalType !== 'STRING') throw wrong('string');
        return unquoteSoqlString(value, forLike);
    }
  }

  private compare(
    sql: string,
    type: FieldType,
    name: string,
    operator: string,
    rawValue: string | string[],
    literalType: unknown,
    n: number | number[] | undefined
  ): string {
    const op = operator.toUpperCase();
    const types = Array.isArray(literalType) ? (literalType as string[]) : undefined;
    const singleType = typeof literalType === 'string' ? literalType : undefined;
    const collate = STRINGISH.has(type) ? ' COLLATE NOCASE' : '';
    if (op === 'IN' || op === 'NOT IN' || op === 'INCLUDES' || op === 'EXCLUDES') {
      const values = Array.isArray(rawValue) ? rawValue : [rawValue];
      const ns = Array.isArray(n) ? n : values.map(() => n as number | undefined);
      const converted = values.map((v, i) => this.literal(type, name, v, types?.[i] ?? singleType, ns[i]));
      if (op === 'INCLUDES' || op === 'EXCLUDES') {
        if (type !== 'multipicklist') throw malformedQuery(`${op} applies to multi-select picklists only`);
        const groups = converted.map((v) => {
          const parts = String(v)
            .split(';')
            .map((p) => {
              this.params.push(`%;${p.trim()};%`);
              return `(';' || IFNULL(${sql}, '') || ';') LIKE ?`;
            });
          return `(${parts.join(' AND ')})`;
        });
        const any = `(${groups.join(' OR ')})`;
        return op === 'INCLUDES' ? any : `(NOT ${any})`;
      }
      const ranges = converted.filter(
        (v): v is { range: [string, string] } => typeof v === 'object' && v !== null && 'range' in v
      );
      if (ranges.length) {
        if (ranges.length !== converted.length) throw malformedQuery('IN mixes date literals and dates');
        const any = ranges.map((r) => {
          this.params.push(r.range[0], r.range[1]);
          return `(${sql} >= ? AND ${sql} < ?)`;
        });
        return op === 'IN' ? `(${any.join(' OR ')})` : `(${sql} IS NULL OR NOT (${any.join(' OR ')}))`;
      }
      if (converted.some((v) => v === null)) throw malformedQuery('null is not allowed in an IN list');
      this.params.push(...(converted as Stored[]));
      const list = converted.map(() => `?${collate}`).join(', ');
      return op === 'IN'
        ? `${sql}${collate} IN (${list})`
        : `(${sql} IS NULL OR ${sql}${collate} NOT IN (${list}))`;
    }
    if (Array.isArray(rawValue)) throw malformedQuery(`operator ${op} takes one value`);
    if (singleType === 'NULL') {
      if (op === '=') return `${sql} IS NULL`;
      if (op === '!=') return `${sql} IS NOT NULL`;
      throw malformedQuery(`operator ${op} cannot compare with null`);
    }
    if (op === 'LIKE') {
      if (!STRINGISH.has(type) && type !== 'id' && type !== 'reference')
        throw invalidField(`invalid operator on ${type} field: LIKE (${name})`);
      if (singleType !== 'STRING') throw malformedQuery('LIKE needs a quoted pattern');
      this.params.push(unquoteSoqlString(rawValue, true));
      return `${sql} LIKE ? ESCAPE '\\'`;
    }
    const value = this.literal(type, name, rawValue, singleType, typeof n === 'number' ? n : undefined);
    if (typeof value === 'object' && value !== null && 'range' in value) {
      const [start, end] = value.range;
      switch (op) {
        case '=':
          this.params.push(start, end);
          return `(${sql} >= ? AND ${sql} < ?)`;
        case '!=':
          this.params.push(start, end);
          return `(${sql} IS NULL OR ${sql} < ? OR ${sql} >= ?)`;
        case '<':
          this.params.push(start);
          return `${sql} < ?`;
        case '<=':
          this.params.push(end);
          return `${sql} < ?`;
        case '>':
          this.params.push(end);
          return `${sql} >= ?`;
        case '>=':
          this.params.push(start);
          return `${sql} >= ?`;
        default:
          throw malformedQuery(`operator ${op} is not supported with date literals`);
      }
    }
    if (type === 'boolean' && op !== '=' && op !== '!=')
      throw invalidField(`invalid operator on boolean field: ${op}`);
    this.params.push(value as Stored);
    switch (op) {
      case '=':
        return `${sql} = ?${collate}`;
      case '!=':
        return `(${sql} IS NULL OR ${sql} <> ?${collate})`;
      case '<':
      case '<=':
      case '>':
      case '>=':
        return `${sql} ${op} ?${collate}`;
      default:
        throw malformedQuery(`operator ${op} is not supported`);
    }
  }

  /** HAVING: conditions on aggregates or grouped fields. */
  having(
    clause: HavingClause | undefined,
    aggregateSql: (fn: FunctionExp) => { sql: string; type: FieldType }
  ): string {
    if (!clause) return '';
    const tokens: Token[] = [];
    flattenWhere(clause as unknown as WhereClause, tokens);
    const parts: string[] = [];
    for (const t of tokens) {
      if (typeof t === 'string') {
        parts.push(t === 'NOT' ? 'NOT' : t);
        continue;
      }
      const cond = t.cond as Condition;
      if ('fn' in cond) {
        const a = aggregateSql(cond.fn);
        parts.push(
          this.compare(
            a.sql,
            a.type,
            cond.fn.rawValue ?? '',
            cond.operator,
            cond.value,
            cond.literalType,
            undefined
          )
        );
      } else if ('field' in cond) {
        const r = this.resolve(cond.field);
        parts.push(
          this.compare(
            r.sql,
            r.type,
            r.canonical.join('.'),
            cond.operator,
            cond.value,
            cond.literalType,
            undefined
          )
        );
      } else {
        throw malformedQuery('unsupported HAVING condition');
      }
    }
    return parts.join(' ');
  }
}

function flattenWhere(clause: WhereClause | undefined, out: Token[]): void {
  let node: WhereClause | undefined = clause;
  while (node) {
    const left = node.left as (Condition & { openParen?: number; closeParen?: number }) | null;
    const op = 'operator' in node ? node.operator : undefined;
    if (op === 'NOT') {
      for (let i = 0; i < (left?.openParen ?? 0); i++) out.push('(');
      out.push('NOT');
      node = 'right' in node ? node.right : undefined;
      continue;
    }
    if (!left) throw malformedQuery('empty condition');
    for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
    out.push({ cond: left });
    for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
    if (op === 'AND' || op === 'OR') out.push(op);
    node = 'right' in node ? node.right : undefined;
  }
}

function parse(soql: string): Query {
  try {
    return parseQuery(soql) as Query;
  } catch (error) {
    throw malformedQuery((error as Error).message.split('\n')[0] ?? 'malformed query');
  }
}

function fieldPath(f: ParsedField): string | null {
  if (f.type === 'Field') return f.field;
  if (f.type === 'FieldRelationship') return [...f.relationships, f.field].join('.');
  return null;
}

function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Compiles a SOQL statement. Throws SalesforceApiError with Salesforce's error codes. */
export function compileSoql(soql: string, env: QueryEnv): CompiledQuery {
  const q = parse(soql);
  if (!q.sObject) throw malformedQuery('missing FROM');
  const object = env.objects.get(q.sObject.toLowerCase());
  if (!object || !object.queryable) throw invalidType(q.sObject);
  if (q.usingScope) throw malformedQuery('USING SCOPE is not supported by the local org');
  if (q.withDataCategory) throw malformedQuery('WITH DATA CATEGORY is not supported by the local org');
  if (q.for === 'UPDATE') throw malformedQuery('FOR UPDATE is not allowed in API queries');
  const c = new Compiler(env, object, q.sObjectAlias ?? null, '');
  const fields = q.fields ?? [];
  if (fields.length === 0) throw malformedQuery('SELECT needs at least one field');
  for (const f of fields) {
    if (f.type === 'FieldSubquery')
      throw malformedQuery(
        'Parent-to-child subqueries are not supported by the local org; query the child object instead'
      );
    if (f.type === 'FieldTypeof') throw malformedQuery('TYPEOF is not supported by the local org');
    if (f.type === 'FieldFunctionExpression' && (f.functionName ?? '').toUpperCase() === 'FIELDS')
      throw malformedQuery('FIELDS() is not supported by the local org; list the fields');
  }
  const groupBy = asArray(q.groupBy) as ({ field: string } | { fn: FunctionExp })[];
  const isAggregateFn = (f: ParsedField): boolean =>
    f.type === 'FieldFunctionExpression' && AGGREGATES.has((f.functionName ?? '').toUpperCase());
  const hasAggregate = fields.some(isAggregateFn);
  const countOnly =
    fields.length === 1 &&
    isAggregateFn(fields[0] as ParsedField) &&
    (fields[0] as { functionName: string; parameters: unknown[] }).functionName.toUpperCase() === 'COUNT' &&
    ((fields[0] as { parameters: unknown[] }).parameters?.length ?? 0) === 0;
  if (
    fields.some(
      (f) =>
        f.type === 'FieldFunctionExpression' &&
        (f.functionName ?? '').toUpperCase() === 'COUNT' &&
        (f.parameters?.length ?? 0) === 0
    ) &&
    !countOnly
  ) {
    throw malformedQuery('COUNT() must be the only element in the SELECT list');
  }
  const where = c.where(q.where);
  const deleted = env.includeDeleted ? '' : `${c.rootAlias}."IsDeleted" = 0`;
  const whereSql = [deleted, where ? `(${where})` : ''].filter((s) => s).join(' AND ');
  const limit = q.limit ?? null;
  const offset = q.offset ?? null;
  if (offset !== null && offset > 2000)
    throw new SalesforceApiError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is 2000`);
  if (env.bulk && offset !== null) throw malformedQuery('OFFSET is not supported by Bulk API 2.0 query');
  const params = c.params.slice();
  const base = { object, where: whereSql ? `WHERE ${whereSql}` : '', params, limit, offset };

  if (countOnly) {
    if (env.bulk) throw malformedQuery('Aggregate queries are not supported by Bulk API 2.0 query');
    if (groupBy.length) throw malformedQuery('COUNT() cannot be used with GROUP BY; use COUNT(Id)');
    return { kind: 'count', ...base, joins: c.fromSql(), leftJoins: c.leftJoinsSql() };
  }

  if (hasAggregate || groupBy.length || q.having) {
    if (env.bulk) throw malformedQuery('Aggregate queries are not supported by Bulk API 2.0 query');
    return compileAggregate(q, c, base, fields, groupBy);
  }

  // Plain record query.
  const select: string[] = [`${c.rootAlias}."Id"`];
  const columns: OutColumn[] = [];
  const relationships: OutRelationship[] = [];
  const seen = new Set<string>();
  for (const f of fields) {
    const path = fieldPath(f);
    if (path === null) {
      const name = f.type === 'FieldFunctionExpression' ? f.functionName : 'expression';
      throw malformedQuery(
        `${name}() may only be used in an aggregate query (with GROUP BY or an aggregate function)`
      );
    }
    const r = c.resolve(path);
    const key = r.canonical.join('.').toLowerCase();
    if (seen.has(key)) throw invalidField(`duplicate field selected: ${r.canonical.join('.')}`);
    seen.add(key);
    for (const rel of r.rels) {
      if (relationships.some((x) => x.path.join('.').toLowerCase() === rel.key)) continue;
      const join = c.joinFor(rel.key);
      if (!join) continue;
      const idIndex = select.push(join.idSql) - 1;
      const typeIndex = join.typeSql ? select.push(join.typeSql) - 1 : null;
      const pathNames = r.rels.slice(0, r.rels.indexOf(rel) + 1).map((x) => x.name);
      relationships.push({
        path: pathNames,
        idIndex,
        objectName: join.object ? join.object.name : null,
        typeIndex
      });
    }
    const index = select.push(r.sql) - 1;
    columns.push({
      relPath: r.canonical.slice(0, -1),
      name: r.canonical[r.canonical.length - 1] as string,
      type: r.type,
      index
    });
  }
  const order = asArray(q.orderBy).map((o) => orderTerm(c, o, null));
  const orderBy = order.length ? `ORDER BY ${order.join(', ')}` : `ORDER BY ${c.rootAlias}._rowid`;
  return {
    kind: 'records',
    ...base,
    joins: c.fromSql(),
    leftJoins: c.leftJoinsSql(),
    select,
    orderBy,
    columns,
    relationships
  };
}

function orderTerm(
  c: Compiler,
  o: OrderByClause,
  aggregateSql: ((fn: FunctionExp) => { sql: string }) | null
): string {
  let sql: string;
  let collate = '';
  if ('fn' in o) {
    const name = (o.fn.functionName ?? '').toUpperCase();
    if (aggregateSql && AGGREGATES.has(name)) sql = aggregateSql(o.fn).sql;
    else if (DATE_FUNCTIONS.has(name)) sql = c.dateFunction(name, o.fn.parameters ?? []).sql;
    else throw malformedQuery(`ORDER BY ${o.fn.rawValue ?? name} is not supported`);
  } else {
    const r = c.resolve(o.field);
    if (r.field && !r.field.sortable)
      throw invalidField(`field '${r.field.name}' can not be sorted in a query call`);
    sql = r.sql;
    if (STRINGISH.has(r.type)) collate = ' COLLATE NOCASE';
  }
  const dir = o.order === 'DESC' ? ' DESC' : ' ASC';
  const nulls = o.nulls ? ` NULLS ${o.nulls}` : '';
  return `${sql}${collate}${dir}${nulls}`;
}

function compileAggregate(
  q: Query,
  c: Compiler,
  base: Omit<Base, 'joins' | 'leftJoins'>,
  fields: ParsedField[],
  groupBy: ({ field: string } | { fn: FunctionExp })[]
): AggregateQuery {
  const groupSql: string[] = [];
  const groupKeys = new Set<string>();
  for (const g of groupBy) {
    if ('fn' in g) {
      const name = (g.fn.functionName ?? '').toUpperCase();
      if (name === 'ROLLUP' || name === 'CUBE')
        throw malformedQuery(`GROUP BY ${name}() is not supported by the local org`);
      const f = c.dateFunction(name, g.fn.parameters ?? []);
      groupSql.push(f.sql);
      groupKeys.add(f.canonical.toLowerCase());
    } else {
      const r = c.resolve(g.field);
      if (r.field && !r.field.groupable)
        throw invalidField(`field '${r.field.name}' can not be grouped in a query call`);
      groupSql.push(r.sql);
      groupKeys.add(r.canonical.join('.').toLowerCase());
    }
  }
  const select: string[] = [];
  const outputs: AggregateOutput[] = [];
  let exprIndex = 0;
  const aggregateSql = (fn: FunctionExp): { sql: string; type: FieldType } =>
    c.aggregate(fn.functionName ?? '', fn.parameters ?? []);
  for (const f of fields) {
    if (f.type === 'FieldFunctionExpression') {
      const name = (f.functionName ?? '').toUpperCase();
      let sql: string;
      let type: FieldType;
      if (AGGREGATES.has(name)) {
        ({ sql, type } = aggregateSql(f));
      } else if (DATE_FUNCTIONS.has(name)) {
        const d = c.dateFunction(name, f.parameters ?? []);
        if (!groupKeys.has(d.canonical.toLowerCase()))
          throw malformedQuery(`${f.rawValue ?? name} must be grouped`);
        sql = d.sql;
        type = d.type;
      } else {
        throw malformedQuery(`${name}() is not supported by the local org`);
      }
      const key = f.alias ?? `expr${exprIndex++}`;
      outputs.push({ key, type, index: select.push(sql) - 1 });
      continue;
    }
    const path = fieldPath(f);
    if (path === null) throw malformedQuery('unsupported SELECT element');
    const r = c.resolve(path);
    if (!groupKeys.has(r.canonical.join('.').toLowerCase()))
      throw malformedQuery(`Field must be grouped or aggregated: ${r.canonical.join('.')}`);
    const alias = (f as { alias?: string }).alias;
    outputs.push({
      key: alias ?? (r.canonical[r.canonical.length - 1] as string),
      type: r.type,
      index: select.push(r.sql) - 1
    });
  }
  const having = c.having(q.having, aggregateSql);
  const havingParams = c.params.slice(base.params.length);
  const order = asArray(q.orderBy).map((o) => orderTerm(c, o, aggregateSql));
  // ORDER BY may add parameters only through HAVING-like literals, which it has none of.
  return {
    kind: 'aggregate',
    ...base,
    joins: c.fromSql(),
    leftJoins: c.leftJoinsSql(),
    select,
    groupBy: groupSql.length ? `GROUP BY ${groupSql.join(', ')}` : '',
    having: having ? `HAVING ${having}` : '',
    havingParams,
    orderBy: order.length ? `ORDER BY ${order.join(', ')}` : '',
    outputs
  };
}
