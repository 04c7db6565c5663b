// The Composite (/composite) and Composite Batch (/composite/batch) resources through the real jsforce
// client: Salesforce's request and response shapes, the limits (25 subrequests, 5 queries or
// collections per composite request), subrequests that fail alone, and the API counter — a composite
// request is ONE call, each subrequest of a batch is one call, as Salesforce counts them.

import type { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../index';
import { rejection, soapConnection } from './helpers';

jest.setTimeout(60_000);

let org: LocalOrg;
let conn: Connection;
let base: string;

beforeAll(async () => {
  org = await startLocalOrg({
    seed: 'composite-test',
    responses: 300,
    now: new Date('2026-06-15T00:00:00Z')
  });
  conn = await soapConnection(org);
  base = `/services/data/v${org.apiVersion}`;
});

afterAll(async () => {
  await org?.close();
});

interface CompositeAnswer {
  compositeResponse: {
    body: unknown;
    httpHeaders: Record<string, string>;
    httpStatusCode: number;
    referenceId: string;
  }[];
}

const q = (soql: string) => `${base}/query?q=${encodeURIComponent(soql)}`;

describe('POST /composite', () => {
  test('runs queries, a query page and collections in order, as one API call', async () => {
    const before = org.admin.apiRequests();
    const answer = await conn.requestPost<CompositeAnswer>(`${base}/composite`, {
      allOrNone: false,
      collateSubrequests: false,
      compositeRequest: [
        {
          method: 'GET',
          url: q('SELECT Id, Name FROM Account ORDER BY Name'),
          referenceId: 'accounts',
          httpHeaders: { 'Sforce-Query-Options': 'batchSize=200' }
        },
        { method: 'GET', url: q('SELECT COUNT() FROM Contact'), referenceId: 'contacts' },
        {
          method: 'PATCH',
          url: `${base}/composite/sobjects/NPS_Response__c/Source_Id__c`,
          referenceId: 'upsert',
          body: {
            allOrNone: false,
            records: [
              {
                attributes: { type: 'NPS_Response__c' },
                Source_Id__c: 'composite-1',
                Score__c: 9,
                Responded_At__c: '2026-03-02T15:04:05.000Z',
                Source__c: 'CSV'
              },
              {
                attributes: { type: 'NPS_Response__c' },
                Source_Id__c: 'composite-2',
                Score__c: 11,
                Responded_At__c: '2026-03-02T15:04:05.000Z',
                Source__c: 'CSV'
              }
            ]
          }
        },
        {
          method: 'GET',
          url: q("SELECT Source_Id__c, Score__c FROM NPS_Response__c WHERE Source_Id__c LIKE 'composite-%'"),
          referenceId: 'readBack'
        },
        { method: 'GET', url: q('SELECT Id FROM NoSuchObject__c'), referenceId: 'bad' }
      ]
    });
    expect(org.admin.apiRequests() - before).toBe(1);
    const [accounts, contacts, upsert, readBack, bad] = answer.compositeResponse;
    expect(answer.compositeResponse.map((r) => r.referenceId)).toEqual([
      'accounts',
      'contacts',
      'upsert',
      'readBack',
      'bad'
    ]);
    const page = accounts?.body as {
      totalSize: number;
      done: boolean;
      records: unknown[];
      nextRecordsUrl: string;
    };
    expect(accounts?.httpStatusCode).toBe(200);
    expect(page.records).toHaveLength(200);
    expect(page.done).toBe(false);
    expect((contacts?.body as { totalSize: number }).totalSize).toBeGreaterThan(0);
    const results = upsert?.body as {
      success: boolean;
      created?: boolean;
      errors: { statusCode: string }[];
    }[];
    expect(results[0]).toMatchObject({ success: true, created: true });
    expect(results[1]?.success).toBe(false);
    expect(results[1]?.errors[0]?.statusCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION'); // Score__c 0–10
    // Subrequests run in order: the read-back sees the upsert before it.
    expect(
      (readBack?.body as { records: { Source_Id__c: string }[] }).records.map((r) => r.Source_Id__c)
    ).toEqual(['composite-1']);
    // A failed subrequest fails alone (allOrNone false), with the error body of the resource.
    expect(bad?.httpStatusCode).toBe(400);
    expect((bad?.body as { errorCode: string }[])[0]?.errorCode).toBe('INVALID_TYPE');

    // The next page of a query is a query operation of its own.
    const next = await conn.requestPost<CompositeAnswer>(`${base}/composite`, {
      allOrNone: false,
      compositeRequest: [{ method: 'GET', url: page.nextRecordsUrl, referenceId: 'page2' }]
    });
    const page2 = next.compositeResponse[0]?.body as { records: unknown[] };
    expect(page2.records.length).toBe(Math.min(200, page.totalSize - 200));
  });

  test('refuses more than 25 subrequests, more than 5 queries or collections, references and allOrNone true', async () => {
    const query = (i: number) => ({
      method: 'GET',
      url: q('SELECT Id FROM User LIMIT 1'),
      referenceId: `q${i}`
    });
    const describe = (i: number) => ({
      method: 'GET',
      url: `${base}/sobjects/Account/describe`,
      referenceId: `d${i}`
    });
    const before = org.admin.apiRequests();
    const six = await rejection(
      conn.requestPost(`${base}/composite`, { compositeRequest: [0, 1, 2, 3, 4, 5].map(query) })
    );
    expect(six).toMatchObject({ errorCode: 'INVALID_API_INPUT' });
    expect(six.message).toMatch(/at most 5 query operations/);
    const many = await rejection(
      conn.requestPost(`${base}/composite`, {
        compositeRequest: Array.from({ length: 26 }, (_, i) => describe(i))
      })
    );
    expect(many.message).toMatch(/at most 25 subrequests/);
    const reference = await rejection(
      conn.requestPost(`${base}/composite`, {
        compositeRequest: [
          query(1),
          { method: 'GET', url: `${base}/sobjects/User/@{q1.records[0].Id}`, referenceId: 'r' }
        ]
      })
    );
    expect(reference.message).toMatch(/not implemented by the local org/);
    const allOrNone = await rejection(
      conn.requestPost(`${base}/composite`, { allOrNone: true, compositeRequest: [query(1)] })
    );
    expect(allOrNone.message).toMatch(/allOrNone true/);
    // Refused requests are still API calls.
    expect(org.admin.apiRequests() - before).toBe(4);
    // Five queries and twenty other subrequests are fine.
    const ok = await conn.requestPost<CompositeAnswer>(`${base}/composite`, {
      compositeRequest: [...[0, 1, 2, 3, 4].map(query), ...Array.from({ length: 20 }, (_, i) => describe(i))]
    });
    expect(ok.compositeResponse.every((r) => r.httpStatusCode === 200)).toBe(true);
  });
});

describe('POST /composite/batch', () => {
  test('each subrequest is an API call; haltOnError stops the rest', async () => {
    const before = org.admin.apiRequests();
    const answer = await conn.requestPost<{
      hasErrors: boolean;
      results: { statusCode: number; result: unknown }[];
    }>(`${base}/composite/batch`, {
      batchRequests: [
        {
          method: 'GET',
          url: `v${org.apiVersion}/query?q=${encodeURIComponent('SELECT Id FROM Account LIMIT 2')}`
        },
        { method: 'GET', url: `v${org.apiVersion}/limits` },
        { method: 'GET', url: `v${org.apiVersion}/sobjects/NoSuchObject__c/describe` },
        { method: 'GET', url: `v${org.apiVersion}/sobjects/Account/describe` }
      ],
      haltOnError: true
    });
    expect(org.admin.apiRequests() - before).toBe(4);
    expect(answer.hasErrors).toBe(true);
    expect(answer.results.map((r) => r.statusCode)).toEqual([200, 200, 404, 412]);
    expect((answer.results[0]?.result as { records: unknown[] }).records).toHaveLength(2);
    expect(answer.results[3]?.result).toEqual([
      { errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }
    ]);
  });
});
