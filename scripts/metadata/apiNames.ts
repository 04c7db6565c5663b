// Cross-check of the Salesforce API names that code uses against the metadata under force-app, so
// that code and metadata cannot drift apart silently (issue 3). It reads TypeScript with the
// TypeScript parser (comments are not code and are skipped) and LWC templates as text, and reports:
//   - a custom name (…__c, …__r, …__mdt) that is no object, field or relationship in force-app;
//   - a qualified name (NPS_Response__c.Key__c, CSM__r.Foo__c) whose field is not on that object;
//   - a SOQL query in a string whose fields, relationships or literal values do not fit its object;
//   - a value or type given to a field that its type cannot hold (Score__c: 'high', Metric__c: 'NPS',
//     Followed_Up__c: string, Responded_At__c: z.number()).
// A line that legitimately names something outside force-app (a customer's own field, an example in
// a message) carries the comment `api-names: ignore` on that line or on the line above.
//
// Dev and test tooling only: it imports `typescript` and the SOQL parser (devDependencies).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { listFiles } from './paths';
import { didYouMean, type FieldMetadata, type MetadataModel, type ObjectMetadata } from './objects';

/** A custom API name found in code, e.g. "Score__c", with what was written just before its dot, if anything. */
export interface ApiNameReference {
  file: string;
  line: number;
  name: string;
  /** "NPS_Response__c" in "NPS_Response__c.Score__c", "CSM__r" in "CSM__r.Email__c"; null when unqualified. */
  qualifier: string | null;
}

/** A value or type given to a field name: a property `Name__c: <literal or type>` in an object literal or a type. */
export interface TypedUse {
  file: string;
  line: number;
  name: string;
  /** What the code says the value is; empty when it cannot tell (a variable, a Date, a custom type). */
  kinds: ValueClass[];
  /** Literal text values given (checked against picklist values, date formats). */
  strings: string[];
}

export type ValueClass = 'string' | 'number' | 'boolean';

export interface SoqlUse {
  file: string;
  line: number;
  query: string;
}

export interface SourceScan {
  references: ApiNameReference[];
  typedUses: TypedUse[];
  soql: SoqlUse[];
}

