// SOQL semantics on small, hand-made data: where Salesforce differs from SQL (case-insensitive
// text, `!=` matching nulls, date literals in the user's time zone, AND/OR never mixed), the
// aggregate results, and the errors for what the local org does not support.

import { startLocalOrg, type LocalOrg } from '../index';
import { raw, SURVEY_TOOL_METADATA } from './helpers';

jest.setTimeout(60_000);

let org: LocalOrg;
const ids: Record<string, string> = {};

function query(soql: string, all = false): Record<string, unknown>[] {
  return org.admin.query(soql, { all }).records;
}

async function soqlError(soql: string): Promise<{ status: number; errorCode: string; message: string }> {
  const reply = await raw(org, `/services/data/v${org.apiVersion}/query?q=${encodeURIComponent(soql)}`);
  const body = reply.json as { errorCode: string; message: string }[];
  return { status: reply.status, errorCode: body[0]?.errorCode ?? '', message: body[0]?.message ?? '' };
}

beforeAll(async () => {
  // An org without demo data, in New York time, fiscal year starting in February.
  org = await startLocalOrg({
    seed: null,
    org: { timeZoneSidKey: 'America/New_York', fiscalYearStartMonth: 2 },
    extraSourceDirs: [SURVEY_TOOL_METADATA]
  });
  // 2026-03-15 12:00 New York = 16:00 UTC.
  org.admin.setClock(new Date('2026-03-15T16:00:00Z'));
  const [acme, globex, nulls] = org.admin.insert('Account', [
    { Name: 'Acme Corp', Industry: 'Technology', NumberOfEmployees: 500, Type: 'Customer - Direct' },
    { Name: 'Globex', Industry: null, NumberOfEmployees: 50, Type: 'Customer - Channel' },
    { Name: 'Initech', Industry: 'Banking', NumberOfEmployees: null }
  ]);
  Object.assign(ids, { acme, globex, initech: nulls });
  const responses = [
    // [source, score, responded at (UTC), account, metric]
    ['r1', 10, '2026-03-15T03:30:00Z', acme, 'Company NPS'], // 23:30 on 14 March in New York
    ['r2', 9, '2026-03-15T05:30:00Z', acme, 'Company NPS'], // 01:30 on 15 March in New York
    ['r3', 7, '2026-02-28T12:00:00Z', acme, 'CSM NPS'],
    ['r4', 3, '2026-01-31T23:59:59Z', globex, 'Company NPS'],
    ['r5', 6, '2025-12-01T00:00:00-05:00', globex, 'Company NPS'],
    ['r6', 8, '2026-03-14T15:00:00Z', null, 'Company NPS']
  ] as const;
  org.admin.insert(
    'NPS_Response__c',
    responses.map(([source, score, at, account, metric]) => ({
      Source_Id__c: source,
      Score__c: score,
      Responded_At__c: at,
      Account__c: account,
      Metric__c: metric,
      Source__c: 'CSV'
    }))
  );
});

afterAll(async () => {
  await org?.close();
});

