// NPS_Snapshot__c: one CSM × metric × period, computed by the core from the responses in the org (the
// org is the source of truth: responses of every source count, and a re-run after a crash computes the
// same thing). Only the periods that changed are recomputed — with the following period, whose change
// and goal depend on them — and every CSM of such a period is recomputed, since the shrinkage prior pools
// the whole period. Snapshots of those periods whose group has no response any more are deleted.

import {
  checkNumericScore,
  computeGroupResults,
  formatDay,
  GOAL_PICKLIST,
  LocalDayResolver,
  NpsAggregator,
  periodIndexOfDay,
  periodIndexOfLabel,
  periodIndexOfMonth,
  periodLabel,
  periodStartDay,
  resolvePeriodOptions,
  UNASSIGNED,
  type GroupResult,
  type PeriodType,
  type ResolvedPeriodOptions,
  type StatisticsSettings
} from 'c/npsCore';
import { epochOf, idOf, text } from './lookups';
import type { OrgApi, QueryItem, Row } from './orgApi';
import { EARLIEST, LATEST, unstorableTime } from './limits';
import { RESPONSE_OBJECT, type ResponseValues } from './responses';
import { soqlDateTime, soqlString, soqlStringList } from './soql';

export const SNAPSHOT_OBJECT = 'NPS_Snapshot__c';

/** The org's calendar: default time zone and fiscal year (Organization). */
export interface OrgCalendar {
  timeZone: string;
  fiscalStartMonth: number;
  fiscalYearName: 'end' | 'start';
}

export const PERIOD_KINDS: readonly { type: PeriodType; picklist: string }[] = [
  { type: 'month', picklist: 'Month' },
  { type: 'quarter', picklist: 'Quarter' },
  { type: 'fiscal-quarter', picklist: 'Fiscal Quarter' }
];

/** `<CSM Id or UNASSIGNED>|<metric>|<period type>|<period label>` (DESIGN.md § Data model). */
export function snapshotKey(csmId: string | null, metric: string, periodType: string, label: string): string {
  return `${csmId ?? 'UNASSIGNED'}|${metric}|${periodType}|${label}`;
}

export function periodOptionsOf(calendar: OrgCalendar, type: PeriodType): ResolvedPeriodOptions {
  return resolvePeriodOptions({
    type,
    fiscalStartMonth: calendar.fiscalStartMonth,
    fiscalYearName: calendar.fiscalYearName
  });
}

/** Periods to recompute, per type: those holding a changed month, and the period after each. */
export function targetPeriods(months: Iterable<number>, calendar: OrgCalendar): Map<PeriodType, Set<number>> {
  const out = new Map<PeriodType, Set<number>>();
  for (const kind of PERIOD_KINDS) {
    const options = periodOptionsOf(calendar, kind.type);
    const set = new Set<number>();
    for (const m of months) {
      const p = periodIndexOfMonth(Math.floor(m / 12), (m % 12) + 1, options);
      set.add(p);
      set.add(p + 1);
    }
    out.set(kind.type, set);
  }
  return out;
}

const MS_PER_DAY = 86_400_000;

/**
 * Why an answer time cannot be stored by the sync, or null: Responded_At__c must hold it, and the
 * Period_Start__c of each of its snapshots (month, quarter and fiscal quarter in the org's time zone)
 * too — an answer at 1700-01-01T00:00Z is 1699-12-31 in New York, in a month that starts in 1699.
 */
export function storableTimeCheck(calendar: OrgCalendar): (epochMs: number) => string | null {
  const resolver = new LocalDayResolver(calendar.timeZone);
  const options = PERIOD_KINDS.map((kind) => ({ kind, options: periodOptionsOf(calendar, kind.type) }));
  const earliestDay = Math.floor(EARLIEST / MS_PER_DAY);
  return (epochMs) => {
    const problem = unstorableTime(epochMs);
    if (problem) return problem;
    const day = resolver.dayOf(epochMs);
    for (const { kind, options: o } of options) {
      const start = periodStartDay(periodIndexOfDay(day, o), o);
      if (start < earliestDay)
        return `falls on ${formatDay(day)} in the org's time zone (${calendar.timeZone}), in a ${kind.picklist.toLowerCase()} that starts on ${formatDay(start)}: outside the dates Salesforce can store (1700-01-01 to 4000-12-31)`;
    }
    return null;
  };
}

/**
 * UTC time ranges holding every response of the target periods and of the period before each (for the
 * change), a day wider on each side so that no time zone offset can push a response out; merged.
 */
