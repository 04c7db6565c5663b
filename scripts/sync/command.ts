// `csm-nps sync` and `csm-nps init`: options, output (table, summary, --json) and exit status.

import { access, writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { InputError, UsageError, type CliIo } from '../cli/io';
import { renderNpsTable } from '../cli/table';
import { CONFIG_FILE, configTemplate, loadConfig } from './config';
import { DEFAULT_API_VERSION } from './connect';
import { ConfigError, messageOf, redact, SyncError } from './errors';
import { createProgress } from './progress';
import { runSync, type SyncSummary } from './sync';
import { DEFAULT_RETRY_POLICY } from './transport';

const SYNC_HELP = `
Connecting (first that applies):
  --target-org ALIAS           the Salesforce CLI's login (sf org display --json)
  SF_INSTANCE_URL, SF_ACCESS_TOKEN
  SF_CLIENT_ID, SF_USERNAME, SF_JWT_KEY_FILE, SF_LOGIN_URL   JWT bearer flow (CI)
  SF_USERNAME, SF_PASSWORD, SF_LOGIN_URL                     the local org only
Tokens and passwords are never printed.

Exit status: 0 done (rejected source records are listed but do not fail the run), 1 a record could not be
written or the sync stopped (the message says why; a re-run resumes), 2 wrong options or configuration.

Examples:
  $ csm-nps init                        write a commented ${CONFIG_FILE}
  $ csm-nps sync --target-org prod --dry-run
  $ csm-nps sync --target-org prod --json > sync-summary.json
  $ csm-nps sync --csv answers.csv      load a CSV into NPS_Response__c and recompute the snapshots
See docs/SYNC.md for the setup of a real org and scheduling it nightly.
`;

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${flag} must be a whole number ≥ 0, got "${value}"`);
  return n;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The human summary printed after the table. */
export function formatSummary(s: SyncSummary): string {
  const lines: string[] = [];
  const verb = s.dryRun ? 'Dry run (nothing written)' : 'Synced';
  lines.push(
    `${verb}: ${s.source} → NPS_Response__c and NPS_Snapshot__c in ${(s.durationMs / 1000).toFixed(1)} s with ${fmt(s.apiCalls)} API call${s.apiCalls === 1 ? '' : 's'}`
  );
  const would = s.dryRun ? 'would be ' : '';
  lines.push(
    `  records read     ${fmt(s.responsesRead)}${s.rejected.length > 0 ? ` (${s.rejected.length} rejected)` : ''}${s.skipped > 0 ? ` (${s.skipped} not completed yet)` : ''}`
  );
  lines.push(
    `  responses        ${fmt(s.responsesUpserted)} ${would}upserted, ${fmt(s.responsesDeleted)} ${would}deleted, ${fmt(s.responsesUnchanged)} unchanged`
  );
  lines.push(
    `  snapshots        ${fmt(s.snapshotsUpserted)} ${would}upserted, ${fmt(s.snapshotsDeleted)} ${would}deleted, ${fmt(s.snapshotsUnchanged)} unchanged`
  );
  if (s.attributionFallbacks > 0)
    lines.push(
      `  attribution      ${fmt(s.attributionFallbacks)} answer(s) credited to the current CSM for lack of history`
    );
  lines.push(
    `  watermark        ${s.watermark ?? '(none: the next run reads everything)'}${s.fullRun ? ' — full run' : ''}`
  );
  const phases = Object.entries(s.apiCallsByPhase)
    .map(([phase, n]) => `${phase} ${n}`)
    .join(', ');
  if (phases) lines.push(`  API calls        ${phases}`);
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  if (s.rejected.length > 0) {
    lines.push(
      `${s.rejected.length} source record(s) rejected (fix them in the source; the next run picks them up):`
    );
    for (const r of s.rejected.slice(0, 50))
      lines.push(`  ${r.line !== undefined ? `line ${r.line}` : r.sourceId}: ${r.reason}`);
    if (s.rejected.length > 50) lines.push(`  … and ${s.rejected.length - 50} more (--json lists them all)`);
  }
  if (s.failed.length > 0) {
    lines.push(
      `${s.failed.length} record(s) could not be written (the watermark did not move: the next run tries them again):`
    );
    for (const f of s.failed.slice(0, 50)) lines.push(`  ${f.sourceId}: ${f.error}`);
    if (s.failed.length > 50) lines.push(`  … and ${s.failed.length - 50} more (--json lists them all)`);
  }
  return `${lines.join('\n')}\n`;
}

async function runSyncCommand(raw: Record<string, unknown>, io: CliIo): Promise<number> {
  let loaded;
  try {
    loaded = await loadConfig(typeof raw.config === 'string' ? raw.config : undefined);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const config = { ...loaded.config };
  const bulkThreshold = positiveInt('--bulk-threshold', raw.bulkThreshold as string | undefined);
  if (bulkThreshold !== undefined) config.bulkThreshold = Math.max(1, bulkThreshold);
  const maxRetries = positiveInt('--max-retries', raw.maxRetries as string | undefined);
  const timeout = positiveInt('--timeout', raw.timeout as string | undefined);
  const csvFile = typeof raw.csv === 'string' ? raw.csv : undefined;
  const source = (csvFile ? 'csv' : ((raw.source as string | undefined) ?? config.source)) as
    'surveys' | 'object' | 'csv';
  if (source === 'object' && !config.object)
    throw new UsageError(
      `--source object needs an "object" section in ${loaded.file ?? CONFIG_FILE} (run \`csm-nps init --source object\`)`
    );
  const json = Boolean(raw.json);
  const progress = createProgress(io, { quiet: Boolean(raw.quiet) });
  const retryBaseMs = Number(io.env.CSM_NPS_RETRY_BASE_MS ?? DEFAULT_RETRY_POLICY.baseDelayMs);
  try {
    const run = await runSync({
      config,
      source,
      csvFile,
      dryRun: Boolean(raw.dryRun),
      wantTable: !json,
      full: Boolean(raw.full),
      targetOrg: (raw.targetOrg as string | undefined) ?? config.targetOrg,
      apiVersion: (raw.apiVersion as string | undefined) ?? config.apiVersion ?? DEFAULT_API_VERSION,
      retry: {
        ...DEFAULT_RETRY_POLICY,
        maxRetries: maxRetries ?? config.maxRetries,
        timeoutMs: (timeout ?? config.timeoutSeconds) * 1000,
        baseDelayMs:
          Number.isFinite(retryBaseMs) && retryBaseMs >= 0 ? retryBaseMs : DEFAULT_RETRY_POLICY.baseDelayMs
      },
      env: io.env,
      progress,
      bulkPollMs: io.env.CSM_NPS_BULK_POLL_MS ? Number(io.env.CSM_NPS_BULK_POLL_MS) : undefined,
      onRetry: (n) =>
        progress.note(
          `${n.reason} on ${n.method} ${n.path}: retrying in ${(n.delayMs / 1000).toFixed(1)} s (retry ${n.attempt} of ${n.maxRetries})`
        )
    });
    const s = run.summary;
    if (json) {
      io.stdout.write(`${redact(JSON.stringify(s))}\n`);
    } else {
      if (run.table && run.table.results.length > 0) {
        io.stdout.write(
          redact(
            renderNpsTable(run.table.results, run.table.team, {
              width: io.columns,
              color: io.isTTY && !io.env.NO_COLOR,
              settings: run.table.settings,
              maxPeriods: 6
            })
          )
        );
      }
      io.stdout.write(redact(formatSummary(s)));
    }
    return s.failed.length > 0 ? 1 : 0;
  } catch (error) {
    const partial = (error as { summary?: SyncSummary }).summary;
    if (error instanceof ConfigError) {
      if (json) io.stdout.write(`${redact(JSON.stringify({ error: error.message, ...(partial ?? {}) }))}\n`);
      throw new UsageError(redact(error.message));
    }
    if (error instanceof SyncError) {
      if (json) io.stdout.write(`${redact(JSON.stringify({ error: error.message, ...(partial ?? {}) }))}\n`);
      const calls = partial ? ` (${partial.apiCalls} API call${partial.apiCalls === 1 ? '' : 's'} made)` : '';
      throw new InputError(redact(`sync stopped${calls}: ${error.message}`));
    }
    // Anything else is a bug: the stack helps, but it must not carry a secret either.
    const wrapped = new Error(redact(messageOf(error)));
    wrapped.stack = redact((error as Error).stack ?? wrapped.message);
    throw wrapped;
  }
}

