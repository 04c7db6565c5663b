// Reads answers from a CSV in the DESIGN.md § CLI contract format, streaming, with the line number where
// each row starts, so that every rejected row can be named. Used by `csm-nps report` and the sync's CSV source.
//
// Two ways to take the rows: readResponsesCsv hands over one plain object per answer; scanResponsesCsv
// hands over a reused view whose CSM and metric are already small integers (the same name always gets
// the same number), for callers that only count. Both validate the same way and reject the same rows.

import { isUtf8 } from 'node:buffer';
import type { CsvError } from 'csv-parse';
import { clip, parseRespondedAt, parseRespondedAtCodes, parseScore, UNASSIGNED } from 'c/npsCore';
import { ByteKeyTable, RepeatedKeyFinder } from './byteKeyTable';
import { CsvParseFailure, readCsvRecords, type CsvRecordSink, type CsvRecordsOptions } from './csvRecords';

export const DEFAULT_METRIC = 'Company NPS';
export const KNOWN_METRICS = ['Company NPS', 'CSM NPS'] as const;

export type RespondedAt = { kind: 'instant'; epochMs: number } | { kind: 'date'; day: number };

export interface CsvResponse {
  /** Line where the row starts (the header is line 1; a quoted field holding newlines spans several lines). */
  line: number;
  responseId: string | null;
  respondedAt: RespondedAt;
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
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
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

/** One valid answer, as scanResponsesCsv hands it over. The object is reused: read it during the call. */
export interface CsvAnswer {
  /** Line where the row starts (the header is line 1). */
  readonly line: number;
  readonly score: number;
  readonly respondedAt: RespondedAt;
  /** The CSM (trimmed; empty is Unassigned) as a small integer: name through ResponsesCsvScan.csmName. */
  readonly csmId: number;
  /** The metric (canonical spelling) as a small integer: name through ResponsesCsvScan.metricName. */
  readonly metricId: number;
  /** 0 for the first valid answer, then 1, 2…: how ResponsesCsvScan.forEachRepeatedResponseId names answers. */
  readonly ordinal: number;
  responseId(): string | null;
  respondedAtText(): string;
  account(): string | null;
  comment(): string | null;
}

export interface CsvAnswerHandlers {
  answer(answer: CsvAnswer, scan: ResponsesCsvScan): void;
  reject(rejected: CsvRejectedRow): void;
  warn(message: string): void;
}

export interface CsvReadOptions extends CsvRecordsOptions {
  /** Keep each answer's response_id so that forEachRepeatedResponseId can name the repeated ones. */
  findRepeatedIds?: boolean;
  /** Where the file's path was given, for the message when it cannot be opened (default: `--csv`). */
  pathGivenIn?: string;
}

/** U+FFFD REPLACEMENT CHARACTER in UTF-8. */
const REPLACEMENT_UTF8 = Buffer.from([0xef, 0xbf, 0xbd]);
const DIGIT_0 = 48;

/**
 * The validation of each record, for records split from bytes and records read by csv-parse alike.
 * Names are interned once per distinct spelling, so a row costs no string for its CSM or metric.
 */
export class ResponsesCsvScan implements CsvRecordSink {
  readonly summary: CsvReadSummary = { rowsRead: 0, accepted: 0, rejected: 0 };
  private header: Map<Column, number> | null = null;
  private headerWidth = 0;
  private colScore = -1;
  private colAt = -1;
  private colCsm = -1;
  private colId = -1;
  private colAccount = -1;
  private colComment = -1;
  private colMetric = -1;
  private readonly csmNames: string[] = [];
  private readonly csmIds = new Map<string, number>();
  private readonly csmSpellings = new ByteKeyTable();
  private readonly csmOfSpelling: number[] = [];
  private readonly metricNames: string[] = [];
  private readonly metricIds = new Map<string, number>();
  private readonly metricSpellings = new ByteKeyTable();
  private readonly metricOfSpelling: number[] = [];
  private lastMetricSpelling = -1;
  private readonly responseIds: RepeatedKeyFinder | null;
  private readonly answer = new ScannedAnswer(this);

