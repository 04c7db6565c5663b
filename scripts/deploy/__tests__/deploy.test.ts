// `npm run deploy` with a fake `sf` on the PATH: a shell script that records its arguments. No org,
// no network. Covers the commands run, the flags validated, and what a person sees when sf is missing
// or the deploy fails.

import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { runDeploy, type DeployIo } from '../deploy';
import { findProjectRoot } from '../../metadata/paths';

jest.setTimeout(60_000);

const root = findProjectRoot();
let fakeBin: string;
let log: string;
/** A copy of the project's layout (sfdx-project.json, permission sets, one compiled component), so the
 * tests do not depend on the state of the components being written in the real force-app. */
let project: string;

/** Each sf call, as its list of arguments. */
const calls = (): string[][] =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('---\n')
        .filter((c) => c !== '')
        .map((c) => c.split('\n').filter((line) => line !== ''))
    : [];

beforeAll(() => {
  fakeBin = mkdtempSync(path.join(os.tmpdir(), 'csm-nps-fake-sf-'));
  log = path.join(fakeBin, 'calls.log');
  // Records every argument on its own line, then "---"; fails when its first two arguments match $FAKE_SF_FAIL.
  writeFileSync(
    path.join(fakeBin, 'sf'),
    [
      '#!/bin/sh',
      `for a in "$@"; do printf '%s\\n' "$a"; done >> "${log}"`,
      `echo "---" >> "${log}"`,
      'if [ "$1 $2" = "$FAKE_SF_FAIL" ]; then exit 1; fi',
      'exit 0',
      ''
    ].join('\n')
  );
  chmodSync(path.join(fakeBin, 'sf'), 0o755);

  project = mkdtempSync(path.join(os.tmpdir(), 'csm-nps-project-'));
  copyFileSync(path.join(root, 'sfdx-project.json'), path.join(project, 'sfdx-project.json'));
  const permsets = path.join(project, 'force-app/main/default/permissionsets');
  mkdirSync(permsets, { recursive: true });
  for (const name of ['CSM_NPS_Manager', 'CSM_NPS_Sync', 'CSM_NPS_User']) {
    copyFileSync(
      path.join(root, 'force-app/main/default/permissionsets', `${name}.permissionset-meta.xml`),
      path.join(permsets, `${name}.permissionset-meta.xml`)
    );
  }
  const component = path.join(project, 'force-app/main/default/lwc/npsCell');
  mkdirSync(component, { recursive: true });
  writeFileSync(path.join(component, 'npsCell.ts'), 'export default class {}\n');
  writeFileSync(path.join(component, 'npsCell.js'), 'export default class {}\n');
});

