// The configuration file, `csm-nps init`, SOQL escaping and the state's month encoding: the parts of the
// sync that need no org.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../../cli/main';
import { configTemplate, loadConfig, validateConfig } from '../config';
import { ConfigError } from '../errors';
import { soqlDateTime, soqlId, soqlString } from '../soql';
import { decodeMonths, encodeMonths } from '../state';
import { readWindows, targetPeriods } from '../snapshots';
import { parse as parseJsonc } from 'jsonc-parser';
import { PassThrough } from 'node:stream';
import { createProgress } from '../progress';

function captureIo(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      isTTY: false,
      columns: 160,
      env
    },
    stdout: () => out.join(''),
    stderr: () => err.join('')
  };
}

describe('csm-nps.config.json', () => {
  it('defaults to the Salesforce Surveys source when there is no file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-config-'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { config, file } = await loadConfig(undefined);
      expect(file).toBeNull();
      expect(config.source).toBe('surveys');
      expect(config.bulkThreshold).toBe(2000);
    } finally {
      process.chdir(cwd);
    }
  });

  it('names the key and the fix for every problem', () => {
    expect(() =>
      validateConfig({ source: 'object', bulkTreshold: 5, surveys: { defaultMetric: 'NPS' } })
    ).toThrow(ConfigError);
    try {
      validateConfig({ source: 'object', bulkTreshold: 5, surveys: { defaultMetric: 'NPS' } });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('unknown key "bulkTreshold"');
      expect(message).toContain('surveys.defaultMetric: must be "Company NPS" or "CSM NPS"');
    }
    expect(() => validateConfig({ source: 'object' })).toThrow(
      /object: is required when "source" is "object"/
    );
  });

  it('says what to write instead of a wrong type or bound, with the default where there is one', () => {
    let message = '';
    try {
      validateConfig({ bulkThreshold: '5000', maxRetries: 1.5, timeoutSeconds: 0, unassignedOwners: '005' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      'bulkThreshold: must be a number without quotes (or remove the key to use the default, 2000)'
    );
    expect(message).toContain(
      'maxRetries: must be a whole number without quotes (or remove the key to use the default, 5)'
    );
    expect(message).toContain(
      'timeoutSeconds: must be at least 1 (or remove the key to use the default, 120)'
    );
    expect(message).toContain('unassignedOwners: must be a list [ … ]');
    expect(message).not.toMatch(/Invalid input|Too small/);
  });

  it('refuses a field name that is not an API name (no SOQL through the config)', () => {
    expect(() =>
      validateConfig({
        source: 'object',
        object: { name: 'Answer__c', fields: { score: 'Score__c FROM User --', respondedAt: 'At__c' } }
      })
    ).toThrow(/object\.fields\.score: must be a field API name/);
  });

  it('reads comments and trailing commas, and points at a syntax error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-config-'));
    const good = path.join(dir, 'good.json');
    writeFileSync(good, '// comment\n{ "source": "csv", "csv": { "file": "a.csv" }, }\n');
    expect((await loadConfig(good)).config.source).toBe('csv');
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "source": "csv"\n  "csv": {}\n}\n');
    await expect(loadConfig(bad)).rejects.toThrow(/bad\.json:3:\d+: not valid JSON/);
  });

  it.each(['surveys', 'object', 'csv'] as const)('the %s template written by init is valid', (source) => {
    const raw: unknown = parseJsonc(configTemplate(source));
    expect(validateConfig(raw).source).toBe(source);
  });

  it('init writes the file once and refuses to overwrite it without --force', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-init-'));
    const file = path.join(dir, 'csm-nps.config.json');
    const first = captureIo();
    expect(await run(['init', '--config', file, '--source', 'object'], first.io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('"source": "object"');
    const again = captureIo();
    expect(await run(['init', '--config', file], again.io)).toBe(2);
    expect(again.stderr()).toContain('already exists');
    expect(await run(['init', '--config', file, '--force'], captureIo().io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('"source": "surveys"');
  });

  it('sync without any way to connect says which ways exist (exit 1)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'csm-nps-noorg-'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const cap = captureIo({ PATH: process.env.PATH });
      expect(await run(['sync'], cap.io)).toBe(2);
      expect(cap.stderr()).toContain('--target-org');
      expect(cap.stderr()).toContain('SF_JWT_KEY_FILE');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('SOQL values', () => {
  it('escapes quotes, backslashes and control characters', () => {
    expect(soqlString("O'Brien\\ \n")).toBe("'O\\'Brien\\\\ \\n'");
    expect(soqlString("x' OR Name != '")).toBe("'x\\' OR Name != \\''");
  });
  it('accepts only Id-shaped Ids', () => {
    expect(soqlId('0015L0000000001AAA')).toBe("'0015L0000000001AAA'");
    expect(() => soqlId("001' OR Id != '")).toThrow(/not a Salesforce Id/);
  });
  it('writes DateTime literals in whole UTC seconds', () => {
    expect(soqlDateTime(Date.UTC(2026, 2, 31, 14, 5, 7, 999))).toBe('2026-03-31T14:05:07Z');
  });
});

describe('state and periods', () => {
  it('encodes months as ranges and back', () => {
    const months = [2025 * 12, 2025 * 12 + 1, 2025 * 12 + 2, 2025 * 12 + 6];
    const encoded = encodeMonths(months);
    expect(encoded).toEqual(['2025-01..2025-03', '2025-07']);
    expect([...decodeMonths(encoded)].sort((a, b) => a - b)).toEqual(months);
  });

  it('recomputes the period of a changed month and the next one, reading the one before too', () => {
    const calendar = { timeZone: 'UTC', fiscalStartMonth: 2, fiscalYearName: 'end' as const };
    const targets = targetPeriods([2026 * 12 + 1], calendar); // February 2026
    expect([...(targets.get('month') as Set<number>)]).toEqual([2026 * 12 + 1, 2026 * 12 + 2]);
    expect([...(targets.get('quarter') as Set<number>)]).toEqual([2026 * 4, 2026 * 4 + 1]);
    // Fiscal year from February: February 2026 opens FY2027-Q1 (index 2026·4).
    expect([...(targets.get('fiscal-quarter') as Set<number>)]).toEqual([2026 * 4, 2026 * 4 + 1]);
    const [window] = readWindows(targets, calendar);
    // From the day before the previous quarter (Q4 2025) to the day after the next fiscal quarter (May–July 2026).
    expect(new Date((window as [number, number])[0]).toISOString().slice(0, 10)).toBe('2025-09-30');
    expect(new Date((window as [number, number])[1]).toISOString().slice(0, 10)).toBe('2026-08-02');
  });
});

describe('progress', () => {
  it('draws a bar per phase on a terminal and ends each with its result', () => {
    const written: string[] = [];
    const tty = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 100,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true
    });
    tty.on('data', (chunk: Buffer) => written.push(chunk.toString()));
    const progress = createProgress({
      stdout: { write: () => true },
      stderr: tty,
      isTTY: true,
      columns: 100,
      env: {}
    });
    const phase = progress.phase('extract', 'Reading answers');
    phase.total(10);
    phase.update(5);
    phase.done('10 read');
    const text = written.join('');
    expect(text).toContain('Reading answers');
    expect(text).toMatch(/✔ Reading answers: 10 read \([\d.]+ s\)/);
  });

  it('writes plain lines when not on a terminal', () => {
    const cap = captureIo();
    const progress = createProgress(cap.io);
    const phase = progress.phase('extract', 'Reading answers');
    phase.done('3 read');
    progress.note('HTTP 503 from Salesforce: retrying in 1.0 s');
    expect(cap.stderr()).toMatch(
      /^Reading answers…\n {2}Reading answers: 3 read \([\d.]+ s\)\n {2}HTTP 503 from Salesforce: retrying in 1\.0 s\n$/
    );
  });
});
