import { createElement } from 'lwc';
import NpsByCsm from 'c/npsByCsm';
import {
  describeChange,
  formatNps,
  formatSigned,
  GROUP_CSV_COLUMNS,
  pooledResultsByPeriod,
  type PeriodCounts
} from 'c/npsCore';
import {
  byOperation,
  clone,
  configOf,
  flushPromises,
  graphqlAdapter,
  resetDom,
  shadow,
  textOf
} from '../../../../../../scripts/jest/lwcTestHelpers';
import page1 from './data/snapshotsPage1.json';
import page2 from './data/snapshotsPage2.json';
import emptySnapshots from './data/emptySnapshots.json';
import cellResponses from './data/cellResponses.json';
import withGap from './data/snapshotsWithGap.json';

const SNAPSHOTS = byOperation('npsByCsmSnapshots');
const CELL_RESPONSES = byOperation('npsByCsmCellResponses');
const ALICE = '005000000000001AAA';
const BOB = '005000000000002AAA';
const CURRENT_USER = '005000000000000000'; // @salesforce/user/Id in jest
/** "Now" in the tests: in 2026-Q1 (March), the latest period of the fixtures' snapshots. */
const NOW = '2026-03-20T18:00:00Z';
/**
 * "Now" for the fixture with a gap: in 2026-Q2 (May), which nobody on the team has answered in yet; nor
 * did anyone in 2025-Q4.
 */
const GAP_NOW = '2026-05-15T18:00:00Z';

type Props = Partial<{
  periodType: string;
  numberOfPeriods: number;
  metric: string;
  hideBelowMinimum: boolean;
  defaultSort: string;
  defaultScope: string;
}>;

