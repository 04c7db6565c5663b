// Torture case 2 — faults injected by the local org into a sync: 503 bursts, connections dropped in
// the middle of a body (or before it, or before the org handles the call), a session revoked mid-run,
// REQUEST_LIMIT_EXCEEDED (injected, and the org's own daily allowance running out), calls slower than
// the timeout, UNABLE_TO_LOCK_ROW on chosen records in sObject Collections and in Bulk API 2.0 ingest
// jobs, and Bulk API jobs that fail. Where and how long is seeded. Each run must end either with the
// org identical to a clean run's, field by field, or stopped with a clear message (exit 1, what
// happened and what to do, no stack trace) — and then a normal run must repair everything.

import type { FaultRule, LocalOrg } from '../local-org/index';
import { seededRandom } from '../samples/seededRandom';
import {
  addSeededAnswers,
  orgContents,
  orgDifference,
  smallBook,
  syncCli,
  type CliResult,
  type SmallBook
} from '../test-support/syncFixture';
import { CaseRecorder } from './results';
import { TortureRandom, tortureSeed } from './seed';

jest.setTimeout(10 * 60_000);

const seed = tortureSeed();
const random = new TortureRandom('faults');
const recorder = new CaseRecorder('faults');
const SUBMISSIONS = 250;
/** Enough answers (over 2,000) for the extract itself to go through a Bulk API 2.0 query. */
const BIG = 1400;
const BULK = ['--bulk-threshold', '50'];

interface Call {
  method: string;
  path: string;
}

/** A book with the seeded answers, and the API calls the org served (from its request log). */
async function twin(
  options: { dailyApiLimit?: number; big?: boolean } = {}
): Promise<{ book: SmallBook; calls: Call[] }> {
  const calls: Call[] = [];
  const book = await smallBook({
    dailyApiLimit: options.dailyApiLimit,
    log: (line) => {
      const m = /^(GET|POST|PATCH|PUT|DELETE) (\/services\/data\/\S+) \d{3} /.exec(line);
      if (m) calls.push({ method: m[1] as string, path: m[2] as string });
    }
  });
  addSeededAnswers(book, seededRandom(`${seed}:faults-data`), options.big ? BIG : SUBMISSIONS);
  return { book, calls };
}

type Expected = 'identical' | 'stopped';

interface Scenario {
  name: string;
  /** Which calls, in words (for the table). */
  where: string;
  args?: string[];
  env?: (org: LocalOrg) => Record<string, string>;
  faults: FaultRule[];
  /** What the product must do: carry on and end identical, or stop with a clear message. */
  expected: Expected;
  /** The clear message (stderr, or the failed list of --json) when it stops. */
  message?: RegExp;
  /** Wait this long before comparing (a slow call the org may still be holding). */
  settleMs?: number;
  dailyApiLimit?: number;
  /** On the big book (the extract goes through Bulk API 2.0 queries). */
  big?: boolean;
  /** Runs allowed to finish the work once the fault is gone (the API allowance: one a day). */
  repairRuns?: number;
}

/** Calls of the clean run that match, for choosing an nth. */
function matching(calls: Call[], method: string | null, pathPart: string): number {
  return calls.filter((c) => (method === null || c.method === method) && c.path.includes(pathPart)).length;
}

