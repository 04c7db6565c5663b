// Properties that hold for every input (fast-check): bounds, no NaN or Infinity anywhere, order does not
// matter, partial aggregates merge (also through their JSON state), shrinkage lands between the raw NPS and
// the prior's, and the interval narrows as n grows with fixed shares.
import fc from 'fast-check';
import {
  adjustedWaldInterval,
  computeGroupResults,
  dayFromCivil,
  formatDay,
  LocalDayResolver,
  npsOf,
  parseRespondedAt,
  NpsAggregator,
  shrunkNpsOf,
  summarizeGroup,
  UNASSIGNED,
  zForConfidence,
  type AggregateState,
  type GroupResult,
  type NpsCounts,
  type PeriodOptions,
  type PriorShares,
  type StatisticsSettings
} from 'c/npsCore';

const RUNS = { numRuns: 300 };

/** Counts built from how many answers gave each score 0–10 (so scoreSum is consistent); any may be 0. */
const countsArb = (max = 1_000_000): fc.Arbitrary<NpsCounts> =>
  fc.array(fc.nat({ max }), { minLength: 11, maxLength: 11 }).map((perScore) => {
    const c: NpsCounts = { promoters: 0, passives: 0, detractors: 0, scoreSum: 0 };
    perScore.forEach((count, score) => {
      if (score >= 9) c.promoters += count;
      else if (score >= 7) c.passives += count;
      else c.detractors += count;
      c.scoreSum += count * score;
    });
    return c;
  });

/** Small counts, where the edge cases (n = 0, 1, 2) live. */
const smallCountsArb = fc
  .tuple(fc.nat({ max: 6 }), fc.nat({ max: 6 }), fc.nat({ max: 6 }))
  .map(([promoters, passives, detractors]): NpsCounts => ({
    promoters,
    passives,
    detractors,
    scoreSum: 10 * promoters + 7 * passives
  }));

const anyCountsArb = fc.oneof(smallCountsArb, countsArb());

const priorArb: fc.Arbitrary<PriorShares> = fc
  .tuple(fc.nat({ max: 1000 }), fc.nat({ max: 1000 }), fc.nat({ max: 1000 }))
  .filter(([p, x, d]) => p + x + d > 0)
  .map(([p, x, d]) => ({
    promoters: p / (p + x + d),
    passives: x / (p + x + d),
    detractors: d / (p + x + d)
  }));

const settingsArb: fc.Arbitrary<Partial<StatisticsSettings>> = fc.record({
  confidence: fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
  priorStrength: fc.double({ min: 0, max: 1000, noNaN: true }),
  minResponses: fc.nat({ max: 100 }),
  floor: fc.double({ min: -100, max: 100, noNaN: true }),
  improvementTarget: fc.double({ min: -50, max: 50, noNaN: true })
});

const DAY_FIRST = dayFromCivil(2024, 1, 1);
const DAY_LAST = dayFromCivil(2027, 12, 31);

interface Answer {
  csm: string;
  metric: string;
  day: number;
  score: number;
}

const answerArb: fc.Arbitrary<Answer> = fc.record({
  csm: fc.constantFrom('Ana Souza', 'Bob Li', 'cara@example.com', UNASSIGNED),
  metric: fc.constantFrom('Company NPS', 'CSM NPS'),
  day: fc.integer({ min: DAY_FIRST, max: DAY_LAST }),
  score: fc.integer({ min: 0, max: 10 })
});

const periodArb: fc.Arbitrary<PeriodOptions> = fc.oneof(
  fc.constant<PeriodOptions>({ type: 'month' }),
  fc.constant<PeriodOptions>({ type: 'quarter' }),
  fc.record({
    type: fc.constant('fiscal-quarter' as const),
    fiscalStartMonth: fc.integer({ min: 1, max: 12 }),
    fiscalYearName: fc.constantFrom('end' as const, 'start' as const)
  })
);

function aggregate(answers: readonly Answer[], period: PeriodOptions): NpsAggregator {
  const agg = new NpsAggregator(period);
  for (const a of answers) agg.add(a.csm, a.metric, a.day, a.score);
  return agg;
}

/** Every number of a result is finite, or the field is null where the contract allows it. */
function expectAllFinite(record: object): void {
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`${key} is ${value}`);
    } else if (value !== null && typeof value !== 'string' && typeof value !== 'boolean') {
      throw new Error(`${key} has type ${typeof value}`);
    }
  }
}

