// The sync part of `npm run bench` (issue 8, items 2–4): `csm-nps sync` against the local org at
// 10,000, 100,000 and 1,000,000 answers, side by side with the obvious script a Salesforce developer
// would write first (obviousSync.ts), on the same generated org in the same run.
//
// For each size:
//   1. the demo org is generated once into a SQLite file and copied, so that both syncs start from
//      exactly the same org (two local org servers, one per copy);
//   2. `csm-nps sync --json` runs as a child process on copy A: wall time, peak RSS (VmHWM of the child,
//      polled), API calls (the local org's DailyApiRequests counter, reset before the run);
//   3. the obvious script runs as a child process on copy B: the same three figures;
//   4. both orgs' NPS_Snapshot__c are compared (count, responses and NPS of every key): the two syncs
//      must have computed the same thing, else the figures are flagged;
//   5. on copy A: a sync with no change, and a sync after 1,000 new answers (500 survey submissions,
//      each with the company and the CSM question), API calls and time.
// Then the memory growth of `csm-nps sync` (issue 8, item 4): its peak RSS at each size, and 1M ÷ 10k.
// The local org runs in this process (its CPU is not the child's); the measured processes are children.
//
// The 1,000,000-answer targets (≤ 40 calls, ≤ 300 MB, ≥ 10× fewer calls than the obvious script, flat
// memory) are judged on the 1,000,000-answer org only: with --quick (10,000 and 100,000) they print NOT
// MEASURED, never MET or MISSED on a smaller org.

import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalOrg, type LocalOrg } from '../local-org/index';
import { findProjectRoot } from '../metadata/paths';
import type { BenchPart, Figure } from './figures';

export interface SyncBenchOptions {
  /** Answers in the generated orgs (default 10,000, 100,000 and 1,000,000; `quick` drops 1,000,000). */
  sizes?: number[];
  quick?: boolean;
  /** Run the obvious script too (default true). */
  obvious?: boolean;
  /** New answers before the second incremental sync (default 1,000). */
  newAnswers?: number;
  /** Progress lines (stderr in bench.ts). */
  log?: (text: string) => void;
  /** Demo seed (default "bench"). */
  seed?: string;
}

interface ChildResult {
  exitCode: number | null;
  seconds: number;
  peakRssMiB: number | null;
  stdout: string;
  stderr: string;
}

function peakRssKiB(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Runs a child to its end, keeping its stdout, sampling its peak RSS (VmHWM) every 20 ms. */
function runMeasured(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env, cwd });
    let peak: number | null = null;
    const out: Buffer[] = [];
    let stderr = '';
    const sample = (): void => {
      const kib = child.pid === undefined ? null : peakRssKiB(child.pid);
      if (kib !== null) peak = Math.max(peak ?? 0, kib);
    };
    const timer = setInterval(sample, 20);
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      sample();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      sample();
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({
        exitCode: code,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        peakRssMiB: peak === null ? null : peak / 1024,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr
      });
    });
  });
}

function lastJsonLine(text: string): Record<string, unknown> {
  const lines = text.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      // not this line
    }
  }
  throw new Error(`no JSON object in the output: ${text.slice(0, 500)}`);
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Snapshot key → "responses|nps" as the org holds them, for comparing two orgs. */
function snapshotTable(org: LocalOrg): Map<string, string> {
  const out = new Map<string, string>();
  const result = org.admin.query('SELECT Key__c, Responses__c, NPS__c FROM NPS_Snapshot__c');
  for (const record of result.records as Record<string, unknown>[]) {
    const nps = record.NPS__c === null ? 'null' : Number(record.NPS__c).toFixed(4);
    out.set(String(record.Key__c), `${String(record.Responses__c)}|${nps}`);
  }
  return out;
}

function countOf(org: LocalOrg, soql: string): number {
  return org.admin.query(soql).totalSize;
}

function sameTables(a: Map<string, string>, b: Map<string, string>): { same: boolean; detail: string } {
  if (a.size !== b.size) return { same: false, detail: `${fmt(a.size)} snapshots vs ${fmt(b.size)}` };
  for (const [key, value] of a) {
    if (b.get(key) !== value)
      return { same: false, detail: `snapshot ${key}: ${value} vs ${b.get(key) ?? 'missing'}` };
  }
  return { same: true, detail: `${fmt(a.size)} snapshots identical (responses and NPS)` };
}

/**
 * The obvious script, bundled like the CLI (esbuild, packages external) so both start the same way.
 * Written into dist/ (git-ignored): packages are external, so the bundle must sit where Node finds the
 * project's node_modules (a bundle in the temporary folder cannot import jsforce).
 */
