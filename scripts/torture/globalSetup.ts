// Before the torture suite: print the seed (so any failure can be replayed) and give the run a fresh
// folder for the figures each case writes (inherited by the test workers through the environment).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_TORTURE_SEED, tortureSeed } from './seed';

export default function globalSetup(): void {
  const seed = tortureSeed();
  process.env.TORTURE_SEED = seed;
  process.env.TORTURE_RESULTS_DIR = mkdtempSync(path.join(tmpdir(), 'csm-nps-torture-'));
  process.env.TORTURE_STARTED_AT = String(Date.now());
  process.stdout.write(
    `\ntorture seed: ${seed}${seed === DEFAULT_TORTURE_SEED ? ' (the default)' : ''} — replay with TORTURE_SEED=${seed} npm run test:torture\n`
  );
}
