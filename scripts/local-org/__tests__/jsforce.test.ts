// The real jsforce client against the local org over HTTP: paging, queryAll, upsert by external id,
// sObject Collections, Bulk API 2.0 query and ingest, session refresh, error shapes, the metadata's
// field constraints, and the DailyApiRequests counter.

import jsforce, { type Connection } from 'jsforce';
import { loadMetadata } from '../../metadata/objects';
import { evaluateFormulaField } from '../../metadata/evaluate';
import { startLocalOrg, type LocalOrg } from '../index';
import { oauthConnection, raw, rejection, soapConnection, SURVEY_TOOL_METADATA } from './helpers';

jest.setTimeout(120_000);

let org: LocalOrg;
let conn: Connection;
let accountId: string;
let contactId: string;

beforeAll(async () => {
  // 80,000 NPS answers come with a little over 100,000 SurveyQuestionResponse rows (comments, support survey, started responses) for the Bulk query test.
  org = await startLocalOrg({
    seed: 'jsforce-test',
    responses: 80_000,
    now: new Date('2026-06-15T00:00:00Z'),
    extraSourceDirs: [SURVEY_TOOL_METADATA],
    bulkQueryPageSize: 30_000
  });
  conn = await soapConnection(org);
  conn.bulk2.pollInterval = 50;
  accountId = (org.admin.query('SELECT Id FROM Account ORDER BY Name LIMIT 1').records[0] as { Id: string })
    .Id;
  contactId = (org.admin.query('SELECT Id FROM Contact LIMIT 1').records[0] as { Id: string }).Id;
});

afterAll(async () => {
  await org?.close();
});

function response(sourceId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Source_Id__c: sourceId,
    Score__c: 9,
    Responded_At__c: '2026-03-02T15:04:05.000Z',
    Source__c: 'CSV',
    Account__c: accountId,
    ...extra
  };
}