export function readWindows(
  targets: Map<PeriodType, Set<number>>,
  calendar: OrgCalendar,
  maxRanges = 40
): [number, number][] {
  const ranges: [number, number][] = [];
  for (const kind of PERIOD_KINDS) {
    const options = periodOptionsOf(calendar, kind.type);
    for (const p of targets.get(kind.type) ?? []) {
      ranges.push([
        (periodStartDay(p - 1, options) - 1) * MS_PER_DAY,
        (periodStartDay(p + 1, options) + 1) * MS_PER_DAY
      ]);
    }
  }
  // No stored time lies outside what Salesforce can store, and a literal outside it is a MALFORMED_QUERY
  // (a period that starts in 1700 would otherwise ask from 1699).
  for (const range of ranges) {
    range[0] = Math.max(range[0], EARLIEST);
    range[1] = Math.min(range[1], LATEST + MS_PER_DAY);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  // Too many ranges make a long query: close the smallest gaps (reading a little more is harmless).
  while (merged.length > maxRanges) {
    let best = 1;
    for (let i = 2; i < merged.length; i++) {
      if (
        (merged[i] as [number, number])[0] - (merged[i - 1] as [number, number])[1] <
        (merged[best] as [number, number])[0] - (merged[best - 1] as [number, number])[1]
      )
        best = i;
    }
    (merged[best - 1] as [number, number])[1] = (merged[best] as [number, number])[1];
    merged.splice(best, 1);
  }
  return merged;
}

export interface SnapshotValues {
  key: string;
  csmId: string | null;
  metric: string;
  periodType: string;
  periodLabel: string;
  periodStart: string;
  result: GroupResult;
}

/** Decimal places of each number field (the org keeps no more). */
const SCALE: Record<string, number> = {
  NPS__c: 6,
  CI_Low__c: 6,
  CI_High__c: 6,
  Mean_Score__c: 6,
  Shrunk_NPS__c: 6,
  Change__c: 6,
  Probability_Above_Floor__c: 8,
  Probability_Improved__c: 8
};

function atScale(value: number | null, field: string): number | null {
  if (value === null) return null;
  const scale = SCALE[field] ?? 0;
  return Number(value.toFixed(scale));
}

/** The snapshot of one group result of the core (its key, CSM and period fields). */
export function snapshotOf(result: GroupResult, periodType: string): SnapshotValues {
  const csmId = result.csm === UNASSIGNED ? null : result.csm;
  return {
    key: snapshotKey(csmId, result.metric, periodType, result.period),
    csmId,
    metric: result.metric,
    periodType,
    periodLabel: result.period,
    periodStart: result.periodStart,
    result
  };
}

export function snapshotRecord(s: SnapshotValues, ownerId: string | null): Record<string, unknown> {
  const r = s.result;
  const record: Record<string, unknown> = {
    Key__c: s.key,
    CSM__c: s.csmId,
    Metric__c: s.metric,
    Period_Type__c: s.periodType,
    Period_Label__c: s.periodLabel,
    Period_Start__c: s.periodStart,
    Responses__c: r.responses,
    Promoters__c: r.promoters,
    Passives__c: r.passives,
    Detractors__c: r.detractors,
    NPS__c: atScale(r.nps, 'NPS__c'),
    CI_Low__c: atScale(r.ciLow, 'CI_Low__c'),
    CI_High__c: atScale(r.ciHigh, 'CI_High__c'),
    Mean_Score__c: atScale(r.meanScore, 'Mean_Score__c'),
    Shrunk_NPS__c: atScale(r.shrunkNps, 'Shrunk_NPS__c'),
    Change__c: atScale(r.change, 'Change__c'),
    Change_Significant__c: r.changeSignificant === true,
    Goal_Status__c: GOAL_PICKLIST[r.goalStatus],
    Probability_Above_Floor__c: atScale(r.probabilityAboveFloor, 'Probability_Above_Floor__c'),
    Probability_Improved__c: atScale(r.probabilityImproved, 'Probability_Improved__c')
  };
  if (ownerId) record.OwnerId = ownerId;
  return record;
}

const SNAPSHOT_FIELDS = [
  'Id',
  'Key__c',
  'OwnerId',
  'CSM__c',
  'Metric__c',
  'Period_Type__c',
  'Period_Label__c',
  'Period_Start__c',
  'Responses__c',
  'Promoters__c',
  'Passives__c',
  'Detractors__c',
  'NPS__c',
  'CI_Low__c',
  'CI_High__c',
  'Mean_Score__c',
  'Shrunk_NPS__c',
  'Change__c',
  'Change_Significant__c',
  'Goal_Status__c',
  'Probability_Above_Floor__c',
  'Probability_Improved__c'
];

/** Whether the org's row already holds the record (numbers compared at the field's scale). */
export function sameSnapshot(record: Record<string, unknown>, row: Row): boolean {
  for (const [field, value] of Object.entries(record)) {
    const stored = row.get(field.toLowerCase()) ?? null;
    if (field === 'CSM__c' || field === 'OwnerId') {
      if (String(value ?? '').slice(0, 15) !== String(stored ?? '').slice(0, 15)) return false;
    } else if (typeof value === 'number') {
      const tolerance = 0.5 * 10 ** -(SCALE[field] ?? 0) + 1e-12;
      if (stored === null || Math.abs(Number(stored) - value) > tolerance) return false;
    } else if (typeof value === 'boolean') {
      if (String(stored) !== String(value)) return false;
    } else if (value === null) {
      if (stored !== null) return false;
    } else if (String(stored) !== String(value)) return false;
  }
  return true;
}

export interface SnapshotPlan {
  upserts: Record<string, unknown>[];
  deletes: { id: string; key: string }[];
  unchanged: number;
  /** Every group computed in the target periods (for the end table and tests). */
  computed: SnapshotValues[];
  responsesRead: number;
  warnings: string[];
  csmIds: Set<string>;
}

export interface PlanInput {
  months: Set<number>;
  /** Recompute every period of every response (settings or fiscal year changed, full run). */
  all: boolean;
  calendar: OrgCalendar;
  settings: StatisticsSettings;
  /** Dry run: responses as they would be after the writes (null: deleted), keyed by source id. */
  overlay?: Map<string, ResponseValues | null>;
  /** Owner of snapshots without an active CSM (the sync's user); null: leave the owner as it is. */
  fallbackOwner: string | null;
  /** Active users (snapshot owners), by 15-character Id; filled on demand. */
  activeUsers: (ids: Set<string>) => Promise<Set<string>>;
  /** The snapshots the org holds for the target periods (snapshotExistingQueries), by Key__c. */
  existing: Map<string, Row>;
  /** How many responses the read-back will see (a COUNT() read with the existing snapshots): Bulk API 2.0 at once when many. */
  readBackSize?: number;
}

/** The target periods of a plan, and the WHERE clause of the responses to read back for them. */
function readBackWhere(input: { months: Set<number>; all: boolean; calendar: OrgCalendar }): string {
  if (input.all) return '';
  const windows = readWindows(targetPeriods(input.months, input.calendar), input.calendar);
  return ` WHERE ${windows.map(([from, to]) => `(Responded_At__c >= ${soqlDateTime(from)} AND Responded_At__c < ${soqlDateTime(to)})`).join(' OR ')}`;
}

/** A COUNT() of the responses the plan will read back (to choose REST pages or Bulk API 2.0 without a probe). */
export function readBackCountQuery(
  input: { months: Set<number>; all: boolean; calendar: OrgCalendar },
  onCount: (n: number) => void
): QueryItem {
  return {
    soql: `SELECT COUNT() FROM ${RESPONSE_OBJECT}${readBackWhere(input)}`,
    onPage: () => {},
    onTotal: onCount
  };
}

/** Snapshot rows kept for comparison: only the fields compared, as a small Map each. */
function compactRow(row: Row): Row {
  const out: Row = new Map();
  for (const field of SNAPSHOT_FIELDS) {
    const key = field.toLowerCase();
    const value = row.get(key);
    if (value !== undefined && value !== null) out.set(key, value);
  }
  return out;
}

/** The queries that read what the org holds for the target periods (every snapshot when `all`), into `into` by Key__c. */
export function snapshotExistingQueries(
  input: { months: Set<number>; all: boolean; calendar: OrgCalendar },
  into: Map<string, Row>
): QueryItem[] {
  const keep = (rows: Row[]) => {
    for (const row of rows) into.set(text(row, 'Key__c') ?? '', compactRow(row));
  };
  if (input.all) {
    // Every snapshot: those of periods that no longer exist (a fiscal year that moved) go too.
    return [{ soql: `SELECT ${SNAPSHOT_FIELDS.join(', ')} FROM ${SNAPSHOT_OBJECT}`, onPage: keep }];
  }
  const targets = targetPeriods(input.months, input.calendar);
  const clauses: string[] = [];
  for (const kind of PERIOD_KINDS) {
    const options = periodOptionsOf(input.calendar, kind.type);
    const labels = [...(targets.get(kind.type) as Set<number>)].map((p) => periodLabel(p, options));
    for (let i = 0; i < labels.length; i += 100) {
      clauses.push(
        `(Period_Type__c = ${soqlString(kind.picklist)} AND Period_Label__c IN (${soqlStringList(labels.slice(i, i + 100))}))`
      );
    }
  }
  const items: QueryItem[] = [];
  for (let i = 0; i < clauses.length; i += 10) {
    items.push({
      soql: `SELECT ${SNAPSHOT_FIELDS.join(', ')} FROM ${SNAPSHOT_OBJECT} WHERE ${clauses.slice(i, i + 10).join(' OR ')}`,
      onPage: keep
    });
  }
  return items;
}

export async function planSnapshots(
  api: OrgApi,
  input: PlanInput,
  onProgress: (read: number) => void
): Promise<SnapshotPlan> {
  const plan: SnapshotPlan = {
    upserts: [],
    deletes: [],
    unchanged: 0,
    computed: [],
    responsesRead: 0,
    warnings: [],
    csmIds: new Set()
  };
  if (input.months.size === 0 && !input.all) return plan;
  const { calendar } = input;
  const targets = targetPeriods(input.months, calendar);
  const resolver = new LocalDayResolver(calendar.timeZone);
  const aggregators = new Map(
    PERIOD_KINDS.map((k) => [k.type, new NpsAggregator(periodOptionsOf(calendar, k.type))])
  );
  const windows = readWindows(targets, calendar);
  const inWindow = (ms: number) => input.all || windows.some(([from, to]) => ms >= from && ms < to);
  let invalid = 0;
  const add = (csmId: string | null, metric: string, respondedAt: number, score: number) => {
    const day = resolver.dayOf(respondedAt);
    for (const aggregator of aggregators.values()) aggregator.add(csmId ?? UNASSIGNED, metric, day, score);
  };
  const overlay = input.overlay ?? new Map<string, ResponseValues | null>();
  const where = readBackWhere(input);
  // CSM__r.IsActive comes with the responses: the owners of the snapshots without a query on User.
  const activeSeen = new Map<string, boolean>();
  await api.query(
    `SELECT Source_Id__c, CSM__c, CSM__r.IsActive, Metric__c, Score__c, Responded_At__c FROM ${RESPONSE_OBJECT}${where}`,
    (rows) => {
      for (const row of rows) {
        plan.responsesRead++;
        const sourceId = text(row, 'Source_Id__c') ?? '';
        if (overlay.has(sourceId)) continue; // the dry run's version is added below
        const score = checkNumericScore(row.get('score__c') === null ? null : Number(row.get('score__c')));
        const respondedAt = epochOf(row, 'Responded_At__c');
        const metric = text(row, 'Metric__c');
        if (!score.ok || respondedAt === null || metric === null) {
          invalid++;
          continue;
        }
        const csm = idOf(row, 'CSM__c');
        if (csm) activeSeen.set(csm.slice(0, 15), String(row.get('csm__r.isactive')) === 'true');
        add(csm, metric, respondedAt, score.score);
      }
      onProgress(plan.responsesRead);
    },
    { forceBulk: (input.readBackSize ?? 0) >= api.bulkThreshold }
  );
  for (const values of overlay.values()) {
    if (values && inWindow(values.respondedAt))
      add(values.csmId, values.metric, values.respondedAt, values.score);
  }
  if (invalid > 0)
    plan.warnings.push(
      `${invalid} NPS_Response__c record${invalid === 1 ? '' : 's'} without a valid score, time or metric left out of the snapshots (edited by hand?)`
    );

  for (const kind of PERIOD_KINDS) {
    const options = periodOptionsOf(calendar, kind.type);
    const wanted = targets.get(kind.type) as Set<number>;
    for (const result of computeGroupResults(aggregators.get(kind.type) as NpsAggregator, input.settings)) {
      const index = periodIndexOfLabel(result.period, options);
      if (index === null || (!input.all && !wanted.has(index))) continue;
      const snapshot = snapshotOf(result, kind.picklist);
      if (snapshot.csmId) plan.csmIds.add(snapshot.csmId);
      plan.computed.push(snapshot);
    }
  }

  const existing = input.existing;

  const active = new Set([...activeSeen].filter(([, isActive]) => isActive).map(([id]) => id));
  const unseen = new Set([...plan.csmIds].filter((id) => !activeSeen.has(id.slice(0, 15))));
  if (unseen.size > 0) for (const id of await input.activeUsers(unseen)) active.add(id); // dry run: CSMs only in the overlay
  const computedKeys = new Set<string>();
  for (const s of plan.computed) {
    computedKeys.add(s.key);
    const owner = s.csmId && active.has(s.csmId.slice(0, 15)) ? s.csmId : input.fallbackOwner;
    const record = snapshotRecord(s, owner);
    const row = existing.get(s.key);
    if (row && sameSnapshot(record, row)) plan.unchanged++;
    else plan.upserts.push(record);
  }
  for (const [key, row] of existing) {
    if (!computedKeys.has(key)) plan.deletes.push({ id: idOf(row, 'Id') as string, key });
  }
  return plan;
}
