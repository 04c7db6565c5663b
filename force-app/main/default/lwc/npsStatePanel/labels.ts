// Text of the loading, empty and error states shared by every csm-nps component: one place to translate.
export const LABELS = {
  loading: 'Loading NPS…',
  emptyTitle: 'No NPS responses yet',
  emptyHint: 'Run the sync to load survey responses into Salesforce:',
  syncCommand: 'npx csm-nps sync --target-org ALIAS',
  errorTitle: 'The NPS could not be shown'
} as const;
