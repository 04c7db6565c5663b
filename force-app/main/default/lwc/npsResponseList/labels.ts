// Text of the responses list: one place to translate. {n} are filled by formatLabel (c/npsCore).
export const LABELS = {
  date: 'Date',
  account: 'Account',
  contact: 'Contact',
  score: 'Score',
  metric: 'Question',
  comment: 'Comment',
  csm: 'CSM at the time',
  followedUp: 'Followed up',
  yes: 'Yes',
  no: 'No',
  markFollowedUp: 'Mark followed up',
  /** {0} who answered, {1} score. */
  markFollowedUpFor: 'Mark followed up: {0}, score {1}',
  unknownPerson: 'unknown contact',
  none: '—',
  noResponses: 'No responses.',
  promoter: 'Promoter',
  passive: 'Passive',
  detractor: 'Detractor',
  invalidScore: 'Not a valid score'
} as const;