describe('comparisons', () => {
  test('text comparison is case-insensitive, Id comparison accepts 15 and 18 characters', () => {
    expect(query("SELECT Name FROM Account WHERE Name = 'acme corp'")).toHaveLength(1);
    expect(query("SELECT Name FROM Account WHERE Name LIKE 'ACME%'")).toHaveLength(1);
    expect(query(`SELECT Name FROM Account WHERE Id = '${(ids.acme as string).slice(0, 15)}'`)).toEqual([
      expect.objectContaining({ Name: 'Acme Corp' })
    ]);
    expect(
      query(`SELECT Name FROM Account WHERE Id IN ('${ids.acme}', '${ids.globex}') ORDER BY Name`).map(
        (r) => r.Name
      )
    ).toEqual(['Acme Corp', 'Globex']);
  });

  test('!= and NOT IN match null values, as in SOQL', () => {
    expect(
      query("SELECT Name FROM Account WHERE Industry != 'Technology' ORDER BY Name").map((r) => r.Name)
    ).toEqual(['Globex', 'Initech']);
    expect(
      query("SELECT Name FROM Account WHERE Industry NOT IN ('Banking') ORDER BY Name").map((r) => r.Name)
    ).toEqual(['Acme Corp', 'Globex']);
    expect(
      query("SELECT Name FROM Account WHERE NOT (Industry = 'Banking') ORDER BY Name").map((r) => r.Name)
    ).toEqual(['Acme Corp', 'Globex']);
    expect(query('SELECT Name FROM Account WHERE Industry = null').map((r) => r.Name)).toEqual(['Globex']);
    expect(query('SELECT Name FROM Account WHERE NumberOfEmployees > 100').map((r) => r.Name)).toEqual([
      'Acme Corp'
    ]);
  });

  test('parentheses group AND and OR', () => {
    expect(
      query(
        "SELECT Name FROM Account WHERE (Industry = 'Banking' OR Industry = 'Technology') AND NumberOfEmployees = null"
      ).map((r) => r.Name)
    ).toEqual(['Initech']);
  });

  test('datetime literals with offsets, and date literals in the user time zone', () => {
    expect(
      query('SELECT Source_Id__c FROM NPS_Response__c WHERE Responded_At__c = 2025-12-01T05:00:00Z').map(
        (r) => r.Source_Id__c
      )
    ).toEqual(['r5']);
    // TODAY is 15 March in New York: r2 (01:30 local) is today, r1 (23:30 on the 14th) is not.
    expect(
      query('SELECT Source_Id__c FROM NPS_Response__c WHERE Responded_At__c = TODAY').map(
        (r) => r.Source_Id__c
      )
    ).toEqual(['r2']);
    expect(
      query(
        'SELECT Source_Id__c FROM NPS_Response__c WHERE Responded_At__c = YESTERDAY ORDER BY Source_Id__c'
      ).map((r) => r.Source_Id__c)
    ).toEqual(['r1', 'r6']);
    expect(
      query(
        'SELECT Source_Id__c FROM NPS_Response__c WHERE Responded_At__c = LAST_N_DAYS:1 ORDER BY Source_Id__c'
      ).map((r) => r.Source_Id__c)
    ).toEqual(['r1', 'r2', 'r6']);
    expect(
      query('SELECT Source_Id__c FROM NPS_Response__c WHERE Responded_At__c = LAST_MONTH').map(
        (r) => r.Source_Id__c
      )
    ).toEqual(['r3']);
    // The fiscal year starts in February: FY2027 (named by its end) began on 1 February 2026.
    expect(
      query(
        'SELECT Source_Id__c FROM NPS_Response__c WHERE Responded_At__c = THIS_FISCAL_YEAR ORDER BY Source_Id__c'
      ).map((r) => r.Source_Id__c)
    ).toEqual(['r1', 'r2', 'r3', 'r6']);
    expect(
      query(
        'SELECT Source_Id__c FROM NPS_Response__c WHERE Responded_At__c < THIS_FISCAL_YEAR ORDER BY Source_Id__c'
      ).map((r) => r.Source_Id__c)
    ).toEqual(['r4', 'r5']);
  });

  test('parent fields in WHERE and SELECT, with null parents', () => {
    const rows = query(
      "SELECT Source_Id__c, Account__r.Name FROM NPS_Response__c WHERE Account__r.Industry = 'Technology' OR Account__c = null ORDER BY Source_Id__c"
    );
    expect(
      rows.map((r) => [r.Source_Id__c, (r.Account__r as { Name: string } | null)?.Name ?? null])
    ).toEqual([
      ['r1', 'Acme Corp'],
      ['r2', 'Acme Corp'],
      ['r3', 'Acme Corp'],
      ['r6', null]
    ]);
  });

  test('semi-joins, ORDER BY with NULLS LAST, LIMIT and OFFSET', () => {
    expect(
      query(
        'SELECT Name FROM Account WHERE Id IN (SELECT Account__c FROM NPS_Response__c WHERE Score__c <= 6) ORDER BY Name'
      ).map((r) => r.Name)
    ).toEqual(['Globex']);
    expect(query('SELECT Name FROM Account ORDER BY Industry DESC NULLS LAST').map((r) => r.Name)).toEqual([
      'Acme Corp',
      'Initech',
      'Globex'
    ]);
    expect(query('SELECT Name FROM Account ORDER BY Name LIMIT 1 OFFSET 1').map((r) => r.Name)).toEqual([
      'Globex'
    ]);
  });

  test('formula fields can be filtered, grouped and averaged', () => {
    expect(
      query(
        "SELECT Source_Id__c FROM NPS_Response__c WHERE Category__c = 'Detractor' ORDER BY Source_Id__c"
      ).map((r) => r.Source_Id__c)
    ).toEqual(['r4', 'r5']);
    const nps = query(
      'SELECT Metric__c, AVG(NPS_Points__c) nps, COUNT(Id) n FROM NPS_Response__c GROUP BY Metric__c ORDER BY Metric__c'
    );
    // Company NPS: r1 r2 promoters, r6 passive, r4 r5 detractors → 100 × (2 − 2) / 5 = 0; CSM NPS: r3 passive → 0.
    // Text sorts case-insensitively, as in Salesforce: "company nps" < "csm nps".
    expect(nps).toEqual([
      { attributes: { type: 'AggregateResult' }, Metric__c: 'Company NPS', nps: 0, n: 5 },
      { attributes: { type: 'AggregateResult' }, Metric__c: 'CSM NPS', nps: 0, n: 1 }
    ]);
  });
});

