// Text of NPS by CSM: one place, so an admin can translate it later. {n} are filled by formatLabel (c/npsCore).
export const LABELS = {
  title: 'NPS by CSM',
  /** {0} metric, {1} period type, {2} number of periods. */
  subtitle: '{0} · by {1} · last {2} periods',
  scope: 'Show',
  myTeam: 'My team',
  everyone: 'Everyone I can see',
  sortBy: 'Sort by',
  sortName: 'Name',
  sortNps: 'NPS (latest period with responses)',
  sortShrunkNps: 'Shrunk NPS (fair ranking for small books)',
  sortChange: 'Change (latest period with responses)',
  descending: 'Highest first',
  ascending: 'Lowest first',
  nameAscending: 'A to Z',
  nameDescending: 'Z to A',
  sortDirection: 'Order',
  exportCsv: 'Export CSV',
  /** {0} rows, {1} file name. */
  exported: 'Exported {0} rows to {1}',
  /** {0} metric, {1} period type. */
  tableLabel:
    'NPS by CSM: {0} per {1}. Use the arrow keys to move between cells and Enter to open the responses behind one.',
  csm: 'CSM',
  trend: 'Trend',
  /** {0} CSM. */
  trendOf: 'NPS trend, {0}',
  team: 'Team total',
  teamDescription: 'all rows above, pooled',
  unassigned: 'Unassigned',
  legendTitle: 'How to read a cell',
  legendNumber: 'Big number: NPS (−100 to 100). n: responses. Hover or focus a cell for its interval.',
  legendChange: '▲ ▼ a change beyond normal variation (no mark: within normal variation).',
  legendGoal: '✓ goal met · ✗ goal not met · ? too few responses to judge (hatched).',
  legendBands:
    'Colour repeats the number: red below 0, amber 0 to {0}, green above {0}, dark green {1} and above.',
  legendShrunk:
    'Shrunk NPS pulls small samples toward the team, so a CSM with few responses is not ranked first or last by luck.',
  noTeam:
    'No NPS for CSMs who report to you. Choose “Everyone I can see” to see every CSM you have access to.',
  allHidden:
    'Every CSM has fewer than the minimum responses in these periods. Turn off “Hide CSMs below the minimum responses” in the page settings to see them.',
  /** {0} number of periods, {1} the latest period with responses. */
  noRecentResponses:
    'No NPS responses in the last {0} periods; the latest are from {1}. The page settings (Number of periods) can show more periods.',
  /** {0} hidden CSMs. */
  hiddenNote: 'Hidden for too few responses in every period: {0}.',
  /** {0} CSM (or team), {1} period. */
  drillTitle: 'Responses: {0}, {1}',
  /** {0} count. */
  drillCount: '{0} responses',
  /** {0} shown, {1} counted by the sync. */
  drillMismatch:
    'Showing {0} responses; the sync counted {1}. The sync dates responses in the org’s time zone and this list in yours, and you may not have access to every response.',
  drillEmpty: 'No responses found for this cell.',
  close: 'Close responses',
  teamMetric: 'Team'
} as const;

/** App Builder values of "Default sort" → sort keys. */
export const SORT_VALUES = {
  Name: 'name',
  NPS: 'nps',
  'Shrunk NPS': 'shrunkNps',
  Change: 'change'
} as const;
