// A trend over consecutive periods (the charts of CSM NPS and Account NPS): every period up to the
// current one, a period without answers as a point without NPS, for months, quarters and fiscal quarters.
// The columns of a matrix (NPS by CSM) over the same periods: several figures a period, and the first day
// of a period nobody answered in.
import {
  consecutivePeriodPoints,
  consecutivePeriods,
  dayFromCivil,
  periodIndexOfDay,
  periodLabel,
  resolvePeriodOptions,
  resultsOverTime,
  type FiscalYearName,
  type PeriodFigures
} from 'c/npsCore';

const figure = (period: string, periodStart: string, nps: number, responses: number): PeriodFigures => ({
  period,
  periodStart,
  nps,
  ciLow: nps - 20,
  ciHigh: nps + 20,
  responses
});
const gap = (label: string) => ({ label, nps: null, ciLow: null, ciHigh: null, responses: 0 });

describe('consecutivePeriodPoints', () => {
  const quarters = [
    figure('2024-Q2', '2024-04-01', 14, 14),
    figure('2024-Q3', '2024-07-01', 29, 14),
    figure('2025-Q1', '2025-01-01', 44, 16)
  ];

  it('keeps a quarter without answers as a gap, ending with the quarter of today', () => {
    const points = consecutivePeriodPoints(quarters, {
      periodType: 'quarter',
      today: '2025-03-31',
      count: 4
    });
    expect(points).toEqual([
      { label: '2024-Q2', nps: 14, ciLow: -6, ciHigh: 34, responses: 14 },
      { label: '2024-Q3', nps: 29, ciLow: 9, ciHigh: 49, responses: 14 },
      gap('2024-Q4'),
      { label: '2025-Q1', nps: 44, ciLow: 24, ciHigh: 64, responses: 16 }
    ]);
  });

  it('runs on to the current quarter after the latest answers, the oldest falling out of the window', () => {
    const points = consecutivePeriodPoints(quarters, {
      periodType: 'quarter',
      today: '2025-11-10',
      count: 6
    });
    expect(points.map((p) => [p.label, p.nps])).toEqual([
      ['2024-Q3', 29],
      ['2024-Q4', null],
      ['2025-Q1', 44],
      ['2025-Q2', null],
      ['2025-Q3', null],
      ['2025-Q4', null]
    ]);
  });

  it('without a count, spans every period from the earliest with answers', () => {
    const points = consecutivePeriodPoints(quarters, { periodType: 'quarter', today: '2025-04-01' });
    expect(points.map((p) => p.label)).toEqual(['2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2']);
  });

  it('counts months across a year end', () => {
    const months = [figure('2025-11', '2025-11-01', 10, 3), figure('2026-01', '2026-01-01', 50, 4)];
    const points = consecutivePeriodPoints(months, { periodType: 'month', today: '2026-02-28', count: 5 });
    expect(points.map((p) => [p.label, p.responses])).toEqual([
      ['2025-10', 0],
      ['2025-11', 3],
      ['2025-12', 0],
      ['2026-01', 4],
      ['2026-02', 0]
    ]);
  });

  it('ends with the latest answers when today is unknown or before them (a clock behind the data)', () => {
    for (const today of [null, 'not a date', '2024-12-31']) {
      const points = consecutivePeriodPoints(quarters, { periodType: 'quarter', today, count: 2 });
      expect(points.map((p) => p.label)).toEqual(['2024-Q4', '2025-Q1']);
    }
  });

  it('gives no point without figures, and leaves out a label of another period type', () => {
    expect(consecutivePeriodPoints([], { periodType: 'quarter', today: '2025-01-01', count: 12 })).toEqual(
      []
    );
    const mixed = [figure('2025-01', '2025-01-01', 0, 1), figure('2025-Q1', '2025-01-01', 20, 2)];
    expect(consecutivePeriodPoints(mixed, { periodType: 'quarter', today: '2025-02-01' })).toEqual([
      { label: '2025-Q1', nps: 20, ciLow: 0, ciHigh: 40, responses: 2 }
    ]);
  });

  const fiscalYears: [number, FiscalYearName][] = [1, 2, 4, 7, 10, 12].flatMap((start) =>
    (['end', 'start'] as const).map((name): [number, FiscalYearName] => [start, name])
  );
  it.each(fiscalYears)(
    'ends fiscal quarters (start month %i, named by the year they %s) at the quarter holding today, without the fiscal settings',
    (fiscalStartMonth, fiscalYearName) => {
      const period = { type: 'fiscal-quarter' as const, fiscalStartMonth, fiscalYearName };
      const { results } = resultsOverTime(
        [
          { respondedAt: '2024-03-15', score: 9 },
          { respondedAt: '2024-11-02', score: 3 }
        ],
        { period, groupName: 'Alice' }
      );
      const resolved = resolvePeriodOptions(period);
      const todayIndex = periodIndexOfDay(dayFromCivil(2025, 8, 20), resolved);
      const points = consecutivePeriodPoints(results, {
        periodType: 'fiscal-quarter',
        today: '2025-08-20',
        count: 8
      });
      expect(points.map((p) => p.label)).toEqual(
        Array.from({ length: 8 }, (_, i) => periodLabel(todayIndex - 7 + i, resolved))
      );
      const withAnswers = points.filter((p) => p.nps !== null).map((p) => [p.label, p.nps]);
      expect(withAnswers).toEqual(results.map((r) => [r.period, r.nps]));
    }
  );
});

