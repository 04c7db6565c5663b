// Streaming aggregation and the per-group figures (computeGroupResults): grouping by CSM × metric × period,
// change against the previous period, shrinkage toward the pooled shares of the period (Unassigned
// included), sorting, merging and resuming.
import {
  computeGroupResults,
  dayFromCivil,
  NpsAggregator,
  removeScore,
  UNASSIGNED,
  type AggregateState
} from 'c/npsCore';

const day = (iso: string): number => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return dayFromCivil(y, m, d);
};

/** Adds answers given as [csm, metric, YYYY-MM-DD, score]. */
function aggregate(
  rows: readonly (readonly [string, string, string, number])[],
  type: 'month' | 'quarter' = 'month'
): NpsAggregator {
  const agg = new NpsAggregator({ type });
  for (const [csm, metric, date, score] of rows) agg.add(csm, metric, day(date), score);
  return agg;
}

const COMPANY = 'Company NPS';

describe('NpsAggregator', () => {
  it('counts one group per CSM × metric × period', () => {
    const agg = aggregate([
      ['Ana', COMPANY, '2026-03-02', 10],
      ['Ana', COMPANY, '2026-03-31', 6],
      ['Ana', COMPANY, '2026-04-01', 9],
      ['Ana', 'CSM NPS', '2026-03-15', 8],
      ['Bob', COMPANY, '2026-03-15', 7]
    ]);
    expect(agg.groupCount).toBe(4);
    const march = [...agg.groups()].find(
      (g) => g.csm === 'Ana' && g.metric === COMPANY && agg.label(g.periodIndex) === '2026-03'
    );
    expect(march).toMatchObject({ promoters: 1, passives: 0, detractors: 1, scoreSum: 16 });
  });

  it('refuses a score that is not a whole number 0–10', () => {
    const agg = new NpsAggregator({ type: 'month' });
    expect(() => agg.add('Ana', COMPANY, day('2026-03-01'), 11)).toThrow(/Not an NPS score: 11/);
    expect(() => agg.add('Ana', COMPANY, day('2026-03-01'), 7.5)).toThrow(RangeError);
    expect(agg.groupCount).toBe(0);
  });

  it('removeScore takes a replaced answer back out; a group left empty disappears', () => {
    const agg = new NpsAggregator({ type: 'month' });
    const live = agg.add('Ana', COMPANY, day('2026-03-01'), 3);
    removeScore(live, 3);
    agg.add('Ana', COMPANY, day('2026-04-01'), 9);
    expect([...agg.groups()].map((g) => agg.label(g.periodIndex))).toEqual(['2026-04']);
  });

  it('labels and starts of the periods', () => {
    const agg = aggregate([['Ana', COMPANY, '2026-05-20', 9]], 'quarter');
    const [g] = [...agg.groups()];
    expect(agg.label(g?.periodIndex ?? 0)).toBe('2026-Q2');
    expect(agg.start(g?.periodIndex ?? 0)).toBe('2026-04-01');
  });

  it('toState is plain JSON and fromState rebuilds the same groups', () => {
    const agg = aggregate([
      ['Ana', COMPANY, '2026-03-02', 10],
      ['Bob', COMPANY, '2026-04-02', 0]
    ]);
    const state = JSON.parse(JSON.stringify(agg.toState())) as AggregateState;
    expect(state.version).toBe(1);
    expect(state.period).toEqual({ type: 'month', fiscalStartMonth: 1, fiscalYearName: 'end' });
    expect(computeGroupResults(NpsAggregator.fromState(state))).toEqual(computeGroupResults(agg));
  });

  it('refuses to merge aggregates built with different period settings', () => {
    const months = new NpsAggregator({ type: 'month' });
    expect(() => months.merge(new NpsAggregator({ type: 'quarter' }))).toThrow(/different period settings/);
    const fyFeb = new NpsAggregator({ type: 'fiscal-quarter', fiscalStartMonth: 2 });
    expect(() => fyFeb.merge(new NpsAggregator({ type: 'fiscal-quarter', fiscalStartMonth: 4 }))).toThrow(
      /different period settings/
    );
  });

  it('pooled() gives the team: every CSM of a metric and period as one group', () => {
    const agg = aggregate([
      ['Ana', COMPANY, '2026-03-02', 10],
      ['Bob', COMPANY, '2026-03-05', 0],
      [UNASSIGNED, COMPANY, '2026-03-09', 8]
    ]);
    const team = computeGroupResults(agg.pooled('All CSMs'));
    expect(team).toHaveLength(1);
    expect(team[0]).toMatchObject({
      csm: 'All CSMs',
      period: '2026-03',
      responses: 3,
      promoters: 1,
      passives: 1,
      detractors: 1,
      nps: 0
    });
  });
});

