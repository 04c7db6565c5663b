import { createElement } from 'lwc';
import NpsDistributionBar from 'c/npsDistributionBar';
import { categoryShares, formatShare } from 'c/npsCore';
import { flushPromises, resetDom, shadow, textOf } from '../../../../../../scripts/jest/lwcTestHelpers';

async function mount(props: Record<string, unknown>): Promise<HTMLElement> {
  const element = createElement('c-nps-distribution-bar', { is: NpsDistributionBar });
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

describe('c-nps-distribution-bar', () => {
  afterEach(resetDom);

  it('shows each category with its count and share from the core, in text as well as in the bar', async () => {
    const element = await mount({
      promoters: 7,
      passives: 2,
      detractors: 3,
      barLabel: 'Responses in 2026-Q1'
    });
    const shares = categoryShares({ promoters: 7, passives: 2, detractors: 3 })!;
    expect([...shadow(element).querySelectorAll('.legend-text')].map((li) => textOf(li))).toEqual([
      `Detractors: 3 (${formatShare(shares.detractors)})`,
      `Passives: 2 (${formatShare(shares.passives)})`,
      `Promoters: 7 (${formatShare(shares.promoters)})`
    ]);
    expect(shadow(element).querySelector('.bar')?.getAttribute('aria-label')).toBe(
      'Responses in 2026-Q1: Detractors: 3 (25%), Passives: 2 (17%), Promoters: 7 (58%)'
    );
    const widths = [...shadow(element).querySelectorAll<HTMLElement>('.segment')].map((s) => s.style.width);
    expect(widths).toEqual([
      `${shares.detractors * 100}%`,
      `${shares.passives * 100}%`,
      `${shares.promoters * 100}%`
    ]);
    await expect(element).toBeAccessible();
  });

  it('says when there is no response', async () => {
    const element = await mount({
      promoters: 0,
      passives: 0,
      detractors: 0,
      barLabel: 'Responses in 2026-Q1'
    });
    expect(shadow(element).querySelector('.bar')?.getAttribute('aria-label')).toBe(
      'Responses in 2026-Q1: no responses'
    );
    expect(shadow(element).querySelectorAll('.segment')).toHaveLength(0);
  });
});
