// Hand-computed cases for every formula of DESIGN.md § Statistics and § Goals. Each case writes its
// arithmetic out so that a reader can check it with a pocket calculator; the reference values were also
// recomputed at 40 significant digits (mpmath) before being written here.
import {
  adjustedStandardError,
  adjustedWaldInterval,
  changeBetween,
  countScores,
  DEFAULT_GOALS,
  DEFAULT_SETTINGS,
  goalStatusOf,
  meanScoreOf,
  npsOf,
  pooledShares,
  probabilityAboveFloor,
  probabilityImproved,
  shrunkNpsOf,
  summarizeGroup,
  zForConfidence,
  type NpsCounts
} from 'c/npsCore';

/** z of a two-sided 95 % interval, as DESIGN.md states it. */
const Z95 = 1.959963984540054;

/** Counts with P promoters (all 10), X passives (all 8), D detractors (all 0). */
function counts(promoters: number, passives: number, detractors: number): NpsCounts {
  return { promoters, passives, detractors, scoreSum: 10 * promoters + 8 * passives };
}

describe('NPS and mean score', () => {
  it('n = 1 promoter: NPS 100, mean 10', () => {
    const c = countScores([10]);
    expect(c).toEqual({ promoters: 1, passives: 0, detractors: 0, scoreSum: 10 });
    expect(npsOf(c)).toBe(100);
    expect(meanScoreOf(c)).toBe(10);
  });

  it('all promoters is +100 and all detractors is −100', () => {
    expect(npsOf(countScores([9, 10, 9, 10]))).toBe(100);
    expect(npsOf(countScores([0, 6, 3, 5]))).toBe(-100);
  });

  it('a mixed group: 5 promoters, 3 passives, 2 detractors', () => {
    // scores 10 9 9 10 9 | 8 7 7 | 3 6: P = 5, X = 3, D = 2, n = 10
    // NPS = 100·(5 − 2)/10 = 30; mean = (10+9+9+10+9+8+7+7+3+6)/10 = 78/10 = 7.8
    const c = countScores([10, 9, 9, 10, 9, 8, 7, 7, 3, 6]);
    expect(c).toEqual({ promoters: 5, passives: 3, detractors: 2, scoreSum: 78 });
    expect(npsOf(c)).toBe(30);
    expect(meanScoreOf(c)).toBeCloseTo(7.8, 12);
  });

  it('passives count in n but not in P − D: 1 promoter, 2 passives → 100·1/3', () => {
    expect(npsOf(countScores([9, 7, 8]))).toBeCloseTo(33.333333333333336, 12);
  });

  it('no answer: NPS and mean are null, never NaN', () => {
    expect(npsOf(counts(0, 0, 0))).toBeNull();
    expect(meanScoreOf(counts(0, 0, 0))).toBeNull();
  });

  it('the boundaries of the categories: 6 detractor, 7 and 8 passive, 9 promoter', () => {
    expect(countScores([6])).toMatchObject({ detractors: 1 });
    expect(countScores([7, 8])).toMatchObject({ passives: 2 });
    expect(countScores([9])).toMatchObject({ promoters: 1 });
    expect(() => countScores([11])).toThrow(RangeError);
    expect(() => countScores([7.5])).toThrow(RangeError);
    expect(() => countScores([-1])).toThrow(RangeError);
  });
});

describe('z of the confidence level', () => {
  it('0.95 → 1.959963984540054 (as DESIGN.md states)', () => {
    expect(zForConfidence(0.95)).toBeCloseTo(Z95, 14);
  });

  it('0.90 → 1.6448536269514729 and 0.99 → 2.5758293035489004', () => {
    expect(zForConfidence(0.9)).toBeCloseTo(1.6448536269514729, 13);
    expect(zForConfidence(0.99)).toBeCloseTo(2.5758293035489004, 13);
  });

  it('refuses a level outside (0, 1) with a message naming the value', () => {
    expect(() => zForConfidence(1.5)).toThrow(/between 0 and 1.*1\.5/);
    expect(() => zForConfidence(0)).toThrow(RangeError);
    expect(() => zForConfidence(1)).toThrow(RangeError);
  });
});

