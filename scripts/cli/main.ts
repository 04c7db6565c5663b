// `csm-nps`: the command line of csm-nps. `run(argv, io)` returns the exit status, so tests run it in-process.

import { Command, CommanderError, Option } from 'commander';
import { InputError, processIo, UsageError, type CliIo } from './io';
import { runReport } from './report';

const REPORT_HELP = `
Input CSV: a header row, then one answer per row. Columns (any order, case-insensitive):
  responded_at  required  ISO 8601 date-time with offset (2026-03-31T14:05:00Z, …+05:30) or a local date YYYY-MM-DD
  score         required  whole number 0–10
  csm           required  the CSM's name, email or Id; empty means Unassigned
  response_id   optional  a repeated id keeps the last valid row (with a warning)
  account, comment, metric (default "Company NPS")  optional
Bad rows are listed with their line number and reason; the report goes on without them.

Exit status: 0 done (even with rejected rows), 2 wrong options, 1 the file could not be read or held no valid row.

Examples:
  $ csm-nps report --csv samples/nps-responses.csv
  $ csm-nps report --csv answers.csv --period quarter --tz America/New_York --from 2026-01-01
  $ csm-nps report --csv answers.csv --period fiscal-quarter --fiscal-start-month 2 --json > nps.json
  $ csm-nps report --csv answers.csv --floor 40 --improvement 3 --out nps-by-csm.csv
`;

export function buildProgram(io: CliIo, exit: { code: number }): Command {
  const program = new Command();
  program
    .name('csm-nps')
    .description(
      'The real Net Promoter Score per Customer Success Manager per month and quarter, with honest statistics.'
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text)
    });

  program
    .command('report')
    .description(
      'NPS per CSM per period from a CSV of answers: NPS, interval, change, goal status (no org needed).'
    )
    .requiredOption('--csv <file>', 'the CSV of answers (see below)')
    .addOption(
      new Option('--period <type>', 'period of each column')
        .choices(['month', 'quarter', 'fiscal-quarter'])
        .default('month')
    )
    .option(
      '--tz <iana>',
      'time zone that decides the local date of each answer, e.g. America/New_York',
      'UTC'
    )
    .option(
      '--fiscal-start-month <1-12>',
      'first month of the fiscal year (for --period fiscal-quarter)',
      '1'
    )
    .addOption(
      new Option(
        '--fiscal-year-name <end|start>',
        'name a fiscal year by the calendar year it ends in (default) or starts in'
      )
        .choices(['end', 'start'])
        .default('end')
    )
    .option('--metric <name>', 'only this metric, e.g. "Company NPS" or "CSM NPS" (default: every metric)')
    .option('--from <YYYY-MM-DD>', 'first local date to include')
    .option('--to <YYYY-MM-DD>', 'last local date to include (inclusive)')
    .option('--confidence <level>', 'confidence level of the intervals', '0.95')
    .option('--min-responses <n>', 'fewer answers than this: "insufficient data", no goal verdict', '5')
    .option('--improvement <points>', 'goal: improvement target vs the previous period', '5')
    .option('--floor <nps>', 'goal: NPS to stay above', '30')
    .option('--prior-strength <k>', 'shrinkage toward the team, in pseudo-answers (0 = none)', '10')
    .option('--json', 'print one JSON object {groups, rejected, warnings} (numbers unrounded)')
    .option('--out <file.csv>', 'write the groups to a CSV file instead of printing a table')
    .addHelpText('after', REPORT_HELP)
    .action(async (options: Record<string, unknown>) => {
      exit.code = await runReport(options, io);
    });

  return program;
}

/** Adds the sync commands. Loaded on demand: their libraries (jsforce) take ~0.4 s to load, and `report` needs none of them. */
async function addSyncCommands(program: Command, io: CliIo, exit: { code: number }): Promise<void> {
  const { registerSyncCommands } = await import('../sync/command');
  registerSyncCommands(program, io, exit);
}

/** Runs `csm-nps` with the arguments after the program name; resolves to the exit status. */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const exit = { code: 0 };
  const program = buildProgram(io, exit);
  if (argv[0] !== 'report') await addSyncCommands(program, io, exit);
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      return 2; // commander has already printed the message and the hint
    }
    if (error instanceof UsageError) {
      io.stderr.write(`csm-nps: ${error.message}\n(run with --help for usage)\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.stderr.write(`csm-nps: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`csm-nps: unexpected error — please report it with the command you ran:\n${message}\n`);
    return 1;
  }
}
