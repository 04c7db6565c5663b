// The demo org: deterministic for a seed, shaped like a real Customer Success org, and telling the
// stories it is built for (improving and declining CSMs, reassignments in AccountHistory, answers
// near month boundaries in other time zones, traps for a careless sync).

import { createHash } from 'node:crypto';
import { startLocalOrg, type LocalOrg } from '../index';
import { SURVEY_TOOL_METADATA } from './helpers';

jest.setTimeout(120_000);

const NOW = new Date('2026-07-01T00:00:00Z');
let org: LocalOrg;

type Row = Record<string, unknown>;

function all(o: LocalOrg, soql: string): Row[] {
  return o.admin.query(soql).records;
}

function fingerprint(o: LocalOrg): string {
  const hash = createHash('sha256');
  for (const soql of [
    'SELECT Id, Name, OwnerId, CreatedDate, NumberOfEmployees FROM Account ORDER BY Id',
    'SELECT Id, AccountId, Field, DataType, OldValue, NewValue, CreatedDate FROM AccountHistory ORDER BY Id',
    'SELECT Id, NumberValue, ResponseValue, QuestionId, ResponseId, CreatedDate FROM SurveyQuestionResponse ORDER BY Id',
    'SELECT Id, Name, IsActive, ManagerId FROM User ORDER BY Id'
  ]) {
    hash.update(JSON.stringify(all(o, soql)));
  }
  return hash.digest('hex');
}

beforeAll(async () => {
  org = await startLocalOrg({ seed: 'demo-test', responses: 8000, now: NOW });
});

afterAll(async () => {
  await org?.close();
});

test('the same seed gives the same org; another seed another one', async () => {
  const twin = await startLocalOrg({ seed: 'demo-test', responses: 8000, now: NOW });
  const other = await startLocalOrg({ seed: 'another-seed', responses: 8000, now: NOW });
  try {
    expect(fingerprint(twin)).toBe(fingerprint(org));
    expect(fingerprint(other)).not.toBe(fingerprint(org));
  } finally {
    await twin.close();
    await other.close();
  }
});

test('a Customer Success team: ~25 CSMs under 4 managers and a VP, some gone', () => {
  const demo = org.demo;
  expect(demo).not.toBeNull();
  if (!demo) return;
  expect(demo.csms).toHaveLength(25);
  expect(demo.managerIds).toHaveLength(4);
  const users = all(org, 'SELECT Id, IsActive, ManagerId, Manager.ManagerId, UserRole.Name FROM User');
  const byId = new Map(users.map((u) => [u.Id as string, u]));
  for (const csm of demo.csms) {
    const user = byId.get(csm.id) as Row;
    expect(demo.managerIds).toContain(user.ManagerId);
    expect((user.Manager as Row).ManagerId).toBe(demo.vpId);
    expect(user.IsActive).toBe(csm.isActive);
  }
  const inactive = demo.csms.filter((c) => !c.isActive);
  expect(inactive.length).toBeGreaterThanOrEqual(1);
  expect(inactive.length).toBeLessThanOrEqual(8);
  expect(new Set(demo.csms.map((c) => c.pattern))).toEqual(
    new Set(['improving', 'declining', 'steady-high', 'steady', 'steady-low', 'noisy'])
  );
});

test('~1,500 accounts in three segments, some without a CSM, owned only by active users', () => {
  const demo = org.demo;
  if (!demo) throw new Error('no demo');
  const accounts = all(org, 'SELECT Id, OwnerId, Owner.IsActive, NumberOfEmployees FROM Account');
  expect(accounts).toHaveLength(1500);
  const unassigned = accounts.filter((a) => a.OwnerId === demo.integrationUserId);
  expect(unassigned.length).toBe(demo.unassignedAccounts);
  expect(unassigned.length).toBeGreaterThan(20);
  expect(accounts.every((a) => (a.Owner as Row).IsActive === true)).toBe(true);
  const segments = { enterprise: 0, mid: 0, smb: 0 };
  for (const a of accounts) {
    const n = a.NumberOfEmployees as number;
    if (n >= 1000) segments.enterprise++;
    else if (n >= 100) segments.mid++;
    else segments.smb++;
  }
  expect(segments.enterprise).toBeGreaterThan(100);
  expect(segments.smb).toBeGreaterThan(segments.mid);
});

