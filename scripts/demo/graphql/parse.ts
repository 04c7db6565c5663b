// A GraphQL parser for executable documents (GraphQL spec, October 2021, § 2 Language): operations with
// variables, fields with aliases and arguments, every kind of value, fragments, inline fragments and
// directives. The project has no `graphql` package, and the preview needs only to read the queries the
// components send; this is written from the spec's grammar, with its error positions (line and column).

export interface Location {
  line: number;
  column: number;
}

export class GraphqlSyntaxError extends Error {
  readonly location: Location;

  constructor(message: string, location: Location) {
    super(`Syntax Error: ${message}`);
    this.name = 'GraphqlSyntaxError';
    this.location = location;
  }
}

export type ValueNode =
  | { kind: 'Variable'; name: string; loc: Location }
  | { kind: 'Int'; value: string; loc: Location }
  | { kind: 'Float'; value: string; loc: Location }
  | { kind: 'String'; value: string; loc: Location }
  | { kind: 'Boolean'; value: boolean; loc: Location }
  | { kind: 'Null'; loc: Location }
  | { kind: 'Enum'; value: string; loc: Location }
  | { kind: 'List'; values: ValueNode[]; loc: Location }
  | { kind: 'Object'; fields: { name: string; value: ValueNode }[]; loc: Location };

export interface ArgumentNode {
  name: string;
  value: ValueNode;
  loc: Location;
}

export interface DirectiveNode {
  name: string;
  arguments: ArgumentNode[];
  loc: Location;
}

export interface FieldNode {
  kind: 'Field';
  alias: string | null;
  name: string;
  arguments: ArgumentNode[];
  directives: DirectiveNode[];
  selectionSet: SelectionNode[] | null;
  loc: Location;
}

export interface FragmentSpreadNode {
  kind: 'FragmentSpread';
  name: string;
  directives: DirectiveNode[];
  loc: Location;
}

export interface InlineFragmentNode {
  kind: 'InlineFragment';
  typeCondition: string | null;
  directives: DirectiveNode[];
  selectionSet: SelectionNode[];
  loc: Location;
}

export type SelectionNode = FieldNode | FragmentSpreadNode | InlineFragmentNode;

export type TypeNode =
  { kind: 'Named'; name: string } | { kind: 'List'; type: TypeNode } | { kind: 'NonNull'; type: TypeNode };

export interface VariableDefinitionNode {
  name: string;
  type: TypeNode;
  defaultValue: ValueNode | null;
  loc: Location;
}

export interface OperationDefinitionNode {
  kind: 'OperationDefinition';
  operation: 'query' | 'mutation' | 'subscription';
  name: string | null;
  variableDefinitions: VariableDefinitionNode[];
  directives: DirectiveNode[];
  selectionSet: SelectionNode[];
  loc: Location;
}

export interface FragmentDefinitionNode {
  kind: 'FragmentDefinition';
  name: string;
  typeCondition: string;
  directives: DirectiveNode[];
  selectionSet: SelectionNode[];
  loc: Location;
}

export interface DocumentNode {
  definitions: (OperationDefinitionNode | FragmentDefinitionNode)[];
}

type TokenKind = 'punctuator' | 'name' | 'int' | 'float' | 'string' | 'eof';

interface Token {
  kind: TokenKind;
  value: string;
  loc: Location;
}

const PUNCTUATORS = new Set(['!', '$', '&', '(', ')', ':', '=', '@', '[', ']', '{', '|', '}']);
const NAME_START = /[_A-Za-z]/;
const NAME_CONTINUE = /[_0-9A-Za-z]/;

