// Test fixtures for the sync: a local org (real HTTP, real jsforce), a small book of accounts built the
// same way every time (so two orgs built alike have the same Ids and can be compared field by field),
// and `syncCli`, which runs `csm-nps sync` in-process and keeps everything it printed.

import { run } from '../../../cli/main';
import { startLocalOrg, type LocalOrg, type LocalOrgOptions } from '../../../local-org/index';

/** Everything any test printed, to prove that no token or password ever appears in it. */
export const capturedOutput: string[] = [];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> & {
    apiCalls: number;
    failed: { sourceId: string; error: string }[];
    rejected: { sourceId: string; line?: number; reason: string }[];
  };
}

export function passwordEnv(org: LocalOrg): Record<string, string> {
  return { SF_LOGIN_URL: org.loginUrl, SF_USERNAME: org.username, SF_PASSWORD: org.password };
}

/** Runs `csm-nps <args>` in-process against the org (password login unless `env` says otherwise). */
export async function syncCli(
  org: LocalOrg,
  args: string[],
  env: Record<string, string | undefined> = passwordEnv(org)
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    isTTY: false,
    columns: 200,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CSM_NPS_RETRY_BASE_MS: '5',
      CSM_NPS_BULK_POLL_MS: '5',
      ...env
    }
  };
  const withConfig =
    args.includes('--config') || args[0] !== 'sync' ? args : [...args, '--config', NO_CONFIG];
  const code = await run(withConfig, io);
  const stdout = out.join('');
  const stderr = err.join('');
  capturedOutput.push(stdout, stderr);
  let json = {} as CliResult['json'];
  if (args.includes('--json')) {
    const line = stdout.trim().split('\n').pop() ?? '{}';
    json = JSON.parse(line) as CliResult['json'];
  }
  return { code, stdout, stderr, json };
}

/** A config file path that does not exist is an error; tests that want defaults point at this empty one. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
const configDir = mkdtempSync(path.join(tmpdir(), 'csm-nps-sync-test-'));
export const NO_CONFIG = path.join(configDir, 'defaults.json');
writeFileSync(NO_CONFIG, '{}\n');

export function writeConfig(config: unknown): string {
  const file = path.join(configDir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

export function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-file-'));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

export interface SmallBook {
  org: LocalOrg;
  csms: { ada: string; ben: string; cleo: string; gone: string };
  accounts: { acme: string; beta: string; gamma: string; delta: string };
  contacts: { acme: string; beta: string; gamma: string; delta: string };
}

const AT = (iso: string) => new Date(iso);

/**
 * Four CSMs (one inactive), four accounts, Acme reassigned from Ada to Ben on 2026-02-15. The org runs
 * in America/New_York with a fiscal year starting in February (the local org's defaults).
 */
export async function smallBook(options: LocalOrgOptions = {}): Promise<SmallBook> {
  const org = await startLocalOrg({ seed: null, now: AT('2026-06-01T00:00:00Z'), ...options });
  const { admin } = org;
  const profileId = (admin.query("SELECT Id FROM Profile WHERE Name = 'Standard User'").records[0] ??
    admin.query('SELECT Id FROM Profile LIMIT 1').records[0]) as { Id: string };
  admin.setClock(AT('2025-01-01T12:00:00Z'));
  const user = (first: string, last: string) => ({
    FirstName: first,
    LastName: last,
    Username: `${first.toLowerCase()}@csm-nps.test`,
    Email: `${first.toLowerCase()}@csm-nps.test`,
    Alias: first.slice(0, 8).toLowerCase(),
    TimeZoneSidKey: 'America/New_York',
    LocaleSidKey: 'en_US',
    LanguageLocaleKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    ProfileId: profileId.Id
  });
  const [ada, ben, cleo, gone] = admin.insert('User', [
    user('Ada', 'Lovelace'),
    user('Ben', 'Okafor'),
    user('Cleo', 'Park'),
    user('Gone', 'Away')
  ]) as [string, string, string, string];
  const [acme, beta, gamma, delta] = admin.insert('Account', [
    { Name: 'Acme', OwnerId: ada },
    { Name: 'Beta', OwnerId: ben },
    { Name: 'Gamma', OwnerId: cleo },
    { Name: 'Delta', OwnerId: gone }
  ]) as [string, string, string, string];
  const [cAcme, cBeta, cGamma, cDelta] = admin.insert('Contact', [
    { LastName: 'Acme Buyer', AccountId: acme },
    { LastName: 'Beta Buyer', AccountId: beta },
    { LastName: 'Gamma Buyer', AccountId: gamma },
    { LastName: 'Delta Buyer', AccountId: delta }
  ]) as [string, string, string, string];
  // Gone left the company: deactivated after the accounts were set up (Salesforce refuses an inactive owner).
  admin.update('User', [{ Id: gone, IsActive: false }]);
  admin.setClock(null);
  admin.reassignAccount(acme, ben, AT('2026-02-15T12:00:00Z'));
  return {
    org,
    csms: { ada, ben, cleo, gone },
    accounts: { acme, beta, gamma, delta },
    contacts: { acme: cAcme, beta: cBeta, gamma: cGamma, delta: cDelta }
  };
}