describe('query', () => {
  test('pages through nextRecordsUrl (batchSize 200) and returns every row once', async () => {
    const expected = org.admin.query(
      "SELECT COUNT() FROM Account WHERE Type = 'Customer - Direct'"
    ).totalSize;
    expect(expected).toBeGreaterThan(600);
    let fetches = 0;
    const query = conn.query<{ Id: string }>(
      "SELECT Id, Name, Owner.Name FROM Account WHERE Type = 'Customer - Direct' ORDER BY Name",
      {
        autoFetch: true,
        maxFetch: 100_000,
        headers: { 'Sforce-Query-Options': 'batchSize=200' }
      } as never
    );
    query.on('fetch', () => fetches++);
    const result = await query;
    expect(fetches).toBeGreaterThanOrEqual(3);
    expect(result.totalSize).toBe(expected);
    expect(new Set(result.records.map((r) => r.Id)).size).toBe(expected);
  });

  test('queryAll sees deleted rows, query does not', async () => {
    const created = await conn.sobject('NPS_Response__c').create(response('deleted-1'));
    expect(created.success).toBe(true);
    await conn.sobject('NPS_Response__c').destroy(created.id as string);
    const live = await conn.query("SELECT Id FROM NPS_Response__c WHERE Source_Id__c = 'deleted-1'");
    expect(live.totalSize).toBe(0);
    const all = await conn.query<{ Id: string; IsDeleted: boolean }>(
      "SELECT Id, IsDeleted FROM NPS_Response__c WHERE Source_Id__c = 'deleted-1'",
      { scanAll: true }
    );
    expect(all.records).toEqual([expect.objectContaining({ Id: created.id, IsDeleted: true })]);
  });

  test('parent relationship fields come back as nested records', async () => {
    const result = await conn.query<{
      Response: { CompletionDateTime: string; Status: string } | null;
      Question: { QuestionType: string };
    }>(
      "SELECT NumberValue, Question.QuestionType, Response.CompletionDateTime, Response.Status FROM SurveyQuestionResponse WHERE Question.QuestionType = 'NPS' AND Response.Status = 'Completed' LIMIT 5"
    );
    expect(result.records).toHaveLength(5);
    for (const r of result.records) {
      expect(r.Question.QuestionType).toBe('NPS');
      expect(r.Response?.CompletionDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
    }
  });
});

describe('DML', () => {
  test('upsert by external id creates, then updates the same record', async () => {
    const first = await conn
      .sobject('NPS_Response__c')
      .upsert(response('upsert-1', { Score__c: 4 }), 'Source_Id__c');
    expect(first).toMatchObject({ success: true, created: true });
    const second = await conn
      .sobject('NPS_Response__c')
      .upsert({ Source_Id__c: 'upsert-1', Score__c: 10 }, 'Source_Id__c');
    expect(second).toMatchObject({ success: true, created: false, id: first.id });
    const row = await conn.sobject('NPS_Response__c').retrieve(first.id as string);
    expect(row).toMatchObject({ Score__c: 10, Category__c: 'Promoter', NPS_Points__c: 100 });
  });

  test('sObject Collections report partial failures record by record (allOrNone false)', async () => {
    const results = await conn
      .sobject('NPS_Response__c')
      .upsert(
        [
          response('coll-1'),
          response('coll-2', { Score__c: 11 }),
          response('coll-3', { Metric__c: 'Board NPS' }),
          response('coll-4', { Metric__c: 'CSM NPS' })
        ],
        'Source_Id__c',
        { allOrNone: false }
      );
    expect(results.map((r) => r.success)).toEqual([true, false, false, true]);
    expect((results[1] as { errors: { statusCode: string }[] }).errors[0]).toMatchObject({
      statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      fields: ['Score__c']
    });
    expect((results[2] as { errors: { statusCode: string }[] }).errors[0]).toMatchObject({
      statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      fields: ['Metric__c']
    });
    const written = await conn.query<{ Source_Id__c: string }>(
      "SELECT Source_Id__c FROM NPS_Response__c WHERE Source_Id__c LIKE 'coll-%' ORDER BY Source_Id__c"
    );
    expect(written.records.map((r) => r.Source_Id__c)).toEqual(['coll-1', 'coll-4']);
  });

  test('allOrNone rolls every record back when one fails', async () => {
    const results = await conn
      .sobject('NPS_Response__c')
      .create([response('aon-1'), response('aon-2', { Score__c: -1 })], { allOrNone: true });
    expect(results.every((r) => !r.success)).toBe(true);
    expect((results[0] as { errors: { statusCode: string }[] }).errors[0]?.statusCode).toBe(
      'ALL_OR_NONE_OPERATION_ROLLED_BACK'
    );
    expect(
      (await conn.query("SELECT Id FROM NPS_Response__c WHERE Source_Id__c LIKE 'aon-%'")).totalSize
    ).toBe(0);
  });

  test('duplicate external ids inside one collection upsert are refused, more than 200 records too', async () => {
    const results = await conn
      .sobject('NPS_Response__c')
      .upsert([response('dup-1'), response('dup-1')], 'Source_Id__c', { allOrNone: false });
    expect(results.map((r) => (r as { errors: { statusCode: string }[] }).errors[0]?.statusCode)).toEqual([
      'DUPLICATE_EXTERNAL_ID',
      'DUPLICATE_EXTERNAL_ID'
    ]);
    const tooMany = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: 'NPS_Response__c' },
      ...response(`many-${i}`)
    }));
    const reply = await raw(org, `/services/data/v${org.apiVersion}/composite/sobjects`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ allOrNone: false, records: tooMany })
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual([expect.objectContaining({ errorCode: 'EXCEEDED_ID_LIMIT' })]);
  });
});

