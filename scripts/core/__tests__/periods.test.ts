// Periods and time (DESIGN.md § Periods and time): the local date of an answer in any IANA time zone,
// date-only values, offsets, and month / quarter / fiscal-quarter labels for every fiscal start month.
import {
  civilFromDay,
  dayFromCivil,
  formatDay,
  isValidCivilDate,
  LocalDayResolver,
  localDayOfParsed,
  parseRespondedAt,
  periodIndexOfDay,
  periodIndexOfLabel,
  periodIndexOfMonth,
  periodLabel,
  periodStart,
  resolvePeriodOptions,
  type FiscalYearName,
  type PeriodType
} from 'c/npsCore';

const HOUR = 3_600_000;
const ms = (iso: string): number => Date.parse(iso);
const day = (iso: string): number => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return dayFromCivil(y, m, d);
};

/** The local date of an instant in a zone, as `YYYY-MM-DD`. */
function localDate(iso: string, timeZone: string): string {
  return formatDay(new LocalDayResolver(timeZone).dayOf(ms(iso)));
}

/** The month label of an instant in a zone. */
function monthOf(iso: string, timeZone: string): string {
  const options = resolvePeriodOptions({ type: 'month' });
  return periodLabel(periodIndexOfDay(new LocalDayResolver(timeZone).dayOf(ms(iso)), options), options);
}

describe('calendar days', () => {
  it('dayFromCivil and civilFromDay are inverse and start at 1970-01-01', () => {
    expect(dayFromCivil(1970, 1, 1)).toBe(0);
    expect(dayFromCivil(2026, 3, 1) - dayFromCivil(2026, 2, 28)).toBe(1); // 2026 is not a leap year
    expect(dayFromCivil(2028, 3, 1) - dayFromCivil(2028, 2, 28)).toBe(2); // 2028 is
    for (let d = dayFromCivil(1999, 12, 25); d < dayFromCivil(2001, 1, 10); d++) {
      const { year, month, day: dd } = civilFromDay(d);
      expect(dayFromCivil(year, month, dd)).toBe(d);
    }
    expect(formatDay(dayFromCivil(2026, 4, 1))).toBe('2026-04-01');
  });

  it('isValidCivilDate refuses dates that do not exist', () => {
    expect(isValidCivilDate(2026, 2, 28)).toBe(true);
    expect(isValidCivilDate(2026, 2, 29)).toBe(false);
    expect(isValidCivilDate(2028, 2, 29)).toBe(true);
    expect(isValidCivilDate(2100, 2, 29)).toBe(false);
    expect(isValidCivilDate(2000, 2, 29)).toBe(true);
    expect(isValidCivilDate(2026, 2, 30)).toBe(false);
    expect(isValidCivilDate(2026, 4, 31)).toBe(false);
    expect(isValidCivilDate(2026, 13, 1)).toBe(false);
    expect(isValidCivilDate(2026, 0, 1)).toBe(false);
  });
});

