// Text of an NPS cell or badge: one place to translate. {n} are filled by formatLabel (c/npsCore).
export const LABELS = {
  /** {0} row (CSM), {1} column (period), {2} details. */
  cellLabel: '{0}, {1}: {2}',
  noResponses: 'no responses',
  /** {0} NPS, {1} interval low, {2} interval high, {3} responses. */
  npsDetails: 'NPS {0}, interval {1} to {2}, {3} responses',
  changeDetails: 'change {0}',
  goalDetails: 'goal {0}',
  openHint: 'Press Enter to see the responses.',
  responsesShort: 'n={0}',
  intervalShort: 'Interval {0} to {1}',
  insufficientShort: 'Too few responses to judge',
  noData: '—'
} as const;

/** Marks beside the number: text symbols, so the meaning never rests on colour alone. */
export const MARKS = {
  up: '▲',
  down: '▼',
  met: '✓',
  not_met: '✗',
  insufficient_data: '?'
} as const;
