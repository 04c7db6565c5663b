// What the pages must show, computed by the calculation core (c/npsCore) straight from the local org's
// NPS_Response__c records — not from the snapshots the components read — so that a browser test compares
// the page with an independent path through the same formulas.

import {
  computeGroupResults,
  consecutivePeriodPoints,
  countScores,
  formatDay,
  formatNps,
  LocalDayResolver,
  localDayOfParsed,
  NpsAggregator,
  parseRespondedAt,
  resultsOverTime,
  summarizeGroup,
  type GroupResult,
  type GroupStatistics,
  type PeriodPoint
} from 'c/npsCore';
import type { LocalOrg } from '../../../local-org/index';

export interface OrgResponse {
  id: string;
  csmId: string | null;
  csmName: string | null;
  accountId: string | null;
  score: number;
  respondedAt: string;
  metric: string;
  comment: string | null;
  followedUp: boolean;
}

/** REST writes 2026-01-20T15:00:00.000+0000; the core reads ISO 8601 with a colon in the offset or Z. */
function isoInstant(text: string): string {
  return text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}

export function orgResponses(org: LocalOrg): OrgResponse[] {
  const rows = org.admin.query(
    'SELECT Id, CSM__c, CSM__r.Name, Account__c, Score__c, Responded_At__c, Metric__c, Comment__c, Followed_Up__c FROM NPS_Response__c'
  ).records as Record<string, unknown>[];
  return rows.map((r) => ({
    id: String(r.Id),
    csmId: (r.CSM__c as string | null) ?? null,
    csmName: ((r.CSM__r as { Name?: string } | null)?.Name as string | undefined) ?? null,
    accountId: (r.Account__c as string | null) ?? null,
    score: Number(r.Score__c),
    respondedAt: isoInstant(String(r.Responded_At__c)),
    metric: String(r.Metric__c),
    comment: (r.Comment__c as string | null) ?? null,
    followedUp: r.Followed_Up__c === true
  }));
}

export function orgTimeZone(org: LocalOrg): string {
  const [row] = org.admin.query('SELECT TimeZoneSidKey FROM Organization').records as {
    TimeZoneSidKey: string;
  }[];
  return row?.TimeZoneSidKey ?? 'UTC';
}

export function userTimeZone(org: LocalOrg, userId: string): string {
  const [row] = org.admin.query(`SELECT TimeZoneSidKey FROM User WHERE Id = '${userId}'`).records as {
    TimeZoneSidKey: string;
  }[];
  return row?.TimeZoneSidKey ?? 'UTC';
}

/** The local date (YYYY-MM-DD) of an answer in a time zone. */
export function localDate(respondedAt: string, resolver: LocalDayResolver): string {
  const parsed = parseRespondedAt(respondedAt);
  if (!parsed.ok) throw new Error(`unreadable time ${respondedAt}`);
  return formatDay(localDayOfParsed(parsed, resolver));
}

const UNASSIGNED = '\u0000unassigned';

/**
 * Quarterly results per CSM (by name; "Unassigned" for none) and, per quarter, the pooled team total: the
 * statistics NPS by CSM shows for a metric, in the org's time zone (the sync's periods).
 */
export function quarterlyByCsm(
  responses: readonly OrgResponse[],
  options: { timeZone: string; metric: string }
): { byCell: Map<string, GroupResult>; teamByPeriod: Map<string, GroupStatistics> } {
  const aggregator = new NpsAggregator({ type: 'quarter' });
  const resolver = new LocalDayResolver(options.timeZone);
  const names = new Map<string, string>();
  for (const r of responses) {
    if (r.metric !== options.metric) continue;
    const key = r.csmId ?? UNASSIGNED;
    names.set(key, r.csmName ?? 'Unassigned');
    const parsed = parseRespondedAt(r.respondedAt);
    if (!parsed.ok) throw new Error(`unreadable time ${r.respondedAt} on ${r.id}`);
    aggregator.add(key, r.metric, localDayOfParsed(parsed, resolver), r.score);
  }
  const byCell = new Map<string, GroupResult>();
  for (const result of computeGroupResults(aggregator)) {
    byCell.set(`${names.get(result.csm) ?? result.csm}|${result.period}`, result);
  }
  // The team row pools every answer of the period (every group of the matrix is shown).
  const pooled = new Map<string, number[]>();
  for (const r of responses) {
    if (r.metric !== options.metric) continue;
    const period = quarterLabel(localDate(r.respondedAt, resolver));
    const list = pooled.get(period) ?? [];
    list.push(r.score);
    pooled.set(period, list);
  }
  const teamByPeriod = new Map<string, GroupStatistics>();
  for (const [period, scores] of pooled) {
    const stats = summarizeGroup(countScores(scores));
    if (stats) teamByPeriod.set(period, stats);
  }
  return { byCell, teamByPeriod };
}

export function quarterLabel(isoDate: string): string {
  const month = Number(isoDate.slice(5, 7));
  return `${isoDate.slice(0, 4)}-Q${Math.ceil(month / 3)}`;
}

/** What an NPS cell says for a group (see npsCell: "NPS 26, interval 8 to 41, 31 responses"). */
export function cellSentence(stats: {
  nps: number;
  ciLow: number;
  ciHigh: number;
  responses: number;
}): string {
  return `NPS ${formatNps(stats.nps)}, interval ${formatNps(stats.ciLow)} to ${formatNps(stats.ciHigh)}, ${stats.responses} responses`;
}

/**
 * An account's NPS per quarter as Account NPS computes it (the viewer's time zone): every quarter from
 * the first answer to the current one, a quarter without answers as a point without NPS.
 */
export function accountQuarters(
  responses: readonly OrgResponse[],
  accountId: string,
  timeZone: string,
  metric: string
): PeriodPoint[] {
  const { results } = resultsOverTime(
    responses
      .filter((r) => r.accountId === accountId)
      .map((r) => ({ respondedAt: r.respondedAt, score: r.score, metric: r.metric })),
    { period: { type: 'quarter' }, timeZone, metric, groupName: accountId }
  );
  const today = formatDay(new LocalDayResolver(timeZone).dayOf(Date.now()));
  return consecutivePeriodPoints(results, { periodType: 'quarter', today });
}