describe('local date of an instant', () => {
  it('2026-04-01T05:00Z is March 31 in America/Los_Angeles (PDT, UTC−7), April in UTC', () => {
    expect(localDate('2026-04-01T05:00:00Z', 'America/Los_Angeles')).toBe('2026-03-31');
    expect(monthOf('2026-04-01T05:00:00Z', 'America/Los_Angeles')).toBe('2026-03');
    expect(monthOf('2026-04-01T05:00:00Z', 'UTC')).toBe('2026-04');
    // 07:00Z is midnight in Los Angeles: April from then on
    expect(monthOf('2026-04-01T06:59:59Z', 'America/Los_Angeles')).toBe('2026-03');
    expect(monthOf('2026-04-01T07:00:00Z', 'America/Los_Angeles')).toBe('2026-04');
  });

  it('America/New_York, DST starts 2026-03-08 02:00 EST (07:00Z): offset −5 h, then −4 h', () => {
    const ny = new LocalDayResolver('America/New_York');
    expect(ny.offsetAt(ms('2026-03-08T06:59:59Z'))).toBe(-5 * HOUR);
    expect(ny.offsetAt(ms('2026-03-08T07:00:00Z'))).toBe(-4 * HOUR);
    // midnight before the change is at −5 h, midnight after it at −4 h
    expect(localDate('2026-03-08T04:59:59Z', 'America/New_York')).toBe('2026-03-07');
    expect(localDate('2026-03-08T05:00:00Z', 'America/New_York')).toBe('2026-03-08');
    expect(localDate('2026-03-09T03:59:59Z', 'America/New_York')).toBe('2026-03-08');
    expect(localDate('2026-03-09T04:00:00Z', 'America/New_York')).toBe('2026-03-09');
  });

  it('America/New_York, DST ends 2026-11-01 02:00 EDT (06:00Z): the October/November boundary is at 04:00Z', () => {
    const ny = new LocalDayResolver('America/New_York');
    expect(ny.offsetAt(ms('2026-11-01T05:59:59Z'))).toBe(-4 * HOUR);
    expect(ny.offsetAt(ms('2026-11-01T06:00:00Z'))).toBe(-5 * HOUR);
    expect(monthOf('2026-11-01T03:59:59Z', 'America/New_York')).toBe('2026-10');
    expect(monthOf('2026-11-01T04:00:00Z', 'America/New_York')).toBe('2026-11');
    // the repeated hour 01:00–02:00 local is still November 1; midnight of Nov 2 is at −5 h
    expect(localDate('2026-11-01T05:30:00Z', 'America/New_York')).toBe('2026-11-01');
    expect(localDate('2026-11-01T06:30:00Z', 'America/New_York')).toBe('2026-11-01');
    expect(localDate('2026-11-02T04:59:59Z', 'America/New_York')).toBe('2026-11-01');
    expect(localDate('2026-11-02T05:00:00Z', 'America/New_York')).toBe('2026-11-02');
  });

  it('Europe/Paris: CET +1 h in winter, CEST +2 h in summer (change 2026-03-29 01:00Z and 2026-10-25 01:00Z)', () => {
    const paris = new LocalDayResolver('Europe/Paris');
    expect(paris.offsetAt(ms('2026-03-29T00:59:59Z'))).toBe(1 * HOUR);
    expect(paris.offsetAt(ms('2026-03-29T01:00:00Z'))).toBe(2 * HOUR);
    expect(paris.offsetAt(ms('2026-10-25T00:59:59Z'))).toBe(2 * HOUR);
    expect(paris.offsetAt(ms('2026-10-25T01:00:00Z'))).toBe(1 * HOUR);
    expect(monthOf('2026-01-31T22:59:59Z', 'Europe/Paris')).toBe('2026-01');
    expect(monthOf('2026-01-31T23:00:00Z', 'Europe/Paris')).toBe('2026-02');
    expect(monthOf('2026-03-31T21:59:59Z', 'Europe/Paris')).toBe('2026-03');
    expect(monthOf('2026-03-31T22:00:00Z', 'Europe/Paris')).toBe('2026-04');
  });

  it('Australia/Lord_Howe: half-hour DST (+11:00 in summer, +10:30 in winter)', () => {
    const lh = new LocalDayResolver('Australia/Lord_Howe');
    // DST ends Sunday 2026-04-05 02:00 local (+11) = 2026-04-04T15:00Z, clocks go back to 01:30
    expect(lh.offsetAt(ms('2026-04-04T14:59:59Z'))).toBe(11 * HOUR);
    expect(lh.offsetAt(ms('2026-04-04T15:00:00Z'))).toBe(10.5 * HOUR);
    // DST starts Sunday 2026-10-04 02:00 local (+10:30) = 2026-10-03T15:30Z, clocks go forward to 02:30
    expect(lh.offsetAt(ms('2026-10-03T15:29:59Z'))).toBe(10.5 * HOUR);
    expect(lh.offsetAt(ms('2026-10-03T15:30:00Z'))).toBe(11 * HOUR);
    // month boundaries: April 1 00:00 (+11) = March 31 13:00Z; July 1 00:00 (+10:30) = June 30 13:30Z
    expect(monthOf('2026-03-31T12:59:59Z', 'Australia/Lord_Howe')).toBe('2026-03');
    expect(monthOf('2026-03-31T13:00:00Z', 'Australia/Lord_Howe')).toBe('2026-04');
    expect(monthOf('2026-06-30T13:29:59Z', 'Australia/Lord_Howe')).toBe('2026-06');
    expect(monthOf('2026-06-30T13:30:00Z', 'Australia/Lord_Howe')).toBe('2026-07');
  });

  it('Asia/Kolkata (+05:30 all year): April 1 00:00 IST = 2026-03-31T18:30Z', () => {
    expect(monthOf('2026-03-31T18:29:59Z', 'Asia/Kolkata')).toBe('2026-03');
    expect(monthOf('2026-03-31T18:30:00Z', 'Asia/Kolkata')).toBe('2026-04');
  });

  it('every minute around the 2026 New York and Lord Howe changes agrees with Intl (the offset cache is exact)', () => {
    const check = (timeZone: string, fromIso: string, minutes: number) => {
      const resolver = new LocalDayResolver(timeZone);
      const intl = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit'
      });
      for (let i = 0; i < minutes; i++) {
        const t = ms(fromIso) + i * 60_000 + 17_000;
        expect(formatDay(resolver.dayOf(t))).toBe(intl.format(new Date(t)));
      }
    };
    check('America/New_York', '2026-11-01T03:00:00Z', 240);
    check('Australia/Lord_Howe', '2026-10-03T12:00:00Z', 300);
    check('Australia/Lord_Howe', '2026-04-04T12:00:00Z', 300);
  });

  it('to the millisecond at every 2026 offset change, also where the change is at local midnight (Santiago, Beirut, Havana)', () => {
    const offsetName = (f: Intl.DateTimeFormat, t: number) =>
      f.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')?.value;
    for (const timeZone of [
      'America/Santiago',
      'Asia/Beirut',
      'America/Havana',
      'America/New_York',
      'Australia/Lord_Howe',
      'Europe/Paris'
    ]) {
      const zoneName = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
      const intlDate = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit'
      });
      const resolver = new LocalDayResolver(timeZone);
      const changes: number[] = [];
      // find each change hour by hour through 2026, then the exact millisecond by bisection on Intl
      for (let t = ms('2026-01-01T00:00:00Z'); t < ms('2027-01-01T00:00:00Z'); t += HOUR) {
        if (offsetName(zoneName, t) === offsetName(zoneName, t + HOUR)) continue;
        let lo = t;
        let hi = t + HOUR;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (offsetName(zoneName, mid) === offsetName(zoneName, t)) lo = mid;
          else hi = mid;
        }
        changes.push(hi);
      }
      expect({ timeZone, changes: changes.length }).toEqual({ timeZone, changes: 2 });
      for (const at of changes) {
        for (const delta of [-HOUR, -1000, -1, 0, 1, 1000, HOUR]) {
          const t = at + delta;
          expect({ timeZone, t: new Date(t).toISOString(), day: formatDay(resolver.dayOf(t)) }).toEqual({
            timeZone,
            t: new Date(t).toISOString(),
            day: intlDate.format(new Date(t))
          });
        }
      }
    }
  });

  it('refuses an unknown time zone, naming it', () => {
    expect(() => new LocalDayResolver('Mars/Olympus_Mons')).toThrow(/Unknown time zone "Mars\/Olympus_Mons"/);
  });
});

