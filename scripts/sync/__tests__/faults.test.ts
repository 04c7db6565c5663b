// The sync under faults, against the local org: partial record failures, a run that dies half-way
// (connection killed from the n-th call on) followed by a re-run, a session revoked mid-run, 503s,
// dropped connections, timeouts and REQUEST_LIMIT_EXCEEDED. Each ends with the org exactly as a clean
// run leaves it — compared field by field with a twin org built the same way (same Ids).

import type { FaultRule, LocalOrg } from '../../local-org/index';
import {
  addAnswers,
  capturedOutput,
  expectSameOrg,
  orgContents,
  smallBook,
  syncCli,
  type SmallBook
} from '../../test-support/syncFixture';

jest.setTimeout(120_000);

async function twin(): Promise<SmallBook> {
  const book = await smallBook();
  addAnswers(book);
  return book;
}

describe('csm-nps sync under faults', () => {
  let clean: SmallBook;
  let cleanCalls: number;
  const opened: LocalOrg[] = [];
  const open = async () => {
    const book = await twin();
    opened.push(book.org);
    return book;
  };

  beforeAll(async () => {
    clean = await open();
    const result = await syncCli(clean.org, ['sync', '--json']);
    expect(result.code).toBe(0);
    cleanCalls = result.json.apiCalls;
  });
  afterAll(async () => {
    for (const org of opened) await org.close();
  });

  it('two orgs built alike have the same Ids (so they can be compared)', async () => {
    const other = await open();
    expect(other.csms).toEqual(clean.csms);
    expect(other.accounts).toEqual(clean.accounts);
  });

  it('partial record failures: reported with the source Id, the rest written, exit 1; the next run completes', async () => {
    const book = await open();
    const [bad] = book.org.admin.query(
      "SELECT Id FROM SurveyQuestionResponse WHERE Response.CompletionDateTime = 2026-02-20T15:00:00Z AND Question.DeveloperName = 'likely_to_recommend'"
    ).records as { Id: string }[];
    const badId = (bad as { Id: string }).Id;
    book.org.admin.addFault({
      type: 'recordError',
      sobject: 'NPS_Response__c',
      field: 'Source_Id__c',
      values: [badId],
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Blocked by a test rule'
    });
    const failed = await syncCli(book.org, ['sync', '--json']);
    expect(failed.code).toBe(1);
    expect(failed.json.failed).toEqual([
      { sourceId: badId, error: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Blocked by a test rule' }
    ]);
    expect(failed.json.responsesUpserted).toBe(8);
    expect(orgContents(book.org).responses.has(badId)).toBe(false);
    const human = await syncCli(book.org, ['sync']);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`${badId}: FIELD_CUSTOM_VALIDATION_EXCEPTION: Blocked by a test rule`);
    book.org.admin.clearFaults();
    const again = await syncCli(book.org, ['sync', '--json']);
    expect(again.code).toBe(0);
    expect(again.json.responsesUpserted).toBe(1);
    expectSameOrg(book.org, clean.org);
  });

  it('UNABLE_TO_LOCK_ROW on a record is retried and the run succeeds', async () => {
    const book = await open();
    book.org.admin.addFault({
      type: 'recordError',
      sobject: 'NPS_Snapshot__c',
      nthRecord: 2,
      times: 1,
      errorCode: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access to this record'
    });
    const result = await syncCli(book.org, ['sync', '--json']);
    expect(result.code).toBe(0);
    expect(book.org.admin.firedFaults().length).toBe(1);
    expectSameOrg(book.org, clean.org);
  });

  it('killed at any call (connection gone from the n-th call on), then run again: the org ends as after one clean run', async () => {
    for (let nth = 1; nth <= cleanCalls; nth++) {
      for (const beforeHandling of [true, false]) {
        const book = await open();
        // Every call from the n-th on loses its connection: before the org handles it, or after (the write happened).
        book.org.admin.addFault({
          type: 'drop',
          path: '/services/data',
          nth,
          times: 0,
          beforeHandling,
          afterBytes: 0
        });
        const crashed = await syncCli(book.org, ['sync', '--json', '--max-retries', '1']);
        expect(crashed.code).toBe(1);
        book.org.admin.clearFaults();
        const rerun = await syncCli(book.org, ['sync', '--json']);
        expect({ nth, beforeHandling, code: rerun.code, failed: rerun.json.failed }).toEqual({
          nth,
          beforeHandling,
          code: 0,
          failed: []
        });
        expectSameOrg(book.org, clean.org);
        await book.org.close();
        opened.splice(opened.indexOf(book.org), 1);
      }
    }
  });

  it('a session revoked mid-run is renewed (401 → login again) and the run completes', async () => {
    const book = await open();
    book.org.admin.addFault({ type: 'invalidSession', path: '/services/data', nth: 4 });
    const result = await syncCli(book.org, ['sync', '--json']);
    expect(result.code).toBe(0);
    expect(book.org.admin.firedFaults().map((f) => f.type)).toEqual(['invalidSession']);
    expectSameOrg(book.org, clean.org);
  });

  it('with SF_ACCESS_TOKEN a revoked session stops the run with what to do (exit 1), and no token is printed', async () => {
    const book = await open();
    const token = book.org.admin.newAccessToken();
    book.org.admin.addFault({ type: 'invalidSession', path: '/query', nth: 2 });
    const result = await syncCli(book.org, ['sync'], {
      SF_INSTANCE_URL: book.org.instanceUrl,
      SF_ACCESS_TOKEN: token
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('session expired and could not be renewed');
    expect(result.stderr).toContain('SF_ACCESS_TOKEN');
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it('503s are retried with backoff; every attempt is counted as the org counts it', async () => {
    const book = await open();
    book.org.admin.addFault({ type: 'unavailable', path: '/query', nth: 2, times: 3 });
    book.org.admin.addFault({ type: 'unavailable', path: '/composite/sobjects', nth: 1, times: 1 });
    const before = book.org.admin.apiRequests();
    const result = await syncCli(book.org, ['sync', '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /HTTP 503 from Salesforce on GET \/services\/data\/v64\.0\/query: retrying in [\d.]+ s \(retry 1 of 5\)/
    );
    expect(result.json.apiCalls).toBe(cleanCalls + 4);
    expect(result.json.apiCalls).toBe(book.org.admin.apiRequests() - before);
    expectSameOrg(book.org, clean.org);
  });

  it('a connection dropped in the middle of a response body is retried (caught by the call timeout)', async () => {
    // jsforce 3.10.16 pipes the response body without passing its error on, so a body cut short never
    // ends: the sync's own timeout on the whole call (body included) is what notices it.
    const book = await open();
    book.org.admin.addFault({ type: 'drop', path: '/query', nth: 1, afterBytes: 40 });
    const result = await syncCli(book.org, ['sync', '--json', '--timeout', '2']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/retrying in/);
    expectSameOrg(book.org, clean.org);
  });

  it('a call slower than --timeout is abandoned and retried', async () => {
    const book = await open();
    book.org.admin.addFault({ type: 'delay', path: '/query', nth: 1, ms: 4000 });
    const result = await syncCli(book.org, ['sync', '--json', '--timeout', '1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/retrying in/);
    expectSameOrg(book.org, clean.org);
  });

  it('REQUEST_LIMIT_EXCEEDED stops at once with advice; the next run finishes the work', async () => {
    const book = await open();
    const rule: FaultRule = { type: 'requestLimit', path: '/composite/sobjects', nth: 2 };
    book.org.admin.addFault(rule);
    const stopped = await syncCli(book.org, ['sync']);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('REQUEST_LIMIT_EXCEEDED');
    expect(stopped.stderr).toContain('the next run resumes');
    expect(stopped.stderr).not.toMatch(/retrying/); // retrying would only burn more of the allowance
    book.org.admin.clearFaults();
    const rerun = await syncCli(book.org, ['sync', '--json']);
    expect(rerun.code).toBe(0);
    expectSameOrg(book.org, clean.org);
  });

  afterAll(() => {
    const all = capturedOutput.join('\n');
    for (const org of [clean.org]) expect(all).not.toContain(org.password);
    expect(all).not.toMatch(/00D[A-Za-z0-9]{12,15}![A-Za-z0-9_-]{20,}/);
  });
});