test('owner changes are in AccountHistory as Salesforce writes them, and end at the current owner', () => {
  const rows = all(
    org,
    "SELECT AccountId, DataType, OldValue, NewValue, CreatedDate FROM AccountHistory WHERE Field = 'Owner' ORDER BY AccountId, CreatedDate, DataType"
  );
  const names = new Map(all(org, 'SELECT Id, Name FROM User').map((u) => [u.Id as string, u.Name as string]));
  const owners = new Map(
    all(org, 'SELECT Id, OwnerId FROM Account').map((a) => [a.Id as string, a.OwnerId as string])
  );
  const entity = rows.filter((r) => r.DataType === 'EntityId');
  const text = rows.filter((r) => r.DataType === 'Text');
  expect(entity.length).toBeGreaterThan(100);
  expect(text).toHaveLength(entity.length);
  entity.forEach((e, i) => {
    const t = text[i] as Row;
    expect([t.AccountId, t.CreatedDate]).toEqual([e.AccountId, e.CreatedDate]);
    expect(t.OldValue).toBe(names.get(e.OldValue as string));
    expect(t.NewValue).toBe(names.get(e.NewValue as string));
  });
  const last = new Map<string, string>();
  for (const e of entity) last.set(e.AccountId as string, e.NewValue as string);
  for (const [account, owner] of last) expect(owners.get(account)).toBe(owner);
  expect(
    org.admin.query("SELECT COUNT() FROM AccountHistory WHERE Field = 'created'").totalSize
  ).toBeGreaterThan(100);
});

