// Φ and Φ⁻¹: the values every probability and interval rests on, against published table values
// (Abramowitz & Stegun table 26.1; recomputed to 17 digits with mpmath).
import { normalCdf, normalQuantile, zForConfidence } from 'c/npsCore';

describe('normalCdf Φ', () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145705],
    [2, 0.9772498680518208],
    [3, 0.9986501019683699],
    [-3, 0.0013498980316300945],
    [1.959963984540054, 0.975]
  ])('Φ(%p) = %p', (x, expected) => {
    expect(normalCdf(x)).toBeCloseTo(expected, 15);
  });

  it('keeps relative precision far in the lower tail', () => {
    // Φ(−5) = 2.8665157187919391e−7; Φ(−8) = 6.2209605742717841e−16; Φ(−10) = 7.6198530241605261e−24
    expect(normalCdf(-5) / 2.8665157187919391e-7).toBeCloseTo(1, 12);
    expect(normalCdf(-8) / 6.2209605742717841e-16).toBeCloseTo(1, 12);
    expect(normalCdf(-10) / 7.6198530241605261e-24).toBeCloseTo(1, 12);
  });

  it('is 0 and 1 at the infinities, never NaN for a number, and symmetric: Φ(x) + Φ(−x) = 1', () => {
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(40)).toBe(1);
    expect(normalCdf(-40)).toBeGreaterThanOrEqual(0);
    for (const x of [0.1, 0.5, 1.3, 2.7, 4.2]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
  });
});

describe('normalQuantile Φ⁻¹', () => {
  it('inverts Φ: Φ⁻¹(0.975) = 1.959963984540054, Φ⁻¹(0.5) = 0, Φ⁻¹(0.025) = −1.959963984540054', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 15);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 14);
  });

  it('round-trips Φ(Φ⁻¹(p)) = p across the range', () => {
    for (const p of [1e-10, 0.001, 0.05, 0.3, 0.7, 0.95, 0.999, 1 - 1e-10]) {
      expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 9);
    }
  });

  it('refuses p outside (0, 1)', () => {
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(1)).toThrow(RangeError);
    expect(() => normalQuantile(Number.NaN)).toThrow(RangeError);
  });

  it('zForConfidence(c) = Φ⁻¹(1 − (1 − c)/2)', () => {
    expect(zForConfidence(0.8)).toBeCloseTo(1.2815515655446004, 13);
  });
});
