// Torture case 1 — kills. The sync runs in its own process against the local org and is SIGKILLed at
// seeded API calls spread over every phase (settings, extract, attribution, the comparison with the
// org, the write-ahead state — on a first run it goes out in the same composite request as the
// attribution reads —, the response load, the snapshot load, the watermark update), through the
// REST and the Bulk API 2.0 paths, sometimes while the org holds the call (it is never handled) and
// sometimes once the org has handled it; a few runs are killed twice in a row. After each, one normal
// run: the org — every NPS_Response__c and NPS_Snapshot__c field — must equal that of one
// uninterrupted run, and a run after that must find nothing left to do.

import type { LocalOrg } from '../local-org/index';
import { seededRandom } from '../samples/seededRandom';
import {
  addSeededAnswers,
  orgDifference,
  smallBook,
  syncCli,
  syncKilledAt,
  touchAnswers,
  type SmallBook
} from '../test-support/syncFixture';
import { CaseRecorder } from './results';
import { TortureRandom, tortureSeed } from './seed';

jest.setTimeout(15 * 60_000);

const seed = tortureSeed();
const random = new TortureRandom('kills');
const recorder = new CaseRecorder('kills');
/** The REST runs' book; the Bulk runs' is bigger, so that the extract itself is a Bulk API 2.0 query (over 2,000 answers). */
const SUBMISSIONS = { rest: 400, bulk: 1400 } as const;

/**
 * The sync's phases in the order a first run goes through them. The state is written twice: the
 * write-ahead record (on a first run in the same request as the attribution reads, so within
 * `attribute`) and the watermark.
 */
type Phase =
  'connect' | 'settings' | 'extract' | 'attribute' | 'compare' | 'responses' | 'snapshots' | 'watermark';
const REQUIRED_PHASES: Phase[] = ['extract', 'attribute', 'responses', 'snapshots', 'watermark'];

const MODES = {
  rest: ['--json'],
  bulk: ['--json', '--bulk-threshold', '150']
} as const;
type Mode = keyof typeof MODES;

async function buildBook(mode: Mode): Promise<SmallBook> {
  const book = await smallBook();
  addSeededAnswers(book, seededRandom(`${seed}:kills-data`), SUBMISSIONS[mode]);
  return book;
}

/**
 * The phase a run was in when it died, from the progress lines it printed (stderr is a pipe: what it
 * wrote before the kill is all there). A phase's closing line means the write after it had started:
 * after the attribution and comparison, the write-ahead state (a run that recomputes some months); after
 * the snapshots, the watermark.
 */
function phaseOfProgress(stderr: string): Phase {
  let phase: Phase = 'connect';
  for (const line of stderr.split('\n')) {
    if (line.startsWith('Reading org settings')) phase = 'settings';
    else if (line.startsWith('Reading answers')) phase = 'extract';
    else if (line.startsWith('Crediting CSMs')) phase = 'attribute';
    else if (line.startsWith('  Crediting CSMs')) phase = 'compare';
    else if (line.startsWith('Writing NPS_Response__c')) phase = 'responses';
    else if (line.startsWith('Recomputing NPS_Snapshot__c')) phase = 'snapshots';
    else if (line.startsWith('  Recomputing NPS_Snapshot__c:')) phase = 'watermark';
  }
  return phase;
}

/** Call numbers (1-based) of each phase in an uninterrupted first run, from its apiCallsByPhase. */
function callRanges(byPhase: Record<string, number>): Map<Phase, [number, number]> {
  expect(Object.keys(byPhase)).toEqual([
    'settings',
    'extract',
    'attribute',
    'compare',
    'responses',
    'snapshots',
    'state'
  ]);
  // The watermark; the write-ahead record of a first run goes out with the attribution reads.
  expect(byPhase.state).toBe(1);
  const counts: [Phase, number][] = [
    ['settings', byPhase.settings as number],
    ['extract', byPhase.extract as number],
    ['attribute', byPhase.attribute as number],
    ['compare', byPhase.compare as number],
    ['responses', byPhase.responses as number],
    ['snapshots', byPhase.snapshots as number],
    ['watermark', 1]
  ];
  const ranges = new Map<Phase, [number, number]>();
  let next = 1;
  for (const [phase, n] of counts) {
    if (n > 0) ranges.set(phase, [next, next + n - 1]);
    next += n;
  }
  return ranges;
}

interface KillPoint {
  mode: Mode;
  call: number;
  hold: boolean;
  /** The phase the uninterrupted run is in at this call. */
  aimedAt: Phase | 'any';
  /** Kill the re-run too, at this call, before the final normal run. */
  thenKillRerunAt?: number;
}

