// Where the points of an NPS trend go in the SVG: an NPS axis from −100 to 100, periods evenly spaced.
// Layout only — the NPS values and intervals come already computed.

export interface TrendPoint {
  /** Period label, e.g. `2026-Q1`. */
  label: string;
  nps: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  responses: number | null;
}

export interface ChartBox {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const FULL_BOX: Readonly<ChartBox> = {
  width: 640,
  height: 220,
  top: 12,
  right: 16,
  bottom: 40,
  left: 40
};
export const SPARK_BOX: Readonly<ChartBox> = { width: 96, height: 28, top: 3, right: 3, bottom: 3, left: 3 };

/** NPS values of the grid lines of the full chart. */
export const GRID_VALUES: readonly number[] = [100, 50, 0, -50, -100];

const round = (value: number): number => Math.round(value * 10) / 10;

export function yOf(nps: number, box: ChartBox): number {
  const clamped = Math.max(-100, Math.min(100, nps));
  return round(box.top + ((100 - clamped) / 200) * (box.height - box.top - box.bottom));
}

export function xOf(index: number, count: number, box: ChartBox): number {
  const inner = box.width - box.left - box.right;
  return round(count <= 1 ? box.left + inner / 2 : box.left + (index * inner) / (count - 1));
}

function hasValue(point: TrendPoint): point is TrendPoint & { nps: number } {
  return point.nps !== null && point.nps !== undefined && !Number.isNaN(point.nps);
}

/** Runs of consecutive points with a value (a period without answers breaks the line). */
function runs(points: readonly TrendPoint[]): { index: number; point: TrendPoint & { nps: number } }[][] {
  const all: { index: number; point: TrendPoint & { nps: number } }[][] = [];
  let current: { index: number; point: TrendPoint & { nps: number } }[] = [];
  points.forEach((point, index) => {
    if (hasValue(point)) current.push({ index, point });
    else if (current.length > 0) {
      all.push(current);
      current = [];
    }
  });
  if (current.length > 0) all.push(current);
  return all;
}

/** The NPS line as an SVG path ("M x y L x y …"), broken where a period has no answer. */
export function linePath(points: readonly TrendPoint[], box: ChartBox): string {
  return runs(points)
    .map((run) =>
      run
        .map(
          ({ index, point }, i) =>
            `${i === 0 ? 'M' : 'L'}${xOf(index, points.length, box)} ${yOf(point.nps, box)}`
        )
        .join(' ')
    )
    .join(' ');
}

/** The interval band: for each run, along the upper bounds and back along the lower ones. */
export function bandPath(points: readonly TrendPoint[], box: ChartBox): string {
  return runs(points)
    .filter((run) => run.every(({ point }) => point.ciLow !== null && point.ciHigh !== null))
    .map((run) => {
      const width = run.length === 1 ? 4 : 0; // a single period still shows its interval as a thin bar
      const upper = run.map(
        ({ index, point }) => `${xOf(index, points.length, box) - width} ${yOf(point.ciHigh as number, box)}`
      );
      const lower = [...run]
        .reverse()
        .map(
          ({ index, point }) => `${xOf(index, points.length, box) + width} ${yOf(point.ciLow as number, box)}`
        );
      if (width > 0) {
        const only = run[0] as { index: number; point: TrendPoint };
        upper.push(`${xOf(only.index, points.length, box) + width} ${yOf(only.point.ciHigh as number, box)}`);
        lower.push(`${xOf(only.index, points.length, box) - width} ${yOf(only.point.ciLow as number, box)}`);
      }
      return `M${upper.join(' L')} L${lower.join(' L')} Z`;
    })
    .join(' ');
}
