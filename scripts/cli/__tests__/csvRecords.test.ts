// The fast CSV reading (rows without quotes split from bytes, the rest through csv-parse) must give
// exactly what csv-parse alone gives: the same records, the same start lines, the same unreadable rows,
// and then the same answers, rejections and warnings — on generated files that mix every awkward case.
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCsvRecords, type CsvRecordSink } from '../../csv/csvRecords';
import {
  readResponsesCsv,
  scanResponsesCsv,
  type CsvResponse,
  type CsvRejectedRow
} from '../../csv/responsesCsv';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-records-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeTemp(bytes: Buffer): string {
  const file = path.join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, bytes);
  return file;
}

type RecordEvent =
  [kind: 'record', line: number, fields: string[]] | [kind: 'unreadable', line: number, code: string];

async function records(file: string, options: Parameters<typeof readCsvRecords>[2]): Promise<RecordEvent[]> {
  const events: RecordEvent[] = [];
  const sink: CsvRecordSink = {
    bytesRecord: (bytes, starts, ends, count, line) => {
      const fields: string[] = [];
      for (let i = 0; i < count; i++) fields.push(bytes.toString('utf8', starts[i], ends[i]));
      events.push(['record', line, fields]);
    },
    textRecord: (fields, line) => events.push(['record', line, [...fields]]),
    unreadable: (line, error) => events.push(['unreadable', line, String(error.code)])
  };
  await readCsvRecords(file, sink, options);
  return events;
}

async function answers(file: string, options: Parameters<typeof readResponsesCsv>[2]) {
  const rows: CsvResponse[] = [];
  const rejected: CsvRejectedRow[] = [];
  const warnings: string[] = [];
  let outcome: unknown;
  try {
    outcome = await readResponsesCsv(
      file,
      { row: (r) => rows.push(r), reject: (r) => rejected.push(r), warn: (w) => warnings.push(w) },
      options
    );
  } catch (error) {
    outcome = `throws: ${(error as Error).message}`;
  }
  return { rows, rejected, warnings, outcome };
}

const b = (text: string): Buffer => Buffer.from(text, 'utf8');
const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);

const id = pick([
  b('R1'),
  b('R2'),
  b(' R2 '),
  b('R3'),
  b(''),
  b('é1'),
  Buffer.from([0x52, 0xff]),
  Buffer.from([0x52, 0xfe])
]);
const date = pick(
  [
    '2026-03-01T10:00:00Z',
    '2026-03-31T23:30:00-05:00',
    '2026-02-30',
    '2026-04-01',
    'soon',
    '',
    ' 2026-01-05 '
  ].map(b)
);
const score = pick(['0', '6', '7', '9', '10', '7.0', ' 8', '11', '-1', 'x', '', '"9"'].map(b));
const csm = pick([
  b('Ana'),
  b(' Ana '),
  b(''),
  b('Bob'),
  b('Zoë'),
  b('"Li, Bob"'),
  Buffer.from([0x41, 0xff])
]);
const comment = pick(
  [
    'ok',
    '',
    'a "stray" quote',
    '"quoted, comma"',
    '"two\nlines"',
    '"two\r\nlines"',
    '"doubled ""q"""',
    'x"y',
    '"ends"after'
  ].map(b)
);
const metric = pick(['Company NPS', 'company nps', 'CSM NPS', '', 'Other', ' csm nps'].map(b));
const row = fc
  .tuple(id, date, score, csm, fc.constant(b('Acme')), comment, metric)
  .map((cells) => Buffer.concat(cells.flatMap((c, i) => (i === 0 ? [c] : [b(','), c]))));
const oddRow = pick(
  [
    '',
    ' ',
    'R9,2026-03-01,9',
    'R9,2026-03-01,9,Ana,Acme,ok,Company NPS,extra',
    '"R10",2026-03-01,9,Ana,Acme,"open'
  ].map(b)
);
const line = fc.oneof({ weight: 6, arbitrary: row }, { weight: 1, arbitrary: oddRow });
const header = pick(
  [
    'response_id,responded_at,score,csm,account,comment,metric',
    '"response_id",responded_at,score,csm,account,comment,metric',
    'Response ID,Responded_At,SCORE,Csm,Account,Comment,Metric'
  ].map(b)
);
const ending = pick(['\n', '\r\n', '\r']);

const file = fc
  .record({
    bom: fc.boolean(),
    header,
    lines: fc.array(line, { maxLength: 40 }),
    ending,
    // A CRLF file with a lone LF here and there (csv-parse keeps it inside the field).
    loneLf: fc.array(fc.nat(40), { maxLength: 2 }),
    trailing: fc.boolean()
  })
  .map(({ bom, header: head, lines, ending: eol, loneLf, trailing }) => {
    const parts: Buffer[] = bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
    [head, ...lines].forEach((l, i) => {
      if (i > 0) parts.push(b(eol === '\r\n' && loneLf.includes(i) ? '\n' : eol));
      parts.push(l);
    });
    if (trailing) parts.push(b(eol));
    return Buffer.concat(parts);
  });

describe('fast CSV reading equals csv-parse', () => {
  it('the same records and start lines, whatever the rows, line endings and read size', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.constantFrom(5, 64, 1 << 22), async (bytes, chunkBytes) => {
        const f = writeTemp(bytes);
        expect(await records(f, { chunkBytes })).toEqual(await records(f, { mode: 'csv-parse' }));
      }),
      { numRuns: 400 }
    );
  });

  it('the same answers, rejections, warnings and errors', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.constantFrom(7, 1 << 22), async (bytes, chunkBytes) => {
        const f = writeTemp(bytes);
        expect(await answers(f, { chunkBytes })).toEqual(await answers(f, { mode: 'csv-parse' }));
      }),
      { numRuns: 300 }
    );
  });

  it('repeated response_ids: the same groups as comparing the trimmed ids as text', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.constantFrom(9, 1 << 22), async (bytes, chunkBytes) => {
        const f = writeTemp(bytes);
        const byText = new Map<string, number[]>();
        let found: [string, number[]][] = [];
        try {
          const scan = await scanResponsesCsv(
            f,
            {
              warn: () => undefined,
              reject: () => undefined,
              answer: (a) => {
                const text = a.responseId();
                if (text !== null) byText.set(text, [...(byText.get(text) ?? []), a.ordinal]);
              }
            },
            { chunkBytes, findRepeatedIds: true }
          );
          scan.forEachRepeatedResponseId((ordinals, id) => found.push([id, ordinals]));
        } catch {
          return; // a file whose header is refused: nothing to compare
        }
        const expected = [...byText].filter(([, ordinals]) => ordinals.length > 1);
        const order = (list: [string, number[]][]) =>
          list.sort((x, y) => (x[1][0] as number) - (y[1][0] as number));
        found = order(found);
        expect(found).toEqual(order(expected));
      }),
      { numRuns: 300 }
    );
  });

  it('a row of quotes between plain rows keeps every line number (plain, quoted over 3 lines, plain)', async () => {
    const text =
      'responded_at,score,csm,comment\n2026-03-01,9,Ana,a\n2026-03-01,9,Ana,"x\ny\nz"\n2026-03-01,9,Ana,b\n';
    const f = writeTemp(b(text));
    expect(await records(f, { chunkBytes: 8 })).toEqual([
      ['record', 1, ['responded_at', 'score', 'csm', 'comment']],
      ['record', 2, ['2026-03-01', '9', 'Ana', 'a']],
      ['record', 3, ['2026-03-01', '9', 'Ana', 'x\ny\nz']],
      ['record', 6, ['2026-03-01', '9', 'Ana', 'b']]
    ]);
  });
});