async function buildObviousScript(root: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = path.join(root, 'dist', 'bench-obvious-sync.mjs');
  await build({
    entryPoints: [path.join(root, 'scripts/bench/obviousSync.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    resolveExtensions: ['.ts', '.mjs', '.js', '.json'],
    absWorkingDir: root,
    nodePaths: [path.join(root, 'node_modules')],
    logLevel: 'warning'
  });
  return outfile;
}

function syncEnv(org: LocalOrg): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of [
    'SF_INSTANCE_URL',
    'SF_ACCESS_TOKEN',
    'SF_CLIENT_ID',
    'SF_JWT_KEY_FILE',
    'SF_TARGET_ORG',
    'NODE_OPTIONS'
  ])
    delete env[key];
  env.SF_LOGIN_URL = org.loginUrl;
  env.SF_USERNAME = org.username;
  env.SF_PASSWORD = org.password;
  return env;
}

interface RunFigures {
  calls: number;
  seconds: number;
  peakRssMiB: number | null;
  summary: Record<string, unknown>;
}

async function measureRun(org: LocalOrg, args: string[], cwd: string, what: string): Promise<RunFigures> {
  org.admin.resetApiRequests();
  const run = await runMeasured(args, syncEnv(org), cwd);
  await org.admin.bulkIdle();
  const calls = org.admin.apiRequests();
  if (run.exitCode !== 0)
    throw new Error(`${what} failed (exit ${String(run.exitCode)}): ${run.stderr.slice(-3000)}`);
  return { calls, seconds: run.seconds, peakRssMiB: run.peakRssMiB, summary: lastJsonLine(run.stdout) };
}

/** 500 submissions (company and CSM question each): 1,000 new answers, completed in the last hours. */
function addAnswers(org: LocalOrg, answers: number, seed: number): void {
  const contacts = org.admin.query(
    'SELECT Id, AccountId FROM Contact WHERE AccountId != null ORDER BY Id LIMIT 2000'
  ).records as { Id: string; AccountId: string }[];
  let x = seed;
  const next = (): number => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x;
  };
  const now = org.admin.now().getTime();
  for (let i = 0; i < answers / 2; i++) {
    const contact = contacts[next() % contacts.length] as { Id: string; AccountId: string };
    org.admin.addSurveyResponse({
      accountId: contact.AccountId,
      contactId: contact.Id,
      completedAt: new Date(now - (next() % 36_000) * 1000),
      score: next() % 11,
      csmScore: next() % 11
    });
  }
}

const MILLION = 1_000_000;
const API_CALLS_TARGET = 40;
const RSS_TARGET_MB = 300;
const OBVIOUS_RATIO_TARGET = 10;
/** The sizes of the memory-growth figure (issue 8, item 4). */
const MEMORY_SIZES = [10_000, 100_000, MILLION];

const mbOf = (mibValue: number): number => mibValue * 1.048576;

/** What one size measured, kept for the JSON output. */
interface SizeDetails {
  answers: number;
  accounts: number;
  csms: number;
  responses: number;
  snapshots: number;
  ours: RunFigures;
  noChange: RunFigures;
  afterNewAnswers: RunFigures & { newAnswers: number };
  obvious: (RunFigures & { sameResult: boolean; check: string }) | null;
}