describe('constraints read from the force-app metadata', () => {
  const metadata = loadMetadata();
  const responseObject = metadata.getObject('NPS_Response__c');

  test('describe reports the deployed fields, types and picklist values', async () => {
    const describe = await conn.sobject('NPS_Response__c').describe();
    const byName = new Map(describe.fields.map((f) => [f.name, f]));
    for (const field of responseObject.fields.filter((f) => f.custom)) {
      const described = byName.get(field.apiName);
      expect(described).toBeDefined();
      expect(described?.externalId).toBe(field.externalId);
      expect(described?.unique).toBe(field.unique);
      expect(described?.calculated).toBe(field.formula !== null);
      if (field.picklistValues)
        expect(described?.picklistValues?.map((v) => v.value)).toEqual(
          field.picklistValues.map((v) => v.value)
        );
      if (field.referenceTo) expect(described?.referenceTo).toEqual([field.referenceTo]);
    }
  });

  test('unique external id, lookups, lengths, ranges and read-only formulas are enforced', async () => {
    const sobject = conn.sobject('NPS_Response__c');
    await sobject.create(response('constraint-1'));
    const cases: [Record<string, unknown>, string][] = [
      [response('constraint-1'), 'DUPLICATE_VALUE'],
      [response('constraint-2', { Account__c: contactId }), 'FIELD_INTEGRITY_EXCEPTION'],
      [response('constraint-3', { Account__c: '001000000000000AAA' }), 'INVALID_CROSS_REFERENCE_KEY'],
      [response('constraint-4', { Source__c: 'x'.repeat(41) }), 'STRING_TOO_LONG'],
      [response('constraint-5', { Score__c: 100 }), 'NUMBER_OUTSIDE_VALID_RANGE'],
      [response('constraint-6', { Category__c: 'Promoter' }), 'INVALID_FIELD_FOR_INSERT_UPDATE'],
      [response('constraint-7', { Responded_At__c: null }), 'FIELD_CUSTOM_VALIDATION_EXCEPTION'],
      [response('constraint-8', { Account__c: 'not-an-id' }), 'MALFORMED_ID']
    ];
    const results = await sobject.create(
      cases.map(([record]) => record),
      { allOrNone: false }
    );
    expect(results.map((r) => (r as { errors: { statusCode: string }[] }).errors[0]?.statusCode)).toEqual(
      cases.map(([, code]) => code)
    );
  });

  test('Source_Id__c is unique case-sensitively, as the metadata says', async () => {
    expect(responseObject.fields.find((f) => f.apiName === 'Source_Id__c')?.caseSensitive).toBe(true);
    const results = await conn
      .sobject('NPS_Response__c')
      .create([response('Case-A'), response('case-a')], { allOrNone: false });
    expect(results.map((r) => r.success)).toEqual([true, true]);
  });

  test('formula fields are computed on read exactly as the metadata evaluator computes them', async () => {
    const records = Array.from({ length: 11 }, (_, score) =>
      response(`formula-${score}`, { Score__c: score })
    );
    await conn.sobject('NPS_Response__c').create(records, { allOrNone: true });
    const result = await conn.query<{
      Score__c: number;
      Category__c: string | null;
      NPS_Points__c: number | null;
    }>(
      "SELECT Score__c, Category__c, NPS_Points__c FROM NPS_Response__c WHERE Source_Id__c LIKE 'formula-%' ORDER BY Score__c"
    );
    expect(result.records).toHaveLength(11);
    for (const r of result.records) {
      expect(r.Category__c).toBe(
        evaluateFormulaField(responseObject, 'Category__c', { Score__c: r.Score__c })
      );
      expect(r.NPS_Points__c).toBe(
        evaluateFormulaField(responseObject, 'NPS_Points__c', { Score__c: r.Score__c })
      );
    }
    const avg = await conn.query<{ expr0: number }>(
      "SELECT AVG(NPS_Points__c) FROM NPS_Response__c WHERE Source_Id__c LIKE 'formula-%'"
    );
    // Scores 0..10: 2 promoters, 2 passives, 7 detractors → NPS = 100 × (2 − 7) / 11.
    expect(avg.records[0]?.expr0).toBeCloseTo((100 * (2 - 7)) / 11, 10);
  });

  test('NPS_Setting__mdt holds the records of force-app/customMetadata', async () => {
    const records = metadata.customMetadataRecords.filter((r) => r.type === 'NPS_Setting__mdt');
    const result = await conn.query<Record<string, unknown>>(
      'SELECT DeveloperName, Improvement_Target__c, NPS_Floor__c, Min_Responses__c FROM NPS_Setting__mdt'
    );
    expect(result.totalSize).toBe(records.length);
    const def = records.find((r) => r.developerName === 'Default');
    if (def) {
      expect(result.records.find((r) => r.DeveloperName === 'Default')).toMatchObject({
        Improvement_Target__c: def.values.Improvement_Target__c,
        NPS_Floor__c: def.values.NPS_Floor__c
      });
    }
    const write = await rejection(conn.sobject('NPS_Setting__mdt').create({ DeveloperName: 'Other' }));
    expect(write.errorCode).toBe('INVALID_TYPE_FOR_OPERATION');
  });

  test('objects from an extra metadata folder: lookups with Restrict, cross-object formulas, history of a custom CSM lookup', async () => {
    const [qualtrics] = await conn
      .sobject('Qualtrics_Response__c')
      .create(
        [{ Name: 'Q-1', Response_Id__c: 'R_1', NPS_Score__c: 5, Account__c: accountId, Question__c: 'CSM' }],
        { allOrNone: true }
      );
    const row = await conn.query<{
      Is_Detractor__c: boolean;
      Account_Name__c: string;
      Account__r: { Name: string };
    }>(
      `SELECT Is_Detractor__c, Account_Name__c, Account__r.Name FROM Qualtrics_Response__c WHERE Id = '${qualtrics?.id ?? ''}'`
    );
    expect(row.records[0]?.Is_Detractor__c).toBe(true);
    expect(row.records[0]?.Account_Name__c).toBe(`${row.records[0]?.Account__r.Name} (CSM)`);
    const blocked = await rejection(conn.sobject('Account').destroy(accountId));
    expect(blocked.errorCode).toBe('DELETE_FAILED');
    const users = await conn.query<{ Id: string }>(
      "SELECT Id FROM User WHERE IsActive = true AND Title LIKE 'Customer Success Manager,%' LIMIT 2"
    );
    const [a, b] = users.records;
    await conn.sobject('Account').update({ Id: accountId, CSM__c: a?.Id });
    await conn.sobject('Account').update({ Id: accountId, CSM__c: b?.Id });
    const history = await conn.query<{ DataType: string; OldValue: string; NewValue: string }>(
      `SELECT DataType, OldValue, NewValue FROM AccountHistory WHERE AccountId = '${accountId}' AND Field = 'CSM__c' AND DataType = 'EntityId' ORDER BY CreatedDate DESC LIMIT 1`
    );
    expect(history.records[0]).toMatchObject({ OldValue: a?.Id, NewValue: b?.Id });
  });
});

