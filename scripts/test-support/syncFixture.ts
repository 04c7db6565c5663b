// Test fixtures for the sync, shared by its tests (scripts/sync/__tests__) and the torture suite
// (scripts/torture): a local org (real HTTP, real jsforce), a small book of accounts built the same way
// every time (so two orgs built alike have the same Ids and can be compared field by field), `syncCli`,
// which runs `csm-nps sync` in-process and keeps everything it printed, `syncKilledAt`, which runs it in
// a child process and SIGKILLs it at a chosen API call, and a survey tool's custom object as SFDX source.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../cli/main';
import { startLocalOrg, type LocalOrg, type LocalOrgOptions } from '../local-org/index';
import { findProjectRoot } from '../metadata/paths';

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

/** Runs any `csm-nps` command in-process (no org: `report`, `init`), keeping what it printed. */
export async function csmNps(args: string[]): Promise<Omit<CliResult, 'json'>> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    isTTY: false,
    columns: 200,
    env: { PATH: process.env.PATH, HOME: process.env.HOME }
  });
  const result = { code, stdout: out.join(''), stderr: err.join('') };
  capturedOutput.push(result.stdout, result.stderr);
  return result;
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
const configDir = mkdtempSync(path.join(tmpdir(), 'csm-nps-sync-test-'));
export const NO_CONFIG = path.join(configDir, 'defaults.json');
writeFileSync(NO_CONFIG, '{}\n');

