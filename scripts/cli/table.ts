// The NPS-by-CSM table a manager reads in a terminal: one row per CSM, one column per period.

import Table from 'cli-table3';
import pc from 'picocolors';
import { formatNps, marginOf, type GroupResult, type StatisticsSettings } from 'c/npsCore';

export interface TableOptions {
  width: number;
  color: boolean;
  settings: StatisticsSettings;
  /** Most recent periods to show at most (the width may allow fewer). */
  maxPeriods?: number;
}

const CELL_WIDTH = 17;

function goalMark(result: Pick<GroupResult, 'goalStatus'>): string {
  return result.goalStatus === 'met' ? '✓' : result.goalStatus === 'not_met' ? '✗' : '·';
}

function changeMark(result: Pick<GroupResult, 'change' | 'changeSignificant'>): string {
  if (!result.changeSignificant || result.change === null) return ' ';
  return result.change > 0 ? '▲' : '▼';
}

/** "42 ±18 n23 ✓▲" */
export function formatCell(result: GroupResult, colors: ReturnType<typeof pc.createColors>): string {
  const text = `${formatNps(result.nps)} ±${Math.round(marginOf(result.ciLow, result.ciHigh))} n=${result.responses} ${goalMark(result)}${changeMark(result)}`;
  if (result.goalStatus === 'insufficient_data') return colors.dim(text);
  if (result.goalStatus === 'met') return colors.green(text);
  return colors.red(text);
}

/** Renders one table per metric; returns the text to print. */
export function renderNpsTable(
  results: readonly GroupResult[],
  teamResults: readonly GroupResult[],
  options: TableOptions
): string {
  const colors = pc.createColors(options.color);
  const out: string[] = [];
  const metrics = [...new Set(results.map((r) => r.metric))].sort();
  for (const metric of metrics) {
    const rows = results.filter((r) => r.metric === metric);
    const periods = [...new Map(rows.map((r) => [r.period, r.periodStart])).entries()].sort((a, b) =>
      a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0
    );
    const csms = [...new Set(rows.map((r) => r.csm))].sort((a, b) => a.localeCompare(b));
    const nameWidth = Math.min(24, Math.max(10, ...csms.map((c) => c.length)));
    const fit = Math.max(1, Math.floor((options.width - nameWidth - 4) / (CELL_WIDTH + 3)));
    const shown = periods.slice(-Math.min(fit, options.maxPeriods ?? fit));
    const table = new Table({
      head: ['CSM', ...shown.map(([label]) => label)],
      colWidths: [nameWidth + 2, ...shown.map(() => CELL_WIDTH + 2)],
      style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
      wordWrap: false,
      // No rule between rows: a manager scans a dozen CSMs at a glance.
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' }
    });
    const index = new Map(rows.map((r) => [`${r.csm}\u0000${r.period}`, r]));
    for (const csm of csms) {
      table.push([
        csm.length > nameWidth ? `${csm.slice(0, nameWidth - 1)}…` : csm,
        ...shown.map(([label]) => {
          const r = index.get(`${csm}\u0000${label}`);
          return r ? formatCell(r, colors) : colors.dim('—');
        })
      ]);
    }
    const team = new Map(teamResults.filter((r) => r.metric === metric).map((r) => [r.period, r]));
    table.push([
      colors.bold('All CSMs'),
      ...shown.map(([label]) => {
        const r = team.get(label);
        return r ? formatCell(r, colors) : colors.dim('—');
      })
    ]);
    out.push(colors.bold(`${metric} — NPS by CSM`));
    if (shown.length < periods.length) {
      out.push(
        `Showing the latest ${shown.length} of ${periods.length} periods (${periods[0]?.[0]} to ${periods.at(-1)?.[0]}); ` +
          'use --from/--to to choose, --json or --out FILE.csv for all.'
      );
    }
    out.push(table.toString());
  }
  const s = options.settings;
  out.push(
    `Cells: NPS ±margin (${Math.round(s.confidence * 100)}% adjusted-Wald interval) nAnswers. ` +
      `✓ goal met (NPS > ${s.floor}, or change ≥ +${s.improvementTarget})  ✗ not met  · fewer than ${s.minResponses} answers, not judged  ▲▼ significant change`
  );
  return `${out.join('\n')}\n`;
}
