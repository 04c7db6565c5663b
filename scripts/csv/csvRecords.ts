// The records of a CSV file, with the line where each one starts, as fast as the file allows.
//
// csv-parse reads a byte at a time in JavaScript (~3.5 µs a row here). Most rows of an export hold no
// quote at all, and such a row is only its bytes split at commas: those rows are split here, in one
// pass over the bytes. Every row that holds a quote (or an odd line ending) goes to csv-parse, together
// with the rows that follow it up to a point where csv-parse itself says a record ended, so that csv-parse
// keeps deciding what quotes, escaped quotes and quoted newlines mean. A file whose first line holds a
// quote, that starts with a UTF-16 BOM, or that ends its lines with a lone CR is read by csv-parse alone,
// from start to end, as before. `scripts/cli/__tests__/csvRecords.test.ts` checks that both ways give the
// same records, line numbers and errors on generated files.

import { parse, type CsvError, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export interface CsvRecordSink {
  /**
   * A record split without csv-parse (it holds no quote): field i is `bytes[starts[i], ends[i])` in
   * UTF-8. The arrays are reused: read them during the call only.
   */
  bytesRecord(bytes: Buffer, starts: Int32Array, ends: Int32Array, count: number, line: number): void;
  /** A record read by csv-parse. */
  textRecord(fields: string[], line: number): void;
  /** A record csv-parse could not read (e.g. a quote never closed), at the line where it starts. */
  unreadable(line: number, error: CsvError): void;
}

/** csv-parse failed as a whole (not a single record): the file is not CSV it can read. */
export class CsvParseFailure extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.name = 'CsvParseFailure';
  }
}

export type CsvReadMode = 'auto' | 'csv-parse';

export interface CsvRecordsOptions {
  /** 'csv-parse' reads the whole file with csv-parse (the reference the default way is tested against). */
  mode?: CsvReadMode;
  /** Bytes per read (default 4 MiB); tests make it small to cut rows and quoted fields across reads. */
  chunkBytes?: number;
}

/** The options under which csv-parse reads the responses file (the same in both ways of reading). */
const CSV_PARSE_OPTIONS: Options = {
  relax_column_count: true,
  // Keep a stray quote inside a field ("Good" but slow, a 5" screen) as text; the cells are still validated.
  // Strict quoting stays inside the quote after the error and swallows every row after it, unlisted.
  relax_quotes: true,
  skip_empty_lines: false,
  skip_records_with_error: true
};

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;
const CHUNK = 1 << 22; // 4 MiB a read (fewer than 20 reads for a million rows)
/** A run of quoted rows handed to csv-parse at once is cut after this many bytes (at a record end). */
const SEGMENT_BYTES = 1 << 20;

function countNewlines(fields: readonly string[]): number {
  let n = 0;
  for (const field of fields)
    for (let at = field.indexOf('\n'); at !== -1; at = field.indexOf('\n', at + 1)) n++;
  return n;
}

/**
 * Reads every record of `file` into `sink`, in order. `mode: 'csv-parse'` reads the whole file with
 * csv-parse (the reference the fast way is tested against). Throws the file system's error when the file
 * cannot be read, CsvParseFailure when csv-parse gives up on the file, and whatever the sink throws.
 */
export async function readCsvRecords(
  file: string,
  sink: CsvRecordSink,
  options: CsvRecordsOptions = {}
): Promise<void> {
  if (options.mode === 'csv-parse') return readWithCsvParse(file, sink);
  const handle = await open(file, 'r');
  let whole = false;
  try {
    whole = !(await new FastRecordReader(handle, sink, options.chunkBytes ?? CHUNK).read());
  } finally {
    await handle.close();
  }
  if (whole) await readWithCsvParse(file, sink);
}

/** The whole file through csv-parse, streaming (line numbers counted from the records, see below). */
async function readWithCsvParse(file: string, sink: CsvRecordSink): Promise<void> {
  // Line numbers are counted here rather than with csv-parse's `info` option (which copies its state
  // into a new object for every record and halves throughput): each record takes one line plus the
  // newlines inside its quoted fields; empty lines arrive as records and are counted too.
  let nextLine = 1;
  const parser = parse({
    ...CSV_PARSE_OPTIONS,
    bom: true,
    on_skip: (error: CsvError | undefined) => {
      if (!error) return;
      const endLine = (error as CsvError & { lines?: number }).lines ?? nextLine;
      sink.unreadable(nextLine, error);
      nextLine = Math.max(nextLine, endLine) + 1;
    }
  });
  await new Promise<void>((resolve, reject) => {
    const input = createReadStream(file);
    input.on('error', reject);
    parser.on('readable', () => {
      let record: string[] | null;
      while ((record = parser.read() as string[] | null) !== null) {
        const line = nextLine;
        nextLine += 1 + countNewlines(record);
        try {
          sink.textRecord(record, line);
        } catch (error) {
          parser.destroy();
          input.destroy();
          reject(error);
          return;
        }
      }
    });
    parser.on('error', (error) => reject(new CsvParseFailure(error)));
    parser.on('end', () => resolve());
    input.pipe(parser);
  });
}

