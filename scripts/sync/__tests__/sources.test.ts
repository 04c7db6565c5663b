// The other sources: any object with a field mapping (checked against describe before any query;
// values escaped — SOQL injection through the config or the data fails), and a CSV file. Plus the Bulk
// API 2.0 path, which must leave the org exactly as the REST path does.

import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalOrg } from '../../local-org/index';
import { connectToOrg } from '../connect';
import { OrgApi } from '../orgApi';
import { DEFAULT_RETRY_POLICY } from '../transport';
import {
  addAnswers,
  capturedOutput,
  passwordEnv,
  orgContents,
  smallBook,
  sortedEntries,
  surveyToolMetadata,
  syncCli,
  tempFile,
  writeConfig,
  type SmallBook
} from '../../test-support/syncFixture';

jest.setTimeout(120_000);

describe('source "object": a survey tool custom object', () => {
  let book: SmallBook;
  let org: LocalOrg;
  const requests: string[] = [];
  const mapping = {
    source: 'object',
    object: {
      name: 'Survey_Answer__c',
      fields: {
        id: 'External_Id__c',
        score: 'Score__c',
        respondedAt: 'Answered_At__c',
        account: 'Account__c',
        contact: 'Contact__c',
        comment: 'Verbatim__c',
        metric: 'Question__c'
      }
    }
  };

  beforeAll(async () => {
    book = await smallBook({ extraSourceDirs: [surveyToolMetadata()], log: (line) => requests.push(line) });
    org = book.org;
    org.admin.insert('Survey_Answer__c', [
      {
        Name: 'a1',
        External_Id__c: 'qx-1',
        Score__c: 10,
        Answered_At__c: '2026-01-20T15:00:00Z',
        Account__c: book.accounts.acme,
        Verbatim__c: 'They\'re great; "10/10"'
      },
      {
        Name: 'a2',
        External_Id__c: 'qx-2',
        Score__c: 6,
        Answered_At__c: '2026-02-20T15:00:00Z',
        Contact__c: book.contacts.acme,
        Question__c: 'csm nps'
      },
      {
        Name: 'a3',
        External_Id__c: 'qx-3',
        Score__c: 7.5,
        Answered_At__c: '2026-02-21T15:00:00Z',
        Account__c: book.accounts.beta
      },
      {
        Name: 'a4',
        External_Id__c: "qx-4' OR Name != '",
        Score__c: 9,
        Answered_At__c: '2026-03-01T15:00:00Z',
        Account__c: book.accounts.beta,
        Question__c: 'Overall'
      }
    ]);
  });
  afterAll(async () => {
    await org?.close();
  });

  it('reads the mapped fields, credits the CSM of the moment (through the contact when there is no account), and rejects bad records', async () => {
    const result = await syncCli(org, ['sync', '--json', '--config', writeConfig(mapping)]);
    expect(result.code).toBe(0);
    const { responses } = orgContents(org);
    expect(responses.get('qx-1')).toMatchObject({
      CSM__c: book.csms.ada,
      Score__c: 10,
      Metric__c: 'Company NPS',
      Source__c: 'Survey_Answer__c',
      Comment__c: 'They\'re great; "10/10"'
    });
    // No account on the record: the contact's (Acme), owned by Ben since 2026-02-15.
    expect(responses.get('qx-2')).toMatchObject({
      CSM__c: book.csms.ben,
      Account__c: book.accounts.acme,
      Metric__c: 'CSM NPS'
    });
    expect(result.json.rejected).toEqual([
      { sourceId: 'qx-3', reason: 'Score__c: score 7.5 is not a whole number: expected 0 to 10' },
      {
        sourceId: "qx-4' OR Name != '",
        reason: 'Question__c: metric "Overall" is not "Company NPS" or "CSM NPS"'
      }
    ]);
    expect(responses.size).toBe(2);
  });

  it('a deleted record is removed from NPS_Response__c', async () => {
    const [a1] = org.admin.query("SELECT Id FROM Survey_Answer__c WHERE External_Id__c = 'qx-1'").records as {
      Id: string;
    }[];
    org.admin.delete('Survey_Answer__c', [(a1 as { Id: string }).Id]);
    const result = await syncCli(org, ['sync', '--json', '--config', writeConfig(mapping)]);
    expect(result.code).toBe(0);
    expect(result.json.responsesDeleted).toBe(1);
    expect(orgContents(org).responses.has('qx-1')).toBe(false);
  });

  it('a date-only field is a local date: noon in the org time zone', async () => {
    org.admin.insert('Survey_Answer__c', [
      {
        Name: 'a5',
        External_Id__c: 'qx-5',
        Score__c: 8,
        Answered_On__c: '2026-03-31',
        Account__c: book.accounts.gamma
      }
    ]);
    const config = {
      ...mapping,
      object: { ...mapping.object, fields: { ...mapping.object.fields, respondedAt: 'Answered_On__c' } }
    };
    const result = await syncCli(org, ['sync', '--json', '--full', '--config', writeConfig(config)]);
    expect(result.code).toBe(0);
    expect(orgContents(org).responses.get('qx-5')?.Responded_At__c).toBe('2026-03-31T16:00:00.000+0000'); // 12:00 EDT
    expect(orgContents(org).snapshots.get(`${book.csms.cleo}|Company NPS|Month|2026-03`)).toMatchObject({
      Responses__c: 1
    });
  });

  it('field names are checked against describe before any query on the object is built', async () => {
    requests.length = 0;
    const config = {
      ...mapping,
      object: { ...mapping.object, fields: { ...mapping.object.fields, score: 'Rating__c' } }
    };
    const result = await syncCli(org, ['sync', '--config', writeConfig(config)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'object.fields.score: Survey_Answer__c has no field "Rating__c" (checked against its describe)'
    );
    // No query ON the object (the sync state's query names the object as its key, which is not one).
    expect(
      requests.some((line) => /query\?q=.*\bFROM\s+Survey_Answer__c\b/i.test(decodeURIComponent(line)))
    ).toBe(false);
    // The log does show the reads that went out (composite subrequests included), so the check can fail.
    expect(requests.some((line) => /query\?q=/.test(line))).toBe(true);
  });

  it('SOQL injection through the configuration fails: names must be API names, and values are escaped', async () => {
    const injected = {
      ...mapping,
      object: {
        ...mapping.object,
        fields: { ...mapping.object.fields, score: 'Score__c FROM User WHERE Name != null --' }
      }
    };
    const byName = await syncCli(org, ['sync', '--config', writeConfig(injected)]);
    expect(byName.code).toBe(2);
    expect(byName.stderr).toContain('object.fields.score: must be a field API name');
    const objectName = await syncCli(org, [
      'sync',
      '--config',
      writeConfig({ ...mapping, object: { ...mapping.object, name: 'User WHERE Id != null' } })
    ]);
    expect(objectName.code).toBe(2);
    expect(objectName.stderr).toContain('object.name: must be a Salesforce API name');
    // A survey filter that tries to widen the query reads nothing, and breaks nothing.
    const surveys = await syncCli(org, [
      'sync',
      '--json',
      '--full',
      '--config',
      writeConfig({ surveys: { surveys: ["x' OR DeveloperName != '"] } })
    ]);
    expect(surveys.code).toBe(0);
    expect(surveys.json.responsesRead).toBe(0);
  });
});

describe('source "csv"', () => {
  let book: SmallBook;
  let org: LocalOrg;
  beforeAll(async () => {
    book = await smallBook();
    org = book.org;
  });
  afterAll(async () => {
    await org?.close();
  });

  /** Good rows in every way the csm can be named, and bad ones (line 5: score, 6: unknown CSM, 7: no id). */
  const firstRows = () => [
    'r1,2026-01-10T10:00:00Z,9,ada@csm-nps.test,,"Great, really",',
    'r2,2026-01-11,3,Ben Okafor,,,CSM NPS',
    `r3,2026-02-20T10:00:00Z,10,,${book.accounts.acme},,`,
    `r4,2026-01-12T10:00:00Z,11,${book.csms.ada},,,`,
    "r5,2026-01-13T10:00:00Z,8,O'Brien,,,",
    ',2026-01-14T10:00:00Z,8,Ada Lovelace,,,'
  ];
  const csv = (rows: string[]) =>
    tempFile(
      'answers.csv',
      ['response_id,responded_at,score,csm,account,comment,metric', ...rows].join('\n') + '\n'
    );

  it('loads a CSV: CSM by email, name or Id, by account history when empty; bad rows listed by line', async () => {
    const { ada, ben } = book.csms;
    const file = csv(firstRows());
    const result = await syncCli(org, ['sync', '--json', '--csv', file]);
    expect(result.code).toBe(0);
    const { responses } = orgContents(org);
    expect(responses.get('csv:answers.csv:r1')).toMatchObject({
      CSM__c: ada,
      Score__c: 9,
      Comment__c: 'Great, really',
      Source__c: 'CSV'
    });
    expect(responses.get('csv:answers.csv:r2')).toMatchObject({
      CSM__c: ben,
      Metric__c: 'CSM NPS',
      Responded_At__c: '2026-01-11T17:00:00.000+0000'
    });
    expect(responses.get('csv:answers.csv:r3')).toMatchObject({
      CSM__c: ben,
      Account__c: book.accounts.acme
    });
    expect(result.json.rejected.map((r) => [r.line, r.reason.slice(0, 40)])).toEqual([
      [5, 'score "11" is out of range: expected a w'],
      [6, 'csm "O\'Brien" is not a user of the org ('],
      [7, 'response_id is empty: the sync needs it ']
    ]);
  });

  it('the same file again writes nothing; a row removed from the file is removed from the org', async () => {
    const { ben } = book.csms;
    const same = csv(firstRows());
    const again = await syncCli(org, ['sync', '--json', '--csv', same]);
    expect(again.json).toMatchObject({
      responsesUpserted: 0,
      responsesDeleted: 0,
      snapshotsUpserted: 0,
      snapshotsDeleted: 0
    });
    const fewer = csv([
      'r1,2026-01-10T10:00:00Z,9,ada@csm-nps.test,,"Great, really",',
      `r3,2026-02-20T10:00:00Z,10,,${book.accounts.acme},,`
    ]);
    const result = await syncCli(org, ['sync', '--json', '--csv', fewer]);
    expect(result.code).toBe(0);
    expect(result.json.responsesDeleted).toBe(1);
    expect(orgContents(org).snapshots.has(`${ben}|CSM NPS|Month|2026-01`)).toBe(false);
  });
});

describe('a CSV that cannot be opened', () => {
  it('names where its path was given: --csv, or "csv.file" in the config', async () => {
    const book = await smallBook();
    try {
      const missing = path.join(tmpdir(), 'csm-nps-no-such-answers.csv');
      const byFlag = await syncCli(book.org, ['sync', '--csv', missing]);
      expect(byFlag.code).not.toBe(0);
      expect(byFlag.stderr).toContain(`${missing} does not exist: check the path given to --csv`);
      const config = tempFile(
        'csm-nps.config.json',
        JSON.stringify({ source: 'csv', csv: { file: missing } })
      );
      const byConfig = await syncCli(book.org, ['sync', '--config', config]);
      expect(byConfig.code).not.toBe(0);
      expect(byConfig.stderr).toContain(
        `${missing} does not exist: check the path given to "csv.file" in csm-nps.config.json`
      );
      expect(orgContents(book.org).responses.size).toBe(0);
    } finally {
      await book.org.close();
    }
  });
});

describe('the Bulk API 2.0 path', () => {
  const books: SmallBook[] = [];
  afterAll(async () => {
    for (const b of books) await b.org.close();
  });

  it('leaves the org exactly as the REST path does (queries, ingest, deletes)', async () => {
    const rest = await smallBook();
    const requests: string[] = [];
    const bulk = await smallBook({ log: (line) => requests.push(line) });
    books.push(rest, bulk);
    for (const b of [rest, bulk]) addAnswers(b);
    expect((await syncCli(rest.org, ['sync', '--json'])).code).toBe(0);
    const result = await syncCli(bulk.org, ['sync', '--json', '--bulk-threshold', '2']);
    expect(result.code).toBe(0);
    expect(result.json.apiCallsByPhase).toBeDefined();
    expect(sortedEntries(orgContents(bulk.org).responses)).toEqual(
      sortedEntries(orgContents(rest.org).responses)
    );
    expect(sortedEntries(orgContents(bulk.org).snapshots)).toEqual(
      sortedEntries(orgContents(rest.org).snapshots)
    );
    // Deletions in bulk too: remove two answers everywhere and sync both again.
    for (const b of [rest, bulk]) {
      const ids = (
        b.org.admin.query(
          'SELECT ResponseId FROM SurveyQuestionResponse WHERE Response.CompletionDateTime < 2026-01-21T00:00:00Z'
        ).records as { ResponseId: string }[]
      ).map((r) => r.ResponseId);
      b.org.admin.delete('SurveyResponse', [...new Set(ids)]);
    }
    expect((await syncCli(rest.org, ['sync', '--json'])).code).toBe(0);
    const again = await syncCli(bulk.org, ['sync', '--json', '--bulk-threshold', '2']);
    expect(again.code).toBe(0);
    expect(again.json.responsesDeleted).toBe(3);
    expect(sortedEntries(orgContents(bulk.org).responses)).toEqual(
      sortedEntries(orgContents(rest.org).responses)
    );
    expect(sortedEntries(orgContents(bulk.org).snapshots)).toEqual(
      sortedEntries(orgContents(rest.org).snapshots)
    );
    // The writes really went through Bulk API 2.0 ingest jobs (reads switch to Bulk only past one REST page).
    expect(requests.some((line) => line.includes('/jobs/ingest'))).toBe(true);
  });

  it('a Bulk API 2.0 query returns the same rows as REST, page by page (Sforce-Locator)', async () => {
    const book = await smallBook();
    books.push(book);
    addAnswers(book);
    const { conn } = await connectToOrg({
      apiVersion: '64.0',
      env: passwordEnv(book.org),
      retry: DEFAULT_RETRY_POLICY
    });
    const api = new OrgApi(conn, { bulkThreshold: 1, bulkPageSize: 3, bulkPollMs: 5 });
    const soql =
      'SELECT Id, NumberValue, Response.CompletionDateTime FROM SurveyQuestionResponse ORDER BY Id';
    const pages: number[] = [];
    const viaBulk: string[] = [];
    await api.query(
      soql,
      (rows) => {
        pages.push(rows.length);
        for (const row of rows)
          viaBulk.push(
            `${String(row.get('id'))}|${String(row.get('numbervalue'))}|${Date.parse(String(row.get('response.completiondatetime')))}`
          );
      },
      { forceBulk: true }
    );
    const viaRest = (await api.queryRows(soql)).map(
      (row) =>
        `${String(row.get('id'))}|${String(row.get('numbervalue'))}|${Date.parse(String(row.get('response.completiondatetime')).replace(/\+0000$/, 'Z'))}`
    );
    expect(viaBulk).toEqual(viaRest);
    expect(pages).toEqual([3, 3, 3]);
  });

  it('per-record failures in a Bulk API ingest job are reported with the source Id', async () => {
    const book = await smallBook();
    books.push(book);
    const ids = addAnswers(book);
    book.org.admin.addFault({
      type: 'recordError',
      sobject: 'NPS_Response__c',
      field: 'Source_Id__c',
      values: [ids['beta-jan'] as string],
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Nope'
    });
    const result = await syncCli(book.org, ['sync', '--json', '--bulk-threshold', '2']);
    expect(result.code).toBe(1);
    expect(result.json.failed).toEqual([
      { sourceId: ids['beta-jan'], error: expect.stringContaining('FIELD_CUSTOM_VALIDATION_EXCEPTION') }
    ]);
    expect(result.json.responsesUpserted).toBe(8);
  });
});

afterAll(() => {
  expect(capturedOutput.join('\n')).not.toMatch(/00D[A-Za-z0-9]{12,15}![A-Za-z0-9_-]{20,}/);
});
