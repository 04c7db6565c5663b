import { createElement } from 'lwc';
import NpsStatePanel from 'c/npsStatePanel';
import { flushPromises, resetDom, shadow, textOf } from '../../../../../../scripts/jest/lwcTestHelpers';

async function mount(props: Record<string, unknown>): Promise<HTMLElement> {
  const element = createElement('c-nps-state-panel', { is: NpsStatePanel });
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

describe('c-nps-state-panel', () => {
  afterEach(resetDom);

  it('loading: a spinner with a text alternative, announced politely', async () => {
    const element = await mount({ state: 'loading' });
    const spinner = shadow(element).querySelector('lightning-spinner') as HTMLElement & {
      alternativeText: string;
    };
    expect(spinner.alternativeText).toBe('Loading NPS…');
    expect(shadow(element).querySelector('[role="status"]')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('empty: what to run to load responses, or only the message when asked', async () => {
    const element = await mount({ state: 'empty' });
    expect(textOf(shadow(element).querySelector('.command'))).toBe('npx csm-nps sync --target-org ALIAS');
    const filtered = await mount({ state: 'empty', message: 'Nobody reports to you.', hideSyncHint: true });
    expect(textOf(shadow(filtered).querySelector('.state_empty'))).toBe('Nobody reports to you.');
    await expect(element).toBeAccessible();
  });

  it('error: an alert with what went wrong', async () => {
    const element = await mount({ state: 'error', message: 'You cannot see the field NPS__c.' });
    const alert = shadow(element).querySelector('[role="alert"]');
    expect(textOf(alert?.querySelector('.error-message'))).toBe('You cannot see the field NPS__c.');
    await expect(element).toBeAccessible();
  });
});
