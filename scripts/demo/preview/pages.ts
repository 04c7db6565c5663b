// The preview's pages: a Lightning-like frame (app name, the three pages, who is "logged in") around the
// real component of each page, with a picker (manager, CSM or account) as a plain GET form. The component's
// App Builder properties can be set in the query string (e.g. /?periodType=Month&numberOfPeriods=12).

import type { AccountChoice, Directory, Person } from './directory';

export type PageName = 'manager' | 'csm' | 'account' | 'bench';

export const PAGE_PATHS: Readonly<Record<Exclude<PageName, 'bench'>, string>> = {
  manager: '/',
  csm: '/csm',
  account: '/account'
};

type PropertyType = 'string' | 'number' | 'boolean';

/** NPS by CSM's App Builder properties (the manager page, and the render benchmark page that shows it). */
const NPS_BY_CSM_PROPERTIES: Readonly<Record<string, PropertyType>> = {
  periodType: 'string',
  numberOfPeriods: 'number',
  metric: 'string',
  hideBelowMinimum: 'boolean',
  defaultSort: 'string',
  defaultScope: 'string'
};

/** The @api properties an admin sets in App Builder (see each component's js-meta.xml). */
export const PAGE_PROPERTIES: Readonly<Record<PageName, Readonly<Record<string, PropertyType>>>> = {
  manager: NPS_BY_CSM_PROPERTIES,
  csm: {
    periodType: 'string',
    metric: 'string',
    numberOfPeriods: 'number',
    floor: 'number',
    followUpDays: 'number'
  },
  account: { periodType: 'string', metric: 'string', csmField: 'string' },
  bench: NPS_BY_CSM_PROPERTIES
};

export interface PageContext {
  page: PageName;
  userId: string;
  timeZone: string;
  recordId: string | null;
  properties: Record<string, string | number | boolean>;
  bench?: { runs: number; gridRows: number };
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string
  );
}

