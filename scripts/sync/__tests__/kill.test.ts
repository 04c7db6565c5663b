// SIGKILL: the sync runs in its own process and is killed outright once the org has counted n API
// calls (from the settings reads to the watermark); a normal run afterwards must leave the org exactly
// as one uninterrupted run does.

import { spawn } from 'node:child_process';
import path from 'node:path';
import type { LocalOrg } from '../../local-org/index';
import {
  addAnswers,
  NO_CONFIG,
  orgContents,
  passwordEnv,
  smallBook,
  sortedEntries,
  syncCli
} from './helpers/fixture';

jest.setTimeout(180_000);

const entry = path.join(__dirname, 'helpers', 'cliEntry.ts');

/** Starts `csm-nps sync` in a child process and SIGKILLs it when the org has served `calls` API calls. */
async function syncKilledAt(org: LocalOrg, calls: number): Promise<{ killed: boolean }> {
  const start = org.admin.apiRequests();
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'sync', '--json', '--config', NO_CONFIG], {
    cwd: path.join(__dirname, '..', '..', '..'),
    env: { ...process.env, ...passwordEnv(org), CSM_NPS_BULK_POLL_MS: '5' },
    stdio: ['ignore', 'ignore', 'ignore']
  });
  let killed = false;
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const watch = setInterval(() => {
    if (!killed && org.admin.apiRequests() - start >= calls) {
      killed = child.kill('SIGKILL');
    }
  }, 1);
  await exited;
  clearInterval(watch);
  return { killed };
}

describe('killed with SIGKILL at any point, then run again', () => {
  const orgs: LocalOrg[] = [];
  afterAll(async () => {
    for (const org of orgs) await org.close();
  });

  it('ends with the org exactly as after one uninterrupted run', async () => {
    const clean = await smallBook();
    orgs.push(clean.org);
    addAnswers(clean);
    const reference = await syncCli(clean.org, ['sync', '--json']);
    expect(reference.code).toBe(0);
    const expected = orgContents(clean.org);
    let kills = 0;
    for (let calls = 1; calls < reference.json.apiCalls; calls += 2) {
      const book = await smallBook();
      addAnswers(book);
      const { killed } = await syncKilledAt(book.org, calls);
      if (killed) kills++;
      const rerun = await syncCli(book.org, ['sync', '--json']);
      expect({ calls, code: rerun.code }).toEqual({ calls, code: 0 });
      const actual = orgContents(book.org);
      expect(sortedEntries(actual.responses)).toEqual(sortedEntries(expected.responses));
      expect(sortedEntries(actual.snapshots)).toEqual(sortedEntries(expected.snapshots));
      await book.org.close();
    }
    expect(kills).toBeGreaterThan(3);
  });
});