describe('bounds and no NaN / Infinity', () => {
  it('NPS, interval and shrunk NPS lie within [−100, 100]; ciLow ≤ ciHigh', () => {
    fc.assert(
      fc.property(
        anyCountsArb,
        fc.option(priorArb, { nil: null }),
        settingsArb,
        (counts, prior, settings) => {
          const s = summarizeGroup(counts, { prior, settings });
          if (s === null) return;
          for (const v of [s.nps, s.ciLow, s.ciHigh, s.shrunkNps]) {
            expect(v).toBeGreaterThanOrEqual(-100);
            expect(v).toBeLessThanOrEqual(100);
          }
          expect(s.ciLow).toBeLessThanOrEqual(s.ciHigh);
          expect(s.meanScore).toBeGreaterThanOrEqual(0);
          expect(s.meanScore).toBeLessThanOrEqual(10);
        }
      ),
      RUNS
    );
  });

  it('summarizeGroup: every field finite or null for any counts (0 included), previous, prior and settings', () => {
    fc.assert(
      fc.property(
        anyCountsArb,
        fc.option(anyCountsArb, { nil: null }),
        fc.option(priorArb, { nil: null }),
        settingsArb,
        (counts, previous, prior, settings) => {
          const s = summarizeGroup(counts, { previous, prior, settings });
          const n = counts.promoters + counts.passives + counts.detractors;
          if (n === 0) {
            expect(s).toBeNull();
            return;
          }
          expect(s).not.toBeNull();
          expectAllFinite(s as object);
          for (const p of [s?.probabilityAboveFloor, s?.probabilityImproved]) {
            if (p === null || p === undefined) continue;
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(1);
          }
          const hasPrevious =
            previous !== null && previous.promoters + previous.passives + previous.detractors > 0;
          expect(s?.change === null).toBe(!hasPrevious);
          expect(s?.changeSignificant === null).toBe(!hasPrevious);
          expect(s?.probabilityImproved === null).toBe(!hasPrevious);
        }
      ),
      RUNS
    );
  });

  it('computeGroupResults: every field of every group finite or null', () => {
    fc.assert(
      fc.property(
        fc.array(answerArb, { maxLength: 60 }),
        periodArb,
        settingsArb,
        (answers, period, settings) => {
          const results = computeGroupResults(aggregate(answers, period), settings);
          expect(results.reduce((n, r) => n + r.responses, 0)).toBe(answers.length);
          for (const r of results) expectAllFinite(r);
        }
      ),
      RUNS
    );
  });

  it('the interval always holds its adjusted centre (it need not hold the raw NPS: n = 1 promoter gives NPS 100, CI top 98.5)', () => {
    fc.assert(
      fc.property(anyCountsArb, fc.double({ min: 0.5, max: 0.9999, noNaN: true }), (counts, confidence) => {
        const i = adjustedWaldInterval(counts, zForConfidence(confidence));
        expect(i.low).toBeLessThanOrEqual(i.centre);
        expect(i.high).toBeGreaterThanOrEqual(i.centre);
        expect(i.standardError).toBeGreaterThan(0);
      }),
      RUNS
    );
  });
});

describe('aggregation', () => {
  it('the order of the answers does not matter', () => {
    const arb = fc
      .array(answerArb, { maxLength: 80 })
      .chain((answers) =>
        fc.tuple(
          fc.constant(answers),
          fc.shuffledSubarray(answers, { minLength: answers.length, maxLength: answers.length })
        )
      );
    fc.assert(
      fc.property(arb, periodArb, ([answers, shuffled], period) => {
        expect(computeGroupResults(aggregate(shuffled, period))).toEqual(
          computeGroupResults(aggregate(answers, period))
        );
      }),
      RUNS
    );
  });

  it('merging the aggregates of two halves equals aggregating the whole, directly and through the JSON state', () => {
    fc.assert(
      fc.property(fc.array(answerArb, { maxLength: 80 }), fc.nat(), periodArb, (answers, cut, period) => {
        const at = answers.length === 0 ? 0 : cut % (answers.length + 1);
        const whole = computeGroupResults(aggregate(answers, period));
        const first = aggregate(answers.slice(0, at), period);
        const second = aggregate(answers.slice(at), period);
        const viaJson = (a: NpsAggregator) => JSON.parse(JSON.stringify(a.toState())) as AggregateState;

        expect(computeGroupResults(aggregate(answers.slice(0, at), period).merge(second))).toEqual(whole);
        expect(computeGroupResults(aggregate(answers.slice(at), period).merge(viaJson(first)))).toEqual(
          whole
        );
        const resumed = NpsAggregator.fromState(viaJson(first)).merge(viaJson(second));
        expect(computeGroupResults(resumed)).toEqual(whole);
      }),
      RUNS
    );
  });

  it('the team (pooled) counts every answer once per metric and period', () => {
    fc.assert(
      fc.property(fc.array(answerArb, { maxLength: 60 }), periodArb, (answers, period) => {
        const agg = aggregate(answers, period);
        const team: GroupResult[] = computeGroupResults(agg.pooled('All CSMs'));
        expect(team.every((r) => r.csm === 'All CSMs')).toBe(true);
        expect(team.reduce((n, r) => n + r.responses, 0)).toBe(answers.length);
      }),
      RUNS
    );
  });
});

