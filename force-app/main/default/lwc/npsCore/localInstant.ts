// From a local calendar date to an instant, for answers that carry a date without a time (a CSV
// `YYYY-MM-DD`, a Date field): noon local time, so that the answer stays on its date in that zone
// whatever the offset (±14 h) or a daylight-saving change at midnight.

import { type LocalDayResolver } from './periods';

const MS_PER_DAY = 86_400_000;
const NOON = 12 * 3_600_000;

/** Epoch ms of 12:00 local time on `day` (days since 1970-01-01) in the resolver's time zone. */
export function instantOfLocalNoon(day: number, resolver: LocalDayResolver): number {
  const localNoonAsUtc = day * MS_PER_DAY + NOON;
  // The offset at the guess, then once more at the corrected instant (they differ only across a change).
  const first = localNoonAsUtc - resolver.offsetAt(localNoonAsUtc);
  return localNoonAsUtc - resolver.offsetAt(first);
}
