// Reading Metadata API source files (`*-meta.xml`). Values are kept as text (parseTagValue off) and
// converted explicitly, so "0.95" never becomes 0.95000001 and "00123" never loses its zeros.

import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An element: child elements by name (an array where the element repeats), text in '#text', attributes as '@_name'. */
export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

/** A problem in one metadata file: says which file (and line, where known) and what to do. */
export class MetadataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly line?: number
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${problem}`);
    this.name = 'MetadataFileError';
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true
});
const orderParser = new XMLParser({ ignoreAttributes: true, preserveOrder: true, parseTagValue: false });

/** Throws a MetadataFileError with the line of the first syntax error, if `xml` is not well-formed. */
export function assertWellFormed(xml: string, file: string): void {
  const result = XMLValidator.validate(xml);
  if (result !== true)
    throw new MetadataFileError(file, `is not well-formed XML: ${result.err.msg}`, result.err.line);
}

/** Parses a metadata file and returns its root element, which must be `<rootTag>`. */
export function readMetadataXml(file: string, rootTag: string): XmlNode {
  return parseMetadataXml(readFileSync(file, 'utf8'), file, rootTag);
}

export function parseMetadataXml(xml: string, file: string, rootTag: string): XmlNode {
  assertWellFormed(xml, file);
  const doc = parser.parse(xml) as XmlNode;
  const root = doc[rootTag];
  if (root === undefined) {
    const found = Object.keys(doc).filter((k) => !k.startsWith('?'));
    throw new MetadataFileError(file, `expected a <${rootTag}> document, found <${found.join('>, <')}>`);
  }
  return typeof root === 'object' && !Array.isArray(root) ? root : {};
}

/** The root element's name and, for each element, the names of its children in document order. */
export interface ElementTree {
  name: string;
  children: ElementTree[];
}

/** The element structure of a document (names only, in order), for checks such as element ordering. */
export function elementTree(xml: string, file: string): ElementTree {
  assertWellFormed(xml, file);
  type Ordered = Record<string, unknown>;
  const convert = (entry: Ordered): ElementTree | null => {
    const name = Object.keys(entry).find((k) => k !== ':@');
    if (!name || name === '#text' || name.startsWith('?')) return null;
    const kids = (entry[name] as Ordered[] | undefined) ?? [];
    return { name, children: kids.map(convert).filter((c): c is ElementTree => c !== null) };
  };
  const roots = (orderParser.parse(xml) as Ordered[])
    .map(convert)
    .filter((c): c is ElementTree => c !== null);
  if (roots.length !== 1)
    throw new MetadataFileError(file, `expected one root element, found ${roots.length}`);
  return roots[0] as ElementTree;
}

/** The element(s) named `key` as a list: absent → [], one → [it], repeated → all. */
export function list(node: XmlNode | undefined, key: string): XmlNode[] {
  const value = node?.[key];
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((v) => (typeof v === 'string' ? { '#text': v } : Array.isArray(v) ? {} : v));
}

/** Text of the child `key` (or of the node itself when `key` is omitted); undefined when absent. */
export function text(node: XmlNode | undefined, key?: string): string | undefined {
  const value = key === undefined ? node : node?.[key];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return text({ v: value[0] as XmlValue }, 'v');
  const inner = value['#text'];
  return typeof inner === 'string' ? inner : inner === undefined ? '' : String(inner);
}

/** Texts of every child `key`, e.g. all `<columns>` of a list view. */
export function texts(node: XmlNode | undefined, key: string): string[] {
  return list(node, key).map((n) => text(n) ?? '');
}

export function bool(node: XmlNode | undefined, key: string): boolean {
  return text(node, key) === 'true';
}

export function num(node: XmlNode | undefined, key: string, file: string): number | null {
  const raw = text(node, key);
  if (raw === undefined || raw === '') return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new MetadataFileError(file, `<${key}> must be a number, found "${raw}"`);
  return value;
}