describe('shrinkage and the width of the interval', () => {
  it('shrunk NPS lies between the raw NPS and the prior’s NPS', () => {
    fc.assert(
      fc.property(
        anyCountsArb,
        priorArb,
        fc.double({ min: 0, max: 10_000, noNaN: true }),
        (counts, prior, k) => {
          const raw = npsOf(counts);
          fc.pre(raw !== null);
          const shrunk = shrunkNpsOf(counts, prior, k) as number;
          const priorNps = 100 * (prior.promoters - prior.detractors);
          expect(shrunk).toBeGreaterThanOrEqual(Math.min(raw as number, priorNps) - 1e-9);
          expect(shrunk).toBeLessThanOrEqual(Math.max(raw as number, priorNps) + 1e-9);
        }
      ),
      RUNS
    );
  });

  it('with fixed shares, more answers give a smaller se′ and an interval no wider', () => {
    const sharesArb = fc
      .tuple(fc.nat({ max: 30 }), fc.nat({ max: 30 }), fc.nat({ max: 30 }))
      .filter(([p, x, d]) => p + x + d > 0);
    fc.assert(
      fc.property(
        sharesArb,
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 200 }),
        ([p, x, d], a, b) => {
          fc.pre(a !== b);
          const [small, large] = a < b ? [a, b] : [b, a];
          const scaled = (k: number) =>
            adjustedWaldInterval(
              { promoters: p * k, passives: x * k, detractors: d * k, scoreSum: 0 },
              1.959963984540054
            );
          const i = scaled(small);
          const j = scaled(large);
          expect(j.standardError).toBeLessThan(i.standardError);
          expect(j.high - j.low).toBeLessThanOrEqual(i.high - i.low + 1e-9);
        }
      ),
      RUNS
    );
  });
});

describe('time', () => {
  const zones = [
    'UTC',
    'America/Los_Angeles',
    'America/New_York',
    'America/St_Johns',
    'Europe/Paris',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Pacific/Kiritimati'
  ];
  const resolvers = new Map(zones.map((z) => [z, new LocalDayResolver(z)]));
  const formats = new Map(
    zones.map((z) => [
      z,
      new Intl.DateTimeFormat('en-CA', { timeZone: z, year: 'numeric', month: '2-digit', day: '2-digit' })
    ])
  );

  it('the local date of any instant in any zone is the date Intl shows there', () => {
    const instant = fc.integer({
      min: Date.parse('1990-01-01T00:00:00Z'),
      max: Date.parse('2040-01-01T00:00:00Z')
    });
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (t, zone) => {
        expect(formatDay((resolvers.get(zone) as LocalDayResolver).dayOf(t))).toBe(
          (formats.get(zone) as Intl.DateTimeFormat).format(new Date(t))
        );
      }),
      { numRuns: 2000 }
    );
  });

  it('an ISO date-time with any offset reads as the instant Date.parse gives', () => {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    fc.assert(
      fc.property(
        fc.record({
          y: fc.integer({ min: 1971, max: 2099 }),
          mo: fc.integer({ min: 1, max: 12 }),
          d: fc.integer({ min: 1, max: 28 }),
          h: fc.integer({ min: 0, max: 23 }),
          mi: fc.integer({ min: 0, max: 59 }),
          s: fc.integer({ min: 0, max: 59 }),
          sign: fc.constantFrom('+', '-'),
          oh: fc.integer({ min: 0, max: 14 }),
          om: fc.constantFrom(0, 15, 30, 45)
        }),
        ({ y, mo, d, h, mi, s, sign, oh, om }) => {
          const text = `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${sign}${pad(oh)}:${pad(om)}`;
          fc.pre(oh < 14 || om === 0);
          expect(parseRespondedAt(text)).toEqual({ ok: true, kind: 'instant', epochMs: Date.parse(text) });
        }
      ),
      { numRuns: 1000 }
    );
  });
});