export interface ApiNameProblem {
  file: string;
  line: number;
  name: string;
  message: string;
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*__(c|r|mdt)$/;
const DOTTED = /[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*/g;
const IGNORE = 'api-names: ignore';
const TEST_OR_BUILD_FOLDERS = new Set(['__tests__', 'test-support', 'torture', 'node_modules', 'dist']);

/**
 * The code to check: scripts/**\/*.ts and the components' .ts and .html, without tests (`__tests__`, the
 * torture suite, and `test-support`, whose fixtures define survey-tool objects of their own), declarations
 * and builds.
 */
export function defaultFilesToCheck(projectRoot: string): string[] {
  const skip = (file: string): boolean => {
    const rel = path.relative(projectRoot, file).split(path.sep);
    return rel.some((part) => TEST_OR_BUILD_FOLDERS.has(part)) || file.endsWith('.d.ts');
  };
  const scripts = listFiles(path.join(projectRoot, 'scripts'), (f) => f.endsWith('.ts') && !skip(f));
  const lwc = listFiles(
    path.join(projectRoot, 'force-app', 'main', 'default', 'lwc'),
    (f) => (f.endsWith('.ts') || f.endsWith('.html')) && !skip(f)
  );
  return [...scripts, ...lwc];
}

function ignoredLines(text: string): Set<number> {
  const lines = new Set<number>();
  text.split('\n').forEach((line, i) => {
    if (line.includes(IGNORE)) {
      lines.add(i + 1);
      lines.add(i + 2);
    }
  });
  return lines;
}

/** Custom API names in a piece of text (a string, a template, an HTML template), with their qualifiers. */
function namesInText(
  text: string,
  file: string,
  lineOf: (offset: number) => number,
  out: ApiNameReference[]
): void {
  for (const match of text.matchAll(DOTTED)) {
    const parts = match[0].split('.');
    parts.forEach((part, i) => {
      if (!API_NAME.test(part)) return;
      const previous = i > 0 ? (parts[i - 1] as string) : null;
      out.push({
        file,
        line: lineOf(match.index ?? 0),
        name: part,
        qualifier: previous && API_NAME.test(previous) ? previous : null
      });
    });
  }
}

function looksLikeSoql(text: string): boolean {
  return /^\s*SELECT\s[\s\S]*\sFROM\s+[A-Za-z_]/i.test(text);
}

function valueClassesOfType(node: ts.TypeNode): { kinds: ValueClass[]; strings: string[] } | null {
  const kinds: ValueClass[] = [];
  const strings: string[] = [];
  const visit = (type: ts.TypeNode): boolean => {
    if (ts.isUnionTypeNode(type)) return type.types.every(visit);
    if (ts.isParenthesizedTypeNode(type)) return visit(type.type);
    if (type.kind === ts.SyntaxKind.StringKeyword) kinds.push('string');
    else if (type.kind === ts.SyntaxKind.NumberKeyword) kinds.push('number');
    else if (type.kind === ts.SyntaxKind.BooleanKeyword) kinds.push('boolean');
    else if (type.kind === ts.SyntaxKind.NullKeyword || type.kind === ts.SyntaxKind.UndefinedKeyword)
      return true;
    else if (ts.isLiteralTypeNode(type)) {
      const literal = type.literal;
      if (literal.kind === ts.SyntaxKind.NullKeyword) return true;
      if (ts.isStringLiteral(literal)) {
        kinds.push('string');
        strings.push(literal.text);
      } else if (ts.isNumericLiteral(literal) || ts.isPrefixUnaryExpression(literal)) kinds.push('number');
      else if (literal.kind === ts.SyntaxKind.TrueKeyword || literal.kind === ts.SyntaxKind.FalseKeyword)
        kinds.push('boolean');
      else return false;
    } else if (ts.isTypeLiteralNode(type)) {
      // The UI API and GraphQL wrap values: { value: number | null; displayValue?: string }.
      const value = type.members.find((m) => ts.isPropertySignature(m) && m.name.getText() === 'value');
      return (
        value !== undefined && ts.isPropertySignature(value) && value.type !== undefined && visit(value.type)
      );
    } else return false;
    return true;
  };
  return visit(node) ? { kinds, strings } : null;
}

function valueClassesOfExpression(
  expression: ts.Expression
): { kinds: ValueClass[]; strings: string[] } | null {
  let e = expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))
    e = e.expression;
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e))
    return { kinds: ['string'], strings: [e.text] };
  if (ts.isNumericLiteral(e) || (ts.isPrefixUnaryExpression(e) && ts.isNumericLiteral(e.operand)))
    return { kinds: ['number'], strings: [] };
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword)
    return { kinds: ['boolean'], strings: [] };
  if (e.kind === ts.SyntaxKind.NullKeyword) return { kinds: [], strings: [] };
  // zod: the first call of the chain names the type (z.number().int().nullable(), z.coerce.boolean()).
  let call: ts.Expression = e;
  while (
    ts.isCallExpression(call) &&
    ts.isPropertyAccessExpression(call.expression) &&
    ts.isCallExpression(call.expression.expression)
  ) {
    call = call.expression.expression;
  }
  if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression)) {
    const chain = call.expression.getText().replace(/\s/g, '');
    const kind = /^z(\.coerce)?\.(string|number|boolean|literal|enum)$/.exec(chain);
    if (kind) {
      if (kind[2] === 'string' || kind[2] === 'number' || kind[2] === 'boolean')
        return { kinds: [kind[2]], strings: [] };
      const values = call.arguments.flatMap((a) => (ts.isArrayLiteralExpression(a) ? [...a.elements] : [a]));
      if (values.every((v) => ts.isStringLiteral(v)))
        return { kinds: ['string'], strings: values.map((v) => (v as ts.StringLiteral).text) };
      if (values.every((v) => ts.isNumericLiteral(v))) return { kinds: ['number'], strings: [] };
    }
  }
  return null;
}