describe('adjusted-Wald interval (Rocks 2016)', () => {
  it('n = 1 promoter', () => {
    // n′ = 1 + 3 = 4; p′ = (1 + 0.75)/4 = 0.4375; d′ = (0 + 0.75)/4 = 0.1875
    // V′ = 0.4375 + 0.1875 − (0.4375 − 0.1875)² = 0.625 − 0.0625 = 0.5625
    // se′ = 100·√(0.5625/4) = 100·0.375 = 37.5; centre = 100·0.25 = 25
    // half = 1.959963984540054·37.5 = 73.49864942025203
    // low = 25 − 73.4986… = −48.49864942025203; high = 25 + 73.4986… = 98.49864942025203
    const i = adjustedWaldInterval(counts(1, 0, 0), Z95);
    expect(i.standardError).toBeCloseTo(37.5, 12);
    expect(i.centre).toBeCloseTo(25, 12);
    expect(i.low).toBeCloseTo(-48.49864942025203, 11);
    expect(i.high).toBeCloseTo(98.49864942025203, 11);
  });

  it('n = 1 promoter: the interval does not hold the observed NPS of 100 (the formula pulls toward 0)', () => {
    // A fact of the adjusted-Wald method worth knowing when reading a cell: NPS 100 with CI [−48.5, 98.5].
    const i = adjustedWaldInterval(counts(1, 0, 0), Z95);
    expect(i.high).toBeLessThan(100);
  });

  it('all 20 promoters: the top is clipped at +100', () => {
    // n′ = 23; p′ = 20.75/23; d′ = 0.75/23; p′ − d′ = 20/23; p′ + d′ = 21.5/23
    // V′ = 21.5/23 − (20/23)² = (494.5 − 400)/529 = 94.5/529 = 0.17863894139886578
    // se′ = 100·√(94.5/529/23) = 100·√(94.5/12167) = 8.813007713376212
    // centre = 100·20/23 = 86.95652173913044; half = 1.959963984540054·8.8130… = 17.273177713691072
    // low = 86.9565… − 17.2731… = 69.68334402543936; high = min(100, 104.2297…) = 100
    const i = adjustedWaldInterval(counts(20, 0, 0), Z95);
    expect(i.standardError).toBeCloseTo(8.813007713376212, 11);
    expect(i.centre).toBeCloseTo(86.95652173913044, 11);
    expect(i.low).toBeCloseTo(69.68334402543936, 11);
    expect(i.high).toBe(100);
  });

  it('all 20 detractors: the mirror image, the bottom clipped at −100', () => {
    const i = adjustedWaldInterval(counts(0, 0, 20), Z95);
    expect(i.low).toBe(-100);
    expect(i.high).toBeCloseTo(-69.68334402543936, 11);
  });

  it('mixed: 5 promoters, 3 passives, 2 detractors', () => {
    // n′ = 13; p′ = 5.75/13; d′ = 2.75/13; p′ − d′ = 3/13; p′ + d′ = 8.5/13
    // V′ = 8.5/13 − 9/169 = (110.5 − 9)/169 = 101.5/169 = 0.6005917159763314
    // se′ = 100·√(101.5/169/13) = 100·√(101.5/2197) = 21.494037025977718
    // centre = 300/13 = 23.076923076923077; half = 1.959963984540054·21.494… = 42.127538453286745
    // low = 23.0769… − 42.1275… = −19.050615376363668; high = 23.0769… + 42.1275… = 65.20446153020982
    const i = adjustedWaldInterval(counts(5, 3, 2), Z95);
    expect(i.standardError).toBeCloseTo(21.494037025977718, 11);
    expect(i.centre).toBeCloseTo(23.076923076923077, 11);
    expect(i.low).toBeCloseTo(-19.050615376363668, 11);
    expect(i.high).toBeCloseTo(65.20446153020982, 11);
  });

  it('worked example, n = 100 with 50 promoters, 30 passives, 20 detractors (NPS 30)', () => {
    // Method as MeasuringU describes it (https://measuringu.com/nps-confidence-intervals/ and
    // https://measuringu.com/nps-three-confidence-intervals/: "add 3 to the sample size, ¾ to the number of
    // detractors and ¾ to the number of promoters", after Rocks 2016, The American Statistician 70(4)).
    // Rocks's own R package uses the same pseudo-observations: nps_test(..., pseudo_observations =
    // c(0.75, 1.5, 0.75)) (https://rdrr.io/github/brendan-R/nps/man/nps_test.html).
    // Honest note: the copies of those pages we could search do not include the numbers of a worked
    // example, so this example is computed by hand here (and checked with mpmath), not copied from them.
    // n′ = 103; p′ = 50.75/103 = 0.4927184466; d′ = 20.75/103 = 0.2014563107
    // V′ = 0.6941747573 − (0.2912621359)² = 0.6941747573 − 0.0848336318 = 0.6093411255
    // se′ = 100·√(0.6093411255/103) = 100·√0.0059159333 = 7.691510421814756
    // centre = 100·30/103 = 29.12621359223301; half = 1.959963984540054·7.6915… = 15.075083413471402
    // interval = [14.051130178761608, 44.20129700570441] — NPS 30 ± about 15 at n = 100
    const i = adjustedWaldInterval(counts(50, 30, 20), Z95);
    expect(i.standardError).toBeCloseTo(7.691510421814756, 11);
    expect(i.centre).toBeCloseTo(29.12621359223301, 11);
    expect(i.low).toBeCloseTo(14.051130178761608, 11);
    expect(i.high).toBeCloseTo(44.20129700570441, 11);
  });

  it('n = 0 gives the widest finite interval, centred on 0', () => {
    // n′ = 3; p′ = d′ = 0.25; V′ = 0.5; se′ = 100·√(0.5/3) = 40.8248290463863
    const i = adjustedWaldInterval(counts(0, 0, 0), Z95);
    expect(i.standardError).toBeCloseTo(40.8248290463863, 11);
    expect(i.centre).toBe(0);
    expect(i.low).toBeCloseTo(-80.01519460592184, 11);
    expect(i.high).toBeCloseTo(80.01519460592184, 11);
  });

  it('adjustedStandardError is the se′ of the interval', () => {
    expect(adjustedStandardError(counts(5, 3, 2))).toBeCloseTo(21.494037025977718, 11);
    expect(adjustedStandardError(counts(1, 0, 0))).toBeCloseTo(37.5, 12);
  });
});