/** Block string value (spec § 2.9.4 BlockStringValue): common indentation and blank edge lines removed. */
function blockStringValue(raw: string): string {
  const lines = raw.split(/\r\n|[\n\r]/);
  let common: number | null = null;
  for (const line of lines.slice(1)) {
    const indent = line.length - line.replace(/^[\t ]+/, '').length;
    if (indent < line.length && (common === null || indent < common)) common = indent;
  }
  const trimmed = lines.map((line, i) => (i === 0 || common === null ? line : line.slice(common)));
  while (trimmed.length > 0 && /^[\t ]*$/.test(trimmed[0] as string)) trimmed.shift();
  while (trimmed.length > 0 && /^[\t ]*$/.test(trimmed[trimmed.length - 1] as string)) trimmed.pop();
  return trimmed.join('\n');
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  const here = (at = pos): Location => ({ line, column: at - lineStart + 1 });
  const fail = (message: string, at = pos): never => {
    throw new GraphqlSyntaxError(message, here(at));
  };
  while (pos < source.length) {
    const ch = source[pos] as string;
    // Ignored tokens: white space, line terminators, commas, comments and the byte order mark.
    if (ch === ' ' || ch === '\t' || ch === ',' || ch === '\uFEFF') {
      pos++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      pos += ch === '\r' && source[pos + 1] === '\n' ? 2 : 1;
      line++;
      lineStart = pos;
      continue;
    }
    if (ch === '#') {
      while (pos < source.length && source[pos] !== '\n' && source[pos] !== '\r') pos++;
      continue;
    }
    const start = pos;
    if (PUNCTUATORS.has(ch)) {
      tokens.push({ kind: 'punctuator', value: ch, loc: here() });
      pos++;
      continue;
    }
    if (ch === '.') {
      if (source.startsWith('...', pos)) {
        tokens.push({ kind: 'punctuator', value: '...', loc: here() });
        pos += 3;
        continue;
      }
      fail('Unexpected ".", did you mean "..."?');
    }
    if (NAME_START.test(ch)) {
      while (pos < source.length && NAME_CONTINUE.test(source[pos] as string)) pos++;
      tokens.push({ kind: 'name', value: source.slice(start, pos), loc: here(start) });
      continue;
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(pos));
      if (!match) fail(`Invalid number, unexpected ${JSON.stringify(source[pos + 1] ?? '<EOF>')}`);
      const text = (match as RegExpExecArray)[0];
      const next = source[pos + text.length];
      if (next !== undefined && (NAME_START.test(next) || next === '.' || (next >= '0' && next <= '9')))
        fail(`Invalid number, unexpected ${JSON.stringify(next)}`, pos + text.length);
      tokens.push({ kind: match?.[2] || match?.[3] ? 'float' : 'int', value: text, loc: here(start) });
      pos += text.length;
      continue;
    }
    if (ch === '"') {
      if (source.startsWith('"""', pos)) {
        const end = source.indexOf('"""', pos + 3);
        if (end === -1) fail('Unterminated string.');
        const raw = source.slice(pos + 3, end).replace(/\\"""/g, '"""');
        const loc = here(start);
        for (let i = pos; i < end; i++) {
          if (source[i] === '\n' || (source[i] === '\r' && source[i + 1] !== '\n')) {
            line++;
            lineStart = i + 1;
          }
        }
        tokens.push({ kind: 'string', value: blockStringValue(raw), loc });
        pos = end + 3;
        continue;
      }
      let value = '';
      pos++;
      for (;;) {
        const c = source[pos];
        if (c === undefined || c === '\n' || c === '\r') fail('Unterminated string.');
        if (c === '"') break;
        if (c === '\\') {
          const escape = source[pos + 1];
          const simple: Record<string, string> = {
            '"': '"',
            '\\': '\\',
            '/': '/',
            b: '\b',
            f: '\f',
            n: '\n',
            r: '\r',
            t: '\t'
          };
          if (escape !== undefined && simple[escape] !== undefined) {
            value += simple[escape];
            pos += 2;
            continue;
          }
          if (escape === 'u') {
            const hex = /^[0-9a-fA-F]{4}/.exec(source.slice(pos + 2));
            if (!hex) fail('Invalid Unicode escape sequence.');
            value += String.fromCharCode(parseInt((hex as RegExpExecArray)[0], 16));
            pos += 6;
            continue;
          }
          fail(`Invalid character escape sequence: \\${escape ?? ''}.`);
        }
        value += c;
        pos++;
      }
      tokens.push({ kind: 'string', value, loc: here(start) });
      pos++;
      continue;
    }
    fail(`Unexpected character: ${JSON.stringify(ch)}.`);
  }
  tokens.push({ kind: 'eof', value: '<EOF>', loc: here() });
  return tokens;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  private get token(): Token {
    return this.tokens[this.index] as Token;
  }

  private describe(token: Token): string {
    return token.kind === 'eof' ? '<EOF>' : token.kind === 'string' ? 'string' : `"${token.value}"`;
  }

  private fail(message: string, token: Token = this.token): never {
    throw new GraphqlSyntaxError(message, token.loc);
  }

  private peek(value: string): boolean {
    return this.token.kind === 'punctuator' && this.token.value === value;
  }

  private skip(value: string): boolean {
    if (!this.peek(value)) return false;
    this.index++;
    return true;
  }

  private expect(value: string): Token {
    const token = this.token;
    if (!this.peek(value)) this.fail(`Expected "${value}", found ${this.describe(token)}.`);
    this.index++;
    return token;
  }

  private name(): string {
    const token = this.token;
    if (token.kind !== 'name') this.fail(`Expected Name, found ${this.describe(token)}.`);
    this.index++;
    return token.value;
  }

  private keyword(value: string): boolean {
    if (this.token.kind === 'name' && this.token.value === value) {
      this.index++;
      return true;
    }
    return false;
  }

  document(): DocumentNode {
    const definitions: DocumentNode['definitions'] = [];
    do {
      definitions.push(this.definition());
    } while (this.token.kind !== 'eof');
    return { definitions };
  }

  private definition(): OperationDefinitionNode | FragmentDefinitionNode {
    const token = this.token;
    if (this.peek('{')) {
      return {
        kind: 'OperationDefinition',
        operation: 'query',
        name: null,
        variableDefinitions: [],
        directives: [],
        selectionSet: this.selectionSet(),
        loc: token.loc
      };
    }
    if (token.kind === 'name') {
      if (token.value === 'query' || token.value === 'mutation' || token.value === 'subscription') {
        this.index++;
        const name = this.token.kind === 'name' ? this.name() : null;
        const variableDefinitions = this.variableDefinitions();
        const directives = this.directives(false);
        return {
          kind: 'OperationDefinition',
          operation: token.value,
          name,
          variableDefinitions,
          directives,
          selectionSet: this.selectionSet(),
          loc: token.loc
        };
      }
      if (token.value === 'fragment') {
        this.index++;
        const name = this.name();
        if (name === 'on') this.fail('Unexpected Name "on".');
        if (!this.keyword('on')) this.fail(`Expected "on", found ${this.describe(this.token)}.`);
        const typeCondition = this.name();
        const directives = this.directives(false);
        return {
          kind: 'FragmentDefinition',
          name,
          typeCondition,
          directives,
          selectionSet: this.selectionSet(),
          loc: token.loc
        };
      }
    }
    return this.fail(`Unexpected ${this.describe(token)}.`);
  }

  private variableDefinitions(): VariableDefinitionNode[] {
    const list: VariableDefinitionNode[] = [];
    if (!this.skip('(')) return list;
    do {
      const loc = this.expect('$').loc;
      const name = this.name();
      this.expect(':');
      const type = this.type();
      const defaultValue = this.skip('=') ? this.value(true) : null;
      this.directives(true);
      list.push({ name, type, defaultValue, loc });
    } while (!this.skip(')'));
    return list;
  }

  private type(): TypeNode {
    let type: TypeNode;
    if (this.skip('[')) {
      const inner = this.type();
      this.expect(']');
      type = { kind: 'List', type: inner };
    } else {
      type = { kind: 'Named', name: this.name() };
    }
    return this.skip('!') ? { kind: 'NonNull', type } : type;
  }

  private directives(isConst: boolean): DirectiveNode[] {
    const list: DirectiveNode[] = [];
    while (this.peek('@')) {
      const loc = this.expect('@').loc;
      list.push({ name: this.name(), arguments: this.arguments(isConst), loc });
    }
    return list;
  }

  private arguments(isConst: boolean): ArgumentNode[] {
    const list: ArgumentNode[] = [];
    if (!this.skip('(')) return list;
    do {
      const loc = this.token.loc;
      const name = this.name();
      this.expect(':');
      list.push({ name, value: this.value(isConst), loc });
    } while (!this.skip(')'));
    return list;
  }

  private selectionSet(): SelectionNode[] {
    const selections: SelectionNode[] = [];
    this.expect('{');
    do {
      selections.push(this.selection());
    } while (!this.skip('}'));
    return selections;
  }

  private selection(): SelectionNode {
    const token = this.token;
    if (this.skip('...')) {
      if (this.token.kind === 'name' && this.token.value !== 'on') {
        return {
          kind: 'FragmentSpread',
          name: this.name(),
          directives: this.directives(false),
          loc: token.loc
        };
      }
      const typeCondition = this.keyword('on') ? this.name() : null;
      const directives = this.directives(false);
      return {
        kind: 'InlineFragment',
        typeCondition,
        directives,
        selectionSet: this.selectionSet(),
        loc: token.loc
      };
    }
    const first = this.name();
    let alias: string | null = null;
    let name = first;
    if (this.skip(':')) {
      alias = first;
      name = this.name();
    }
    const args = this.arguments(false);
    const directives = this.directives(false);
    const selectionSet = this.peek('{') ? this.selectionSet() : null;
    return { kind: 'Field', alias, name, arguments: args, directives, selectionSet, loc: token.loc };
  }

  private value(isConst: boolean): ValueNode {
    const token = this.token;
    const loc = token.loc;
    switch (token.kind) {
      case 'punctuator':
        if (token.value === '$') {
          if (isConst) this.fail('Unexpected variable in a constant value.');
          this.index++;
          return { kind: 'Variable', name: this.name(), loc };
        }
        if (token.value === '[') {
          this.index++;
          const values: ValueNode[] = [];
          while (!this.skip(']')) values.push(this.value(isConst));
          return { kind: 'List', values, loc };
        }
        if (token.value === '{') {
          this.index++;
          const fields: { name: string; value: ValueNode }[] = [];
          while (!this.skip('}')) {
            const name = this.name();
            this.expect(':');
            fields.push({ name, value: this.value(isConst) });
          }
          return { kind: 'Object', fields, loc };
        }
        break;
      case 'int':
        this.index++;
        return { kind: 'Int', value: token.value, loc };
      case 'float':
        this.index++;
        return { kind: 'Float', value: token.value, loc };
      case 'string':
        this.index++;
        return { kind: 'String', value: token.value, loc };
      case 'name':
        this.index++;
        if (token.value === 'true' || token.value === 'false')
          return { kind: 'Boolean', value: token.value === 'true', loc };
        if (token.value === 'null') return { kind: 'Null', loc };
        return { kind: 'Enum', value: token.value, loc };
      default:
        break;
    }
    return this.fail(`Unexpected ${this.describe(token)}.`);
  }
}

/** Parses a GraphQL executable document; throws GraphqlSyntaxError with the line and column. */
export function parseGraphql(source: string): DocumentNode {
  return new Parser(tokenize(source)).document();
}
