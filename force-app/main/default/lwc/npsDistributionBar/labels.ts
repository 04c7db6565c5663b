// Text of the promoter / passive / detractor split: one place to translate.
export const LABELS = {
  promoters: 'Promoters',
  passives: 'Passives',
  detractors: 'Detractors',
  /** {0} category, {1} count, {2} share. */
  item: '{0}: {1} ({2})',
  /** {0} chart name, {1} the three items. */
  summary: '{0}: {1}',
  empty: '{0}: no responses'
} as const;
