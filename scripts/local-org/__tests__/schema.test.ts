// The building blocks: the schema read from force-app (through scripts/metadata), formulas compiled
// to SQL agreeing with the project's formula evaluator, Ids, and time zone arithmetic.

import Database from 'better-sqlite3';
import { evaluateFormula } from '../../metadata/formula';
import { loadMetadata } from '../../metadata/objects';
import { compileFormulaField } from '../formula';
import { checksumSuffix, makeId, normalizeId } from '../ids';
import { buildSchema } from '../metadata';
import { makeField, makeObject, type SObjectDef } from '../schema';
import { dateLiteralRange, parseDateTimeInput, storedToLocal, zonedToUtc } from '../time';
import { SURVEY_TOOL_METADATA } from './helpers';

describe('schema from force-app', () => {
  const metadata = loadMetadata();
  const schema = buildSchema({ sourceDirs: [metadata.sourceDir, SURVEY_TOOL_METADATA] });

  test('every deployed object and custom field is in the schema, with its type and constraints', () => {
    const typeOf: Record<string, string[]> = {
      Text: ['string'],
      TextArea: ['textarea'],
      LongTextArea: ['textarea'],
      Html: ['textarea'],
      Number: ['double'],
      Currency: ['currency'],
      Percent: ['percent'],
      Checkbox: ['boolean'],
      Date: ['date'],
      DateTime: ['datetime'],
      Email: ['email'],
      Phone: ['phone'],
      Url: ['url'],
      Picklist: ['picklist'],
      MultiselectPicklist: ['multipicklist'],
      Lookup: ['reference'],
      MasterDetail: ['reference'],
      AutoNumber: ['string'],
      Time: ['string']
    };
    expect(metadata.objects.length).toBeGreaterThan(0);
    for (const o of metadata.objects) {
      const object = schema.objects.get(o.apiName.toLowerCase()) as SObjectDef;
      expect(object).toBeDefined();
      for (const f of o.fields.filter((x) => x.custom)) {
        const field = object.fieldIndex.get(f.apiName.toLowerCase());
        expect(field).toBeDefined();
        if (!field) continue;
        expect(typeOf[f.type]).toContain(field.type);
        expect(field.unique).toBe(f.unique);
        expect(field.externalId).toBe(f.externalId);
        expect(field.formula?.expression ?? null).toBe(f.formula);
        if (f.length && field.type === 'string' && !f.formula) expect(field.length).toBe(f.length);
        if (f.formula) expect(field.formula?.sql).toEqual(expect.any(String));
      }
    }
    expect(schema.warnings.filter((w) => !w.includes('__tests__'))).toEqual([]);
  });

  test('fields added to standard objects are read too (the loader skips them)', () => {
    const csm = schema.objects.get('account')?.fieldIndex.get('csm__c');
    expect(csm).toMatchObject({
      type: 'reference',
      referenceTo: ['User'],
      relationshipName: 'CSM__r',
      trackHistory: true,
      deleteConstraint: 'SetNull'
    });
    expect(schema.objects.get('user')?.childRelationships).toContainEqual(
      expect.objectContaining({
        childSObject: 'Account',
        field: 'CSM__c',
        relationshipName: 'Managed_Accounts__r'
      })
    );
  });

  test('restricted picklists and delete constraints come from the field files', () => {
    const qualtrics = schema.objects.get('qualtrics_response__c') as SObjectDef;
    expect(qualtrics.fieldIndex.get('question__c')?.restrictedPicklist).toBe(false);
    expect(qualtrics.fieldIndex.get('account__c')?.deleteConstraint).toBe('Restrict');
    const metric = schema.objects.get('nps_response__c')?.fieldIndex.get('metric__c');
    if (metric) expect(metric.restrictedPicklist).toBe(true);
  });
});

