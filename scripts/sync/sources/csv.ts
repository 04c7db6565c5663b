// Source "csv": a file in the DESIGN.md CSV format loaded into NPS_Response__c (read with the same
// reader as `csm-nps report`). The csm column (name, email or Id) names the CSM as is; an empty csm with an
// Account Id in the account column is attributed from the ownership history like any other answer.

import { basename } from 'node:path';
import { instantOfLocalNoon, UNASSIGNED, type LocalDayResolver } from 'c/npsCore';
import { CsvFileError, readResponsesCsv, type CsvResponse } from '../../csv/responsesCsv';
import { METRICS } from '../config';
import { ConfigError } from '../errors';
import { fitComment, unstorableSourceId, unstorableTime } from '../limits';
import { idOf, text } from '../lookups';
import type { OrgApi } from '../orgApi';
import { isSalesforceId, soqlStringList } from '../soql';
import { newExtract, type Extract, type Metric } from './types';

export const CSV_SOURCE = 'CSV';

export function csvSourceId(file: string, responseId: string): string {
  return `csv:${basename(file)}:${responseId}`;
}

/** Resolves CSM names, emails and usernames to User Ids (few queries, 100 names each). */
async function resolveUsers(api: OrgApi, names: Set<string>): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const list = [...names];
  for (let i = 0; i < list.length; i += 100) {
    const chunk = soqlStringList(list.slice(i, i + 100));
    const rows = await api.queryRows(
      `SELECT Id, Name, Email, Username FROM User WHERE Name IN (${chunk}) OR Email IN (${chunk}) OR Username IN (${chunk})`
    );
    for (const row of rows) {
      const id = idOf(row, 'Id') as string;
      for (const key of [text(row, 'Name'), text(row, 'Email'), text(row, 'Username')]) {
        if (!key) continue;
        const lower = key.toLowerCase();
        const ids = found.get(lower) ?? [];
        if (!ids.includes(id)) ids.push(id);
        found.set(lower, ids);
      }
    }
  }
  return found;
}

export async function extractCsv(
  api: OrgApi,
  file: string,
  resolver: LocalDayResolver,
  onProgress: (read: number) => void,
  /** Why a time cannot be stored (the sync passes the org calendar's check: storableTimeCheck). */
  timeProblemOf: (epochMs: number) => string | null = unstorableTime,
  /** Where the path was given (`--csv`, or the config's `csv.file`), named when the file cannot be opened. */
  pathGivenIn = '--csv'
): Promise<Extract> {
  const extract = newExtract();
  const rows = new Map<string, CsvResponse>();
  try {
    await readResponsesCsv(
      file,
      {
        warn: (message) => extract.warnings.push(`${file}: ${message}`),
        reject: (row) => {
          extract.read++;
          extract.rejected.push({
            sourceId: `csv:${basename(file)}:line ${row.line}`,
            line: row.line,
            reason: row.reason
          });
        },
        row: (row) => {
          extract.read++;
          if (extract.read % 5000 === 0) onProgress(extract.read);
          if (row.responseId === null) {
            extract.rejected.push({
              sourceId: `csv:${basename(file)}:line ${row.line}`,
              line: row.line,
              reason: 'response_id is empty: the sync needs it to recognise the same answer on the next run'
            });
            return;
          }
          const before = rows.get(row.responseId);
          if (before)
            extract.warnings.push(
              `${file}: response_id "${row.responseId.slice(0, 60)}" is repeated: line ${row.line} replaces line ${before.line}`
            );
          rows.set(row.responseId, row);
        }
      },
      { pathGivenIn }
    );
  } catch (error) {
    if (error instanceof CsvFileError) throw new ConfigError(error.message);
    throw error;
  }
  onProgress(extract.read);

  const names = new Set<string>();
  for (const row of rows.values()) if (row.csm !== UNASSIGNED && !isSalesforceId(row.csm)) names.add(row.csm);
  const users = names.size > 0 ? await resolveUsers(api, names) : new Map<string, string[]>();

  for (const row of rows.values()) {
    const sourceId = csvSourceId(file, row.responseId as string);
    const reject = (reason: string) => {
      extract.rejected.push({ sourceId, line: row.line, reason });
      extract.rejectedSourceIds.push(sourceId);
    };
    const idProblem = unstorableSourceId(sourceId);
    if (idProblem) {
      // Never in the org (it cannot be): listed by its line only, and not looked up.
      extract.rejected.push({
        sourceId: `csv:${basename(file)}:line ${row.line}`,
        line: row.line,
        reason: `response_id: ${idProblem}`
      });
      continue;
    }
    const respondedAt =
      row.respondedAt.kind === 'instant'
        ? row.respondedAt.epochMs
        : instantOfLocalNoon(row.respondedAt.day, resolver);
    const timeProblem = timeProblemOf(respondedAt);
    if (timeProblem) {
      reject(`responded_at "${row.respondedAtText.slice(0, 40)}" ${timeProblem}`);
      continue;
    }
    if (!(METRICS as readonly string[]).includes(row.metric)) {
      reject(`metric "${row.metric.slice(0, 40)}" is not ${METRICS.map((m) => `"${m}"`).join(' or ')}`);
      continue;
    }
    let csmId: string | null | undefined;
    if (row.csm === UNASSIGNED) csmId = row.account && isSalesforceId(row.account) ? undefined : null;
    else if (isSalesforceId(row.csm)) csmId = row.csm;
    else {
      const ids = users.get(row.csm.toLowerCase()) ?? [];
      if (ids.length !== 1) {
        reject(
          ids.length === 0
            ? `csm "${row.csm.slice(0, 60)}" is not a user of the org (by name, email or username)`
            : `csm "${row.csm.slice(0, 60)}" names ${ids.length} users: use the email or the User Id`
        );
        continue;
      }
      csmId = ids[0];
    }
    extract.answers.add({
      sourceId,
      modstamp: null,
      score: row.score,
      respondedAt,
      accountId: row.account && isSalesforceId(row.account) ? row.account : null,
      contactId: null,
      comment: fitComment(
        row.comment,
        `${file}: line ${row.line} (response_id "${(row.responseId as string).slice(0, 40)}")`,
        extract.warnings
      ),
      metric: row.metric as Metric,
      ...(csmId === undefined ? {} : { csmId })
    });
  }
  extract.rejected.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return extract;
}