  constructor(
    private readonly handlers: CsvAnswerHandlers,
    findRepeatedIds = false
  ) {
    this.responseIds = findRepeatedIds ? new RepeatedKeyFinder() : null;
  }

  /**
   * Calls `repeated` once per response_id (trimmed) that more than one valid answer carries, with their
   * ordinals in file order (needs `findRepeatedIds`). Ids are compared as UTF-8 text, exactly.
   */
  forEachRepeatedResponseId(repeated: (ordinals: number[], responseId: string) => void): void {
    if (this.responseIds === null)
      throw new Error('scanResponsesCsv was not asked to find repeated ids (findRepeatedIds)');
    this.responseIds.forEachRepeated(repeated);
  }

  csmName(id: number): string {
    return this.csmNames[id] as string;
  }

  metricName(id: number): string {
    return this.metricNames[id] as string;
  }

  /** Number of distinct CSMs and metrics seen so far (ids are below these). */
  get csmCount(): number {
    return this.csmNames.length;
  }

  get metricCount(): number {
    return this.metricNames.length;
  }

  get hasHeader(): boolean {
    return this.header !== null;
  }

  bytesRecord(bytes: Buffer, starts: Int32Array, ends: Int32Array, count: number, line: number): void {
    if (count === 1 && starts[0] === ends[0]) return; // an empty line
    if (this.header === null) {
      const cells: string[] = [];
      for (let i = 0; i < count; i++) cells.push(bytes.toString('utf8', starts[i], ends[i]));
      this.takeHeader(cells, line);
      return;
    }
    this.summary.rowsRead++;
    if (count !== this.headerWidth) return this.rejectWidth(line, count);
    if (count > 0) {
      const span = bytes.subarray(starts[0] as number, ends[count - 1] as number);
      if (!isUtf8(span) || span.includes(REPLACEMENT_UTF8)) {
        let field = 0;
        while (field < count - 1) {
          const cell = bytes.subarray(starts[field] as number, ends[field] as number);
          if (!isUtf8(cell) || cell.includes(REPLACEMENT_UTF8)) break;
          field++;
        }
        return this.rejectEncoding(line, field);
      }
    }
    let start = starts[this.colScore] as number;
    let end = ends[this.colScore] as number;
    // The common shapes "0"…"9" and "10" directly; anything else through parseScore for its verdict.
    let score = -1;
    if (end - start === 1) {
      const digit = (bytes[start] as number) - DIGIT_0;
      if (digit >= 0 && digit <= 9) score = digit;
    } else if (end - start === 2 && bytes[start] === DIGIT_0 + 1 && bytes[start + 1] === DIGIT_0) {
      score = 10;
    }
    if (score === -1) {
      const parsed = parseScore(bytes.toString('utf8', start, end));
      if (!parsed.ok) return this.reject(line, parsed.reason);
      score = parsed.score;
    }
    start = starts[this.colAt] as number;
    end = ends[this.colAt] as number;
    // The common shapes from the bytes; anything else (spaces around it too) through the text.
    let respondedAt = parseRespondedAtCodes(bytes, start, end);
    if (respondedAt === null) {
      respondedAt = parseRespondedAt(bytes.toString('utf8', start, end).trim());
      if (!respondedAt.ok) return this.reject(line, `responded_at: ${respondedAt.reason}`);
    } else if (!respondedAt.ok) {
      return this.reject(line, `responded_at: ${respondedAt.reason}`);
    }
    start = starts[this.colCsm] as number;
    end = ends[this.colCsm] as number;
    let spelling = this.csmSpellings.intern(bytes, start, end);
    if (spelling === this.csmOfSpelling.length)
      this.csmOfSpelling.push(this.csmIdOf(bytes.toString('utf8', start, end)));
    const csmId = this.csmOfSpelling[spelling] as number;
    let metricId: number;
    if (this.colMetric === -1) {
      metricId = this.metricIdOf('');
    } else {
      start = starts[this.colMetric] as number;
      end = ends[this.colMetric] as number;
      // Most files hold one or two metrics: the last spelling again costs one comparison.
      spelling = this.lastMetricSpelling;
      if (spelling === -1 || !this.metricSpellings.equals(spelling, bytes, start, end)) {
        spelling = this.metricSpellings.intern(bytes, start, end);
        if (spelling === this.metricOfSpelling.length)
          this.metricOfSpelling.push(this.metricIdOf(bytes.toString('utf8', start, end)));
        this.lastMetricSpelling = spelling;
      }
      metricId = this.metricOfSpelling[spelling] as number;
    }
    const ordinal = this.summary.accepted++;
    if (this.responseIds !== null && this.colId !== -1)
      this.keepIdBytes(ordinal, bytes, starts[this.colId] as number, ends[this.colId] as number);
    this.answer.fromBytes(line, ordinal, score, respondedAt, csmId, metricId, bytes, starts, ends);
    this.handlers.answer(this.answer, this);
  }

