// The CSV reader on a file larger than one read chunk (64 KiB): every row keeps its exact starting line,
// whatever mix of CRLF, blank lines and multi-line quoted fields comes before it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readResponsesCsv, type CsvRejectedRow } from '../../csv/responsesCsv';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-csv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(text: string) {
  const file = path.join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  const rows: { id: string | null; line: number; comment: string | null }[] = [];
  const rejected: CsvRejectedRow[] = [];
  const warnings: string[] = [];
  const summary = await readResponsesCsv(file, {
    row: (r) => rows.push({ id: r.responseId, line: r.line, comment: r.comment }),
    reject: (r) => rejected.push(r),
    warn: (w) => warnings.push(w)
  });
  return { rows, rejected, warnings, summary };
}

describe('readResponsesCsv', () => {
  it('3,000 rows over several chunks: each row starts on the line computed while writing the file', async () => {
    const lines: string[] = ['response_id,responded_at,score,csm,comment'];
    const expected = new Map<string, number>();
    const expectedRejected: CsvRejectedRow[] = [];
    for (let i = 0; i < 3000; i++) {
      if (i % 11 === 0) lines.push(''); // a blank line
      const start = lines.length + 1;
      const id = `R${i}`;
      const score = i % 97 === 0 ? '11' : String(i % 11);
      if (score === '11')
        expectedRejected.push({
          line: start,
          reason: 'score "11" is out of range: expected a whole number from 0 to 10'
        });
      else expected.set(id, start);
      if (i % 7 === 0) {
        // a comment over three lines, with a quoted comma and a doubled quote
        lines.push(
          `${id},2026-03-01T10:00:00Z,${score},Ana Souza,"first, line`,
          'second ""quoted"" line',
          'third line"'
        );
      } else {
        lines.push(`${id},2026-03-01,${score},Bob Li,plain`);
      }
    }
    const r = await read(`${lines.join('\r\n')}\r\n`);
    expect(r.rejected).toEqual(expectedRejected);
    expect(r.rows).toHaveLength(expected.size);
    for (const row of r.rows)
      expect({ id: row.id, line: row.line }).toEqual({ id: row.id, line: expected.get(row.id ?? '') });
    expect(r.rows.find((row) => row.id === 'R7')?.comment).toBe(
      'first, line\r\nsecond "quoted" line\r\nthird line'
    );
    expect(r.summary).toEqual({ rowsRead: 3000, accepted: expected.size, rejected: expectedRejected.length });
  });

  it('a quote never closed at the end of a long file is listed at its own line, after every row before it', async () => {
    const lines = ['responded_at,score,csm,comment'];
    for (let i = 0; i < 2000; i++) lines.push(`2026-03-01,9,Ana Souza,"row ${i}, fine"`);
    lines.push('2026-03-02,8,Ana Souza,"never closed', '2026-03-03,10,Ana Souza,fine');
    const r = await read(`${lines.join('\n')}\n`);
    expect(r.rows).toHaveLength(2000);
    expect(r.rows.at(-1)?.line).toBe(2001);
    expect(r.rejected).toEqual([
      {
        line: 2002,
        reason: 'the row could not be read as CSV (a quoted field is never closed); check its quotes'
      }
    ]);
  });

  it('header names are case- and space-insensitive; unknown columns are named in a warning', async () => {
    const r = await read('Response ID,Responded_At,SCORE,Csm,Region\nX,2026-03-01,9,Ana,EMEA\n');
    expect(r.rows).toEqual([{ id: 'X', line: 2, comment: null }]);
    expect(r.warnings).toEqual(['line 1: ignored column "Region"']);
  });

  it('a header naming a column twice is refused', async () => {
    await expect(read('score,responded_at,score,csm\n')).rejects.toThrow(
      'line 1: the header names column "score" twice; keep one'
    );
  });
});