test('Salesforce Surveys records: versions, question types, completed and started responses', () => {
  const demo = org.demo;
  if (!demo) throw new Error('no demo');
  const questions = all(
    org,
    'SELECT Id, DeveloperName, QuestionType, SurveyVersion.VersionNumber, SurveyVersion.Survey.DeveloperName FROM SurveyQuestion'
  );
  const company = questions.filter((q) => q.DeveloperName === demo.questions.companyNps);
  expect(company).toHaveLength(2);
  expect(new Set(company.map((q) => q.Id)).size).toBe(2);
  expect(company.every((q) => q.QuestionType === 'NPS')).toBe(true);
  const csm = questions.filter((q) => q.DeveloperName === demo.questions.csmNps);
  expect(csm.map((q) => (q.SurveyVersion as Row).VersionNumber)).toEqual([2]);
  expect(questions.find((q) => q.DeveloperName === demo.questions.supportRating)?.QuestionType).toBe(
    'Rating'
  );
  // `responses` counts exactly the NPS answers of completed relationship-survey responses.
  const answers = org.admin.query(
    "SELECT COUNT() FROM SurveyQuestionResponse WHERE Question.QuestionType = 'NPS' AND Response.Status = 'Completed' AND Question.SurveyVersion.Survey.DeveloperName = 'customer_relationship_survey'"
  ).totalSize;
  expect(answers).toBe(8000);
  expect(
    org.admin.query(
      "SELECT COUNT() FROM SurveyResponse WHERE Status = 'Completed' AND CompletionDateTime = null"
    ).totalSize
  ).toBe(0);
  const started = org.admin.query(
    "SELECT COUNT() FROM SurveyQuestionResponse WHERE Question.QuestionType = 'NPS' AND Response.Status = 'Started'"
  ).totalSize;
  expect(started).toBeGreaterThan(50);
  expect(
    org.admin.query(
      "SELECT COUNT() FROM SurveyResponse WHERE Status = 'Started' AND CompletionDateTime != null"
    ).totalSize
  ).toBe(0);
  const scores = all(
    org,
    "SELECT NumberValue, COUNT(Id) n FROM SurveyQuestionResponse WHERE Question.QuestionType = 'NPS' GROUP BY NumberValue ORDER BY NumberValue"
  );
  expect(scores.map((s) => s.NumberValue)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('invitations reach the account through the participant or a SurveySubject (sometimes only one)', () => {
  const invitations = org.admin.query('SELECT COUNT() FROM SurveyInvitation').totalSize;
  const withSubject = org.admin.query(
    "SELECT COUNT() FROM SurveyInvitation WHERE Id IN (SELECT ParentId FROM SurveySubject WHERE SubjectEntityType = 'Account')"
  ).totalSize;
  const anonymous = org.admin.query(
    'SELECT COUNT() FROM SurveyInvitation WHERE ParticipantId = null'
  ).totalSize;
  const unanswered = org.admin.query(
    "SELECT COUNT() FROM SurveyInvitation WHERE ResponseStatus = 'NotStarted'"
  ).totalSize;
  expect(withSubject).toBeLessThan(invitations);
  expect(withSubject / invitations).toBeGreaterThan(0.95);
  expect(anonymous).toBeGreaterThan(0);
  expect(unanswered).toBeGreaterThan(1000);
  const subject = all(org, 'SELECT Subject.Type, Parent.Type FROM SurveySubject LIMIT 1')[0] as Row;
  expect(subject).toMatchObject({
    Subject: expect.objectContaining({ Type: 'Account' }),
    Parent: expect.objectContaining({ Type: 'SurveyInvitation' })
  });
});

test('believable comments: praise from promoters, complaints from detractors, odd characters included', () => {
  const comments = all(
    org,
    "SELECT ResponseId, ResponseValue FROM SurveyQuestionResponse WHERE Question.QuestionType = 'FreeText' AND Response.Status = 'Completed' AND Response.Survey.DeveloperName = 'customer_relationship_survey'"
  );
  const scores = new Map(
    all(
      org,
      "SELECT ResponseId, NumberValue FROM SurveyQuestionResponse WHERE Question.DeveloperName = 'likely_to_recommend'"
    ).map((r) => [r.ResponseId as string, r.NumberValue as number])
  );
  expect(comments.length).toBeGreaterThan(1000);
  const texts = comments.map((c) => c.ResponseValue as string);
  expect(texts.some((t) => t.includes('\n'))).toBe(true);
  expect(texts.some((t) => /[^\x00-\x7f]/.test(t))).toBe(true);
  expect(texts.some((t) => t.includes('"'))).toBe(true);
  const complaint =
    /frustrat|problem|breaks|bugs|errors|degraded|nobody|price went up|promised|hard to reach/i;
  const praise = /fantastic|great|love|excellent|recommended|helpful|better|stable|useful|works/i;
  const share = (min: number, max: number, pattern: RegExp): number => {
    const own = comments.filter((c) => {
      const score = scores.get(c.ResponseId as string);
      return score !== undefined && score >= min && score <= max;
    });
    return own.filter((c) => pattern.test(c.ResponseValue as string)).length / own.length;
  };
  expect(share(0, 6, complaint)).toBeGreaterThan(0.6);
  expect(share(9, 10, praise)).toBeGreaterThan(0.6);
  expect(share(9, 10, complaint)).toBeLessThan(0.3);
});

test('answers near midnight fall in another month in New York than in UTC', () => {
  const rows = all(
    org,
    "SELECT Response.CompletionDateTime FROM SurveyQuestionResponse WHERE Question.DeveloperName = 'likely_to_recommend' AND Response.Status = 'Completed'"
  );
  const monthIn = (iso: string, tz: string): string =>
    new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit' }).format(
      new Date(iso)
    );
  const differs = rows.filter((r) => {
    const at = (r.Response as Row).CompletionDateTime as string;
    return monthIn(at, 'UTC') !== monthIn(at, 'America/New_York');
  });
  expect(differs.length).toBeGreaterThan(5);
});

test('improving CSMs improve and declining ones decline, credited to the owner at answer time', () => {
  const demo = org.demo;
  if (!demo) throw new Error('no demo');
  // Rebuild ownership from AccountHistory, the way DESIGN.md defines attribution.
  const history = new Map<string, { at: string; from: string; to: string }[]>();
  for (const h of all(
    org,
    "SELECT AccountId, OldValue, NewValue, CreatedDate FROM AccountHistory WHERE Field = 'Owner' AND DataType = 'EntityId' ORDER BY CreatedDate"
  )) {
    const list = history.get(h.AccountId as string) ?? [];
    list.push({ at: h.CreatedDate as string, from: h.OldValue as string, to: h.NewValue as string });
    history.set(h.AccountId as string, list);
  }
  const owners = new Map(
    all(org, 'SELECT Id, OwnerId FROM Account').map((a) => [a.Id as string, a.OwnerId as string])
  );
  const ownerAt = (account: string, at: string): string => {
    const changes = history.get(account) ?? [];
    if (changes.length === 0) return owners.get(account) as string;
    if ((changes[0] as { at: string }).at > at) return (changes[0] as { from: string }).from;
    return (changes.filter((c) => c.at <= at).at(-1) as { to: string }).to;
  };
  const subjects = new Map(
    all(org, "SELECT ParentId, SubjectId FROM SurveySubject WHERE SubjectEntityType = 'Account'").map((s) => [
      s.ParentId as string,
      s.SubjectId as string
    ])
  );
  const answers = all(
    org,
    "SELECT NumberValue, InvitationId, Response.CompletionDateTime FROM SurveyQuestionResponse WHERE Question.DeveloperName = 'likely_to_recommend' AND Response.Status = 'Completed'"
  );
  const pattern = new Map(demo.csms.map((c) => [c.id, c.pattern]));
  const firstYearEnd = new Date(Date.parse(demo.windowStart) + 365 * 86_400_000).toISOString();
  const lastYearStart = new Date(Date.parse(demo.windowEnd) - 365 * 86_400_000).toISOString();
  const tally: Record<string, { early: number[]; late: number[] }> = {};
  for (const a of answers) {
    const account = subjects.get(a.InvitationId as string);
    if (!account) continue;
    const at = (a.Response as Row).CompletionDateTime as string;
    const owner = ownerAt(account, at);
    const p = pattern.get(owner);
    if (!p) continue;
    const bucket = (tally[p] ??= { early: [], late: [] });
    if (at < firstYearEnd) bucket.early.push(a.NumberValue as number);
    if (at >= lastYearStart) bucket.late.push(a.NumberValue as number);
  }
  const nps = (scores: number[]): number =>
    (100 * (scores.filter((s) => s >= 9).length - scores.filter((s) => s <= 6).length)) / scores.length;
  const change = (p: string): number =>
    nps((tally[p] as { late: number[] }).late) - nps((tally[p] as { early: number[] }).early);
  expect(change('improving')).toBeGreaterThan(15);
  expect(change('declining')).toBeLessThan(-15);
  expect(
    nps([...(tally['steady-high']?.early ?? []), ...(tally['steady-high']?.late ?? [])])
  ).toBeGreaterThan(nps([...(tally['steady-low']?.early ?? []), ...(tally['steady-low']?.late ?? [])]) + 15);
});

test('a custom CSM lookup on Account is filled like the owner (empty without a CSM) and tracked in history', async () => {
  const withField = await startLocalOrg({
    seed: 'demo-test',
    responses: 2000,
    now: NOW,
    extraSourceDirs: [SURVEY_TOOL_METADATA]
  });
  try {
    const accounts = all(withField, 'SELECT OwnerId, CSM__c FROM Account');
    const integration = withField.demo?.integrationUserId;
    expect(
      accounts.every((a) => (a.OwnerId === integration ? a.CSM__c === null : a.CSM__c === a.OwnerId))
    ).toBe(true);
    const tracked = withField.admin.query(
      "SELECT COUNT() FROM AccountHistory WHERE Field = 'CSM__c' AND DataType = 'EntityId'"
    ).totalSize;
    const owner = withField.admin.query(
      "SELECT COUNT() FROM AccountHistory WHERE Field = 'Owner' AND DataType = 'EntityId'"
    ).totalSize;
    expect(tracked).toBe(owner);
  } finally {
    await withField.close();
  }
});
