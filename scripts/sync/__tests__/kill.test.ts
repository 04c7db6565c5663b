// SIGKILL: the sync runs in its own process and is killed outright once the org has counted n API
// calls (from the settings reads to the watermark); a normal run afterwards must leave the org exactly
// as one uninterrupted run does.

import type { LocalOrg } from '../../local-org/index';
import { addAnswers, expectSameOrg, smallBook, syncCli, syncKilledAt } from '../../test-support/syncFixture';

jest.setTimeout(180_000);

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
    let kills = 0;
    for (let calls = 1; calls < reference.json.apiCalls; calls += 2) {
      const book = await smallBook();
      addAnswers(book);
      const { killed } = await syncKilledAt(book.org, calls);
      if (killed) kills++;
      const rerun = await syncCli(book.org, ['sync', '--json']);
      expect({ calls, code: rerun.code }).toEqual({ calls, code: 0 });
      expectSameOrg(book.org, clean.org);
      await book.org.close();
    }
    expect(kills).toBeGreaterThan(3);
  });
});
