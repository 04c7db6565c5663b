// `csm-nps report` run in-process (DESIGN.md § CLI contract): every bad-input case gives its line number and
// reason and the run goes on; nothing valid is lost; --json shape and key order; --out CSV; usage errors.
import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GroupResult } from 'c/npsCore';
import { run } from '../main';
import type { CliIo } from '../io';

const DATA = path.join(__dirname, 'data');
const fixture = (name: string): string => path.join(DATA, name);

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: false,
    columns: 120,
    env: {}
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

interface JsonReport {
  groups: GroupResult[];
  rejected: { line: number; reason: string }[];
  warnings: string[];
}

async function report(
  file: string,
  ...options: string[]
): Promise<JsonReport & { code: number; stderr: string }> {
  const r = await cli('report', '--csv', fixture(file), '--json', ...options);
  return { ...(JSON.parse(r.stdout) as JsonReport), code: r.code, stderr: r.stderr };
}

/** "csm|metric|period: n=…, P/X/D" for each group, to compare whole reports at a glance. */
const summary = (groups: readonly GroupResult[]): string[] =>
  groups.map(
    (g) => `${g.csm}|${g.metric}|${g.period}: n=${g.responses} ${g.promoters}/${g.passives}/${g.detractors}`
  );

const GROUP_KEYS = [
  'csm',
  'metric',
  'period',
  'periodStart',
  'responses',
  'promoters',
  'passives',
  'detractors',
  'nps',
  'ciLow',
  'ciHigh',
  'meanScore',
  'shrunkNps',
  'change',
  'changeSignificant',
  'goalStatus',
  'probabilityAboveFloor',
  'probabilityImproved'
];

