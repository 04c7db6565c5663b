import { createElement } from 'lwc';
import { gql } from 'lightning/graphql';
import AccountNps from 'c/accountNps';
import { formatNps, resultsOverTime, type GroupResult } from 'c/npsCore';
import {
  byOperation,
  configOf,
  flushPromises,
  graphqlAdapter,
  resetDom,
  shadow,
  textOf
} from '../../../../../../scripts/jest/lwcTestHelpers';
import page1 from './data/responsesPage1.json';
import page2 from './data/responsesPage2.json';
import noResponses from './data/noResponses.json';
import withGap from './data/responsesWithGap.json';
import customCsmField from './data/customCsmField.json';

const RESPONSES = byOperation('accountNpsResponses');
const ACCOUNT = '001000000000001AAA';
const TIME_ZONE = 'America/Los_Angeles'; // @salesforce/i18n/timeZone in jest
/** "Now" in the tests: in 2026-Q1 (March), the latest period of the fixture's answers. */
const NOW = '2026-03-20T18:00:00Z';

// The sfdx-lwc-jest stub of gql returns nothing: here it keeps the query's text, so that the tests can read
// which Account field the query asks for.
const gqlStub = gql as unknown as jest.Mock;
const keepQueryText = (strings: TemplateStringsArray, ...values: unknown[]): string =>
  String.raw(strings, ...values);
gqlStub.mockImplementation(keepQueryText);

/** The text of the query the wire last received, whitespace collapsed ('' for no query). */
function lastQuery(): string {
  const query = graphqlAdapter.getLastConfig()?.query as unknown;
  return typeof query === 'string' ? query.replace(/\s+/g, ' ').trim() : '';
}