/** JSON inside <script>: `<` escaped so that no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function pageProperties(
  page: PageName,
  query: URLSearchParams
): Record<string, string | number | boolean> {
  const properties: Record<string, string | number | boolean> = {};
  for (const [name, type] of Object.entries(PAGE_PROPERTIES[page])) {
    const raw = query.get(name);
    if (raw === null) continue;
    if (type === 'number') {
      const n = Number(raw);
      if (Number.isFinite(n)) properties[name] = n;
    } else if (type === 'boolean') properties[name] = raw === 'true' || raw === '1' || raw === 'on';
    else properties[name] = raw;
  }
  return properties;
}

function personLabel(p: Person): string {
  return `${p.name}${p.role ? ` — ${p.role}` : ''}${p.isActive ? '' : ' (inactive)'}`;
}

function options<T extends { id: string }>(
  items: readonly T[],
  selected: string | null,
  label: (item: T) => string
): string {
  return items
    .map(
      (item) =>
        `<option value="${escapeHtml(item.id)}"${item.id === selected ? ' selected' : ''}>${escapeHtml(label(item))}</option>`
    )
    .join('');
}

function picker(page: PageName, directory: Directory, context: PageContext, query: URLSearchParams): string {
  let name: string;
  let label: string;
  let list: string;
  if (page === 'manager') {
    name = 'as';
    label = 'View as (the manager whose team "My team" shows)';
    list = options(directory.managers, context.userId, personLabel);
  } else if (page === 'csm') {
    name = 'user';
    label = 'Logged in as (the CSM whose Home page this is)';
    list = options(directory.csms, context.userId, personLabel);
  } else if (page === 'account') {
    name = 'account';
    label = 'Account (the record page)';
    list = options<AccountChoice>(
      directory.accounts,
      context.recordId,
      (a) => `${a.name}${a.responses ? ` (${a.responses} responses)` : ''}`
    );
  } else {
    return '';
  }
  // Keep the App Builder properties given in the query string when another person or account is picked.
  const kept = [...query.entries()]
    .filter(([key]) => key !== name && key in PAGE_PROPERTIES[page])
    .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<form class="preview-picker slds-form slds-grid slds-grid_vertical-align-end" method="get" action="${PAGE_PATHS[page]}">
      <div class="slds-form-element">
        <label class="slds-form-element__label" for="preview-picker">${escapeHtml(label)}</label>
        <div class="slds-form-element__control"><div class="slds-select_container">
          <select class="slds-select" id="preview-picker" name="${name}">${list}</select>
        </div></div>
      </div>
      ${kept}
      <button class="slds-button slds-button_neutral slds-m-left_small" type="submit">Show</button>
    </form>`;
}

const TITLES: Record<PageName, string> = {
  manager: 'NPS by CSM — manager page',
  csm: 'CSM NPS — CSM Home page',
  account: 'Account NPS — Account record page',
  bench: 'NPS by CSM — render benchmark'
};

function heading(page: PageName, directory: Directory, context: PageContext): string {
  if (page === 'account') {
    const account = directory.accounts.find((a) => a.id === context.recordId);
    return `Account: ${account?.name ?? context.recordId ?? 'none'}`;
  }
  const who = directory.byId.get(context.userId);
  if (page === 'csm') return `Home — ${who?.name ?? context.userId}`;
  return `NPS by CSM — viewing as ${who?.name ?? context.userId}`;
}

export function renderPage(options: {
  page: PageName;
  directory: Directory;
  context: PageContext;
  query: URLSearchParams;
  entry: string;
}): string {
  const { page, directory, context, query, entry } = options;
  const nav = (Object.entries(PAGE_PATHS) as [Exclude<PageName, 'bench'>, string][])
    .map(([name, href]) => {
      const text = { manager: 'Manager', csm: 'CSM Home', account: 'Account' }[name];
      return `<li class="slds-context-bar__item${name === page ? ' slds-is-active' : ''}"><a class="slds-context-bar__label-action" href="${href}"${name === page ? ' aria-current="page"' : ''}><span class="slds-truncate">${text}</span></a></li>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(TITLES[page])} · csm-nps preview</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/slds/styles/salesforce-lightning-design-system.min.css">
<style>
  body { background: #f3f3f3; min-height: 100vh; }
  .preview-note { color: #5c5c5c; }
  .preview-picker select { min-width: 22rem; }
  main { max-width: 96rem; margin: 0 auto; }
  #toasts { position: fixed; top: 4rem; left: 0; right: 0; z-index: 9000; pointer-events: none; }
  #toasts .slds-notify_toast { pointer-events: auto; }
</style>
<script type="application/json" id="preview-context">${scriptJson(context)}</script>
<script type="module" src="/assets/${escapeHtml(entry)}"></script>
</head>
<body>
<div class="slds-context-bar">
  <div class="slds-context-bar__primary">
    <div class="slds-context-bar__item slds-context-bar__dropdown-trigger slds-no-hover">
      <span class="slds-context-bar__label-action slds-context-bar__app-name"><span class="slds-truncate">CSM NPS</span></span>
    </div>
  </div>
  <nav class="slds-context-bar__secondary" aria-label="Preview pages"><ul class="slds-grid">${nav}</ul></nav>
</div>
<div class="slds-page-header slds-m-around_medium">
  <div class="slds-page-header__row slds-grid_vertical-align-end slds-wrap">
    <div class="slds-page-header__col-title slds-m-bottom_x-small">
      <h1 class="slds-page-header__title">${escapeHtml(heading(page, directory, context))}</h1>
      <p class="slds-text-body_small preview-note">Local preview: the real components, answered from the local org on this machine (demo data, not Salesforce).</p>
    </div>
    <div class="slds-page-header__col-actions">${picker(page, directory, context, query)}</div>
  </div>
</div>
<main id="main" class="slds-p-horizontal_medium slds-p-bottom_large"></main>
<div id="toasts" class="slds-notify_container"></div>
</body>
</html>
`;
}
