// Reads answers from a CSV in the DESIGN.md § CLI contract format, streaming, with the line number where
// each row starts, so that every rejected row can be named. Used by `csm-nps report` and the sync's CSV source.

import { parse, type CsvError } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { clip, parseRespondedAt, parseScore, UNASSIGNED } from 'c/npsCore';

export const DEFAULT_METRIC = 'Company NPS';
export const KNOWN_METRICS = ['Company NPS', 'CSM NPS'] as const;

export interface CsvResponse {
  /** Line where the row starts (the header is line 1; a quoted field holding newlines spans several lines). */
  line: number;
  responseId: string | null;
  respondedAt: { kind: 'instant'; epochMs: number } | { kind: 'date'; day: number };
  /** The respondedAt cell as written. */
  respondedAtText: string;
  score: number;
  csm: string;
  account: string | null;
  comment: string | null;
  metric: string;
}

export interface CsvRejectedRow {
  line: number;
  reason: string;
}

/** A problem with the file as a whole (cannot be read, no header, a required column missing): exit 1. */
export class CsvFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvFileError';
  }
}

const REQUIRED = ['responded_at', 'score', 'csm'] as const;
const OPTIONAL = ['response_id', 'account', 'comment', 'metric'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

function normalizeHeader(cell: string): string {
  return cell.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Canonical spelling of a metric name: "company nps" → "Company NPS"; other names are kept as written. */
export function canonicalMetric(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return DEFAULT_METRIC;
  const known = KNOWN_METRICS.find((m) => m.toLowerCase() === trimmed.toLowerCase());
  return known ?? trimmed;
}

export interface CsvReadHandlers {
  row(row: CsvResponse): void;
  reject(rejected: CsvRejectedRow): void;
  warn(message: string): void;
}

export interface CsvReadSummary {
  rowsRead: number;
  accepted: number;
  rejected: number;
}

/**
 * Streams the file through csv-parse (BOM, quoted commas and newlines). Every data row is either handed
 * to `row` or to `reject` with its line and reason; nothing is dropped silently. Throws CsvFileError when
 * the file cannot be read, is empty, or lacks a required column.
 */
export async function readResponsesCsv(file: string, handlers: CsvReadHandlers): Promise<CsvReadSummary> {
  const summary: CsvReadSummary = { rowsRead: 0, accepted: 0, rejected: 0 };
  let header: Map<Column, number> | null = null;
  let headerWidth = 0;
  // Line numbers are counted here rather than with csv-parse's `info` option (which copies its state
  // into a new object for every record and halves throughput): each record takes one line plus the
  // newlines inside its quoted fields; empty lines arrive as records and are counted, then skipped.
  let nextLine = 1;

  const reject = (line: number, reason: string): void => {
    summary.rejected++;
    handlers.reject({ line, reason });
  };

  const parser = parse({
    bom: true,
    relax_column_count: true,
    // Keep a stray quote inside a field ("Good" but slow, a 5" screen) as text; the cells are still validated.
    // Strict quoting stays inside the quote after the error and swallows every row after it, unlisted.
    relax_quotes: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      if (!error) return;
      const endLine = (error as CsvError & { lines?: number }).lines ?? nextLine;
      summary.rowsRead++;
      reject(nextLine, `the row could not be read as CSV (${describeCsvError(error)}); check its quotes`);
      nextLine = Math.max(nextLine, endLine) + 1;
    }
  });

  const handleRecord = (record: string[]): void => {
    const startLine = nextLine;
    nextLine += 1;
    for (let i = 0; i < record.length; i++) {
      const field = record[i] as string;
      for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) nextLine++;
    }
    if (record.length === 1 && record[0] === '') return; // an empty line
    if (header === null) {
      header = readHeader(record, startLine, handlers);
      headerWidth = record.length;
      return;
    }
    summary.rowsRead++;
    if (record.length !== headerWidth) {
      reject(
        startLine,
        `the row has ${record.length} field${record.length === 1 ? '' : 's'} but the header has ${headerWidth}: check for an unquoted comma or a missing field`
      );
      return;
    }
    const cell = (column: Column): string => {
      const index = (header as Map<Column, number>).get(column);
      return index === undefined ? '' : (record[index] ?? '');
    };
    const score = parseScore(cell('score'));
    if (!score.ok) return reject(startLine, score.reason);
    const respondedAtText = cell('responded_at').trim();
    const respondedAt = parseRespondedAt(respondedAtText);
    if (!respondedAt.ok) return reject(startLine, `responded_at: ${respondedAt.reason}`);
    const responseId = cell('response_id').trim();
    const csm = cell('csm').trim();
    const account = cell('account').trim();
    const comment = cell('comment');
    summary.accepted++;
    handlers.row({
      line: startLine,
      responseId: responseId === '' ? null : responseId,
      respondedAt: respondedAt.kind === 'date' ? { kind: 'date', day: respondedAt.day } : { kind: 'instant', epochMs: respondedAt.epochMs },
      respondedAtText,
      score: score.score,
      csm: csm === '' ? UNASSIGNED : csm,
      account: account === '' ? null : account,
      comment: comment.trim() === '' ? null : comment,
      metric: canonicalMetric(cell('metric'))
    });
  };

  await new Promise<void>((resolve, reject) => {
    const input = createReadStream(file);
    input.on('error', (error: NodeJS.ErrnoException) => reject(new CsvFileError(describeReadError(file, error))));
    parser.on('readable', () => {
      let record: string[] | null;
      while ((record = parser.read() as string[] | null) !== null) {
        try {
          handleRecord(record);
        } catch (error) {
          parser.destroy();
          input.destroy();
          reject(error);
          return;
        }
      }
    });
    parser.on('error', (error) => reject(new CsvFileError(`${file}: the CSV could not be parsed: ${error.message}`)));
    parser.on('end', () => resolve());
    input.pipe(parser);
  });

  if (header === null) {
    throw new CsvFileError(`${file} is empty: it needs a header row (responded_at,score,csm,…) and at least one answer`);
  }
  return summary;
}

