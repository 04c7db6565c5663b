// The core functions added for the components (csv, display, series). The rest of the core is tested
// under scripts/core/__tests__.
import {
  computeGroupResults,
  csvField,
  formatLabel,
  GROUP_CSV_COLUMNS,
  groupResultsToCsv,
  instantBoundsForLocalDates,
  localDateOf,
  LocalDayResolver,
  nextPeriodStartDate,
  NpsAggregator,
  npsBand,
  periodTypeFromPicklist,
  goalStatusFromPicklist,
  pooledResultsByPeriod,
  resultsOverTime,
  toCsv,
  categoryShares,
  formatShare
} from 'c/npsCore';

describe('csv', () => {
  it('quotes what needs quoting and neutralises formulas in text, never in numbers', () => {
    expect(csvField('Alice')).toBe('Alice');
    expect(csvField('Doe, Jane')).toBe('"Doe, Jane"');
    expect(csvField('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('-5')).toBe("'-5");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(true)).toBe('true');
    expect(
      toCsv([
        ['a', 1],
        ['b', null]
      ])
    ).toBe('a,1\nb,\n');
  });

  it('writes groups with the columns of csm-nps report', () => {
    const agg = new NpsAggregator({ type: 'month' });
    agg.addCounts('=Mallory', 'Company NPS', 2026 * 12, {
      promoters: 2,
      passives: 1,
      detractors: 1,
      scoreSum: 30
    });
    const [group] = computeGroupResults(agg);
    const lines = groupResultsToCsv([group!]).trim().split('\n');
    expect(lines[0]).toBe(GROUP_CSV_COLUMNS.join(','));
    expect(lines[1]).toBe(
      `'=Mallory,Company NPS,2026-01,2026-01-01,4,2,1,1,25,${group!.ciLow},${group!.ciHigh},7.5,25,,,insufficient_data,${group!.probabilityAboveFloor},`
    );
  });
});

describe('display', () => {
  it('fills label templates and leaves missing values visible', () => {
    expect(formatLabel('{0} of {1}', 3, 'five')).toBe('3 of five');
    expect(formatLabel('{0} and {2}', 'a')).toBe('a and {2}');
  });

  it('puts an NPS in a colour band, with insufficient data and no data apart', () => {
    expect([-1, 0, 30, 30.1, 69.9, 70].map((n) => npsBand(n, false))).toEqual([
      'negative',
      'low',
      'low',
      'good',
      'good',
      'excellent'
    ]);
    expect(npsBand(80, true)).toBe('insufficient');
    expect(npsBand(null, false)).toBe('none');
  });

  it('gives category shares and shows them as whole percents', () => {
    expect(categoryShares({ promoters: 1, passives: 1, detractors: 2 })).toEqual({
      promoters: 0.25,
      passives: 0.25,
      detractors: 0.5
    });
    expect(categoryShares({ promoters: 0, passives: 0, detractors: 0 })).toBeNull();
    expect(formatShare(2 / 3)).toBe('67%');
    expect(formatShare(1)).toBe('100%');
  });
});

describe('series', () => {
  it('reads the picklists of the snapshot object', () => {
    expect(periodTypeFromPicklist('Fiscal Quarter')).toBe('fiscal-quarter');
    expect(periodTypeFromPicklist('Week')).toBeNull();
    expect(goalStatusFromPicklist('Not Met')).toBe('not_met');
    expect(goalStatusFromPicklist(null)).toBeNull();
  });

  it('pools snapshots per period with the statistics of any group, change included', () => {
    const { results, skipped } = pooledResultsByPeriod(
      [
        {
          period: '2026-Q1',
          periodStart: '2026-01-01',
          metric: 'Company NPS',
          promoters: 6,
          passives: 2,
          detractors: 2,
          meanScore: 8
        },
        {
          period: '2026-Q1',
          periodStart: '2026-01-01',
          metric: 'Company NPS',
          promoters: 2,
          passives: 2,
          detractors: 6,
          meanScore: 5
        },
        {
          period: '2025-Q4',
          periodStart: '2025-10-01',
          metric: 'Company NPS',
          promoters: 5,
          passives: 5,
          detractors: 10,
          meanScore: 6
        },
        { period: 'someday', metric: 'Company NPS', promoters: 1, passives: 0, detractors: 0, meanScore: 10 }
      ],
      { periodType: 'quarter', groupName: 'Team' }
    );
    expect(skipped).toBe(1);
    const agg = new NpsAggregator({ type: 'quarter' });
    agg.addCounts('Team', 'Company NPS', 2026 * 4, {
      promoters: 8,
      passives: 4,
      detractors: 8,
      scoreSum: 130
    });
    agg.addCounts('Team', 'Company NPS', 2025 * 4 + 3, {
      promoters: 5,
      passives: 5,
      detractors: 10,
      scoreSum: 120
    });
    expect(results).toEqual(computeGroupResults(agg));
    expect(results[1]).toMatchObject({
      period: '2026-Q1',
      responses: 20,
      nps: 0,
      change: 25,
      meanScore: 6.5
    });
  });

  it('keeps fiscal quarters consecutive and their stored start dates', () => {
    const { results } = pooledResultsByPeriod(
      [
        {
          period: 'FY2026-Q4',
          periodStart: '2026-01-01',
          metric: 'm',
          promoters: 1,
          passives: 0,
          detractors: 0,
          meanScore: 9
        },
        {
          period: 'FY2027-Q1',
          periodStart: '2026-02-01',
          metric: 'm',
          promoters: 0,
          passives: 0,
          detractors: 1,
          meanScore: 3
        }
      ],
      { periodType: 'fiscal-quarter', groupName: 'Team' }
    );
    expect(results.map((r) => [r.period, r.periodStart, r.change])).toEqual([
      ['FY2026-Q4', '2026-01-01', null],
      ['FY2027-Q1', '2026-02-01', -200]
    ]);
  });

  it('finds the next period start and query bounds wide enough for every time zone', () => {
    expect(nextPeriodStartDate('2025-11-01', 'month')).toBe('2025-12-01');
    expect(nextPeriodStartDate('2025-12-01', 'month')).toBe('2026-01-01');
    expect(nextPeriodStartDate('2025-11-01', 'fiscal-quarter')).toBe('2026-02-01');
    expect(nextPeriodStartDate('soon', 'month')).toBeNull();
    expect(instantBoundsForLocalDates('2026-01-01', '2026-04-01')).toEqual({
      gte: '2025-12-31T00:00:00.000Z',
      lt: '2026-04-02T00:00:00.000Z'
    });
  });

  it('dates an answer in a time zone', () => {
    const tokyo = new LocalDayResolver('Asia/Tokyo');
    expect(localDateOf('2026-03-31T16:00:00.000Z', tokyo)).toBe('2026-04-01');
    expect(localDateOf('2026-03-31T16:00:00.000Z', new LocalDayResolver('UTC'))).toBe('2026-03-31');
    expect(localDateOf('not a date', tokyo)).toBeNull();
  });

  it('computes NPS over time from answers, leaving out other metrics and unreadable answers', () => {
    const { results, skipped } = resultsOverTime(
      [
        { respondedAt: '2026-01-10T10:00:00Z', score: 10, metric: 'Company NPS' },
        { respondedAt: '2026-01-20T10:00:00Z', score: 3, metric: 'Company NPS' },
        { respondedAt: '2026-02-01T03:00:00Z', score: 9, metric: 'Company NPS' }, // January 31 in New York
        { respondedAt: '2026-02-10T10:00:00Z', score: 9, metric: 'CSM NPS' },
        { respondedAt: null, score: 9, metric: 'Company NPS' },
        { respondedAt: '2026-02-10T10:00:00Z', score: 11, metric: 'Company NPS' }
      ],
      { period: { type: 'month' }, timeZone: 'America/New_York', metric: 'Company NPS', groupName: 'acct' }
    );
    expect(skipped).toBe(2);
    expect(results.map((r) => [r.period, r.responses, Math.round(r.nps)])).toEqual([['2026-01', 3, 33]]);
  });
});
