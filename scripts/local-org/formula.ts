// Formula fields, computed on read. The formula is parsed by the project's one formula parser
// (scripts/metadata/formula.ts) and its tree translated here into one SQLite expression, so that a
// formula field can be selected, filtered, grouped, sorted and averaged like a stored field (the
// average of NPS_Points__c in a report is the NPS). The evaluator in scripts/metadata gives the
// same values record by record; a test holds the two together. The subset covers the operators and
// the logical, text and math functions; anything else marks the field unsupported, and a query
// that touches it fails with a message naming the function — never a silently wrong value.

import { parseFormula, type FormulaNode } from '../metadata/formula';
import type { FieldDef, SObjectDef } from './schema';

export type FormulaType = 'number' | 'text' | 'boolean' | 'date' | 'datetime';

type Node = FormulaNode;

export class FormulaError extends Error {}

// --- translation to SQL --------------------------------------------------------------------------

export interface FormulaContext {
  object: SObjectDef;
  objects: Map<string, SObjectDef>;
  treatBlanksAsZero: boolean;
  /** Formulas being translated, to detect cycles. */
  stack: string[];
}

interface Sql {
  sql: string;
  type: FormulaType | 'null';
}

export function fieldFormulaType(field: FieldDef): FormulaType {
  switch (field.type) {
    case 'double':
    case 'int':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'text';
  }
}

const TABLE = '{{t}}';

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function textLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Translates a formula into SQL over the row aliased `{{t}}`. Throws FormulaError naming what is
 * not supported.
 */
export function formulaToSql(
  expression: string,
  ctx: FormulaContext,
  resultType: FormulaType,
  scale: number
): string {
  let tree: Node;
  try {
    tree = parseFormula(expression);
  } catch (error) {
    throw new FormulaError((error as Error).message);
  }
  const out = translate(tree, ctx);
  let sql = coerce(out, resultType);
  if (resultType === 'number') sql = `ROUND(${sql}, ${scale})`;
  // A blank text result reads as null, as the API returns it.
  if (resultType === 'text') sql = `NULLIF(${sql}, '')`;
  return sql;
}

function coerce(value: Sql, to: FormulaType): string {
  if (value.type === 'null') return 'NULL';
  if (value.type === to) return value.sql;
  if (to === 'text') return `CAST(${value.sql} AS TEXT)`;
  if (to === 'number' && value.type === 'boolean') return value.sql;
  throw new FormulaError(`formula returns ${value.type} where ${to} is expected`);
}

function resolveRef(path: string[], ctx: FormulaContext): Sql {
  let object = ctx.object;
  const hops: { parent: SObjectDef; fk: string }[] = [];
  for (const rel of path.slice(0, -1)) {
    const lower = rel.toLowerCase();
    const field = object.relationshipIndex.get(lower);
    if (!field || field.referenceTo.length !== 1)
      throw new FormulaError(`unknown or polymorphic relationship '${rel}' on ${object.name}`);
    const parent = ctx.objects.get((field.referenceTo[0] as string).toLowerCase());
    if (!parent) throw new FormulaError(`relationship '${rel}' points at an unknown object`);
    hops.push({ parent, fk: field.column ?? field.name });
    object = parent;
  }
  const last = path[path.length - 1] as string;
  const field = object.fieldIndex.get(last.toLowerCase());
  if (!field) throw new FormulaError(`unknown field '${path.join('.')}'`);
  let sql: string;
  const type = fieldFormulaType(field);
  if (field.formula) {
    const key = `${object.name}.${field.name}`;
    if (ctx.stack.includes(key)) throw new FormulaError(`formula cycle through ${field.name}`);
    if (field.formula.sql === null && field.formula.unsupportedReason === undefined) {
      compileFormulaField(object, field, ctx.objects, ctx.stack);
    }
    if (!field.formula.sql)
      throw new FormulaError(
        `${field.name} uses an unsupported formula (${field.formula.unsupportedReason ?? 'unknown'})`
      );
    sql = `(${field.formula.sql})`;
  } else {
    sql = `${TABLE}.${quote(field.column ?? field.name)}`;
  }
  // Cross-object references become correlated subqueries, innermost hop last.
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as { parent: SObjectDef; fk: string };
    const innerAlias = `f${ctx.stack.length}_${i}`;
    const inner = sql.split(TABLE).join(innerAlias);
    const outerFk = `${TABLE}.${quote(hop.fk)}`;
    sql = `(SELECT ${inner} FROM ${quote(hop.parent.table)} ${innerAlias} WHERE ${innerAlias}."Id" = ${outerFk})`;
  }
  // BlankAsZero (the default): a blank number reads as 0 and blank text as "" (Salesforce Help, "Handle Null Values in Formulas").
  if (ctx.treatBlanksAsZero && type === 'number') sql = `IFNULL(${sql}, 0)`;
  if (ctx.treatBlanksAsZero && type === 'text') sql = `IFNULL(${sql}, '')`;
  return { sql, type };
}