describe(`torture: SIGKILL at seeded points, then a normal run (seed ${seed})`, () => {
  /** Per mode: the book after one uninterrupted normal (REST) run, and the calls of an uninterrupted run in that mode. */
  const references = new Map<
    Mode,
    { book: SmallBook; calls: number; ranges: Map<Phase, [number, number]> }
  >();
  const open: LocalOrg[] = [];

  beforeAll(async () => {
    for (const mode of Object.keys(MODES) as Mode[]) {
      const book = await buildBook(mode);
      open.push(book.org);
      const run = await syncCli(book.org, ['sync', ...MODES.rest]);
      expect(run.code).toBe(0);
      let { apiCalls, apiCallsByPhase } = run.json;
      if (mode !== 'rest') {
        const other = await buildBook(mode);
        open.push(other.org);
        const inMode = await syncCli(other.org, ['sync', ...MODES[mode]]);
        expect(inMode.code).toBe(0);
        expect(orgDifference(other.org, book.org)).toBeNull(); // Bulk API 2.0 and REST leave the same org
        ({ apiCalls, apiCallsByPhase } = inMode.json);
      }
      references.set(mode, {
        book,
        calls: apiCalls,
        ranges: callRanges(apiCallsByPhase as Record<string, number>)
      });
    }
  });
  afterAll(async () => {
    for (const org of open) await org.close();
    const kills = recorder.rows.filter((r) => r.what.startsWith('SIGKILL'));
    const phases = new Set(kills.map((r) => r.what.replace(/^SIGKILL (of an incremental run )?in /, '')));
    recorder.write(
      `${kills.length} SIGKILLs over ${phases.size} phases, of first and of incremental runs; ${kills.filter((k) => k.held).length} ended, after a normal run, with the org of one uninterrupted run`
    );
  });

  it('every kill point, whatever the phase, ends with the org of one uninterrupted run', async () => {
    const rest = references.get('rest') as {
      calls: number;
      ranges: Map<Phase, [number, number]>;
      book: SmallBook;
    };
    const bulk = references.get('bulk') as {
      calls: number;
      ranges: Map<Phase, [number, number]>;
      book: SmallBook;
    };
    const points: KillPoint[] = [];
    // REST: two points in every phase (both ways of dying when the phase is one call).
    for (const [phase, [first, last]] of rest.ranges) {
      const calls = first === last ? [first, first] : random.distinct(2, first, last);
      calls.forEach((call, i) =>
        points.push({
          mode: 'rest',
          call,
          hold: first === last ? i === 0 : random.chance(0.5),
          aimedAt: phase
        })
      );
    }
    // Bulk API 2.0: query and ingest job steps (create, upload, close, poll, result pages); their count varies with the polls.
    for (const call of random.distinct(6, 4, bulk.calls))
      points.push({ mode: 'bulk', call, hold: random.chance(0.5), aimedAt: 'any' });
    // Killed, then the run that should repair it killed too, then a normal run.
    for (let i = 0; i < 4; i++)
      points.push({
        mode: 'rest',
        call: random.int(1, rest.calls),
        hold: random.chance(0.5),
        aimedAt: 'any',
        thenKillRerunAt: random.int(1, 12)
      });

    const failures: string[] = [];
    for (const point of points) {
      const reference = point.mode === 'rest' ? rest.book : bulk.book;
      const book = await buildBook(point.mode);
      const first = await syncKilledAt(book.org, point.call, {
        args: [...MODES[point.mode]],
        hold: point.hold
      });
      const phase = first.killed ? phaseOfProgress(first.stderr) : null;
      let second: Awaited<ReturnType<typeof syncKilledAt>> | null = null;
      if (point.thenKillRerunAt !== undefined)
        second = await syncKilledAt(book.org, point.thenKillRerunAt, { hold: random.chance(0.5) });
      const rerun = await syncCli(book.org, ['sync', ...MODES.rest]);
      const difference =
        rerun.code === 0
          ? orgDifference(book.org, reference.org)
          : `the re-run exited ${rerun.code}: ${rerun.stderr.slice(-300)}`;
      const again = await syncCli(book.org, ['sync', ...MODES.rest]);
      const writes = ['responsesUpserted', 'responsesDeleted', 'snapshotsUpserted', 'snapshotsDeleted']
        .map((key) => `${key} ${Number(again.json[key])}`)
        .filter((text) => !text.endsWith(' 0'));
      const leftover =
        again.code !== 0 || writes.length > 0
          ? `a further run exited ${again.code} and still wrote: ${writes.join(', ') || 'nothing'}`
          : null;
      const held = difference === null && leftover === null;
      const where =
        `${point.mode === 'rest' ? 'REST' : 'Bulk API 2.0'} call ${point.call}${point.aimedAt === 'any' ? '' : ` (${point.aimedAt} in an uninterrupted run)`}${point.hold ? ', held: the org never handles it' : ', once the org counted it'}` +
        (second
          ? `; the re-run killed too at call ${point.thenKillRerunAt}${second.killed ? `, in ${phaseOfProgress(second.stderr)}` : ' (it finished first)'}`
          : '');
      recorder.add({
        what: first.killed ? `SIGKILL in ${phase}` : 'no kill (the run finished before that call)',
        where,
        produced: held
          ? `re-run exit 0, wrote ${rerun.json.responsesUpserted} responses and ${rerun.json.snapshotsUpserted} snapshots; org identical to one uninterrupted run; a further run writes nothing`
          : `${difference ?? ''} ${leftover ?? ''}`.trim(),
        held
      });
      if (!held) failures.push(`${where}: ${difference ?? leftover}`);
      await book.org.close();
    }
    const kills = recorder.rows.filter((r) => r.what.startsWith('SIGKILL'));
    const byPhase = new Map<string, number>();
    for (const row of kills) {
      const phase = row.what.replace('SIGKILL in ', '');
      byPhase.set(phase, (byPhase.get(phase) ?? 0) + 1);
    }
    recorder.note(
      `Kills by the phase the run was in: ${[...byPhase].map(([p, n]) => `${p} ${n}`).join(', ')}.`
    );
    recorder.note(
      `Data: seeded survey submissions — ${SUBMISSIONS.rest} for the REST runs (${rest.calls} API calls uninterrupted), ${SUBMISSIONS.bulk} for the Bulk API 2.0 runs (${MODES.bulk.slice(1).join(' ')}, about ${bulk.calls} calls) — on 5 accounts: one reassigned, one whose CSM is inactive, one without a CSM.`
    );
    expect(failures).toEqual([]);
    expect(kills.length).toBeGreaterThanOrEqual(20);
    expect(REQUIRED_PHASES.filter((phase) => !byPhase.has(phase))).toEqual([]);
  });

  /**
   * A run after new answers is incremental: its re-run reads only what changed since the watermark. If an
   * incremental run dies after writing responses but before their snapshots, the re-run finds those
   * responses already in the org — only the months the dead run recorded ahead of its writes (the
   * write-ahead state) tell it which snapshots are stale. A first run's re-run recomputes everything, so
   * only this case proves the write-ahead state is kept and used.
   */
  it('an incremental run killed at each of its calls, then a normal run, ends as one uninterrupted incremental run', async () => {
    /** New answers dated in past months, so that old months' snapshots must change. */
    const addNewAnswers = (book: SmallBook): void => {
      const ids: (string | null)[] = [];
      for (const [completedAt, score, csmScore] of [
        ['2025-06-15T12:00:00Z', 0, 1],
        ['2025-06-20T12:00:00Z', 2, null],
        ['2026-01-10T09:00:00Z', 10, 9],
        ['2026-05-20T12:00:00Z', 6, 10]
      ] as const) {
        const added = book.org.admin.addSurveyResponse({
          accountId: book.accounts.beta,
          contactId: book.contacts.beta,
          completedAt,
          score,
          csmScore
        });
        ids.push(added.companyAnswerId, added.csmAnswerId);
      }
      touchAnswers(book.org, ids);
    };
    /** A book synced once, then given the new answers: the next run is incremental. */
    const syncedBook = async (): Promise<SmallBook> => {
      const book = await buildBook('rest');
      const run = await syncCli(book.org, ['sync', ...MODES.rest]);
      expect(run.code).toBe(0);
      addNewAnswers(book);
      return book;
    };

    const reference = await syncedBook();
    open.push(reference.org);
    const clean = await syncCli(reference.org, ['sync', ...MODES.rest]);
    expect(clean.code).toBe(0);
    expect(clean.json.fullRun).toBe(false);
    expect(Number(clean.json.responsesUpserted)).toBe(7);
    const calls = Number(clean.json.apiCalls);

    const failures: string[] = [];
    for (let call = 1; call <= calls; call++) {
      const hold = random.chance(0.5);
      const book = await syncedBook();
      const killed = await syncKilledAt(book.org, call, { args: [...MODES.rest], hold });
      const phase = killed.killed ? phaseOfProgress(killed.stderr) : null;
      const rerun = await syncCli(book.org, ['sync', ...MODES.rest]);
      const difference =
        rerun.code === 0
          ? orgDifference(book.org, reference.org)
          : `the re-run exited ${rerun.code}: ${rerun.stderr.slice(-300)}`;
      const where = `incremental run (7 new answers, ${calls} calls uninterrupted), call ${call}${hold ? ', held: the org never handles it' : ', once the org counted it'}`;
      const held = difference === null;
      recorder.add({
        what: killed.killed
          ? `SIGKILL of an incremental run in ${phase}`
          : 'no kill (the run finished before that call)',
        where,
        produced: held
          ? `re-run exit 0, wrote ${rerun.json.responsesUpserted} responses and ${rerun.json.snapshotsUpserted} snapshots; org identical to one uninterrupted run`
          : String(difference),
        held
      });
      if (!held) failures.push(`${where}: ${difference}`);
      await book.org.close();
    }
    expect(failures).toEqual([]);
  });
});
