import { createElement } from 'lwc';
import CsmNps from 'c/csmNps';
import { updateRecord } from 'lightning/uiRecordApi';
import { describeChange, formatNps, formatProbability } from 'c/npsCore';
import {
  clone,
  configOf,
  flushPromises,
  graphqlAdapter,
  byOperation,
  resetDom,
  shadow,
  textOf
} from '../../../../../../scripts/jest/lwcTestHelpers';
import snapshots from './data/snapshots.json';
import snapshotsWithGap from './data/snapshotsWithGap.json';
import emptySnapshots from './data/emptySnapshots.json';
import detractors from './data/detractors.json';
import noDetractors from './data/noDetractors.json';

const SNAPSHOTS = byOperation('csmNpsSnapshots');
const DETRACTORS = byOperation('csmNpsDetractors');
const CURRENT_USER = '005000000000000000'; // @salesforce/user/Id in jest
const ALICE = '005000000000001AAA';
const updateRecordMock = updateRecord as unknown as jest.Mock;
/** "Now" in the tests: in 2026-Q1, the latest quarter of snapshots.json (the trend ends with the current period). */
const NOW = '2026-03-20T18:00:00Z';

type Props = Partial<{
  recordId: string;
  periodType: string;
  metric: string;
  numberOfPeriods: number;
  floor: number;
  followUpDays: number;
}>;

