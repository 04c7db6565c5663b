// Fault injection, as the reliability tests and the torture suite use it: call faults (503, 401,
// 403, dropped connections, delays, any error) by count and path, record faults inside DML calls
// and Bulk ingest, the admin endpoint, and the real DailyApiRequests limit.

import type { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../index';
import { errorCodeOf, raw, rejection, soapConnection } from './helpers';

jest.setTimeout(60_000);

let org: LocalOrg;
let conn: Connection;

function response(sourceId: string): Record<string, unknown> {
  return { Source_Id__c: sourceId, Score__c: 8, Responded_At__c: '2026-01-02T03:04:05Z', Source__c: 'CSV' };
}

function count(sourcePrefix: string): number {
  return org.admin.query(`SELECT COUNT() FROM NPS_Response__c WHERE Source_Id__c LIKE '${sourcePrefix}%'`)
    .totalSize;
}

beforeAll(async () => {
  org = await startLocalOrg({ seed: null });
  conn = await soapConnection(org);
  conn.bulk2.pollInterval = 50;
});

afterEach(() => {
  org.admin.clearFaults();
});

afterAll(async () => {
  await org?.close();
});

const api = (): string => `/services/data/v${org.apiVersion}`;

describe('call faults', () => {
  test('the n-th matching call answers 503; jsforce retries GETs by itself, not POSTs', async () => {
    org.admin.addFault({ type: 'unavailable', path: '/query', nth: 2 });
    await conn.query('SELECT Id FROM Organization');
    // jsforce 3.10.16 retries GET, PUT and DELETE on 5xx (after 500 ms): the query still succeeds.
    await expect(conn.query('SELECT Id FROM Organization')).resolves.toMatchObject({ totalSize: 1 });
    expect(org.admin.firedFaults().at(-1)).toMatchObject({ type: 'unavailable', path: `${api()}/query` });
    org.admin.addFault({ type: 'unavailable', path: '/composite/sobjects' });
    const error = await rejection(conn.sobject('NPS_Response__c').create([response('503-1')]));
    expect(error.errorCode).toBe('SERVER_UNAVAILABLE');
    expect(count('503-')).toBe(0);
  });

  test('a burst: `times` consecutive calls fail', async () => {
    org.admin.addFault({ type: 'unavailable', path: '/limits', times: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await raw(org, `${api()}/limits`)).status);
    expect(statuses).toEqual([503, 503, 503, 200]);
  });

  test('401 INVALID_SESSION_ID revokes the session; jsforce logs in again and retries', async () => {
    const c = await soapConnection(org);
    const before = c.accessToken;
    org.admin.addFault({ type: 'invalidSession', path: '/sobjects' });
    const described = await c.sobject('Account').describe();
    expect(described.name).toBe('Account');
    expect(c.accessToken).not.toBe(before);
    const stale = await raw(org, `${api()}/limits`, { token: before });
    expect(stale.status).toBe(401);
  });

  test('403 REQUEST_LIMIT_EXCEEDED', async () => {
    org.admin.addFault({ type: 'requestLimit', method: 'GET', path: '/query' });
    const error = await rejection(conn.query('SELECT Id FROM Organization'));
    expect(error.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
  });

  test('any status and error code', async () => {
    org.admin.addFault({
      type: 'error',
      path: '/composite/sobjects',
      status: 500,
      errorCode: 'UNKNOWN_EXCEPTION',
      message: 'An unexpected error occurred'
    });
    const error = await rejection(
      conn.sobject('NPS_Response__c').create([response('err-1'), response('err-2')])
    );
    expect(errorCodeOf(error)).toBe('UNKNOWN_EXCEPTION');
    expect(count('err-')).toBe(0);
  });

  test('a connection reset after the work was done: the records are written, the client sees an error', async () => {
    org.admin.addFault({ type: 'drop', path: '/composite/sobjects', afterBytes: 0 });
    const error = await rejection(
      conn.sobject('NPS_Response__c').create([response('drop-1'), response('drop-2')], { allOrNone: true })
    );
    expect(error.name).toBe('FetchError');
    expect(count('drop-')).toBe(2);
    // An idempotent retry (upsert by external id) duplicates nothing.
    const retry = await conn
      .sobject('NPS_Response__c')
      .upsert([response('drop-1'), response('drop-2')], 'Source_Id__c', { allOrNone: true });
    expect(retry.map((r) => (r as { created: boolean }).created)).toEqual([false, false]);
    expect(count('drop-')).toBe(2);
  });

  test('a connection dropped before the request is handled writes nothing', async () => {
    org.admin.addFault({ type: 'drop', path: '/composite/sobjects', beforeHandling: true });
    await rejection(conn.sobject('NPS_Response__c').create([response('early-1')]));
    expect(count('early-')).toBe(0);
  });

  test('a body cut mid-way: the status line arrives, reading the body fails', async () => {
    org.admin.addFault({ type: 'drop', path: '/query', afterBytes: 20 });
    const reply = await fetch(
      `${org.instanceUrl}${api()}/query?q=${encodeURIComponent('SELECT Id, Name FROM User')}`,
      { headers: { Authorization: `Bearer ${org.admin.newAccessToken()}` } }
    );
    expect(reply.status).toBe(200);
    await expect(reply.text()).rejects.toThrow();
  });

  test('jsforce 3.10.16 never settles a call whose body is cut mid-way: callers need their own timeout', async () => {
    org.admin.addFault({ type: 'drop', path: '/query', afterBytes: 20 });
    const outcome = await Promise.race([
      conn.query('SELECT Id, Name FROM User').then(
        () => 'resolved',
        () => 'rejected'
      ),
      new Promise<string>((resolve) => setTimeout(() => resolve('still pending'), 1500))
    ]);
    expect(outcome).toBe('still pending');
  });

  test('a delay slows the call down by at least that long', async () => {
    org.admin.addFault({ type: 'delay', path: '/limits', ms: 300 });
    const started = Date.now();
    expect((await raw(org, `${api()}/limits`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('faulted API calls count in DailyApiRequests', async () => {
    org.admin.resetApiRequests();
    org.admin.addFault({ type: 'unavailable', path: '/limits' });
    await raw(org, `${api()}/limits`);
    expect(org.admin.apiRequests()).toBe(1);
  });
});

describe('record faults', () => {
  test('chosen records fail with UNABLE_TO_LOCK_ROW inside a collection; the others are saved', async () => {
    org.admin.addFault({
      type: 'recordError',
      sobject: 'NPS_Response__c',
      field: 'Source_Id__c',
      values: ['lock-2']
    });
    const results = await conn
      .sobject('NPS_Response__c')
      .upsert([response('lock-1'), response('lock-2'), response('lock-3')], 'Source_Id__c', {
        allOrNone: false
      });
    expect(results.map((r) => r.success)).toEqual([true, false, true]);
    expect((results[1] as { errors: { statusCode: string; message: string }[] }).errors[0]).toMatchObject({
      statusCode: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access to this record or 1 records'
    });
    org.admin.clearFaults();
    const retry = await conn
      .sobject('NPS_Response__c')
      .upsert([response('lock-2')], 'Source_Id__c', { allOrNone: false });
    expect(retry[0]).toMatchObject({ success: true, created: true });
  });

  test('the n-th record of the next calls fails once', async () => {
    org.admin.addFault({
      type: 'recordError',
      sobject: 'NPS_Response__c',
      nthRecord: 2,
      errorCode: 'UNABLE_TO_LOCK_ROW'
    });
    const first = await conn
      .sobject('NPS_Response__c')
      .create([response('nth-1'), response('nth-2'), response('nth-3')], { allOrNone: false });
    expect(first.map((r) => r.success)).toEqual([true, false, true]);
    const second = await conn
      .sobject('NPS_Response__c')
      .create([response('nth-4'), response('nth-5')], { allOrNone: false });
    expect(second.map((r) => r.success)).toEqual([true, true]);
  });

  test('record faults reach Bulk API 2.0 ingest jobs', async () => {
    org.admin.addFault({
      type: 'recordError',
      sobject: 'NPS_Response__c',
      field: 'Source_Id__c',
      values: ['bulk-lock-2']
    });
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'NPS_Response__c',
      operation: 'upsert',
      externalIdFieldName: 'Source_Id__c',
      input:
        'Source_Id__c,Score__c,Responded_At__c\nbulk-lock-1,9,2026-01-01T00:00:00Z\nbulk-lock-2,9,2026-01-01T00:00:00Z\n',
      pollInterval: 50,
      pollTimeout: 30_000
    });
    expect(results.successfulResults).toHaveLength(1);
    expect(results.failedResults.map((r) => String(r.sf__Error).split(':')[0])).toEqual([
      'UNABLE_TO_LOCK_ROW'
    ]);
  });

  test('ingest jobs can be made to fail at the job level (a 5xx on close)', async () => {
    org.admin.addFault({ type: 'unavailable', method: 'PATCH', pathRegex: '/jobs/ingest/750\\w+$' });
    const error = await rejection(
      conn.bulk2.loadAndWaitForResults({
        object: 'NPS_Response__c',
        operation: 'insert',
        input: 'Source_Id__c,Score__c,Responded_At__c\nclose-1,9,2026-01-01T00:00:00Z\n',
        pollInterval: 50,
        pollTimeout: 10_000
      })
    );
    expect(errorCodeOf(error)).toBe('SERVER_UNAVAILABLE');
    expect(count('close-')).toBe(0);
  });
});

describe('admin endpoint', () => {
  test('POST /__admin/faults adds rules; invalid rules and missing tokens are refused', async () => {
    const added = await raw(org, '/__admin/faults', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([{ type: 'unavailable', path: '/limits' }])
    });
    expect(added.status).toBe(201);
    expect((await raw(org, `${api()}/limits`)).status).toBe(503);
    const listed = await raw(org, '/__admin/faults');
    expect((listed.json as { faults: { fired: number }[] }).faults[0]?.fired).toBe(1);
    const invalid = await raw(org, '/__admin/faults', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'explode' })
    });
    expect(invalid.status).toBe(400);
    expect((invalid.json as { errorCode: string }[])[0]?.errorCode).toBe('INVALID_FAULT');
    const anonymous = await raw(org, '/__admin/faults', { token: null });
    expect(anonymous.status).toBe(401);
    expect((await raw(org, '/__admin/faults', { method: 'DELETE' })).status).toBe(204);
    expect((await raw(org, `${api()}/limits`)).status).toBe(200);
  });

  test('the admin endpoint expires sessions and reports and resets the API counter', async () => {
    const before = (await raw(org, '/__admin/api-usage')).json as { used: number };
    await raw(org, `${api()}/limits`);
    const after = (await raw(org, '/__admin/api-usage')).json as { used: number };
    expect(after.used).toBe(before.used + 1);
    expect((await raw(org, '/__admin/api-usage/reset', { method: 'POST' })).json).toMatchObject({ used: 0 });
    const token = org.admin.newAccessToken();
    expect((await raw(org, '/__admin/sessions/expire', { method: 'POST', token })).status).toBe(204);
    expect((await raw(org, `${api()}/limits`, { token })).status).toBe(401);
  });
});

describe('DailyApiRequests allowance', () => {
  test('calls beyond the allowance answer 403 REQUEST_LIMIT_EXCEEDED', async () => {
    const small = await startLocalOrg({ seed: null, dailyApiLimit: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (await raw(small, `/services/data/v${small.apiVersion}/limits`, { token: small.accessToken }))
            .status
        );
      expect(statuses).toEqual([200, 200, 200, 403]);
    } finally {
      await small.close();
    }
  });
});