beforeEach(() => rmSync(log, { force: true }));
afterAll(() => {
  rmSync(fakeBin, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

function io(
  env: Record<string, string> = {},
  pathValue = `${fakeBin}${path.delimiter}${process.env.PATH ?? ''}`
): DeployIo & { stdout: string; stderr: string } {
  const captured = {
    stdout: '',
    stderr: '',
    out: (text: string) => {
      captured.stdout += text;
    },
    err: (text: string) => {
      captured.stderr += text;
    },
    env: { ...process.env, PATH: pathValue, ...env },
    cwd: path.join(project, 'force-app')
  };
  return captured;
}

test('deploys force-app to the target org, then assigns the permission sets', async () => {
  const console = io();
  const code = await runDeploy(
    ['--target-org', 'acme-prod', '--assign-permsets', 'CSM_NPS_Manager,CSM_NPS_User'],
    console
  );
  expect(code).toBe(0);
  expect(calls()).toEqual([
    ['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'acme-prod', '--wait', '30'],
    [
      'org',
      'assign',
      'permset',
      '--name',
      'CSM_NPS_Manager',
      '--name',
      'CSM_NPS_User',
      '--target-org',
      'acme-prod'
    ]
  ]);
  expect(console.stdout).toContain(
    '$ sf project deploy start --source-dir force-app --target-org acme-prod --wait 30'
  );
  expect(console.stdout).toContain('"CSM NPS" report folder');
  expect(console.stderr).toBe('');
});

test('assigns the sync permission set to the integration user', async () => {
  const code = await runDeploy(
    [
      '--target-org',
      'acme',
      '--assign-permsets',
      'CSM_NPS_Sync',
      '--on-behalf-of',
      'nps-sync@acme.com',
      '--wait',
      '10'
    ],
    io()
  );
  expect(code).toBe(0);
  expect(calls()[1]).toEqual([
    'org',
    'assign',
    'permset',
    '--name',
    'CSM_NPS_Sync',
    '--on-behalf-of',
    'nps-sync@acme.com',
    '--target-org',
    'acme'
  ]);
  expect(calls()[0]).toContain('10');
});

test('without --assign-permsets, only deploys', async () => {
  expect(await runDeploy(['--target-org', 'me@acme.com'], io())).toBe(0);
  expect(calls().map((c) => c.slice(0, 2).join(' '))).toEqual(['project deploy']);
});

test('--dry-run checks the deployment without saving, and assigns nothing', async () => {
  const console = io();
  expect(
    await runDeploy(['--target-org', 'acme', '--assign-permsets', 'CSM_NPS_User', '--dry-run'], console)
  ).toBe(0);
  expect(calls()).toEqual([
    [
      'project',
      'deploy',
      'start',
      '--source-dir',
      'force-app',
      '--target-org',
      'acme',
      '--wait',
      '30',
      '--dry-run'
    ]
  ]);
  expect(console.stdout).toMatch(/Nothing was saved, and CSM_NPS_User were not assigned/);
});

test('a failed deploy stops before assigning, and says where to look', async () => {
  const console = io({ FAKE_SF_FAIL: 'project deploy' });
  expect(await runDeploy(['--target-org', 'acme', '--assign-permsets', 'CSM_NPS_User'], console)).toBe(1);
  expect(calls()).toHaveLength(1);
  expect(console.stderr).toMatch(/the deployment failed \(sf exited with 1\); nothing was assigned/);
  expect(console.stderr).toMatch(/sf org login web --alias acme/);
});

test('a failed assignment says the metadata is deployed', async () => {
  const console = io({ FAKE_SF_FAIL: 'org assign' });
  expect(await runDeploy(['--target-org', 'acme', '--assign-permsets', 'CSM_NPS_User'], console)).toBe(1);
  expect(console.stderr).toMatch(/the metadata is deployed, but assigning the permission sets failed/);
});

test('without the Salesforce CLI, says how to install it', async () => {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'csm-nps-no-sf-'));
  try {
    const console = io({}, empty);
    expect(await runDeploy(['--target-org', 'acme'], console)).toBe(1);
    expect(console.stderr).toContain('the Salesforce CLI (`sf`) is not installed, or not on your PATH');
    expect(console.stderr).toContain('npm install --global @salesforce/cli');
    expect(console.stderr).toContain('sf org login web --alias acme');
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test.each([
  [[], /required option '--target-org <alias>' not specified/],
  [['--target-org', 'my org'], /--target-org must be an org alias or username/],
  [['--target-org', '-x'], /--target-org/],
  [
    ['--target-org', 'acme', '--assign-permsets', 'CSM_NPS_Admin'],
    /--assign-permsets value "CSM_NPS_Admin" is not a permission set of csm-nps; choose from CSM_NPS_Manager, CSM_NPS_Sync, CSM_NPS_User/
  ],
  [['--target-org', 'acme', '--on-behalf-of', 'a@b.com'], /--on-behalf-of needs --assign-permsets/],
  [
    ['--target-org', 'acme', '--assign-permsets', 'CSM_NPS_User', '--on-behalf-of', 'bob'],
    /--on-behalf-of value "bob" must be a Salesforce username/
  ],
  [['--target-org', 'acme', '--wait', '0'], /--wait must be 1 to 600 minutes/],
  [['--target-org', 'acme', '--wait', 'soon'], /--wait/],
  [['--target-org', 'acme', '--force'], /unknown option '--force'/]
])('usage error for %j: exit 2, nothing run', async (argv, message) => {
  const console = io();
  expect(await runDeploy(argv, console)).toBe(2);
  expect(console.stderr).toMatch(message);
  expect(calls()).toEqual([]);
});

test('refuses to deploy components whose TypeScript is not compiled, and says how to build', async () => {
  const source = path.join(project, 'force-app/main/default/lwc/npsNew/npsNew.ts');
  mkdirSync(path.dirname(source), { recursive: true });
  writeFileSync(source, 'export default class {}\n');
  try {
    const console = io();
    expect(await runDeploy(['--target-org', 'acme'], console)).toBe(1);
    expect(console.stderr).toMatch(
      /not compiled to JavaScript yet: force-app\/main\/default\/lwc\/npsNew\/npsNew\.ts/
    );
    expect(console.stderr).toMatch(/npm run build/);
    expect(calls()).toEqual([]);
  } finally {
    rmSync(path.dirname(source), { recursive: true, force: true });
  }
});

test('--help prints the usage and runs nothing', async () => {
  const console = io();
  expect(await runDeploy(['--help'], console)).toBe(0);
  expect(console.stdout).toMatch(/Usage: npm run deploy -- \[options\]/);
  expect(console.stdout).toMatch(/--assign-permsets <names>/);
  expect(calls()).toEqual([]);
});

test('the built entry point (as `npm run deploy` runs it) deploys with the sf on the PATH', async () => {
  // Bundled like scripts/build.mjs does for dist/deploy.mjs, into a folder from which packages resolve.
  const outDir = path.join(root, 'node_modules', '.cache', 'csm-nps-deploy-test');
  mkdirSync(outDir, { recursive: true });
  try {
    await build({
      entryPoints: [path.join(root, 'scripts/deploy/main.ts')],
      outfile: path.join(outDir, 'deploy.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent'
    });
    const run = spawnSync(
      process.execPath,
      [path.join(outDir, 'deploy.mjs'), '--target-org', 'acme', '--assign-permsets', 'CSM_NPS_Manager'],
      {
        cwd: project,
        env: { ...process.env, PATH: `${fakeBin}${path.delimiter}${process.env.PATH ?? ''}` },
        encoding: 'utf8'
      }
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(calls()).toEqual([
      ['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'acme', '--wait', '30'],
      ['org', 'assign', 'permset', '--name', 'CSM_NPS_Manager', '--target-org', 'acme']
    ]);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
