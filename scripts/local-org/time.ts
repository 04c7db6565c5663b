// Date and time handling. DateTime values are stored as fixed-width UTC strings
// (`2024-03-05T14:22:11.000Z`) so that string order is time order; Salesforce shows them as
// `2024-03-05T14:22:11.000+0000` in REST JSON and as `…Z` in Bulk API 2.0 CSV.

export function toStoredDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function storedToRestDateTime(stored: string): string {
  return stored.endsWith('Z') ? `${stored.slice(0, -1)}+0000` : stored;
}

const DATETIME_INPUT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses the DateTime forms the API accepts (ISO 8601 with `Z`, `+hh:mm` or `+hhmm`; a missing zone
 * means UTC; a date alone means midnight UTC). Returns epoch ms, or null when it is not a valid instant.
 */
export function parseDateTimeInput(text: string): number | null {
  const m = DATETIME_INPUT.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (!isValidDate(year, month, day)) return null;
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = Math.floor(Number(`0.${frac}`) * 1000);
  let ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    if (offsetMinutes > 18 * 60) return null;
    ms -= sign * offsetMinutes * 60_000;
  }
  return ms;
}

export function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days && year >= 1700 && year <= 4000;
}

const DATE_INPUT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` (also accepts a DateTime and keeps its UTC date, as the API does), or null. */
export function parseDateInput(text: string): string | null {
  const trimmed = text.trim();
  const m = DATE_INPUT.exec(trimmed);
  if (m) {
    return isValidDate(Number(m[1]), Number(m[2]), Number(m[3])) ? trimmed : null;
  }
  const ms = parseDateTimeInput(trimmed);
  return ms === null ? null : new Date(ms).toISOString().slice(0, 10);
}

// --- time zones --------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit'
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second')
  };
}

function offsetMs(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` shows the given local time (first one in a DST overlap). */
export function zonedToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  timeZone: string
): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  let result = guess - offsetMs(guess, timeZone);
  const second_ = guess - offsetMs(result, timeZone);
  if (second_ !== result) result = Math.min(result, second_);
  return result;
}

