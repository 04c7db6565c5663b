import { createElement } from 'lwc';
import NpsTrendChart from 'c/npsTrendChart';
import { bandPath, FULL_BOX, linePath, SPARK_BOX, xOf, yOf, type TrendPoint } from '../geometry';
import { flushPromises, resetDom, shadow, textOf } from '../../../../../../scripts/jest/lwcTestHelpers';

const POINTS: TrendPoint[] = [
  { label: '2025-Q3', nps: 10, ciLow: -20, ciHigh: 40, responses: 12 },
  { label: '2025-Q4', nps: null, ciLow: null, ciHigh: null, responses: 0 },
  { label: '2026-Q1', nps: 50, ciLow: 20, ciHigh: 75, responses: 20 },
  { label: '2026-Q2', nps: 60, ciLow: 35, ciHigh: 80, responses: 22 }
];

async function mount(props: Record<string, unknown>): Promise<HTMLElement> {
  const element = createElement('c-nps-trend-chart', { is: NpsTrendChart });
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

describe('trend geometry', () => {
  it('puts 100 at the top, −100 at the bottom and clamps beyond', () => {
    expect(yOf(100, FULL_BOX)).toBe(FULL_BOX.top);
    expect(yOf(-100, FULL_BOX)).toBe(FULL_BOX.height - FULL_BOX.bottom);
    expect(yOf(0, FULL_BOX)).toBe((FULL_BOX.top + FULL_BOX.height - FULL_BOX.bottom) / 2);
    expect(yOf(150, FULL_BOX)).toBe(yOf(100, FULL_BOX));
  });

  it('spaces periods evenly and centres a single one', () => {
    expect(xOf(0, 4, SPARK_BOX)).toBe(SPARK_BOX.left);
    expect(xOf(3, 4, SPARK_BOX)).toBe(SPARK_BOX.width - SPARK_BOX.right);
    expect(xOf(0, 1, SPARK_BOX)).toBe(SPARK_BOX.width / 2);
  });

  it('breaks the line and the band where a period has no answer', () => {
    const line = linePath(POINTS, FULL_BOX);
    expect(line.match(/M/g)).toHaveLength(2);
    expect(line.match(/L/g)).toHaveLength(1);
    const band = bandPath(POINTS, FULL_BOX);
    expect(band.match(/Z/g)).toHaveLength(2);
  });
});

describe('c-nps-trend-chart', () => {
  afterEach(resetDom);

  it('draws the full chart with the floor, and a table for screen readers', async () => {
    const element = await mount({ points: POINTS, floor: 30, chartLabel: 'NPS trend, Company NPS' });
    const svg = shadow(element).querySelector('svg') as SVGElement;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe(
      'NPS trend, Company NPS: from 10 in 2025-Q3 to 60 in 2026-Q2 (3 periods with responses)'
    );
    expect(textOf(shadow(element).querySelector('.floor-label'))).toBe('Floor 30');
    expect(shadow(element).querySelector('line.floor')?.getAttribute('y1')).toBe(String(yOf(30, FULL_BOX)));
    expect(shadow(element).querySelectorAll('circle.dot')).toHaveLength(3);
    expect(textOf(shadow(element).querySelector('circle.dot title'))).toBe(
      '2025-Q3: NPS 10 (interval −20 to 40), 12 responses'
    );
    const table = shadow(element).querySelector('table.slds-assistive-text') as HTMLTableElement;
    expect([...table.querySelectorAll('tbody tr')].map((tr) => textOf(tr))).toEqual([
      '2025-Q310−20 to 4012',
      '2025-Q4——0',
      '2026-Q15020 to 7520',
      '2026-Q26035 to 8022'
    ]);
    await expect(element).toBeAccessible();
  });

  it('draws a sparkline: the line and the last point, no axes, no table', async () => {
    const element = await mount({
      points: POINTS,
      variant: 'sparkline',
      chartLabel: 'NPS trend, Alice Martin'
    });
    expect(shadow(element).querySelectorAll('.axis-label')).toHaveLength(0);
    expect(shadow(element).querySelector('table')).toBeNull();
    expect(shadow(element).querySelectorAll('circle.dot')).toHaveLength(1);
    expect(shadow(element).querySelector('svg')?.getAttribute('viewBox')).toBe(
      `0 0 ${SPARK_BOX.width} ${SPARK_BOX.height}`
    );
  });

  it('says when there is nothing to draw', async () => {
    const element = await mount({ points: [], chartLabel: 'NPS trend, Bob Chen' });
    expect(shadow(element).querySelector('svg')?.getAttribute('aria-label')).toBe(
      'NPS trend, Bob Chen: no responses in these periods'
    );
    expect(shadow(element).querySelector('path.line')?.getAttribute('d') ?? '').toBe('');
  });
});
