// The sync's state in the org (NPS_Sync_State__c, one row per source, upserted by Key__c), so that any
// machine can run the next sync:
// - Watermark__c: source records changed at or after it are read next time;
// - Last_Run_Summary__c (JSON): what the last run did, plus two things a re-run needs — the months whose
//   snapshots a run set out to recompute and had not finished ("pendingMonths", written before the first
//   write: a run killed half-way leaves them for the next run), and the records already loaded at the
//   watermark's second ("boundary"), which a `>=` query reads again.

import { civilFromDay } from 'c/npsCore';
import { upsertSubrequest, type OrgApi, type Row, type SubRequest } from './orgApi';
import { soqlString } from './soql';

export const STATE_OBJECT = 'NPS_Sync_State__c';

export interface SyncStateSummary {
  status: 'running' | 'completed' | 'completed with failures';
  startedAt: string;
  finishedAt?: string;
  /** Months (`YYYY-MM`, org time zone) whose snapshots still need recomputing; ranges as `2025-01..2025-06`. */
  pendingMonths: string[];
  /** Every snapshot still needs recomputing (a full recompute was under way). */
  pendingAll?: boolean;
  /** What the snapshots were computed with (settings, calendar, CSM field): a change recomputes them all. */
  fingerprint?: string;
  /** Source records at the watermark's second that are loaded: `Id@SystemModstamp(ms)`. */
  boundary: string[];
  counts?: Record<string, number>;
  rejected?: { sourceId: string; reason: string }[];
  failed?: { sourceId: string; error: string }[];
  warnings?: string[];
}

export interface SyncState {
  id: string | null;
  key: string;
  watermark: number | null;
  summary: SyncStateSummary | null;
}

/** Month index: year·12 + (month − 1). */
export function monthIndexOfDay(day: number): number {
  const { year, month } = civilFromDay(day);
  return year * 12 + month - 1;
}

function monthLabel(index: number): string {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String(index - year * 12 + 1).padStart(2, '0')}`;
}

function parseMonth(label: string): number | null {
  const m = /^(\d{4})-(\d{2})$/.exec(label.trim());
  if (!m) return null;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? Number(m[1]) * 12 + month - 1 : null;
}

/** `["2025-01..2025-03", "2025-07"]` from a set of month indexes. */
export function encodeMonths(months: Iterable<number>): string[] {
  const sorted = [...new Set(months)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    out.push(
      i === j
        ? monthLabel(sorted[i] as number)
        : `${monthLabel(sorted[i] as number)}..${monthLabel(sorted[j] as number)}`
    );
    i = j + 1;
  }
  return out;
}

export function decodeMonths(encoded: readonly string[] | undefined): Set<number> {
  const out = new Set<number>();
  for (const item of encoded ?? []) {
    const [from, to] = item.split('..');
    const a = parseMonth(from ?? '');
    const b = to === undefined ? a : parseMonth(to);
    if (a === null || b === null) continue;
    for (let m = Math.min(a, b); m <= Math.max(a, b); m++) out.add(m);
  }
  return out;
}

function parseSummary(text: unknown): SyncStateSummary | null {
  if (typeof text !== 'string' || text.trim() === '') return null;
  try {
    const value = JSON.parse(text) as Partial<SyncStateSummary>;
    if (typeof value !== 'object' || value === null) return null;
    return {
      status: value.status ?? 'completed',
      startedAt: value.startedAt ?? '',
      finishedAt: value.finishedAt,
      pendingMonths: Array.isArray(value.pendingMonths)
        ? value.pendingMonths.filter((m) => typeof m === 'string')
        : [],
      pendingAll: value.pendingAll === true,
      fingerprint: typeof value.fingerprint === 'string' ? value.fingerprint : undefined,
      boundary: Array.isArray(value.boundary) ? value.boundary.filter((b) => typeof b === 'string') : []
    };
  } catch {
    return null; // written by hand or by an older version: start afresh rather than fail
  }
}

export function stateQuery(key: string): string {
  return `SELECT Id, Key__c, Watermark__c, Last_Run_Summary__c FROM ${STATE_OBJECT} WHERE Key__c = ${soqlString(key)} LIMIT 1`;
}

export function stateFromRows(key: string, rows: Row[]): SyncState {
  const row = rows[0];
  if (!row) return { id: null, key, watermark: null, summary: null };
  const watermarkText = row.get('watermark__c');
  const watermark = typeof watermarkText === 'string' ? Date.parse(watermarkText) : null;
  return {
    id: typeof row.get('id') === 'string' ? (row.get('id') as string) : null,
    key,
    watermark: watermark !== null && Number.isFinite(watermark) ? watermark : null,
    summary: parseSummary(row.get('last_run_summary__c'))
  };
}

const SUMMARY_LIMIT = 32_000;

/** The summary as stored: lists shortened so the JSON fits the Long Text Area (32,768 characters). */
export function serializeSummary(summary: SyncStateSummary): string {
  const copy: SyncStateSummary = { ...summary };
  let text = JSON.stringify(copy, null, 1);
  for (
    let keep = 50;
    text.length > SUMMARY_LIMIT && keep >= 0;
    keep = keep > 5 ? Math.floor(keep / 2) : keep - 1
  ) {
    copy.rejected = summary.rejected?.slice(0, keep);
    copy.failed = summary.failed?.slice(0, keep);
    copy.warnings = summary.warnings?.slice(0, keep);
    copy.boundary = summary.boundary.slice(0, Math.max(keep * 20, 0));
    text = JSON.stringify(copy, null, 1);
  }
  return text;
}

function stateRecord(
  key: string,
  fields: { watermark?: number | null; summary: SyncStateSummary }
): Record<string, unknown> {
  const record: Record<string, unknown> = {
    Key__c: key,
    Last_Run_At__c: new Date().toISOString(),
    Last_Run_Summary__c: serializeSummary(fields.summary)
  };
  if (fields.watermark !== undefined)
    record.Watermark__c = fields.watermark === null ? null : new Date(fields.watermark).toISOString();
  return record;
}

/** Writes the state (one API call). */
export async function writeState(
  api: OrgApi,
  key: string,
  fields: { watermark?: number | null; summary: SyncStateSummary }
): Promise<string | null> {
  const outcome = await api.upsert(STATE_OBJECT, 'Key__c', [stateRecord(key, fields)]);
  return outcome.failures[0]?.error ?? null;
}

/** The same write as a subrequest, to go out with other requests (read its answer with firstSaveError). */
export function stateWriteSubrequest(
  key: string,
  fields: { watermark?: number | null; summary: SyncStateSummary }
): SubRequest {
  return upsertSubrequest(STATE_OBJECT, 'Key__c', [stateRecord(key, fields)]);
}
