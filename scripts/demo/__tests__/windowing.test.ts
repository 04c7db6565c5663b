// NPS by CSM for a large team in Chromium: 200 CSMs × 6 months of snapshots. Above 60 CSMs the matrix is
// windowed (docs/COMPONENTS.md): only about 30 rows are in the page, with empty space of their height
// for the others. In a real browser, with real layout: the spacers stand for rows of the height the rows
// really have (so the scroll bar is the full team's), scrolling brings the right rows in, and the keyboard
// walks past the window. Skipped without Chromium, required under CI (as the other browser tests).

import type { Browser, Page } from 'playwright-core';
import { startLocalOrg, type LocalOrg } from '../../local-org/index';
import { chromiumAvailable, chromiumPath, launchChromium } from '../browser';
import { startDemo, type Demo } from '../demo';
import { seedMatrix } from '../renderBench';

jest.setTimeout(120_000);

const underCi = Boolean(process.env.CI) && !['false', '0'].includes(String(process.env.CI).toLowerCase());
const haveBrowser = chromiumAvailable();
if (!haveBrowser) {
  if (underCi)
    it('has Chromium for the browser tests (required under CI)', () => {
      throw new Error(
        `No Chromium at ${chromiumPath()}: CI must install Debian's chromium package (see .ci/run).`
      );
    });
  else it.skip(`windowed matrix in Chromium (skipped: no Chromium at ${chromiumPath()})`, () => undefined);
}

const CSMS = 200;
const describeInBrowser = haveBrowser ? describe : describe.skip;

describeInBrowser('NPS by CSM, 200 CSMs, in Chromium (windowed rows)', () => {
  let org: LocalOrg;
  let demo: Demo;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    org = await startLocalOrg({ seed: null });
    const { managerId } = await seedMatrix(org, CSMS, 6);
    demo = await startDemo({ org, sync: false, progress: () => undefined });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(new URL(`/?as=${managerId}&periodType=Month&numberOfPeriods=6`, demo.url).toString());
    await page.locator('c-nps-by-csm tbody tr.csm-row').first().waitFor({ timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await org?.close();
  });

  const rowNames = () => page.locator('c-nps-by-csm tbody tr.csm-row th').allTextContents();
  const box = () => page.locator('c-nps-by-csm .matrix-scroll');

  it('holds 30 rows in the page, and the whole team in the scroll height and the grid size', async () => {
    const names = await rowNames();
    expect(names).toHaveLength(30);
    expect(names[0]).toBe('Csm Number001');
    expect(await page.locator('c-nps-by-csm table.matrix').getAttribute('aria-rowcount')).toBe(
      String(CSMS + 2)
    );
    const heights = await page
      .locator('c-nps-by-csm tbody tr.csm-row')
      .evaluateAll((rows) => rows.map((row) => row.getBoundingClientRect().height));
    const spacer = await page
      .locator('c-nps-by-csm tbody tr.window-spacer')
      .evaluateAll((rows) => rows.map((row) => row.getBoundingClientRect().height));
    // The space below stands for the 170 rows not in the page, at the height the rows have here.
    const rowHeight = heights[0] as number;
    expect(new Set(heights.map((h) => h.toFixed(1))).size).toBe(1);
    expect(spacer).toHaveLength(2);
    expect(spacer[0]).toBe(0);
    expect(spacer[1]).toBeCloseTo((CSMS - 30) * rowHeight, 0);
    expect(errors).toEqual([]);
  });

  it('scrolling brings the rows of the scroll position into the page', async () => {
    const rowHeight = await page
      .locator('c-nps-by-csm tbody tr.csm-row')
      .first()
      .evaluate((row) => row.getBoundingClientRect().height);
    await box().evaluate((element, y) => {
      element.scrollTop = y;
    }, 120 * rowHeight);
    await page.waitForFunction(
      () => {
        const host = document.querySelector('c-nps-by-csm');
        const first = host?.shadowRoot?.querySelector('tbody tr.csm-row th')?.textContent ?? '';
        return first !== 'Csm Number001';
      },
      undefined,
      { timeout: 10_000 }
    );
    const names = await rowNames();
    // The row at the top of the box is in the page, with a few above it.
    const top = await page.evaluate(() => {
      const host = document.querySelector('c-nps-by-csm');
      const scroller = host?.shadowRoot?.querySelector('.matrix-scroll') as HTMLElement;
      const limit = scroller.getBoundingClientRect().top + 60; // below the sticky header
      const rows = [...(host?.shadowRoot?.querySelectorAll('tbody tr.csm-row') ?? [])] as HTMLElement[];
      return rows.find((row) => row.getBoundingClientRect().bottom > limit)?.querySelector('th')?.textContent;
    });
    expect(top).toBeDefined();
    expect(names).toContain(top as string);
    const index = Number(/(\d+)$/.exec(top as string)?.[1]);
    expect(index).toBeGreaterThanOrEqual(115);
    expect(index).toBeLessThanOrEqual(125);
    expect(errors).toEqual([]);
  });

  it('the arrow keys walk past the window, and the focused cell is in view', async () => {
    await box().evaluate((element) => {
      element.scrollTop = 0;
    });
    await page.waitForFunction(
      () =>
        document.querySelector('c-nps-by-csm')?.shadowRoot?.querySelector('tbody tr.csm-row th')
          ?.textContent === 'Csm Number001',
      undefined,
      { timeout: 10_000 }
    );
    await page.locator('c-nps-by-csm c-nps-cell[data-row="0"][data-col="0"] button').focus();
    const scrollTops: number[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('ArrowDown');
      scrollTops.push(await box().evaluate((element) => element.scrollTop));
    }
    const focused = await page.evaluate(() => {
      const host = document.querySelector('c-nps-by-csm');
      const cell = host?.shadowRoot?.activeElement as HTMLElement | null;
      return {
        row: cell?.dataset.row ?? null,
        label: cell?.shadowRoot?.activeElement?.getAttribute('aria-label')
      };
    });
    expect(focused.row).toBe('40');
    expect(focused.label).toContain('Csm Number041');
    // The box scrolls a row at a time as the focus goes down (no jump of half a screen).
    const steps = scrollTops.slice(1).map((top, i) => top - (scrollTops[i] as number));
    expect(Math.max(...steps)).toBeLessThan(80);
    expect(errors).toEqual([]);
  });
});
