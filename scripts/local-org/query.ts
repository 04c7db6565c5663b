// Running compiled SOQL: REST `query`/`queryAll` pages with server-side cursors (`nextRecordsUrl`),
// and Bulk API 2.0 result sets streamed as CSV. A cursor is the ordered list of matching row ids,
// written once into a temporary table; a page is a range of that list joined back to the object
// tables, so that paging is O(page) whatever the page number, memory stays bounded by the page
// size, and every page of a result set reflects the moment the query ran (as in Salesforce).

import { SalesforceApiError } from './errors';
import { makeId } from './ids';
import type { AggregateQuery, CompiledQuery, CountQuery, QueryEnv, RecordsQuery } from './soql';
import { compileSoql } from './soql';
import type { Store } from './store';
import { csvEscape, toCsvText, toJson, type Stored } from './values';

/** Cursor lifetime when idle and the number one user may hold (Salesforce: 15 minutes, 10 cursors). */
const CURSOR_IDLE_MS = 15 * 60_000;
const CURSORS_PER_USER = 10;
const AGGREGATE_ROW_LIMIT = 2000;

export interface Cursor {
  id: string;
  query: RecordsQuery;
  firstSeq: number;
  count: number;
  userId: string;
  kind: 'rest' | 'bulk';
  batchSize: number;
  lastUsed: number;
}

export interface RestQueryResult {
  totalSize: number;
  done: boolean;
  records: Record<string, unknown>[];
  nextRecordsUrl?: string;
}

export class QueryEngine {
  private readonly store: Store;
  private readonly cursors = new Map<string, Cursor>();
  private cursorCounter = 1;

  constructor(store: Store) {
    this.store = store;
  }

  compile(soql: string, env: Omit<QueryEnv, 'objects' | 'nowMs'>): CompiledQuery {
    return compileSoql(soql, { ...env, objects: this.store.schema.objects, nowMs: this.store.nowMs() });
  }

  // --- REST ------------------------------------------------------------------------------------

  /** Runs a query and returns its first page (batchSize 200–2000). */
  runRest(query: CompiledQuery, batchSize: number, apiVersion: string, userId: string): RestQueryResult {
    if (query.kind === 'count') return { totalSize: this.count(query), done: true, records: [] };
    if (query.kind === 'aggregate') {
      const records = this.aggregate(query);
      return { totalSize: records.length, done: true, records };
    }
    const cursor = this.openCursor(query, userId, 'rest', batchSize);
    return this.restPage(cursor, 0, apiVersion);
  }

