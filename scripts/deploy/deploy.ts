// `npm run deploy -- --target-org ALIAS [--assign-permsets A,B] [--on-behalf-of USER,...] [--dry-run]`
// Deploys force-app with the Salesforce CLI (`sf project deploy start`), then assigns permission sets
// (`sf org assign permset`). `npm run deploy` builds first, so the components' TypeScript is compiled
// to the JavaScript the org accepts. This script never reads or prints credentials: `sf` holds the
// org's authorization (`sf org login web --alias ALIAS`).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { defaultSourceDir, findProjectRoot, listFiles, packageDirectories } from '../metadata/paths';

export interface DeployIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Environment of the `sf` processes (PATH decides which `sf` runs). */
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const processIo = (): DeployIo => ({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd()
});

export interface DeployPlan {
  projectRoot: string;
  targetOrg: string;
  permissionSets: string[];
  onBehalfOf: string[];
  dryRun: boolean;
  waitMinutes: number;
}

export interface SfCommand {
  args: string[];
  what: string;
}

class UsageError extends Error {}
class HelpRequested extends Error {}

const INSTALL_SF = 'npm install --global @salesforce/cli';

/** Permission sets in force-app, by name: the only ones --assign-permsets accepts. */
export function knownPermissionSets(projectRoot: string): string[] {
  const dir = path.join(defaultSourceDir(projectRoot), 'permissionsets');
  return listFiles(dir, (f) => f.endsWith('.permissionset-meta.xml')).map((f) =>
    path.basename(f, '.permissionset-meta.xml')
  );
}

const commaList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Reads the command line; throws UsageError with what to change. */
export function parseDeployArgs(argv: string[], projectRoot: string): DeployPlan {
  const program = new Command('npm run deploy --')
    .description(
      'Deploy csm-nps (force-app) to a Salesforce org with the Salesforce CLI, and assign its permission sets.'
    )
    .requiredOption(
      '--target-org <alias>',
      'alias or username of an org authorized with `sf org login web --alias ALIAS`'
    )
    .option(
      '--assign-permsets <names>',
      'comma-separated permission sets to assign after the deploy, e.g. CSM_NPS_Manager,CSM_NPS_User'
    )
    .option(
      '--on-behalf-of <usernames>',
      'comma-separated usernames to assign them to (default: the user you logged in with)'
    )
    .option(
      '--dry-run',
      'check the deployment in the org without saving anything (sf --dry-run); assigns nothing',
      false
    )
    .option('--wait <minutes>', 'minutes to wait for the deploy to finish', '30')
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .helpOption('-h, --help', 'show this help');
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'commander.helpDisplayed')
      throw new HelpRequested(program.helpInformation());
    throw new UsageError(
      `${(error as Error).message.replace(/^error: /, '')}\n\n${program.helpInformation()}`
    );
  }
  const raw = program.opts<{
    targetOrg: string;
    assignPermsets?: string;
    onBehalfOf?: string;
    dryRun: boolean;
    wait: string;
  }>();
  const known = knownPermissionSets(projectRoot);
  const schema = z
    .object({
      targetOrg: z
        .string()
        .max(255)
        .regex(
          /^[A-Za-z0-9][A-Za-z0-9._@+-]*$/,
          'must be an org alias or username (letters, digits, . _ @ + -), as shown by `sf org list`'
        ),
      permissionSets: z.array(
        z.string().refine((name) => known.includes(name), {
          message: `is not a permission set of csm-nps; choose from ${known.join(', ')}`
        })
      ),
      onBehalfOf: z.array(
        z
          .string()
          .regex(/^[^\s@,]+@[^\s@,]+$/, 'must be a Salesforce username (it looks like an email address)')
      ),
      dryRun: z.boolean(),
      waitMinutes: z.coerce
        .number()
        .int('must be a whole number of minutes')
        .min(1, 'must be 1 to 600 minutes')
        .max(600, 'must be 1 to 600 minutes')
    })
    .refine((v) => v.onBehalfOf.length === 0 || v.permissionSets.length > 0, {
      message: 'needs --assign-permsets: which permission sets to assign',
      path: ['onBehalfOf']
    });
  const result = schema.safeParse({
    targetOrg: raw.targetOrg,
    permissionSets: commaList(raw.assignPermsets),
    onBehalfOf: commaList(raw.onBehalfOf),
    dryRun: raw.dryRun,
    waitMinutes: raw.wait
  });
  if (!result.success) {
    const flags: Record<string, string> = {
      targetOrg: '--target-org',
      permissionSets: '--assign-permsets',
      onBehalfOf: '--on-behalf-of',
      waitMinutes: '--wait'
    };
    const lines = result.error.issues.map((issue) => {
      const flag = flags[String(issue.path[0])] ?? String(issue.path[0]);
      const index =
        typeof issue.path[1] === 'number'
          ? ` value ${JSON.stringify(commaList(issue.path[0] === 'onBehalfOf' ? raw.onBehalfOf : raw.assignPermsets)[issue.path[1]])}`
          : '';
      return `${flag}${index} ${issue.message}`;
    });
    throw new UsageError(lines.join('\n'));
  }
  return { projectRoot, ...result.data };
}

