// The components where users see them: in Chromium (Debian's package, driven by playwright-core), rendered
// by the preview from the same sources that are deployed, with data from the local org after a real
// `csm-nps sync`. Each page loads with no console error; its numbers equal what the core computes from
// the org's NPS_Response__c records; a cell opens its responses; "Mark followed up" reaches the org and
// survives a reload; the keyboard reaches every action; a comment holding HTML is shown as text. Each
// page is written to screenshots/ (git-ignored); with CSM_NPS_README_IMAGES=1 also to docs/images/.
//
// Without Chromium the tests are skipped (and say so), except under CI, where a missing browser fails.

import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { findProjectRoot } from '../../metadata/paths';
import { startLocalOrg, type LocalOrg } from '../../local-org/index';
import { chromiumAvailable, chromiumPath, launchChromium } from '../browser';
import { startDemo, type Demo } from '../demo';
import {
  accountQuarters,
  cellSentence,
  localDate,
  orgResponses,
  orgTimeZone,
  quarterlyByCsm,
  userTimeZone,
  type OrgResponse
} from './helpers/expected';
import { formatNps, LocalDayResolver } from 'c/npsCore';

jest.setTimeout(120_000);

const underCi = Boolean(process.env.CI) && !['false', '0'].includes(String(process.env.CI).toLowerCase());
const haveBrowser = chromiumAvailable();
const root = findProjectRoot();
const SCREENSHOTS = path.join(root, 'screenshots');
const README_IMAGES = path.join(root, 'docs', 'images');
const METRIC = 'Company NPS';

/** A comment as a customer may write it: markup that must reach the page as text, never as HTML. */
const HOSTILE_COMMENT =
  '<script>window.__xss = "script"</script><img src="x" onerror="window.__xss = \'img\'"><b>bold?</b> & "quotes" — it\'s <i>fine</i>';

if (!haveBrowser && !underCi) {
  process.stderr.write(
    `\nBrowser tests SKIPPED: no Chromium at ${chromiumPath()}. Install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH to run them; under CI they are required.\n\n`
  );
  it.skip(`browser tests (skipped: no Chromium at ${chromiumPath()})`, () => undefined);
}

if (!haveBrowser && underCi) {
  it('has Chromium for the browser tests (required under CI)', () => {
    throw new Error(
      `No Chromium at ${chromiumPath()}: CI must install Debian's chromium package before npm test (see .ci/run).`
    );
  });
}

const describeInBrowser = haveBrowser ? describe : describe.skip;