export function writeConfig(config: unknown): string {
  const file = path.join(configDir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** A file in a new temporary folder (text, or bytes such as invalid UTF-8). */
export function tempFile(name: string, content: string | Uint8Array): string {
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
 * `count` survey submissions drawn from `random` (the same draws give the same records and Ids in two
 * orgs built alike): the four accounts of the small book plus one without a CSM (owned by the sync's
 * user), June 2025 to May 2026 in New York local time with month ends and DST changes among them, every
 * score 0–10, the CSM question answered about 60% of the time, some comments, a few not completed.
 */
export function addSeededAnswers(book: SmallBook, random: () => number, count: number): void {
  const { admin } = book.org;
  const [orphan] = admin.insert('Account', [{ Name: 'Orphan (no CSM)' }]) as [string];
  const accounts: [string, string | null][] = [
    [book.accounts.acme, book.contacts.acme],
    [book.accounts.beta, book.contacts.beta],
    [book.accounts.gamma, book.contacts.gamma],
    [book.accounts.delta, book.contacts.delta],
    [orphan, null]
  ];
  const from = Date.parse('2025-06-01T00:00:00Z');
  const to = Date.parse('2026-05-25T00:00:00Z');
  // Instants where the local month, quarter or the UTC offset changes in New York.
  const edges = [
    '2026-03-01T04:30:00Z',
    '2026-03-08T06:59:00Z',
    '2026-03-08T07:01:00Z',
    '2025-11-02T05:30:00Z',
    '2026-02-01T04:59:59Z',
    '2026-01-01T05:00:00Z'
  ];
  const comments = [
    'Great onboarding',
    'Slow answers, "again"',
    'Très bien, merci',
    '<b>bold</b> claim',
    '=SUM(A1:A9)',
    'OK'
  ];
  for (let i = 0; i < count; i++) {
    const [accountId, contactId] = accounts[Math.floor(random() * accounts.length)] as [
      string,
      string | null
    ];
    const at =
      random() < 0.1
        ? (edges[Math.floor(random() * edges.length)] as string)
        : new Date(from + Math.floor(random() * ((to - from) / 60_000)) * 60_000).toISOString();
    admin.addSurveyResponse({
      accountId,
      contactId,
      completedAt: at,
      score: Math.floor(random() * 11),
      csmScore: random() < 0.6 ? Math.floor(random() * 11) : null,
      comment: random() < 0.3 ? (comments[Math.floor(random() * comments.length)] as string) : null,
      status: random() < 0.03 ? 'Started' : 'Completed'
    });
  }
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

/** The first difference between two orgs' NPS_Response__c and NPS_Snapshot__c, or null when they are the same. */
export function orgDifference(actual: LocalOrg, expected: LocalOrg): string | null {
  const a = orgContents(actual);
  const e = orgContents(expected);
  for (const [kind, left, right] of [
    ['NPS_Response__c', a.responses, e.responses],
    ['NPS_Snapshot__c', a.snapshots, e.snapshots]
  ] as const) {
    for (const [key, want] of right) {
      const got = left.get(key);
      if (!got) return `${kind} ${key} is missing`;
      for (const field of new Set([...Object.keys(want), ...Object.keys(got)])) {
        if (JSON.stringify(got[field]) !== JSON.stringify(want[field]))
          return `${kind} ${key}.${field} is ${JSON.stringify(got[field])}, expected ${JSON.stringify(want[field])}`;
      }
    }
    for (const key of left.keys()) if (!right.has(key)) return `${kind} ${key} should not exist`;
  }
  return null;
}

/** Both orgs hold the same NPS_Response__c and NPS_Snapshot__c, field by field (system fields aside). */
export function expectSameOrg(actual: LocalOrg, expected: LocalOrg): void {
  const a = orgContents(actual);
  const e = orgContents(expected);
  expect(sortedEntries(a.responses)).toEqual(sortedEntries(e.responses));
  expect(sortedEntries(a.snapshots)).toEqual(sortedEntries(e.snapshots));
}

const projectRoot = findProjectRoot();
const cliEntry = path.join(projectRoot, 'scripts', 'test-support', 'cliEntry.ts');

export interface KilledRun {
  /** Whether the child was still running when the kill came (a run that ended first was not killed). */
  killed: boolean;
  stdout: string;
  stderr: string;
}

export interface KillOptions {
  /** Arguments after `sync` (default `--json`; the defaults config is added when none is given). */
  args?: string[];
  /**
   * Hold the chosen call in the org (a delay) and kill while it waits: the org never handles it. Without,
   * the kill comes as soon as the org has counted the call, usually after it handled it.
   */
  hold?: boolean;
  env?: Record<string, string>;
}

/**
 * Starts `csm-nps sync` in a child process and SIGKILLs it when the org has counted `calls` API calls
 * (from the settings reads to the watermark). What the child printed is kept (and captured).
 */
export async function syncKilledAt(
  org: LocalOrg,
  calls: number,
  options: KillOptions = {}
): Promise<KilledRun> {
  const start = org.admin.apiRequests();
  const args = options.args ?? ['--json'];
  const holdId = options.hold
    ? org.admin.addFault({ type: 'delay', path: '/services/data/', nth: calls, ms: 60_000 })
    : null;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      cliEntry,
      'sync',
      ...args,
      ...(args.includes('--config') ? [] : ['--config', NO_CONFIG])
    ],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        ...passwordEnv(org),
        CSM_NPS_BULK_POLL_MS: '5',
        CSM_NPS_RETRY_BASE_MS: '5',
        ...options.env
      },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  let killed = false;
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const watch = setInterval(() => {
    if (!killed && child.exitCode === null && org.admin.apiRequests() - start >= calls) {
      killed = child.kill('SIGKILL');
    }
  }, 1);
  await exited;
  clearInterval(watch);
  if (holdId) org.admin.removeFault(holdId);
  const stdout = Buffer.concat(out).toString('utf8');
  const stderr = Buffer.concat(err).toString('utf8');
  capturedOutput.push(stdout, stderr);
  return { killed, stdout, stderr };
}

/**
 * A survey tool's answers object (as Qualtrics or Delighted connectors create), as SFDX source for
 * `startLocalOrg({ extraSourceDirs })`: typed fields (Number score, DateTime and Date), and Text ones
 * that hold whatever the tool wrote (`Score_Text__c`, `Answered_Text__c`, a non-unique `Answer_Key__c`).
 */
export function surveyToolMetadata(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'survey-tool-'));
  const dir = path.join(root, 'objects', 'Survey_Answer__c');
  mkdirSync(path.join(dir, 'fields'), { recursive: true });
  const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
  writeFileSync(
    path.join(dir, 'Survey_Answer__c.object-meta.xml'),
    `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${ns}><deploymentStatus>Deployed</deploymentStatus><label>Survey Answer</label><pluralLabel>Survey Answers</pluralLabel><nameField><label>Answer Name</label><type>Text</type></nameField><sharingModel>ReadWrite</sharingModel></CustomObject>`
  );
  const field = (name: string, body: string) =>
    writeFileSync(
      path.join(dir, 'fields', `${name}.field-meta.xml`),
      `<?xml version="1.0" encoding="UTF-8"?><CustomField ${ns}><fullName>${name}</fullName><label>${name}</label>${body}</CustomField>`
    );
  field(
    'External_Id__c',
    '<type>Text</type><length>80</length><externalId>true</externalId><unique>true</unique>'
  );
  field('Score__c', '<type>Number</type><precision>4</precision><scale>1</scale>');
  field('Answered_At__c', '<type>DateTime</type>');
  field('Answered_On__c', '<type>Date</type>');
  field(
    'Account__c',
    '<type>Lookup</type><referenceTo>Account</referenceTo><relationshipName>Survey_Answers</relationshipName><deleteConstraint>SetNull</deleteConstraint>'
  );
  field(
    'Contact__c',
    '<type>Lookup</type><referenceTo>Contact</referenceTo><relationshipName>Survey_Answers</relationshipName><deleteConstraint>SetNull</deleteConstraint>'
  );
  field('Verbatim__c', '<type>LongTextArea</type><length>131072</length><visibleLines>3</visibleLines>');
  field('Question__c', '<type>Text</type><length>80</length>');
  field('Score_Text__c', '<type>Text</type><length>255</length>');
  field('Answered_Text__c', '<type>Text</type><length>255</length>');
  field('Answer_Key__c', '<type>Text</type><length>255</length>');
  return root;
}
