// Text of the account's NPS: one place, so an admin can translate it later. {n} are filled by formatLabel (c/npsCore).
export const LABELS = {
  title: 'Account NPS',
  currentCsm: 'Current CSM',
  noCsm: 'None',
  /** {0} the CSM field property as set in App Builder. */
  badCsmField:
    'The CSM field of Account NPS is set to "{0}", which is not the API name of a lookup to User on Account. In Lightning App Builder, set CSM field to Owner, or to the API name of a custom lookup to User such as CSM__c: the same field as the sync’s csmField (NPS Setting CSM Field).',
  /** {0} the CSM field (API name). */
  csmFieldUnavailable:
    'The CSM field of Account NPS is {0}, and Salesforce has no such Account field that you can see. Ask your Salesforce admin to check the CSM field of Account NPS in Lightning App Builder (Owner, or a custom lookup to User such as CSM__c, the same field as the sync’s csmField) and your read access to that field.',
  /** {0} metric, {1} period type. */
  overTimeTitle: '{0} over time, by {1}',
  /** {0} metric. */
  chartLabel: 'Account NPS over time, {0}',
  /** {0} period, {1} NPS, {2} low, {3} high, {4} responses. */
  latest: 'Latest: {0}, NPS {1} (likely between {2} and {3}), {4} responses',
  /** {0} metric. */
  noMetric: 'No {0} responses for this account yet.',
  smallSample: 'An account gives few responses a period: read the intervals before the numbers.',
  responsesTitle: 'Every response',
  /** {0} count. */
  responsesCount: '{0} responses',
  responsesCaption: 'Every NPS response of this account',
  empty: 'No NPS responses for this account yet',
  /** {0} count. */
  skipped: '{0} responses without a valid score or date are listed but not counted.'
} as const;