/** Creates the component and lets its wires receive their configuration (before that, emit reaches nothing). */
async function mount(props: Props = {}): Promise<HTMLElement> {
  const element = createElement('c-nps-by-csm', { is: NpsByCsm });
  Object.assign(element, { numberOfPeriods: 2, ...props });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

const snapshotConfig = () => configOf('npsByCsmSnapshots');
const drillConfig = () => configOf('npsByCsmCellResponses');

async function loadAll(data1: unknown = page1, data2: unknown = page2): Promise<void> {
  graphqlAdapter.emit(data1, SNAPSHOTS);
  await flushPromises();
  graphqlAdapter.emit(data2, SNAPSHOTS);
  await flushPromises();
}

const root = (element: HTMLElement): ShadowRoot => shadow(element);
const rowNames = (element: HTMLElement): string[] =>
  [...root(element).querySelectorAll('tbody .csm-row .csm-name')].map((th) => textOf(th));
const statePanel = (element: HTMLElement): HTMLElement | null =>
  root(element).querySelector('c-nps-state-panel');
const cellHost = (element: HTMLElement, row: number, col: number): HTMLElement => {
  const host = root(element).querySelector<HTMLElement>(`c-nps-cell[data-row="${row}"][data-col="${col}"]`);
  if (!host) throw new Error(`no cell ${row},${col}`);
  return host;
};
const cellButton = (element: HTMLElement, row: number, col: number): HTMLButtonElement =>
  shadow(cellHost(element, row, col)).querySelector('button') as HTMLButtonElement;

/** The fixture's snapshot nodes, as the sync stored them. */
interface Node {
  CSM__c: { value: string | null };
  Metric__c: { value: string };
  Period_Label__c: { value: string };
  Period_Start__c: { value: string };
  Promoters__c: { value: number };
  Passives__c: { value: number };
  Detractors__c: { value: number };
  Mean_Score__c: { value: number };
  NPS__c: { value: number };
  CI_Low__c: { value: number };
  CI_High__c: { value: number };
  Responses__c: { value: number };
  Change__c: { value: number | null };
  Change_Significant__c: { value: boolean };
}
const allNodes: Node[] = [
  ...page1.uiapi.query.NPS_Snapshot__c.edges,
  ...page2.uiapi.query.NPS_Snapshot__c.edges
].map((edge) => edge.node as unknown as Node);
const node = (csm: string | null, period: string): Node => {
  const found = allNodes.find((n) => n.CSM__c.value === csm && n.Period_Label__c.value === period);
  if (!found) throw new Error(`no snapshot ${csm} ${period}`);
  return found;
};
const gapNodes: Node[] = withGap.uiapi.query.NPS_Snapshot__c.edges.map(
  (edge) => edge.node as unknown as Node
);
const gapNode = (csm: string, period: string): Node => {
  const found = gapNodes.find((n) => n.CSM__c.value === csm && n.Period_Label__c.value === period);
  if (!found) throw new Error(`no snapshot ${csm} ${period}`);
  return found;
};
const headers = (element: HTMLElement): string[] =>
  [...root(element).querySelectorAll('thead th')].map((th) => textOf(th));
const countsOf = (n: Node): PeriodCounts => ({
  period: n.Period_Label__c.value,
  periodStart: n.Period_Start__c.value,
  metric: n.Metric__c.value,
  promoters: n.Promoters__c.value,
  passives: n.Passives__c.value,
  detractors: n.Detractors__c.value,
  meanScore: n.Mean_Score__c.value
});

describe('c-nps-by-csm', () => {
  let now: jest.SpyInstance<number, []>;
  beforeEach(() => {
    now = jest.spyOn(Date, 'now').mockReturnValue(Date.parse(NOW));
  });

  afterEach(() => {
    resetDom();
    now.mockRestore();
    jest.clearAllMocks();
  });

  describe('states', () => {
    it('shows a spinner until the snapshots arrive', async () => {
      const element = await mount();
      await flushPromises();
      expect((statePanel(element) as HTMLElement & { state: string }).state).toBe('loading');
      expect(root(element).querySelector('table.matrix')).toBeNull();
    });

    it('says there is no response yet and how to run the sync', async () => {
      const element = await mount();
      graphqlAdapter.emit(emptySnapshots, SNAPSHOTS);
      await flushPromises();
      const panel = statePanel(element) as HTMLElement & { state: string };
      expect(panel.state).toBe('empty');
      expect([...shadow(panel).querySelectorAll('.state_empty p')].map((p) => textOf(p))).toEqual([
        'No NPS responses yet',
        'Run the sync to load survey responses into Salesforce:',
        'npx csm-nps sync --target-org ALIAS'
      ]);
      await expect(element).toBeAccessible();
    });

    it('names the field a user may not see instead of failing', async () => {
      const element = await mount();
      graphqlAdapter.emitErrors(
        [
          {
            message:
              "Validation error of type FieldUndefined: Field 'NPS__c' in type 'NPS_Snapshot__c' is undefined @ 'uiapi/query'"
          }
        ],
        SNAPSHOTS
      );
      await flushPromises();
      const panel = statePanel(element) as HTMLElement & { state: string; message: string };
      expect(panel.state).toBe('error');
      expect(panel.message).toContain('You cannot see the field NPS__c on NPS_Snapshot__c');
      expect(panel.message).toContain('Ask your Salesforce admin');
      expect(textOf(shadow(panel).querySelector('[role="alert"]'))).toContain('The NPS could not be shown');
      await expect(element).toBeAccessible();
    });

    it('says when nobody answered in the periods shown, and where the latest answers are', async () => {
      now.mockReturnValue(Date.parse('2027-08-01T18:00:00Z')); // 2027-Q3: the snapshots end in 2026-Q1
      const element = await mount();
      graphqlAdapter.emit(page1, SNAPSHOTS);
      await flushPromises();
      // Page 1 already reaches before the periods shown: no further page is asked for.
      expect(snapshotConfig()?.variables).toMatchObject({ after: null });
      const panel = statePanel(element) as HTMLElement & { state: string };
      expect(panel.state).toBe('empty');
      expect(textOf(shadow(panel).querySelector('.state_empty'))).toBe(
        'No NPS responses in the last 2 periods; the latest are from 2026-Q1. The page settings (Number of periods) can show more periods.'
      );
      expect(root(element).querySelector('table.matrix')).toBeNull();
    });

    it('reports any other error with its message', async () => {
      const element = await mount();
      graphqlAdapter.emitErrors(['Request timed out'], SNAPSHOTS);
      await flushPromises();
      const panel = statePanel(element) as HTMLElement & { message: string };
      expect(panel.message).toContain('Salesforce could not read the NPS data: Request timed out');
    });
  });

  describe('paging', () => {
    it('asks for the next page with the cursor, and shows the matrix once the periods are complete', async () => {
      const element = await mount();
      await flushPromises();
      // Upper-bound pagination: 2,000 a page, beyond the 4,000 records record connections reach.
      expect(snapshotConfig()?.variables).toMatchObject({ first: 2000, after: null, upperBound: 100000 });
      graphqlAdapter.emit(page1, SNAPSHOTS);
      await flushPromises();
      expect(snapshotConfig()?.variables).toMatchObject({ after: 'cursor-page-2' });
      expect(root(element).querySelector('table.matrix')).toBeNull();
      graphqlAdapter.emit(page2, SNAPSHOTS);
      await flushPromises();
      expect(root(element).querySelector('table.matrix')).not.toBeNull();
    });

    it('stops paging once the newest periods are complete', async () => {
      const element = await mount({ numberOfPeriods: 1 });
      graphqlAdapter.emit(page1, SNAPSHOTS);
      await flushPromises();
      expect(snapshotConfig()?.variables).toMatchObject({ after: null });
      expect(headers(element)).toEqual(['CSM', 'Trend', '2026-Q1']);
    });

    it('filters the query by period type and metric, as configured in App Builder', async () => {
      await mount({ periodType: 'Month', metric: 'CSM NPS' });
      await flushPromises();
      expect(snapshotConfig()?.variables?.where).toEqual({
        and: [{ Period_Type__c: { eq: 'Month' } }, { Metric__c: { eq: 'CSM NPS' } }]
      });
    });
  });

  describe('matrix', () => {
    it('shows a row per CSM and a column per period, oldest first', async () => {
      const element = await mount();
      await loadAll();
      expect(headers(element)).toEqual(['CSM', 'Trend', '2025-Q4', '2026-Q1']);
      expect(rowNames(element)).toEqual(['Alice Martin', 'Bob Chen', 'Carol Diaz', 'Unassigned']);
      expect(textOf(root(element).querySelector('.subtitle'))).toBe(
        'Company NPS · by Quarter · last 2 periods'
      );
    });

    it('shows each stored NPS rounded, with n, the interval and a mark only for a significant change', async () => {
      const element = await mount();
      await loadAll();
      const alice = node(ALICE, '2026-Q1');
      const aliceCell = cellButton(element, 0, 1);
      expect(textOf(aliceCell.querySelector('.value'))).toBe(formatNps(alice.NPS__c.value));
      expect(textOf(aliceCell.querySelector('.meta'))).toBe(`n=${alice.Responses__c.value}`);
      expect(textOf(aliceCell.querySelector('.change'))).toBe('+59▲');
      expect(textOf(aliceCell.querySelector('.goal'))).toBe('✓');
      expect(aliceCell.getAttribute('aria-label')).toBe(
        `Alice Martin, 2026-Q1: NPS ${formatNps(alice.NPS__c.value)}, interval ${formatNps(alice.CI_Low__c.value)} to ${formatNps(
          alice.CI_High__c.value
        )}, 22 responses, change ${describeChange(alice.Change__c.value, true)}, goal Met. Press Enter to see the responses.`
      );
      expect(aliceCell.getAttribute('aria-label')).toContain('+59, a real improvement');
      // The interval is also in the tooltip shown on hover and on focus.
      aliceCell.focus();
      await flushPromises();
      expect(textOf(aliceCell.querySelector('.tip'))).toContain('Interval 29 to 83');

      const carol = node('005000000000003AAA', '2026-Q1');
      const carolCell = cellButton(element, 2, 1);
      expect(textOf(carolCell.querySelector('.change'))).toBe('−25');
      expect(carolCell.getAttribute('aria-label')).toContain(
        `change ${describeChange(carol.Change__c.value, false)}`
      );
      expect(carolCell.getAttribute('aria-label')).toContain('−25, within normal variation');
      expect(textOf(carolCell.querySelector('.goal'))).toBe('✗');
    });

    it('marks too few responses with its own style and words, not colour alone', async () => {
      const element = await mount();
      await loadAll();
      const bobCell = cellButton(element, 1, 1);
      expect(bobCell.className).toContain('band_insufficient');
      expect(textOf(bobCell.querySelector('.goal'))).toBe('?');
      expect(bobCell.getAttribute('aria-label')).toContain('goal Insufficient data');
      bobCell.dispatchEvent(new CustomEvent('mouseenter'));
      await flushPromises();
      expect(textOf(bobCell.querySelector('.tip'))).toContain(
        'Insufficient data (Too few responses to judge)'
      );
      expect(cellButton(element, 0, 1).className).toContain('band_good');
      expect(cellButton(element, 2, 1).className).toContain('band_negative');
    });

    it('shows a dash, not a number, where a CSM has no snapshot', async () => {
      const element = await mount();
      await loadAll();
      const empty = cellButton(element, 3, 0); // Unassigned, 2025-Q4
      expect(textOf(empty.querySelector('.value'))).toBe('—');
      expect(empty.getAttribute('aria-label')).toBe('Unassigned, 2025-Q4: no responses');
      expect(empty.getAttribute('aria-disabled')).toBe('true');
    });

    it('pools the rows shown into a team row, with its change, as the core computes it', async () => {
      const element = await mount();
      await loadAll();
      const { results } = pooledResultsByPeriod(allNodes.map(countsOf), {
        periodType: 'quarter',
        groupName: 'Team total'
      });
      const q1 = results.find((r) => r.period === '2026-Q1');
      expect(q1).toBeDefined();
      const teamCell = cellButton(element, 4, 1);
      expect(textOf(teamCell.querySelector('.value'))).toBe(formatNps(q1!.nps));
      expect(textOf(teamCell.querySelector('.meta'))).toBe('n=39');
      expect(teamCell.getAttribute('aria-label')).toContain(
        `Team total, 2026-Q1: NPS ${formatNps(q1!.nps)}, interval ${formatNps(q1!.ciLow)} to ${formatNps(q1!.ciHigh)}, 39 responses, change ${describeChange(
          q1!.change,
          q1!.changeSignificant
        )}`
      );
      expect(teamCell.getAttribute('aria-label')).not.toContain('goal');
    });

    it('draws a trend sparkline per row from the values of the row', async () => {
      const element = await mount();
      await loadAll();
      const spark = root(element).querySelector('tbody .csm-row c-nps-trend-chart') as HTMLElement & {
        points: { label: string; nps: number | null }[];
        variant: string;
        chartLabel: string;
      };
      expect(spark.variant).toBe('sparkline');
      expect(spark.chartLabel).toBe('NPS trend, Alice Martin');
      expect(spark.points.map((p) => [p.label, p.nps])).toEqual([
        ['2025-Q4', node(ALICE, '2025-Q4').NPS__c.value],
        ['2026-Q1', node(ALICE, '2026-Q1').NPS__c.value]
      ]);
      expect(shadow(spark).querySelector('svg')?.getAttribute('aria-label')).toBe(
        'NPS trend, Alice Martin: from 5 in 2025-Q4 to 64 in 2026-Q1 (2 periods with responses)'
      );
    });

    it('hides CSMs below the minimum responses in every period when asked, and pools only the rows shown', async () => {
      const element = await mount({ hideBelowMinimum: true });
      await loadAll();
      expect(rowNames(element)).toEqual(['Alice Martin', 'Bob Chen', 'Carol Diaz']);
      expect(textOf(root(element).querySelector('.hidden-note'))).toBe(
        'Hidden for too few responses in every period: 1.'
      );
      expect(textOf(cellButton(element, 3, 1).querySelector('.meta'))).toBe('n=37');
    });

    it('is accessible', async () => {
      const element = await mount();
      await loadAll();
      await expect(element).toBeAccessible();
    });
  });

  describe('a period nobody answered in', () => {
    const mountWithGap = async (props: Props = {}): Promise<HTMLElement> => {
      now.mockReturnValue(Date.parse(GAP_NOW));
      const element = await mount({ numberOfPeriods: 5, ...props });
      graphqlAdapter.emit(withGap, SNAPSHOTS);
      await flushPromises();
      return element;
    };
    const TEAM_ROW = 2;

    it('shows the last N periods up to the current one, consecutive, with a column for each empty one', async () => {
      const element = await mountWithGap();
      expect(headers(element)).toEqual([
        'CSM',
        'Trend',
        '2025-Q2',
        '2025-Q3',
        '2025-Q4',
        '2026-Q1',
        '2026-Q2'
      ]);
      expect(rowNames(element)).toEqual(['Alice Martin', 'Bob Chen']);
      expect(textOf(root(element).querySelector('.subtitle'))).toBe(
        'Company NPS · by Quarter · last 5 periods'
      );
      const alice = gapNode(ALICE, '2026-Q1');
      expect(textOf(cellButton(element, 0, 3).querySelector('.value'))).toBe(formatNps(alice.NPS__c.value));
      await expect(element).toBeAccessible();
    });

    it('says no data in every cell of an empty column, the team row’s too', async () => {
      const element = await mountWithGap();
      const names = ['Alice Martin', 'Bob Chen', 'Team total'];
      for (const [col, period] of [
        [2, '2025-Q4'],
        [4, '2026-Q2']
      ] as const) {
        names.forEach((name, row) => {
          const button = cellButton(element, row, col);
          expect(textOf(button.querySelector('.value'))).toBe('—');
          expect(button.querySelector('.meta')).toBeNull();
          expect(button.getAttribute('aria-label')).toBe(`${name}, ${period}: no responses`);
          expect(button.getAttribute('aria-disabled')).toBe('true');
        });
      }
    });

    it('opens no responses behind an empty cell, by click or by the cell’s event', async () => {
      const element = await mountWithGap();
      cellButton(element, TEAM_ROW, 2).click();
      cellButton(element, 0, 4).click();
      // The matrix itself refuses too: an empty cell has no responses behind it.
      cellHost(element, 1, 2).dispatchEvent(
        new CustomEvent('cellselect', { detail: { cellKey: `${BOB}|2025-Q4` } })
      );
      cellHost(element, TEAM_ROW, 4).dispatchEvent(
        new CustomEvent('cellselect', { detail: { cellKey: 'team|2026-Q2' } })
      );
      await flushPromises();
      expect(root(element).querySelector('.drill')).toBeNull();
      expect(drillConfig()?.variables).toBeUndefined();
      // A cell with answers still opens.
      cellButton(element, 1, 3).click();
      await flushPromises();
      expect(textOf(root(element).querySelector('.drill-heading'))).toBe('Responses: Bob Chen, 2026-Q1');
    });

    it('breaks every sparkline, the team’s too, at the empty periods', async () => {
      const element = await mountWithGap();
      const sparks = [...root(element).querySelectorAll('c-nps-trend-chart')] as (HTMLElement & {
        points: { label: string; nps: number | null }[];
      })[];
      expect(sparks).toHaveLength(3); // Alice, Bob, the team
      expect(sparks[0]!.points.map((p) => [p.label, p.nps])).toEqual([
        ['2025-Q2', gapNode(ALICE, '2025-Q2').NPS__c.value],
        ['2025-Q3', gapNode(ALICE, '2025-Q3').NPS__c.value],
        ['2025-Q4', null],
        ['2026-Q1', gapNode(ALICE, '2026-Q1').NPS__c.value],
        ['2026-Q2', null]
      ]);
      // Two runs (2025-Q2 to Q3, then 2026-Q1 alone): never a line across 2025-Q4.
      for (const spark of sparks)
        expect(shadow(spark).querySelector('path.line')?.getAttribute('d')?.match(/M/g)).toHaveLength(2);
      expect(shadow(sparks[0]!).querySelector('svg')?.getAttribute('aria-label')).toBe(
        'NPS trend, Alice Martin: from 44 in 2025-Q2 to 19 in 2026-Q1 (3 periods with responses)'
      );
    });

    it('pools the team over consecutive periods: no change right after a period nobody answered in', async () => {
      const element = await mountWithGap();
      const { results } = pooledResultsByPeriod(gapNodes.map(countsOf), {
        periodType: 'quarter',
        groupName: 'Team total'
      });
      const q1 = results.find((r) => r.period === '2026-Q1')!;
      const team = cellButton(element, TEAM_ROW, 3);
      expect(textOf(team.querySelector('.value'))).toBe(formatNps(q1.nps));
      expect(textOf(team.querySelector('.meta'))).toBe('n=28');
      expect(q1.change).toBeNull();
      expect(team.querySelector('.change')).toBeNull();
      // The first column is compared with 2025-Q1, the quarter before the columns.
      const q2 = results.find((r) => r.period === '2025-Q2')!;
      expect(textOf(cellButton(element, TEAM_ROW, 0).querySelector('.change'))).toContain(
        formatSigned(q2.change!)
      );
    });

    it('sorts by each row’s latest period with responses while the current period is still empty', async () => {
      // 2026-Q1: Bob 83, Alice 19 (by name it would be Alice first).
      const byNps = await mountWithGap({ defaultSort: 'NPS' });
      expect(rowNames(byNps)).toEqual(['Bob Chen', 'Alice Martin']);
      (root(byNps).querySelector('button.sort-direction') as HTMLButtonElement).click();
      await flushPromises();
      expect(rowNames(byNps)).toEqual(['Alice Martin', 'Bob Chen']);
      resetDom();
      const byShrunk = await mountWithGap({ defaultSort: 'Shrunk NPS' });
      expect(rowNames(byShrunk)).toEqual(['Bob Chen', 'Alice Martin']);
    });
  });

  describe('sorting', () => {
    const select = async (element: HTMLElement, value: string): Promise<void> => {
      const control = root(element).querySelector('select.sort-select') as HTMLSelectElement;
      control.value = value;
      control.dispatchEvent(new CustomEvent('change'));
      await flushPromises();
    };

    it('sorts by name, NPS, shrunk NPS and change of the latest period, Unassigned last', async () => {
      const element = await mount();
      await loadAll();
      expect(rowNames(element)).toEqual(['Alice Martin', 'Bob Chen', 'Carol Diaz', 'Unassigned']);
      await select(element, 'nps');
      expect(rowNames(element)).toEqual(['Alice Martin', 'Bob Chen', 'Carol Diaz', 'Unassigned']);
      await select(element, 'change');
      expect(rowNames(element)).toEqual(['Alice Martin', 'Carol Diaz', 'Bob Chen', 'Unassigned']);
      await select(element, 'shrunkNps');
      expect(rowNames(element)).toEqual(['Alice Martin', 'Bob Chen', 'Carol Diaz', 'Unassigned']);
      const direction = root(element).querySelector('button.sort-direction') as HTMLButtonElement;
      expect(textOf(direction)).toBe('Order: Highest first');
      direction.click();
      await flushPromises();
      expect(textOf(direction)).toBe('Order: Lowest first');
      expect(rowNames(element)).toEqual(['Carol Diaz', 'Bob Chen', 'Alice Martin', 'Unassigned']);
    });

    it('starts with the default sort chosen in App Builder', async () => {
      const element = await mount({ defaultSort: 'Change' });
      await loadAll();
      expect(rowNames(element)).toEqual(['Alice Martin', 'Carol Diaz', 'Bob Chen', 'Unassigned']);
      expect((root(element).querySelector('select.sort-select') as HTMLSelectElement).value).toBe('change');
    });

    it('reverses names', async () => {
      const element = await mount();
      await loadAll();
      (root(element).querySelector('button.sort-direction') as HTMLButtonElement).click();
      await flushPromises();
      expect(rowNames(element)).toEqual(['Carol Diaz', 'Bob Chen', 'Alice Martin', 'Unassigned']);
    });
  });

  describe('My team or everyone', () => {
    it('queries only CSMs whose manager is the current user, and says so when there are none', async () => {
      const element = await mount();
      await loadAll();
      const myTeam = root(element).querySelector('button.scope-team') as HTMLButtonElement;
      expect(myTeam.getAttribute('aria-pressed')).toBe('false');
      myTeam.click();
      await flushPromises();
      expect(myTeam.getAttribute('aria-pressed')).toBe('true');
      expect(snapshotConfig()?.variables).toMatchObject({
        after: null,
        where: {
          and: [
            { Period_Type__c: { eq: 'Quarter' } },
            { Metric__c: { eq: 'Company NPS' } },
            { CSM__r: { ManagerId: { eq: CURRENT_USER } } }
          ]
        }
      });
      expect((statePanel(element) as HTMLElement & { state: string }).state).toBe('loading');
      graphqlAdapter.emit(emptySnapshots, SNAPSHOTS);
      await flushPromises();
      const panel = statePanel(element) as HTMLElement & { state: string };
      expect(panel.state).toBe('empty');
      expect(textOf(shadow(panel).querySelector('.state_empty'))).toBe(
        'No NPS for CSMs who report to you. Choose “Everyone I can see” to see every CSM you have access to.'
      );
    });

    it('starts with My team when App Builder says so', async () => {
      await mount({ defaultScope: 'My team' });
      await flushPromises();
      expect(JSON.stringify(snapshotConfig()?.variables)).toContain(
        '"ManagerId":{"eq":"005000000000000000"}'
      );
    });
  });

  describe('drill-down', () => {
    it('opens the responses behind a cell, within the period in the user’s time zone', async () => {
      const element = await mount();
      await loadAll();
      cellButton(element, 1, 1).click(); // Bob Chen, 2026-Q1
      await flushPromises();
      const heading = root(element).querySelector('.drill-heading') as HTMLElement;
      expect(textOf(heading)).toBe('Responses: Bob Chen, 2026-Q1');
      expect(root(element).activeElement).toBe(heading);
      expect(drillConfig()).toMatchObject({
        variables: {
          first: 200,
          after: null,
          where: {
            and: [
              { Metric__c: { eq: 'Company NPS' } },
              { CSM__c: { eq: BOB } },
              { Responded_At__c: { gte: { value: '2025-12-31T00:00:00.000Z' } } },
              { Responded_At__c: { lt: { value: '2026-04-02T00:00:00.000Z' } } }
            ]
          }
        }
      });
      graphqlAdapter.emit(cellResponses, CELL_RESPONSES);
      await flushPromises();
      const list = root(element).querySelector('c-nps-response-list') as HTMLElement & {
        responses: { id: string }[];
      };
      // 2026-04-01T05:00Z is March 31 in Los Angeles (in Q1); 2026-01-01T04:00Z is December 31 (not in Q1).
      expect(list.responses.map((r) => r.id)).toEqual([
        'a02000000000001AAA',
        'a02000000000002AAA',
        'a02000000000003AAA'
      ]);
      expect(textOf(root(element).querySelector('.drill-count'))).toBe('3 responses');
      expect(root(element).querySelector('.drill-mismatch')).toBeNull();
      const rows = [...shadow(list).querySelectorAll('tbody tr')].map((tr) =>
        ['.date', '.account', '.contact', '.score-value', '.category', '.comment', '.followed-up'].map(
          (cell) => textOf(tr.querySelector(cell))
        )
      );
      expect(rows).toEqual([
        [
          '2026-03-31',
          'Acme Corp',
          'Dana Lee',
          '10',
          'Promoter',
          'Bob sorted out our renewal in a day.',
          'No'
        ],
        ['2026-02-10', 'Globex', '—', '8', 'Passive', '', 'No'],
        ['2026-01-15', 'Initech', 'Sam Ortiz', '3', 'Detractor', '<b>Support</b> never called back', 'Yes']
      ]);
      // User text is text: the comment's markup is shown, never interpreted.
      expect(shadow(list).querySelector('.comment b')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it('opens the team’s responses with every CSM of the rows, and says when the count differs from the sync', async () => {
      const element = await mount();
      await loadAll();
      cellButton(element, 4, 1).click();
      await flushPromises();
      expect(JSON.stringify(drillConfig()?.variables?.where)).toContain(
        JSON.stringify({
          or: [{ CSM__c: { in: [ALICE, BOB, '005000000000003AAA'] } }, { CSM__c: { eq: null } }]
        })
      );
      graphqlAdapter.emit(cellResponses, CELL_RESPONSES);
      await flushPromises();
      expect(textOf(root(element).querySelector('.drill-mismatch'))).toContain(
        'Showing 3 responses; the sync counted 39.'
      );
      expect(
        (root(element).querySelector('c-nps-response-list') as HTMLElement & { showCsm: boolean }).showCsm
      ).toBe(true);
    });

    it('closes and gives focus back to the cell', async () => {
      const element = await mount();
      await loadAll();
      cellButton(element, 1, 1).click();
      await flushPromises();
      (root(element).querySelector('button.close-drill') as HTMLButtonElement).click();
      await flushPromises();
      expect(root(element).querySelector('.drill')).toBeNull();
      expect(root(element).activeElement).toBe(cellHost(element, 1, 1));
      expect(cellButton(element, 1, 1).getAttribute('tabindex')).toBe('0');
    });

    it('shows an error in the drill-down without losing the matrix', async () => {
      const element = await mount();
      await loadAll();
      cellButton(element, 0, 1).click();
      await flushPromises();
      graphqlAdapter.emitErrors(
        [{ message: "Field 'Comment__c' in type 'NPS_Response__c' is undefined" }],
        CELL_RESPONSES
      );
      await flushPromises();
      const panel = root(element).querySelector('.drill c-nps-state-panel') as HTMLElement & {
        message: string;
      };
      expect(panel.message).toContain('You cannot see the field Comment__c on NPS_Response__c');
      expect(root(element).querySelector('table.matrix')).not.toBeNull();
    });
  });

  describe('keyboard', () => {
    const key = async (target: HTMLElement, name: string, init: KeyboardEventInit = {}): Promise<void> => {
      target.dispatchEvent(
        new KeyboardEvent('keydown', { key: name, bubbles: true, composed: true, ...init })
      );
      await flushPromises();
    };

    it('has one cell in the tab order and moves between cells with the arrow keys, Home and End', async () => {
      const element = await mount();
      await loadAll();
      const tabStops = () =>
        [...root(element).querySelectorAll('c-nps-cell')].filter(
          (host) => shadow(host).querySelector('button')?.getAttribute('tabindex') === '0'
        );
      expect(tabStops()).toEqual([cellHost(element, 0, 0)]);
      expect(cellButton(element, 0, 0).tagName).toBe('BUTTON'); // Enter and Space open it natively

      await key(cellButton(element, 0, 0), 'ArrowRight');
      expect(tabStops()).toEqual([cellHost(element, 0, 1)]);
      expect(shadow(cellHost(element, 0, 1)).activeElement).toBe(cellButton(element, 0, 1));

      await key(cellButton(element, 0, 1), 'ArrowDown');
      expect(tabStops()).toEqual([cellHost(element, 1, 1)]);
      await key(cellButton(element, 1, 1), 'Home');
      expect(tabStops()).toEqual([cellHost(element, 1, 0)]);
      await key(cellButton(element, 1, 0), 'End', { ctrlKey: true });
      expect(tabStops()).toEqual([cellHost(element, 4, 1)]); // the team row
      await key(cellButton(element, 4, 1), 'ArrowDown');
      expect(tabStops()).toEqual([cellHost(element, 4, 1)]);
    });
  });

  describe('a large team (windowed rows)', () => {
    const CSMS = 100;
    const PERIODS = ['2025-Q4', '2026-Q1'];
    const pad = (i: number) => String(i).padStart(3, '0');
    /** One page of snapshots: CSM 001 … CSM 100, each with 10 answers (7 promoters, 1 detractor) a quarter. */
    const largeTeam = () => {
      const template = page1.uiapi.query.NPS_Snapshot__c.edges[0] as { node: Record<string, unknown> };
      const edges: unknown[] = [];
      for (let i = 1; i <= CSMS; i++) {
        PERIODS.forEach((label, p) => {
          const n = clone(template.node);
          Object.assign(n, {
            Id: `a01${pad(i)}${p}00000000AAA`.slice(0, 18),
            CSM__c: { value: `005${pad(i)}000000000AAA`.slice(0, 18) },
            CSM__r: { Name: { value: `CSM ${pad(i)}` } },
            Period_Label__c: { value: label },
            Period_Start__c: { value: label === '2026-Q1' ? '2026-01-01' : '2025-10-01' },
            Responses__c: { value: 10 },
            Promoters__c: { value: 7 },
            Passives__c: { value: 2 },
            Detractors__c: { value: 1 },
            NPS__c: { value: 60 },
            Change__c: { value: p === 0 ? null : 0 },
            Change_Significant__c: { value: false }
          });
          edges.push({ node: n });
        });
      }
      return {
        uiapi: {
          query: {
            NPS_Snapshot__c: {
              edges,
              pageInfo: { hasNextPage: false, endCursor: null },
              totalCount: edges.length
            }
          }
        }
      };
    };
    const mountLarge = async (): Promise<HTMLElement> => {
      const element = await mount();
      graphqlAdapter.emit(largeTeam(), SNAPSHOTS);
      await flushPromises();
      return element;
    };
    const spacerHeights = (element: HTMLElement) =>
      [...root(element).querySelectorAll<HTMLElement>('tr.window-spacer')].map((tr) => tr.style.height);
    const key = async (target: HTMLElement, name: string): Promise<void> => {
      target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, composed: true }));
      await flushPromises();
    };

    it('puts 30 of the 100 rows in the page, the others as space of their height, and counts every row for assistive technology', async () => {
      const element = await mountLarge();
      const names = rowNames(element);
      expect(names).toHaveLength(30);
      expect(names[0]).toBe('CSM 001');
      expect(names[29]).toBe('CSM 030');
      expect(spacerHeights(element)).toEqual(['0px', `${70 * 53}px`]); // space below the window only
      const table = root(element).querySelector('table.matrix') as HTMLElement;
      expect(table.getAttribute('aria-rowcount')).toBe('102'); // header, 100 CSMs, the team row
      expect(root(element).querySelector('tbody .csm-row')?.getAttribute('aria-rowindex')).toBe('2');
      expect(root(element).querySelector('.matrix-scroll')?.classList).toContain('matrix-scroll_windowed');
      // The team row is the whole team's, not the window's: 100 CSMs × 10 answers.
      expect(cellHost(element, 100, 1)).toMatchObject({ responses: 1000 });
    });

    it('windows a large team whose current period nobody has answered in yet', async () => {
      now.mockReturnValue(Date.parse(GAP_NOW)); // 2026-Q2
      const element = await mountLarge();
      expect(headers(element)).toEqual(['CSM', 'Trend', '2026-Q1', '2026-Q2']);
      expect(rowNames(element)).toHaveLength(30);
      expect(root(element).querySelector('table.matrix')?.getAttribute('aria-rowcount')).toBe('102');
      const current = [...root(element).querySelectorAll<HTMLElement>('c-nps-cell[data-col="1"]')];
      expect(current).toHaveLength(31); // the 30 rows in the page and the team row
      for (const host of current) expect(textOf(shadow(host).querySelector('.value'))).toBe('—');
      expect(cellHost(element, 100, 0)).toMatchObject({ responses: 1000 });
      // The keyboard still walks past the window, through the empty column.
      cellButton(element, 29, 1).focus();
      await key(cellButton(element, 29, 1), 'ArrowDown');
      await flushPromises();
      expect(root(element).activeElement).toBe(cellHost(element, 30, 1));
    });

    it('moves the window with the scroll box', async () => {
      const element = await mountLarge();
      const box = root(element).querySelector('.matrix-scroll') as HTMLElement;
      Object.defineProperty(box, 'scrollTop', { configurable: true, value: 50 * 53 });
      box.dispatchEvent(new CustomEvent('scroll'));
      await flushPromises();
      const names = rowNames(element);
      expect(names[0]).toBe('CSM 043'); // 8 rows above the first visible one (CSM 051)
      expect(names).toHaveLength(30);
      expect(spacerHeights(element)).toEqual([`${42 * 53}px`, `${28 * 53}px`]);
      expect(root(element).querySelector('tbody .csm-row')?.getAttribute('aria-rowindex')).toBe('44');
    });

    it('the arrow keys go past the window: it follows, and the cell gets the focus', async () => {
      const element = await mountLarge();
      cellButton(element, 29, 1).focus();
      await key(cellButton(element, 29, 1), 'ArrowDown');
      await flushPromises();
      expect(rowNames(element)).toContain('CSM 031');
      expect(root(element).activeElement).toBe(cellHost(element, 30, 1));
      expect(cellButton(element, 30, 1).getAttribute('tabindex')).toBe('0');
      // Ctrl+End reaches the team row; Ctrl+Home the first CSM again.
      await key(cellButton(element, 30, 1), 'End');
      await key(cellButton(element, 30, 1), 'Home');
      expect(cellButton(element, 30, 0).getAttribute('tabindex')).toBe('0');
    });

    it('keeps a cell of the window in the tab order when the active cell scrolls out of it', async () => {
      const element = await mountLarge();
      const box = root(element).querySelector('.matrix-scroll') as HTMLElement;
      Object.defineProperty(box, 'scrollTop', { configurable: true, value: 80 * 53 });
      box.dispatchEvent(new CustomEvent('scroll'));
      await flushPromises();
      const stops = [...root(element).querySelectorAll('c-nps-cell')].filter(
        (host) => shadow(host).querySelector('button')?.getAttribute('tabindex') === '0'
      );
      expect(stops).toEqual([cellHost(element, 70, 0)]); // the first row of the window (CSM 071)
    });
  });

  it('keeps one cell in the tab order when the rows change', async () => {
    const element = await mount();
    await loadAll();
    cellButton(element, 3, 1).dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true })
    );
    await flushPromises();
    expect(cellButton(element, 4, 1).getAttribute('tabindex')).toBe('0'); // the team row, below Unassigned
    Object.assign(element, { hideBelowMinimum: true }); // Unassigned goes: the team row moves up
    await flushPromises();
    const stops = [...root(element).querySelectorAll('c-nps-cell')].filter(
      (host) => shadow(host).querySelector('button')?.getAttribute('tabindex') === '0'
    );
    expect(stops).toEqual([cellHost(element, 3, 1)]);
    expect(textOf(root(element).querySelector('.team-name'))).toContain('Team total');
  });

  describe('export', () => {
    let blobs: Blob[];
    let clicked: HTMLAnchorElement[];

    beforeEach(() => {
      blobs = [];
      clicked = [];
      Object.assign(URL, {
        createObjectURL: jest.fn((blob: Blob) => {
          blobs.push(blob);
          return `blob:nps-${blobs.length}`;
        }),
        revokeObjectURL: jest.fn()
      });
      jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
        clicked.push(this);
      });
    });

    afterEach(() => jest.restoreAllMocks());

    const read = (blob: Blob): Promise<string> =>
      new Promise((resolve) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.readAsText(blob);
      });

    it('downloads the matrix as CSV with the CLI’s columns, team rows included, and formulas neutralised', async () => {
      const data = clone(page1);
      (data.uiapi.query.NPS_Snapshot__c.edges[2]!.node.CSM__r as { Name: { value: string } }).Name.value =
        '=HYPERLINK("http://x")';
      const element = await mount();
      await loadAll(data);
      (root(element).querySelector('button.export') as HTMLButtonElement).click();
      await flushPromises();
      expect(clicked).toHaveLength(1);
      expect(clicked[0]!.download).toBe('nps-by-csm-quarter-2026-Q1.csv');
      expect(clicked[0]!.href).toBe('blob:nps-1');
      const text = (await read(blobs[0]!)).replace(/^\uFEFF/, '');
      const lines = text.trim().split('\n');
      expect(lines[0]).toBe(GROUP_CSV_COLUMNS.join(','));
      const alice = node(ALICE, '2026-Q1');
      expect(lines).toContain(
        `Alice Martin,Company NPS,2026-Q1,2026-01-01,22,16,4,2,${alice.NPS__c.value},${alice.CI_Low__c.value},${alice.CI_High__c.value},` +
          `${alice.Mean_Score__c.value},53.36538461538463,${alice.Change__c.value},true,met,0.9931039579839176,${
            (alice as unknown as { Probability_Improved__c: { value: number } }).Probability_Improved__c.value
          }`
      );
      expect(lines.some((line) => line.startsWith(`"'=HYPERLINK(""http://x"")",Company NPS,2026-Q1`))).toBe(
        true
      );
      expect(lines.filter((line) => line.startsWith('Team total,Company NPS,'))).toHaveLength(2);
      expect(lines).toHaveLength(1 + 7 + 2); // header, 7 snapshots shown, 2 team periods
      expect(textOf(root(element).querySelector('.status'))).toBe(
        'Exported 9 rows to nps-by-csm-quarter-2026-Q1.csv'
      );
    });

    it('exports every column shown: a period nobody answered in as a team line with 0 responses', async () => {
      now.mockReturnValue(Date.parse(GAP_NOW));
      const element = await mount({ numberOfPeriods: 5 });
      graphqlAdapter.emit(withGap, SNAPSHOTS);
      await flushPromises();
      (root(element).querySelector('button.export') as HTMLButtonElement).click();
      await flushPromises();
      expect(clicked[0]!.download).toBe('nps-by-csm-quarter-2026-Q2.csv');
      const lines = (await read(blobs[0]!))
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n');
      const team = lines.filter((line) => line.startsWith('Team total,'));
      expect(team.map((line) => line.split(',')[2])).toEqual([
        '2025-Q2',
        '2025-Q3',
        '2025-Q4',
        '2026-Q1',
        '2026-Q2'
      ]);
      const empty = (period: string, start: string) =>
        `Team total,Company NPS,${period},${start},0,0,0,0${','.repeat(GROUP_CSV_COLUMNS.length - 8)}`;
      expect(team[2]).toBe(empty('2025-Q4', '2025-10-01'));
      expect(team[4]).toBe(empty('2026-Q2', '2026-04-01'));
      expect(lines).toHaveLength(1 + 6 + 5); // header, the 6 snapshots shown, a team line per column
    });
  });
});