  /** The page of a cursor that starts at `offset` (the number after the dash in nextRecordsUrl). */
  nextRest(locator: string, apiVersion: string, userId: string): RestQueryResult {
    const m = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(locator);
    const cursor = m ? this.cursors.get(m[1] as string) : undefined;
    if (!m || !cursor || cursor.userId !== userId || cursor.kind !== 'rest') {
      throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    const offset = Number(m[2]);
    if (offset > cursor.count)
      throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return this.restPage(cursor, offset, apiVersion);
  }

  private restPage(cursor: Cursor, offset: number, apiVersion: string): RestQueryResult {
    cursor.lastUsed = Date.now();
    const end = Math.min(cursor.count, offset + cursor.batchSize);
    const rows = this.pageRows(cursor, offset, end);
    const urlBase = `/services/data/v${apiVersion}`;
    const records = rows.map((row) => buildRecord(row, cursor.query, urlBase));
    const done = end >= cursor.count;
    const result: RestQueryResult = { totalSize: cursor.count, done, records };
    if (!done) result.nextRecordsUrl = `${urlBase}/query/${cursor.id}-${end}`;
    return result;
  }

  count(query: CountQuery): number {
    const limit = query.limit ?? -1;
    const offset = query.offset ?? 0;
    const sql = `SELECT COUNT(*) AS n FROM (SELECT 1 ${query.joins} ${query.where} LIMIT ? OFFSET ?)`;
    const row = this.store.prepare<{ n: number }>(sql).get(...query.params, limit, offset);
    return row?.n ?? 0;
  }

  aggregate(query: AggregateQuery): Record<string, unknown>[] {
    const limit = query.limit ?? AGGREGATE_ROW_LIMIT + 1;
    const sql = `SELECT ${query.select.join(', ')} ${query.joins} ${query.where} ${query.groupBy} ${query.having} ${query.orderBy} LIMIT ? OFFSET ?`;
    const rows = this.store
      .prepare(sql)
      .raw(true)
      .all(...query.params, ...query.havingParams, limit, query.offset ?? 0) as unknown[][];
    if (rows.length > AGGREGATE_ROW_LIMIT) {
      throw new SalesforceApiError(
        400,
        'MALFORMED_QUERY',
        'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch'
      );
    }
    return rows.map((row) => {
      const record: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
      for (const out of query.outputs) record[out.key] = toJson(out, row[out.index]);
      return record;
    });
  }

  // --- cursors -----------------------------------------------------------------------------------

  openCursor(query: RecordsQuery, userId: string, kind: Cursor['kind'], batchSize: number): Cursor {
    this.sweep(userId, kind);
    const before =
      this.store.prepare<{ m: number | null }>('SELECT max(seq) AS m FROM temp.lo_cursor_rows').get()?.m ?? 0;
    const sql = `INSERT INTO temp.lo_cursor_rows (rid) SELECT t0._rowid ${query.joins} ${query.where} ${query.orderBy} LIMIT ? OFFSET ?`;
    const result = this.store.prepare(sql).run(...query.params, query.limit ?? -1, query.offset ?? 0);
    const id = makeId('01g', this.cursorCounter++);
    const cursor: Cursor = {
      id,
      query,
      firstSeq: before + 1,
      count: result.changes,
      userId,
      kind,
      batchSize,
      lastUsed: Date.now()
    };
    this.cursors.set(id, cursor);
    return cursor;
  }

  getCursor(id: string): Cursor | undefined {
    return this.cursors.get(id);
  }

  releaseCursor(id: string): void {
    const cursor = this.cursors.get(id);
    if (!cursor) return;
    this.cursors.delete(id);
    if (this.store.db.open && cursor.count > 0) {
      this.store
        .prepare('DELETE FROM temp.lo_cursor_rows WHERE seq BETWEEN ? AND ?')
        .run(cursor.firstSeq, cursor.firstSeq + cursor.count - 1);
    }
  }

  /** Drops REST cursors idle for 15 minutes and the oldest beyond 10 per user. */
  private sweep(userId: string, kind: Cursor['kind']): void {
    if (kind !== 'rest') return;
    const now = Date.now();
    const mine = [...this.cursors.values()].filter((c) => c.kind === 'rest');
    for (const c of mine) if (now - c.lastUsed > CURSOR_IDLE_MS) this.releaseCursor(c.id);
    const open = [...this.cursors.values()]
      .filter((c) => c.kind === 'rest' && c.userId === userId)
      .sort((a, b) => a.lastUsed - b.lastUsed);
    while (open.length >= CURSORS_PER_USER) this.releaseCursor((open.shift() as Cursor).id);
  }

  /** Rows [from, to) of a cursor, as raw arrays in SELECT order. */
  pageRows(cursor: Cursor, from: number, to: number): unknown[][] {
    if (to <= from) return [];
    const q = cursor.query;
    const sql = `SELECT ${q.select.join(', ')} FROM temp.lo_cursor_rows c JOIN "${q.object.table.replace(/"/g, '""')}" t0 ON t0._rowid = c.rid ${q.leftJoins} WHERE c.seq BETWEEN ? AND ? ORDER BY c.seq`;
    return this.store
      .prepare(sql)
      .raw(true)
      .all(cursor.firstSeq + from, cursor.firstSeq + to - 1) as unknown[][];
  }

  /**
   * Writes rows [from, to) of a cursor as CSV through `write`, in chunks so that memory stays
   * bounded; `write` resolves when the consumer can take more.
   */
  async streamCsv(
    cursor: Cursor,
    from: number,
    to: number,
    options: { header: boolean; delimiter: string; lineEnding: string },
    write: (chunk: string) => Promise<void>
  ): Promise<void> {
    const q = cursor.query;
    const { delimiter, lineEnding } = options;
    const escape = (text: string): string =>
      text.includes(delimiter) || /["\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    if (options.header) {
      await write(
        q.columns.map((c) => escape([...c.relPath, c.name].join('.'))).join(delimiter) + lineEnding
      );
    }
    const chunkSize = 5000;
    const columns = q.columns;
    for (let start = from; start < to; start += chunkSize) {
      const rows = this.pageRows(cursor, start, Math.min(to, start + chunkSize));
      let out = '';
      for (const row of rows) {
        let line = '';
        for (let i = 0; i < columns.length; i++) {
          const c = columns[i] as RecordsQuery['columns'][number];
          if (i > 0) line += delimiter;
          const value = row[c.index];
          if (value !== null && value !== undefined) line += escape(toCsvText(c, value));
        }
        out += line + lineEnding;
      }
      await write(out);
    }
  }

  closeAll(): void {
    this.cursors.clear();
  }
}

/** One REST record: `attributes`, then the selected fields, parents as nested objects (null when absent). */
export function buildRecord(row: unknown[], q: RecordsQuery, urlBase: string): Record<string, unknown> {
  const record: Record<string, unknown> = {
    attributes: { type: q.object.name, url: `${urlBase}/sobjects/${q.object.name}/${String(row[0])}` }
  };
  const relByPath = new Map<string, RecordsQuery['relationships'][number]>();
  for (const rel of q.relationships) relByPath.set(rel.path.join('.'), rel);
  for (const column of q.columns) {
    let container: Record<string, unknown> | null = record;
    for (let i = 0; i < column.relPath.length && container; i++) {
      const name = column.relPath[i] as string;
      if (!(name in container)) {
        const rel = relByPath.get(column.relPath.slice(0, i + 1).join('.'));
        const id = rel ? row[rel.idIndex] : null;
        if (id === null || id === undefined) {
          container[name] = null;
        } else {
          const type =
            rel?.objectName ??
            (rel?.typeIndex !== null && rel?.typeIndex !== undefined ? String(row[rel.typeIndex]) : 'Name');
          container[name] = { attributes: { type, url: `${urlBase}/sobjects/${type}/${String(id)}` } };
        }
      }
      container = container[name] as Record<string, unknown> | null;
    }
    if (container) container[column.name] = toJson(column, row[column.index]);
  }
  return record;
}

export { csvEscape };
export type { Stored };