describeInBrowser('the preview in Chromium', () => {
  let org: LocalOrg;
  let demo: Demo;
  let browser: Browser;
  let responses: OrgResponse[];
  /** The detractor added for these tests: its CSM, account and id. */
  const hostile = { responseId: '', csmId: '', accountId: '' };
  const syncOutput: string[] = [];

  beforeAll(async () => {
    org = await startLocalOrg({ seed: 'demo' });
    // A fresh detractor, answered two days ago on an account of an active CSM: it goes through the real
    // sync like any other answer.
    const [contact] = org.admin.query(
      'SELECT Id, AccountId, Account.OwnerId FROM Contact WHERE Account.Owner.IsActive = true AND Account.Owner.ManagerId != null ORDER BY Id LIMIT 1'
    ).records as { Id: string; AccountId: string; Account: { OwnerId: string } }[];
    if (!contact) throw new Error('the demo org has no contact of an active CSM');
    const added = org.admin.addSurveyResponse({
      accountId: contact.AccountId,
      contactId: contact.Id,
      completedAt: new Date(Date.now() - 2 * 86_400_000),
      score: 2
    });
    demo = await startDemo({
      org,
      progress: (line) => syncOutput.push(line),
      io: {
        stdout: { write: (t: string) => syncOutput.push(t) },
        stderr: { write: (t: string) => syncOutput.push(t) },
        isTTY: false,
        columns: 160
      }
    });
    expect(demo.syncExitCode).toBe(0);
    const [synced] = org.admin.query(
      `SELECT Id, CSM__c, Account__c FROM NPS_Response__c WHERE Source_Id__c = '${added.companyAnswerId}'`
    ).records as { Id: string; CSM__c: string; Account__c: string }[];
    if (!synced)
      throw new Error(
        `the sync did not write the added answer ${added.companyAnswerId}:\n${syncOutput.join('')}`
      );
    Object.assign(hostile, { responseId: synced.Id, csmId: synced.CSM__c, accountId: synced.Account__c });
    responses = orgResponses(org);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await org?.close();
  });

  /** Opens a page and records every console error, uncaught exception and failed request on it. */
  async function open(pathAndQuery: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    page.on('requestfailed', (request) => {
      const reason = request.failure()?.errorText ?? '';
      // A request the page itself gave up (a reload or navigation while an icon was loading) is not a
      // failure of the preview; anything else (refused, reset, timed out) is.
      if (reason === 'net::ERR_ABORTED') return;
      problems.push(`request failed: ${request.url()} (${reason})`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    await page.goto(new URL(pathAndQuery, demo.url).toString());
    return { page, problems };
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = path.join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.CSM_NPS_README_IMAGES === '1') {
      mkdirSync(README_IMAGES, { recursive: true });
      copyFileSync(file, path.join(README_IMAGES, `preview-${name}.png`));
    }
  }

  const matrix = (page: Page) => page.locator('c-nps-by-csm table.matrix');
  const detractorList = (page: Page) => page.locator('c-csm-nps c-nps-response-list table.responses');
  const accountList = (page: Page) => page.locator('c-account-nps c-nps-response-list table.responses');

  async function settle(page: Page): Promise<void> {
    await page.waitForLoadState('networkidle');
  }

  describe('each page', () => {
    // As a visitor first sees them: each page with the person or account the preview picks by default.
    it.each([
      ['manager', '/', (page: Page) => matrix(page)],
      ['csm', '/csm', (page: Page) => detractorList(page)],
      ['account', '/account', (page: Page) => accountList(page)]
    ] as const)(
      '%s: loads with no console error, and is written to screenshots/',
      async (name, where, ready) => {
        const { page, problems } = await open(where);
        await ready(page).waitFor();
        await settle(page);
        await screenshot(page, name);
        expect(problems).toEqual([]);
        await page.close();
      }
    );
  });

  it('NPS by CSM shows, in every cell and the team row, what the core computes from the org’s responses', async () => {
    const { page, problems } = await open('/');
    await matrix(page).waitFor();
    const labels = await page
      .locator('c-nps-by-csm c-nps-cell button')
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''));
    const { byCell, teamByPeriod } = quarterlyByCsm(responses, {
      timeZone: orgTimeZone(org),
      metric: METRIC
    });
    const periods = await page.locator('c-nps-by-csm th.col-period').allTextContents();
    expect(periods.length).toBe(6);
    const seen = new Set<string>();
    let withData = 0;
    for (const label of labels) {
      const match = /^(.*), (\d{4}-Q[1-4]): (.*)$/.exec(label);
      if (!match) throw new Error(`unexpected cell label: ${label}`);
      const [, row, period, details] = match as unknown as [string, string, string, string];
      if (row === 'Team total') {
        const team = teamByPeriod.get(period);
        expect(details.startsWith(team ? cellSentence(team) : 'no responses')).toBe(true);
        continue;
      }
      const expected = byCell.get(`${row}|${period}`);
      seen.add(`${row}|${period}`);
      if (expected) withData++;
      expect({
        cell: `${row}|${period}`,
        says: details.slice(0, (expected ? cellSentence(expected) : 'no responses').length)
      }).toEqual({
        cell: `${row}|${period}`,
        says: expected ? cellSentence(expected) : 'no responses'
      });
    }
    expect(withData).toBeGreaterThan(50);
    // No group of the periods shown is missing from the page.
    const missing = [...byCell.keys()].filter(
      (key) => periods.includes(key.split('|')[1] as string) && !seen.has(key)
    );
    expect(missing).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('CSM NPS and Account NPS show what the core computes', async () => {
    // CSM NPS: the latest quarter of the CSM, from the sync's snapshots (org time zone).
    const csmPage = await open(`/csm?user=${hostile.csmId}`);
    const headline = csmPage.page.locator('c-csm-nps .headline');
    await headline.waitFor();
    const { byCell } = quarterlyByCsm(responses, { timeZone: orgTimeZone(org), metric: METRIC });
    const csmName = responses.find((r) => r.csmId === hostile.csmId)?.csmName as string;
    const latest = [...byCell.entries()]
      .filter(([key]) => key.startsWith(`${csmName}|`))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .at(-1)?.[1];
    if (!latest) throw new Error(`no results for ${csmName}`);
    await expect(headline.locator('.headline-title').textContent()).resolves.toContain(latest.period);
    const headlineText = (await headline.textContent()) ?? '';
    expect(headlineText).toContain(formatNps(latest.nps));
    expect(headlineText).toContain(`${formatNps(latest.ciLow)} and ${formatNps(latest.ciHigh)}`);
    expect(headlineText).toContain(`${latest.responses} responses`);
    expect(csmPage.problems).toEqual([]);
    await csmPage.page.close();

    // Account NPS: computed in the browser from the account's responses, in the viewer's time zone.
    const accountPage = await open(`/account?account=${hostile.accountId}`);
    await accountList(accountPage.page).waitFor();
    const rows = await accountPage.page
      .locator('c-account-nps table.data-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => (cell.textContent ?? '').trim())));
    const viewer = await accountPage.page.evaluate(
      () => JSON.parse(document.getElementById('preview-context')?.textContent ?? '{}').userId as string
    );
    const expected = accountQuarters(responses, hostile.accountId, userTimeZone(org, viewer), METRIC);
    expect(rows).toEqual(
      expected.map((p) =>
        p.nps === null || p.ciLow === null || p.ciHigh === null
          ? [p.label, '—', '—', '0'] // a quarter without answers: a gap in the chart, a row in its table
          : [
              p.label,
              formatNps(p.nps),
              `${formatNps(p.ciLow)} to ${formatNps(p.ciHigh)}`,
              String(p.responses)
            ]
      )
    );
    const listed = await accountList(accountPage.page).locator('tr.response').count();
    expect(listed).toBe(responses.filter((r) => r.accountId === hostile.accountId).length);
    // The current CSM: the account owner, the CSM field property's default (the local org's Account has
    // no custom CSM lookup unless the metadata defines one).
    const [account] = org.admin.query(`SELECT Owner.Name FROM Account WHERE Id = '${hostile.accountId}'`)
      .records as { Owner: { Name: string } }[];
    await expect(accountPage.page.locator('c-account-nps .current-csm-name').textContent()).resolves.toBe(
      account?.Owner.Name
    );
    expect(accountPage.problems).toEqual([]);
    await accountPage.page.close();
  });

  it('Account NPS says what to set when its CSM field property names no lookup', async () => {
    const { page, problems } = await open(`/account?account=${hostile.accountId}&csmField=Owner.Name`);
    const message = page.locator('c-account-nps c-nps-state-panel .error-message');
    await message.waitFor();
    await expect(message.textContent()).resolves.toContain(
      'The CSM field of Account NPS is set to "Owner.Name", which is not the API name of a lookup to User on Account.'
    );
    expect(await page.locator('c-account-nps .current-csm').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a cell opens its responses: the answers of that CSM and quarter', async () => {
    const { page, problems } = await open('/');
    await matrix(page).waitFor();
    // The first CSM's latest quarter with answers.
    const cell = page
      .locator('c-nps-by-csm c-nps-cell[data-row="0"] button:not([aria-disabled="true"])')
      .last();
    const label = (await cell.getAttribute('aria-label')) ?? '';
    const [, csmName, period] = /^(.*), (\d{4}-Q[1-4]):/.exec(label) as unknown as [string, string, string];
    await cell.click();
    const list = page.locator('c-nps-by-csm c-nps-response-list tr.response');
    await list.first().waitFor();
    await settle(page);
    const shownIds = (await list.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).sort();
    // The drill-down keeps the answers whose local date, in the viewer's time zone, is in the quarter.
    const viewer = await page.evaluate(
      () => JSON.parse(document.getElementById('preview-context')?.textContent ?? '{}').userId as string
    );
    const days = new LocalDayResolver(userTimeZone(org, viewer));
    const [year, quarter] = [Number(period.slice(0, 4)), Number(period.slice(6))];
    const expectedIds = responses
      .filter((r) => r.csmName === csmName && r.metric === METRIC)
      .filter((r) => {
        const date = localDate(r.respondedAt, days);
        return Number(date.slice(0, 4)) === year && Math.ceil(Number(date.slice(5, 7)) / 3) === quarter;
      })
      .map((r) => r.id)
      .sort();
    expect(shownIds).toEqual(expectedIds);
    await screenshot(page, 'manager-drilldown');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a comment holding <script> and HTML is shown as text, on the CSM and the Account page', async () => {
    // A verbatim holding markup, as a CSV or a mapped object may bring (the Salesforce Surveys source
    // does not read free-text answers).
    org.admin.update('NPS_Response__c', [{ Id: hostile.responseId, Comment__c: HOSTILE_COMMENT }]);
    for (const where of [`/csm?user=${hostile.csmId}`, `/account?account=${hostile.accountId}`]) {
      const { page, problems } = await open(where);
      const comment = page.locator(`tr.response[data-id="${hostile.responseId}"] td.comment`);
      await comment.waitFor();
      expect(await comment.textContent()).toBe(HOSTILE_COMMENT);
      expect(await comment.evaluate((td) => td.children.length)).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it('"Mark followed up" (with the keyboard) saves to the org, and a reload shows it', async () => {
    const { page, problems } = await open(`/csm?user=${hostile.csmId}`);
    const row = page.locator(`c-csm-nps tr.response[data-id="${hostile.responseId}"]`);
    const button = row.locator('button.follow-up');
    await button.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#toasts [data-variant="success"]').textContent()).resolves.toMatch(/follow/i);
    await row.locator('.followed-up-text').waitFor();
    const saved = () =>
      (
        org.admin.query(`SELECT Followed_Up__c FROM NPS_Response__c WHERE Id = '${hostile.responseId}'`)
          .records[0] as { Followed_Up__c: boolean }
      ).Followed_Up__c;
    expect(saved()).toBe(true);

    // After a reload the detractor no longer waits for a follow-up…
    await page.reload();
    await detractorList(page).or(page.locator('c-csm-nps c-nps-response-list p.empty')).first().waitFor();
    await settle(page);
    await expect(
      page.locator(`c-csm-nps tr.response[data-id="${hostile.responseId}"]`).count()
    ).resolves.toBe(0);
    expect(problems).toEqual([]);
    await page.close();

    // …and its account's page says it was followed up.
    const account = await open(`/account?account=${hostile.accountId}`);
    const followed = account.page.locator(`tr.response[data-id="${hostile.responseId}"] .followed-up-text`);
    await expect(followed.textContent()).resolves.toBe('Yes');
    expect(account.problems).toEqual([]);
    await account.page.close();
  });

  describe('keyboard', () => {
    /**
     * Tabs through the page from the top and returns which of the page's actions (buttons, links, form
     * fields, anything in the tab order) focus reached, and which it never reached.
     */
    async function tabThrough(page: Page): Promise<{ reached: number; missed: string[]; order: string[] }> {
      const total = await page
        .locator('button, a[href], select, input, textarea, [tabindex]')
        .evaluateAll((elements) => {
          const ids = new WeakMap<Element, string>();
          const names: string[] = [];
          for (const el of elements) {
            const html = el as HTMLElement;
            const disabled = (html as HTMLButtonElement).disabled === true;
            const visible =
              html.getClientRects().length > 0 && getComputedStyle(html).visibility !== 'hidden';
            if (disabled || !visible || html.tabIndex < 0) continue;
            const name = `${html.tagName.toLowerCase()} "${(html.getAttribute('aria-label') ?? html.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60)}"`;
            ids.set(el, `${names.length}: ${name}`);
            names.push(`${names.length}: ${name}`);
          }
          (window as unknown as { __actions: { ids: WeakMap<Element, string>; names: string[] } }).__actions =
            { ids, names };
          return names.length;
        });
      const order: string[] = [];
      for (let i = 0; i < total + 10; i++) {
        await page.keyboard.press('Tab');
        const id = await page.evaluate(() => {
          let el: Element | null = document.activeElement;
          while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
          return el
            ? ((window as unknown as { __actions: { ids: WeakMap<Element, string> } }).__actions.ids.get(
                el
              ) ?? null)
            : null;
        });
        if (id) order.push(id);
      }
      const names = await page.evaluate(
        () => (window as unknown as { __actions: { names: string[] } }).__actions.names
      );
      const reached = new Set(order);
      return { reached: reached.size, missed: names.filter((n) => !reached.has(n)), order };
    }

    it('Tab reaches every action on each page', async () => {
      for (const [where, ready] of [
        ['/', matrix],
        [`/csm?user=${hostile.csmId}`, (page: Page) => page.locator('c-csm-nps .headline')],
        [`/account?account=${hostile.accountId}`, accountList]
      ] as const) {
        const { page, problems } = await open(where);
        await ready(page).waitFor();
        await settle(page);
        const result = await tabThrough(page);
        expect({ where, missed: result.missed }).toEqual({ where, missed: [] });
        expect(result.reached).toBeGreaterThan(3);
        expect(problems).toEqual([]);
        await page.close();
      }
    });

    it('in NPS by CSM, the arrow keys reach every cell, Enter opens its responses and closing returns to it', async () => {
      const { page, problems } = await open('/');
      await matrix(page).waitFor();
      const cells = page.locator('c-nps-by-csm c-nps-cell');
      const [rows, cols] = await cells.evaluateAll((all) => [
        Math.max(...all.map((c) => Number(c.getAttribute('data-row')))) + 1,
        Math.max(...all.map((c) => Number(c.getAttribute('data-col')))) + 1
      ]);
      // The grid has one tab stop: its active cell.
      const tabStops = await page.locator('c-nps-by-csm c-nps-cell button[tabindex="0"]').count();
      expect(tabStops).toBe(1);
      await page.locator('c-nps-by-csm c-nps-cell button[tabindex="0"]').focus();
      const focusedCell = () =>
        page.evaluate(() => {
          let el: Element | null = document.activeElement;
          while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
          const host =
            el?.closest('c-nps-cell') ?? (el?.getRootNode() as ShadowRoot | undefined)?.host ?? null;
          return host ? `${host.getAttribute('data-row')},${host.getAttribute('data-col')}` : null;
        });
      await page.keyboard.press('Control+Home');
      const visited = new Set<string | null>();
      for (let row = 0; row < (rows as number); row++) {
        await page.keyboard.press('Home');
        for (let col = 0; col < (cols as number); col++) {
          visited.add(await focusedCell());
          await page.keyboard.press('ArrowRight');
        }
        await page.keyboard.press('ArrowDown');
      }
      expect(visited.size).toBe((rows as number) * (cols as number));
      await page.keyboard.press('Control+End');
      expect(await focusedCell()).toBe(`${(rows as number) - 1},${(cols as number) - 1}`);

      // Enter on a cell with answers opens them; the close button returns focus to the cell.
      await page.keyboard.press('Control+Home');
      for (let col = 0; col < (cols as number); col++) {
        const disabled = await page
          .locator(`c-nps-by-csm c-nps-cell[data-row="0"][data-col="${col}"] button`)
          .getAttribute('aria-disabled');
        if (disabled !== 'true') break;
        await page.keyboard.press('ArrowRight');
      }
      const opened = await focusedCell();
      await page.keyboard.press('Enter');
      await page.locator('c-nps-by-csm c-nps-response-list tr.response').first().waitFor();
      // Focus is on the list's heading; the next Tab stop is its Close button.
      const deepFocus = () =>
        page.evaluate(() => {
          let el: Element | null = document.activeElement;
          while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
          return el?.className ?? '';
        });
      expect(await deepFocus()).toContain('drill-heading');
      await page.keyboard.press('Tab');
      expect(await deepFocus()).toContain('close-drill');
      await page.keyboard.press('Enter');
      await expect(page.locator('c-nps-by-csm c-nps-response-list tr.response').count()).resolves.toBe(0);
      expect(await focusedCell()).toBe(opened);
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});