  textRecord(record: string[], line: number): void {
    if (record.length === 1 && record[0] === '') return; // an empty line
    if (this.header === null) {
      this.takeHeader(record, line);
      return;
    }
    this.summary.rowsRead++;
    if (record.length !== this.headerWidth) return this.rejectWidth(line, record.length);
    // csv-parse decodes as UTF-8 and turns bytes that are not UTF-8 into U+FFFD.
    const damaged = record.findIndex((field) => field.includes('\ufffd'));
    if (damaged !== -1) return this.rejectEncoding(line, damaged);
    const score = parseScore(record[this.colScore]);
    if (!score.ok) return this.reject(line, score.reason);
    const respondedAtText = (record[this.colAt] as string).trim();
    const respondedAt = parseRespondedAt(respondedAtText);
    if (!respondedAt.ok) return this.reject(line, `responded_at: ${respondedAt.reason}`);
    const csmId = this.csmIdOf(record[this.colCsm] as string);
    const metricId = this.metricIdOf(this.colMetric === -1 ? '' : (record[this.colMetric] as string));
    const ordinal = this.summary.accepted++;
    if (this.responseIds !== null && this.colId !== -1)
      this.keepIdText(ordinal, record[this.colId] as string);
    this.answer.fromText(line, ordinal, score.score, respondedAt, respondedAtText, csmId, metricId, record);
    this.handlers.answer(this.answer, this);
  }

  /**
   * A row with bytes that are not UTF-8 (or U+FFFD, what a wrong decoding left behind) is rejected rather
   * than loaded with its text silently altered.
   */
  private rejectEncoding(line: number, field: number): void {
    const name = [...(this.header ?? new Map<Column, number>())].find(([, index]) => index === field)?.[0];
    this.reject(
      line,
      `${name ? `column "${name}"` : `field ${field + 1}`} is not valid UTF-8 (bytes that are not UTF-8, or U+FFFD left by an earlier wrong decoding): save the file as UTF-8 and run again`
    );
  }

  unreadable(line: number, error: CsvError): void {
    this.summary.rowsRead++;
    this.reject(line, `the row could not be read as CSV (${describeCsvError(error)}); check its quotes`);
  }

  /** Field `column` of the current record, as written (undefined when the header lacks the column). */
  columnIndex(column: 'id' | 'account' | 'comment' | 'responded_at'): number {
    switch (column) {
      case 'id':
        return this.colId;
      case 'account':
        return this.colAccount;
      case 'comment':
        return this.colComment;
      default:
        return this.colAt;
    }
  }

