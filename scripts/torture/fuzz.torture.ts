// Torture case 4 — fuzzing with fast-check (seeded from TORTURE_SEED): the CSV reader and the core
// never throw on arbitrary input, and every row the reader accepts gives back exactly what was written.
// Plus the sync's own pure parts (the months it records in its state).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import {
  checkNumericScore,
  computeGroupResults,
  formatDay,
  groupResultsToCsv,
  LocalDayResolver,
  neutralizeSpreadsheetFormula,
  NpsAggregator,
  OwnershipTimeline,
  parseRespondedAt,
  parseScore,
  resolveSettings,
  UNASSIGNED,
  type GroupResult
} from 'c/npsCore';
import { CsvFileError, readResponsesCsv, type CsvResponse } from '../csv/responsesCsv';
import { decodeMonths, encodeMonths } from '../sync/state';
import { CaseRecorder } from './results';
import { fastCheckSeed, tortureSeed } from './seed';

jest.setTimeout(10 * 60_000);

const seed = tortureSeed();
const recorder = new CaseRecorder('fuzz');
const dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-fuzz-'));
let fileCount = 0;
const tempCsv = (content: string | Uint8Array): string => {
  const file = path.join(dir, `f${fileCount++}.csv`);
  writeFileSync(file, content);
  return file;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a property with the case's seed; records it (and the counterexample, if any) in the figures. */
function property<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => boolean | void,
  numRuns: number
): void {
  const result = fc.check(fc.property(arbitrary, predicate), {
    seed: fastCheckSeed(`fuzz:${name}`),
    numRuns
  });
  recorder.add({
    what: name,
    where: `${result.numRuns.toLocaleString('en-US')} generated inputs`,
    produced: result.failed
      ? `FAILED on ${JSON.stringify(result.counterexample).slice(0, 300)}: ${String(result.errorInstance ?? '').slice(0, 200)}`
      : 'held for every input',
    held: !result.failed
  });
  if (result.failed) throw new Error(fc.defaultReportMessage(result) ?? `${name} failed`);
}

async function asyncProperty<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<boolean | void>,
  numRuns: number
): Promise<void> {
  const result = await fc.check(fc.asyncProperty(arbitrary, predicate), {
    seed: fastCheckSeed(`fuzz:${name}`),
    numRuns
  });
  recorder.add({
    what: name,
    where: `${result.numRuns.toLocaleString('en-US')} generated inputs`,
    produced: result.failed
      ? `FAILED on ${JSON.stringify(result.counterexample).slice(0, 300)}: ${String(result.errorInstance ?? '').slice(0, 200)}`
      : 'held for every input',
    held: !result.failed
  });
  if (result.failed) throw new Error(fc.defaultReportMessage(result) ?? `${name} failed`);
}

const HEADER = 'response_id,responded_at,score,csm,account,comment,metric';

/** Reads a file; every data row must end in exactly one of row/reject, with a line inside the file. */
async function readAll(
  file: string,
  lines: number
): Promise<{ rows: CsvResponse[]; rejected: { line: number; reason: string }[]; fileError: string | null }> {
  const rows: CsvResponse[] = [];
  const rejected: { line: number; reason: string }[] = [];
  try {
    const summary = await readResponsesCsv(file, {
      row: (r) => rows.push(r),
      reject: (r) => rejected.push(r),
      warn: () => {}
    });
    expect(summary.accepted).toBe(rows.length);
    expect(summary.rejected).toBe(rejected.length);
    expect(summary.rowsRead).toBe(rows.length + rejected.length);
  } catch (error) {
    if (error instanceof CsvFileError) return { rows, rejected, fileError: error.message };
    throw error;
  }
  for (const { line } of [...rows, ...rejected]) {
    expect(line).toBeGreaterThanOrEqual(2);
    expect(line).toBeLessThanOrEqual(lines);
  }
  for (const r of rejected) expect(r.reason.length).toBeGreaterThan(10);
  return { rows, rejected, fileError: null };
}