describe('parseRespondedAt', () => {
  it('a date without a time is a local date: it stays on that date in every zone', () => {
    const parsed = parseRespondedAt('2026-03-31');
    expect(parsed).toEqual({ ok: true, kind: 'date', day: day('2026-03-31') });
    if (!parsed.ok) throw new Error('unreachable');
    for (const zone of [
      'UTC',
      'Pacific/Kiritimati',
      'Pacific/Pago_Pago',
      'America/Los_Angeles',
      'Asia/Kolkata',
      'Australia/Lord_Howe'
    ]) {
      expect(formatDay(localDayOfParsed(parsed, new LocalDayResolver(zone)))).toBe('2026-03-31');
    }
  });

  it('reads Z and numeric offsets such as +05:30 and −03:30', () => {
    expect(parseRespondedAt('2026-03-31T14:05:00Z')).toEqual({
      ok: true,
      kind: 'instant',
      epochMs: ms('2026-03-31T14:05:00Z')
    });
    // 23:30 at +05:30 is 18:00Z
    expect(parseRespondedAt('2026-03-31T23:30:00+05:30')).toEqual({
      ok: true,
      kind: 'instant',
      epochMs: ms('2026-03-31T18:00:00Z')
    });
    // 22:00 at −03:30 is 01:30Z the next day
    expect(parseRespondedAt('2026-03-31T22:00:00-03:30')).toEqual({
      ok: true,
      kind: 'instant',
      epochMs: ms('2026-04-01T01:30:00Z')
    });
    expect(parseRespondedAt('2026-03-31T22:00-0330')).toEqual({
      ok: true,
      kind: 'instant',
      epochMs: ms('2026-04-01T01:30:00Z')
    });
    expect(parseRespondedAt('2026-03-31 14:05:06.250Z')).toEqual({
      ok: true,
      kind: 'instant',
      epochMs: ms('2026-03-31T14:05:06.250Z')
    });
  });

  it('an offset answer is bucketed by the chosen zone, not by its own offset', () => {
    // 2026-03-31T23:30+05:30 = 18:00Z: March 31 in Kolkata and in UTC, April 1 in Tokyo (03:00 JST)
    const parsed = parseRespondedAt('2026-03-31T23:30:00+05:30');
    if (!parsed.ok) throw new Error('parse failed');
    expect(formatDay(localDayOfParsed(parsed, new LocalDayResolver('Asia/Kolkata')))).toBe('2026-03-31');
    expect(formatDay(localDayOfParsed(parsed, new LocalDayResolver('UTC')))).toBe('2026-03-31');
    expect(formatDay(localDayOfParsed(parsed, new LocalDayResolver('Asia/Tokyo')))).toBe('2026-04-01');
  });

  it('rejects with a reason: impossible dates, other formats, no offset, empty', () => {
    const reason = (text: string) => {
      const r = parseRespondedAt(text);
      return r.ok ? 'accepted' : r.reason;
    };
    expect(reason('2026-02-30')).toBe('date "2026-02-30" does not exist in the calendar');
    expect(reason('2026-02-30T10:00:00Z')).toBe('date "2026-02-30T10:00:00Z" does not exist in the calendar');
    expect(reason('03/01/2026')).toMatch(
      /^date "03\/01\/2026" is not in a supported format: expected YYYY-MM-DD or an ISO 8601 date-time/
    );
    expect(reason('2026-03-01T10:00:00')).toBe(
      'date-time "2026-03-01T10:00:00" has no time zone offset: add Z (UTC) or an offset such as +05:30'
    );
    expect(reason('2026-03-01T24:00:00Z')).toMatch(/^time in "2026-03-01T24:00:00Z" does not exist/);
    expect(reason('2026-03-01T10:00:00+15:00')).toMatch(/offset .* is not valid/);
    expect(reason('')).toMatch(/^date is empty/);
  });
});