describe('change and its significance', () => {
  const now = counts(5, 3, 2); // NPS 30, se′ 21.494037025977718 (see above)

  it('significant: 30 now vs −30 before (2 promoters, 3 passives, 5 detractors)', () => {
    // change = 30 − (−30) = 60; se′_prev = 21.494037025977718 (mirror of the mixed case)
    // se(change) = √(21.494…² + 21.494…²) = 21.494…·√2 = 30.397158672287153
    // z·se = 1.959963984540054·30.397… = 59.577336230032194 < 60 → significant (just)
    const c = changeBetween(now, counts(2, 3, 5), Z95);
    expect(c).not.toBeNull();
    expect(c?.change).toBe(60);
    expect(c?.standardError).toBeCloseTo(30.397158672287153, 11);
    expect(c?.significant).toBe(true);
  });

  it('not significant: 30 now vs 10 before (4 promoters, 3 passives, 3 detractors)', () => {
    // previous: n′ = 13; p′ = 4.75/13; d′ = 3.75/13; V′ = 8.5/13 − 1/169 = 109.5/169
    // se′_prev = 100·√(109.5/2197) = 22.325028970311813
    // change = 30 − 10 = 20; se = √(21.494…² + 22.325…²) = 30.99032988206745; z·se = 60.73993043786763 > 20
    const c = changeBetween(now, counts(4, 3, 3), Z95);
    expect(c?.change).toBe(20);
    expect(c?.standardError).toBeCloseTo(30.99032988206745, 11);
    expect(c?.significant).toBe(false);
  });

  it('a drop is significant by its size too (|change|)', () => {
    const c = changeBetween(counts(2, 3, 5), now, Z95);
    expect(c?.change).toBe(-60);
    expect(c?.significant).toBe(true);
  });

  it('is null when the previous period has no answer', () => {
    expect(changeBetween(now, null, Z95)).toBeNull();
    expect(changeBetween(now, undefined, Z95)).toBeNull();
    expect(changeBetween(now, counts(0, 0, 0), Z95)).toBeNull();
  });
});

