// `npm run demo`: the whole product on a laptop without a Salesforce org — the local org with demo data,
// the real `csm-nps sync` against it (its progress and NPS table), then the preview of the real
// components on 127.0.0.1. Ctrl-C stops everything.

import { createServer } from 'node:net';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { startDemo, type Demo } from './demo';
import { PAGE_PATHS } from './preview/pages';

const DEFAULT_PORT = 4173;

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0: any free port).');
  return port;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('npm run demo --')
    .description(
      'Start the local org with demo data, run csm-nps sync against it, and serve the real components on 127.0.0.1.'
    )
    .option(
      '--port <n>',
      `preview port on 127.0.0.1 (0: any free port; default ${DEFAULT_PORT}, or a free one if it is taken)`,
      portNumber
    )
    .option('--seed <text>', 'demo data seed: the same seed (and day) gives the same org', 'demo')
    .option('--no-sync', 'skip csm-nps sync: see the components before the first sync')
    .option('--verbose', 'print one line per GraphQL query and record update the preview answers')
    .exitOverride()
    .addHelpText(
      'after',
      '\nPages: / (manager: NPS by CSM), /csm (CSM Home: CSM NPS), /account (Account page: Account NPS).\nStop with Ctrl-C.'
    );
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError)
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.help' ? 0 : 2;
    throw error;
  }
  const options = program.opts<{ port?: number; seed: string; sync: boolean; verbose?: boolean }>();
  let port = options.port ?? DEFAULT_PORT;
  if (!(port === 0 || (await portIsFree(port)))) {
    if (options.port !== undefined) {
      process.stderr.write(
        `demo: port ${port} on 127.0.0.1 is in use: pass another --port (0 picks a free one).\n`
      );
      return 2;
    }
    port = 0;
  }

  let demo: Demo | null = null;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write('Stopping now.\n');
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the preview and the local org…\n`);
    // Before the preview is up there is nothing of ours to keep: the local org lives in this process.
    if (!demo) process.exit(130);
    demo.close().then(
      () => {
        process.stderr.write('Stopped.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`demo: could not stop cleanly: ${String(error)}\n`);
        process.exit(1);
      }
    );
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  demo = await startDemo({
    port,
    seed: options.seed,
    sync: options.sync,
    requestLog: options.verbose ? (line) => process.stderr.write(`  preview: ${line}\n`) : undefined
  });
  const base = demo.url.replace(/\/$/, '');
  process.stderr.write(
    `\nPages:\n  manager  ${base}${PAGE_PATHS.manager}\n  CSM      ${base}${PAGE_PATHS.csm}\n  account  ${base}${PAGE_PATHS.account}\nCtrl-C stops the preview and the local org.\n\n`
  );
  process.stdout.write(`Preview: ${demo.url}\n`);
  return new Promise<number>(() => undefined); // serves until a signal
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
    );
    process.exit(1);
  }
);