describe('computeGroupResults', () => {
  it('change is against the previous period of the same CSM and metric; null after a gap', () => {
    const agg = aggregate([
      // Ana, January: 1 promoter, 1 detractor → NPS 0
      ['Ana', COMPANY, '2026-01-10', 10],
      ['Ana', COMPANY, '2026-01-11', 2],
      // Ana, February: 2 promoters → NPS 100; change = 100 − 0 = +100
      ['Ana', COMPANY, '2026-02-10', 9],
      ['Ana', COMPANY, '2026-02-11', 9],
      // Ana, April (March empty): change null
      ['Ana', COMPANY, '2026-04-10', 9],
      // Bob, February only: Ana's January does not count for him
      ['Bob', COMPANY, '2026-02-10', 3],
      // Ana's CSM NPS in February: no January of that metric → null
      ['Ana', 'CSM NPS', '2026-02-10', 10]
    ]);
    const results = computeGroupResults(agg);
    const by = (csm: string, metric: string, period: string) =>
      results.find((r) => r.csm === csm && r.metric === metric && r.period === period);
    expect(by('Ana', COMPANY, '2026-01')?.change).toBeNull();
    expect(by('Ana', COMPANY, '2026-02')?.change).toBe(100);
    expect(by('Ana', COMPANY, '2026-04')?.change).toBeNull();
    expect(by('Ana', COMPANY, '2026-04')?.changeSignificant).toBeNull();
    expect(by('Bob', COMPANY, '2026-02')?.change).toBeNull();
    expect(by('Ana', 'CSM NPS', '2026-02')?.change).toBeNull();
  });

  it('the previous quarter across a year boundary: 2026-Q1 compares with 2025-Q4', () => {
    const agg = aggregate(
      [
        ['Ana', COMPANY, '2025-12-31', 0],
        ['Ana', COMPANY, '2026-01-01', 10]
      ],
      'quarter'
    );
    const [q4, q1] = computeGroupResults(agg);
    expect([q4?.period, q1?.period]).toEqual(['2025-Q4', '2026-Q1']);
    expect(q1?.change).toBe(200); // 100 − (−100)
  });

  it('shrinkage: k = 10 toward the pooled shares of the same period and metric, Unassigned included', () => {
    // March, Company NPS: Ana 3/1/1, Bob 1/1/3, Unassigned 6/2/2 → pooled P 10, X 4, D 6 of 20 → π = (0.5, 0.2, 0.3)
    // Ana:        100·((3 + 10·0.5) − (1 + 10·0.3))/(5 + 10)  = 100·(8 − 4)/15  = 26.666…  (raw 40)
    // Bob:        100·((1 + 5) − (3 + 3))/15                    = 0                (raw −40)
    // Unassigned: 100·((6 + 5) − (2 + 3))/20                    = 30               (raw 40)
    // Without Unassigned the prior would be (0.4, 0.2, 0.4) and Ana 100·((3 + 4) − (1 + 4))/15 = 13.33…:
    // so 26.67 shows Unassigned is in the pool. Ana's CSM NPS and Ana's April are in other pools.
    const scores = (p: number, x: number, d: number) =>
      [...Array(p).fill(10), ...Array(x).fill(8), ...Array(d).fill(0)] as number[];
    const rows: [string, string, string, number][] = [];
    for (const s of scores(3, 1, 1)) rows.push(['Ana', COMPANY, '2026-03-10', s]);
    for (const s of scores(1, 1, 3)) rows.push(['Bob', COMPANY, '2026-03-11', s]);
    for (const s of scores(6, 2, 2)) rows.push([UNASSIGNED, COMPANY, '2026-03-12', s]);
    for (const s of scores(0, 0, 9)) rows.push(['Ana', 'CSM NPS', '2026-03-10', s]);
    for (const s of scores(0, 0, 9)) rows.push(['Bob', COMPANY, '2026-04-10', s]);
    const results = computeGroupResults(aggregate(rows), { priorStrength: 10 });
    const march = (csm: string) =>
      results.find((r) => r.csm === csm && r.metric === COMPANY && r.period === '2026-03');
    expect(march('Ana')?.nps).toBe(40);
    expect(march('Ana')?.shrunkNps).toBeCloseTo(26.666666666666668, 12);
    expect(march('Bob')?.shrunkNps).toBeCloseTo(0, 12);
    expect(march(UNASSIGNED)?.shrunkNps).toBeCloseTo(30, 12);
    // alone in its pool, a group shrinks toward itself: NPS unchanged
    expect(results.find((r) => r.metric === 'CSM NPS')?.shrunkNps).toBeCloseTo(-100, 12);
  });

  it('--prior-strength 0 turns shrinkage off', () => {
    const agg = aggregate([
      ['Ana', COMPANY, '2026-03-10', 10],
      ['Bob', COMPANY, '2026-03-10', 0]
    ]);
    for (const r of computeGroupResults(agg, { priorStrength: 0 }))
      expect(r.shrunkNps).toBeCloseTo(r.nps, 12);
  });

  it('groups are sorted by CSM, then metric, then period (periods in time order, not text order)', () => {
    const agg = aggregate([
      ['Bob', COMPANY, '2026-01-05', 9],
      [UNASSIGNED, COMPANY, '2026-01-05', 9],
      ['Ana', COMPANY, '2026-11-05', 9],
      ['Ana', COMPANY, '2026-02-05', 9],
      ['Ana', 'CSM NPS', '2026-01-05', 9],
      ['Ana', COMPANY, '2025-12-05', 9]
    ]);
    expect(computeGroupResults(agg).map((r) => `${r.csm}|${r.metric}|${r.period}`)).toEqual([
      'Ana|CSM NPS|2026-01',
      'Ana|Company NPS|2025-12',
      'Ana|Company NPS|2026-02',
      'Ana|Company NPS|2026-11',
      'Bob|Company NPS|2026-01',
      'Unassigned|Company NPS|2026-01'
    ]);
  });

  it('each result carries the keys of DESIGN.md § CLI contract, in that order', () => {
    const [r] = computeGroupResults(aggregate([['Ana', COMPANY, '2026-03-10', 9]]));
    expect(Object.keys(r ?? {})).toEqual([
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
    ]);
    expect(r).toMatchObject({ csm: 'Ana', metric: COMPANY, period: '2026-03', periodStart: '2026-03-01' });
  });
});
