// Display helpers shared by the components: label templates, the colour band of an NPS, and category
// shares. Pure, so that every surface shows one answer the same way.

import { pooledShares, DEFAULT_GOALS, type PriorShares } from './stats';

/**
 * Fills a label template: "{0} of {1}" with ("3", "5") gives "3 of 5". Placeholders without a value stay
 * as written, so a translated label with a missing argument shows the gap instead of "undefined".
 */
export function formatLabel(template: string, ...values: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (placeholder, index: string) => {
    const value = values[Number(index)];
    return value === undefined ? placeholder : String(value);
  });
}

/**
 * Colour band of an NPS (a second signal next to the number, never the only one). Bands follow the common
 * reading of NPS — below 0 more detractors than promoters, above 70 "world class" (Bain & Company) — with
 * the default goal floor (30) between "low" and "good". "insufficient" when the sample is below the
 * minimum responses, "none" when there is no answer.
 */
export type NpsBand = 'none' | 'insufficient' | 'negative' | 'low' | 'good' | 'excellent';

export const NPS_BAND_LIMITS: Readonly<{ good: number; excellent: number }> = {
  good: DEFAULT_GOALS.floor,
  excellent: 70
};

export function npsBand(nps: number | null | undefined, insufficient: boolean): NpsBand {
  if (nps === null || nps === undefined || Number.isNaN(nps)) return 'none';
  if (insufficient) return 'insufficient';
  if (nps < 0) return 'negative';
  if (nps <= NPS_BAND_LIMITS.good) return 'low';
  if (nps < NPS_BAND_LIMITS.excellent) return 'good';
  return 'excellent';
}

/** Promoter / passive / detractor shares (0–1) of counts; null when there is no answer. */
export function categoryShares(counts: {
  promoters: number;
  passives: number;
  detractors: number;
}): PriorShares | null {
  return pooledShares([
    { promoters: counts.promoters, passives: counts.passives, detractors: counts.detractors, scoreSum: 0 }
  ]);
}

/** "48%" for a share 0–1, rounded half up to a whole percent (shares are not probabilities: 1 is "100%"). */
export function formatShare(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
