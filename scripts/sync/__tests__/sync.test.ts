// `csm-nps sync` end to end against the local org with the real jsforce client: first sync, a second
// one with no change, new answers, an account reassigned between two answers, the org's time zone and a
// fiscal year starting in February, a deleted source record, and --dry-run.

import type { LocalOrg } from '../../local-org/index';
import {
  addAnswers,
  capturedOutput,
  orgContents,
  smallBook,
  sortedEntries,
  syncCli,
  touchAnswers,
  type SmallBook
} from '../../test-support/syncFixture';

jest.setTimeout(60_000);

describe('csm-nps sync (Salesforce Surveys → NPS_Response__c and NPS_Snapshot__c)', () => {
  let book: SmallBook;
  let org: LocalOrg;
  let answers: Record<string, string>;

  beforeAll(async () => {
    book = await smallBook();
    org = book.org;
    answers = addAnswers(book);
  });
  afterAll(async () => {
    await org?.close();
  });

  const responses = () => orgContents(org).responses;
  const snapshots = () => orgContents(org).snapshots;

  it('first sync: one response per answer, each credited to the CSM of its moment', async () => {
    const before = org.admin.apiRequests();
    const result = await syncCli(org, ['sync', '--json']);
    expect(result.code).toBe(0);
    expect(Object.keys(result.json).slice(0, 8)).toEqual([
      'apiCalls',
      'responsesRead',
      'responsesUpserted',
      'snapshotsUpserted',
      'snapshotsDeleted',
      'attributionFallbacks',
      'rejected',
      'failed'
    ]);
    // The counter the sync prints is the one the org keeps (every call, retries included).
    expect(result.json.apiCalls).toBe(org.admin.apiRequests() - before);
    expect(result.json.responsesRead).toBe(9); // 7 company answers + 2 CSM answers
    expect(result.json.responsesUpserted).toBe(9);
    expect(result.json.attributionFallbacks).toBe(0);

    const rows = responses();
    expect(rows.size).toBe(9);
    const { ada, ben, cleo, gone } = book.csms;
    const csmOf = (name: string) => rows.get(answers[name] as string)?.CSM__c;
    expect(csmOf('acme-jan')).toBe(ada);
    expect(csmOf('acme-feb-early')).toBe(ada); // 2026-02-10, before Acme moved to Ben on 2026-02-15
    expect(csmOf('acme-feb-late')).toBe(ben);
    expect(csmOf('acme-jan:csm')).toBe(ada);
    expect(csmOf('gamma-mar')).toBe(cleo);
    expect(csmOf('delta-feb')).toBe(gone);
    const lateAnswer = rows.get(answers['acme-feb-late'] as string) as Record<string, unknown>;
    expect(lateAnswer).toMatchObject({
      Score__c: 10,
      Metric__c: 'Company NPS',
      Source__c: 'Salesforce Surveys',
      Account__c: book.accounts.acme,
      Contact__c: book.contacts.acme
    });
    expect(rows.get(answers['acme-feb-late:csm'] as string)).toMatchObject({
      Score__c: 9,
      Metric__c: 'CSM NPS'
    });
    // Owned by the CSM while active (Private sharing: CSMs see and follow up their own answers).
    expect(lateAnswer.OwnerId).toBe(ben);
    expect(rows.get(answers['acme-jan'] as string)?.OwnerId).toBe(ada);
    expect(rows.get(answers['delta-feb'] as string)?.OwnerId).toBe(org.userId);
  });

  it('first sync: snapshots per CSM × metric × Month, Quarter and Fiscal Quarter, owned by the CSM while active', () => {
    const rows = snapshots();
    const { ada, ben, gone } = book.csms;
    const adaFeb = rows.get(`${ada}|Company NPS|Month|2026-02`);
    expect(adaFeb).toMatchObject({
      Responses__c: 1,
      Detractors__c: 1,
      NPS__c: -100,
      CSM__c: ada,
      OwnerId: ada,
      Period_Start__c: '2026-02-01',
      Goal_Status__c: 'Insufficient Data'
    });
    const adaJan = rows.get(`${ada}|Company NPS|Month|2026-01`);
    expect(adaJan).toMatchObject({ Responses__c: 1, Promoters__c: 1, NPS__c: 100 });
    // Change vs January: −100 − 100.
    expect(adaFeb?.Change__c).toBe(-200);
    expect(rows.get(`${ben}|Company NPS|Quarter|2026-Q1`)).toMatchObject({
      Responses__c: 3,
      Promoters__c: 1,
      Passives__c: 1,
      Detractors__c: 1,
      NPS__c: 0
    });
    // Fiscal year from February, named by its end: February–April 2026 is FY2027-Q1, January 2026 is FY2026-Q4.
    expect(rows.get(`${ben}|Company NPS|Fiscal Quarter|FY2027-Q1`)).toMatchObject({
      Responses__c: 2,
      Period_Start__c: '2026-02-01'
    });
    expect(rows.get(`${ben}|Company NPS|Fiscal Quarter|FY2026-Q4`)).toMatchObject({
      Responses__c: 1,
      Period_Start__c: '2025-11-01'
    });
    // An inactive CSM keeps the snapshot (CSM__c) but does not own it.
    const goneFeb = rows.get(`${gone}|Company NPS|Month|2026-02`) as Record<string, unknown>;
    expect(goneFeb.CSM__c).toBe(gone);
    expect(goneFeb.OwnerId).toBe(org.userId);
    expect(rows.get(`${ada}|CSM NPS|Month|2026-01`)).toMatchObject({ Responses__c: 1, NPS__c: 100 });
    // Every key has the contract's shape.
    for (const key of rows.keys())
      expect(key).toMatch(
        /^(005\w{15}|UNASSIGNED)\|(Company NPS|CSM NPS)\|(Month|Quarter|Fiscal Quarter)\|(\d{4}-\d{2}|\d{4}-Q[1-4]|FY\d{4}-Q[1-4])$/
      );
  });

  it('a second sync with no change writes nothing and makes at most 5 API calls', async () => {
    const before = orgContents(org);
    const modstamps = org.admin.query(
      'SELECT SystemModstamp FROM NPS_Snapshot__c ORDER BY SystemModstamp DESC LIMIT 1'
    ).records;
    const result = await syncCli(org, ['sync', '--json']);
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({
      responsesRead: 0,
      responsesUpserted: 0,
      snapshotsUpserted: 0,
      snapshotsDeleted: 0
    });
    expect(result.json.apiCalls).toBeLessThanOrEqual(5);
    expect(
      org.admin.query('SELECT SystemModstamp FROM NPS_Snapshot__c ORDER BY SystemModstamp DESC LIMIT 1')
        .records
    ).toEqual(modstamps);
    const after = orgContents(org);
    expect(sortedEntries(after.responses)).toEqual(sortedEntries(before.responses));
    expect(sortedEntries(after.snapshots)).toEqual(sortedEntries(before.snapshots));
  });

  it('new answers: only their responses and the snapshots of their periods are written', async () => {
    const added = org.admin.addSurveyResponse({
      accountId: book.accounts.gamma,
      contactId: book.contacts.gamma,
      completedAt: '2026-03-20T15:00:00Z',
      score: 4
    });
    const result = await syncCli(org, ['sync', '--json']);
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({ responsesRead: 1, responsesUpserted: 1, snapshotsDeleted: 0 });
    const { cleo } = book.csms;
    expect(responses().get(added.companyAnswerId as string)?.CSM__c).toBe(cleo);
    expect(snapshots().get(`${cleo}|Company NPS|Month|2026-03`)).toMatchObject({
      Responses__c: 2,
      Promoters__c: 1,
      Detractors__c: 1,
      NPS__c: 0
    });
    // March's month, Q1 and FY2027-Q1 of every CSM (shrinkage pools the period), and the periods after:
    // a handful of snapshots, not all of them.
    expect(result.json.snapshotsUpserted as number).toBeGreaterThanOrEqual(3);
    expect(result.json.snapshotsUpserted as number).toBeLessThan(snapshots().size);
    expect(result.json.apiCalls).toBeLessThanOrEqual(15);
  });

  it("the org's time zone decides the month: 22:00 on 31 January in New York is January, FY2026-Q4", async () => {
    // Answered on 31 January (New York), recorded after the last sync.
    const late = org.admin.addSurveyResponse({
      accountId: book.accounts.beta,
      contactId: book.contacts.beta,
      completedAt: '2026-02-01T03:00:00Z',
      score: 10
    });
    touchAnswers(org, [late.companyAnswerId]);
    const result = await syncCli(org, ['sync', '--json']);
    expect(result.code).toBe(0);
    const { ben } = book.csms;
    expect(responses().get(late.companyAnswerId as string)?.Responded_At__c).toBe(
      '2026-02-01T03:00:00.000+0000'
    );
    const rows = snapshots();
    // Ben in January: beta-jan (8) and this one (10).
    expect(rows.get(`${ben}|Company NPS|Month|2026-01`)).toMatchObject({
      Responses__c: 2,
      Promoters__c: 1,
      Passives__c: 1
    });
    expect(rows.get(`${ben}|Company NPS|Fiscal Quarter|FY2026-Q4`)).toMatchObject({ Responses__c: 2 });
    expect(rows.get(`${ben}|Company NPS|Quarter|2026-Q1`)).toMatchObject({ Responses__c: 4 });
  });

  it('a deleted source record: its response goes, and a group left empty loses its snapshots', async () => {
    const { cleo } = book.csms;
    // Gamma had two March answers (10 and 4); delete the whole survey response of the 10.
    const [response] = org.admin.query(
      `SELECT ResponseId FROM SurveyQuestionResponse WHERE Id = '${answers['gamma-mar']}'`
    ).records as { ResponseId: string }[];
    org.admin.delete('SurveyResponse', [(response as { ResponseId: string }).ResponseId]);
    let result = await syncCli(org, ['sync', '--json']);
    expect(result.code).toBe(0);
    expect(result.json.responsesDeleted).toBe(1);
    expect(responses().has(answers['gamma-mar'] as string)).toBe(false);
    expect(snapshots().get(`${cleo}|Company NPS|Month|2026-03`)).toMatchObject({
      Responses__c: 1,
      Detractors__c: 1,
      NPS__c: -100
    });
    // Now the other one: Cleo has no answer left at all.
    const [other] = org.admin.query(
      `SELECT Id, ResponseId FROM SurveyQuestionResponse WHERE Response.CompletionDateTime = 2026-03-20T15:00:00Z`
    ).records as { ResponseId: string }[];
    org.admin.delete('SurveyResponse', [(other as { ResponseId: string }).ResponseId]);
    result = await syncCli(org, ['sync', '--json']);
    expect(result.code).toBe(0);
    const left = [...snapshots().keys()].filter((k) => k.startsWith(cleo));
    expect(left).toEqual([]);
    expect(result.json.snapshotsDeleted).toBe(3); // Month 2026-03, Quarter 2026-Q1, Fiscal Quarter FY2027-Q1
  });

  it('--dry-run computes and reports what would change, and writes nothing', async () => {
    const april = org.admin.addSurveyResponse({
      accountId: book.accounts.beta,
      contactId: book.contacts.beta,
      completedAt: '2026-04-02T15:00:00Z',
      score: 9
    });
    touchAnswers(org, [april.companyAnswerId]);
    const before = orgContents(org);
    const state = org.admin.query('SELECT Watermark__c, Last_Run_Summary__c FROM NPS_Sync_State__c').records;
    const result = await syncCli(org, ['sync', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Dry run (nothing written)');
    expect(result.stdout).toMatch(/responses\s+1 would be upserted/);
    // The progress lines on stderr say the same: nothing "upserted" on a dry run.
    expect(result.stderr).toMatch(/1 would be upserted, 0 would be deleted/);
    expect(result.stderr).not.toMatch(/\d upserted/);
    expect(result.stdout).toContain('2026-04'); // the table shows the would-be April column
    expect(
      org.admin.query('SELECT Watermark__c, Last_Run_Summary__c FROM NPS_Sync_State__c').records
    ).toEqual(state);
    const after = orgContents(org);
    expect(sortedEntries(after.responses)).toEqual(sortedEntries(before.responses));
    expect(sortedEntries(after.snapshots)).toEqual(sortedEntries(before.snapshots));
    // The real run writes what the dry run announced.
    const real = await syncCli(org, ['sync', '--json']);
    expect(real.json.responsesUpserted).toBe(1);
  });

  it('prints the NPS-by-CSM table and a summary, and keeps the watermark in the org', async () => {
    const result = await syncCli(org, ['sync']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Company NPS — NPS by CSM');
    expect(result.stdout).toContain('Ben Okafor');
    expect(result.stdout).toMatch(
      /Synced: Salesforce Surveys → NPS_Response__c and NPS_Snapshot__c in [\d.]+ s with \d+ API calls/
    );
    const [state] = org.admin.query(
      "SELECT Watermark__c, Last_Run_Summary__c FROM NPS_Sync_State__c WHERE Key__c = 'Salesforce Surveys'"
    ).records as { Watermark__c: string; Last_Run_Summary__c: string }[];
    expect(state?.Watermark__c).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(JSON.parse(state?.Last_Run_Summary__c as string)).toMatchObject({
      status: 'completed',
      pendingMonths: []
    });
  });

  it('a change of settings (NPS_Setting__mdt) or of the fiscal year recomputes every snapshot, and drops periods that no longer exist', async () => {
    const { ben } = book.csms;
    expect((await syncCli(org, ['sync', '--json'])).code).toBe(0); // whatever ran before, a synced org
    const [setting] = org.admin.query("SELECT Id FROM NPS_Setting__mdt WHERE DeveloperName = 'Default'")
      .records as { Id: string }[];
    org.admin.update('NPS_Setting__mdt', [
      { Id: (setting as { Id: string }).Id, NPS_Floor__c: -100, Min_Responses__c: 1 }
    ]);
    let result = await syncCli(org, ['sync', '--json']);
    expect([result.code, result.json.failed]).toEqual([0, []]);
    expect((result.json.warnings as string[]).join(' ')).toContain('every snapshot is recomputed');
    const rows = snapshots();
    expect([...rows.values()].every((r) => r.Goal_Status__c === 'Met' || r.NPS__c === -100)).toBe(true);
    expect(rows.get(`${ben}|Company NPS|Month|2026-01`)?.Goal_Status__c).toBe('Met');
    // The fiscal year now starts in January: FY labels change, the old ones are deleted.
    const [orgRow] = org.admin.query('SELECT Id FROM Organization').records as { Id: string }[];
    org.admin.update('Organization', [{ Id: (orgRow as { Id: string }).Id, FiscalYearStartMonth: 1 }]);
    result = await syncCli(org, ['sync', '--json']);
    expect(result.code).toBe(0);
    const fiscal = [...snapshots().values()]
      .filter((r) => r.Period_Type__c === 'Fiscal Quarter')
      .map((r) => r.Period_Label__c);
    expect(fiscal).toContain('FY2026-Q1');
    expect(fiscal).not.toContain('FY2027-Q1');
    // And back, so the checks above stay independent of the order.
    org.admin.update('Organization', [{ Id: (orgRow as { Id: string }).Id, FiscalYearStartMonth: 2 }]);
    org.admin.update('NPS_Setting__mdt', [
      { Id: (setting as { Id: string }).Id, NPS_Floor__c: 30, Min_Responses__c: 5 }
    ]);
    result = await syncCli(org, ['sync', '--json']);
    expect(result.code).toBe(0);
    const again = await syncCli(org, ['sync', '--json']);
    expect(again.json).toMatchObject({ snapshotsUpserted: 0, snapshotsDeleted: 0 });
  });

  afterAll(() => {
    const all = capturedOutput.join('\n');
    expect(all).not.toContain(org.password);
    expect(all).not.toContain(org.accessToken);
    expect(all).not.toMatch(/00D[A-Za-z0-9]{12,15}![A-Za-z0-9_-]{20,}/);
  });

  it('the free-text answer of the same survey response becomes the comment of its NPS answers', async () => {
    const comment = 'Onboarding was slow,\nand nobody called back — "again"';
    const added = org.admin.addSurveyResponse({
      accountId: book.accounts.beta,
      contactId: book.contacts.beta,
      completedAt: '2026-03-21T15:00:00Z',
      score: 2,
      csmScore: 3,
      comment
    });
    // Recorded after the last sync (the answers of a fixture carry their answer time as modstamp).
    touchAnswers(org, [added.companyAnswerId, added.csmAnswerId, added.commentAnswerId]);
    const before = org.admin.apiRequests();
    const result = await syncCli(org, ['sync', '--json']);
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({ responsesRead: 2, responsesUpserted: 2 });
    // The comment is read with the sync's other reads: no call of its own.
    expect(org.admin.apiRequests() - before).toBeLessThanOrEqual(15);
    const rows = responses();
    expect(rows.get(added.companyAnswerId as string)?.Comment__c).toBe(comment);
    expect(rows.get(added.csmAnswerId as string)?.Comment__c).toBe(comment);
    // An answer whose response has no free-text answer keeps no comment.
    expect(rows.get(answers['acme-jan'] as string)?.Comment__c ?? null).toBeNull();
    // And the next run finds them unchanged.
    const again = await syncCli(org, ['sync', '--json']);
    expect(again.json).toMatchObject({ responsesUpserted: 0 });
  });
});
