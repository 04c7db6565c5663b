// The whole product on a laptop, as a function (used by `npm run demo`, the browser tests and the render
// benchmark): the local org with demo data, the real `csm-nps sync` against it, the preview build and the
// preview server. Everything listens on 127.0.0.1 and stops with close().

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliIo } from '../cli/io';
import { run as runCli } from '../cli/main';
import { startLocalOrg, type LocalOrg, type LocalOrgOptions } from '../local-org/index';
import { RestOrgClient } from './orgClient';
import { buildPreview, type PreviewBuild } from './preview/build';
import { startPreviewServer, type PreviewServer } from './preview/server';
import { demoPaths } from './paths';

export interface DemoOptions {
  /** Preview port on 127.0.0.1 (0: any free port). */
  port?: number;
  /** Demo data seed (the same seed and day give the same org). */
  seed?: string;
  /** Run `csm-nps sync` before serving (default true); without it the components show their "run the sync" state. */
  sync?: boolean;
  /** More options for the local org (e.g. `responses`, `now`). */
  orgOptions?: LocalOrgOptions;
  /** Serve an org that is already running instead of starting one (it is not closed by close()). */
  org?: LocalOrg;
  /** Where the sync writes its progress and table (default: this process's stdout and stderr). */
  io?: Pick<CliIo, 'stdout' | 'stderr' | 'isTTY' | 'columns'>;
  /** Progress of the demo's own steps (default: stderr). */
  progress?: (line: string) => void;
  /** One line per preview API request (default: none). */
  requestLog?: (line: string) => void;
  /** `development` builds LWC in dev mode (its warnings in the console). */
  mode?: 'production' | 'development';
}

export interface Demo {
  url: string;
  org: LocalOrg;
  client: RestOrgClient;
  build: PreviewBuild;
  /** Exit status of `csm-nps sync` (null without a sync). */
  syncExitCode: number | null;
  close(): Promise<void>;
}

/**
 * The environment of the demo's sync: the local org's login and nothing else of the user's Salesforce
 * settings, so that an SF_INSTANCE_URL or SF_CLIENT_ID in the shell can never send it to a real org.
 */
export function localSyncEnv(
  org: LocalOrg,
  base: NodeJS.ProcessEnv = process.env
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(base))
    if (!key.startsWith('SF_') && !key.startsWith('SFDX_')) env[key] = value;
  env.SF_LOGIN_URL = org.loginUrl;
  env.SF_USERNAME = org.username;
  env.SF_PASSWORD = org.password;
  return env;
}

/** Runs the real `csm-nps sync` (in this process) against the local org; returns its exit status. */
export async function syncLocalOrg(org: LocalOrg, io: DemoOptions['io'] = undefined): Promise<number> {
  // An empty configuration: a csm-nps.config.json in the working directory (maybe naming a real org)
  // must not apply to the demo. Kept in the git-ignored cache folder, so nothing is left to clean up.
  const config = path.join(path.dirname(demoPaths().cacheFile), 'demo-sync.config.json');
  await mkdir(path.dirname(config), { recursive: true });
  await writeFile(config, '{}\n');
  return runCli(['sync', '--config', config], {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    isTTY: io?.isTTY ?? Boolean(process.stderr.isTTY),
    columns: io?.columns ?? (process.stdout.columns || 120),
    env: localSyncEnv(org)
  });
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const paths = demoPaths();
  const cleanups: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    let org = options.org;
    if (!org) {
      const seed = options.seed ?? 'demo';
      progress(`Starting the local org with demo data (seed "${seed}")…`);
      const started = performance.now();
      org = await startLocalOrg({ seed, ...options.orgOptions });
      const own = org;
      cleanups.push(() => own.close());
      progress(
        `Local org ready at ${org.instanceUrl} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${org.demo?.csms.length ?? 0} CSMs, ${org.demo?.responses ?? 0} NPS answers in Salesforce Surveys records.`
      );
    }
    let syncExitCode: number | null = null;
    if (options.sync !== false) {
      progress('Running csm-nps sync against the local org…');
      syncExitCode = await syncLocalOrg(org, options.io);
      if (syncExitCode !== 0)
        progress(`csm-nps sync ended with exit status ${syncExitCode}: the preview shows what it wrote.`);
    } else {
      progress('No sync (--no-sync): the components show what they show before the first sync.');
    }
    progress('Building the preview (the real components, LWC OSS, SLDS)…');
    const build = await buildPreview({ paths, mode: options.mode, log: progress });
    const liveOrg = org;
    const client = new RestOrgClient({
      instanceUrl: org.instanceUrl,
      apiVersion: org.apiVersion,
      accessToken: org.accessToken,
      renewAccessToken: () => liveOrg.admin.newAccessToken()
    });
    const server: PreviewServer = await startPreviewServer({
      port: options.port ?? 0,
      org: client,
      assetsDir: build.outDir,
      entry: build.entry,
      sldsDir: paths.sldsAssets,
      log: options.requestLog
    });
    cleanups.push(() => server.close());
    return { url: server.url, org, client, build, syncExitCode, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