describe('formulas compiled to SQL agree with scripts/metadata/formula.ts', () => {
  const db = new Database(':memory:');
  afterAll(() => db.close());
  const object = makeObject('T__c', 'a99', [
    makeField('N__c', 'double', { precision: 18, scale: 2 }),
    makeField('M__c', 'double'),
    makeField('S__c', 'string'),
    makeField('P__c', 'picklist'),
    makeField('B__c', 'boolean')
  ]);
  const objects = new Map([[object.name.toLowerCase(), object]]);
  db.exec('CREATE TABLE t ("N__c" REAL, "M__c" REAL, "S__c" TEXT, "P__c" TEXT, "B__c" INTEGER)');
  const records: Record<string, number | string | boolean | null>[] = [
    { N__c: 9, M__c: 2, S__c: 'abc', P__c: 'Hot', B__c: true },
    { N__c: 6, M__c: 0, S__c: '', P__c: null, B__c: false },
    { N__c: null, M__c: 3, S__c: null, P__c: 'Cold', B__c: false },
    { N__c: -2.5, M__c: -1, S__c: 'Hello World', P__c: 'Warm', B__c: true }
  ];
  const formulas: [string, 'number' | 'text' | 'boolean', 'BlankAsZero' | 'BlankAsBlank'][] = [
    ['IF(ISBLANK(N__c), NULL, IF(N__c >= 9, 100, IF(N__c >= 7, 0, -100)))', 'number', 'BlankAsBlank'],
    ['IF(N__c >= 9, "Promoter", IF(N__c >= 7, "Passive", "Detractor"))', 'text', 'BlankAsZero'],
    ['CASE(P__c, "Hot", 3, "Warm", 2, 1)', 'number', 'BlankAsZero'],
    ['N__c * 2 + M__c - 1', 'number', 'BlankAsZero'],
    ['ROUND(N__c / 4, 1)', 'number', 'BlankAsZero'],
    ['ABS(N__c) + MAX(M__c, 1) + MIN(M__c, 1)', 'number', 'BlankAsZero'],
    ['S__c & "-" & TEXT(P__c)', 'text', 'BlankAsZero'],
    ['AND(NOT(ISBLANK(S__c)), OR(B__c, N__c > 5))', 'boolean', 'BlankAsZero'],
    ['LEN(S__c)', 'number', 'BlankAsZero'],
    ['ISPICKVAL(P__c, "Hot") || N__c < 0', 'boolean', 'BlankAsZero'],
    ['BLANKVALUE(S__c, "none")', 'text', 'BlankAsBlank'],
    ['N__c <> M__c && N__c != 9', 'boolean', 'BlankAsBlank']
  ];
  test.each(formulas)('%s', (expression, type, blanks) => {
    const field = makeField('F__c', type === 'number' ? 'double' : type === 'text' ? 'string' : 'boolean', {
      formula: { expression, sql: null, treatBlanksAsZero: blanks === 'BlankAsZero' },
      scale: 2
    });
    compileFormulaField(object, field, objects);
    expect(field.formula?.unsupportedReason).toBeUndefined();
    const sql = (field.formula?.sql as string).split('{{t}}').join('t');
    for (const record of records) {
      db.exec('DELETE FROM t');
      db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?)').run(
        record.N__c as number | null,
        record.M__c as number | null,
        record.S__c as string | null,
        record.P__c as string | null,
        record.B__c === null ? null : record.B__c ? 1 : 0
      );
      const fromSql = db.prepare(`SELECT ${sql} AS v FROM t`).pluck().get() as number | string | null;
      let expected = evaluateFormula(expression, record, {
        treatBlanksAs: blanks,
        isNumberField: (p) => /^(N|M)__c$/i.test(p)
      });
      if (typeof expected === 'number') expected = Math.round(expected * 100) / 100;
      if (expected === '') expected = null;
      const actual = type === 'boolean' ? fromSql === 1 : fromSql;
      expect([record, actual]).toEqual([record, type === 'boolean' ? expected === true : expected]);
    }
  });

  test('an unsupported function marks the field, naming the function', () => {
    const field = makeField('G__c', 'double', {
      formula: { expression: 'GEOLOCATION(1, 2)', sql: null, treatBlanksAsZero: true }
    });
    compileFormulaField(object, field, objects);
    expect(field.formula?.sql).toBeNull();
    expect(field.formula?.unsupportedReason).toContain('GEOLOCATION');
  });
});

describe('Ids', () => {
  test('15 → 18 characters: the suffix encodes the upper-case letters', () => {
    expect(checksumSuffix('001A0000006Vm9r')).toBe('IAC');
    expect(normalizeId('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('001A0000006Vm9rIAC')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('001A0000006Vm9riac')).toBe('001A0000006Vm9rIAC');
    expect(normalizeId('001A0000006Vm9rIAD')).toBeNull();
    expect(normalizeId('not an id')).toBeNull();
    const id = makeId('a00', 123456);
    expect(id).toHaveLength(18);
    expect(normalizeId(id.slice(0, 15))).toBe(id);
  });
});

describe('time', () => {
  test('DateTime input forms', () => {
    expect(parseDateTimeInput('2026-03-08T01:30:00-05:00')).toBe(Date.parse('2026-03-08T06:30:00Z'));
    expect(parseDateTimeInput('2026-03-08T01:30:00.123+0100')).toBe(Date.parse('2026-03-08T00:30:00.123Z'));
    expect(parseDateTimeInput('2026-03-08')).toBe(Date.parse('2026-03-08T00:00:00Z'));
    expect(parseDateTimeInput('2026-02-30T00:00:00Z')).toBeNull();
    expect(parseDateTimeInput('yesterday')).toBeNull();
  });

  test('local midnight across daylight saving time changes', () => {
    // 8 March 2026: clocks in New York go from 02:00 EST to 03:00 EDT.
    expect(new Date(zonedToUtc(2026, 3, 8, 0, 0, 0, 'America/New_York')).toISOString()).toBe(
      '2026-03-08T05:00:00.000Z'
    );
    expect(new Date(zonedToUtc(2026, 3, 9, 0, 0, 0, 'America/New_York')).toISOString()).toBe(
      '2026-03-09T04:00:00.000Z'
    );
    expect(storedToLocal('2026-11-01T05:30:00.000Z', 'America/New_York')).toBe('2026-11-01T01:30:00');
  });

  test('date literals, fiscal years starting in February', () => {
    const today = { y: 2026, m: 1, d: 15 };
    expect(dateLiteralRange('THIS_FISCAL_YEAR', undefined, today, { fiscalYearStartMonth: 2 })).toEqual({
      start: '2025-02-01',
      end: '2026-02-01'
    });
    expect(dateLiteralRange('THIS_FISCAL_QUARTER', undefined, today, { fiscalYearStartMonth: 2 })).toEqual({
      start: '2025-11-01',
      end: '2026-02-01'
    });
    expect(dateLiteralRange('LAST_N_DAYS', 7, today, { fiscalYearStartMonth: 1 })).toEqual({
      start: '2026-01-08',
      end: '2026-01-16'
    });
    expect(dateLiteralRange('THIS_WEEK', undefined, today, { fiscalYearStartMonth: 1 })).toEqual({
      start: '2026-01-11',
      end: '2026-01-18'
    });
    expect(dateLiteralRange('NOT_A_LITERAL', undefined, today, { fiscalYearStartMonth: 1 })).toBeNull();
  });
});