function readHeader(record: string[], line: number, handlers: CsvReadHandlers): Map<Column, number> {
  const header = new Map<Column, number>();
  const known = new Set<string>([...REQUIRED, ...OPTIONAL]);
  const ignored: string[] = [];
  record.forEach((cell, index) => {
    const name = normalizeHeader(cell);
    if (!known.has(name)) {
      if (name !== '') ignored.push(clip(cell.trim(), 30));
      return;
    }
    if (header.has(name as Column)) {
      throw new CsvFileError(`line ${line}: the header names column "${name}" twice; keep one`);
    }
    header.set(name as Column, index);
  });
  const missing = REQUIRED.filter((c) => !header.has(c));
  if (missing.length > 0) {
    const found = record.map((c) => clip(c.trim(), 30)).join(', ');
    throw new CsvFileError(
      `line ${line}: the header has no column ${missing.map((m) => `"${m}"`).join(', ')}. ` +
        `Required: responded_at, score, csm (optional: response_id, account, comment, metric). Found: ${found || '(nothing)'}`
    );
  }
  if (ignored.length > 0) handlers.warn(`line ${line}: ignored column${ignored.length === 1 ? '' : 's'} ${ignored.map((c) => `"${c}"`).join(', ')}`);
  return header;
}

function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote closes a field but more characters follow it';
    default:
      return error.message.replace(/^[A-Za-z ]+: /, '');
  }
}

function describeReadError(file: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return `${file} does not exist: check the path given to --csv`;
    case 'EACCES':
      return `${file} cannot be read (permission denied)`;
    case 'EISDIR':
      return `${file} is a folder, not a CSV file`;
    default:
      return `${file} could not be read: ${error.message}`;
  }
}
