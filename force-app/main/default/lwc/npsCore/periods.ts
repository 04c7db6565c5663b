// Periods and time: local dates in any IANA time zone (through Intl), and month, quarter and fiscal
// quarter buckets. A "day" is a local calendar date counted in days since 1970-01-01.

export type PeriodType = 'month' | 'quarter' | 'fiscal-quarter';
export type FiscalYearName = 'end' | 'start';

export interface PeriodOptions {
  type: PeriodType;
  /** First month of the fiscal year, 1–12 (Salesforce: Organization.FiscalYearStartMonth). */
  fiscalStartMonth?: number;
  /** Name a fiscal year by the calendar year in which it ends (default) or starts (Salesforce: UsesStartDateAsFiscalYearName). */
  fiscalYearName?: FiscalYearName;
}

export const PERIOD_TYPES: readonly PeriodType[] = ['month', 'quarter', 'fiscal-quarter'];

const MS_PER_DAY = 86_400_000;
const WINDOW_FIRST_DAY = -25_567; // 1900-01-01
const WINDOW_DAYS = 65_536;
const UNKNOWN = Number.POSITIVE_INFINITY;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The calendar date of a day number (H. Hinnant's civil_from_days). */
export function civilFromDay(dayNumber: number): CivilDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function pad(value: number, width: number): string {
  const text = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${text}` : text;
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(dayNumber: number): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function isValidCivilDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const next = civilFromDay(dayFromCivil(year, month, day));
  return next.year === year && next.month === month && next.day === day;
}

/** Throws a RangeError naming the zone when it is not an IANA time zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  try {
    Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions();
  } catch {
    throw new RangeError(
      `Unknown time zone "${timeZone}": use an IANA name such as UTC, Europe/Paris or America/Los_Angeles`
    );
  }
}

/**
 * Converts instants to local calendar days in one time zone. Offsets come from Intl; they are cached per
 * UTC day when constant over that day, so a million conversions cost one Map look-up each.
 */
export class LocalDayResolver {
  readonly timeZone: string;
  private readonly isUtc: boolean;
  private readonly format: Intl.DateTimeFormat;
  /** Offset per UTC day from 1900 to 2079 (UNKNOWN until first needed): an array read per conversion. */
  private readonly offsetByUtcDay = new Float64Array(WINDOW_DAYS).fill(UNKNOWN);
  private readonly transitions = new Map<number, { at: number; before: number; after: number }>();

  constructor(timeZone = 'UTC') {
    assertTimeZone(timeZone);
    this.timeZone = timeZone;
    this.isUtc = /^(utc|etc\/utc|gmt|etc\/gmt|z)$/i.test(timeZone);
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short'
    });
  }

  /** Offset of local time from UTC at an instant, in milliseconds (exact, from Intl). */
  offsetAt(epochMs: number): number {
    if (this.isUtc) return 0;
    const wholeSecond = Math.floor(epochMs / 1000) * 1000;
    const parts = this.format.formatToParts(new Date(wholeSecond));
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const part of parts) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value);
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        case 'era':
          bc = part.value === 'BC' || part.value === 'B';
          break;
        default:
          break;
      }
    }
    const fullYear = bc ? 1 - year : year;
    const localAsUtc =
      dayFromCivil(fullYear, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000;
    return localAsUtc - wholeSecond;
  }

  /** The local calendar day (days since 1970-01-01) of an instant. */
  dayOf(epochMs: number): number {
    if (this.isUtc) return Math.floor(epochMs / MS_PER_DAY);
    const utcDay = Math.floor(epochMs / MS_PER_DAY);
    const slot = utcDay - WINDOW_FIRST_DAY;
    let offset: number;
    if (slot >= 0 && slot < WINDOW_DAYS) {
      offset = this.offsetByUtcDay[slot] as number;
      if (offset === UNKNOWN) {
        offset = this.dayOffset(utcDay);
        this.offsetByUtcDay[slot] = offset;
      }
    } else {
      offset = this.dayOffset(utcDay);
    }
    if (Number.isNaN(offset)) offset = this.transitionOffset(utcDay, epochMs); // the day holds an offset change
    return Math.floor((epochMs + offset) / MS_PER_DAY);
  }

  /** Offset on a day that holds a change: the instant of the change is found once by bisection (to the ms). */
  private transitionOffset(utcDay: number, epochMs: number): number {
    let transition = this.transitions.get(utcDay);
    if (transition === undefined) {
      const start = utcDay * MS_PER_DAY;
      const before = this.offsetAt(start);
      const after = this.offsetAt(start + MS_PER_DAY - 1);
      let lo = start; // offset(lo) === before
      let hi = start + MS_PER_DAY - 1; // offset(hi) === after
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (this.offsetAt(mid) === before) lo = mid;
        else hi = mid;
      }
      // Offsets change on whole seconds: the change is at the first second whose offset is `after`.
      transition = { at: Math.ceil(hi / 1000) * 1000, before, after };
      this.transitions.set(utcDay, transition);
    }
    return epochMs < transition.at ? transition.before : transition.after;
  }

  /** The offset of a whole UTC day, or NaN when it changes during that day (tzdb has at most one change a day). */
  private dayOffset(utcDay: number): number {
    const start = utcDay * MS_PER_DAY;
    const atStart = this.offsetAt(start);
    return atStart === this.offsetAt(start + MS_PER_DAY - 1) ? atStart : Number.NaN;
  }
}

export interface ResolvedPeriodOptions {
  type: PeriodType;
  fiscalStartMonth: number;
  fiscalYearName: FiscalYearName;
}

export function resolvePeriodOptions(options: PeriodOptions): ResolvedPeriodOptions {
  const fiscalStartMonth = options.fiscalStartMonth ?? 1;
  if (!Number.isInteger(fiscalStartMonth) || fiscalStartMonth < 1 || fiscalStartMonth > 12) {
    throw new RangeError(
      `Fiscal year start month must be a whole number from 1 to 12, got ${String(options.fiscalStartMonth)}`
    );
  }
  if (!PERIOD_TYPES.includes(options.type)) {
    throw new RangeError(
      `Period type must be one of ${PERIOD_TYPES.join(', ')}, got ${String(options.type)}`
    );
  }
  return { type: options.type, fiscalStartMonth, fiscalYearName: options.fiscalYearName ?? 'end' };
}

/**
 * Index of the period holding a calendar month: consecutive periods have consecutive indexes, so the
 * previous period is index − 1.
 */
export function periodIndexOfMonth(year: number, month: number, options: ResolvedPeriodOptions): number {
  switch (options.type) {
    case 'month':
      return year * 12 + (month - 1);
    case 'quarter':
      return year * 4 + Math.floor((month - 1) / 3);
    case 'fiscal-quarter': {
      const start = options.fiscalStartMonth;
      const monthsIntoYear = (month - start + 12) % 12;
      const startYear = month >= start ? year : year - 1;
      return startYear * 4 + Math.floor(monthsIntoYear / 3);
    }
    default:
      throw new RangeError(`Unknown period type ${String(options.type)}`);
  }
}

/** Index of the period that holds a local day. */
export function periodIndexOfDay(dayNumber: number, options: ResolvedPeriodOptions): number {
  const { year, month } = civilFromDay(dayNumber);
  return periodIndexOfMonth(year, month, options);
}

function floorDiv(a: number, b: number): [number, number] {
  const q = Math.floor(a / b);
  return [q, a - q * b];
}

/** Label of a period: `2026-03`, `2026-Q1`, or `FY2027-Q1`. */
export function periodLabel(index: number, options: ResolvedPeriodOptions): string {
  switch (options.type) {
    case 'month': {
      const [year, m] = floorDiv(index, 12);
      return `${pad(year, 4)}-${pad(m + 1, 2)}`;
    }
    case 'quarter': {
      const [year, q] = floorDiv(index, 4);
      return `${pad(year, 4)}-Q${q + 1}`;
    }
    case 'fiscal-quarter': {
      const [startYear, q] = floorDiv(index, 4);
      const endsInStartYear = options.fiscalStartMonth === 1;
      const name = options.fiscalYearName === 'start' || endsInStartYear ? startYear : startYear + 1;
      return `FY${pad(name, 4)}-Q${q + 1}`;
    }
    default:
      throw new RangeError(`Unknown period type ${String(options.type)}`);
  }
}

/** First local day of a period, as `YYYY-MM-DD`. */
export function periodStart(index: number, options: ResolvedPeriodOptions): string {
  return formatDay(periodStartDay(index, options));
}

export function periodStartDay(index: number, options: ResolvedPeriodOptions): number {
  switch (options.type) {
    case 'month': {
      const [year, m] = floorDiv(index, 12);
      return dayFromCivil(year, m + 1, 1);
    }
    case 'quarter': {
      const [year, q] = floorDiv(index, 4);
      return dayFromCivil(year, q * 3 + 1, 1);
    }
    case 'fiscal-quarter': {
      const [startYear, q] = floorDiv(index, 4);
      const [yearOffset, monthIndex] = floorDiv(options.fiscalStartMonth - 1 + q * 3, 12);
      return dayFromCivil(startYear + yearOffset, monthIndex + 1, 1);
    }
    default:
      throw new RangeError(`Unknown period type ${String(options.type)}`);
  }
}

/** Index of the period whose label is given (inverse of periodLabel); null when the label does not fit the type. */
export function periodIndexOfLabel(label: string, options: ResolvedPeriodOptions): number | null {
  const month = /^(\d{4})-(\d{2})$/.exec(label);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  const fiscal = /^FY(\d{4})-Q([1-4])$/.exec(label);
  if (options.type === 'month' && month) {
    const m = Number(month[2]);
    return m >= 1 && m <= 12 ? Number(month[1]) * 12 + m - 1 : null;
  }
  if (options.type === 'quarter' && quarter) return Number(quarter[1]) * 4 + Number(quarter[2]) - 1;
  if (options.type === 'fiscal-quarter' && fiscal) {
    const name = Number(fiscal[1]);
    const startYear = options.fiscalYearName === 'start' || options.fiscalStartMonth === 1 ? name : name - 1;
    return startYear * 4 + Number(fiscal[2]) - 1;
  }
  return null;
}

export type ParsedInstant =
  | { ok: true; kind: 'instant'; epochMs: number }
  | { ok: true; kind: 'date'; day: number }
  | { ok: false; reason: string };

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Reads a response time: an ISO 8601 date-time with an offset or Z (an instant), or `YYYY-MM-DD`
 * (a local date). Anything else is rejected with the reason and the formats accepted.
 */
export function parseRespondedAt(text: string | null | undefined): ParsedInstant {
  const raw = (text ?? '').trim();
  return parseCommonShape(raw) ?? parseRespondedAtBySyntax(raw);
}

/** parseRespondedAt through the regular expressions alone (every shape; exported for tests). */
export function parseRespondedAtBySyntax(raw: string): ParsedInstant {
  const accepted = 'expected YYYY-MM-DD or an ISO 8601 date-time with offset, e.g. 2026-03-31T14:05:00Z';
  if (raw === '') return { ok: false, reason: `date is empty: ${accepted}` };
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  const date = DATE_ONLY.exec(raw);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!isValidCivilDate(year, month, day))
      return { ok: false, reason: `date "${shown}" does not exist in the calendar` };
    return { ok: true, kind: 'date', day: dayFromCivil(year, month, day) };
  }
  const dt = DATE_TIME.exec(raw);
  if (!dt) return { ok: false, reason: `date "${shown}" is not in a supported format: ${accepted}` };
  const year = Number(dt[1]);
  const month = Number(dt[2]);
  const day = Number(dt[3]);
  const hour = Number(dt[4]);
  const minute = Number(dt[5]);
  const second = dt[6] === undefined ? 0 : Number(dt[6]);
  const fraction = dt[7] === undefined ? 0 : Number(`0.${dt[7]}`);
  if (!isValidCivilDate(year, month, day))
    return { ok: false, reason: `date "${shown}" does not exist in the calendar` };
  if (hour > 23 || minute > 59 || second > 59)
    return {
      ok: false,
      reason: `time in "${shown}" does not exist (hours 00–23, minutes and seconds 00–59)`
    };
  let offsetMinutes = 0;
  if (dt[8] === undefined) {
    if (dt[9] === undefined) {
      return {
        ok: false,
        reason: `date-time "${shown}" has no time zone offset: add Z (UTC) or an offset such as +05:30`
      };
    }
    const offsetHours = Number(dt[10]);
    const offsetMins = Number(dt[11]);
    if (offsetHours > 14 || offsetMins > 59)
      return { ok: false, reason: `time zone offset in "${shown}" is not valid (at most ±14:00)` };
    offsetMinutes = (dt[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const localMs =
    dayFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    Math.round(fraction * 1000);
  return { ok: true, kind: 'instant', epochMs: localMs - offsetMinutes * 60_000 };
}

const CODE_0 = 48;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Value of the two decimal digits at codes[at], or −1 when either is not a digit. */
function twoDigits(codes: Uint8Array, at: number): number {
  const tens = (codes[at] as number) - CODE_0;
  const ones = (codes[at + 1] as number) - CODE_0;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] as number;
}

/** Day number of the first of each month of 1900–2099 (0: not computed yet), so a date costs one read. */
const MONTH_START_FIRST_YEAR = 1900;
const monthStartDays = new Int32Array(200 * 12);

function dayOfCivil(year: number, month: number, day: number): number {
  const slot = (year - MONTH_START_FIRST_YEAR) * 12 + month - 1;
  if (slot < 0 || slot >= monthStartDays.length) return dayFromCivil(year, month, day);
  let first = monthStartDays[slot] as number;
  if (first === 0) {
    first = dayFromCivil(year, month, 1);
    monthStartDays[slot] = first; // 1970-01-01 itself stays 0 and is recomputed: harmless
  }
  return first + day - 1;
}

/** The longest common shape: 2026-03-31T14:05:00.123+05:30. */
const COMMON_SHAPE_MAX = 29;
const scratch = new Uint8Array(COMMON_SHAPE_MAX);

function parseCommonShape(raw: string): ParsedInstant | null {
  const length = raw.length;
  if (length > COMMON_SHAPE_MAX) return null;
  for (let i = 0; i < length; i++) {
    const code = raw.charCodeAt(i);
    if (code > 0x7f) return null;
    scratch[i] = code;
  }
  return parseRespondedAtCodes(scratch, 0, length);
}

/**
 * parseRespondedAt for the shapes nearly every file uses — `YYYY-MM-DD` and
 * `YYYY-MM-DDThh:mm:ss[.f{1,3}](Z|±hh:mm)` — read from ASCII codes (a CSV cell's bytes, without making a
 * string) instead of through the regular expressions. Returns null for any other text (surrounding
 * spaces included) and for a date, time or offset out of range: parseRespondedAt on the text then gives
 * the verdict and its reason. When not null, the result is the one parseRespondedAt gives for that text.
 */
export function parseRespondedAtCodes(codes: Uint8Array, start: number, end: number): ParsedInstant | null {
  const length = end - start;
  if (length !== 10 && (length < 20 || length > COMMON_SHAPE_MAX)) return null;
  if (codes[start + 4] !== 45 || codes[start + 7] !== 45) return null; // '-'
  const century = twoDigits(codes, start);
  const yearOfCentury = twoDigits(codes, start + 2);
  const month = twoDigits(codes, start + 5);
  const day = twoDigits(codes, start + 8);
  if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1) return null;
  const year = century * 100 + yearOfCentury;
  if (day > daysInMonth(year, month)) return null;
  if (length === 10) return { ok: true, kind: 'date', day: dayOfCivil(year, month, day) };
  const separator = codes[start + 10];
  if (separator !== 84 && separator !== 116 && separator !== 32) return null; // 'T', 't', ' '
  if (codes[start + 13] !== 58 || codes[start + 16] !== 58) return null; // ':'
  const hour = twoDigits(codes, start + 11);
  const minute = twoDigits(codes, start + 14);
  const second = twoDigits(codes, start + 17);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  let at = start + 19;
  let millis = 0;
  const mark = codes[at];
  if (mark === 46 || mark === 44) {
    // '.' or ','. Up to 3 digits are whole milliseconds, as Math.round(Number(`0.${digits}`) * 1000) gives.
    let digits = 0;
    while (digits < 4 && at + 1 + digits < end) {
      const digit = (codes[at + 1 + digits] as number) - CODE_0;
      if (digit < 0 || digit > 9) break;
      millis = millis * 10 + digit;
      digits++;
    }
    if (digits === 0 || digits > 3) return null;
    millis *= digits === 1 ? 100 : digits === 2 ? 10 : 1;
    at += 1 + digits;
  }
  let offsetMinutes: number;
  const sign = codes[at];
  if ((sign === 90 || sign === 122) && at + 1 === end) {
    offsetMinutes = 0; // 'Z', 'z'
  } else if ((sign === 43 || sign === 45) && at + 6 === end && codes[at + 3] === 58) {
    const offsetHours = twoDigits(codes, at + 1);
    const offsetMins = twoDigits(codes, at + 4);
    if (offsetHours < 0 || offsetHours > 14 || offsetMins < 0 || offsetMins > 59) return null;
    offsetMinutes = (sign === 45 ? -1 : 1) * (offsetHours * 60 + offsetMins);
  } else {
    return null;
  }
  const localMs =
    dayOfCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return { ok: true, kind: 'instant', epochMs: localMs - offsetMinutes * 60_000 };
}

/** Local day of a parsed response time: an instant goes through the time zone, a date is already local. */
export function localDayOfParsed(
  parsed: { kind: 'instant'; epochMs: number } | { kind: 'date'; day: number },
  resolver: LocalDayResolver
): number {
  return parsed.kind === 'date' ? parsed.day : resolver.dayOf(parsed.epochMs);
}
