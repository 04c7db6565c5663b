// `npm run local-org -- [--port 0] [--seed demo] [--db FILE] [--responses N] …`
//
// Starts the local org (test and demo infrastructure, never a replacement for a real org) and
// prints ONE JSON line on stdout: {"instanceUrl","accessToken","username","password","loginUrl"}.
// That line is the only place a token or password is ever written: they are throwaway credentials
// of a local server on 127.0.0.1, printed so that scripts, jsforce and curl can connect. Everything
// else goes to stderr. Serves until SIGINT or SIGTERM, then closes cleanly.

import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { startLocalOrg, type FaultRule, type LocalOrgOptions } from './index';

function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseFault(text: string, where: string): FaultRule {
  try {
    return JSON.parse(text) as FaultRule;
  } catch (error) {
    throw new InvalidArgumentError(`${where} is not JSON: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  const program = new Command('local-org')
    .description(
      'Salesforce REST API stand-in on 127.0.0.1 for tests and the demo (never a replacement for a real org)'
    )
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 = any free port)', integer(0, 65535), 0)
    .option('--seed <seed>', 'demo data seed (same seed, same org)', 'demo')
    .option('--empty', 'no demo data: only the integration user')
    .option(
      '--responses <n>',
      'NPS answers (company and CSM questions) in completed demo survey responses',
      integer(0, 20_000_000),
      8000
    )
    .option('--db <file>', 'SQLite file to keep the org in (reused when it exists); default: memory')
    .option('--time-zone <tz>', 'Organization.TimeZoneSidKey of a new org', 'America/New_York')
    .option('--fiscal-start-month <m>', 'Organization.FiscalYearStartMonth of a new org', integer(1, 12), 2)
    .option(
      '--fiscal-year-name <end|start>',
      'name fiscal years by the year they end (default) or start',
      'end'
    )
    .option(
      '--history-months <n>',
      'keep AccountHistory this many months back (default: all)',
      integer(1, 600)
    )
    .option('--jwt-public-key <file>', 'PEM public key that signs JWT bearer assertions')
    .option('--daily-api-limit <n>', 'DailyApiRequests allowance', integer(1, 100_000_000), 100_000)
    .option(
      '--fault <json>',
      'a fault rule, e.g. \'{"type":"unavailable","path":"/query","nth":3}\' (repeatable)',
      collect,
      []
    )
    .option('--faults-file <file>', 'a JSON file holding an array of fault rules')
    .option('--verbose', 'log every request to stderr')
    .showHelpAfterError()
    // Usage errors exit with 2, as in the project's other commands.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
  program.parse(process.argv);
  const opts = program.opts<{
    port: number;
    seed: string;
    empty?: boolean;
    responses: number;
    db?: string;
    timeZone: string;
    fiscalStartMonth: number;
    fiscalYearName: string;
    historyMonths?: number;
    jwtPublicKey?: string;
    dailyApiLimit: number;
    fault: string[];
    faultsFile?: string;
    verbose?: boolean;
  }>();
  if (opts.fiscalYearName !== 'end' && opts.fiscalYearName !== 'start')
    program.error('--fiscal-year-name must be end or start', { exitCode: 2 });
  const faults: FaultRule[] = opts.fault.map((f, i) => parseFault(f, `--fault #${i + 1}`));
  if (opts.faultsFile) {
    const parsed = parseFault(readFileSync(opts.faultsFile, 'utf8'), opts.faultsFile) as unknown;
    if (!Array.isArray(parsed))
      program.error(`${opts.faultsFile} must hold a JSON array of fault rules`, { exitCode: 2 });
    faults.push(...(parsed as FaultRule[]));
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const options: LocalOrgOptions = {
    port: opts.port,
    seed: opts.empty ? null : opts.seed,
    responses: opts.responses,
    db: opts.db,
    faults,
    org: {
      timeZoneSidKey: opts.timeZone,
      fiscalYearStartMonth: opts.fiscalStartMonth,
      usesStartDateAsFiscalYearName: opts.fiscalYearName === 'start'
    },
    historyMonths: opts.historyMonths ?? null,
    jwtPublicKey: opts.jwtPublicKey ? readFileSync(opts.jwtPublicKey, 'utf8') : null,
    dailyApiLimit: opts.dailyApiLimit,
    log: opts.verbose ? log : (line) => (line.startsWith('local-org:') ? log(line) : undefined)
  };
  const started = Date.now();
  const org = await startLocalOrg(options);
  // The one line with credentials (see the header comment).
  process.stdout.write(
    `${JSON.stringify({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, username: org.username, password: org.password, loginUrl: org.loginUrl })}\n`
  );
  for (const warning of org.warnings) log(`local-org: warning: ${warning}`);
  const demo = org.demo;
  log(
    demo
      ? `local-org: ${org.instanceUrl} ready in ${Date.now() - started} ms — demo "${demo.seed}": ${demo.responses} NPS answers in ${demo.completedSubmissions} completed responses, ` +
          `${demo.csms.length} CSMs, ${demo.accounts} accounts, ${Object.values(demo.rows).reduce((a, b) => a + b, 0)} records generated in ${demo.generationMs} ms (test and demo infrastructure, not a Salesforce org)`
      : `local-org: ${org.instanceUrl} ready in ${Date.now() - started} ms — no demo data (test and demo infrastructure, not a Salesforce org)`
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`local-org: ${signal}, closing`);
    org.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`local-org: error while closing: ${(error as Error).message}`);
        process.exit(1);
      }
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`local-org: ${(error as Error).message}\n`);
  process.exit(1);
});