const csvChars = fc.constantFrom(
  ',',
  '"',
  '\n',
  '\r',
  ' ',
  'a',
  '9',
  '1',
  '0',
  '-',
  ':',
  'T',
  'Z',
  '=',
  '\t',
  'é',
  '\u0000',
  '\ufeff',
  '😀'
);
const csvText = fc
  .array(fc.oneof(csvChars, fc.string({ maxLength: 3 })), { maxLength: 400 })
  .map((parts) => parts.join(''));

describe(`torture: fuzzing (seed ${seed})`, () => {
  afterAll(() => {
    const failed = recorder.rows.filter((r) => !r.held).length;
    recorder.write(
      `${recorder.rows.length} properties, ${recorder.rows.reduce((n, r) => n + Number(r.where?.split(' ')[0]?.replace(/,/g, '') ?? 0), 0).toLocaleString('en-US')} generated inputs; ${failed === 0 ? 'none threw, every accepted row round-tripped' : `${failed} failed`}`
    );
  });

  it('the CSV reader never throws on arbitrary bytes (a bad file is a CsvFileError, a bad row a rejection)', async () => {
    await asyncProperty(
      'CSV reader: arbitrary bytes after a valid header',
      fc.uint8Array({ maxLength: 600 }),
      async (bytes) => {
        const file = tempCsv(Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from(bytes)]));
        const lines = 2 + bytes.filter((b) => b === 10).length + bytes.filter((b) => b === 13).length;
        await readAll(file, lines);
      },
      300
    );
    await asyncProperty(
      'CSV reader: arbitrary text (quotes, commas, newlines, NUL, BOM, emoji), header or not',
      fc.tuple(fc.boolean(), csvText),
      async ([withHeader, text]) => {
        const content = withHeader ? `${HEADER}\n${text}` : text;
        const file = tempCsv(content);
        await readAll(file, 2 + (content.match(/\r\n|\r|\n/g) ?? []).length);
      },
      300
    );
  });

  it('every row the reader accepts gives back what was written (any text in any cell, quoted as CSV needs)', async () => {
    const cellText = fc
      .string({ unit: 'binary', maxLength: 30 })
      .filter((t) => !t.includes('\r') && !/[\ud800-\udfff]/.test(t));
    const instant = fc.record({
      ms: fc.integer({ min: Date.UTC(1700, 0, 1), max: Date.UTC(4000, 11, 31) }),
      offset: fc.integer({ min: -14 * 60, max: 14 * 60 }),
      z: fc.boolean()
    });
    const row = fc.record({
      id: cellText.filter((t) => t.trim() !== ''),
      at: fc.oneof(instant, fc.integer({ min: -80_000, max: 700_000 })),
      score: fc.integer({ min: 0, max: 10 }),
      scoreForm: fc.constantFrom('plain', 'plus', 'zero', 'decimal', 'spaced'),
      csm: cellText,
      account: cellText,
      comment: fc.oneof(
        cellText,
        fc.string({ maxLength: 200 }).map((t) => t.replace(/\r/g, '').replace(/[\ud800-\udfff]/g, ''))
      ),
      metric: fc.oneof(cellText, fc.constantFrom('Company NPS', 'csm nps', 'COMPANY NPS', ''))
    });
    const writeAt = (at: { ms: number; offset: number; z: boolean } | number): string => {
      if (typeof at === 'number') return formatDay(at);
      if (at.z) return new Date(at.ms).toISOString();
      const local = new Date(at.ms + at.offset * 60_000).toISOString().slice(0, 23);
      const sign = at.offset < 0 ? '-' : '+';
      const abs = Math.abs(at.offset);
      return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    };
    const writeScore = (score: number, form: string): string =>
      form === 'plus'
        ? `+${score}`
        : form === 'zero'
          ? `0${score}`
          : form === 'decimal'
            ? `${score}.0`
            : form === 'spaced'
              ? ` ${score} `
              : String(score);
    await asyncProperty(
      'CSV reader: written rows round-trip (id, time, score, CSM, account, comment, metric, line)',
      fc.tuple(fc.array(row, { minLength: 1, maxLength: 25 }), fc.boolean(), fc.boolean()),
      async ([rows, bom, crlf]) => {
        const records = rows.map((r) => [
          r.id,
          writeAt(r.at),
          writeScore(r.score, r.scoreForm),
          r.csm,
          r.account,
          r.comment,
          r.metric
        ]);
        const text = stringifyCsv([HEADER.split(','), ...records], {
          record_delimiter: crlf ? 'windows' : 'unix'
        });
        const file = tempCsv(`${bom ? '\ufeff' : ''}${text}`);
        const { rows: read, rejected, fileError } = await readAll(file, 2 + (text.match(/\n/g) ?? []).length);
        expect({ fileError, rejected }).toEqual({ fileError: null, rejected: [] });
        expect(read.length).toBe(rows.length);
        let line = 2;
        rows.forEach((r, i) => {
          const got = read[i] as CsvResponse;
          const expectedAt =
            typeof r.at === 'number' ? { kind: 'date', day: r.at } : { kind: 'instant', epochMs: r.at.ms };
          const metricTrimmed = r.metric.trim();
          const metric =
            metricTrimmed === ''
              ? 'Company NPS'
              : (['Company NPS', 'CSM NPS'].find((m) => m.toLowerCase() === metricTrimmed.toLowerCase()) ??
                metricTrimmed);
          expect({ ...got, respondedAtText: undefined }).toEqual({
            line,
            responseId: r.id.trim(),
            respondedAt: expectedAt,
            respondedAtText: undefined,
            score: r.score,
            csm: r.csm.trim() === '' ? UNASSIGNED : r.csm.trim(),
            account: r.account.trim() === '' ? null : r.account.trim(),
            comment: r.comment.trim() === '' ? null : r.comment,
            metric
          });
          line += 1 + (records[i] as string[]).join('').split('\n').length - 1;
        });
      },
      250
    );
  });

  it('the core never throws on arbitrary input, and what it accepts reads back the same', () => {
    property(
      'parseScore: any text',
      fc.string({ unit: 'binary', maxLength: 40 }),
      (text) => {
        const parsed = parseScore(text);
        if (parsed.ok) {
          expect(parseScore(String(parsed.score))).toEqual(parsed);
          expect(Number.isInteger(parsed.score) && parsed.score >= 0 && parsed.score <= 10).toBe(true);
        } else expect(parsed.reason.length).toBeGreaterThan(10);
      },
      5000
    );
    property(
      'checkNumericScore: anything (numbers, NaN, Infinity, strings, objects)',
      fc.oneof(
        fc.anything(),
        fc.double(),
        fc.constantFrom<unknown>(
          Number.NaN,
          Infinity,
          -Infinity,
          -0,
          1e21,
          10.000000000000002,
          Object.create(null),
          { toString: 0 },
          [7],
          10n
        )
      ),
      (value) => {
        const checked = checkNumericScore(value);
        if (checked.ok) expect(checked.score === value || parseScore(String(value)).ok).toBe(true);
      },
      5000
    );
    property(
      'parseRespondedAt: any text',
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.stringMatching(
          /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}([.,]\d{1,12})?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/
        )
      ),
      (text) => {
        const parsed = parseRespondedAt(text);
        if (!parsed.ok) return;
        if (parsed.kind === 'date') expect(parseRespondedAt(formatDay(parsed.day))).toEqual(parsed);
        else if (parsed.epochMs >= -62_167_219_200_000 && parsed.epochMs < 253_402_300_800_000)
          expect(parseRespondedAt(new Date(parsed.epochMs).toISOString())).toEqual(parsed);
      },
      5000
    );
    property(
      'neutralizeSpreadsheetFormula: any text',
      fc.string({ unit: 'binary', maxLength: 30 }),
      (text) => {
        const safe = neutralizeSpreadsheetFormula(text);
        expect(/^[=+\-@\t\r]/.test(safe)).toBe(false);
        expect(safe === text || safe === `'${text}`).toBe(true);
      },
      5000
    );
    const answer = fc.record({
      csm: fc.oneof(fc.string({ maxLength: 12 }), fc.constant(UNASSIGNED)),
      metric: fc.constantFrom('Company NPS', 'CSM NPS', '=1+1', ''),
      day: fc.oneof(fc.integer({ min: -25_567, max: 40_000 }), fc.integer({ min: -719_468, max: 2_932_896 })),
      score: fc.integer({ min: 0, max: 10 })
    });
    property(
      'NpsAggregator + computeGroupResults + groupResultsToCsv: any answers, any period type and settings',
      fc.record({
        answers: fc.array(answer, { maxLength: 60 }),
        type: fc.constantFrom('month', 'quarter', 'fiscal-quarter') as fc.Arbitrary<
          'month' | 'quarter' | 'fiscal-quarter'
        >,
        fiscalStartMonth: fc.integer({ min: 1, max: 12 }),
        fiscalYearName: fc.constantFrom('end', 'start') as fc.Arbitrary<'end' | 'start'>,
        confidence: fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        minResponses: fc.integer({ min: 0, max: 30 }),
        priorStrength: fc.double({ min: 0, max: 100, noNaN: true })
      }),
      (input) => {
        const aggregator = new NpsAggregator({
          type: input.type,
          fiscalStartMonth: input.fiscalStartMonth,
          fiscalYearName: input.fiscalYearName
        });
        for (const a of input.answers) aggregator.add(a.csm, a.metric, a.day, a.score);
        const settings = resolveSettings({
          confidence: input.confidence,
          minResponses: input.minResponses,
          priorStrength: input.priorStrength
        });
        const groups: GroupResult[] = computeGroupResults(aggregator, settings);
        expect(groups.reduce((n, g) => n + g.responses, 0)).toBe(input.answers.length);
        for (const g of groups) {
          expect(g.nps).toBeGreaterThanOrEqual(-100);
          expect(g.nps).toBeLessThanOrEqual(100);
          expect(g.ciLow).toBeLessThanOrEqual(g.ciHigh);
          expect(g.probabilityAboveFloor).toBeGreaterThanOrEqual(0);
          expect(g.probabilityAboveFloor).toBeLessThanOrEqual(1);
        }
        const csv = groupResultsToCsv(groups);
        const cells = parseCsv(csv) as string[][];
        expect(cells.length).toBe(groups.length + 1);
        groups.forEach((g, i) => expect(cells[i + 1]?.[0]).toBe(neutralizeSpreadsheetFormula(g.csm)));
      },
      1500
    );
    const zones = Intl.supportedValuesOf('timeZone');
    property(
      'LocalDayResolver: any IANA zone, any instant Salesforce can hold',
      fc.tuple(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1700, 0, 1), max: Date.UTC(4000, 11, 31) })
      ),
      ([zone, ms]) => {
        const day = new LocalDayResolver(zone).dayOf(ms);
        expect(Math.abs(day - Math.floor(ms / 86_400_000))).toBeLessThanOrEqual(1);
      },
      600
    );
    property(
      'OwnershipTimeline: any history, any moment',
      fc.tuple(
        fc.array(
          fc.record({
            at: fc.integer({ min: -1e13, max: 1e13 }),
            oldValue: fc.option(fc.constantFrom('005A', '005B', '005C')),
            newValue: fc.option(fc.constantFrom('005A', '005B', '005C'))
          }),
          { maxLength: 12 }
        ),
        fc.option(fc.constantFrom('005A', '005B')),
        fc.integer({ min: -1e13, max: 1e13 })
      ),
      ([changes, current, at]) => {
        const attribution = new OwnershipTimeline(changes, current).csmAt(at);
        expect(['005A', '005B', '005C', null]).toContain(attribution.csm);
      },
      3000
    );
  });

  it("the sync's state: the months it must still recompute survive the round trip through NPS_Sync_State__c", () => {
    property(
      'encodeMonths / decodeMonths',
      fc.uniqueArray(fc.integer({ min: 1700 * 12, max: 4001 * 12 - 1 }), { maxLength: 80 }),
      (months) => {
        expect([...decodeMonths(encodeMonths(months))].sort((a, b) => a - b)).toEqual(
          [...months].sort((a, b) => a - b)
        );
      },
      3000
    );
  });
});