describe('month and quarter labels', () => {
  const month = resolvePeriodOptions({ type: 'month' });
  const quarter = resolvePeriodOptions({ type: 'quarter' });

  it('YYYY-MM and YYYY-Qn with their first day', () => {
    const i = periodIndexOfDay(day('2026-08-17'), month);
    expect(periodLabel(i, month)).toBe('2026-08');
    expect(periodStart(i, month)).toBe('2026-08-01');
    const q = periodIndexOfDay(day('2026-08-17'), quarter);
    expect(periodLabel(q, quarter)).toBe('2026-Q3');
    expect(periodStart(q, quarter)).toBe('2026-07-01');
  });

  it('the previous period is index − 1, across a year boundary', () => {
    const jan = periodIndexOfMonth(2026, 1, month);
    expect(periodLabel(jan - 1, month)).toBe('2025-12');
    const q1 = periodIndexOfMonth(2026, 2, quarter);
    expect(periodLabel(q1 - 1, quarter)).toBe('2025-Q4');
    expect(periodStart(q1 - 1, quarter)).toBe('2025-10-01');
  });

  it('refuses bad period options with a message', () => {
    expect(() => resolvePeriodOptions({ type: 'fiscal-quarter', fiscalStartMonth: 13 })).toThrow(
      /from 1 to 12, got 13/
    );
    expect(() => resolvePeriodOptions({ type: 'fiscal-quarter', fiscalStartMonth: 0 })).toThrow(RangeError);
    expect(() => resolvePeriodOptions({ type: 'week' as PeriodType })).toThrow(
      /month, quarter, fiscal-quarter/
    );
  });
});