async function runInit(raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const file = typeof raw.config === 'string' ? raw.config : CONFIG_FILE;
  const source = (raw.source as 'surveys' | 'object' | 'csv' | undefined) ?? 'surveys';
  const exists = await access(file).then(
    () => true,
    () => false
  );
  if (exists && !raw.force)
    throw new UsageError(`${file} already exists: keep it, or pass --force to overwrite it`);
  await writeFile(file, configTemplate(source), 'utf8');
  io.stdout.write(
    `Wrote ${file} (source "${source}"). Edit it, then run \`csm-nps sync --dry-run\` to see what a sync would do.\n`
  );
  return 0;
}

/** Adds `sync` and `init` to the program; each action sets `exit.code`. */
export function registerSyncCommands(program: Command, io: CliIo, exit: { code: number }): void {
  program
    .command('sync')
    .description(
      'Pull survey answers through the Salesforce API, credit each to the CSM of that moment, write NPS_Response__c and NPS_Snapshot__c.'
    )
    .option('--target-org <alias>', 'Salesforce CLI alias or username to connect with')
    .option('--config <file>', `configuration file (default ${CONFIG_FILE}; absent: Salesforce Surveys)`)
    .addOption(
      new Option('--source <source>', 'where answers come from (overrides the config)').choices([
        'surveys',
        'object',
        'csv'
      ])
    )
    .option('--csv <file>', 'load this CSV (source csv)')
    .option('--dry-run', 'compute and show what would change; write nothing')
    .option('--full', 'ignore the watermark: read every source record, remove responses whose record is gone')
    .option('--json', 'print the summary as one JSON object')
    .option('--quiet', 'no progress output')
    .option('--api-version <version>', `Salesforce API version (default ${DEFAULT_API_VERSION})`)
    .option('--bulk-threshold <n>', 'use Bulk API 2.0 from this many records (default 2000)')
    .option('--max-retries <n>', 'retries of a 503, timeout or dropped connection (default 5)')
    .option('--timeout <seconds>', 'timeout of one API call (default 120)')
    .addHelpText('after', SYNC_HELP)
    .action(async (options: Record<string, unknown>) => {
      exit.code = await runSyncCommand(options, io);
    });

  program
    .command('init')
    .description(`Write a commented ${CONFIG_FILE} to start from.`)
    .addOption(
      new Option('--source <source>', 'the source to configure')
        .choices(['surveys', 'object', 'csv'])
        .default('surveys')
    )
    .option('--config <file>', `where to write it (default ${CONFIG_FILE})`)
    .option('--force', 'overwrite an existing file')
    .action(async (options: Record<string, unknown>) => {
      exit.code = await runInit(options, io);
    });
}
