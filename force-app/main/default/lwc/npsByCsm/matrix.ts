// The matrix NPS by CSM shows, built from stored snapshots: which periods, one row per CSM, the team row
// (pooled by the core), hiding and sorting. Arrangement only: every figure is a stored snapshot value or
// comes from c/npsCore, and so do the periods.
import { consecutivePeriods, pooledResultsByPeriod, type GroupResult, type PeriodType } from 'c/npsCore';
import type { Snapshot } from 'c/npsData';

export type SortKey = 'name' | 'nps' | 'shrunkNps' | 'change';
export type SortDirection = 'asc' | 'desc';

export interface MatrixPeriod {
  label: string;
  /** First day (`YYYY-MM-DD`); null only when no snapshot gives a start to count from. */
  start: string | null;
}

export interface MatrixRow {
  /** The CSM's user Id, or `unassigned`. */
  key: string;
  csmId: string | null;
  name: string;
  isUnassigned: boolean;
  /** One entry per shown period, oldest first; null where the CSM has no snapshot (or nobody answered). */
  cells: (Snapshot | null)[];
}

export interface Matrix {
  /** Consecutive, oldest first, ending with the current period: a period nobody answered in is a column too. */
  periods: MatrixPeriod[];
  rows: MatrixRow[];
  /** The rows shown, pooled: one result per shown period (null where no row has an answer). */
  team: (GroupResult | null)[];
  /** CSMs left out by "hide CSMs below the minimum responses". */
  hiddenCount: number;
}

export const UNASSIGNED_KEY = 'unassigned';

/** Which periods the matrix shows: how many, of which type, up to the period holding `today` (the user's local date). */
export interface PeriodWindow {
  numberOfPeriods: number;
  periodType: PeriodType;
  today: string | null;
}

/**
 * The shown periods and the one before them (for the team's change), consecutive and ending with the
 * current period (c/npsCore consecutivePeriods), each with its snapshots.
 */
function periodRun(snapshots: readonly Snapshot[], window: PeriodWindow) {
  return consecutivePeriods(
    snapshots.map((s) => ({ ...s, period: s.periodLabel })),
    { periodType: window.periodType, today: window.today, count: window.numberOfPeriods + 1 }
  );
}

/**
 * Whether the pages loaded so far (newest first) hold every snapshot of the periods to show and of the
 * one before (for the team's change): true once a snapshot older than those periods has been loaded.
 */
export function hasEnoughPeriods(snapshots: readonly Snapshot[], window: PeriodWindow): boolean {
  const inRun = periodRun(snapshots, window).reduce((n, period) => n + period.figures.length, 0);
  return inRun < snapshots.length;
}

function isBelowMinimum(cells: readonly (Snapshot | null)[]): boolean {
  return cells.every((cell) => cell === null || cell.goalStatus === 'insufficient_data');
}

/**
 * The row's latest snapshot among the shown periods. A row is ranked by it, not by the last column: the
 * current period is often still empty (a quarter nobody answered in yet), and ranking everyone by an
 * empty column would sort by name alone.
 */
function latestSnapshot(row: MatrixRow): Snapshot | null {
  return row.cells.reduce<Snapshot | null>((latest, cell) => cell ?? latest, null);
}

function sortValue(row: MatrixRow, key: Exclude<SortKey, 'name'>): number | null {
  const latest = latestSnapshot(row);
  if (!latest) return null;
  const value = key === 'nps' ? latest.nps : key === 'shrunkNps' ? latest.shrunkNps : latest.change;
  return value === null || Number.isNaN(value) ? null : value;
}

const byName = (a: MatrixRow, b: MatrixRow): number =>
  a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });

/**
 * Rows in order: by name, or by the NPS, shrunk NPS or change of each row's latest shown period with
 * responses. Rows without that value come after the others whatever the direction; ties go by name;
 * Unassigned always comes last.
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
  options: PeriodWindow & {
    hideBelowMinimum: boolean;
    sortKey: SortKey;
    sortDirection: SortDirection;
    unassignedName: string;
    teamName: string;
  }
): Matrix {
  const run = periodRun(snapshots, options);
  const shown = run.slice(-options.numberOfPeriods);
  const periods = shown.map(({ label, start }) => ({ label, start }));

  const rowsByKey = new Map<string, MatrixRow>();
  // Newest period first: a row is named as the CSM's newest snapshot names them.
  for (let index = shown.length - 1; index >= 0; index--) {
    for (const s of shown[index]?.figures ?? []) {
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
  }

  let rows = [...rowsByKey.values()];
  const all = rows.length;
  if (options.hideBelowMinimum) rows = rows.filter((row) => !isBelowMinimum(row.cells));
  const shownKeys = new Set(rows.map((row) => row.key));

  // The team row pools exactly the rows shown, in the shown periods and the one before (for its change).
  const { results } = pooledResultsByPeriod(
    run
      .flatMap((period) => period.figures)
      .filter((s) => shownKeys.has(s.csmId ?? UNASSIGNED_KEY))
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