async function mount(
  props: Partial<{ periodType: string; metric: string; csmField: string }> = {}
): Promise<HTMLElement> {
  const element = createElement('c-account-nps', { is: AccountNps });
  Object.assign(element, { recordId: ACCOUNT, ...props });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

async function loadAll(): Promise<void> {
  graphqlAdapter.emit(page1, RESPONSES);
  await flushPromises();
  graphqlAdapter.emit(page2, RESPONSES);
  await flushPromises();
}

interface ResponseJson {
  Responded_At__c: { value: string };
  Score__c: { value: number | null };
  Metric__c: { value: string };
}
const allResponses = [
  ...page1.uiapi.query.NPS_Response__c.edges,
  ...page2.uiapi.query.NPS_Response__c.edges
].map((edge) => edge.node as unknown as ResponseJson);
const asScores = allResponses.map((n) => ({
  respondedAt: n.Responded_At__c.value,
  score: n.Score__c.value,
  metric: n.Metric__c.value
}));

const root = (element: HTMLElement): ShadowRoot => shadow(element);
const text = (element: HTMLElement, selector: string): string =>
  textOf(root(element).querySelector(selector));
const panel = (element: HTMLElement) =>
  root(element).querySelector('c-nps-state-panel') as
    (HTMLElement & { state: string; message: string }) | null;
const chart = (element: HTMLElement) =>
  root(element).querySelector('c-nps-trend-chart') as HTMLElement & {
    points: {
      label: string;
      nps: number | null;
      ciLow: number | null;
      ciHigh: number | null;
      responses: number | null;
    }[];
    showTable: boolean;
  };

describe('c-account-nps', () => {
  let now: jest.SpyInstance<number, []>;
  beforeEach(() => {
    now = jest.spyOn(Date, 'now').mockReturnValue(Date.parse(NOW));
  });

  afterEach(() => {
    resetDom();
    now.mockRestore();
    jest.clearAllMocks();
  });

  it('shows a spinner while loading, and asks for the account’s responses', async () => {
    const element = await mount();
    expect(panel(element)?.state).toBe('loading');
    expect(configOf('accountNpsResponses')?.variables).toEqual({
      accountId: ACCOUNT,
      first: 200,
      after: null
    });
  });

  it('pages through every response with the cursor', async () => {
    const element = await mount();
    graphqlAdapter.emit(page1, RESPONSES);
    await flushPromises();
    expect(configOf('accountNpsResponses')?.variables).toMatchObject({ after: 'cursor-page-2' });
    expect(panel(element)?.state).toBe('loading');
    graphqlAdapter.emit(page2, RESPONSES);
    await flushPromises();
    expect(text(element, '.responses-count')).toBe('8 responses');
  });

  it('says when the account has no response yet, with the sync command', async () => {
    const element = await mount();
    graphqlAdapter.emit(noResponses, RESPONSES);
    await flushPromises();
    expect(panel(element)?.state).toBe('empty');
    expect(textOf(shadow(panel(element)).querySelector('.state_empty p'))).toBe(
      'No NPS responses for this account yet'
    );
    expect(textOf(shadow(panel(element)).querySelector('.command'))).toBe(
      'npx csm-nps sync --target-org ALIAS'
    );
    expect(text(element, '.current-csm-name')).toBe('Alice Martin');
    await expect(element).toBeAccessible();
  });

  it('explains a field the user may not see', async () => {
    const element = await mount();
    graphqlAdapter.emitErrors(
      [{ message: "Field 'Score__c' in type 'NPS_Response__c' is undefined" }],
      RESPONSES
    );
    await flushPromises();
    expect(panel(element)?.state).toBe('error');
    expect(panel(element)?.message).toContain('You cannot see the field Score__c on NPS_Response__c');
    await expect(element).toBeAccessible();
  });

  it('shows the account owner as the current CSM by default', async () => {
    const element = await mount();
    expect(lastQuery()).toContain(
      'Account(where: { Id: { eq: $accountId } }, first: 1) { edges { node { Id Name { value } csm: Owner { Name { value } } } } }'
    );
    await loadAll();
    expect(text(element, '.current-csm')).toBe('Current CSMAlice Martin');
    expect(text(element, '.current-csm-name')).toBe('Alice Martin');
  });

  it('shows the user of the custom lookup that the CSM field property names', async () => {
    const element = await mount({ csmField: 'CSM__c' });
    expect(lastQuery()).toContain('node { Id Name { value } csm: CSM__r { Name { value } } }');
    expect(lastQuery()).not.toContain('Owner');
    graphqlAdapter.emit(customCsmField, RESPONSES);
    await flushPromises();
    expect(text(element, '.current-csm-name')).toBe('Priya Shah');
    expect(text(element, '.responses-count')).toBe('1 responses');
    await expect(element).toBeAccessible();
  });

  it.each([
    ['', 'Owner'],
    ['  Owner  ', 'Owner'],
    ['OwnerId', 'Owner'],
    ['owner', 'Owner'],
    ['Customer_Success_Manager__c', 'Customer_Success_Manager__r'],
    ['acme__CSM__c', 'acme__CSM__r'],
    [' CSM__c ', 'CSM__r']
  ])('reads the CSM field %p through %s', async (csmField, relationship) => {
    await mount({ csmField });
    expect(lastQuery()).toContain(`csm: ${relationship} { Name { value } }`);
  });

  it('asks for the new field when the property changes', async () => {
    const element = await mount();
    graphqlAdapter.emit(noResponses, RESPONSES);
    await flushPromises();
    Object.assign(element, { csmField: 'CSM__c' });
    await flushPromises();
    expect(lastQuery()).toContain('csm: CSM__r { Name { value } }');
    graphqlAdapter.emit(customCsmField, RESPONSES);
    await flushPromises();
    expect(text(element, '.current-csm-name')).toBe('Priya Shah');
  });

  it.each(['CSM__r', 'Owner.Name', 'CSM', 'CSM__c { Id }', '1CSM__c', 'CSM___c', 'Owner__c__c x'])(
    'says what to set when the CSM field property is %p, and queries nothing',
    async (csmField) => {
      const element = await mount({ csmField });
      expect(panel(element)?.state).toBe('error');
      expect(panel(element)?.message).toBe(
        `The CSM field of Account NPS is set to "${csmField}", which is not the API name of a lookup to User on Account. In Lightning App Builder, set CSM field to Owner, or to the API name of a custom lookup to User such as CSM__c: the same field as the sync’s csmField (NPS Setting CSM Field).`
      );
      expect(configOf('accountNpsResponses')?.query).toBeUndefined();
      expect(root(element).querySelectorAll('c-nps-state-panel')).toHaveLength(1);
      expect(root(element).querySelector('.current-csm')).toBeNull();
      await expect(element).toBeAccessible();
    }
  );

  it('names the CSM field when the org has no such Account field the user can see', async () => {
    const element = await mount({ csmField: 'CSM__c' });
    graphqlAdapter.emitErrors(
      [
        {
          message:
            "Validation error of type FieldUndefined: Field 'CSM__r' in type 'Account' is undefined @ 'uiapi/query/Account/edges/node/CSM__r'"
        }
      ],
      RESPONSES
    );
    await flushPromises();
    expect(panel(element)?.state).toBe('error');
    expect(panel(element)?.message).toContain(
      'The CSM field of Account NPS is CSM__c, and Salesforce has no such Account field that you can see.'
    );
    expect(root(element).querySelector('.current-csm')).toBeNull();
  });

  it('computes the NPS over time live with the core, per quarter in the user’s time zone', async () => {
    const element = await mount();
    await loadAll();
    const expected = resultsOverTime(asScores, {
      period: { type: 'quarter' },
      timeZone: TIME_ZONE,
      metric: 'Company NPS',
      groupName: ACCOUNT
    });
    expect(expected.skipped).toBe(1);
    // 2026-01-01T03:00Z is December 31 in Los Angeles: it counts in 2025-Q4.
    expect(expected.results.map((r) => [r.period, r.responses])).toEqual([
      ['2025-Q4', 3],
      ['2026-Q1', 3]
    ]);
    expect(chart(element).points).toEqual(
      expected.results.map((r) => ({
        label: r.period,
        nps: r.nps,
        ciLow: r.ciLow,
        ciHigh: r.ciHigh,
        responses: r.responses
      }))
    );
    expect(chart(element).showTable).toBe(true);
    const latest = expected.results[1]!;
    expect(text(element, '.latest')).toBe(
      `Latest: 2026-Q1, NPS ${formatNps(latest.nps)} (likely between ${formatNps(latest.ciLow)} and ${formatNps(latest.ciHigh)}), 3 responses`
    );
    expect(text(element, '.skipped')).toBe(
      '1 responses without a valid score or date are listed but not counted.'
    );
    const tableRows = [...shadow(chart(element)).querySelectorAll('table.data-table tbody tr')].map((tr) =>
      [...tr.children].map((cell) => textOf(cell))
    );
    expect(tableRows).toEqual(
      expected.results.map((r) => [
        r.period,
        formatNps(r.nps),
        `${formatNps(r.ciLow)} to ${formatNps(r.ciHigh)}`,
        String(r.responses)
      ])
    );
  });

  it('charts by month and the CSM NPS question when App Builder says so', async () => {
    const element = await mount({ periodType: 'Month', metric: 'CSM NPS' });
    await loadAll();
    // From the first answer to the current month: March has none yet.
    expect(chart(element).points.map((p) => [p.label, p.nps, p.responses])).toEqual([
      ['2026-02', 100, 1],
      ['2026-03', null, 0]
    ]);
    expect(text(element, '.over-time h3')).toBe('CSM NPS over time, by Month');
  });

  it('charts every quarter from the first answer to now, a quarter without answers as a gap', async () => {
    now.mockReturnValue(Date.parse('2026-01-20T18:00:00Z')); // 2026-Q1: no answer yet
    const element = await mount();
    graphqlAdapter.emit(withGap, RESPONSES);
    await flushPromises();
    const expected = resultsOverTime(
      withGap.uiapi.query.NPS_Response__c.edges.map(({ node }) => ({
        respondedAt: node.Responded_At__c.value,
        score: node.Score__c.value,
        metric: node.Metric__c.value
      })),
      { period: { type: 'quarter' }, timeZone: TIME_ZONE, metric: 'Company NPS', groupName: ACCOUNT }
    ).results;
    expect(expected.map((r) => r.period)).toEqual(['2025-Q2', '2025-Q4']);
    const [q2, q4] = expected as [GroupResult, GroupResult];
    const point = (r: GroupResult) => ({
      label: r.period,
      nps: r.nps,
      ciLow: r.ciLow,
      ciHigh: r.ciHigh,
      responses: r.responses
    });
    const gap = (label: string) => ({ label, nps: null, ciLow: null, ciHigh: null, responses: 0 });
    expect(chart(element).points).toEqual([point(q2), gap('2025-Q3'), point(q4), gap('2026-Q1')]);
    const tableRows = [...shadow(chart(element)).querySelectorAll('table.data-table tbody tr')].map((tr) =>
      [...tr.children].map((cell) => textOf(cell))
    );
    expect(tableRows.map((cells) => cells[0])).toEqual(['2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']);
    expect(tableRows[1]).toEqual(['2025-Q3', '—', '—', '0']);
    expect(shadow(chart(element)).querySelector('path.line')?.getAttribute('d')?.match(/M/g)).toHaveLength(2);
    // The latest figure names its quarter: it is not the current one.
    expect(text(element, '.latest')).toBe(
      `Latest: 2025-Q4, NPS ${formatNps(q4.nps)} (likely between ${formatNps(q4.ciLow)} and ${formatNps(q4.ciHigh)}), 2 responses`
    );
  });

  it('says when the charted question has no response', async () => {
    const element = await mount({ metric: 'Product NPS' });
    await loadAll();
    expect(text(element, '.no-metric')).toBe('No Product NPS responses for this account yet.');
    expect(root(element).querySelector('c-nps-trend-chart')).toBeNull();
  });

  it('lists every response with the contact, score and category, comment, question and the CSM at the time', async () => {
    const element = await mount();
    await loadAll();
    const list = root(element).querySelector('c-nps-response-list') as HTMLElement & {
      showCsm: boolean;
      allowFollowUp: boolean;
    };
    expect(list.showCsm).toBe(true);
    expect(list.allowFollowUp).toBe(false);
    const rows = [...shadow(list).querySelectorAll('tbody tr')].map((tr) =>
      ['.date', '.contact', '.score-value', '.category', '.metric', '.comment', '.csm', '.followed-up'].map(
        (cell) => textOf(tr.querySelector(cell))
      )
    );
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual([
      '2026-03-10',
      'Dana Lee',
      '9',
      'Promoter',
      'Company NPS',
      'Great quarterly review.',
      'Alice Martin',
      'No'
    ]);
    expect(rows[1]).toEqual([
      '2026-03-01',
      'Dana Lee',
      '—',
      'Not a valid score',
      'Company NPS',
      'Score lost in the import',
      'Alice Martin',
      'No'
    ]);
    expect(rows[5]).toEqual([
      '2025-12-31',
      'Sam Ortiz',
      '7',
      'Passive',
      'Company NPS',
      'Fine.',
      'Alice Martin',
      'No'
    ]);
    expect(rows[7]).toEqual([
      '2025-10-05',
      'Dana Lee',
      '2',
      'Detractor',
      'Company NPS',
      'Onboarding was painful.',
      'Bob Chen',
      'Yes'
    ]);
    expect(shadow(list).querySelector('button')).toBeNull();
  });

  it('is accessible', async () => {
    const element = await mount();
    await loadAll();
    await expect(element).toBeAccessible();
  });
});