describe('consecutivePeriods', () => {
  /** A CSM's snapshot, as the matrix hands it: its label as `period`. */
  const snapshot = (csm: string, period: string, periodStart: string) => ({ csm, period, periodStart });

  it('gives each period its figures, several a period in the order given, none for a period nobody answered in', () => {
    const run = consecutivePeriods(
      [
        snapshot('Alice', '2026-Q1', '2026-01-01'),
        snapshot('Bob', '2026-Q1', '2026-01-01'),
        snapshot('Alice', '2025-Q3', '2025-07-01')
      ],
      { periodType: 'quarter', today: '2026-05-15', count: 4 }
    );
    expect(run.map((p) => [p.label, p.start, p.figures.map((f) => f.csm)])).toEqual([
      ['2025-Q3', '2025-07-01', ['Alice']],
      ['2025-Q4', '2025-10-01', []],
      ['2026-Q1', '2026-01-01', ['Alice', 'Bob']],
      ['2026-Q2', '2026-04-01', []]
    ]);
  });

  // Months across a year end, either way; fiscal quarters (year from February, named by the year it ends:
  // FY2026-Q1 starts on 2025-02-01) counted from the latest start, without the fiscal settings.
  it.each([
    [
      'month',
      '2026-01',
      '2026-01-01',
      '2026-02-10',
      '2025-11 2025-11-01, 2025-12 2025-12-01, 2026-01 2026-01-01, 2026-02 2026-02-01'
    ],
    [
      'fiscal-quarter',
      'FY2026-Q1',
      '2025-02-01',
      '2025-08-20',
      'FY2025-Q4 2024-11-01, FY2026-Q1 2025-02-01, FY2026-Q2 2025-05-01, FY2026-Q3 2025-08-01'
    ]
  ] as const)(
    'counts the first day of an empty %s from the latest one',
    (periodType, label, start, today, expected) => {
      const run = consecutivePeriods([snapshot('Alice', label, start)], { periodType, today, count: 4 });
      expect(run.map((p) => `${p.label} ${p.start}`).join(', ')).toBe(expected);
    }
  );

  it('has no start for an empty period when the latest start is unknown', () => {
    const run = consecutivePeriods([{ period: '2026-Q1' }], { periodType: 'quarter', today: null, count: 2 });
    expect(run.map((p) => [p.label, p.start])).toEqual([
      ['2025-Q4', null],
      ['2026-Q1', null]
    ]);
  });
});
