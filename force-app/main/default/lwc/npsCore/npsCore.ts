// c/npsCore — the one NPS calculation core of csm-nps, shared by the Lightning components and the Node
// scripts (CLI, sync). Pure functions and plain data: no DOM, no Node API, no network.

export { categoryOf, checkNumericScore, clip, isValidScore, NPS_POINTS, parseScore } from './classify';
export type { Category, ParsedScore } from './classify';
export {
  addScore,
  countScores,
  emptyCounts,
  mergeCounts,
  NpsAggregator,
  removeScore,
  responsesOf
} from './aggregate';
export type { AggregateState, GroupCounts, NpsCounts } from './aggregate';
export { normalCdf, normalQuantile, zForConfidence } from './normal';
export {
  adjustedStandardError,
  adjustedWaldInterval,
  changeBetween,
  DEFAULT_GOALS,
  goalStatusOf,
  meanScoreOf,
  npsOf,
  pooledShares,
  probabilityAboveFloor,
  probabilityImproved,
  shrunkNpsOf
} from './stats';
export type { Change, GoalSettings, GoalStatus, Interval, PriorShares } from './stats';
export { computeGroupResults, DEFAULT_SETTINGS, resolveSettings, summarizeGroup } from './results';
export type { GroupResult, GroupStatistics, StatisticsSettings } from './results';
export {
  assertTimeZone,
  civilFromDay,
  dayFromCivil,
  formatDay,
  isValidCivilDate,
  LocalDayResolver,
  localDayOfParsed,
  parseRespondedAt,
  parseRespondedAtCodes,
  PERIOD_TYPES,
  periodIndexOfDay,
  periodIndexOfLabel,
  periodIndexOfMonth,
  periodLabel,
  periodStart,
  periodStartDay,
  resolvePeriodOptions
} from './periods';
export type {
  CivilDate,
  FiscalYearName,
  ParsedInstant,
  PeriodOptions,
  PeriodType,
  ResolvedPeriodOptions
} from './periods';
export { attributeCsmAtResponseTime, OwnershipTimeline, UNASSIGNED } from './attribution';
export { instantOfLocalNoon } from './localInstant';
export type { Attribution, OwnershipChange } from './attribution';
export {
  describeChange,
  formatNps,
  formatProbability,
  formatSigned,
  GOAL_LABELS,
  GOAL_PICKLIST,
  marginOf,
  neutralizeSpreadsheetFormula
} from './format';
export { csvField, GROUP_CSV_COLUMNS, groupResultsToCsv, toCsv } from './csv';
export type { CsvValue, GroupCsvColumn } from './csv';
export { categoryShares, formatLabel, formatShare, NPS_BAND_LIMITS, npsBand } from './display';
export type { NpsBand } from './display';
export {
  consecutivePeriodPoints,
  consecutivePeriods,
  goalStatusFromPicklist,
  instantBoundsForLocalDates,
  localDateOf,
  nextPeriodStartDate,
  PERIOD_TYPE_PICKLIST,
  periodTypeFromPicklist,
  pooledResultsByPeriod,
  resultsOverTime
} from './series';
export type {
  ConsecutivePeriod,
  DatedScore,
  PeriodCounts,
  PeriodFigures,
  PeriodKey,
  PeriodPoint
} from './series';
