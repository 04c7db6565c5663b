// What the preview server tells the page: which page, who is "logged in", their time zone, the record of
// a record page and the App Builder properties. The server writes it as JSON into the page; the platform
// modules (@salesforce/user/Id, @salesforce/i18n/timeZone) and the page shell read it from here.

export type PreviewPage = 'manager' | 'csm' | 'account' | 'bench';

export interface PreviewContext {
  page: PreviewPage;
  /** What `@salesforce/user/Id` gives the components. */
  userId: string;
  /** What `@salesforce/i18n/timeZone` gives: the user's Salesforce time zone (IANA name). */
  timeZone: string;
  /** The record of a record page (Account page), or null. */
  recordId: string | null;
  /** App Builder properties of the page's component (name → value). */
  properties: Record<string, string | number | boolean>;
  /** The render benchmark page only: how many timed renders, and the rows of the complete grid (aria-rowcount). */
  bench?: { runs: number; gridRows: number };
}

let context: PreviewContext | null = null;

export function previewContext(): PreviewContext {
  if (context) return context;
  const element = document.getElementById('preview-context');
  if (!element?.textContent)
    throw new Error('The preview page holds no #preview-context: open it through the preview server.');
  context = JSON.parse(element.textContent) as PreviewContext;
  return context;
}
