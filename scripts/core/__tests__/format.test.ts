// Display helpers: what a manager reads in the table, the components and the exported CSV.
import {
  describeChange,
  formatNps,
  formatProbability,
  formatSigned,
  GOAL_LABELS,
  GOAL_PICKLIST,
  marginOf,
  neutralizeSpreadsheetFormula
} from 'c/npsCore';

const MINUS = '\u2212';

describe('formatSigned / formatNps', () => {
  it('a plus sign for gains, a true minus sign (U+2212) for losses, plain 0', () => {
    expect(formatSigned(12.4)).toBe('+12');
    expect(formatSigned(-8)).toBe(`${MINUS}8`);
    expect(formatSigned(0)).toBe('0');
    expect(formatSigned(-0.4)).toBe('0'); // never "−0"
    expect(formatSigned(0.4)).toBe('0');
  });

  it('rounds half away from zero, symmetric for gains and losses', () => {
    expect(formatSigned(0.5)).toBe('+1');
    expect(formatSigned(-0.5)).toBe(`${MINUS}1`);
    expect(formatSigned(2.5)).toBe('+3');
    expect(formatSigned(-2.5)).toBe(`${MINUS}3`);
    expect(formatSigned(-2.25, 1)).toBe(`${MINUS}2.3`);
    expect(formatSigned(0, 1)).toBe('0.0');
  });

  it('formatNps drops the plus sign but keeps the minus', () => {
    expect(formatNps(42)).toBe('42');
    expect(formatNps(-7.6)).toBe(`${MINUS}8`);
    expect(formatNps(0)).toBe('0');
  });
});

describe('describeChange', () => {
  it('no previous period', () => {
    expect(describeChange(null, null)).toBe('no previous period to compare');
  });

  it('a significant change is called a real improvement or a real decline', () => {
    expect(describeChange(12, true)).toBe('+12, a real improvement');
    expect(describeChange(-15.2, true)).toBe(`${MINUS}15, a real decline`);
  });

  it('a change that is not significant is "within normal variation"', () => {
    expect(describeChange(6, false)).toBe('+6, within normal variation');
    expect(describeChange(-9, false)).toBe(`${MINUS}9, within normal variation`);
  });

  it('a change that rounds to 0 reads "0, unchanged"', () => {
    expect(describeChange(0.3, false)).toBe('0, unchanged');
    expect(describeChange(-0.4, false)).toBe('0, unchanged');
    expect(describeChange(0, false)).toBe('0, unchanged');
  });

  it('the number and the words agree at ±0.5: "+1"/"−1" is never called unchanged', () => {
    expect(describeChange(0.5, false)).toBe('+1, within normal variation');
    expect(describeChange(-0.5, false)).toBe(`${MINUS}1, within normal variation`);
  });
});

describe('other helpers', () => {
  it('marginOf is half the interval width', () => {
    expect(marginOf(-19.05, 65.2)).toBeCloseTo(42.125, 12);
  });

  it('formatProbability: whole percent, never a false 0 % or 100 %', () => {
    expect(formatProbability(0.834)).toBe('83%');
    expect(formatProbability(0.5)).toBe('50%');
    expect(formatProbability(0.999)).toBe('>99%');
    expect(formatProbability(0.001)).toBe('<1%');
    expect(formatProbability(1)).toBe('100%');
    expect(formatProbability(0)).toBe('0%');
  });

  it('goal labels for people and the Goal_Status__c picklist values of DESIGN.md § Data model', () => {
    expect(GOAL_PICKLIST).toEqual({ met: 'Met', not_met: 'Not Met', insufficient_data: 'Insufficient Data' });
    expect(GOAL_LABELS.insufficient_data).toBe('Insufficient data');
  });
});

describe('neutralizeSpreadsheetFormula (OWASP CSV injection)', () => {
  it.each(['=HYPERLINK("http://evil.example","x")', '+1+2', '-2+3', '@SUM(A1)', '\tTab', '\rCR'])(
    'prefixes %p with a quote',
    (text) => {
      expect(neutralizeSpreadsheetFormula(text)).toBe(`'${text}`);
    }
  );

  it('leaves ordinary text alone', () => {
    expect(neutralizeSpreadsheetFormula('Ana Souza')).toBe('Ana Souza');
    expect(neutralizeSpreadsheetFormula('ana=souza@example.com')).toBe('ana=souza@example.com');
    expect(neutralizeSpreadsheetFormula('')).toBe('');
  });
});
