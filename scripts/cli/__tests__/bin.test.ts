// The real command, as a user runs it: `node bin/csm-nps.mjs …` on the bundled CLI (`npm run build` first;
// `npm test` builds before it runs the tests).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { GroupResult } from 'c/npsCore';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/csm-nps.mjs');
const SAMPLE = 'scripts/samples/nps-responses.csv';

function csmNps(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

type Report = { groups: GroupResult[]; rejected: unknown[]; warnings: unknown[] };
let run: ReturnType<typeof csmNps>;
let out: Report;

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist/csm-nps.mjs'))) {
    throw new Error('dist/csm-nps.mjs is missing: run `npm run build` first');
  }
  run = csmNps('report', '--csv', SAMPLE, '--json');
  out = JSON.parse(run.stdout) as Report;
});

describe('bin/csm-nps.mjs report --csv <sample> --json', () => {
  it('exits 0 and prints one JSON object {groups, rejected, warnings}', () => {
    expect(run.code).toBe(0);
    expect(Object.keys(out)).toEqual(['groups', 'rejected', 'warnings']);
    expect(out.groups.length).toBeGreaterThan(100);
    expect(out.rejected).toEqual([]);
    const csms = new Set(out.groups.map((g) => g.csm));
    expect(csms.size).toBeGreaterThanOrEqual(12);
    expect(new Set(out.groups.map((g) => g.metric))).toEqual(new Set(['Company NPS', 'CSM NPS']));
  });

  it('groups are sorted by csm, then metric, then period (in time order), with no duplicate group', () => {
    for (let i = 1; i < out.groups.length; i++) {
      const a = out.groups[i - 1] as GroupResult;
      const b = out.groups[i] as GroupResult;
      const order =
        compareText(a.csm, b.csm) ||
        compareText(a.metric, b.metric) ||
        compareText(a.periodStart, b.periodStart);
      expect({ at: i, order: Math.sign(order) }).toEqual({ at: i, order: -1 });
    }
  });

  it('every group adds up: responses = P + X + D, NPS = 100·(P − D)/n, ciLow ≤ ciHigh', () => {
    for (const g of out.groups) {
      expect(g.responses).toBe(g.promoters + g.passives + g.detractors);
      expect(g.nps).toBeCloseTo((100 * (g.promoters - g.detractors)) / g.responses, 10);
      expect(g.ciLow).toBeLessThanOrEqual(g.ciHigh);
    }
  });
});

describe('bin/csm-nps.mjs exit statuses', () => {
  it('2 for a usage error, with the option named on stderr', () => {
    const r = csmNps('report', '--csv', SAMPLE, '--confidence', '1.5');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--confidence must be between 0 and 1');
    expect(r.stdout).toBe('');
  });

  it('1 for a file that does not exist', () => {
    const r = csmNps('report', '--csv', 'scripts/samples/no-such-file.csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not exist');
  });

  it('0 with rejected rows, listed on stderr with their lines', () => {
    const r = csmNps('report', '--csv', 'scripts/cli/__tests__/data/bad-scores.csv');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('  line 5: score "7.5" is not a whole number: expected 0 to 10\n');
    expect(r.stdout).toContain('Ana Souza');
  });
});