/** Finds the custom API names, the typed uses of field names and the SOQL queries in one file. */
export function scanSource(file: string, text: string): SourceScan {
  const references: ApiNameReference[] = [];
  const typedUses: TypedUse[] = [];
  const soql: SoqlUse[] = [];
  const ignored = ignoredLines(text);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if ((lineStarts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  if (file.endsWith('.html')) {
    namesInText(text, file, lineOf, references);
  } else {
    const source = ts.createSourceFile(
      file,
      text,
      ts.ScriptTarget.Latest,
      true,
      file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS
    );
    const visit = (node: ts.Node): void => {
      const start = node.getStart(source);
      if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
        if (API_NAME.test(node.text)) {
          const parent = node.parent;
          const qualifier =
            parent &&
            ts.isPropertyAccessExpression(parent) &&
            parent.name === node &&
            ts.isPropertyAccessExpression(parent.expression)
              ? parent.expression.name.text
              : parent &&
                  ts.isPropertyAccessExpression(parent) &&
                  parent.name === node &&
                  ts.isIdentifier(parent.expression)
                ? parent.expression.text
                : null;
          references.push({
            file,
            line: lineOf(start),
            name: node.text,
            qualifier: qualifier && API_NAME.test(qualifier) ? qualifier : null
          });
        }
      } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        namesInText(node.text, file, (offset) => lineOf(start + 1 + offset), references);
        if (looksLikeSoql(node.text)) soql.push({ file, line: lineOf(start), query: node.text });
      } else if (ts.isTemplateExpression(node)) {
        const pieces = [node.head, ...node.templateSpans.map((s) => s.literal)];
        for (const piece of pieces)
          namesInText(piece.text, file, (offset) => lineOf(piece.getStart(source) + 1 + offset), references);
        const query = pieces.map((p) => p.text).join(' :bind ');
        if (looksLikeSoql(query)) soql.push({ file, line: lineOf(start), query });
      }
      if (
        (ts.isPropertyAssignment(node) || ts.isPropertySignature(node)) &&
        (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
        API_NAME.test(node.name.text)
      ) {
        const classes = ts.isPropertyAssignment(node)
          ? valueClassesOfExpression(node.initializer)
          : node.type
            ? valueClassesOfType(node.type)
            : null;
        if (classes)
          typedUses.push({
            file,
            line: lineOf(node.name.getStart(source)),
            name: node.name.text,
            ...classes
          });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const keep = <T extends { line: number }>(items: T[]): T[] =>
    items.filter((item) => !ignored.has(item.line));
  return { references: keep(references), typedUses: keep(typedUses), soql: keep(soql) };
}

// ---------------------------------------------------------------------------------------------------

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Where a name leads: the object a relationship or lookup points to, when that object is in force-app. */
function targetOf(model: MetadataModel, name: string): ObjectMetadata | undefined {
  const object = model.findObject(name);
  if (object) return object;
  if (name.endsWith('__r')) {
    const parents = new Set(
      model.objects.flatMap((o) =>
        o.fields
          .filter((f) => f.relationshipName && same(f.relationshipName, name))
          .map((f) => f.referenceTo ?? '')
      )
    );
    const children = new Set(model.findChildRelationships(null, name).map((f) => f.object));
    const targets = [...parents, ...children];
    return targets.length === 1 ? model.findObject(targets[0] as string) : undefined;
  }
  const lookups = new Set(
    model
      .fieldsNamed(name)
      .map((f) => f.referenceTo)
      .filter((r): r is string => r !== null)
  );
  return lookups.size === 1 ? model.findObject([...lookups][0] as string) : undefined;
}

function existsAnywhere(model: MetadataModel, name: string): boolean {
  if (name.endsWith('__mdt')) return model.findObject(name) !== undefined;
  if (name.endsWith('__r')) {
    return (
      model.objects.some((o) => o.fields.some((f) => f.relationshipName && same(f.relationshipName, name))) ||
      model.findChildRelationships(null, name).length > 0
    );
  }
  return model.findObject(name) !== undefined || model.fieldsNamed(name).length > 0;
}

function existsOn(model: MetadataModel, object: ObjectMetadata, name: string): boolean {
  if (name.endsWith('__r'))
    return (
      model.findParentRelationship(object.apiName, name) !== undefined ||
      model.findChildRelationships(object.apiName, name).length > 0
    );
  return object.fields.some((f) => same(f.apiName, name));
}

function allNames(model: MetadataModel): string[] {
  const names = new Set<string>();
  for (const object of model.objects) {
    names.add(object.apiName);
    for (const field of object.fields) {
      if (!field.custom) continue;
      names.add(field.apiName);
      if (field.relationshipName) names.add(field.relationshipName);
      if (field.childRelationshipName) names.add(field.childRelationshipName);
    }
  }
  return [...names];
}

function namesOn(model: MetadataModel, object: ObjectMetadata): string[] {
  return [
    ...object.fields.flatMap((f) => [f.apiName, ...(f.relationshipName ? [f.relationshipName] : [])]),
    ...model.objects.flatMap((o) =>
      o.fields
        .filter((f) => f.referenceTo && same(f.referenceTo, object.apiName) && f.childRelationshipName)
        .map((f) => f.childRelationshipName as string)
    )
  ];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Why `field` cannot hold a value of class `kind` (and, for text, `strings`); null when it can. */
function incompatibility(field: FieldMetadata, kind: ValueClass, strings: string[]): string | null {
  const holds: Record<ValueClass, boolean> = {
    string: ['string', 'id', 'date', 'datetime', 'time'].includes(field.valueKind),
    number: field.valueKind === 'number',
    boolean: field.valueKind === 'boolean'
  };
  if (!holds[kind])
    return `${field.object}.${field.apiName} is ${field.type} (${field.valueKind}), not ${kind}`;
  if (kind !== 'string') return null;
  for (const value of strings) {
    if (field.picklistValues && !field.picklistValues.some((p) => p.value === value)) {
      return `"${value}" is not a value of the picklist ${field.object}.${field.apiName} (${field.picklistValues.map((p) => `"${p.value}"`).join(', ')})`;
    }
    if (field.valueKind === 'date' && !ISO_DATE.test(value))
      return `"${value}" is not a date (YYYY-MM-DD) for ${field.object}.${field.apiName}`;
    if (field.valueKind === 'datetime' && !ISO_DATETIME.test(value))
      return `"${value}" is not an ISO 8601 date-time with offset for ${field.object}.${field.apiName}`;
  }
  return null;
}

/** Checks a value use against every field of that name: it must fit at least one of them. */
function checkValue(
  model: MetadataModel,
  name: string,
  kinds: ValueClass[],
  strings: string[],
  candidates?: FieldMetadata[]
): string | null {
  const fields = candidates ?? model.fieldsNamed(name);
  if (fields.length === 0) return null; // reported as an unknown name
  for (const kind of new Set(kinds)) {
    const reasons = fields.map((f) => incompatibility(f, kind, kind === 'string' ? strings : []));
    if (reasons.every((r) => r !== null)) return reasons.join('; ');
  }
  return null;
}

const LITERAL_CLASS: Record<string, ValueClass | 'date' | null> = {
  STRING: 'string',
  INTEGER: 'number',
  DECIMAL: 'number',
  INTEGER_WITH_CURRENCY_PREFIX: 'number',
  DECIMAL_WITH_CURRENCY_PREFIX: 'number',
  BOOLEAN: 'boolean',
  DATE: 'date',
  DATETIME: 'date',
  DATE_LITERAL: 'date',
  DATE_N_LITERAL: 'date'
};

type Json = Record<string, unknown>;

/** Checks one parsed query (or subquery) against `object`; `describe` names the query for messages. */
function checkQuery(
  model: MetadataModel,
  query: Json,
  object: ObjectMetadata | undefined,
  objectName: string,
  report: (name: string, message: string) => void
): void {
  const resolve = (pathText: string): FieldMetadata | undefined => {
    let current = object;
    const parts = pathText.split('.');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (!current) return undefined;
      const last = i === parts.length - 1;
      if (last) {
        const field = current.fields.find((f) => same(f.apiName, part));
        if (!field && API_NAME.test(part))
          report(
            part,
            `${part} is not a field of ${current.apiName}${didYouMean(
              part,
              current.fields.map((f) => f.apiName)
            )}`
          );
        return field;
      }
      const lookup = current.fields.find((f) => f.relationshipName && same(f.relationshipName, part));
      if (!lookup) {
        if (API_NAME.test(part))
          report(
            part,
            `${part} is not a relationship of ${current.apiName}${didYouMean(part, namesOn(model, current))}`
          );
        return undefined;
      }
      current = lookup.referenceTo ? model.findObject(lookup.referenceTo) : undefined;
    }
    return undefined;
  };
  const fieldsIn = (value: unknown): void => {
    if (typeof value === 'string') resolve(value);
    else if (value && typeof value === 'object' && Array.isArray((value as Json).parameters))
      ((value as Json).parameters as unknown[]).forEach(fieldsIn);
  };
  for (const item of (query.fields as Json[] | undefined) ?? []) {
    if (item.type === 'Field') resolve(item.field as string);
    else if (item.type === 'FieldRelationship')
      resolve([...(item.relationships as string[]), item.field as string].join('.'));
    else if (item.type === 'FieldFunctionExpression') fieldsIn(item);
    else if (item.type === 'FieldSubquery') {
      const sub = item.subquery as Json;
      const relationship = sub.relationshipName as string;
      const children = model.findChildRelationships(object?.apiName ?? objectName, relationship);
      if (children.length === 0) {
        if (API_NAME.test(relationship))
          report(relationship, `${relationship} is not a child relationship of ${objectName}`);
        continue;
      }
      const child = model.findObject((children[0] as FieldMetadata).object);
      checkQuery(model, sub, child, child?.apiName ?? relationship, report);
    }
  }
  const conditions = (clause: unknown): void => {
    if (!clause || typeof clause !== 'object') return;
    const c = clause as Json;
    const left = c.left as Json | null | undefined;
    if (left) {
      if (typeof left.field === 'string') {
        const field = resolve(left.field);
        if (left.valueQuery) {
          const inner = left.valueQuery as Json;
          const innerName = inner.sObject as string;
          checkQuery(model, inner, model.findObject(innerName), innerName, report);
        } else if (field) {
          const literalTypes = ([] as unknown[]).concat(left.literalType ?? []);
          const values = ([] as unknown[]).concat(left.value ?? []).map(String);
          literalTypes.forEach((type, i) => {
            const kind = LITERAL_CLASS[String(type)];
            if (!kind) return;
            if (kind === 'date') {
              if (field.valueKind !== 'date' && field.valueKind !== 'datetime')
                report(
                  field.apiName,
                  `${field.object}.${field.apiName} is ${field.type}, compared with a date in SOQL`
                );
              return;
            }
            const raw = values[i] ?? values[0] ?? '';
            const strings = kind === 'string' ? [raw.replace(/^'(.*)'$/s, '$1').replace(/\\'/g, "'")] : [];
            const problem = checkValue(
              model,
              field.apiName,
              [kind],
              left.operator === 'LIKE' ? [] : strings,
              [field]
            );
            if (problem) report(field.apiName, problem);
          });
        }
      }
      if (left.fn) fieldsIn(left.fn);
    }
    conditions(c.right);
  };
  conditions(query.where);
  conditions(query.having);
  for (const order of ([] as Json[]).concat((query.orderBy as Json[] | Json | undefined) ?? [])) {
    if (typeof order.field === 'string') resolve(order.field);
    if (order.fn) fieldsIn(order.fn);
  }
  for (const group of ([] as Json[]).concat((query.groupBy as Json[] | Json | undefined) ?? [])) {
    if (typeof group.field === 'string') resolve(group.field);
    if (group.fn) fieldsIn(group.fn);
  }
}

/** Checks scans of code against the metadata; returns every problem, each with its file and line. */
export function checkApiNames(model: MetadataModel, scans: SourceScan[]): ApiNameProblem[] {
  const problems: ApiNameProblem[] = [];
  const names = allNames(model);
  for (const scan of scans) {
    for (const ref of scan.references) {
      if (!existsAnywhere(model, ref.name)) {
        const kind = ref.name.endsWith('__r')
          ? 'relationship'
          : ref.name.endsWith('__mdt')
            ? 'custom metadata type'
            : 'object or field';
        problems.push({
          file: ref.file,
          line: ref.line,
          name: ref.name,
          message: `${ref.name} is no ${kind} in force-app${didYouMean(ref.name, names)}`
        });
        continue;
      }
      const target = ref.qualifier ? targetOf(model, ref.qualifier) : undefined;
      if (target && !existsOn(model, target, ref.name)) {
        problems.push({
          file: ref.file,
          line: ref.line,
          name: ref.name,
          message: `${ref.qualifier}.${ref.name}: ${ref.name} is not on ${target.apiName}${didYouMean(ref.name, namesOn(model, target))}`
        });
      }
    }
    for (const use of scan.typedUses) {
      const problem = checkValue(model, use.name, use.kinds, use.strings);
      if (problem) problems.push({ file: use.file, line: use.line, name: use.name, message: problem });
    }
    for (const use of scan.soql) {
      let parsed: Json;
      try {
        parsed = parseQuery(use.query, { allowApexBindVariables: true }) as unknown as Json;
      } catch {
        continue; // built from pieces the parser cannot see; the names in it are still checked above
      }
      const objectName = String(parsed.sObject ?? '');
      checkQuery(model, parsed, model.findObject(objectName), objectName, (name, message) =>
        problems.push({ file: use.file, line: use.line, name, message: `SOQL on ${objectName}: ${message}` })
      );
    }
  }
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Scans files from disk (see defaultFilesToCheck) and checks them. */
export function checkFiles(model: MetadataModel, files: string[]): ApiNameProblem[] {
  return checkApiNames(
    model,
    files.map((file) => scanSource(file, readFileSync(file, 'utf8')))
  );
}

/** One line per problem, "path:line  message", paths relative to `root`. */
export function formatProblems(problems: ApiNameProblem[], root: string): string {
  return problems.map((p) => `${path.relative(root, p.file)}:${p.line}  ${p.message}`).join('\n');
}
