// What every part of `npm run bench` returns: figures with their target (met or not), printed as one
// table or one JSON object. A bench part (core and report, sync, …) is a function returning a BenchPart.

export interface Figure {
  name: string;
  value: number | null;
  unit: string;
  /** The target as written in the issue, e.g. "≥ 10" or "≤ 2×". */
  target?: string;
  /** Whether the measured value meets the target (null: could not be measured). */
  met?: boolean | null;
  note?: string;
}

export interface BenchPart {
  /** Key of the part in the JSON output, e.g. "coreAndReport". */
  name: string;
  figures: Figure[];
  /** Every raw measurement behind the figures (runs, checks), for the JSON output. */
  details: Record<string, unknown>;
}

export interface BenchOptions {
  quick: boolean;
  /** Progress lines (stderr), silent with --json. */
  log(text: string): void;
}

function valueText(f: Figure): string {
  return f.value === null
    ? 'n/a'
    : Number.isInteger(f.value)
      ? String(f.value)
      : f.value.toFixed(Math.abs(f.value) >= 100 ? 0 : 2);
}

function verdictText(f: Figure): string {
  return f.met === undefined ? '' : f.met === null ? 'NOT MEASURED' : f.met ? 'MET' : 'MISSED';
}

/** The figures as a Markdown table (for the README's Performance section). */
export function formatFiguresMarkdown(figures: readonly Figure[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = ['| figure | value | target | |', '|---|---:|---|---|'];
  for (const f of figures)
    lines.push(
      `| ${cell(f.name)} | ${valueText(f)} ${cell(f.unit)} | ${cell(f.target ?? '')} | ${verdictText(f)} |`
    );
  return `${lines.join('\n')}\n`;
}

export function formatFigures(parts: readonly BenchPart[]): string {
  const figures = parts.flatMap((p) => p.figures);
  const width = Math.max(...figures.map((f) => f.name.length));
  const lines: string[] = [];
  for (const f of figures) {
    const value = valueText(f);
    const verdict = verdictText(f);
    const target = f.target ? `  target ${f.target} ${verdict}` : '';
    lines.push(
      `${f.name.padEnd(width)}  ${value.padStart(8)} ${f.unit}${target}${f.note ? `  (${f.note})` : ''}`
    );
  }
  return `${lines.join('\n')}\n`;
}
