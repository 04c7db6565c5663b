import { createElement } from 'lwc';
import NpsCell from 'c/npsCell';
import { flushPromises, resetDom, shadow, textOf } from '../../../../../../scripts/jest/lwcTestHelpers';

type Props = Partial<{
  nps: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  responses: number | null;
  change: number | null;
  changeSignificant: boolean | null;
  goalStatus: string | null;
  rowLabel: string;
  columnLabel: string;
  variant: string;
  focusable: boolean;
  cellKey: string;
}>;

const FULL: Props = {
  nps: 41.666,
  ciLow: 12.4,
  ciHigh: 63.5,
  responses: 24,
  change: -12.2,
  changeSignificant: true,
  goalStatus: 'met',
  rowLabel: 'Alice Martin',
  columnLabel: '2026-Q1',
  cellKey: 'alice|2026-Q1'
};

async function mount(props: Props): Promise<HTMLElement> {
  const element = createElement('c-nps-cell', { is: NpsCell });
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

const button = (element: HTMLElement) => shadow(element).querySelector('button') as HTMLButtonElement;

describe('c-nps-cell', () => {
  afterEach(resetDom);

  it('shows the rounded NPS, n, the change with its mark and the goal, and says it all in its name', async () => {
    const element = await mount(FULL);
    expect(textOf(button(element).querySelector('.value'))).toBe('42');
    expect(textOf(button(element).querySelector('.meta'))).toBe('n=24');
    expect(textOf(button(element).querySelector('.change'))).toBe('−12▼');
    expect(textOf(button(element).querySelector('.goal'))).toBe('✓');
    expect(button(element).getAttribute('aria-label')).toBe(
      'Alice Martin, 2026-Q1: NPS 42, interval 12 to 64, 24 responses, change −12, a real decline, goal Met. Press Enter to see the responses.'
    );
    // The tooltip is built only while the cell is hovered or focused (a large matrix stays light).
    expect(button(element).querySelector('.tip')).toBeNull();
    button(element).dispatchEvent(new CustomEvent('mouseenter'));
    await flushPromises();
    expect([...button(element).querySelectorAll('.tip-line')].map((line) => textOf(line))).toEqual([
      'Interval 12 to 64',
      'n=24',
      '−12, a real decline',
      'Met'
    ]);
    await expect(element).toBeAccessible();
    button(element).dispatchEvent(new CustomEvent('mouseleave'));
    await flushPromises();
    expect(button(element).querySelector('.tip')).toBeNull();
  });

  it('shows the tooltip while focused, as on hover, and keeps it while focused', async () => {
    const element = await mount(FULL);
    button(element).focus();
    await flushPromises();
    expect(textOf(button(element).querySelector('.tip'))).toContain('Interval 12 to 64');
    button(element).dispatchEvent(new CustomEvent('mouseenter'));
    button(element).dispatchEvent(new CustomEvent('mouseleave'));
    await flushPromises();
    expect(button(element).querySelector('.tip')).not.toBeNull();
    button(element).blur();
    await flushPromises();
    expect(button(element).querySelector('.tip')).toBeNull();
  });

  it('fires cellselect with its key on click, and only when it has data', async () => {
    const element = await mount(FULL);
    const handler = jest.fn();
    element.addEventListener('cellselect', handler);
    button(element).click();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0][0].detail).toEqual({ cellKey: 'alice|2026-Q1' });

    const empty = await mount({ rowLabel: 'Bob Chen', columnLabel: '2026-Q1' });
    const emptyHandler = jest.fn();
    empty.addEventListener('cellselect', emptyHandler);
    button(empty).click();
    expect(emptyHandler).not.toHaveBeenCalled();
    expect(button(empty).getAttribute('aria-label')).toBe('Bob Chen, 2026-Q1: no responses');
  });

  it('is in the tab order only when focusable, and takes focus', async () => {
    const element = await mount({ ...FULL, focusable: false });
    expect(button(element).getAttribute('tabindex')).toBe('-1');
    Object.assign(element, { focusable: true });
    await flushPromises();
    expect(button(element).getAttribute('tabindex')).toBe('0');
    (element as HTMLElement & { focus(): void }).focus();
    expect(shadow(element).activeElement).toBe(button(element));
  });

  it('shows no change mark within normal variation, and no change at all without a previous period', async () => {
    const within = await mount({ ...FULL, change: 6, changeSignificant: false });
    expect(textOf(button(within).querySelector('.change'))).toBe('+6');
    expect(button(within).getAttribute('aria-label')).toContain('change +6, within normal variation');
    const none = await mount({ ...FULL, change: null, changeSignificant: null });
    expect(button(none).querySelector('.change')).toBeNull();
    expect(button(none).getAttribute('aria-label')).not.toContain('change');
  });

  it('is a read-only badge when asked', async () => {
    const element = await mount({ ...FULL, variant: 'badge' });
    expect(shadow(element).querySelector('button')).toBeNull();
    expect(textOf(shadow(element).querySelector('.value'))).toBe('42');
    expect(textOf(shadow(element).querySelector('.slds-assistive-text'))).toBe(
      'Alice Martin, 2026-Q1: NPS 42, interval 12 to 64, 24 responses, change −12, a real decline, goal Met'
    );
    expect(shadow(element).querySelector('.badge')?.getAttribute('title')).toBe('Interval 12 to 64');
  });
});
