// Classification of one answer to the Net Promoter question (0–10).
// Promoter 9–10, passive 7–8, detractor 0–6 (Reichheld, "The One Number You Need to Grow", HBR 2003).

export type Category = 'promoter' | 'passive' | 'detractor';

/** Points a category adds to an NPS: the mean of these over the answers is the NPS. */
export const NPS_POINTS: Readonly<Record<Category, number>> = { promoter: 100, passive: 0, detractor: -100 };

export function isValidScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10;
}

export function categoryOf(score: number): Category {
  if (!isValidScore(score))
    throw new RangeError(`Not an NPS score: ${String(score)} (expected an integer 0–10)`);
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

export type ParsedScore = { ok: true; score: number } | { ok: false; reason: string };

const INTEGER_TEXT = /^[+]?(\d{1,3})(?:\.0+)?$/;

/**
 * Reads a score written as text (a CSV cell, a form value). "7" and "7.0" are 7; "7.5", "ten", "-1",
 * "11", "" are rejected with a reason a person can act on.
 */
export function parseScore(text: string | null | undefined): ParsedScore {
  const raw = (text ?? '').trim();
  if (raw === '') return { ok: false, reason: 'score is empty: expected a whole number from 0 to 10' };
  const match = INTEGER_TEXT.exec(raw);
  if (!match) {
    const asNumber = Number(raw);
    if (Number.isFinite(asNumber) && !Number.isInteger(asNumber)) {
      return { ok: false, reason: `score "${raw}" is not a whole number: expected 0 to 10` };
    }
    if (Number.isFinite(asNumber) && asNumber < 0) {
      return { ok: false, reason: `score "${raw}" is out of range: expected a whole number from 0 to 10` };
    }
    return {
      ok: false,
      reason: `score "${clip(raw)}" is not a number: expected a whole number from 0 to 10`
    };
  }
  const score = Number(match[1]);
  if (score > 10)
    return { ok: false, reason: `score "${raw}" is out of range: expected a whole number from 0 to 10` };
  return { ok: true, score };
}

/** Validates a score that arrives as a number (e.g. SurveyQuestionResponse.NumberValue). */
export function checkNumericScore(value: unknown): ParsedScore {
  if (value === null || value === undefined)
    return { ok: false, reason: 'score is empty: expected a whole number from 0 to 10' };
  if (typeof value === 'string') return parseScore(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return {
      ok: false,
      reason: `score ${clip(shown(value))} is not a number: expected a whole number from 0 to 10`
    };
  }
  if (!Number.isInteger(value))
    return { ok: false, reason: `score ${value} is not a whole number: expected 0 to 10` };
  if (value < 0 || value > 10)
    return { ok: false, reason: `score ${value} is out of range: expected a whole number from 0 to 10` };
  return { ok: true, score: value };
}

/** A value as text for a message; never throws (String() does on an object without a usable toString). */
function shown(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Shortens user text quoted in a message so that one bad cell cannot flood a log. */
export function clip(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