describe('fiscal quarters', () => {
  /**
   * A slow, independent reckoning: walk month by month from a known fiscal-year start (month s of 1990),
   * counting months. Month number c (from 0) of the walk is in quarter ⌊c/3⌋ mod 4 + 1 of the fiscal year
   * that began 12·⌊c/12⌋ months after the start; that year is named by the calendar year of its first month
   * ('start') or of its twelfth month ('end').
   */
  function slowFiscal(
    year: number,
    month: number,
    s: number,
    naming: FiscalYearName
  ): { label: string; start: string } {
    let y = 1990;
    let m = s;
    let c = 0;
    let fyFirst = { y, m };
    let quarterFirst = { y, m };
    const advance = (p: { y: number; m: number }, by: number) => {
      let { y: yy, m: mm } = p;
      for (let k = 0; k < by; k++) {
        mm++;
        if (mm === 13) {
          mm = 1;
          yy++;
        }
      }
      return { y: yy, m: mm };
    };
    while (!(y === year && m === month)) {
      ({ y, m } = advance({ y, m }, 1));
      c++;
      if (c % 12 === 0) fyFirst = { y, m };
      if (c % 3 === 0) quarterFirst = { y, m };
    }
    const fyLast = advance(fyFirst, 11);
    const name = naming === 'start' ? fyFirst.y : fyLast.y;
    const q = (Math.floor(c / 3) % 4) + 1;
    return {
      label: `FY${name}-Q${q}`,
      start: `${quarterFirst.y}-${String(quarterFirst.m).padStart(2, '0')}-01`
    };
  }

  const starts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const namings: FiscalYearName[] = ['end', 'start'];

  it.each(starts.flatMap((s) => namings.map((n) => [s, n] as const)))(
    'start month %i, named by the %s year: label and first day of every month 2024–2027 match a slow count',
    (s, naming) => {
      const options = resolvePeriodOptions({
        type: 'fiscal-quarter',
        fiscalStartMonth: s,
        fiscalYearName: naming
      });
      for (let year = 2024; year <= 2027; year++) {
        for (let month = 1; month <= 12; month++) {
          const expected = slowFiscal(year, month, s, naming);
          const index = periodIndexOfDay(day(`${year}-${String(month).padStart(2, '0')}-15`), options);
          expect({
            year,
            month,
            label: periodLabel(index, options),
            start: periodStart(index, options)
          }).toEqual({
            year,
            month,
            label: expected.label,
            start: expected.start
          });
        }
      }
    }
  );

  it('known cases: February start (FY2027 begins 2026-02-01), April start, October start (US federal FY2026 began 2025-10-01)', () => {
    const label = (iso: string, s: number, naming: FiscalYearName) => {
      const o = resolvePeriodOptions({ type: 'fiscal-quarter', fiscalStartMonth: s, fiscalYearName: naming });
      return periodLabel(periodIndexOfDay(day(iso), o), o);
    };
    expect(label('2026-02-01', 2, 'end')).toBe('FY2027-Q1');
    expect(label('2026-01-31', 2, 'end')).toBe('FY2026-Q4');
    expect(label('2026-02-01', 2, 'start')).toBe('FY2026-Q1');
    expect(label('2026-01-31', 2, 'start')).toBe('FY2025-Q4');
    expect(label('2026-04-01', 4, 'end')).toBe('FY2027-Q1');
    expect(label('2026-04-01', 4, 'start')).toBe('FY2026-Q1');
    expect(label('2025-10-01', 10, 'end')).toBe('FY2026-Q1');
    expect(label('2026-09-30', 10, 'end')).toBe('FY2026-Q4');
    // a January start is the calendar year under either naming
    expect(label('2026-05-01', 1, 'end')).toBe('FY2026-Q2');
    expect(label('2026-05-01', 1, 'start')).toBe('FY2026-Q2');
  });

  it('the previous fiscal quarter of FY2027-Q1 (February start) is FY2026-Q4, starting 2025-11-01', () => {
    const o = resolvePeriodOptions({ type: 'fiscal-quarter', fiscalStartMonth: 2 });
    const i = periodIndexOfDay(day('2026-02-10'), o);
    expect(periodLabel(i, o)).toBe('FY2027-Q1');
    expect(periodLabel(i - 1, o)).toBe('FY2026-Q4');
    expect(periodStart(i - 1, o)).toBe('2025-11-01');
  });
});

describe('periodIndexOfLabel, the inverse of periodLabel', () => {
  const all = [
    resolvePeriodOptions({ type: 'month' }),
    resolvePeriodOptions({ type: 'quarter' }),
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].flatMap((s) =>
      (['end', 'start'] as const).map((n) =>
        resolvePeriodOptions({ type: 'fiscal-quarter', fiscalStartMonth: s, fiscalYearName: n })
      )
    )
  ];

  it('round-trips every period 2020–2030 for every type, start month and naming', () => {
    for (const options of all) {
      const first = periodIndexOfMonth(2020, 1, options);
      const last = periodIndexOfMonth(2030, 12, options);
      for (let i = first; i <= last; i++)
        expect(periodIndexOfLabel(periodLabel(i, options), options)).toBe(i);
    }
  });

  it('null for a label that does not fit the type', () => {
    const month = resolvePeriodOptions({ type: 'month' });
    const quarter = resolvePeriodOptions({ type: 'quarter' });
    const fiscal = resolvePeriodOptions({ type: 'fiscal-quarter', fiscalStartMonth: 2 });
    expect(periodIndexOfLabel('2026-13', month)).toBeNull();
    expect(periodIndexOfLabel('2026-00', month)).toBeNull();
    expect(periodIndexOfLabel('2026-Q1', month)).toBeNull();
    expect(periodIndexOfLabel('2026-Q5', quarter)).toBeNull();
    expect(periodIndexOfLabel('FY2026-Q1', quarter)).toBeNull();
    expect(periodIndexOfLabel('2026-Q1', fiscal)).toBeNull();
    expect(periodIndexOfLabel('March 2026', month)).toBeNull();
  });
});