type LineEnding = 'lf' | 'crlf' | 'csv-parse';

class FastRecordReader {
  private bytes: Buffer;
  /** Unread bytes are bytes[pos, end); the file is read up to `eof`. */
  private pos = 0;
  private end = 0;
  private eof = false;
  /** Index of the next quote at or after pos (or end when none is buffered): rows before it are quote-free. */
  private nextQuote = -1;
  private crlf = false;
  private line = 1;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);

  constructor(
    private readonly handle: FileHandle,
    private readonly sink: CsvRecordSink,
    chunkBytes: number
  ) {
    this.bytes = Buffer.alloc(Math.max(4, chunkBytes));
  }

  /** Reads the file; false (having read nothing into the sink) when it must go to csv-parse whole. */
  async read(): Promise<boolean> {
    let choice: LineEnding | 'more';
    do {
      await this.fill();
      choice = this.chooseLineEnding();
    } while (choice === 'more');
    if (choice === 'csv-parse') return false;
    this.crlf = choice === 'crlf';
    for (;;) {
      if (this.pos >= this.end) {
        if (this.eof) return true;
        await this.fill();
        continue;
      }
      if (this.splitRows()) continue;
      // The row at pos holds a quote or a CRLF file's lone LF (csv-parse decides), or its end is not read yet.
      const lineEnd = this.bytes.indexOf(LF, this.pos);
      const buffered = lineEnd !== -1 && lineEnd < this.end;
      if (!buffered && !this.eof) {
        await this.fill();
        continue;
      }
      if (buffered || this.quoteIn(this.pos, this.end)) await this.segment();
      else this.splitRow(this.pos, this.end, this.end); // the last row of the file, without a line ending
    }
  }

  /**
   * Picks the record delimiter as csv-parse would (the first CR or LF of the file, after a UTF-8 BOM):
   * LF or CRLF go fast; a lone CR, a UTF-16 BOM, or a quote before the first line ending go to csv-parse.
   */
  private chooseLineEnding(): LineEnding | 'more' {
    const b = this.bytes;
    if (this.end < 3 && !this.eof) return 'more';
    if (this.end >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'csv-parse';
    const from = this.end >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
    for (let i = from; i < this.end; i++) {
      const c = b[i] as number;
      if (c === QUOTE) return 'csv-parse';
      if (c === LF) {
        this.pos = from;
        return 'lf';
      }
      if (c === CR) {
        if (i + 1 >= this.end) return this.eof ? 'csv-parse' : 'more';
        if (b[i + 1] !== LF) return 'csv-parse';
        this.pos = from;
        return 'crlf';
      }
    }
    return this.eof ? 'csv-parse' : 'more'; // a file of one line: csv-parse copes
  }

  /** Reads more of the file, keeping bytes[pos, end) (moved to the start; a row longer than the buffer grows it). */
  private async fill(): Promise<void> {
    if (this.pos > 0) {
      const kept = this.end - this.pos;
      this.bytes.copyWithin(0, this.pos, this.end);
      this.pos = 0;
      this.end = kept;
    }
    if (this.end === this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown, 0, 0, this.end);
      this.bytes = grown;
    }
    this.nextQuote = -1;
    while (!this.eof && this.end < this.bytes.length) {
      const { bytesRead } = await this.handle.read(this.bytes, this.end, this.bytes.length - this.end, null);
      if (bytesRead === 0) this.eof = true;
      this.end += bytesRead;
    }
  }

  private quoteIn(from: number, to: number): boolean {
    if (this.nextQuote < from) {
      const at = this.bytes.indexOf(QUOTE, from);
      this.nextQuote = at === -1 || at >= this.end ? this.end : at;
    }
    return this.nextQuote < to;
  }

  /**
   * Splits the quote-free rows from pos on; stops (false) at a row that holds a quote, a row whose end
   * is not buffered yet, or a CRLF file's lone LF.
   */
  private splitRows(): boolean {
    const b = this.bytes;
    const end = this.end;
    let progressed = false;
    while (this.pos < end) {
      const start = this.pos;
      if (this.nextQuote < start) {
        const at = b.indexOf(QUOTE, start);
        this.nextQuote = at === -1 || at >= end ? end : at;
      }
      const lineEnd = b.indexOf(LF, start);
      if (lineEnd === -1 || lineEnd >= end) return progressed;
      if (this.nextQuote < lineEnd) return progressed;
      let contentEnd = lineEnd;
      if (this.crlf) {
        if (lineEnd === start || b[lineEnd - 1] !== CR) return progressed;
        contentEnd = lineEnd - 1;
      }
      this.splitRow(start, contentEnd, lineEnd + 1);
      progressed = true;
    }
    return progressed;
  }

  /** Hands the quote-free row bytes[start, contentEnd) to the sink and moves past it to `next`. */
  private splitRow(start: number, contentEnd: number, next: number): void {
    const b = this.bytes;
    // A row holds at most (length + 1) fields: make room once, then the loop only compares and stores.
    if (contentEnd - start + 1 > this.starts.length) this.growFields(contentEnd - start + 1);
    const starts = this.starts;
    const ends = this.ends;
    let count = 0;
    starts[0] = start;
    for (let i = start; i < contentEnd; i++) {
      if (b[i] === COMMA) {
        ends[count] = i;
        starts[++count] = i + 1;
      }
    }
    ends[count] = contentEnd;
    const line = this.line;
    this.line++;
    this.pos = next;
    this.sink.bytesRecord(b, starts, ends, count + 1, line);
  }

  private growFields(fields: number): void {
    this.starts = new Int32Array(Math.max(fields, this.starts.length * 2));
    this.ends = new Int32Array(this.starts.length);
  }

  /** Index just past the record end (LF, or CRLF in a CRLF file) at or after `from`, or -1 if not buffered. */
  private recordEndAfter(from: number): number {
    for (
      let at = this.bytes.indexOf(LF, from);
      at !== -1 && at < this.end;
      at = this.bytes.indexOf(LF, at + 1)
    ) {
      if (!this.crlf || (at > from && this.bytes[at - 1] === CR)) return at + 1;
    }
    return -1;
  }

  /**
   * Hands rows from pos to csv-parse: at least the current row and the quoted rows right after it, cut
   * where csv-parse ends a record. A cut inside a quoted field (csv-parse reports the quote unclosed) is
   * moved further until the quote closes or the file ends, where the unclosed quote is csv-parse's verdict.
   */
  private async segment(): Promise<void> {
    let wanted = 1; // record ends to include, at least
    for (;;) {
      let cut = this.pos;
      let ends = 0;
      while (ends < wanted) {
        const next = this.recordEndAfter(cut);
        if (next === -1) break;
        cut = next;
        ends++;
      }
      if (ends === wanted) {
        // Take the quoted (or CRLF-broken) rows that follow too: one csv-parse call for a run of them.
        while (cut - this.pos < SEGMENT_BYTES) {
          const next = this.recordEndAfter(cut);
          if (next === -1) break;
          const lineEnd = this.crlf ? next - 2 : next - 1;
          if (!this.quoteIn(cut, lineEnd) && !(this.crlf && this.bytes.indexOf(LF, cut) < lineEnd)) break;
          cut = next;
          ends++;
        }
      } else if (!this.eof) {
        await this.fill();
        continue;
      } else {
        cut = this.end; // the rest of the file
      }
      const final = cut === this.end && this.eof;
      if (this.parseSegment(cut, final)) return;
      wanted = ends * 2; // the cut fell inside a quoted field: take twice as many lines
    }
  }

  /** Parses bytes[pos, cut) with csv-parse; false (nothing handed over) when the cut fell inside a quote. */
  private parseSegment(cut: number, final: boolean): boolean {
    const events: (string[] | CsvError)[] = [];
    let unclosed = false;
    try {
      parseSync(this.bytes.subarray(this.pos, cut), {
        ...CSV_PARSE_OPTIONS,
        bom: false,
        record_delimiter: this.crlf ? '\r\n' : '\n',
        on_record: (record: string[]) => {
          events.push(record);
          return null;
        },
        on_skip: (error: CsvError | undefined) => {
          if (!error) return;
          if (error.code === 'CSV_QUOTE_NOT_CLOSED') unclosed = true;
          events.push(error);
        }
      });
    } catch (error) {
      throw new CsvParseFailure(error as Error);
    }
    if (unclosed && !final) return false;
    const base = this.line - 1;
    for (const event of events) {
      if (Array.isArray(event)) {
        const line = this.line;
        this.line += 1 + countNewlines(event);
        this.sink.textRecord(event, line);
      } else {
        const endLine = base + ((event as CsvError & { lines?: number }).lines ?? 1);
        this.sink.unreadable(this.line, event);
        this.line = Math.max(this.line, endLine) + 1;
      }
    }
    this.pos = cut;
    this.nextQuote = -1;
    return true;
  }
}