/** `YYYY-MM-DDTHH:MM:SS` wall-clock time in `timeZone` of a stored DateTime (used by convertTimezone()). */
export function storedToLocal(stored: string, timeZone: string): string {
  const p = localParts(Date.parse(stored), timeZone);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

// --- SOQL date literals ------------------------------------------------------------------------

/** A half-open range of local dates [start, end) as `YYYY-MM-DD`. */
export interface DateRange {
  start: string;
  end: string;
}

interface YMD {
  y: number;
  m: number;
  d: number;
}

function ymdToString({ y, m, d }: YMD): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function addDays(date: YMD, days: number): YMD {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function addMonths(date: YMD, months: number): YMD {
  const t = new Date(Date.UTC(date.y, date.m - 1 + months, 1));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: 1 };
}

export interface FiscalSettings {
  fiscalYearStartMonth: number;
}

/**
 * The local-date range of a SOQL date literal (SOQL and SOSL Reference, "Date Formats and Date
 * Literals"), for `today` in the user's time zone. Weeks start on Sunday (en_US locale).
 * Returns null for a literal this stand-in does not know.
 */
export function dateLiteralRange(
  literal: string,
  n: number | undefined,
  today: YMD,
  fiscal: FiscalSettings
): DateRange | null {
  const range = (start: YMD, end: YMD): DateRange => ({ start: ymdToString(start), end: ymdToString(end) });
  const weekStart = addDays(today, -new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay());
  const monthStart: YMD = { y: today.y, m: today.m, d: 1 };
  const quarterStart: YMD = { y: today.y, m: Math.floor((today.m - 1) / 3) * 3 + 1, d: 1 };
  const yearStart: YMD = { y: today.y, m: 1, d: 1 };
  const fs = fiscal.fiscalYearStartMonth;
  const monthsIntoFiscalYear = (today.m - fs + 12) % 12;
  const fiscalYearStart = addMonths(monthStart, -monthsIntoFiscalYear);
  const fiscalQuarterStart = addMonths(monthStart, -(monthsIntoFiscalYear % 3));
  const count = n ?? 0;
  switch (literal) {
    case 'YESTERDAY':
      return range(addDays(today, -1), today);
    case 'TODAY':
      return range(today, addDays(today, 1));
    case 'TOMORROW':
      return range(addDays(today, 1), addDays(today, 2));
    case 'LAST_WEEK':
      return range(addDays(weekStart, -7), weekStart);
    case 'THIS_WEEK':
      return range(weekStart, addDays(weekStart, 7));
    case 'NEXT_WEEK':
      return range(addDays(weekStart, 7), addDays(weekStart, 14));
    case 'LAST_MONTH':
      return range(addMonths(monthStart, -1), monthStart);
    case 'THIS_MONTH':
      return range(monthStart, addMonths(monthStart, 1));
    case 'NEXT_MONTH':
      return range(addMonths(monthStart, 1), addMonths(monthStart, 2));
    case 'LAST_90_DAYS':
      return range(addDays(today, -90), addDays(today, 1));
    case 'NEXT_90_DAYS':
      return range(addDays(today, 1), addDays(today, 91));
    case 'THIS_QUARTER':
      return range(quarterStart, addMonths(quarterStart, 3));
    case 'LAST_QUARTER':
      return range(addMonths(quarterStart, -3), quarterStart);
    case 'NEXT_QUARTER':
      return range(addMonths(quarterStart, 3), addMonths(quarterStart, 6));
    case 'THIS_YEAR':
      return range(yearStart, addMonths(yearStart, 12));
    case 'LAST_YEAR':
      return range(addMonths(yearStart, -12), yearStart);
    case 'NEXT_YEAR':
      return range(addMonths(yearStart, 12), addMonths(yearStart, 24));
    case 'THIS_FISCAL_QUARTER':
      return range(fiscalQuarterStart, addMonths(fiscalQuarterStart, 3));
    case 'LAST_FISCAL_QUARTER':
      return range(addMonths(fiscalQuarterStart, -3), fiscalQuarterStart);
    case 'NEXT_FISCAL_QUARTER':
      return range(addMonths(fiscalQuarterStart, 3), addMonths(fiscalQuarterStart, 6));
    case 'THIS_FISCAL_YEAR':
      return range(fiscalYearStart, addMonths(fiscalYearStart, 12));
    case 'LAST_FISCAL_YEAR':
      return range(addMonths(fiscalYearStart, -12), fiscalYearStart);
    case 'NEXT_FISCAL_YEAR':
      return range(addMonths(fiscalYearStart, 12), addMonths(fiscalYearStart, 24));
    case 'LAST_N_DAYS':
      return range(addDays(today, -count), addDays(today, 1));
    case 'NEXT_N_DAYS':
      return range(addDays(today, 1), addDays(today, 1 + count));
    case 'N_DAYS_AGO':
      return range(addDays(today, -count), addDays(today, -count + 1));
    case 'LAST_N_WEEKS':
      return range(addDays(weekStart, -7 * count), weekStart);
    case 'NEXT_N_WEEKS':
      return range(addDays(weekStart, 7), addDays(weekStart, 7 + 7 * count));
    case 'N_WEEKS_AGO':
      return range(addDays(weekStart, -7 * count), addDays(weekStart, -7 * count + 7));
    case 'LAST_N_MONTHS':
      return range(addMonths(monthStart, -count), monthStart);
    case 'NEXT_N_MONTHS':
      return range(addMonths(monthStart, 1), addMonths(monthStart, 1 + count));
    case 'N_MONTHS_AGO':
      return range(addMonths(monthStart, -count), addMonths(monthStart, -count + 1));
    case 'LAST_N_QUARTERS':
      return range(addMonths(quarterStart, -3 * count), quarterStart);
    case 'NEXT_N_QUARTERS':
      return range(addMonths(quarterStart, 3), addMonths(quarterStart, 3 + 3 * count));
    case 'N_QUARTERS_AGO':
      return range(addMonths(quarterStart, -3 * count), addMonths(quarterStart, -3 * count + 3));
    case 'LAST_N_YEARS':
      return range(addMonths(yearStart, -12 * count), yearStart);
    case 'NEXT_N_YEARS':
      return range(addMonths(yearStart, 12), addMonths(yearStart, 12 + 12 * count));
    case 'N_YEARS_AGO':
      return range(addMonths(yearStart, -12 * count), addMonths(yearStart, -12 * count + 12));
    case 'LAST_N_FISCAL_QUARTERS':
      return range(addMonths(fiscalQuarterStart, -3 * count), fiscalQuarterStart);
    case 'NEXT_N_FISCAL_QUARTERS':
      return range(addMonths(fiscalQuarterStart, 3), addMonths(fiscalQuarterStart, 3 + 3 * count));
    case 'N_FISCAL_QUARTERS_AGO':
      return range(addMonths(fiscalQuarterStart, -3 * count), addMonths(fiscalQuarterStart, -3 * count + 3));
    case 'LAST_N_FISCAL_YEARS':
      return range(addMonths(fiscalYearStart, -12 * count), fiscalYearStart);
    case 'NEXT_N_FISCAL_YEARS':
      return range(addMonths(fiscalYearStart, 12), addMonths(fiscalYearStart, 12 + 12 * count));
    case 'N_FISCAL_YEARS_AGO':
      return range(addMonths(fiscalYearStart, -12 * count), addMonths(fiscalYearStart, -12 * count + 12));
    default:
      return null;
  }
}

export function todayIn(ms: number, timeZone: string): YMD {
  const p = localParts(ms, timeZone);
  return { y: p.year, m: p.month, d: p.day };
}

/** The stored DateTime of local midnight at the start of `date` (`YYYY-MM-DD`) in `timeZone`. */
export function localMidnightStored(date: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return toStoredDateTime(zonedToUtc(y, m, d, 0, 0, 0, timeZone));
}
