import { createElement } from 'lwc';
import NpsResponseList from 'c/npsResponseList';
import type { ResponseRow } from 'c/npsData';
import { flushPromises, resetDom, shadow, textOf } from '../../../../../../scripts/jest/lwcTestHelpers';

const ROWS: ResponseRow[] = [
  {
    id: 'r1',
    respondedAt: '2026-03-02T06:30:00.000Z', // March 1 in Los Angeles (the jest user's time zone)
    score: 3,
    metric: 'Company NPS',
    comment: '<img src=x onerror=alert(1)>',
    followedUp: false,
    accountName: 'Acme Corp',
    contactName: null,
    csmName: 'Alice Martin'
  },
  {
    id: 'r2',
    respondedAt: '2026-02-10T16:00:00.000Z',
    score: 9,
    metric: 'CSM NPS',
    comment: null,
    followedUp: false,
    accountName: 'Globex',
    contactName: 'Kim Park',
    csmName: null
  }
];

async function mount(props: Record<string, unknown>): Promise<HTMLElement> {
  const element = createElement('c-nps-response-list', { is: NpsResponseList });
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

describe('c-nps-response-list', () => {
  afterEach(resetDom);

  it('shows only the columns asked for, dates in the user’s time zone, and user text as text', async () => {
    const element = await mount({ responses: ROWS, caption: 'Responses', showAccount: true, showCsm: true });
    const headers = [...shadow(element).querySelectorAll('thead th')].map((th) => textOf(th));
    expect(headers).toEqual(['Date', 'Account', 'Score', 'Comment', 'CSM at the time', 'Followed up']);
    const first = shadow(element).querySelector('tbody tr') as HTMLElement;
    expect(textOf(first.querySelector('.date'))).toBe('2026-03-01');
    expect(textOf(first.querySelector('.comment'))).toBe('<img src=x onerror=alert(1)>');
    expect(first.querySelector('img')).toBeNull();
    expect(shadow(element).querySelector('table')?.getAttribute('aria-label')).toBe('Responses');
    await expect(element).toBeAccessible();
  });

  it('offers "Mark followed up" for detractors only, and fires followup with the response id', async () => {
    const element = await mount({ responses: ROWS, allowFollowUp: true, showContact: true });
    const buttons = shadow(element).querySelectorAll<HTMLButtonElement>('button.follow-up');
    expect(buttons).toHaveLength(1);
    expect(buttons[0]!.getAttribute('aria-label')).toBe('Mark followed up: Acme Corp, score 3');
    const handler = jest.fn();
    element.addEventListener('followup', handler);
    buttons[0]!.click();
    expect(handler.mock.calls[0][0].detail).toEqual({ id: 'r1' });
    await expect(element).toBeAccessible();
  });

  it('shows its empty text when there is no response', async () => {
    const element = await mount({ responses: [], emptyText: 'No detractor is waiting.' });
    expect(shadow(element).querySelector('table')).toBeNull();
    expect(textOf(shadow(element).querySelector('.empty'))).toBe('No detractor is waiting.');
  });
});
