// The preview page: synthetic shadow first (without it the components' own SLDS classes do not apply), then
// the real component of the page — the same TypeScript sources that are deployed — created with LWC's
// createElement, given its App Builder properties and, on a record page, its recordId.

import '@lwc/synthetic-shadow';
import { createElement, type LightningElement } from 'lwc';
import NpsByCsm from 'c/npsByCsm';
import CsmNps from 'c/csmNps';
import AccountNps from 'c/accountNps';
import { previewContext, type PreviewPage } from './context';
import { installToasts } from './toasts';
import { runRenderBenchmark } from './renderBenchmark';

type ComponentClass = typeof LightningElement;

export const PAGE_COMPONENTS: Record<
  Exclude<PreviewPage, 'bench'>,
  { tag: string; component: ComponentClass }
> = {
  manager: { tag: 'c-nps-by-csm', component: NpsByCsm },
  csm: { tag: 'c-csm-nps', component: CsmNps },
  account: { tag: 'c-account-nps', component: AccountNps }
};

/** Creates the page's component with its properties (not yet in the document). */
export function createPageComponent(page: Exclude<PreviewPage, 'bench'>): HTMLElement {
  const context = previewContext();
  const { tag, component } = PAGE_COMPONENTS[page];
  const element = createElement(tag, { is: component });
  const target = element as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(context.properties)) target[name] = value;
  if (context.recordId) target.recordId = context.recordId;
  return element;
}

function start(): void {
  const context = previewContext();
  const toasts = document.getElementById('toasts');
  if (toasts) installToasts(toasts);
  const main = document.getElementById('main');
  if (!main) throw new Error('The preview page has no #main.');
  if (context.page === 'bench') {
    void runRenderBenchmark(main, () => createPageComponent('manager'));
    return;
  }
  main.append(createPageComponent(context.page));
}

start();