describe('Bulk API 2.0', () => {
  test('query streams more than 100,000 rows in several locator pages', async () => {
    const expected = org.admin.query('SELECT COUNT() FROM SurveyQuestionResponse').totalSize;
    expect(expected).toBeGreaterThan(100_000);
    const stream = await conn.bulk2.query(
      'SELECT Id, NumberValue, Question.DeveloperName, Response.CompletionDateTime FROM SurveyQuestionResponse'
    );
    const ids = new Set<string>();
    let headerEchoes = 0;
    let sample: Record<string, string> | null = null;
    await new Promise<void>((resolve, reject) => {
      stream.on('record', (record: Record<string, string>) => {
        // Every results page starts with the header row, as in Salesforce; jsforce 3.10.16 parses the
        // header of each page after the first as a record. Consumers must skip those rows.
        if (record.Id === 'Id') {
          headerEchoes++;
          return;
        }
        ids.add(record.Id as string);
        if (!sample && record.NumberValue) sample = record;
      });
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    expect(ids.size).toBe(expected);
    expect(headerEchoes).toBe(Math.ceil(expected / 30_000) - 1);
    expect(sample).toMatchObject({
      'Question.DeveloperName': expect.any(String),
      'Response.CompletionDateTime': expect.stringMatching(/Z$/)
    });
    const jobs = await raw(org, `/services/data/v${org.apiVersion}/jobs/query`);
    expect(
      (jobs.json as { records: { numberRecordsProcessed: number }[] }).records.some(
        (j) => j.numberRecordsProcessed === expected
      )
    ).toBe(true);
  });

  test('results pages follow Sforce-Locator and honour maxRecords', async () => {
    const create = await raw(org, `/services/data/v${org.apiVersion}/jobs/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        operation: 'query',
        query: "SELECT Id, Name FROM Account WHERE Type = 'Customer - Channel' ORDER BY Name"
      })
    });
    const jobId = (create.json as { id: string }).id;
    const lines: string[] = [];
    let locator: string | null = null;
    let pages = 0;
    do {
      const page = await raw(
        org,
        `/services/data/v${org.apiVersion}/jobs/query/${jobId}/results?maxRecords=100${locator ? `&locator=${locator}` : ''}`
      );
      expect(page.status).toBe(200);
      const body = page.text.trim().split('\n');
      expect(body[0]).toBe('Id,Name');
      expect(Number(page.headers.get('sforce-numberofrecords'))).toBe(body.length - 1);
      lines.push(...body.slice(1));
      locator = page.headers.get('sforce-locator');
      pages++;
    } while (locator && locator !== 'null');
    const count = org.admin.query("SELECT COUNT() FROM Account WHERE Type = 'Customer - Channel'").totalSize;
    expect(lines).toHaveLength(count);
    expect(pages).toBe(Math.ceil(count / 100));
    const deleted = await raw(org, `/services/data/v${org.apiVersion}/jobs/query/${jobId}`, {
      method: 'DELETE'
    });
    expect(deleted.status).toBe(204);
  });

  test('aggregate queries are refused by Bulk API 2.0 query', async () => {
    const reply = await raw(org, `/services/data/v${org.apiVersion}/jobs/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ operation: 'query', query: 'SELECT COUNT(Id) FROM Account' })
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual([expect.objectContaining({ errorCode: 'MALFORMED_QUERY' })]);
  });

  test('an ingest upsert job reports successful and failed rows, and writes the successful ones', async () => {
    const csv = [
      'Source_Id__c,Score__c,Responded_At__c,Source__c,Metric__c,Comment__c',
      'bulk-1,9,2026-01-05T10:00:00Z,CSV,Company NPS,"Great, fast ""support"""',
      'bulk-2,3,2026-01-06T10:00:00Z,CSV,CSM NPS,"line one\nline two"',
      'bulk-3,12,2026-01-07T10:00:00Z,CSV,Company NPS,',
      'bulk-4,7,not-a-date,CSV,Company NPS,'
    ].join('\n');
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'NPS_Response__c',
      operation: 'upsert',
      externalIdFieldName: 'Source_Id__c',
      input: csv,
      pollInterval: 50,
      pollTimeout: 60_000
    });
    expect(results.successfulResults.map((r) => (r as Record<string, unknown>).Source_Id__c).sort()).toEqual([
      'bulk-1',
      'bulk-2'
    ]);
    expect(results.successfulResults.every((r) => r.sf__Created === 'true')).toBe(true);
    expect(
      results.failedResults.map((r) => [
        (r as Record<string, unknown>).Source_Id__c,
        String(r.sf__Error).split(':')[0]
      ])
    ).toEqual([
      ['bulk-3', 'FIELD_CUSTOM_VALIDATION_EXCEPTION'],
      ['bulk-4', 'INVALID_TYPE_ON_FIELD_IN_RECORD']
    ]);
    const stored = await conn.query<{ Comment__c: string }>(
      "SELECT Comment__c FROM NPS_Response__c WHERE Source_Id__c = 'bulk-2'"
    );
    expect(stored.records[0]?.Comment__c).toBe('line one\nline two');
    // A second run updates: empty cells leave fields as they are, #N/A clears them.
    const again = await conn.bulk2.loadAndWaitForResults({
      object: 'NPS_Response__c',
      operation: 'upsert',
      externalIdFieldName: 'Source_Id__c',
      input: 'Source_Id__c,Score__c,Comment__c\nbulk-1,10,\nbulk-2,4,#N/A\n',
      pollInterval: 50,
      pollTimeout: 60_000
    });
    expect(again.successfulResults.map((r) => r.sf__Created)).toEqual(['false', 'false']);
    const after = await conn.query<{ Source_Id__c: string; Score__c: number; Comment__c: string | null }>(
      "SELECT Source_Id__c, Score__c, Comment__c FROM NPS_Response__c WHERE Source_Id__c IN ('bulk-1', 'bulk-2') ORDER BY Source_Id__c"
    );
    expect(after.records.map((r) => [r.Score__c, r.Comment__c])).toEqual([
      [10, 'Great, fast "support"'],
      [4, null]
    ]);
  });

  test('an ingest job with an unknown column fails as a whole', async () => {
    const job = conn.bulk2.createJob({ object: 'NPS_Response__c', operation: 'insert' });
    await job.open();
    await job.uploadData('Source_Id__c,Nope__c\nx,1\n');
    await job.close();
    const error = await rejection(job.poll(50, 10_000));
    expect(error.message).toContain('Field name not found : Nope__c');
  });
});