async function mount(props: Props = {}): Promise<HTMLElement> {
  const element = createElement('c-csm-nps', { is: CsmNps });
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

async function load(data: unknown = snapshots, responses: unknown = detractors): Promise<void> {
  graphqlAdapter.emit(data, SNAPSHOTS);
  graphqlAdapter.emit(responses, DETRACTORS);
  await flushPromises();
}

interface SnapshotNodeJson {
  Metric__c: { value: string };
  Period_Label__c: { value: string };
  NPS__c: { value: number };
  CI_Low__c: { value: number };
  CI_High__c: { value: number };
  Responses__c: { value: number };
  Promoters__c: { value: number };
  Passives__c: { value: number };
  Detractors__c: { value: number };
  Change__c: { value: number | null };
  Change_Significant__c: { value: boolean };
  Goal_Status__c: { value: string };
  Probability_Above_Floor__c: { value: number };
  Probability_Improved__c: { value: number | null };
}
const nodesOf = (data: typeof snapshots): SnapshotNodeJson[] =>
  data.uiapi.query.NPS_Snapshot__c.edges.map((edge) => edge.node as unknown as SnapshotNodeJson);
const snapshot = (data: typeof snapshots, metric: string, period: string): SnapshotNodeJson => {
  const found = nodesOf(data).find((n) => n.Metric__c.value === metric && n.Period_Label__c.value === period);
  if (!found) throw new Error(`no snapshot ${metric} ${period}`);
  return found;
};

const root = (element: HTMLElement): ShadowRoot => shadow(element);
const text = (element: HTMLElement, selector: string): string =>
  textOf(root(element).querySelector(selector));
const panel = (element: HTMLElement, selector = 'c-nps-state-panel') =>
  root(element).querySelector(selector) as (HTMLElement & { state: string; message: string }) | null;
const list = (element: HTMLElement) =>
  root(element).querySelector('c-nps-response-list') as HTMLElement & {
    responses: { id: string; followedUp: boolean }[];
  };

type Point = {
  label: string;
  nps: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  responses: number;
};
const trendChart = (element: HTMLElement) =>
  root(element).querySelector('c-nps-trend-chart') as HTMLElement & { points: Point[]; floor: number };

describe('c-csm-nps', () => {
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
    it('shows a spinner while loading', async () => {
      const element = await mount();
      expect(panel(element)?.state).toBe('loading');
    });

    it('says there is no response yet, with the sync command', async () => {
      const element = await mount();
      await load(emptySnapshots, noDetractors);
      const empty = panel(element) as HTMLElement;
      expect((empty as HTMLElement & { state: string }).state).toBe('empty');
      expect(textOf(shadow(empty).querySelector('.command'))).toBe('npx csm-nps sync --target-org ALIAS');
      await expect(element).toBeAccessible();
    });

    it('without any response, congratulates nobody on an empty follow-up list', async () => {
      const element = await mount();
      await load(emptySnapshots, noDetractors);
      expect(panel(element)?.state).toBe('empty');
      expect(root(element).querySelector('.detractors')).toBeNull();
      expect(textOf(root(element).querySelector('.csm-nps'))).not.toContain('Well done');
    });

    it('without snapshots yet, still lists a detractor waiting for a follow-up', async () => {
      const element = await mount();
      await load(emptySnapshots, detractors);
      expect(panel(element)?.state).toBe('empty');
      expect(list(element).responses.map((r) => r.id)).toEqual(['a02000000000011AAA', 'a02000000000012AAA']);
      expect(textOf(root(element).querySelector('.csm-nps'))).not.toContain('Well done');
    });

    it('on a User page without data, says whose NPS is missing', async () => {
      const element = await mount({ recordId: ALICE });
      await load(emptySnapshots, noDetractors);
      const empty = panel(element) as HTMLElement;
      expect(textOf(shadow(empty).querySelector('.state_empty p'))).toBe(
        'No NPS responses for this user yet'
      );
      expect(textOf(shadow(empty).querySelector('.command'))).toBe('npx csm-nps sync --target-org ALIAS');
    });

    it('explains a field the user may not see', async () => {
      const element = await mount();
      graphqlAdapter.emitErrors(
        [{ message: "Field 'Probability_Above_Floor__c' in type 'NPS_Snapshot__c' is undefined" }],
        SNAPSHOTS
      );
      await flushPromises();
      expect(panel(element)?.state).toBe('error');
      expect(panel(element)?.message).toContain(
        'You cannot see the field Probability_Above_Floor__c on NPS_Snapshot__c'
      );
      await expect(element).toBeAccessible();
    });

    it('explains an object the user may not see', async () => {
      const element = await mount();
      graphqlAdapter.emitErrors(
        [
          {
            message:
              "Validation error of type FieldUndefined: Field 'NPS_Snapshot__c' in type 'RecordQuery' is undefined"
          }
        ],
        SNAPSHOTS
      );
      await flushPromises();
      expect(panel(element)?.message).toContain('You cannot see NPS_Snapshot__c records');
    });
  });

  describe('whose NPS', () => {
    it('on the Home page, reads the current user’s snapshots and says “My NPS”', async () => {
      const element = await mount();
      expect(configOf('csmNpsSnapshots')?.variables).toEqual({
        where: { and: [{ CSM__c: { eq: CURRENT_USER } }, { Period_Type__c: { eq: 'Quarter' } }] },
        first: 200,
        after: null
      });
      await load();
      expect(text(element, '.title')).toBe('My NPS');
    });

    it('on a User record page, reads that user’s snapshots and names them', async () => {
      const element = await mount({ recordId: ALICE, periodType: 'Month' });
      expect(configOf('csmNpsSnapshots')?.variables?.where).toEqual({
        and: [{ CSM__c: { eq: ALICE } }, { Period_Type__c: { eq: 'Month' } }]
      });
      expect(JSON.stringify(configOf('csmNpsDetractors')?.variables?.where)).toContain(
        `"CSM__c":{"eq":"${ALICE}"}`
      );
      await load();
      expect(text(element, '.title')).toBe('NPS: Alice Martin');
    });
  });

  describe('this period', () => {
    it('shows the latest NPS with its interval and responses, as stored', async () => {
      const element = await mount();
      await load();
      const latest = snapshot(snapshots, 'Company NPS', '2026-Q1');
      expect(text(element, '.headline-title')).toBe('Company NPS, 2026-Q1');
      expect(text(element, '.nps-value')).toBe(formatNps(latest.NPS__c.value));
      expect(text(element, '.interval')).toBe(
        `Likely between ${formatNps(latest.CI_Low__c.value)} and ${formatNps(latest.CI_High__c.value)}`
      );
      expect(text(element, '.responses')).toBe('22 responses');
      expect(root(element).querySelector('.nps-value')?.className).toContain('band_good');
    });

    it('words a significant change as real, with a mark', async () => {
      const element = await mount();
      await load();
      const latest = snapshot(snapshots, 'Company NPS', '2026-Q1');
      expect(textOf(root(element).querySelector('.change'))).toBe(
        `${describeChange(latest.Change__c.value, true)}▲`
      );
      expect(text(element, '.change')).toContain('+59, a real improvement');
    });

    it('words a change within normal variation as such, without a mark', async () => {
      const data = clone(snapshots);
      const latest = snapshot(data, 'Company NPS', '2026-Q1');
      latest.Change__c.value = 6;
      latest.Change_Significant__c.value = false;
      const element = await mount();
      await load(data);
      expect(text(element, '.change')).toBe('+6, within normal variation');
      expect(text(element, '.mark')).toBe('');
    });

    it('says when there is no previous period to compare', async () => {
      const data = clone(snapshots);
      const latest = snapshot(data, 'Company NPS', '2026-Q1');
      latest.Change__c.value = null;
      latest.Change_Significant__c.value = false; // a checkbox: false, but without a change it means nothing
      const element = await mount();
      await load(data);
      expect(text(element, '.change')).toBe('no previous period to compare');
    });

    it('shows a met goal with how sure it is', async () => {
      const element = await mount();
      await load();
      const latest = snapshot(snapshots, 'Company NPS', '2026-Q1');
      expect(text(element, '.goal-status')).toBe('Met');
      expect([...root(element).querySelectorAll('.goal-detail')].map((dd) => textOf(dd))).toEqual([
        `Chance the true NPS is above 30: ${formatProbability(latest.Probability_Above_Floor__c.value)}`,
        `Chance the improvement reached the target: ${formatProbability(latest.Probability_Improved__c.value as number)}`
      ]);
    });

    it('shows a goal not met, with the floor set in App Builder', async () => {
      const data = clone(snapshots);
      const latest = snapshot(data, 'Company NPS', '2026-Q1');
      latest.Goal_Status__c.value = 'Not Met';
      latest.Probability_Above_Floor__c.value = 0.31;
      latest.Probability_Improved__c.value = null;
      const element = await mount({ floor: 40 });
      await load(data);
      expect(text(element, '.goal-status')).toBe('Not met');
      expect([...root(element).querySelectorAll('.goal-detail')].map((dd) => textOf(dd))).toEqual([
        'Chance the true NPS is above 40: 31%'
      ]);
    });

    it('does not judge a period with too few responses', async () => {
      const data = clone(snapshots);
      snapshot(data, 'Company NPS', '2026-Q1').Goal_Status__c.value = 'Insufficient Data';
      const element = await mount();
      await load(data);
      expect(text(element, '.goal-status')).toBe('Insufficient data');
      expect(text(element, '.goal-detail')).toBe('Too few responses to judge this period.');
      expect(root(element).querySelector('.nps-value')?.className).toContain('band_insufficient');
    });

    it('splits the latest responses into promoters, passives and detractors', async () => {
      const element = await mount();
      await load();
      const bar = root(element).querySelector('c-nps-distribution-bar') as HTMLElement & {
        promoters: number;
        passives: number;
        detractors: number;
      };
      expect([bar.promoters, bar.passives, bar.detractors]).toEqual([15, 5, 2]);
      expect([...shadow(bar).querySelectorAll('.legend-text')].map((li) => textOf(li))).toEqual([
        'Detractors: 2 (9%)',
        'Passives: 5 (23%)',
        'Promoters: 15 (68%)'
      ]);
    });

    it('shows Company NPS and CSM NPS side by side when both exist', async () => {
      const element = await mount();
      await load();
      const badges = [...root(element).querySelectorAll('.badge-item')];
      expect(badges.map((b) => textOf(b.querySelector('.badge-metric')))).toEqual(['Company NPS', 'CSM NPS']);
      const csm = snapshot(snapshots, 'CSM NPS', '2026-Q1');
      const cell = badges[1]!.querySelector('c-nps-cell') as HTMLElement & { nps: number; variant: string };
      expect(cell.variant).toBe('badge');
      expect(cell.nps).toBe(csm.NPS__c.value);
      expect(textOf(shadow(cell).querySelector('.value'))).toBe(formatNps(csm.NPS__c.value));
      expect(textOf(shadow(cell).querySelector('.slds-assistive-text'))).toContain(
        'CSM NPS, 2026-Q1: NPS 69'
      );
    });

    it('leaves the comparison out when only one question has answers', async () => {
      const data = clone(snapshots);
      data.uiapi.query.NPS_Snapshot__c.edges = data.uiapi.query.NPS_Snapshot__c.edges.filter(
        (e) => e.node.Metric__c.value === 'Company NPS'
      );
      const element = await mount();
      await load(data);
      expect(root(element).querySelector('.comparison')).toBeNull();
    });

    it('shows CSM NPS first when App Builder says so', async () => {
      const element = await mount({ metric: 'CSM NPS' });
      await load();
      expect(text(element, '.headline-title')).toBe('CSM NPS, 2026-Q1');
      expect(text(element, '.change')).toBe('+19, within normal variation');
    });
  });

  describe('trend', () => {
    it('charts the last periods with their intervals and the floor', async () => {
      const element = await mount({ numberOfPeriods: 3 });
      await load();
      const chart = trendChart(element);
      expect(chart.floor).toBe(30);
      expect(chart.points.map((p) => p.label)).toEqual(['2025-Q3', '2025-Q4', '2026-Q1']);
      const q4 = snapshot(snapshots, 'Company NPS', '2025-Q4');
      expect(chart.points[1]).toEqual({
        label: '2025-Q4',
        nps: q4.NPS__c.value,
        ciLow: q4.CI_Low__c.value,
        ciHigh: q4.CI_High__c.value,
        responses: 18
      });
      const svg = shadow(chart).querySelector('svg');
      expect(svg?.getAttribute('aria-label')).toBe(
        'NPS trend, Company NPS: from 19 in 2025-Q3 to 59 in 2026-Q1 (3 periods with responses)'
      );
      expect(shadow(chart).querySelector('path.band')?.getAttribute('d')).toMatch(/^M.+Z$/);
      expect(textOf(shadow(chart).querySelector('.floor-label'))).toBe('Floor 30');
      expect([...shadow(chart).querySelectorAll('table tbody tr')].map((tr) => textOf(tr))).toHaveLength(3);
      expect(text(element, '#trend-title') || textOf(root(element).querySelector('.trend h3'))).toBe(
        'Last 3 periods'
      );
    });

    it('charts consecutive periods, a quarter without answers as a gap in the line', async () => {
      now.mockReturnValue(Date.parse('2025-05-15T18:00:00Z')); // 2025-Q2
      const element = await mount({ numberOfPeriods: 5 });
      await load(snapshotsWithGap);
      const chart = trendChart(element);
      const q3 = snapshot(snapshotsWithGap, 'Company NPS', '2024-Q3');
      expect(chart.points.map((p) => p.label)).toEqual([
        '2024-Q2',
        '2024-Q3',
        '2024-Q4',
        '2025-Q1',
        '2025-Q2'
      ]);
      expect(chart.points[1]).toEqual({
        label: '2024-Q3',
        nps: q3.NPS__c.value,
        ciLow: q3.CI_Low__c.value,
        ciHigh: q3.CI_High__c.value,
        responses: q3.Responses__c.value
      });
      expect(chart.points[2]).toEqual({
        label: '2024-Q4',
        nps: null,
        ciLow: null,
        ciHigh: null,
        responses: 0
      });
      // The line stops at 2024-Q3 and starts again at 2025-Q1: two runs, never a line across the gap.
      expect(shadow(chart).querySelector('path.line')?.getAttribute('d')?.match(/M/g)).toHaveLength(2);
      const rows = [...shadow(chart).querySelectorAll('table tbody tr')].map((tr) =>
        [...tr.children].map((cell) => textOf(cell))
      );
      expect(rows[2]).toEqual(['2024-Q4', '—', '—', '0']);
      expect(shadow(chart).querySelector('svg')?.getAttribute('aria-label')).toBe(
        `NPS trend, Company NPS: from ${formatNps(snapshot(snapshotsWithGap, 'Company NPS', '2024-Q2').NPS__c.value)} in 2024-Q2 to 50 in 2025-Q2 (4 periods with responses)`
      );
    });

    it('ends with the current period after quiet ones; the headline names the latest period with answers', async () => {
      now.mockReturnValue(Date.parse('2025-11-10T18:00:00Z')); // 2025-Q4: nobody answered in Q3 or Q4
      const element = await mount({ numberOfPeriods: 4 });
      await load(snapshotsWithGap);
      expect(trendChart(element).points.map((p) => [p.label, p.responses])).toEqual([
        ['2025-Q1', 16],
        ['2025-Q2', 18],
        ['2025-Q3', 0],
        ['2025-Q4', 0]
      ]);
      expect(text(element, '.headline-title')).toBe('Company NPS, 2025-Q2');
      expect(text(element, '.nps-value')).toBe('50');
      expect(text(element, '.responses')).toBe('18 responses');
    });
  });

  describe('detractors to follow up', () => {
    it('lists the detractors of the last 90 days not yet followed up', async () => {
      const element = await mount();
      const where = configOf('csmNpsDetractors')?.variables?.where as { and: Record<string, unknown>[] };
      expect(where.and.slice(0, 3)).toEqual([
        { CSM__c: { eq: CURRENT_USER } },
        { Category__c: { eq: 'Detractor' } },
        { Followed_Up__c: { eq: false } }
      ]);
      const since = Date.parse(
        (where.and[3] as { Responded_At__c: { gte: { value: string } } }).Responded_At__c.gte.value
      );
      expect(Math.abs(Date.now() - 90 * 86_400_000 - since)).toBeLessThan(60_000);
      await load();
      expect(list(element).responses.map((r) => r.id)).toEqual(['a02000000000011AAA', 'a02000000000012AAA']);
      const rows = [...shadow(list(element)).querySelectorAll('tbody tr')];
      expect(textOf(rows[0]!.querySelector('.comment'))).toBe(
        'The new release broke our exports and nobody told us.'
      );
      expect(textOf(rows[1]!.querySelector('.comment'))).toBe("=cmd|' /C calc'!A0");
      expect(rows.map((r) => textOf(r.querySelector('button.follow-up')))).toEqual([
        'Mark followed up',
        'Mark followed up'
      ]);
      expect(rows[0]!.querySelector('button.follow-up')?.getAttribute('aria-label')).toBe(
        'Mark followed up: Dana Lee, score 2'
      );
      await expect(element).toBeAccessible();
    });

    it('says so when nobody is waiting', async () => {
      const element = await mount();
      await load(snapshots, noDetractors);
      expect(textOf(shadow(list(element)).querySelector('.empty'))).toBe(
        'No detractor is waiting for a follow-up. Well done.'
      );
    });

    it('marks a detractor followed up at once, saves it, and confirms', async () => {
      const element = await mount();
      await load();
      const toasts: { title: string; message: string; variant: string }[] = [];
      element.addEventListener('lightning__showtoast', (event) => toasts.push((event as CustomEvent).detail));
      (shadow(list(element)).querySelector('button.follow-up') as HTMLButtonElement).click();
      await flushPromises();
      expect(updateRecordMock).toHaveBeenCalledWith({
        fields: { Id: 'a02000000000011AAA', Followed_Up__c: true }
      });
      expect(list(element).responses.find((r) => r.id === 'a02000000000011AAA')?.followedUp).toBe(true);
      const first = shadow(list(element)).querySelector('tbody tr') as HTMLElement;
      expect(first.querySelector('button.follow-up')).toBeNull();
      expect(textOf(first.querySelector('.followed-up'))).toBe('Yes');
      expect(toasts).toEqual([
        { title: 'Marked as followed up', message: 'Dana Lee is marked as followed up.', variant: 'success' }
      ]);
    });

    it('shows the change before the save ends, and takes it back with an error when the save fails', async () => {
      let reject: (reason: unknown) => void = () => undefined;
      updateRecordMock.mockImplementationOnce(
        () => new Promise((_resolve, rejectSave) => (reject = rejectSave))
      );
      const element = await mount();
      await load();
      const toasts: { title: string; message: string; variant: string }[] = [];
      element.addEventListener('lightning__showtoast', (event) => toasts.push((event as CustomEvent).detail));
      (shadow(list(element)).querySelectorAll('button.follow-up')[1] as HTMLButtonElement).click();
      await flushPromises();
      expect(list(element).responses[1]?.followedUp).toBe(true); // optimistic
      reject({ body: { message: 'insufficient access rights on object id.' } });
      await flushPromises();
      expect(list(element).responses[1]?.followedUp).toBe(false);
      expect(shadow(list(element)).querySelectorAll('button.follow-up')).toHaveLength(2);
      expect(toasts).toEqual([
        {
          title: 'Could not mark as followed up',
          message:
            'insufficient access rights on object id. Check that you can edit this response, then try again.',
          variant: 'error',
          mode: 'sticky'
        }
      ]);
    });

    it('shows an error for the detractors without hiding the NPS', async () => {
      const element = await mount();
      graphqlAdapter.emit(snapshots, SNAPSHOTS);
      graphqlAdapter.emitErrors(
        [{ message: "Field 'Category__c' in type 'NPS_Response__c' is undefined" }],
        DETRACTORS
      );
      await flushPromises();
      expect(panel(element, '.detractors c-nps-state-panel')?.message).toContain(
        'You cannot see the field Category__c on NPS_Response__c'
      );
      expect(text(element, '.nps-value')).toBe('59');
    });
  });

  it('is accessible with everything shown', async () => {
    const element = await mount();
    await load();
    await expect(element).toBeAccessible();
  });
});