/** The `sf` commands a plan runs, in order. */
export function deployCommands(plan: DeployPlan): SfCommand[] {
  const sourceDir = path.relative(plan.projectRoot, packageDirectories(plan.projectRoot)[0] as string);
  const deploy: SfCommand = {
    what: plan.dryRun
      ? 'Checking the deployment (dry run: nothing is saved in the org)'
      : 'Deploying csm-nps',
    args: [
      'project',
      'deploy',
      'start',
      '--source-dir',
      sourceDir,
      '--target-org',
      plan.targetOrg,
      '--wait',
      String(plan.waitMinutes),
      ...(plan.dryRun ? ['--dry-run'] : [])
    ]
  };
  if (plan.dryRun || plan.permissionSets.length === 0) return [deploy];
  const assign: SfCommand = {
    what: `Assigning ${plan.permissionSets.join(', ')}${plan.onBehalfOf.length ? ` to ${plan.onBehalfOf.join(', ')}` : ' to you'}`,
    args: [
      'org',
      'assign',
      'permset',
      ...plan.permissionSets.flatMap((name) => ['--name', name]),
      ...plan.onBehalfOf.flatMap((user) => ['--on-behalf-of', user]),
      '--target-org',
      plan.targetOrg
    ]
  };
  return [deploy, assign];
}

/** Components whose TypeScript has no compiled JavaScript beside it (the org accepts only JavaScript). */
export function uncompiledComponents(projectRoot: string): string[] {
  const lwc = path.join(defaultSourceDir(projectRoot), 'lwc');
  return listFiles(
    lwc,
    (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.split(path.sep).includes('__tests__')
  )
    .filter((ts) => !existsSync(ts.replace(/\.ts$/, '.js')))
    .map((ts) => path.relative(projectRoot, ts));
}

type RunResult = { kind: 'exit'; code: number } | { kind: 'missing' } | { kind: 'error'; message: string };

function runSf(args: string[], io: DeployIo, cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn('sf', args, {
      cwd,
      env: io.env,
      stdio: 'inherit',
      shell: process.platform === 'win32'
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ENOENT' ? { kind: 'missing' } : { kind: 'error', message: error.message })
    );
    child.on('exit', (code, signal) => resolve({ kind: 'exit', code: code ?? (signal ? 130 : 1) }));
  });
}

const quote = (arg: string): string =>
  /^[A-Za-z0-9_./@+=:,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;

/** Runs the command line; returns the exit status (0 done, 1 failed, 2 usage error). */
export async function runDeploy(argv: string[], io: DeployIo = processIo()): Promise<number> {
  let plan: DeployPlan;
  try {
    plan = parseDeployArgs(argv, findProjectRoot(io.cwd));
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.out(error.message);
      return 0;
    }
    if (error instanceof UsageError) {
      io.err(`deploy: ${error.message.trimEnd()}\n`);
      return 2;
    }
    io.err(`deploy: ${(error as Error).message}\n`);
    return 1;
  }
  const uncompiled = uncompiledComponents(plan.projectRoot);
  if (uncompiled.length > 0) {
    io.err(
      `deploy: these component sources are not compiled to JavaScript yet: ${uncompiled.join(', ')}.\nRun \`npm run deploy -- ...\` (it builds first) or \`npm run build\`, then try again.\n`
    );
    return 1;
  }
  for (const command of deployCommands(plan)) {
    io.out(`\n${command.what}\n$ sf ${command.args.map(quote).join(' ')}\n`);
    const result = await runSf(command.args, io, plan.projectRoot);
    if (result.kind === 'missing') {
      io.err(
        `\ndeploy: the Salesforce CLI (\`sf\`) is not installed, or not on your PATH.\n` +
          `Install it with:  ${INSTALL_SF}\n` +
          `then authorize your org:  sf org login web --alias ${plan.targetOrg}\n` +
          `and run this command again. (Check with \`sf --version\`.)\n`
      );
      return 1;
    }
    if (result.kind === 'error') {
      io.err(`\ndeploy: could not start \`sf\`: ${result.message}\n`);
      return 1;
    }
    if (result.code !== 0) {
      const deploying = command.args[0] === 'project';
      io.err(
        deploying
          ? `\ndeploy: the deployment failed (sf exited with ${result.code}); nothing was assigned. The lines above name each component that failed and why.\n` +
              `  - "No authorization information found" or an unknown alias: run \`sf org login web --alias ${plan.targetOrg}\`.\n` +
              `  - An error on CSM_NPS_Sync about Survey objects: turn on Salesforce Surveys first (Setup > Survey Settings).\n` +
              `  - See docs/ADMIN.md, "When the deploy fails".\n`
          : `\ndeploy: the metadata is deployed, but assigning the permission sets failed (sf exited with ${result.code}); see the lines above. ` +
              `Assign them in Setup > Permission Sets, or run the sf command shown above again.\n`
      );
      return 1;
    }
  }
  if (plan.dryRun) {
    io.out(
      `\nDry run passed: the org accepts this deployment. Nothing was saved${plan.permissionSets.length ? `, and ${plan.permissionSets.join(', ')} were not assigned` : ''}.\n` +
        `Run the same command without --dry-run to deploy.\n`
    );
  } else {
    io.out(
      `\nDone. In the org: App Launcher > CSM NPS. Reports are in the "CSM NPS" report folder, the dashboard in the "CSM NPS" dashboard folder.\n` +
        `Next steps (docs/ADMIN.md): track the history of Account Owner (or your CSM field), assign the permission sets, set up the sync's integration user.\n`
    );
  }
  return 0;
}