  private keepIdBytes(ordinal: number, bytes: Uint8Array, start: number, end: number): void {
    // Plain ASCII without space at either end is already its trimmed UTF-8 form: keep the bytes as they are.
    const plain = end > start && (bytes[start] as number) > 0x20 && (bytes[end - 1] as number) > 0x20;
    if (plain && (this.responseIds as RepeatedKeyFinder).addIfAscii(ordinal, bytes, start, end, true)) return;
    this.keepIdText(
      ordinal,
      Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8')
    );
  }

  private keepIdText(ordinal: number, cell: string): void {
    const trimmed = cell.trim();
    if (trimmed === '') return;
    const utf8 = Buffer.from(trimmed, 'utf8');
    (this.responseIds as RepeatedKeyFinder).add(ordinal, utf8, 0, utf8.length);
  }

  private csmIdOf(cell: string): number {
    const trimmed = cell.trim();
    const name = trimmed === '' ? UNASSIGNED : trimmed;
    let id = this.csmIds.get(name);
    if (id === undefined) {
      id = this.csmNames.length;
      this.csmNames.push(name);
      this.csmIds.set(name, id);
    }
    return id;
  }

  private metricIdOf(cell: string): number {
    const name = canonicalMetric(cell);
    let id = this.metricIds.get(name);
    if (id === undefined) {
      id = this.metricNames.length;
      this.metricNames.push(name);
      this.metricIds.set(name, id);
    }
    return id;
  }

  private takeHeader(record: string[], line: number): void {
    const header = readHeader(record, line, this.handlers);
    this.header = header;
    this.headerWidth = record.length;
    const at = (column: Column): number => header.get(column) ?? -1;
    this.colScore = at('score');
    this.colAt = at('responded_at');
    this.colCsm = at('csm');
    this.colId = at('response_id');
    this.colAccount = at('account');
    this.colComment = at('comment');
    this.colMetric = at('metric');
  }

  private rejectWidth(line: number, count: number): void {
    this.reject(
      line,
      `the row has ${count} field${count === 1 ? '' : 's'} but the header has ${this.headerWidth}: check for an unquoted comma or a missing field`
    );
  }

  private reject(line: number, reason: string): void {
    this.summary.rejected++;
    this.handlers.reject({ line, reason });
  }
}

/** The answer being handed over: numbers set per row, text cells decoded only when asked for. */
class ScannedAnswer implements CsvAnswer {
  line = 0;
  ordinal = 0;
  score = 0;
  respondedAt: RespondedAt = { kind: 'date', day: 0 };
  csmId = 0;
  metricId = 0;
  /** The responded_at cell, trimmed (decoded when first asked for). */
  private atText: string | null = null;
  private bytes: Buffer | null = null;
  private starts: Int32Array | null = null;
  private ends: Int32Array | null = null;
  private record: string[] | null = null;

  constructor(private readonly scan: ResponsesCsvScan) {}

  fromBytes(
    line: number,
    ordinal: number,
    score: number,
    respondedAt: RespondedAt,
    csmId: number,
    metricId: number,
    bytes: Buffer,
    starts: Int32Array,
    ends: Int32Array
  ): void {
    this.set(line, ordinal, score, respondedAt, null, csmId, metricId);
    this.bytes = bytes;
    this.starts = starts;
    this.ends = ends;
    this.record = null;
  }

  fromText(
    line: number,
    ordinal: number,
    score: number,
    respondedAt: RespondedAt,
    atText: string,
    csmId: number,
    metricId: number,
    record: string[]
  ): void {
    this.set(line, ordinal, score, respondedAt, atText, csmId, metricId);
    this.record = record;
    this.bytes = null;
  }

  private set(
    line: number,
    ordinal: number,
    score: number,
    respondedAt: RespondedAt,
    atText: string | null,
    csmId: number,
    metricId: number
  ): void {
    this.line = line;
    this.ordinal = ordinal;
    this.score = score;
    this.respondedAt = respondedAt;
    this.atText = atText;
    this.csmId = csmId;
    this.metricId = metricId;
  }

  respondedAtText(): string {
    if (this.atText === null) this.atText = this.cell('responded_at').trim();
    return this.atText;
  }

