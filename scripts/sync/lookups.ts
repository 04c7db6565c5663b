// Reading related records for many Ids in few calls: IN lists of 600 Ids a query (15-character Ids:
// the URL stays under Salesforce's 16 KB), several such queries in one composite request, or, above
// `fullScanAbove` Ids, one query without the Id filter (which goes through Bulk API 2.0 when large) —
// never a query per record.

import type { OrgApi, QueryItem, Row } from './orgApi';
import { isSalesforceId, soqlId } from './soql';

export const IDS_PER_QUERY = 600;

export interface FetchByIdsOptions {
  select: string;
  from: string;
  /** The field the Ids are matched on. */
  idField: string;
  ids: Iterable<string>;
  /** Extra condition, already escaped (joined with AND). */
  where?: string;
  orderBy?: string;
  /** Above this many Ids, read every row of the object (with `where`) instead of Id lists. */
  fullScanAbove?: number;
}

/** The queries that read the rows of these Ids (for runQueries, alone or with other queries). */
export function fetchByIdsItems(options: FetchByIdsOptions, onRows: (rows: Row[]) => void): QueryItem[] {
  const ids = [...new Set([...options.ids].filter((id) => isSalesforceId(id)).map((id) => id.slice(0, 15)))];
  if (ids.length === 0) return [];
  const order = options.orderBy ? ` ORDER BY ${options.orderBy}` : '';
  const fullScanAbove = options.fullScanAbove ?? IDS_PER_QUERY * 10;
  if (ids.length > fullScanAbove) {
    const wanted = new Set(ids);
    const where = options.where ? ` WHERE ${options.where}` : '';
    return [
      {
        soql: `SELECT ${options.select} FROM ${options.from}${where}${order}`,
        onPage: (rows) =>
          onRows(
            rows.filter((row) =>
              wanted.has(String(row.get(options.idField.toLowerCase()) ?? '').slice(0, 15))
            )
          )
      }
    ];
  }
  const items: QueryItem[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const list = ids
      .slice(i, i + IDS_PER_QUERY)
      .map(soqlId)
      .join(',');
    const where = `${options.idField} IN (${list})${options.where ? ` AND ${options.where}` : ''}`;
    items.push({
      soql: `SELECT ${options.select} FROM ${options.from} WHERE ${where}${order}`,
      onPage: onRows
    });
  }
  return items;
}

export async function fetchByIds(
  api: OrgApi,
  options: FetchByIdsOptions,
  onRows: (rows: Row[]) => void
): Promise<void> {
  await api.runQueries(fetchByIdsItems(options, onRows));
}

export function text(row: Row, path: string): string | null {
  const value = row.get(path.toLowerCase());
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

export function idOf(row: Row, path: string): string | null {
  const value = text(row, path);
  return value !== null && isSalesforceId(value) ? value : null;
}

/** A DateTime value from the API (REST `…+0000` or Bulk `…Z`) as epoch ms, or null. */
export function epochOf(row: Row, path: string): number | null {
  const value = text(row, path);
  if (value === null) return null;
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalized);
  return Number.isFinite(ms) ? ms : null;
}
