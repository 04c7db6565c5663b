// The matrix NPS by CSM shows, built from stored snapshots: which periods, one row per CSM, the team row
// (pooled by the core), hiding and sorting. Arrangement only: every figure is a stored snapshot value or
// comes from c/npsCore.
import { pooledResultsByPeriod, type GroupResult, type PeriodType } from 'c/npsCore';
import { periodsNewestFirst, type Snapshot } from 'c/npsData';

export type SortKey = 'name' | 'nps' | 'shrunkNps' | 'change';
export type SortDirection = 'asc' | 'desc';

export interface MatrixPeriod {
  label: string;
  start: string;
}

export interface MatrixRow {
  /** The CSM's user Id, or `unassigned`. */
  key: string;
  csmId: string | null;
  name: string;
  isUnassigned: boolean;
  /** One entry per shown period, oldest first; null where the CSM has no snapshot. */
  cells: (Snapshot | null)[];
}

export interface Matrix {
  /** Oldest first. */
  periods: MatrixPeriod[];
  rows: MatrixRow[];
  /** The rows shown, pooled: one result per shown period (null where no row has an answer). */
  team: (GroupResult | null)[];
  /** CSMs left out by "hide CSMs below the minimum responses". */
  hiddenCount: number;
}

export const UNASSIGNED_KEY = 'unassigned';

/**
 * Whether the pages loaded so far (newest first) hold every snapshot of the `count` periods to show and
 * of the one before (for the team's change): true once a further period has started.
 */
export function hasEnoughPeriods(snapshots: readonly Snapshot[], count: number): boolean {
  return periodsNewestFirst(snapshots).length >= count + 2;
}

function isBelowMinimum(cells: readonly (Snapshot | null)[]): boolean {
  return cells.every((cell) => cell === null || cell.goalStatus === 'insufficient_data');
}

function sortValue(row: MatrixRow, key: Exclude<SortKey, 'name'>): number | null {
  const latest = row.cells.at(-1);
  if (!latest) return null;
  const value = key === 'nps' ? latest.nps : key === 'shrunkNps' ? latest.shrunkNps : latest.change;
  return value === null || Number.isNaN(value) ? null : value;
}

const byName = (a: MatrixRow, b: MatrixRow): number =>
  a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });

/**
 * Rows in order: by name, or by the latest shown period's NPS, shrunk NPS or change. Rows without that
 * value come after the others whatever the direction; ties go by name; Unassigned always comes last.
 */
export function sortRows(rows: readonly MatrixRow[], key: SortKey, direction: SortDirection): MatrixRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (a.isUnassigned !== b.isUnassigned) return a.isUnassigned ? 1 : -1;
    if (key === 'name') return sign * byName(a, b);
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    if (va === null || vb === null) return va === vb ? byName(a, b) : va === null ? 1 : -1;
    return sign * (va - vb) || byName(a, b);
  });
}

export function buildMatrix(
  snapshots: readonly Snapshot[],
  options: {
    numberOfPeriods: number;
    periodType: PeriodType;
    hideBelowMinimum: boolean;
    sortKey: SortKey;
    sortDirection: SortDirection;
    unassignedName: string;
    teamName: string;
  }
): Matrix {
  const newestFirst = periodsNewestFirst(snapshots);
  const periods = newestFirst.slice(0, options.numberOfPeriods).reverse();
  const previous = newestFirst[options.numberOfPeriods] ?? null;
  const column = new Map(periods.map((p, i) => [p.label, i]));

  const rowsByKey = new Map<string, MatrixRow>();
  for (const s of snapshots) {
    const index = column.get(s.periodLabel);
    if (index === undefined) continue;
    const key = s.csmId ?? UNASSIGNED_KEY;
    let row = rowsByKey.get(key);
    if (!row) {
      row = {
        key,
        csmId: s.csmId,
        name: s.csmId === null ? options.unassignedName : (s.csmName ?? s.csmId),
        isUnassigned: s.csmId === null,
        cells: periods.map(() => null)
      };
      rowsByKey.set(key, row);
    }
    row.cells[index] = s;
  }

  let rows = [...rowsByKey.values()];
  const all = rows.length;
  if (options.hideBelowMinimum) rows = rows.filter((row) => !isBelowMinimum(row.cells));
  const shownKeys = new Set(rows.map((row) => row.key));

  // The team row pools exactly the rows shown, in the shown periods and the one before (for its change).
  const pooledLabels = new Set([...periods.map((p) => p.label), ...(previous ? [previous.label] : [])]);
  const { results } = pooledResultsByPeriod(
    snapshots
      .filter((s) => pooledLabels.has(s.periodLabel) && shownKeys.has(s.csmId ?? UNASSIGNED_KEY))
      .map((s) => ({
        period: s.periodLabel,
        periodStart: s.periodStart,
        metric: s.metric,
        promoters: s.promoters,
        passives: s.passives,
        detractors: s.detractors,
        meanScore: s.meanScore
      })),
    { periodType: options.periodType, groupName: options.teamName }
  );
  const teamByLabel = new Map(results.map((r) => [r.period, r]));

  return {
    periods,
    rows: sortRows(rows, options.sortKey, options.sortDirection),
    team: periods.map((p) => teamByLabel.get(p.label) ?? null),
    hiddenCount: all - rows.length
  };
}
