// The demo org (`npm run local-org -- --seed demo`): after `csm-nps sync`, NPS_Snapshot__c must agree
// with (1) an independent recomputation from the raw survey records and AccountHistory, written here
// simply and slowly without the sync's code or the core, and (2) `csm-nps report` run on the same
// responses exported to CSV — one core, one answer.

import { startLocalOrg, type LocalOrg } from '../../local-org/index';
import { run } from '../../cli/main';
import { capturedOutput, syncCli, tempFile } from '../../test-support/syncFixture';

jest.setTimeout(180_000);

type Rec = Record<string, unknown>;

describe('the demo org after a sync', () => {
  let org: LocalOrg;
  let firstRun: { apiCalls: number; ms: number };
  let noChange: { apiCalls: number; ms: number };
  let timeZone: string;

  beforeAll(async () => {
    org = await startLocalOrg({ seed: 'demo', now: new Date('2026-06-01T00:00:00Z') });
    const [orgRow] = org.admin.query('SELECT TimeZoneSidKey FROM Organization').records as {
      TimeZoneSidKey: string;
    }[];
    timeZone = (orgRow as { TimeZoneSidKey: string }).TimeZoneSidKey;
    let t = Date.now();
    const first = await syncCli(org, ['sync', '--json']);
    firstRun = { apiCalls: first.json.apiCalls, ms: Date.now() - t };
    expect(first.code).toBe(0);
    t = Date.now();
    const again = await syncCli(org, ['sync', '--json']);
    noChange = { apiCalls: again.json.apiCalls, ms: Date.now() - t };
    expect(again.json).toMatchObject({ responsesUpserted: 0, snapshotsUpserted: 0, snapshotsDeleted: 0 });
    process.stderr.write(
      `demo org (${org.demo?.responses} responses): first sync ${firstRun.apiCalls} API calls in ${firstRun.ms} ms; no-change sync ${noChange.apiCalls} calls in ${noChange.ms} ms\n`
    );
  });
  afterAll(async () => {
    await org?.close();
  });

  it('a sync with no change makes at most 5 API calls', () => {
    expect(noChange.apiCalls).toBeLessThanOrEqual(5);
  });

  it('an independent recomputation from the survey records and AccountHistory gives the same counts per CSM × month', () => {
    const q = (soql: string) => org.admin.query(soql).records as Rec[];
    // 1. The answers: NPS questions of completed responses.
    const answers = q(
      'SELECT Id, NumberValue, Question.DeveloperName, Question.QuestionType, Response.Status, Response.CompletionDateTime, InvitationId, Response.InvitationId, Invitation.ParticipantId FROM SurveyQuestionResponse'
    ).filter((a) => {
      const question = a.Question as Rec;
      const response = a.Response as Rec;
      return (
        question.QuestionType === 'NPS' &&
        response.Status === 'Completed' &&
        response.CompletionDateTime !== null &&
        Number.isInteger(a.NumberValue)
      );
    });
    expect(answers.length).toBeGreaterThan(5000);
    // 2. The account of each answer: the survey's Account subject, else the participant's account.
    const subjectOf = new Map<string, string>();
    for (const s of q("SELECT ParentId, SubjectId FROM SurveySubject WHERE SubjectEntityType = 'Account'"))
      subjectOf.set(String(s.ParentId), String(s.SubjectId));
    const accountOfContact = new Map<string, string | null>();
    for (const c of q('SELECT Id, AccountId FROM Contact'))
      accountOfContact.set(String(c.Id), (c.AccountId as string | null) ?? null);
    // 3. Owner history, kept as Salesforce writes it (EntityId rows), and today's owners.
    const history = q(
      "SELECT AccountId, CreatedDate, OldValue, NewValue FROM AccountHistory WHERE Field = 'Owner' AND DataType = 'EntityId'"
    );
    const owners = new Map(
      q('SELECT Id, OwnerId FROM Account').map((a) => [String(a.Id), String(a.OwnerId)])
    );
    const integrationUser = org.userId;
    const ms = (text: unknown) => Date.parse(String(text).replace(/\+0000$/, 'Z'));
    const csmAt = (account: string, at: number): string | null => {
      const changes = history
        .filter((h) => h.AccountId === account)
        .sort((a, b) => ms(a.CreatedDate) - ms(b.CreatedDate));
      let owner: string | null;
      if (changes.length === 0) owner = owners.get(account) ?? null;
      else {
        const before = changes.filter((h) => ms(h.CreatedDate) <= at);
        owner =
          before.length > 0
            ? (before[before.length - 1]?.NewValue as string)
            : (changes[0]?.OldValue as string);
      }
      // The sync's own user holds the accounts without a CSM.
      return owner === integrationUser ? null : owner;
    };
    const month = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    // 4. Count per CSM × metric × month.
    const expected = new Map<string, { n: number; p: number; x: number; d: number }>();
    for (const a of answers) {
      const response = a.Response as Rec;
      const invitation = (a.InvitationId ?? response.InvitationId) as string | null;
      const participant = (a.Invitation as Rec | null)?.ParticipantId as string | null | undefined;
      const account =
        (invitation ? subjectOf.get(invitation) : undefined) ??
        (participant ? (accountOfContact.get(participant) ?? null) : null);
      const at = ms(response.CompletionDateTime);
      const csm = account ? csmAt(account, at) : null;
      const metric = /csm/i.test(String((a.Question as Rec).DeveloperName)) ? 'CSM NPS' : 'Company NPS';
      const parts = month.formatToParts(new Date(at));
      const label = `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
      const key = `${csm ?? 'UNASSIGNED'}|${metric}|Month|${label}`;
      const counts = expected.get(key) ?? { n: 0, p: 0, x: 0, d: 0 };
      const score = a.NumberValue as number;
      counts.n++;
      if (score >= 9) counts.p++;
      else if (score >= 7) counts.x++;
      else counts.d++;
      expected.set(key, counts);
    }
    // 5. Compare with the month snapshots.
    const actual = new Map(
      q(
        "SELECT Key__c, Responses__c, Promoters__c, Passives__c, Detractors__c, NPS__c FROM NPS_Snapshot__c WHERE Period_Type__c = 'Month'"
      ).map((s) => [String(s.Key__c), s])
    );
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, c] of expected) {
      const s = actual.get(key) as Rec;
      expect({ key, n: s.Responses__c, p: s.Promoters__c, x: s.Passives__c, d: s.Detractors__c }).toEqual({
        key,
        n: c.n,
        p: c.p,
        x: c.x,
        d: c.d
      });
      expect(s.NPS__c as number).toBeCloseTo((100 * (c.p - c.d)) / c.n, 5);
    }
    expect(expected.size).toBeGreaterThan(500);
  });

  it.each([
    ['month', 'Month'],
    ['quarter', 'Quarter'],
    ['fiscal-quarter', 'Fiscal Quarter']
  ])(
    'csm-nps report on the same responses exported to CSV gives the same %s figures as NPS_Snapshot__c',
    async (period, periodType) => {
      const responses = org.admin.query(
        'SELECT Source_Id__c, Responded_At__c, Score__c, CSM__c, Metric__c FROM NPS_Response__c'
      ).records as Rec[];
      const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
      const csv = [
        'response_id,responded_at,score,csm,metric',
        ...responses.map((r) =>
          [
            r.Source_Id__c,
            String(r.Responded_At__c).replace(/\+0000$/, 'Z'),
            r.Score__c,
            r.CSM__c ?? '',
            r.Metric__c
          ]
            .map((v) => quote(String(v)))
            .join(',')
        )
      ].join('\n');
      const file = tempFile('responses.csv', `${csv}\n`);
      const out: string[] = [];
      const [fiscal] = org.admin.query('SELECT FiscalYearStartMonth FROM Organization').records as {
        FiscalYearStartMonth: number;
      }[];
      const code = await run(
        [
          'report',
          '--csv',
          file,
          '--period',
          period as string,
          '--tz',
          timeZone,
          '--fiscal-start-month',
          String(fiscal?.FiscalYearStartMonth),
          '--json'
        ],
        {
          stdout: { write: (t: string) => out.push(t) },
          stderr: { write: () => {} },
          isTTY: false,
          columns: 120,
          env: {}
        }
      );
      expect(code).toBe(0);
      const report = JSON.parse(out.join('')) as { groups: Rec[] };
      const snapshots = new Map(
        (
          org.admin.query(
            `SELECT Key__c, Responses__c, Promoters__c, Passives__c, Detractors__c, NPS__c, CI_Low__c, CI_High__c, Mean_Score__c, Shrunk_NPS__c, Change__c, Change_Significant__c, Goal_Status__c, Probability_Above_Floor__c, Probability_Improved__c, Period_Start__c FROM NPS_Snapshot__c WHERE Period_Type__c = '${periodType}'`
          ).records as Rec[]
        ).map((s) => [String(s.Key__c), s])
      );
      expect(report.groups.length).toBe(snapshots.size);
      const goal: Record<string, string> = {
        met: 'Met',
        not_met: 'Not Met',
        insufficient_data: 'Insufficient Data'
      };
      for (const g of report.groups) {
        const key = `${g.csm === 'Unassigned' ? 'UNASSIGNED' : g.csm}|${g.metric}|${periodType}|${g.period}`;
        const s = snapshots.get(key) as Rec;
        expect(s).toBeDefined();
        expect([
          key,
          s.Responses__c,
          s.Promoters__c,
          s.Passives__c,
          s.Detractors__c,
          s.Period_Start__c,
          s.Goal_Status__c,
          s.Change_Significant__c
        ]).toEqual([
          key,
          g.responses,
          g.promoters,
          g.passives,
          g.detractors,
          g.periodStart,
          goal[g.goalStatus as string],
          g.changeSignificant === true
        ]);
        for (const [field, name, digits] of [
          ['NPS__c', 'nps', 5],
          ['CI_Low__c', 'ciLow', 5],
          ['CI_High__c', 'ciHigh', 5],
          ['Mean_Score__c', 'meanScore', 5],
          ['Shrunk_NPS__c', 'shrunkNps', 5],
          ['Change__c', 'change', 5],
          ['Probability_Above_Floor__c', 'probabilityAboveFloor', 7],
          ['Probability_Improved__c', 'probabilityImproved', 7]
        ] as const) {
          if (g[name] === null) expect([key, field, s[field]]).toEqual([key, field, null]);
          else expect(s[field] as number).toBeCloseTo(g[name] as number, digits);
        }
      }
    }
  );

  afterAll(() => {
    const all = capturedOutput.join('\n');
    if (org) expect(all).not.toContain(org.password);
  });
});