/** A few answers over January–March 2026, some on both questions. Returns the company answer Ids by name. */
export function addAnswers(book: SmallBook): Record<string, string> {
  const { admin } = book.org;
  const ids: Record<string, string> = {};
  const add = (
    name: string,
    account: keyof SmallBook['accounts'],
    completedAt: string,
    score: number,
    csmScore: number | null = null
  ) => {
    const r = admin.addSurveyResponse({
      accountId: book.accounts[account],
      contactId: book.contacts[account],
      completedAt,
      score,
      csmScore
    });
    ids[name] = r.companyAnswerId as string;
    if (r.csmAnswerId) ids[`${name}:csm`] = r.csmAnswerId;
  };
  add('acme-jan', 'acme', '2026-01-20T15:00:00Z', 9, 10); // Ada's (before the reassignment)
  add('acme-feb-early', 'acme', '2026-02-10T15:00:00Z', 6); // Ada's
  add('acme-feb-late', 'acme', '2026-02-20T15:00:00Z', 10, 9); // Ben's (after)
  add('beta-jan', 'beta', '2026-01-05T15:00:00Z', 8);
  add('beta-mar', 'beta', '2026-03-03T15:00:00Z', 3);
  add('gamma-mar', 'gamma', '2026-03-15T15:00:00Z', 10);
  add('delta-feb', 'delta', '2026-02-02T15:00:00Z', 7); // inactive CSM
  return ids;
}

/**
 * The local org stamps an answer added by the admin hook with its completion time (SystemModstamp in
 * the past); a real org stamps the write. Touching the answers gives them today's SystemModstamp.
 */
export function touchAnswers(org: LocalOrg, ids: (string | null)[]): void {
  const present = ids.filter((id): id is string => id !== null);
  if (present.length > 0)
    org.admin.update(
      'SurveyQuestionResponse',
      present.map((Id) => ({ Id }))
    );
}

export type OrgRows = Map<string, Record<string, unknown>>;

const VOLATILE = new Set([
  'Id',
  'attributes',
  'CreatedDate',
  'LastModifiedDate',
  'SystemModstamp',
  'CreatedById',
  'LastModifiedById',
  'Name',
  'IsDeleted'
]);

function stripVolatile(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !VOLATILE.has(k)));
}

/** Every NPS_Response__c (by Source_Id__c) and NPS_Snapshot__c (by Key__c), all fields but system ones. */
export function orgContents(org: LocalOrg): { responses: OrgRows; snapshots: OrgRows } {
  const responses = new Map<string, Record<string, unknown>>();
  for (const r of org.admin.query(
    'SELECT Id, Source_Id__c, Source__c, Account__c, Contact__c, CSM__c, Score__c, Responded_At__c, Metric__c, Comment__c, Followed_Up__c, Category__c, NPS_Points__c, OwnerId FROM NPS_Response__c'
  ).records as Record<string, unknown>[]) {
    responses.set(String(r.Source_Id__c), stripVolatile(r));
  }
  const snapshots = new Map<string, Record<string, unknown>>();
  for (const r of org.admin.query(
    'SELECT Id, Key__c, OwnerId, CSM__c, Metric__c, Period_Type__c, Period_Label__c, Period_Start__c, Responses__c, Promoters__c, Passives__c, Detractors__c, NPS__c, CI_Low__c, CI_High__c, Mean_Score__c, Shrunk_NPS__c, Change__c, Change_Significant__c, Goal_Status__c, Probability_Above_Floor__c, Probability_Improved__c FROM NPS_Snapshot__c'
  ).records as Record<string, unknown>[]) {
    snapshots.set(String(r.Key__c), stripVolatile(r));
  }
  return { responses, snapshots };
}

export function sortedEntries(rows: OrgRows): [string, Record<string, unknown>][] {
  return [...rows.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