function isBlankSql(value: Sql): string {
  if (value.type === 'null') return '1';
  if (value.type === 'text') return `(${value.sql} IS NULL OR ${value.sql} = '')`;
  return `(${value.sql} IS NULL)`;
}

function unify(a: Sql, b: Sql): FormulaType | 'null' {
  if (a.type === 'null') return b.type;
  if (b.type === 'null') return a.type;
  if (a.type === b.type) return a.type;
  if ((a.type === 'number' && b.type === 'boolean') || (a.type === 'boolean' && b.type === 'number'))
    return 'number';
  throw new FormulaError(`incompatible types ${a.type} and ${b.type}`);
}

function translate(node: Node, ctx: FormulaContext): Sql {
  switch (node.kind) {
    case 'literal':
      if (node.value === null) return { sql: 'NULL', type: 'null' };
      if (typeof node.value === 'number') return { sql: String(node.value), type: 'number' };
      if (typeof node.value === 'boolean') return { sql: node.value ? '1' : '0', type: 'boolean' };
      return { sql: textLiteral(node.value), type: 'text' };
    case 'field':
      if (node.path.startsWith('$')) throw new FormulaError(`global variable ${node.path} is not supported`);
      return resolveRef(node.path.split('.'), ctx);
    case 'unary': {
      const operand = translate(node.operand, ctx);
      return { sql: node.op === '-' ? `(-${operand.sql})` : operand.sql, type: 'number' };
    }
    case 'binary':
      return translateBinary(node.op, translate(node.left, ctx), translate(node.right, ctx));
    case 'call':
      return translateCall(node.name, node.args, ctx);
  }
}