describe('sessions and errors', () => {
  test('an expired session is refreshed by jsforce (SOAP login) and the call goes through', async () => {
    const c = await soapConnection(org);
    const before = c.accessToken;
    org.admin.expireSessions();
    const result = await c.query('SELECT Id FROM Organization');
    expect(result.totalSize).toBe(1);
    expect(c.accessToken).not.toBe(before);
  });

  test('an expired session is refreshed with an OAuth refresh token', async () => {
    const c = new jsforce.Connection({
      instanceUrl: org.instanceUrl,
      accessToken: 'expired-token',
      refreshToken: org.admin.issueRefreshToken(),
      version: org.apiVersion,
      oauth2: {
        loginUrl: org.loginUrl,
        clientId: org.clientId,
        clientSecret: org.clientSecret,
        redirectUri: 'http://localhost/callback'
      }
    });
    let refreshed = 0;
    c.on('refresh', () => refreshed++);
    const result = await c.query('SELECT Id FROM Organization');
    expect(result.totalSize).toBe(1);
    expect(refreshed).toBe(1);
  });

  test('a bad field and a malformed query answer Salesforce-shaped errors', async () => {
    const badField = await raw(
      org,
      `/services/data/v${org.apiVersion}/query?q=${encodeURIComponent('SELECT Scor__c FROM NPS_Response__c')}`
    );
    expect(badField.status).toBe(400);
    expect(badField.json).toEqual([
      {
        errorCode: 'INVALID_FIELD',
        message: expect.stringContaining("No such column 'Scor__c' on entity 'NPS_Response__c'"),
        fields: []
      }
    ]);
    const malformed = await rejection(conn.query('SELECT Id FROM'));
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    const unknownObject = await rejection(conn.query('SELECT Id FROM Nope__c'));
    expect(unknownObject.errorCode).toBe('INVALID_TYPE');
    const missing = await raw(
      org,
      `/services/data/v${org.apiVersion}/sobjects/NPS_Response__c/a00000000000000AAA`
    );
    expect(missing.status).toBe(404);
  });

  test('the OAuth username-password flow gives a working session', async () => {
    const c = await oauthConnection(org);
    const identity = await c.identity();
    expect(identity.user_id).toBe(org.userId);
    expect(identity.organization_id).toBe(org.organizationId);
  });
});

describe('/limits', () => {
  test('DailyApiRequests counts every call, the /limits call included', async () => {
    const c = await soapConnection(org);
    type Limit = { Max: number; Remaining: number };
    const before = (await c.limits()).DailyApiRequests as Limit;
    await c.query('SELECT Id FROM Organization');
    await c.sobject('Account').describe();
    await c.sobject('NPS_Response__c').create(response('limits-1'));
    const after = (await c.limits()).DailyApiRequests as Limit;
    expect(before.Remaining - after.Remaining).toBe(4);
    expect(org.admin.apiRequests()).toBe(after.Max - after.Remaining);
  });
});