describe('aggregates', () => {
  test('COUNT() gives totalSize and no records', () => {
    const result = org.admin.query('SELECT COUNT() FROM NPS_Response__c WHERE Score__c >= 7');
    expect(result).toMatchObject({ totalSize: 4, records: [] });
  });

  test('GROUP BY a parent field, HAVING, ORDER BY an aggregate, expr aliases', () => {
    const rows = query(
      'SELECT Account__r.Name, COUNT(Id), MAX(Score__c), MIN(Responded_At__c) FROM NPS_Response__c WHERE Account__c != null GROUP BY Account__r.Name HAVING COUNT(Id) > 1 ORDER BY COUNT(Id) DESC'
    );
    expect(rows).toEqual([
      {
        attributes: { type: 'AggregateResult' },
        Name: 'Acme Corp',
        expr0: 3,
        expr1: 10,
        expr2: '2026-02-28T12:00:00.000+0000'
      },
      {
        attributes: { type: 'AggregateResult' },
        Name: 'Globex',
        expr0: 2,
        expr1: 6,
        expr2: '2025-12-01T05:00:00.000+0000'
      }
    ]);
  });

  test('date functions group in UTC, or in the user time zone with convertTimezone()', () => {
    const utc = query(
      "SELECT CALENDAR_MONTH(Responded_At__c) m, COUNT(Id) n FROM NPS_Response__c WHERE Account__c = '" +
        ids.acme +
        "' GROUP BY CALENDAR_MONTH(Responded_At__c) ORDER BY CALENDAR_MONTH(Responded_At__c)"
    );
    expect(utc.map((r) => [r.m, r.n])).toEqual([
      [2, 1],
      [3, 2]
    ]);
    const local = query(
      'SELECT DAY_ONLY(convertTimezone(Responded_At__c)) d, COUNT(Id) n FROM NPS_Response__c WHERE Score__c >= 9 GROUP BY DAY_ONLY(convertTimezone(Responded_At__c)) ORDER BY DAY_ONLY(convertTimezone(Responded_At__c))'
    );
    expect(local.map((r) => [r.d, r.n])).toEqual([
      ['2026-03-14', 1],
      ['2026-03-15', 1]
    ]);
    const fiscal = query(
      'SELECT FISCAL_YEAR(Responded_At__c) fy, FISCAL_QUARTER(Responded_At__c) fq, COUNT(Id) n FROM NPS_Response__c GROUP BY FISCAL_YEAR(Responded_At__c), FISCAL_QUARTER(Responded_At__c) ORDER BY FISCAL_YEAR(Responded_At__c), FISCAL_QUARTER(Responded_At__c)'
    );
    expect(fiscal.map((r) => [r.fy, r.fq, r.n])).toEqual([
      [2026, 4, 2],
      [2027, 1, 4]
    ]);
  });
});

describe('errors', () => {
  test.each([
    ['SELECT Id FROM Nope__c', 'INVALID_TYPE'],
    ['SELECT Nope__c FROM Account', 'INVALID_FIELD'],
    ['SELECT Parentt.Name FROM Account', 'INVALID_FIELD'],
    ["SELECT Id FROM Account WHERE Name = 'a' OR Name = 'b' AND Type = 'c'", 'MALFORMED_QUERY'],
    ['SELECT Id, (SELECT Id FROM Contacts) FROM Account', 'MALFORMED_QUERY'],
    ['SELECT FIELDS(ALL) FROM Account LIMIT 200', 'MALFORMED_QUERY'],
    ['SELECT Id FROM Account WHERE CreatedDate = 2026-01-01', 'INVALID_FIELD'],
    ["SELECT Id FROM Account WHERE NumberOfEmployees = '5'", 'INVALID_FIELD'],
    ["SELECT Id FROM Account WHERE Id = 'nope'", 'INVALID_QUERY_FILTER_OPERATOR'],
    ["SELECT Id FROM NPS_Response__c WHERE Comment__c = 'x'", 'INVALID_FIELD'],
    ['SELECT Responded_At__c, COUNT(Id) FROM NPS_Response__c GROUP BY Responded_At__c', 'INVALID_FIELD'],
    ['SELECT Score__c, COUNT(Id) FROM NPS_Response__c GROUP BY Score__c', 'INVALID_FIELD'],
    ['SELECT Name, COUNT(Id) FROM Account GROUP BY Industry', 'MALFORMED_QUERY'],
    ['SELECT Id FROM Account OFFSET 2001', 'NUMBER_OUTSIDE_VALID_RANGE'],
    ['SELECT Id FROM Account WHERE CreatedDate = NEXT_N_FISCAL_FOOS:3', 'MALFORMED_QUERY']
  ])('%s → %s', async (soql, errorCode) => {
    const error = await soqlError(soql);
    expect(error.status).toBe(400);
    expect(error.errorCode).toBe(errorCode);
    expect(error.message.length).toBeGreaterThan(10);
  });

  test('an aggregate query with more than 2,000 groups is refused rather than truncated', async () => {
    org.admin.insert(
      'Qualtrics_Response__c',
      Array.from({ length: 2001 }, (_, i) => ({ Name: `Q${i}`, Response_Id__c: `R${i}` }))
    );
    const error = await soqlError('SELECT Name, COUNT(Id) FROM Qualtrics_Response__c GROUP BY Name');
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(query('SELECT Name, COUNT(Id) FROM Qualtrics_Response__c GROUP BY Name LIMIT 2000')).toHaveLength(
      2000
    );
  });
});