describe('shrinkage toward the pooled shares', () => {
  it('pooledShares adds the groups up (Unassigned is just another group here)', () => {
    // Ana 3/1/1, Bob 1/1/3, Unassigned 6/2/2 → P = 10, X = 4, D = 6, n = 20 → π = (0.5, 0.2, 0.3)
    const prior = pooledShares([counts(3, 1, 1), counts(1, 1, 3), counts(6, 2, 2)]);
    expect(prior?.promoters).toBeCloseTo(0.5, 15);
    expect(prior?.passives).toBeCloseTo(0.2, 15);
    expect(prior?.detractors).toBeCloseTo(0.3, 15);
    expect(pooledShares([])).toBeNull();
    expect(pooledShares([counts(0, 0, 0)])).toBeNull();
  });

  it('k = 10: 100·((P + k·πP) − (D + k·πD))/(n + k)', () => {
    const prior = { promoters: 0.5, passives: 0.2, detractors: 0.3 }; // prior NPS = 100·(0.5 − 0.3) = 20
    // Ana 3/1/1 (raw 40): 100·((3 + 5) − (1 + 3))/(5 + 10) = 100·4/15 = 26.666…
    expect(shrunkNpsOf(counts(3, 1, 1), prior, 10)).toBeCloseTo(26.666666666666668, 12);
    // Bob 1/1/3 (raw −40): 100·((1 + 5) − (3 + 3))/15 = 0
    expect(shrunkNpsOf(counts(1, 1, 3), prior, 10)).toBeCloseTo(0, 12);
    // a large book barely moves: 60/20/20 (raw 40) → 100·((60 + 5) − (20 + 3))/110 = 100·42/110 = 38.18…
    expect(shrunkNpsOf(counts(60, 20, 20), prior, 10)).toBeCloseTo(38.18181818181818, 12);
  });

  it('k = 0 leaves the raw NPS; no answer gives the prior NPS', () => {
    const prior = { promoters: 0.5, passives: 0.2, detractors: 0.3 };
    expect(shrunkNpsOf(counts(3, 1, 1), prior, 0)).toBeCloseTo(40, 12);
    expect(shrunkNpsOf(counts(0, 0, 0), prior, 10)).toBeCloseTo(20, 12);
    expect(shrunkNpsOf(counts(0, 0, 0), prior, 0)).toBeNull();
  });
});

describe('goal status', () => {
  const goals = DEFAULT_GOALS; // T = +5, F = 30, m = 5

  it('defaults are T = 5, F = 30, m = 5, confidence 0.95, k = 10 (NPS_Setting__mdt Default)', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      improvementTarget: 5,
      floor: 30,
      minResponses: 5,
      confidence: 0.95,
      priorStrength: 10
    });
  });

  it('insufficient data when n < m, however good the NPS', () => {
    expect(goalStatusOf(4, 100, 50, goals)).toBe('insufficient_data');
    expect(goalStatusOf(5, 100, null, goals)).toBe('met');
  });

  it('met by the floor: NPS > 30 (strictly)', () => {
    expect(goalStatusOf(10, 30.5, null, goals)).toBe('met');
    expect(goalStatusOf(10, 30, null, goals)).toBe('not_met');
    expect(goalStatusOf(10, 50, -20, goals)).toBe('met'); // a drop does not undo a met floor
  });

  it('met by the change: change ≥ +5 (inclusive), even below the floor', () => {
    expect(goalStatusOf(10, 10, 5, goals)).toBe('met');
    expect(goalStatusOf(10, -40, 12, goals)).toBe('met');
  });

  it('not met: at or below the floor and change below +5 or unknown', () => {
    expect(goalStatusOf(10, 10, 4.9, goals)).toBe('not_met');
    expect(goalStatusOf(10, 10, null, goals)).toBe('not_met');
  });
});