export async function runSyncBench(options: SyncBenchOptions = {}): Promise<BenchPart> {
  const log = options.log ?? (() => {});
  const sizes = options.sizes ?? (options.quick ? [10_000, 100_000] : [10_000, 100_000, MILLION]);
  const withObvious = options.obvious ?? true;
  const newAnswers = options.newAnswers ?? 1000;
  const seed = options.seed ?? 'bench';
  const root = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
  const cli = path.join(root, 'bin', 'csm-nps.mjs');
  const figures: Figure[] = [];
  const details: SizeDetails[] = [];
  const notRun = options.quick
    ? `--quick: the ${fmt(MILLION)}-answer org is not run`
    : `the ${fmt(MILLION)}-answer org was not run`;
  const dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-sync-bench-'));
  try {
    const obviousScript = withObvious ? await buildObviousScript(root) : null;
    for (const size of sizes) {
      const label = `${fmt(size)} answers`;
      const atTargetSize = size === MILLION;
      const dbA = path.join(dir, `org-${size}-a.db`);
      const dbB = path.join(dir, `org-${size}-b.db`);
      log(`Sync: generating the local org with ${label}…`);
      const generated = await startLocalOrg({ seed, responses: size, db: dbA });
      const accounts = generated.demo?.accounts ?? 0;
      const csms = generated.demo?.csms.length ?? 0;
      await generated.close();
      if (obviousScript) {
        copyFileSync(dbA, dbB);
        if (existsSync(`${dbA}-wal`)) copyFileSync(`${dbA}-wal`, `${dbB}-wal`);
      }

      // --- ours -----------------------------------------------------------------------------------
      const orgA = await startLocalOrg({ seed, db: dbA });
      let measured: SizeDetails;
      let oursTable: Map<string, string>;
      try {
        log(`Sync: csm-nps sync, first run on ${label} (${fmt(accounts)} accounts, ${fmt(csms)} CSMs)…`);
        const ours = await measureRun(orgA, [cli, 'sync', '--json'], dir, 'csm-nps sync');
        oursTable = snapshotTable(orgA);
        const responses = countOf(orgA, 'SELECT Id FROM NPS_Response__c');
        figures.push(
          {
            name: `sync ${label}: API calls, csm-nps sync (first run)`,
            value: ours.calls,
            unit: 'calls',
            ...(atTargetSize ? { target: `≤ ${API_CALLS_TARGET}`, met: ours.calls <= API_CALLS_TARGET } : {}),
            note: `${fmt(responses)} responses, ${fmt(oursTable.size)} snapshots; by phase ${JSON.stringify(ours.summary.apiCallsByPhase)}`
          },
          { name: `sync ${label}: wall time, csm-nps sync`, value: ours.seconds, unit: 's' },
          {
            name: `sync ${label}: peak RSS, csm-nps sync`,
            value: ours.peakRssMiB,
            unit: 'MiB',
            ...(atTargetSize
              ? {
                  target: `≤ ${RSS_TARGET_MB} MB`,
                  met: ours.peakRssMiB === null ? null : mbOf(ours.peakRssMiB) <= RSS_TARGET_MB
                }
              : {})
          }
        );

        log(`Sync: csm-nps sync again, nothing changed…`);
        const none = await measureRun(orgA, [cli, 'sync', '--json'], dir, 'csm-nps sync (no change)');
        figures.push(
          {
            name: `sync ${label}: API calls, incremental with no change`,
            value: none.calls,
            unit: 'calls',
            target: '≤ 5',
            met: none.calls <= 5
          },
          { name: `sync ${label}: wall time, incremental with no change`, value: none.seconds, unit: 's' }
        );

        log(`Sync: ${fmt(newAnswers)} new answers, csm-nps sync…`);
        addAnswers(orgA, newAnswers, size % 9973);
        const more = await measureRun(orgA, [cli, 'sync', '--json'], dir, `csm-nps sync (${newAnswers} new)`);
        figures.push(
          {
            name: `sync ${label}: API calls, incremental after ${fmt(newAnswers)} new answers`,
            value: more.calls,
            unit: 'calls',
            target: '≤ 12',
            met: more.calls <= 12,
            note: `${String(more.summary.responsesUpserted)} responses, ${String(more.summary.snapshotsUpserted)} snapshots upserted; by phase ${JSON.stringify(more.summary.apiCallsByPhase)}`
          },
          {
            name: `sync ${label}: wall time, incremental after ${fmt(newAnswers)} new answers`,
            value: more.seconds,
            unit: 's'
          },
          {
            name: `sync ${label}: peak RSS, incremental after ${fmt(newAnswers)} new answers`,
            value: more.peakRssMiB,
            unit: 'MiB'
          }
        );
        measured = {
          answers: size,
          accounts,
          csms,
          responses,
          snapshots: oursTable.size,
          ours,
          noChange: none,
          afterNewAnswers: { ...more, newAnswers },
          obvious: null
        };
        details.push(measured);
      } finally {
        await orgA.close();
      }
      rmSync(dbA, { force: true });

      // --- the obvious script -----------------------------------------------------------------------
      if (obviousScript) {
        const orgB = await startLocalOrg({ seed, db: dbB });
        try {
          log(`Sync: the obvious script (query autoFetch, upserts 200 at a time) on ${label}…`);
          const obvious = await measureRun(orgB, [obviousScript], dir, 'the obvious script');
          const check = sameTables(oursTable, snapshotTable(orgB));
          const ours = measured.ours;
          measured.obvious = { ...obvious, sameResult: check.same, check: check.detail };
          const callRatio = obvious.calls / ours.calls;
          figures.push(
            {
              name: `sync ${label}: API calls, obvious script`,
              value: obvious.calls,
              unit: 'calls',
              note: check.same ? check.detail : `RESULTS DIFFER: ${check.detail}`
            },
            {
              name: `sync ${label}: API calls, obvious ÷ csm-nps sync`,
              value: callRatio,
              unit: '×',
              ...(atTargetSize
                ? {
                    target: `≥ ${OBVIOUS_RATIO_TARGET}`,
                    met: callRatio >= OBVIOUS_RATIO_TARGET && check.same
                  }
                : { note: `the ≥ ${OBVIOUS_RATIO_TARGET} target is judged at ${fmt(MILLION)} answers` })
            },
            { name: `sync ${label}: wall time, obvious script`, value: obvious.seconds, unit: 's' },
            {
              name: `sync ${label}: wall time, obvious ÷ csm-nps sync`,
              value: obvious.seconds / ours.seconds,
              unit: '×'
            },
            { name: `sync ${label}: peak RSS, obvious script`, value: obvious.peakRssMiB, unit: 'MiB' },
            {
              name: `sync ${label}: peak RSS, obvious ÷ csm-nps sync`,
              value:
                obvious.peakRssMiB !== null && ours.peakRssMiB !== null
                  ? obvious.peakRssMiB / ours.peakRssMiB
                  : null,
              unit: '×'
            }
          );
        } finally {
          await orgB.close();
        }
        rmSync(dbB, { force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // --- the 1,000,000-answer targets, when that size was not run -----------------------------------
  const million = details.find((d) => d.answers === MILLION);
  if (!million) {
    const note = `${notRun}; the target is for ${fmt(MILLION)} answers`;
    figures.push(
      {
        name: `sync ${fmt(MILLION)} answers: API calls, csm-nps sync (first run)`,
        value: null,
        unit: 'calls',
        target: `≤ ${API_CALLS_TARGET}`,
        met: null,
        note
      },
      {
        name: `sync ${fmt(MILLION)} answers: peak RSS, csm-nps sync`,
        value: null,
        unit: 'MiB',
        target: `≤ ${RSS_TARGET_MB} MB`,
        met: null,
        note
      },
      ...(withObvious
        ? [
            {
              name: `sync ${fmt(MILLION)} answers: API calls, obvious ÷ csm-nps sync`,
              value: null,
              unit: '×',
              target: `≥ ${OBVIOUS_RATIO_TARGET}`,
              met: null,
              note
            }
          ]
        : [])
    );
  }

  // --- memory growth (issue 8, item 4): peak RSS of csm-nps sync by size ---------------------------
  const peakAt = (answers: number): number | null =>
    details.find((d) => d.answers === answers)?.ours.peakRssMiB ?? null;
  for (const answers of MEMORY_SIZES) {
    const ran = details.some((d) => d.answers === answers);
    figures.push({
      name: `memory growth: peak RSS of csm-nps sync, ${fmt(answers)} answers`,
      value: peakAt(answers),
      unit: 'MiB',
      ...(ran ? {} : { note: answers === MILLION ? notRun : 'not run' })
    });
  }
  const small = peakAt(10_000);
  const middle = peakAt(100_000);
  const large = peakAt(MILLION);
  if (middle !== null && small !== null)
    figures.push({
      name: `memory growth: peak RSS, ${fmt(100_000)} ÷ ${fmt(10_000)} answers`,
      value: middle / small,
      unit: '×',
      note: '1.00 is flat'
    });
  figures.push({
    name: `memory growth: peak RSS, ${fmt(MILLION)} ÷ ${fmt(10_000)} answers`,
    value: large !== null && small !== null ? large / small : null,
    unit: '×',
    target: `flat (${fmt(MILLION)}-answer peak ≤ ${RSS_TARGET_MB} MB)`,
    met: large === null ? null : mbOf(large) <= RSS_TARGET_MB,
    note:
      large === null
        ? `${notRun}; the target is for ${fmt(MILLION)} answers`
        : `${fmt(MILLION)}-answer peak ${mbOf(large).toFixed(0)} MB; 1.00 is flat`
  });

  return {
    name: 'sync',
    figures,
    details: {
      sizes,
      newAnswers,
      seed,
      obviousScript: withObvious,
      runs: details,
      memoryGrowth: {
        peakRssMiB: Object.fromEntries(MEMORY_SIZES.map((answers) => [String(answers), peakAt(answers)])),
        ratioMillionToTenThousand: large !== null && small !== null ? large / small : null
      }
    }
  };
}
