// Every status check of a Bulk API job is an API call against the org's daily allowance. A real org
// takes minutes over a large job: the checks must follow the job's progress, not a fixed beat.

import { bulkPollWait } from '../orgApi';

const POLL_MS = 250;
const TIMEOUT_MS = 30 * 60_000;

/**
 * The status checks of a simulated ingest job (`queuedMs` waiting, then `perSecond` records a second),
 * planned by bulkPollWait as the sync plans them: the checks made and when the job was seen done.
 */
function simulate(
  total: number,
  queuedMs: number,
  perSecond: number
): { checks: number; seenDoneAtMs: number; doneAtMs: number } {
  const doneAtMs = queuedMs + (total / perSecond) * 1000;
  const processedAt = (t: number) =>
    Math.min(total, Math.max(0, Math.floor(((t - queuedMs) / 1000) * perSecond)));
  let now = POLL_MS; // an ingest job is first checked after one poll interval
  let slept = POLL_MS;
  let checks = 0;
  for (;;) {
    checks++;
    if (now >= doneAtMs) return { checks, seenDoneAtMs: now, doneAtMs };
    slept = bulkPollWait({
      pollMs: POLL_MS,
      sleptMs: slept,
      elapsedMs: now,
      processed: processedAt(now),
      total,
      timeoutMs: TIMEOUT_MS
    });
    now += slept;
    if (now > TIMEOUT_MS + POLL_MS) throw new Error('past the timeout');
  }
}

describe('Bulk API job status checks', () => {
  it('a job of 1,000,000 records taking ~9 minutes in a real org is checked a handful of times, not every 30 s', () => {
    const job = simulate(1_000_000, 20_000, 2000);
    expect(job.checks).toBeLessThanOrEqual(12);
    // …and seen done soon after it is: at most a tenth of its time late, plus one blind step.
    expect(job.seenDoneAtMs - job.doneAtMs).toBeLessThanOrEqual((job.doneAtMs - 20_000) * 0.1 + 30_000);
  });

  it('a job the org finishes at once is seen done at the first checks (no long first wait)', () => {
    const job = simulate(5000, 0, 1_000_000);
    expect(job.checks).toBeLessThanOrEqual(2);
    expect(job.seenDoneAtMs).toBeLessThan(1000);
  });

  it('without progress it doubles its wait up to 30 s; with progress it waits for the rest, up to 5 minutes', () => {
    const blind = [0, POLL_MS, 2 * POLL_MS, 16_000, 30_000].map((sleptMs) =>
      bulkPollWait({
        pollMs: POLL_MS,
        sleptMs,
        elapsedMs: 10_000,
        processed: 0,
        total: 0,
        timeoutMs: TIMEOUT_MS
      })
    );
    expect(blind).toEqual([POLL_MS, 2 * POLL_MS, 4 * POLL_MS, 30_000, 30_000]);
    // A tenth done in 60 s: the rest takes ~540 s at that rate, more than the 5-minute cap.
    expect(
      bulkPollWait({
        pollMs: POLL_MS,
        sleptMs: 30_000,
        elapsedMs: 60_000,
        processed: 100,
        total: 1000,
        timeoutMs: TIMEOUT_MS
      })
    ).toBe(300_000);
    // Half done in 10 s: the rest at that rate, plus a tenth, plus one poll interval.
    expect(
      bulkPollWait({
        pollMs: POLL_MS,
        sleptMs: 1000,
        elapsedMs: 10_000,
        processed: 500,
        total: 1000,
        timeoutMs: TIMEOUT_MS
      })
    ).toBe(11_000 + POLL_MS);
  });

  it('never waits past the job timeout: the last check falls on it', () => {
    const wait = bulkPollWait({
      pollMs: POLL_MS,
      sleptMs: 30_000,
      elapsedMs: TIMEOUT_MS - 40_000,
      processed: 10,
      total: 1_000_000,
      timeoutMs: TIMEOUT_MS
    });
    expect(wait).toBe(40_000);
  });
});