function isClearStop(run: CliResult, message: RegExp | undefined): string | null {
  const text = `${run.stderr}\n${JSON.stringify(run.json.failed ?? [])}`;
  if (run.code !== 1) return `exit ${run.code}, expected 1`;
  if (/unexpected error|\n\s+at \S+ \(/.test(run.stderr))
    return `a stack trace instead of a message: ${run.stderr.slice(-400)}`;
  if (message && !message.test(text)) return `the message does not say ${message}: ${text.slice(-400)}`;
  return null;
}

function firstLine(run: CliResult): string {
  const stopped = /csm-nps: (sync stopped[^\n]*)/.exec(run.stderr)?.[1];
  if (stopped) return stopped.length > 220 ? `${stopped.slice(0, 220)}…` : stopped;
  const failed = run.json.failed?.[0];
  return failed ? `exit 1, failed: ${failed.sourceId}: ${failed.error.slice(0, 120)}` : `exit ${run.code}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe(`torture: faults injected by the local org (seed ${seed})`, () => {
  let clean: SmallBook;
  let cleanBig: SmallBook;
  let restCalls: Call[];
  let bulkCalls: Call[];
  const opened: LocalOrg[] = [];

  beforeAll(async () => {
    const rest = await twin();
    clean = rest.book;
    opened.push(clean.org);
    const first = await syncCli(clean.org, ['sync', '--json']);
    expect(first.code).toBe(0);
    restCalls = [...rest.calls];
    const bulk = await twin();
    opened.push(bulk.book.org);
    const viaBulk = await syncCli(bulk.book.org, ['sync', '--json', ...BULK]);
    expect(viaBulk.code).toBe(0);
    expect(orgDifference(bulk.book.org, clean.org)).toBeNull();
    bulkCalls = [...bulk.calls];
    const big = await twin({ big: true });
    cleanBig = big.book;
    opened.push(cleanBig.org);
    expect((await syncCli(cleanBig.org, ['sync', '--json', ...BULK])).code).toBe(0);
  });
  afterAll(async () => {
    for (const org of opened) await org.close();
  });

  function scenarios(): Scenario[] {
    const out: Scenario[] = [];
    const nth = (calls: Call[], method: string | null, pathPart: string) =>
      random.int(1, Math.max(1, matching(calls, method, pathPart)));
    const lockable = () => {
      const sourceIds = [...orgContents(clean.org).responses.keys()];
      return random.pick(sourceIds);
    };
    // 503 bursts shorter than the retries: carried on.
    for (const [method, part, label] of [
      ['GET', '/query', 'queries'],
      ['PATCH', '/composite/sobjects', 'upserts']
    ] as const) {
      const times = random.int(1, 4);
      const n = nth(restCalls, method, part);
      out.push({
        name: `503 burst of ${times}`,
        where: `${label}, from #${n}`,
        faults: [{ type: 'unavailable', method, path: part, nth: n, times }],
        expected: 'identical'
      });
    }
    {
      const times = random.int(1, 3);
      out.push({
        name: `503 burst of ${times} on Bulk API job creation`,
        where: 'POST /jobs/ingest',
        args: BULK,
        faults: [
          {
            type: 'unavailable',
            method: 'POST',
            path: '/jobs/ingest',
            nth: nth(bulkCalls, 'POST', '/jobs/ingest'),
            times
          }
        ],
        expected: 'identical'
      });
    }
    {
      const n = random.int(2, restCalls.length);
      out.push({
        name: '503 that never ends (--max-retries 2)',
        where: `every call from #${n}`,
        args: ['--max-retries', '2'],
        faults: [{ type: 'unavailable', path: '/services/data/', nth: n, times: 0 }],
        expected: 'stopped',
        message: /sync stopped .*(SERVER_UNAVAILABLE|503)/
      });
    }
    // Connections dropped in the middle of a response body: noticed by the call timeout, retried.
    for (const [method, part, label] of [
      ['GET', '/query', 'a query result'],
      ['PATCH', '/composite/sobjects', 'an upsert result (the write happened)']
    ] as const) {
      const afterBytes = random.int(1, 60);
      const n = nth(restCalls, method, part);
      out.push({
        name: `connection dropped after ${afterBytes} bytes of the body`,
        where: `${label}, #${n}`,
        args: ['--timeout', '1'],
        faults: [{ type: 'drop', method, path: part, nth: n, afterBytes }],
        expected: 'identical'
      });
    }
    {
      const n = random.int(1, restCalls.length);
      out.push({
        name: 'connection dropped before the status line',
        where: `call ${n} (handled)`,
        faults: [{ type: 'drop', path: '/services/data/', nth: n, afterBytes: 0 }],
        expected: 'identical'
      });
      const m = random.int(1, restCalls.length);
      out.push({
        name: 'connection dropped before the org handles the call',
        where: `call ${m}`,
        faults: [{ type: 'drop', path: '/services/data/', nth: m, beforeHandling: true }],
        expected: 'identical'
      });
    }
    out.push({
      name: 'connection dropped during a Bulk API upload',
      where: 'PUT /jobs/ingest/…/batches, before it is handled',
      args: BULK,
      faults: [
        {
          type: 'drop',
          method: 'PUT',
          path: '/batches',
          nth: nth(bulkCalls, 'PUT', '/batches'),
          beforeHandling: true
        }
      ],
      expected: 'identical'
    });
    out.push({
      name: 'connection dropped in a Bulk API query results page',
      where: 'GET /jobs/query/…/results (2,221 answers read through Bulk API 2.0)',
      args: [...BULK, '--timeout', '1'],
      big: true,
      faults: [{ type: 'drop', method: 'GET', path: '/results', nth: 1, afterBytes: random.int(10, 2000) }],
      expected: 'identical'
    });
    out.push({
      name: `503 burst on Bulk API query job creation`,
      where: 'POST /jobs/query',
      args: BULK,
      big: true,
      faults: [{ type: 'unavailable', method: 'POST', path: '/jobs/query', nth: 1, times: random.int(1, 3) }],
      expected: 'identical'
    });
    // A session revoked in the middle of the run.
    for (const n of random.distinct(2, 2, restCalls.length)) {
      out.push({
        name: '401 INVALID_SESSION_ID mid-run (password login renews it)',
        where: `call ${n}`,
        faults: [{ type: 'invalidSession', path: '/services/data/', nth: n }],
        expected: 'identical'
      });
    }
    {
      const n = random.int(2, restCalls.length);
      out.push({
        name: '401 INVALID_SESSION_ID mid-run with SF_ACCESS_TOKEN (nothing can renew it)',
        where: `call ${n}`,
        env: (org) => ({ SF_INSTANCE_URL: org.instanceUrl, SF_ACCESS_TOKEN: org.admin.newAccessToken() }),
        faults: [{ type: 'invalidSession', path: '/services/data/', nth: n }],
        expected: 'stopped',
        message: /session expired and could not be renewed.*SF_ACCESS_TOKEN/
      });
    }
    // The org's API allowance.
    for (const n of random.distinct(2, 1, restCalls.length)) {
      out.push({
        name: 'REQUEST_LIMIT_EXCEEDED (injected)',
        where: `call ${n}`,
        faults: [{ type: 'requestLimit', path: '/services/data/', nth: n }],
        expected: 'stopped',
        message: /REQUEST_LIMIT_EXCEEDED.*the next run resumes/
      });
    }
    {
      // One or two calls short of a clean run: the run really stops part-way (at its last writes), and a
      // run the next day, reading again, fits in the allowance and repairs it.
      const limit = random.int(Math.max(2, restCalls.length - 2), restCalls.length - 1);
      out.push({
        name: `the org's daily allowance runs out (DailyApiRequests ${limit}), then resets each day`,
        where: `call ${limit + 1}`,
        faults: [],
        dailyApiLimit: limit,
        expected: 'stopped',
        message: /REQUEST_LIMIT_EXCEEDED/,
        repairRuns: 3
      });
    }
    // Slow calls.
    for (const [method, part, label] of [
      ['GET', '/query', 'a query'],
      ['PATCH', '/composite/sobjects', 'an upsert']
    ] as const) {
      const n = nth(restCalls, method, part);
      const ms = random.int(2200, 3500);
      out.push({
        name: `${label} slower than the timeout (${ms} ms, --timeout 1)`,
        where: `call #${n} of its kind`,
        args: ['--timeout', '1'],
        faults: [{ type: 'delay', method, path: part, nth: n, ms }],
        expected: 'identical',
        settleMs: ms
      });
    }
    {
      const n = random.int(1, restCalls.length);
      out.push({
        name: 'every call slower than the timeout (--timeout 1, --max-retries 1)',
        where: `from call ${n}`,
        args: ['--timeout', '1', '--max-retries', '1'],
        faults: [{ type: 'delay', path: '/services/data/', nth: n, times: 0, ms: 2500 }],
        expected: 'stopped',
        message: /no response from Salesforce within 1 s/,
        settleMs: 2600
      });
    }
    // Records locked by someone else.
    for (const sobject of ['NPS_Response__c', 'NPS_Snapshot__c'] as const) {
      const nthRecord = random.int(1, sobject === 'NPS_Response__c' ? 400 : 150);
      out.push({
        name: `UNABLE_TO_LOCK_ROW on one ${sobject} (sObject Collections)`,
        where: `record #${nthRecord} written`,
        faults: [{ type: 'recordError', sobject, nthRecord, times: 1, errorCode: 'UNABLE_TO_LOCK_ROW' }],
        expected: 'identical'
      });
    }
    {
      const sourceId = lockable();
      out.push({
        name: 'UNABLE_TO_LOCK_ROW that does not clear (sObject Collections)',
        where: `NPS_Response__c ${sourceId}, every attempt`,
        faults: [
          {
            type: 'recordError',
            sobject: 'NPS_Response__c',
            field: 'Source_Id__c',
            values: [sourceId],
            errorCode: 'UNABLE_TO_LOCK_ROW'
          }
        ],
        expected: 'stopped',
        message: new RegExp(`${sourceId}.*UNABLE_TO_LOCK_ROW`)
      });
    }
    out.push({
      name: 'UNABLE_TO_LOCK_ROW on the sync state (write-ahead record)',
      where: 'NPS_Sync_State__c, every attempt',
      faults: [{ type: 'recordError', sobject: 'NPS_Sync_State__c', errorCode: 'UNABLE_TO_LOCK_ROW' }],
      expected: 'stopped',
      message: /could not record the run in NPS_Sync_State__c: UNABLE_TO_LOCK_ROW/
    });
    // Bulk API 2.0 ingest.
    {
      const nthRecord = random.int(1, 400);
      out.push({
        name: 'UNABLE_TO_LOCK_ROW on one record in a Bulk API ingest job',
        where: `NPS_Response__c #${nthRecord} of the job`,
        args: BULK,
        faults: [
          {
            type: 'recordError',
            sobject: 'NPS_Response__c',
            nthRecord,
            times: 1,
            errorCode: 'UNABLE_TO_LOCK_ROW'
          }
        ],
        expected: 'identical'
      });
    }
    {
      const sourceId = lockable();
      out.push({
        name: 'a record refused in a Bulk API ingest job (validation rule)',
        where: `NPS_Response__c ${sourceId}`,
        args: BULK,
        faults: [
          {
            type: 'recordError',
            sobject: 'NPS_Response__c',
            field: 'Source_Id__c',
            values: [sourceId],
            errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            message: 'Blocked by a rule'
          }
        ],
        expected: 'stopped',
        message: new RegExp(`${sourceId}.*FIELD_CUSTOM_VALIDATION_EXCEPTION`)
      });
    }
    out.push({
      name: 'Bulk API job status answers 500',
      where: 'GET /jobs/ingest/… (poll)',
      args: BULK,
      faults: [
        {
          type: 'error',
          method: 'GET',
          pathRegex: '/jobs/ingest/[^/]+$',
          nth: 1,
          status: 500,
          errorCode: 'UNKNOWN_EXCEPTION'
        }
      ],
      expected: 'stopped',
      message: /sync stopped .*UNKNOWN_EXCEPTION/
    });
    out.push({
      name: 'Bulk API job refuses UploadComplete',
      where: 'PATCH /jobs/ingest/…',
      args: BULK,
      faults: [
        {
          type: 'error',
          method: 'PATCH',
          path: '/jobs/ingest/',
          nth: random.int(1, 2),
          status: 400,
          errorCode: 'INVALIDJOBSTATE',
          message: 'Job is not open'
        }
      ],
      expected: 'stopped',
      message: /sync stopped .*INVALIDJOBSTATE/
    });
    return out;
  }

  it('each fault ends identical to a clean run, or stopped with a clear message and repaired by the next run', async () => {
    const problems: string[] = [];
    for (const scenario of scenarios()) {
      const { book } = await twin({ dailyApiLimit: scenario.dailyApiLimit, big: scenario.big });
      const reference = scenario.big ? cleanBig : clean;
      opened.push(book.org);
      const ids = scenario.faults.map((rule) => book.org.admin.addFault(rule));
      const args = ['sync', '--json', ...(scenario.args ?? [])];
      const run = await syncCli(book.org, args, scenario.env ? scenario.env(book.org) : undefined);
      if (scenario.settleMs) await sleep(scenario.settleMs + 200);
      await book.org.admin.bulkIdle();
      const fired = book.org.admin.firedFaults().length + (scenario.dailyApiLimit ? 1 : 0);
      const outcome: Expected | 'failed' =
        run.code === 0 && orgDifference(book.org, reference.org) === null
          ? 'identical'
          : run.code === 1
            ? 'stopped'
            : 'failed';
      let problem: string | null = null;
      let produced: string;
      if (fired === 0) problem = 'the fault never fired';
      else if (outcome !== scenario.expected)
        problem = `${outcome} instead of ${scenario.expected}: ${firstLine(run)} ${outcome === 'stopped' || run.code !== 0 ? '' : (orgDifference(book.org, reference.org) ?? '')}`;
      if (outcome === 'identical') {
        const retries = (run.stderr.match(/retrying in/g) ?? []).length;
        produced = `exit 0, org identical to the clean run${retries > 0 ? ` (${retries} retr${retries === 1 ? 'y' : 'ies'})` : ''}`;
      } else {
        problem ??= isClearStop(run, scenario.message);
        for (const id of ids) book.org.admin.removeFault(id);
        book.org.admin.clearFaults();
        let repair = run;
        let runs = 0;
        do {
          book.org.admin.resetApiRequests();
          repair = await syncCli(book.org, ['sync', '--json']);
          runs++;
        } while (repair.code !== 0 && runs < (scenario.repairRuns ?? 1));
        const difference =
          repair.code === 0
            ? orgDifference(book.org, reference.org)
            : `the repairing run exited ${repair.code}: ${firstLine(repair)}`;
        if (difference) problem ??= difference;
        produced = `${firstLine(run)} → ${runs === 1 ? 'the next run' : `${runs} more runs (one a day)`}: exit ${repair.code}, ${difference ?? 'org identical to the clean run'}`;
      }
      recorder.add({ what: scenario.name, where: scenario.where, produced, held: problem === null });
      if (problem) problems.push(`${scenario.name} (${scenario.where}): ${problem}`);
      await book.org.close();
      opened.splice(opened.indexOf(book.org), 1);
    }
    const stopped = recorder.rows.filter((r) => !r.produced.startsWith('exit 0')).length;
    recorder.note(
      `Data: ${SUBMISSIONS} seeded survey submissions; the clean run makes ${restCalls.length} API calls through REST, ${bulkCalls.length} through Bulk API 2.0 (${BULK.join(' ')}).`
    );
    recorder.write(
      `${recorder.rows.length} faults: ${recorder.rows.length - stopped} carried on to an org identical to a clean run, ${stopped} stopped with a clear message and the next run repaired`
    );
    expect(problems).toEqual([]);
  });
});
