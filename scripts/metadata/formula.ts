// Salesforce formulas (Formula Operators and Functions reference, Salesforce Help) as used by this
// project's formula fields and validation rules: parsed once, then listed (which fields does a formula
// read?) or evaluated against a record (what does the org compute?). The evaluator covers the
// operators and the logical, text and math functions our metadata uses; any other function is a
// FormulaError naming it, never a silently wrong value.

export type FormulaValue = number | string | boolean | null;

export type FormulaNode =
  | { kind: 'literal'; value: FormulaValue }
  | { kind: 'field'; path: string }
  | { kind: 'unary'; op: '-' | '+'; operand: FormulaNode }
  | { kind: 'binary'; op: string; left: FormulaNode; right: FormulaNode }
  | { kind: 'call'; name: string; args: FormulaNode[] };

export class FormulaError extends Error {
  constructor(
    message: string,
    readonly formula: string
  ) {
    super(`${message} in formula: ${formula.replace(/\s+/g, ' ').trim()}`);
    this.name = 'FormulaError';
  }
}

interface Token {
  type: 'number' | 'string' | 'name' | 'op' | 'end';
  text: string;
  at: number;
}

const OPERATORS = [
  '<=',
  '>=',
  '<>',
  '!=',
  '==',
  '&&',
  '||',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '^',
  '&',
  '(',
  ')',
  ','
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest.startsWith('/*')) {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw new FormulaError(`unclosed comment at character ${i + 1}`, source);
      i = end + 2;
      continue;
    }
    const number = /^(\d+(\.\d+)?|\.\d+)/.exec(rest);
    if (number) {
      tokens.push({ type: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      let value = '';
      let j = i + 1;
      while (j < source.length && source[j] !== quote) {
        value += source[j] === '\\' ? (source[++j] ?? '') : source[j];
        j++;
      }
      if (j >= source.length) throw new FormulaError(`unclosed text literal at character ${i + 1}`, source);
      tokens.push({ type: 'string', text: value, at: i });
      i = j + 1;
      continue;
    }
    const name = /^\$?[A-Za-z_][A-Za-z0-9_]*(\.\$?[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest);
    if (name) {
      tokens.push({ type: 'name', text: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (!op) throw new FormulaError(`unexpected character "${rest[0]}" at character ${i + 1}`, source);
    tokens.push({ type: 'op', text: op, at: i });
    i += op.length;
  }
  tokens.push({ type: 'end', text: '', at: source.length });
  return tokens;
}

// Precedence, lowest first (Salesforce: || then && then comparisons then + - & then * / then ^).
const LEVELS: string[][] = [
  ['||'],
  ['&&'],
  ['=', '==', '!=', '<>', '<', '>', '<=', '>='],
  ['+', '-', '&'],
  ['*', '/'],
  ['^']
];

/** Parses a formula into a tree; throws FormulaError with the position of the first syntax error. */
export function parseFormula(source: string): FormulaNode {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token => tokens[pos] as Token;
  const take = (): Token => tokens[pos++] as Token;
  const expect = (text: string): void => {
    const token = take();
    if (token.text !== text || token.type !== 'op')
      throw new FormulaError(`expected "${text}" at character ${token.at + 1}`, source);
  };
  const binary = (level: number): FormulaNode => {
    if (level === LEVELS.length) return unary();
    let left = binary(level + 1);
    while (peek().type === 'op' && (LEVELS[level] as string[]).includes(peek().text)) {
      const op = take().text;
      left = { kind: 'binary', op, left, right: binary(level + 1) };
    }
    return left;
  };
  const unary = (): FormulaNode => {
    const token = peek();
    if (token.type === 'op' && (token.text === '-' || token.text === '+')) {
      take();
      return { kind: 'unary', op: token.text, operand: unary() };
    }
    return primary();
  };
  const primary = (): FormulaNode => {
    const token = take();
    if (token.type === 'number') return { kind: 'literal', value: Number(token.text) };
    if (token.type === 'string') return { kind: 'literal', value: token.text };
    if (token.type === 'op' && token.text === '(') {
      const inner = binary(0);
      expect(')');
      return inner;
    }
    if (token.type === 'name') {
      const upper = token.text.toUpperCase();
      if (peek().type === 'op' && peek().text === '(') {
        take();
        const args: FormulaNode[] = [];
        if (!(peek().type === 'op' && peek().text === ')')) {
          do args.push(binary(0));
          while (peek().type === 'op' && peek().text === ',' && take());
        }
        expect(')');
        return { kind: 'call', name: upper, args };
      }
      if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'literal', value: upper === 'TRUE' };
      if (upper === 'NULL') return { kind: 'literal', value: null };
      return { kind: 'field', path: token.text };
    }
    throw new FormulaError(
      `unexpected ${token.type === 'end' ? 'end' : `"${token.text}"`} at character ${token.at + 1}`,
      source
    );
  };
  const tree = binary(0);
  if (peek().type !== 'end')
    throw new FormulaError(`unexpected "${peek().text}" at character ${peek().at + 1}`, source);
  return tree;
}

/**
 * The fields a formula reads, as written (e.g. "Score__c", "Account__r.Name"), without duplicates
 * and without global variables such as $User.Id.
 */
export function formulaReferences(source: string): string[] {
  const found = new Set<string>();
  const walk = (node: FormulaNode): void => {
    if (node.kind === 'field' && !node.path.startsWith('$')) found.add(node.path);
    if (node.kind === 'unary') walk(node.operand);
    if (node.kind === 'binary') {
      walk(node.left);
      walk(node.right);
    }
    if (node.kind === 'call') node.args.forEach(walk);
  };
  walk(parseFormula(source));
  return [...found];
}

export interface EvaluateOptions {
  /** BlankAsZero (the Salesforce default): blank number fields read as 0 and blank text as "". */
  treatBlanksAs?: 'BlankAsBlank' | 'BlankAsZero';
  /** For BlankAsZero: whether the field at `path` is a number (else it is read as text). */
  isNumberField?: (path: string) => boolean;
}

const isBlank = (value: FormulaValue): boolean => value === null || value === '';

/** Reads `path` (case-insensitive, dotted through parent records) from a record such as an API result. */
function readPath(record: Record<string, unknown>, path: string): FormulaValue {
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return null;
    const entries = Object.entries(current as Record<string, unknown>);
    const hit = entries.find(([key]) => key.toLowerCase() === part.toLowerCase());
    current = hit ? hit[1] : null;
  }
  if (current === undefined || current === null) return null;
  if (typeof current === 'number' || typeof current === 'string' || typeof current === 'boolean')
    return current;
  return String(current);
}

/** Evaluates a formula against one record. Throws FormulaError for an unsupported function or a division by zero. */
export function evaluateFormula(
  source: string | FormulaNode,
  record: Record<string, unknown>,
  options: EvaluateOptions = {}
): FormulaValue {
  const text = typeof source === 'string' ? source : '(parsed formula)';
  const tree = typeof source === 'string' ? parseFormula(source) : source;
  const blanksAsZero = (options.treatBlanksAs ?? 'BlankAsZero') === 'BlankAsZero';
  const num = (value: FormulaValue, what: string): number | null => {
    if (value === null) return null;
    if (typeof value !== 'number')
      throw new FormulaError(`${what} needs a number, got ${JSON.stringify(value)}`, text);
    return value;
  };
  const truthy = (value: FormulaValue): boolean => value === true;
  const compare = (op: string, a: FormulaValue, b: FormulaValue): boolean | null => {
    if (op === '=' || op === '==') return isBlank(a) && isBlank(b) ? true : a === b;
    if (op === '!=' || op === '<>') return isBlank(a) && isBlank(b) ? false : a !== b;
    if (a === null || b === null) return null;
    if (op === '<') return a < b;
    if (op === '>') return a > b;
    if (op === '<=') return a <= b;
    return a >= b;
  };
  const evaluate = (node: FormulaNode): FormulaValue => {
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'field': {
        const value = readPath(record, node.path);
        if (isBlank(value) && blanksAsZero) return options.isNumberField?.(node.path) ? 0 : '';
        return value;
      }
      case 'unary': {
        const value = num(evaluate(node.operand), `unary ${node.op}`);
        return value === null ? null : node.op === '-' ? -value : value;
      }
      case 'binary': {
        const { op } = node;
        if (op === '&&') return truthy(evaluate(node.left)) && truthy(evaluate(node.right));
        if (op === '||') return truthy(evaluate(node.left)) || truthy(evaluate(node.right));
        const a = evaluate(node.left);
        const b = evaluate(node.right);
        if (op === '&' || (op === '+' && (typeof a === 'string' || typeof b === 'string')))
          return `${a ?? ''}${b ?? ''}`;
        if (['+', '-', '*', '/', '^'].includes(op)) {
          const x = num(a, op);
          const y = num(b, op);
          if (x === null || y === null) return null;
          if (op === '/' && y === 0) throw new FormulaError('division by zero', text);
          return op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x ** y;
        }
        return compare(op, a, b);
      }
      case 'call':
        return call(node.name, node.args);
    }
  };
  const call = (name: string, args: FormulaNode[]): FormulaValue => {
    const arity = (min: number, max = min): void => {
      if (args.length < min || args.length > max)
        throw new FormulaError(
          `${name} takes ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}`,
          text
        );
    };
    const arg = (i: number): FormulaValue => evaluate(args[i] as FormulaNode);
    switch (name) {
      case 'IF':
        arity(3);
        return truthy(arg(0)) ? arg(1) : arg(2);
      case 'AND':
        return args.every((_, i) => truthy(arg(i)));
      case 'OR':
        return args.some((_, i) => truthy(arg(i)));
      case 'NOT':
        arity(1);
        return !truthy(arg(0));
      case 'ISBLANK':
      case 'ISNULL':
        arity(1);
        return isBlank(arg(0));
      case 'BLANKVALUE':
      case 'NULLVALUE': {
        arity(2);
        const value = arg(0);
        return isBlank(value) ? arg(1) : value;
      }
      case 'ISPICKVAL':
        arity(2);
        return (arg(0) ?? '') === (arg(1) ?? '');
      case 'TEXT': {
        arity(1);
        const value = arg(0);
        return value === null ? '' : String(value);
      }
      case 'CASE': {
        if (args.length < 4 || args.length % 2 !== 0)
          throw new FormulaError('CASE takes an expression, value/result pairs and an else result', text);
        const subject = arg(0);
        for (let i = 1; i < args.length - 1; i += 2) if (compare('=', subject, arg(i))) return arg(i + 1);
        return arg(args.length - 1);
      }
      case 'ABS': {
        arity(1);
        const value = num(arg(0), 'ABS');
        return value === null ? null : Math.abs(value);
      }
      case 'ROUND': {
        arity(2);
        const value = num(arg(0), 'ROUND');
        const digits = num(arg(1), 'ROUND') ?? 0;
        return value === null ? null : roundHalfAwayFromZero(value, digits);
      }
      case 'MAX':
      case 'MIN': {
        const values = args.map((_, i) => num(arg(i), name));
        if (values.some((v) => v === null)) return null;
        return name === 'MAX' ? Math.max(...(values as number[])) : Math.min(...(values as number[]));
      }
      case 'LEN': {
        arity(1);
        return String(arg(0) ?? '').length;
      }
      default:
        throw new FormulaError(
          `function ${name} is not supported by scripts/metadata/formula.ts (add it there)`,
          text
        );
    }
  };
  return evaluate(tree);
}

/** Salesforce rounds half away from zero (ROUND(2.5, 0) = 3, ROUND(-2.5, 0) = -3). */
export function roundHalfAwayFromZero(value: number, digits: number): number {
  const factor = 10 ** digits;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor + Number.EPSILON)) / factor;
}