  private cell(column: 'id' | 'account' | 'comment' | 'responded_at'): string {
    const index = this.scan.columnIndex(column);
    if (index === -1) return '';
    if (this.record !== null) return this.record[index] as string;
    return (this.bytes as Buffer).toString(
      'utf8',
      (this.starts as Int32Array)[index],
      (this.ends as Int32Array)[index]
    );
  }

  responseId(): string | null {
    const id = this.cell('id').trim();
    return id === '' ? null : id;
  }

  account(): string | null {
    const account = this.cell('account').trim();
    return account === '' ? null : account;
  }

  comment(): string | null {
    const comment = this.cell('comment');
    return comment.trim() === '' ? null : comment;
  }
}

function fileErrorOf(file: string, error: unknown, pathGivenIn = '--csv'): unknown {
  if (error instanceof CsvParseFailure)
    return new CsvFileError(`${file}: the CSV could not be parsed: ${error.message}`);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (
    typeof code === 'string' &&
    /^E[A-Z]+$/.test(code) &&
    (error as NodeJS.ErrnoException).syscall !== undefined
  ) {
    return new CsvFileError(describeReadError(file, error as NodeJS.ErrnoException, pathGivenIn));
  }
  return error;
}

/**
 * Reads the file (BOM, quoted commas and newlines; csv-parse decides every row that holds a quote).
 * Every data row is either handed to `answer` or to `reject` with its line and reason; nothing is dropped
 * silently. Throws CsvFileError when the file cannot be read, is empty, or lacks a required column.
 */
export async function scanResponsesCsv(
  file: string,
  handlers: CsvAnswerHandlers,
  options: CsvReadOptions = {}
): Promise<ResponsesCsvScan> {
  const scan = new ResponsesCsvScan(handlers, options.findRepeatedIds ?? false);
  try {
    await readCsvRecords(file, scan, options);
  } catch (error) {
    throw fileErrorOf(file, error, options.pathGivenIn);
  }
  if (!scan.hasHeader) {
    throw new CsvFileError(
      `${file} is empty: it needs a header row (responded_at,score,csm,…) and at least one answer`
    );
  }
  return scan;
}

/** Like scanResponsesCsv, with one plain object per valid answer. */
export async function readResponsesCsv(
  file: string,
  handlers: CsvReadHandlers,
  options: CsvReadOptions = {}
): Promise<CsvReadSummary> {
  const scan = await scanResponsesCsv(
    file,
    {
      warn: handlers.warn,
      reject: handlers.reject,
      answer: (answer, names) => {
        const at = answer.respondedAt;
        handlers.row({
          line: answer.line,
          responseId: answer.responseId(),
          respondedAt:
            at.kind === 'date' ? { kind: 'date', day: at.day } : { kind: 'instant', epochMs: at.epochMs },
          respondedAtText: answer.respondedAtText(),
          score: answer.score,
          csm: names.csmName(answer.csmId),
          account: answer.account(),
          comment: answer.comment(),
          metric: names.metricName(answer.metricId)
        });
      }
    },
    options
  );
  return { ...scan.summary };
}

function readHeader(
  record: string[],
  line: number,
  handlers: Pick<CsvReadHandlers, 'warn'>
): Map<Column, number> {
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
  if (ignored.length > 0)
    handlers.warn(
      `line ${line}: ignored column${ignored.length === 1 ? '' : 's'} ${ignored.map((c) => `"${c}"`).join(', ')}`
    );
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

function describeReadError(file: string, error: NodeJS.ErrnoException, pathGivenIn: string): string {
  switch (error.code) {
    case 'ENOENT':
      return `${file} does not exist: check the path given to ${pathGivenIn}`;
    case 'EACCES':
      return `${file} cannot be read (permission denied)`;
    case 'EISDIR':
      return `${file} is a folder, not a CSV file`;
    default:
      return `${file} could not be read: ${error.message}`;
  }
}
