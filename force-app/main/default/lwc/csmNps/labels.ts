// Text of the CSM's NPS: one place, so an admin can translate it later. {n} are filled by formatLabel (c/npsCore).
export const LABELS = {
  myTitle: 'My NPS',
  /** {0} the CSM's name. */
  userTitle: 'NPS: {0}',
  /** {0} metric, {1} period. */
  thisPeriod: '{0}, {1}',
  /** {0} low, {1} high. */
  interval: 'Likely between {0} and {1}',
  /** {0} responses. */
  responses: '{0} responses',
  change: 'Change from the previous period',
  goal: 'Goal',
  /** {0} floor, {1} probability. */
  aboveFloor: 'Chance the true NPS is above {0}: {1}',
  improved: 'Chance the improvement reached the target: {0}',
  tooFew: 'Too few responses to judge this period.',
  /** {0} number of periods. */
  trendTitle: 'Last {0} periods',
  /** {0} metric. */
  trendLabel: 'NPS trend, {0}',
  splitTitle: 'Promoters, passives and detractors',
  /** {0} period. */
  splitLabel: 'Responses in {0}',
  compareTitle: 'Company NPS and CSM NPS',
  /** {0} metric. */
  compareLabel: '{0}',
  detractorsTitle: 'Detractors to follow up',
  /** {0} days. */
  detractorsHint: 'Detractors of the last {0} days who have not been contacted yet.',
  detractorsCaption: 'Detractors not yet followed up',
  noDetractors: 'No detractor is waiting for a follow-up. Well done.',
  followedUpTitle: 'Marked as followed up',
  /** {0} who. */
  followedUpMessage: '{0} is marked as followed up.',
  followUpFailedTitle: 'Could not mark as followed up',
  unknownPerson: 'The response',
  noUserData: 'No NPS responses for this user yet'
} as const;

export const MARKS = { up: '▲', down: '▼' } as const;
