// Reading a score: what a CSV cell or a survey record may hold, and the reason given when it is refused.
import { categoryOf, checkNumericScore, isValidScore, NPS_POINTS, parseScore } from 'c/npsCore';

describe('parseScore', () => {
  it.each([
    ['0', 0],
    ['6', 6],
    ['10', 10],
    [' 9 ', 9],
    ['7.0', 7],
    ['+8', 8]
  ])('accepts %p as %p', (text, score) => {
    expect(parseScore(text)).toEqual({ ok: true, score });
  });

  it.each([
    ['11', 'score "11" is out of range: expected a whole number from 0 to 10'],
    ['-1', 'score "-1" is out of range: expected a whole number from 0 to 10'],
    ['7.5', 'score "7.5" is not a whole number: expected 0 to 10'],
    ['ten', 'score "ten" is not a number: expected a whole number from 0 to 10'],
    ['', 'score is empty: expected a whole number from 0 to 10'],
    ['   ', 'score is empty: expected a whole number from 0 to 10'],
    ['1e1', 'score "1e1" is not a number: expected a whole number from 0 to 10']
  ])('rejects %p: %s', (text, reason) => {
    expect(parseScore(text)).toEqual({ ok: false, reason });
  });

  it('null and undefined are empty', () => {
    expect(parseScore(null)).toEqual({
      ok: false,
      reason: 'score is empty: expected a whole number from 0 to 10'
    });
    expect(parseScore(undefined)).toMatchObject({ ok: false });
  });

  it('a long bad cell is clipped in the message', () => {
    const r = parseScore('x'.repeat(200));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeLessThan(120);
  });
});

describe('checkNumericScore (a number from a survey record)', () => {
  it('accepts whole numbers 0–10 and refuses the rest with a reason', () => {
    expect(checkNumericScore(9)).toEqual({ ok: true, score: 9 });
    expect(checkNumericScore(10.5)).toEqual({
      ok: false,
      reason: 'score 10.5 is not a whole number: expected 0 to 10'
    });
    expect(checkNumericScore(-1)).toEqual({
      ok: false,
      reason: 'score -1 is out of range: expected a whole number from 0 to 10'
    });
    expect(checkNumericScore(Number.NaN)).toMatchObject({ ok: false });
    expect(checkNumericScore(null)).toMatchObject({
      ok: false,
      reason: 'score is empty: expected a whole number from 0 to 10'
    });
    expect(checkNumericScore('8')).toEqual({ ok: true, score: 8 });
  });
});

describe('categories', () => {
  it('0–6 detractor, 7–8 passive, 9–10 promoter; points −100 / 0 / +100', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(categoryOf)).toEqual([
      ...Array(7).fill('detractor'),
      'passive',
      'passive',
      'promoter',
      'promoter'
    ]);
    expect(NPS_POINTS).toEqual({ promoter: 100, passive: 0, detractor: -100 });
    expect(() => categoryOf(11)).toThrow(/Not an NPS score: 11/);
    expect(isValidScore(7.5)).toBe(false);
    expect(isValidScore('7')).toBe(false);
  });
});