describe('probabilities', () => {
  it('probabilityAboveFloor = Φ((nps − F)/se′)', () => {
    // n = 1 promoter: Φ((100 − 30)/37.5) = Φ(1.8666…) = 0.9690259242932594
    expect(probabilityAboveFloor(100, 37.5, 30)).toBeCloseTo(0.9690259242932594, 14);
    // NPS exactly at the floor: Φ(0) = 0.5
    expect(probabilityAboveFloor(30, 21.494037025977718, 30)).toBe(0.5);
  });

  it('probabilityImproved = Φ((change − T)/se(change)); null without a change', () => {
    // significant case above: Φ((60 − 5)/30.397158672287153) = Φ(1.80938…) = 0.9648039779573469
    const sig = changeBetween(counts(5, 3, 2), counts(2, 3, 5), Z95);
    expect(probabilityImproved(sig, 5)).toBeCloseTo(0.9648039779573469, 12);
    // not significant: Φ((20 − 5)/30.99032988206745) = Φ(0.48402…) = 0.6858148554429155
    const ns = changeBetween(counts(5, 3, 2), counts(4, 3, 3), Z95);
    expect(probabilityImproved(ns, 5)).toBeCloseTo(0.6858148554429155, 12);
    expect(probabilityImproved(null, 5)).toBeNull();
  });
});

describe('summarizeGroup: every figure of one group', () => {
  it('mixed group with a previous period and a prior, default settings', () => {
    const s = summarizeGroup(counts(5, 3, 2), {
      previous: counts(2, 3, 5),
      prior: { promoters: 0.5, passives: 0.2, detractors: 0.3 }
    });
    expect(s).not.toBeNull();
    expect(s).toMatchObject({
      responses: 10,
      promoters: 5,
      passives: 3,
      detractors: 2,
      nps: 30,
      change: 60,
      changeSignificant: true,
      goalStatus: 'met', // change 60 ≥ 5 (NPS 30 is not > 30)
      probabilityAboveFloor: 0.5
    });
    expect(s?.meanScore).toBeCloseTo(7.4, 12); // counts() uses 10 and 8: (5·10 + 3·8)/10 = 74/10
    expect(s?.ciLow).toBeCloseTo(-19.050615376363668, 11);
    expect(s?.ciHigh).toBeCloseTo(65.20446153020982, 11);
    // shrunk: 100·((5 + 5) − (2 + 3))/(10 + 10) = 100·5/20 = 25
    expect(s?.shrunkNps).toBeCloseTo(25, 12);
    expect(s?.probabilityImproved).toBeCloseTo(0.9648039779573469, 12);
  });

  it('n = 1 promoter alone: NPS 100 but insufficient data; without a prior the NPS is not shrunk', () => {
    const s = summarizeGroup(counts(1, 0, 0));
    expect(s).toMatchObject({
      nps: 100,
      goalStatus: 'insufficient_data',
      change: null,
      changeSignificant: null,
      probabilityImproved: null
    });
    expect(s?.shrunkNps).toBeCloseTo(100, 12); // own shares (1, 0, 0): 100·(1 + 10)/(1 + 10)
    expect(s?.probabilityAboveFloor).toBeCloseTo(0.9690259242932594, 14);
  });

  it('uses the confidence level and goal settings given', () => {
    // 90 %: z = 1.6448536269514729; half = 1.64485…·21.494037025977718 = 35.35466… → [−12.2777, 58.4316]
    const s = summarizeGroup(counts(5, 3, 2), { settings: { confidence: 0.9, floor: 20, minResponses: 11 } });
    expect(s?.ciLow).toBeCloseTo(23.076923076923077 - 1.6448536269514729 * 21.494037025977718, 10);
    expect(s?.ciHigh).toBeCloseTo(23.076923076923077 + 1.6448536269514729 * 21.494037025977718, 10);
    expect(s?.goalStatus).toBe('insufficient_data'); // n = 10 < m = 11
  });

  it('no answer → null', () => {
    expect(summarizeGroup(counts(0, 0, 0))).toBeNull();
  });

  it('refuses settings that make no sense, naming the value', () => {
    expect(() => summarizeGroup(counts(1, 0, 0), { settings: { confidence: 1.5 } })).toThrow(/1\.5/);
    expect(() => summarizeGroup(counts(1, 0, 0), { settings: { priorStrength: -1 } })).toThrow(
      /Prior strength/
    );
    expect(() => summarizeGroup(counts(1, 0, 0), { settings: { minResponses: Number.NaN } })).toThrow(
      /Minimum responses/
    );
  });
});
