// Text of the trend chart: one place to translate. {n} are filled by formatLabel (c/npsCore).
export const LABELS = {
  /** {0} chart name, {1} first NPS, {2} first period, {3} last NPS, {4} last period, {5} periods with answers. */
  summary: '{0}: from {1} in {2} to {3} in {4} ({5} periods with responses)',
  summaryOne: '{0}: {1} in {2}',
  summaryEmpty: '{0}: no responses in these periods',
  floor: 'Floor {0}',
  /** {0} period, {1} NPS, {2} interval low, {3} interval high, {4} responses. */
  pointTitle: '{0}: NPS {1} (interval {2} to {3}), {4} responses',
  period: 'Period',
  nps: 'NPS',
  interval: 'Interval',
  responses: 'Responses',
  intervalRange: '{0} to {1}',
  none: '—'
} as const;