describe('bad scores', () => {
  it('lists each bad row with its line and reason, goes on, and exits 0', async () => {
    const r = await report('bad-scores.csv');
    expect(r.code).toBe(0);
    expect(r.rejected).toEqual([
      { line: 3, reason: 'score "11" is out of range: expected a whole number from 0 to 10' },
      { line: 4, reason: 'score "-1" is out of range: expected a whole number from 0 to 10' },
      { line: 5, reason: 'score "7.5" is not a whole number: expected 0 to 10' },
      { line: 6, reason: 'score "ten" is not a number: expected a whole number from 0 to 10' },
      { line: 7, reason: 'score is empty: expected a whole number from 0 to 10' },
      {
        line: 11,
        reason: 'the row has 4 fields but the header has 6: check for an unquoted comma or a missing field'
      }
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('every valid row still counts: R1 (10) and R7 (6) for Ana, R8 (8) for Bob, R9 (9, no CSM) for Unassigned', async () => {
    const r = await report('bad-scores.csv');
    expect(summary(r.groups)).toEqual([
      'Ana Souza|Company NPS|2026-03: n=2 1/0/1',
      'Bob Li|Company NPS|2026-03: n=1 0/1/0',
      'Unassigned|Company NPS|2026-03: n=1 1/0/0'
    ]);
    const ana = r.groups[0];
    expect(ana).toMatchObject({ nps: 0, meanScore: 8, goalStatus: 'insufficient_data', change: null });
  });

  it('the table goes to stdout and the rejected rows to stderr, each with its line', async () => {
    const r = await cli('report', '--csv', fixture('bad-scores.csv'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Company NPS — NPS by CSM');
    expect(r.stdout).toMatch(/Ana Souza\s+│\s*0 ±\d+ n=2 ·/);
    expect(r.stdout).toContain('All CSMs');
    expect(r.stderr).toContain('6 rows rejected (fix them and run again to include them):\n');
    expect(r.stderr).toContain(
      '  line 3: score "11" is out of range: expected a whole number from 0 to 10\n'
    );
    expect(r.stderr).toContain('  line 7: score is empty: expected a whole number from 0 to 10\n');
  });
});

describe('bad dates', () => {
  it('impossible dates, other formats, no offset, empty: line and reason; valid rows kept', async () => {
    const r = await report('bad-dates.csv');
    expect(r.code).toBe(0);
    const accepted = 'expected YYYY-MM-DD or an ISO 8601 date-time with offset, e.g. 2026-03-31T14:05:00Z';
    expect(r.rejected).toEqual([
      { line: 2, reason: 'responded_at: date "2026-02-30" does not exist in the calendar' },
      { line: 3, reason: `responded_at: date "03/01/2026" is not in a supported format: ${accepted}` },
      {
        line: 4,
        reason:
          'responded_at: date-time "2026-03-01T10:00:00" has no time zone offset: add Z (UTC) or an offset such as +05:30'
      },
      { line: 7, reason: `responded_at: date is empty: ${accepted}` },
      { line: 8, reason: 'responded_at: date "2026-13-01" does not exist in the calendar' }
    ]);
    // UTC: 2026-02-28 (9); 2026-03-01T04:30Z (3); 2026-03-31T23:30−03:30 = 2026-04-01T03:00Z (10)
    expect(summary(r.groups)).toEqual([
      'Ana Souza|Company NPS|2026-02: n=1 1/0/0',
      'Ana Souza|Company NPS|2026-03: n=1 0/0/1',
      'Ana Souza|Company NPS|2026-04: n=1 1/0/0'
    ]);
  });

  it('--tz America/New_York moves instants (not dates) to their local month', async () => {
    // 2026-03-01T04:30Z is Feb 28 23:30 EST; 2026-04-01T03:00Z is Mar 31 23:00 EDT; 2026-02-28 stays Feb 28
    const r = await report('bad-dates.csv', '--tz', 'America/New_York');
    expect(summary(r.groups)).toEqual([
      'Ana Souza|Company NPS|2026-02: n=2 1/0/1',
      'Ana Souza|Company NPS|2026-03: n=1 1/0/0'
    ]);
  });
});

describe('CSV format: BOM, quoted commas and newlines, CRLF, blank line', () => {
  it('the fixture really has a BOM and CRLF line endings', () => {
    const bytes = readFileSync(fixture('quoted-crlf-bom.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('Company NPS\r\n');
  });

  it('line numbers count the physical lines of multi-line quoted fields (the header is line 1)', async () => {
    // 1 header | 2 Q1 | 3–5 Q2 (comment over three lines) | 6 blank | 7 Q3 (score "eleven") | 8–9 Q4 | 10 Q5 | 11 Q6 (99)
    const r = await report('quoted-crlf-bom.csv');
    expect(r.code).toBe(0);
    expect(r.rejected).toEqual([
      { line: 7, reason: 'score "eleven" is not a number: expected a whole number from 0 to 10' },
      { line: 11, reason: 'score "99" is out of range: expected a whole number from 0 to 10' }
    ]);
  });

  it('reads the BOM-prefixed header, quoted commas in names, and metric names in any case', async () => {
    const r = await report('quoted-crlf-bom.csv');
    expect(r.warnings).toEqual([]); // a BOM left on "response_id" would give an "ignored column" warning
    expect(summary(r.groups)).toEqual([
      'Bob Li|CSM NPS|2026-03: n=2 1/1/0',
      'Souza, Ana|Company NPS|2026-03: n=2 1/0/1'
    ]);
  });

  it('a stray quote inside a field does not swallow the rows after it: every valid row counts', async () => {
    const r = await report('stray-quote.csv');
    expect(r.code).toBe(0);
    expect(r.rejected).toEqual([]);
    expect(summary(r.groups)).toEqual([
      'Ana Souza|Company NPS|2026-03: n=3 2/1/0',
      'Bob Li|Company NPS|2026-03: n=2 1/0/1'
    ]);
  });

  it('a quote never closed is reported at the line where its row starts; the rows before it count', async () => {
    const r = await report('unclosed-quote.csv');
    expect(r.code).toBe(0);
    expect(r.rejected).toEqual([
      {
        line: 3,
        reason: 'the row could not be read as CSV (a quoted field is never closed); check its quotes'
      }
    ]);
    expect(summary(r.groups)).toEqual(['Ana Souza|Company NPS|2026-03: n=1 1/0/0']);
  });
});

describe('repeated response_id', () => {
  it('keeps the last valid row and warns with both lines; a later invalid row is listed, not counted', async () => {
    const r = await report('repeated-id.csv');
    expect(r.code).toBe(0);
    expect(r.warnings).toContain('response_id "A1" is repeated: line 4 replaces line 2');
    expect(r.rejected).toEqual([
      { line: 6, reason: 'score "bad" is not a number: expected a whole number from 0 to 10' }
    ]);
    // A1's first answer (2, Ana, March) is replaced by line 4 (10, Bob, April)
    expect(summary(r.groups)).toEqual([
      'Ana Souza|Company NPS|2026-03: n=2 2/0/0',
      'Bob Li|Company NPS|2026-04: n=1 1/0/0'
    ]);
  });
});

describe('repeated response_id, three times, with --from', () => {
  it('only the last answer of each id counts, even when an earlier one was outside --from; warnings in file order', async () => {
    const r = await report('repeated-id-thrice.csv', '--from', '2026-03-01');
    expect(r.code).toBe(0);
    expect(r.warnings).toEqual([
      'response_id "B7" is repeated: line 4 replaces line 2',
      'response_id "A1" is repeated: line 5 replaces line 3',
      'response_id "B7" is repeated: line 6 replaces line 4',
      'response_id "A1" is repeated: line 7 replaces line 5',
      '1 answer outside 2026-03-01 to … left out'
    ]);
    // B7 ends as line 6 (" B7 " trimmed: 7, Bob), A1 as line 7 (8, Bob): Ana keeps nothing.
    expect(summary(r.groups)).toEqual(['Bob Li|Company NPS|2026-03: n=2 0/2/0']);
  });
});

describe('files that cannot be used: exit 1', () => {
  it('a missing required column names it and lists what was found', async () => {
    const r = await cli('report', '--csv', fixture('missing-column.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'line 1: the header has no column "score". Required: responded_at, score, csm (optional: response_id, account, comment, metric). Found: response_id, responded_at, csm'
    );
  });

  it('an empty file', async () => {
    const r = await cli('report', '--csv', fixture('empty.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('empty.csv is empty: it needs a header row');
  });

  it('a header and no answer', async () => {
    const r = await cli('report', '--csv', fixture('header-only.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('header-only.csv holds no valid row: it has a header but no answer');
  });

  it('every row rejected: the rows are still listed, then exit 1', async () => {
    const r = await cli('report', '--csv', fixture('all-rejected.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '  line 2: score "11" is out of range: expected a whole number from 0 to 10\n'
    );
    expect(r.stderr).toContain('  line 3: responded_at: date "2026-02-30" does not exist in the calendar\n');
    expect(r.stderr).toContain('all-rejected.csv holds no valid row: all 2 rows were rejected');
  });

  it('every row rejected with --json: stdout is still the JSON object, with the rejected rows', async () => {
    const r = await cli('report', '--csv', fixture('all-rejected.csv'), '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      groups: [],
      rejected: [
        { line: 2, reason: 'score "11" is out of range: expected a whole number from 0 to 10' },
        { line: 3, reason: 'responded_at: date "2026-02-30" does not exist in the calendar' }
      ],
      warnings: []
    });
  });

  it('a file that does not exist', async () => {
    const r = await cli('report', '--csv', fixture('no-such-file.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no-such-file.csv does not exist: check the path given to --csv');
  });
});

describe('--json', () => {
  it('one object {groups, rejected, warnings}; group keys in the order of the contract; numbers unrounded', async () => {
    const r = await cli('report', '--csv', fixture('bad-scores.csv'), '--json');
    expect(r.stdout.endsWith('}\n')).toBe(true);
    const out = JSON.parse(r.stdout) as JsonReport;
    expect(Object.keys(out)).toEqual(['groups', 'rejected', 'warnings']);
    for (const g of out.groups) expect(Object.keys(g)).toEqual(GROUP_KEYS);
    for (const x of out.rejected) expect(Object.keys(x)).toEqual(['line', 'reason']);
    // Ana, n = 2 (10 and 6): n′ = 5, p′ = d′ = 1.75/5 = 0.35, V′ = 0.7 − 0² = 0.7
    // se′ = 100·√(0.7/5) = 100·√0.14 = 37.41657386773941; half = 1.959963984540054·37.4165… = 73.33513720565181
    const ana = out.groups[0] as GroupResult;
    expect(ana.ciLow).toBeCloseTo(-73.33513720565181, 10);
    expect(ana.ciHigh).toBeCloseTo(73.33513720565181, 10);
    expect(String(ana.ciHigh).length).toBeGreaterThan(10); // not rounded for display
    // shrinkage toward the March pool (Ana 1/0/1, Bob 0/1/0, Unassigned 1/0/0 → π = (0.5, 0.25, 0.25)):
    // Ana 100·((1 + 5) − (1 + 2.5))/(2 + 10) = 100·2.5/12 = 20.8333…
    expect(ana.shrunkNps).toBeCloseTo(20.833333333333332, 10);
  });

  it('groups are sorted by csm, metric, then period; change compares with the previous period', async () => {
    const r = await report('periods.csv');
    expect(r.groups.map((g) => [g.csm, g.metric, g.period, g.periodStart, g.change])).toEqual([
      ['Ana Souza', 'CSM NPS', '2026-05', '2026-05-01', null],
      ['Ana Souza', 'Company NPS', '2026-01', '2026-01-01', null],
      ['Ana Souza', 'Company NPS', '2026-02', '2026-02-01', 0],
      ['Ana Souza', 'Company NPS', '2026-03', '2026-03-01', -200],
      ['Ana Souza', 'Company NPS', '2026-04', '2026-04-01', 200]
    ]);
  });
});

describe('periods and filters', () => {
  it('--tz America/Los_Angeles: 2026-04-01T05:00Z counts in March', async () => {
    const r = await report('periods.csv', '--tz', 'America/Los_Angeles', '--metric', 'Company NPS');
    expect(summary(r.groups)).toEqual([
      'Ana Souza|Company NPS|2026-01: n=1 1/0/0',
      'Ana Souza|Company NPS|2026-02: n=1 1/0/0',
      'Ana Souza|Company NPS|2026-03: n=2 1/0/1'
    ]);
    expect(r.warnings).toEqual(['1 answer of other metrics left out (--metric Company NPS)']);
  });

  it('--metric takes the metric name in any case, as the CSV column does', async () => {
    const r = await report('periods.csv', '--metric', 'csm nps');
    expect(summary(r.groups)).toEqual(['Ana Souza|CSM NPS|2026-05: n=1 0/1/0']);
    expect(r.warnings).toEqual(['4 answers of other metrics left out (--metric CSM NPS)']);
  });

  it('--period quarter', async () => {
    const r = await report('periods.csv', '--period', 'quarter', '--metric', 'Company NPS');
    expect(r.groups.map((g) => [g.period, g.periodStart, g.responses, g.nps])).toEqual([
      ['2026-Q1', '2026-01-01', 3, (100 * (2 - 1)) / 3],
      ['2026-Q2', '2026-04-01', 1, 100]
    ]);
  });

  it('--period fiscal-quarter --fiscal-start-month 2, named by the end year and by the start year', async () => {
    const byEnd = await report('periods.csv', '--period', 'fiscal-quarter', '--fiscal-start-month', '2');
    expect(summary(byEnd.groups)).toEqual([
      'Ana Souza|CSM NPS|FY2027-Q2: n=1 0/1/0',
      'Ana Souza|Company NPS|FY2026-Q4: n=1 1/0/0',
      'Ana Souza|Company NPS|FY2027-Q1: n=3 2/0/1'
    ]);
    expect(byEnd.groups.map((g) => g.periodStart)).toEqual(['2026-05-01', '2025-11-01', '2026-02-01']);
    const byStart = await report(
      'periods.csv',
      '--period',
      'fiscal-quarter',
      '--fiscal-start-month',
      '2',
      '--fiscal-year-name',
      'start'
    );
    expect(byStart.groups.map((g) => g.period)).toEqual(['FY2026-Q2', 'FY2025-Q4', 'FY2026-Q1']);
  });

  it('--from/--to are inclusive local dates and say how many answers they left out', async () => {
    const utc = await report('periods.csv', '--from', '2026-02-01', '--to', '2026-03-31');
    expect(summary(utc.groups)).toEqual([
      'Ana Souza|Company NPS|2026-02: n=1 1/0/0',
      'Ana Souza|Company NPS|2026-03: n=1 0/0/1'
    ]);
    expect(utc.warnings).toEqual(['3 answers outside 2026-02-01 to 2026-03-31 left out']);
    // in Los Angeles 2026-04-01T05:00Z is March 31, inside the range
    const la = await report(
      'periods.csv',
      '--from',
      '2026-02-01',
      '--to',
      '2026-03-31',
      '--tz',
      'America/Los_Angeles'
    );
    expect(summary(la.groups)).toEqual([
      'Ana Souza|Company NPS|2026-02: n=1 1/0/0',
      'Ana Souza|Company NPS|2026-03: n=2 1/0/1'
    ]);
  });

  it('goal settings from the command line: --floor, --min-responses, --improvement', async () => {
    const r = await report(
      'periods.csv',
      '--period',
      'quarter',
      '--metric',
      'Company NPS',
      '--floor',
      '20',
      '--min-responses',
      '1'
    );
    // Q1: NPS 33.3 > 20 → met; Q2: NPS 100 > 20 → met
    expect(r.groups.map((g) => g.goalStatus)).toEqual(['met', 'met']);
    const strict = await report(
      'periods.csv',
      '--period',
      'quarter',
      '--metric',
      'Company NPS',
      '--floor',
      '100',
      '--min-responses',
      '1',
      '--improvement',
      '80'
    );
    // Q1: 33.3, no previous → not met; Q2: 100 is not > 100, change 66.7 < 80 → not met
    expect(strict.groups.map((g) => g.goalStatus)).toEqual(['not_met', 'not_met']);
  });
});

describe('--out FILE.csv', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-out-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the groups with the contract’s columns; a CSM name starting with = or + cannot run as a formula', async () => {
    const out = path.join(dir, 'nps.csv');
    const r = await cli('report', '--csv', fixture('formula-csm.csv'), '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Wrote 3 groups (CSM × metric × period) to ${out}\n`);
    const rows = parse(readFileSync(out, 'utf8')) as string[][];
    expect(rows[0]).toEqual(GROUP_KEYS);
    const csms = rows.slice(1).map((row) => row[0]);
    expect(csms).toEqual(["'+Cara", '\'=HYPERLINK("http://evil.example","click")', 'Ana Souza']);
    // numbers stay numbers: −100 is written as a plain number, not neutralised
    const cara = rows[1] as string[];
    expect(cara[GROUP_KEYS.indexOf('nps')]).toBe('-100');
    expect(cara[GROUP_KEYS.indexOf('change')]).toBe('');
    expect(cara[GROUP_KEYS.indexOf('goalStatus')]).toBe('insufficient_data');
  });

  it('an --out path in a folder that does not exist: exit 1 with the path and what to do, no stack trace', async () => {
    const out = path.join(dir, 'missing-folder', 'nps.csv');
    const r = await cli('report', '--csv', fixture('formula-csm.csv'), '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`--out ${out} could not be written (its folder does not exist)`);
    expect(r.stderr).not.toContain('unexpected error');
  });
});

describe('usage errors: exit 2 with a message naming the option', () => {
  it.each([
    [['--period', 'week'], /--period.*'week' is invalid/],
    [['--fiscal-start-month', '13'], /--fiscal-start-month must be a whole number from 1 to 12/],
    [['--fiscal-start-month', 'feb'], /--fiscal-start-month must be a number/],
    [['--fiscal-year-name', 'middle'], /--fiscal-year-name.*'middle' is invalid/],
    [['--confidence', '1.5'], /--confidence must be between 0 and 1/],
    [['--confidence', '0'], /--confidence must be between 0 and 1/],
    [['--json', '--out', 'x.csv'], /--json or --out FILE\.csv, not both/],
    [['--tz', 'Mars/Olympus_Mons'], /--tz: Unknown time zone "Mars\/Olympus_Mons"/],
    [['--from', '2026-03-05', '--to', '2026-03-01'], /--from 2026-03-05 is after --to 2026-03-01/],
    [['--from', '2026-02-30'], /--from: is not a date that exists/],
    [['--to', '03/01/2026'], /--to: must be a date written YYYY-MM-DD/],
    [['--min-responses', '-1'], /--min-responses must be a whole number ≥ 0/],
    [['--prior-strength', '-3'], /--prior-strength must be ≥ 0/],
    [['--floor', '150'], /--floor must be between −100 and 100/]
  ])('%j', async (args, message) => {
    const r = await cli('report', '--csv', fixture('bad-scores.csv'), ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--csv is required', async () => {
    const r = await cli('report');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--csv <file>/);
  });

  it('an unknown option or command', async () => {
    expect((await cli('report', '--csv', fixture('bad-scores.csv'), '--colour')).code).toBe(2);
    expect((await cli('reprot')).code).toBe(2);
  });

  it('--help explains every option and exits 0', async () => {
    const r = await cli('report', '--help');
    expect(r.code).toBe(0);
    for (const option of [
      '--csv',
      '--period',
      '--tz',
      '--fiscal-start-month',
      '--fiscal-year-name',
      '--metric',
      '--from',
      '--to',
      '--confidence',
      '--min-responses',
      '--improvement',
      '--floor',
      '--prior-strength',
      '--json',
      '--out'
    ]) {
      expect(r.stdout).toContain(option);
    }
    expect(r.stdout).toContain('$ csm-nps report --csv');
  });
});
