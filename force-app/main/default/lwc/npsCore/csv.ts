// CSV that a spreadsheet opens safely: RFC 4180 quoting, and text cells protected against formula
// injection (OWASP "CSV Injection") by neutralizeSpreadsheetFormula. Used by the components' exports;
// the columns of a group match `csm-nps report --out` so one file format serves both.

import { neutralizeSpreadsheetFormula } from './format';
import type { GroupResult } from './results';

export type CsvValue = string | number | boolean | null | undefined;

/** One cell: numbers as numbers (a non-finite number is an empty cell), text neutralised then quoted when needed. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  const safe = neutralizeSpreadsheetFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows to CSV text, one record a line ("\n"), ending with a newline. */
export function toCsv(rows: Iterable<readonly CsvValue[]>): string {
  let text = '';
  for (const row of rows) text += `${row.map(csvField).join(',')}\n`;
  return text;
}

/** The columns of a group, as written by `csm-nps report --out FILE.csv` (DESIGN.md § CLI contract). */
export const GROUP_CSV_COLUMNS = [
  'csm',
  'metric',
  'period',
  'periodStart',
  'responses',
  'promoters',
  'passives',
  'detractors',
  'nps',
  'ciLow',
  'ciHigh',
  'meanScore',
  'shrunkNps',
  'change',
  'changeSignificant',
  'goalStatus',
  'probabilityAboveFloor',
  'probabilityImproved'
] as const satisfies readonly (keyof GroupResult)[];

export type GroupCsvColumn = (typeof GROUP_CSV_COLUMNS)[number];

/** Groups as CSV with a header row; numbers unrounded, as in the data (a GroupResult, or a stored snapshot read the same way). */
export function groupResultsToCsv(groups: Iterable<Readonly<Record<GroupCsvColumn, CsvValue>>>): string {
  const rows: CsvValue[][] = [[...GROUP_CSV_COLUMNS]];
  for (const group of groups) rows.push(GROUP_CSV_COLUMNS.map((column) => group[column]));
  return toCsv(rows);
}
