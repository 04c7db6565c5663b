// How numbers read for people: one place, so the table, the components and exports agree.
// Data is never rounded; only these display helpers round.

import type { GoalStatus } from './stats';

const MINUS = '\u2212';

/** "+42", "0", "−8" (a true minus sign); rounding half away from zero. */
export function formatSigned(value: number, digits = 0): string {
  const factor = 10 ** digits;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
  const text = Math.abs(rounded).toFixed(digits);
  if (rounded > 0) return `+${text}`;
  if (rounded < 0) return `${MINUS}${text}`;
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}

/** "42" or "−8": an NPS without a plus sign. */
export function formatNps(value: number): string {
  const text = formatSigned(value);
  return text.startsWith('+') ? text.slice(1) : text;
}

/** Half the interval's width, for "42 ±18". */
export function marginOf(ciLow: number, ciHigh: number): number {
  return (ciHigh - ciLow) / 2;
}

/** "+6, within normal variation" or "+12, a real improvement" — honest words for a change. */
export function describeChange(change: number | null, significant: boolean | null): string {
  if (change === null) return 'no previous period to compare';
  const text = formatSigned(change);
  if (text === '0' && !significant) return `${text}, unchanged`; // the shown number decides: −0.5 reads −1
  if (!significant) return `${text}, within normal variation`;
  return change > 0 ? `${text}, a real improvement` : `${text}, a real decline`;
}

export const GOAL_LABELS: Readonly<Record<GoalStatus, string>> = {
  met: 'Met',
  not_met: 'Not met',
  insufficient_data: 'Insufficient data'
};

/** Values of the Goal_Status__c picklist (DESIGN.md § Data model). */
export const GOAL_PICKLIST: Readonly<Record<GoalStatus, string>> = {
  met: 'Met',
  not_met: 'Not Met',
  insufficient_data: 'Insufficient Data'
};

/** "83%" for a probability. */
export function formatProbability(p: number): string {
  if (p > 0.995 && p < 1) return '>99%';
  if (p < 0.005 && p > 0) return '<1%';
  return `${Math.round(p * 100)}%`;
}

/**
 * Neutralises text that a spreadsheet would run as a formula (cells starting with =, +, −, @, tab or CR;
 * OWASP "CSV Injection") by prefixing a single quote. Numbers are written as numbers and left alone.
 */
export function neutralizeSpreadsheetFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
