// How long NPS by CSM takes to render a large matrix in Chromium: 200 CSMs × 24 months of snapshots
// (computed by the core from seeded counts) in an otherwise empty local org, served by the preview, timed
// in the page with Performance API marks (see app/renderBenchmark.ts). For `npm run bench`; not a test.

import {
  computeGroupResults,
  NpsAggregator,
  periodIndexOfMonth,
  resolvePeriodOptions,
  type NpsCounts
} from 'c/npsCore';
import { startLocalOrg, type LocalOrg } from '../local-org/index';
import { snapshotOf, snapshotRecord } from '../sync/snapshots';
import { launchChromium } from './browser';
import { startDemo } from './demo';

export interface RenderMeasurement {
  /** Median of the timed renders, ms: from creating the component to the next painted frame. */
  ms: number;
  /** Every timed render, ms. */
  runs: number[];
  /** The untimed first render, ms, with its GraphQL round trips to the local org (3 pages of up to 2,000 rows: upper-bound pagination). */
  firstWithNetworkMs: number;
  csms: number;
  periods: number;
  /** Cells in the page when complete (the rows in the page and the team row). */
  cells: number;
  /** Rows of the grid (aria-rowcount: header, every CSM, team) and CSM rows in the page (a window above 60). */
  gridRows: number;
  rowsInPage: number;
}

export interface RenderBenchOptions {
  csms?: number;
  periods?: number;
  runs?: number;
  log?: (line: string) => void;
}

/** A small seeded generator (mulberry32), so that every run renders the same matrix. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `csms` users with a manager, and `periods` months of Company NPS snapshots each, ending this month. */
export async function seedMatrix(
  org: LocalOrg,
  csms: number,
  periods: number
): Promise<{ managerId: string }> {
  const { admin } = org;
  const profile = (admin.query("SELECT Id FROM Profile WHERE Name = 'Standard User'").records[0] ??
    admin.query('SELECT Id FROM Profile LIMIT 1').records[0]) as { Id: string };
  const person = (first: string, last: string, managerId?: string): Record<string, unknown> => ({
    FirstName: first,
    LastName: last,
    Username: `${first}.${last}@bench.csm-nps.test`.toLowerCase(),
    Email: `${first}.${last}@bench.csm-nps.test`.toLowerCase(),
    Alias: `${first.slice(0, 1)}${last}`.slice(0, 8).toLowerCase(),
    TimeZoneSidKey: 'America/New_York',
    LocaleSidKey: 'en_US',
    LanguageLocaleKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    ProfileId: profile.Id,
    ...(managerId ? { ManagerId: managerId } : {})
  });
  const [managerId] = admin.insert('User', [person('Bench', 'Manager')]) as [string];
  const csmIds = admin.insert(
    'User',
    Array.from({ length: csms }, (_, i) =>
      person('Csm', `Number${String(i + 1).padStart(3, '0')}`, managerId)
    )
  );

  const period = resolvePeriodOptions({ type: 'month' });
  const now = new Date();
  const last = periodIndexOfMonth(now.getUTCFullYear(), now.getUTCMonth() + 1, period);
  const aggregator = new NpsAggregator({ type: 'month' });
  const random = seeded(20_240_601);
  for (const csmId of csmIds) {
    const level = random();
    for (let index = last - periods + 1; index <= last; index++) {
      const n = 3 + Math.floor(random() * 28);
      const counts: NpsCounts = { promoters: 0, passives: 0, detractors: 0, scoreSum: 0 };
      for (let i = 0; i < n; i++) {
        const r = (random() + level) / 2;
        const score =
          r > 0.55
            ? 9 + Math.round(random())
            : r > 0.35
              ? 7 + Math.round(random())
              : Math.floor(random() * 7);
        if (score >= 9) counts.promoters++;
        else if (score >= 7) counts.passives++;
        else counts.detractors++;
        counts.scoreSum += score;
      }
      aggregator.addCounts(csmId, 'Company NPS', index, counts);
    }
  }
  const records = computeGroupResults(aggregator).map((result) =>
    snapshotRecord(snapshotOf(result, 'Month'), result.csm)
  );
  for (let i = 0; i < records.length; i += 1000) admin.insert('NPS_Snapshot__c', records.slice(i, i + 1000));
  return { managerId };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Renders NPS by CSM with 200 CSMs × 24 months in Chromium and returns the render time (median of the runs). */
export async function measureNpsByCsmRender(options: RenderBenchOptions = {}): Promise<RenderMeasurement> {
  const csms = options.csms ?? 200;
  const periods = options.periods ?? 24;
  const runs = options.runs ?? 5;
  const log = options.log ?? (() => undefined);
  const org = await startLocalOrg({ seed: null });
  try {
    log(`render bench: ${csms} CSMs × ${periods} months of snapshots…`);
    const { managerId } = await seedMatrix(org, csms, periods);
    const demo = await startDemo({ org, sync: false, progress: log });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const query = new URLSearchParams({
        as: managerId,
        periodType: 'Month',
        numberOfPeriods: String(periods),
        runs: String(runs),
        gridRows: String(csms + 2)
      });
      await page.goto(new URL(`/__bench?${query}`, demo.url).toString());
      await page.waitForFunction(
        () => (window as unknown as { __renderBenchmark?: unknown }).__renderBenchmark !== undefined,
        undefined,
        {
          timeout: 300_000
        }
      );
      const result = await page.evaluate(() => {
        const bench = (
          window as unknown as {
            __renderBenchmark: {
              runs: number[];
              cells: number;
              gridRows: number;
              rowsInPage: number;
              error?: string;
            };
          }
        ).__renderBenchmark;
        const first = performance.getEntriesByName('npsByCsm:render:first', 'measure')[0]?.duration ?? null;
        return { ...bench, first };
      });
      if (result.error || errors.length > 0)
        throw new Error(`the render benchmark failed in the page: ${result.error ?? errors.join('; ')}`);
      return {
        ms: median(result.runs),
        runs: result.runs,
        firstWithNetworkMs: result.first ?? Number.NaN,
        csms,
        periods,
        cells: result.cells,
        gridRows: result.gridRows,
        rowsInPage: result.rowsInPage
      };
    } finally {
      await browser.close();
      await demo.close();
    }
  } finally {
    await org.close();
  }
}
