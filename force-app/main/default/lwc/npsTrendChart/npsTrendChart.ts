// An NPS trend as SVG: the line, the interval band, the goal floor, and (full variant) axes and a data
// table for screen readers. Presentational: only @api in. Numbers are formatted by c/npsCore.
import { LightningElement, api } from 'lwc';
import { formatLabel, formatNps } from 'c/npsCore';
import {
  bandPath,
  FULL_BOX,
  GRID_VALUES,
  linePath,
  SPARK_BOX,
  xOf,
  yOf,
  type ChartBox,
  type TrendPoint
} from './geometry';
import { LABELS } from './labels';

export type { TrendPoint } from './geometry';

interface TableRow {
  key: string;
  label: string;
  nps: string;
  interval: string;
  responses: string;
}

export default class NpsTrendChart extends LightningElement {
  /** Oldest first. */
  @api points: TrendPoint[] = [];
  /** The goal floor drawn as a dashed line; null for none. */
  @api floor: number | null = null;
  /** 'full' (axes, labels, table) or 'sparkline' (a small line for a table row). */
  @api variant: 'full' | 'sparkline' = 'full';
  /** What the chart shows, e.g. "NPS trend, Alice Smith": the start of its accessible name. */
  @api chartLabel = '';
  /** Show the data table under the chart (otherwise it is read to screen readers only). */
  @api showTable = false;

  labels = LABELS;

  get isFull(): boolean {
    return this.variant !== 'sparkline';
  }

  get box(): ChartBox {
    return this.isFull ? FULL_BOX : SPARK_BOX;
  }

  get viewBox(): string {
    return `0 0 ${this.box.width} ${this.box.height}`;
  }

  get chartClass(): string {
    return this.isFull ? 'chart chart_full' : 'chart chart_sparkline';
  }

  get safePoints(): TrendPoint[] {
    return Array.isArray(this.points) ? this.points : [];
  }

  get withValues(): (TrendPoint & { nps: number })[] {
    return this.safePoints.filter(
      (p): p is TrendPoint & { nps: number } => p.nps !== null && p.nps !== undefined
    );
  }

  get summary(): string {
    const known = this.withValues;
    const first = known[0];
    const last = known.at(-1);
    if (!first || !last) return formatLabel(LABELS.summaryEmpty, this.chartLabel);
    if (known.length === 1)
      return formatLabel(LABELS.summaryOne, this.chartLabel, formatNps(first.nps), first.label);
    return formatLabel(
      LABELS.summary,
      this.chartLabel,
      formatNps(first.nps),
      first.label,
      formatNps(last.nps),
      last.label,
      known.length
    );
  }

  get lineD(): string {
    return linePath(this.safePoints, this.box);
  }

  get bandD(): string {
    return bandPath(this.safePoints, this.box);
  }

  get hasFloor(): boolean {
    return typeof this.floor === 'number' && Number.isFinite(this.floor);
  }

  get floorLine(): { x1: number; x2: number; y: number; labelX: number; labelY: number; text: string } {
    const y = yOf(this.floor ?? 0, this.box);
    return {
      x1: this.box.left,
      x2: this.box.width - this.box.right,
      y,
      labelX: this.box.width - this.box.right,
      labelY: y - 4,
      text: formatLabel(LABELS.floor, formatNps(this.floor ?? 0))
    };
  }

  get gridLines(): {
    key: string;
    x1: number;
    x2: number;
    y: number;
    labelX: number;
    labelY: number;
    text: string;
  }[] {
    return GRID_VALUES.map((value) => {
      const y = yOf(value, this.box);
      return {
        key: `grid-${value}`,
        x1: this.box.left,
        x2: this.box.width - this.box.right,
        y,
        labelX: this.box.left - 6,
        labelY: y + 4,
        text: formatNps(value)
      };
    });
  }

  get xLabels(): { key: string; x: number; y: number; text: string }[] {
    const count = this.safePoints.length;
    // Label every period while they fit; beyond 12, every other one (the table lists them all).
    const step = count > 12 ? 2 : 1;
    return this.safePoints
      .map((point, index) => ({
        key: `x-${point.label}`,
        x: xOf(index, count, this.box),
        y: this.box.height - this.box.bottom + 16,
        text: point.label,
        index
      }))
      .filter((label) => label.index % step === 0 || label.index === count - 1)
      .map(({ key, x, y, text }) => ({ key, x, y, text }));
  }

  get dots(): { key: string; cx: number; cy: number; r: number; title: string }[] {
    const count = this.safePoints.length;
    return this.safePoints.flatMap((point, index) => {
      if (point.nps === null || point.nps === undefined) return [];
      const isLast = index === count - 1;
      if (!this.isFull && !isLast) return [];
      return [
        {
          key: `dot-${point.label}`,
          cx: xOf(index, count, this.box),
          cy: yOf(point.nps, this.box),
          r: this.isFull ? 4 : 2.5,
          title: this.pointText(point)
        }
      ];
    });
  }

  private pointText(point: TrendPoint): string {
    return formatLabel(
      LABELS.pointTitle,
      point.label,
      point.nps === null ? LABELS.none : formatNps(point.nps),
      point.ciLow === null ? LABELS.none : formatNps(point.ciLow),
      point.ciHigh === null ? LABELS.none : formatNps(point.ciHigh),
      point.responses ?? 0
    );
  }

  get tableRows(): TableRow[] {
    return this.safePoints.map((point) => ({
      key: `row-${point.label}`,
      label: point.label,
      nps: point.nps === null ? LABELS.none : formatNps(point.nps),
      interval:
        point.ciLow === null || point.ciHigh === null
          ? LABELS.none
          : formatLabel(LABELS.intervalRange, formatNps(point.ciLow), formatNps(point.ciHigh)),
      responses: String(point.responses ?? 0)
    }));
  }

  get hasAssistiveTable(): boolean {
    return this.isFull && !this.showTable;
  }

  get hasVisibleTable(): boolean {
    return this.isFull && this.showTable;
  }
}