function translateBinary(op: string, left: Sql, right: Sql): Sql {
  switch (op) {
    case '+':
      if (left.type === 'text' || right.type === 'text')
        return { sql: `(IFNULL(${left.sql}, '') || IFNULL(${right.sql}, ''))`, type: 'text' };
      return { sql: `(${left.sql} + ${right.sql})`, type: 'number' };
    case '-':
    case '*':
    case '/':
      if (op === '/') return { sql: `(CAST(${left.sql} AS REAL) / NULLIF(${right.sql}, 0))`, type: 'number' };
      return { sql: `(${left.sql} ${op} ${right.sql})`, type: 'number' };
    case '^':
      return { sql: `POWER(${left.sql}, ${right.sql})`, type: 'number' };
    case '&':
      return { sql: `(IFNULL(${left.sql}, '') || IFNULL(${right.sql}, ''))`, type: 'text' };
    case '=':
    case '==':
    case '!=':
    case '<>': {
      // Equality treats blank as a value: two blanks are equal, a blank differs from any value
      // (as scripts/metadata/formula.ts evaluates it).
      unify(left, right);
      const equal = `(CASE WHEN ${isBlankSql(left)} AND ${isBlankSql(right)} THEN 1 ELSE IFNULL(${left.sql} = ${right.sql}, 0) END)`;
      return { sql: op === '=' || op === '==' ? equal : `(NOT ${equal})`, type: 'boolean' };
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      unify(left, right);
      return { sql: `(${left.sql} ${op} ${right.sql})`, type: 'boolean' };
    case '&&':
      return { sql: `(IFNULL(${left.sql}, 0) AND IFNULL(${right.sql}, 0))`, type: 'boolean' };
    case '||':
      return { sql: `(IFNULL(${left.sql}, 0) OR IFNULL(${right.sql}, 0))`, type: 'boolean' };
    default:
      throw new FormulaError(`operator ${op} is not supported`);
  }
}

function arity(name: string, args: Node[], min: number, max = min): void {
  if (args.length < min || args.length > max)
    throw new FormulaError(`${name}() takes ${min === max ? min : `${min}–${max}`} arguments`);
}

function translateCall(name: string, args: Node[], ctx: FormulaContext): Sql {
  const t = (n: Node): Sql => translate(n, ctx);
  switch (name) {
    case 'IF': {
      arity(name, args, 3);
      const [c, a, b] = args.map(t) as [Sql, Sql, Sql];
      const type = unify(a, b);
      return { sql: `(CASE WHEN IFNULL(${c.sql}, 0) THEN ${a.sql} ELSE ${b.sql} END)`, type };
    }
    case 'CASE': {
      if (args.length < 4 || args.length % 2 !== 0)
        throw new FormulaError('CASE() takes an expression, value/result pairs and an else result');
      const [subject, ...rest] = args.map(t) as [Sql, ...Sql[]];
      const elseResult = rest[rest.length - 1] as Sql;
      let type: FormulaType | 'null' = elseResult.type;
      let sql = `(CASE ${subject.sql}`;
      for (let i = 0; i < rest.length - 1; i += 2) {
        const value = rest[i] as Sql;
        const result = rest[i + 1] as Sql;
        unify(subject, value);
        type = unify({ sql: '', type }, result);
        sql += ` WHEN ${value.sql} THEN ${result.sql}`;
      }
      return { sql: `${sql} ELSE ${elseResult.sql} END)`, type };
    }
    case 'AND':
    case 'OR': {
      if (args.length < 1) throw new FormulaError(`${name}() needs arguments`);
      const joiner = name === 'AND' ? ' AND ' : ' OR ';
      return { sql: `(${args.map((a) => `IFNULL(${t(a).sql}, 0)`).join(joiner)})`, type: 'boolean' };
    }
    case 'NOT':
      arity(name, args, 1);
      return { sql: `(NOT IFNULL(${t(args[0] as Node).sql}, 0))`, type: 'boolean' };
    case 'ISBLANK':
    case 'ISNULL':
      arity(name, args, 1);
      return { sql: isBlankSql(t(args[0] as Node)), type: 'boolean' };
    case 'BLANKVALUE':
    case 'NULLVALUE': {
      arity(name, args, 2);
      const [a, b] = args.map(t) as [Sql, Sql];
      const type = unify(a, b);
      return { sql: `(CASE WHEN ${isBlankSql(a)} THEN ${b.sql} ELSE ${a.sql} END)`, type };
    }
    case 'ISPICKVAL': {
      arity(name, args, 2);
      const [a, b] = args.map(t) as [Sql, Sql];
      return { sql: `(IFNULL(${a.sql}, '') = ${b.sql})`, type: 'boolean' };
    }
    case 'TEXT': {
      arity(name, args, 1);
      const a = t(args[0] as Node);
      if (a.type === 'number') {
        return {
          sql: `(CASE WHEN ${a.sql} = CAST(${a.sql} AS INTEGER) THEN CAST(CAST(${a.sql} AS INTEGER) AS TEXT) ELSE CAST(${a.sql} AS TEXT) END)`,
          type: 'text'
        };
      }
      return { sql: `CAST(${a.sql} AS TEXT)`, type: 'text' };
    }
    case 'VALUE':
      arity(name, args, 1);
      return { sql: `CAST(${t(args[0] as Node).sql} AS REAL)`, type: 'number' };
    case 'ROUND': {
      arity(name, args, 2);
      const [a, b] = args.map(t) as [Sql, Sql];
      // Salesforce rounds half away from zero; SQLite's ROUND does the same.
      return { sql: `ROUND(${a.sql}, ${b.sql})`, type: 'number' };
    }
    case 'FLOOR':
      arity(name, args, 1);
      return { sql: `CAST(FLOOR(${t(args[0] as Node).sql}) AS INTEGER)`, type: 'number' };
    case 'CEILING':
      arity(name, args, 1);
      return { sql: `CAST(CEIL(${t(args[0] as Node).sql}) AS INTEGER)`, type: 'number' };
    case 'ABS':
      arity(name, args, 1);
      return { sql: `ABS(${t(args[0] as Node).sql})`, type: 'number' };
    case 'MOD': {
      arity(name, args, 2);
      const [a, b] = args.map(t) as [Sql, Sql];
      return { sql: `MOD(${a.sql}, ${b.sql})`, type: 'number' };
    }
    case 'MIN':
    case 'MAX': {
      if (args.length < 1) throw new FormulaError(`${name}() needs arguments`);
      const parts = args.map(t);
      return {
        sql: parts.length === 1 ? (parts[0] as Sql).sql : `${name}(${parts.map((p) => p.sql).join(', ')})`,
        type: 'number'
      };
    }
    case 'LEN':
      arity(name, args, 1);
      return { sql: `IFNULL(LENGTH(${t(args[0] as Node).sql}), 0)`, type: 'number' };
    case 'UPPER':
    case 'LOWER':
    case 'TRIM':
      arity(name, args, 1);
      return { sql: `${name}(${t(args[0] as Node).sql})`, type: 'text' };
    case 'LEFT': {
      arity(name, args, 2);
      const [a, b] = args.map(t) as [Sql, Sql];
      return { sql: `SUBSTR(${a.sql}, 1, ${b.sql})`, type: 'text' };
    }
    case 'RIGHT': {
      arity(name, args, 2);
      const [a, b] = args.map(t) as [Sql, Sql];
      return {
        sql: `(CASE WHEN ${b.sql} <= 0 THEN '' ELSE SUBSTR(${a.sql}, -(${b.sql})) END)`,
        type: 'text'
      };
    }
    case 'MID': {
      arity(name, args, 3);
      const [a, b, c] = args.map(t) as [Sql, Sql, Sql];
      return { sql: `SUBSTR(${a.sql}, ${b.sql}, ${c.sql})`, type: 'text' };
    }
    case 'CONTAINS': {
      arity(name, args, 2);
      const [a, b] = args.map(t) as [Sql, Sql];
      return { sql: `(INSTR(IFNULL(${a.sql}, ''), ${b.sql}) > 0)`, type: 'boolean' };
    }
    case 'BEGINS': {
      arity(name, args, 2);
      const [a, b] = args.map(t) as [Sql, Sql];
      return { sql: `(SUBSTR(IFNULL(${a.sql}, ''), 1, LENGTH(${b.sql})) = ${b.sql})`, type: 'boolean' };
    }
    default:
      throw new FormulaError(`function ${name}() is not supported by the local org`);
  }
}

/** Replaces the row placeholder with a table alias. */
export function bindFormulaSql(sql: string, alias: string): string {
  return sql.split(TABLE).join(alias);
}

/** Compiles one formula field in place: sets `formula.sql`, or `formula.unsupportedReason`. */
export function compileFormulaField(
  object: SObjectDef,
  field: FieldDef,
  objects: Map<string, SObjectDef>,
  stack: string[] = []
): void {
  const formula = field.formula;
  if (!formula || formula.sql !== null || formula.unsupportedReason !== undefined) return;
  const key = `${object.name}.${field.name}`;
  try {
    formula.sql = formulaToSql(
      formula.expression,
      { object, objects, treatBlanksAsZero: formula.treatBlanksAsZero, stack: [...stack, key] },
      fieldFormulaType(field),
      field.scale
    );
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    formula.unsupportedReason = error.message;
  }
}
