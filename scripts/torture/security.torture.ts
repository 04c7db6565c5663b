// Torture case 5 — security.
//   - Secrets: the sync is driven into every path that holds a secret (password login, a wrong
//     password, credentials in the login URL, an access token a proxy echoes back, a revoked session,
//     the JWT bearer flow with a good key, a bad key and a wrong key, the Salesforce CLI login) and
//     everything it printed, wrote into the org and wrote to files is scanned (secrets.ts).
//   - SOQL injection through the configuration (field and object names) and through values (survey
//     filters, CSM names, file names, source ids; fast-check strings into a real SOQL parser) fails.
//   - CSV exports (`report --out`, and the core's groupResultsToCsv that the component uses) neutralise
//     =, +, -, @ (and tab, CR) at the start of a text cell.
//   - Components render user text only as text: no HTML sink in force-app/main/default/lwc.
//   - Permission sets: the CSM set cannot reach other CSMs' rows (checked from the metadata), and the
//     check itself catches each way of opening them.
//   - npm audit --omit=dev: no high or critical advisory (skipped, saying so, when the registry cannot be reached).
// Each check is also run against a planted violation, to show it is not vacuous.

import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { parse as parseCsv } from 'csv-parse/sync';
import { groupResultsToCsv, toCsv } from 'c/npsCore';
import type { LocalOrg } from '../local-org/index';
import {
  csmRecordIsolationProblems,
  loadMetadata,
  loadPermissionSets,
  loadSharingRules,
  type PermissionSetMetadata
} from '../metadata/index';
import { soqlString, soqlStringList } from '../sync/soql';
import {
  addAnswers,
  capturedOutput,
  csmNps,
  orgContents,
  smallBook,
  surveyToolMetadata,
  syncCli,
  tempFile,
  writeConfig,
  type CliResult,
  type SmallBook
} from '../test-support/syncFixture';
import { CaseRecorder } from './results';
import { findSecrets } from './secrets';
import { fastCheckSeed, tortureSeed } from './seed';

jest.setTimeout(10 * 60_000);

const seed = tortureSeed();
const recorder = new CaseRecorder('security');
const root = path.join(__dirname, '..', '..');

afterAll(() => {
  const failed = recorder.rows.filter((r) => !r.held).length;
  recorder.write(
    `${recorder.rows.length} checks (secrets, SOQL injection, CSV formulas, HTML sinks, permissions, npm audit)${failed === 0 ? '' : `; ${failed} FAILED`}`
  );
});

// ---------------------------------------------------------------------------------------------------
describe(`torture: no secret in anything the sync prints or writes (seed ${seed})`, () => {
  const known: string[] = [];
  const texts: Record<string, string> = {};
  const orgs: LocalOrg[] = [];
  const serverLog: string[] = [];
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' }
  });
  const other = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' }
  });
  let book: SmallBook;
  const runs: { name: string; run: CliResult; expectCode: number }[] = [];

  beforeAll(async () => {
    book = await smallBook({ jwtPublicKey: publicKey, log: (line) => serverLog.push(line) });
    orgs.push(book.org);
    addAnswers(book);
    const { org } = book;
    known.push(org.password, org.accessToken, org.clientSecret, privateKey, other.privateKey);
    const keyFile = tempFile('sync.key', privateKey);
    const wrongKeyFile = tempFile('wrong.key', other.privateKey);
    const badKey = `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(16)}\n${'REVG'.repeat(16)}\n-----END PRIVATE KEY-----\n`;
    known.push(badKey);
    const badKeyFile = tempFile('bad.key', badKey);
    const jwtEnv = (file: string) => ({
      SF_CLIENT_ID: org.clientId,
      SF_USERNAME: org.username,
      SF_JWT_KEY_FILE: file,
      SF_LOGIN_URL: org.loginUrl
    });
    const tokenEnv = (token: string) => ({ SF_INSTANCE_URL: org.instanceUrl, SF_ACCESS_TOKEN: token });
    const add = async (
      name: string,
      args: string[],
      env: Record<string, string> | undefined,
      expectCode: number,
      before?: () => void
    ) => {
      before?.();
      const run = await syncCli(org, args, env);
      org.admin.clearFaults();
      runs.push({ name, run, expectCode });
    };

    await add('password login, table and summary', ['sync'], undefined, 0);
    await add(
      'password login, --json, a 401 renewed mid-run',
      ['sync', '--json', '--full'],
      undefined,
      0,
      () => org.admin.addFault({ type: 'invalidSession', path: '/services/data/', nth: 3 })
    );
    const wrong = `wrong-${org.password.slice(0, 4)}-password!`;
    known.push(wrong);
    await add(
      'a wrong password',
      ['sync'],
      { SF_LOGIN_URL: org.loginUrl, SF_USERNAME: org.username, SF_PASSWORD: wrong },
      1
    );
    const urlPassword = 'hunter2-in-the-url';
    known.push(urlPassword);
    await add(
      'credentials written into SF_LOGIN_URL, and a wrong password',
      ['sync'],
      {
        SF_LOGIN_URL: org.loginUrl.replace('://', `://admin:${urlPassword}@`),
        SF_USERNAME: org.username,
        SF_PASSWORD: wrong
      },
      1
    );
    // A secret of no recognisable shape is hidden only because the sync registered it: an error
    // that quotes the login password (a misconfigured proxy, a verbose gateway).
    await add('an error that quotes the login password', ['sync', '--json', '--full'], undefined, 1, () =>
      org.admin.addFault({
        type: 'error',
        path: '/composite',
        nth: 1,
        status: 500,
        errorCode: 'UNKNOWN_EXCEPTION',
        message: `gateway refused the login of ${org.username} with password ${org.password}`
      })
    );
    const echoed = org.admin.newAccessToken();
    known.push(echoed);
    await add('a proxy error that echoes the Authorization header', ['sync'], tokenEnv(echoed), 1, () =>
      org.admin.addFault({
        type: 'error',
        // The sync's reads go out in composite requests: the first one (the org settings) fails.
        path: '/composite',
        nth: 1,
        status: 500,
        errorCode: 'UNKNOWN_EXCEPTION',
        message: `upstream refused: Authorization: Bearer ${echoed}`
      })
    );
    const echoedSid = org.admin.newAccessToken();
    known.push(echoedSid);
    await add('an error that quotes the session id (sid=…)', ['sync', '--json'], tokenEnv(echoedSid), 1, () =>
      org.admin.addFault({
        type: 'error',
        path: '/composite',
        nth: 1,
        status: 400,
        errorCode: 'INVALID_QUERY_LOCATOR',
        message: `cookie sid=${echoedSid} rejected`
      })
    );
    const revoked = org.admin.newAccessToken();
    known.push(revoked);
    await add('SF_ACCESS_TOKEN revoked mid-run', ['sync'], tokenEnv(revoked), 1, () =>
      org.admin.addFault({ type: 'invalidSession', path: '/composite', nth: 2 })
    );
    await add(
      'JWT bearer flow, a 401 renewed with a new assertion',
      ['sync', '--json', '--full'],
      jwtEnv(keyFile),
      0,
      () => org.admin.addFault({ type: 'invalidSession', path: '/services/data/', nth: 4 })
    );
    await add('JWT: a key file that is not a usable key', ['sync'], jwtEnv(badKeyFile), 2);
    await add('JWT: signed with a key the connected app does not hold', ['sync'], jwtEnv(wrongKeyFile), 1);
    // The Salesforce CLI (`sf org display --json`), faked: two sessions, then a failure that quotes a token.
    const first = org.admin.newAccessToken();
    const second = org.admin.newAccessToken();
    const quoted = org.admin.newAccessToken();
    known.push(first, second, quoted);
    const bin = mkdtempSync(path.join(tmpdir(), 'fake-sf-'));
    const counter = path.join(bin, 'calls');
    writeFileSync(counter, '0');
    const answer = (token: string) =>
      JSON.stringify({
        status: 0,
        result: { accessToken: token, instanceUrl: org.instanceUrl, username: org.username, id: '00D' }
      });
    writeFileSync(
      path.join(bin, 'sf'),
      `#!/bin/sh\nn=$(cat ${counter}); echo $((n+1)) > ${counter}\n` +
        `echo "Warning: token ${quoted} is about to expire" >&2\n` +
        `if [ "$5" = "broken" ]; then echo '${JSON.stringify({ status: 1, name: 'NoOrgFound', message: `No authorization found; last token ${quoted}` })}'; exit 1; fi\n` +
        `if [ "$n" = "0" ]; then echo '${answer(first)}'; else echo '${answer(second)}'; fi\n`
    );
    chmodSync(path.join(bin, 'sf'), 0o755);
    const sfEnv = { PATH: `${bin}:${process.env.PATH ?? ''}` };
    await add(
      '--target-org (Salesforce CLI login), a 401 renewed through the CLI',
      ['sync', '--json', '--full', '--target-org', 'prod'],
      sfEnv,
      0,
      () => org.admin.addFault({ type: 'invalidSession', path: '/services/data/', nth: 5 })
    );
    await add(
      '--target-org: the CLI fails with a message quoting a token',
      ['sync', '--target-org', 'broken'],
      sfEnv,
      1
    );

    // Files the product writes: a report, the config template.
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'csm-nps-out-')), 'nps.csv');
    const csv = tempFile('answers.csv', 'responded_at,score,csm\n2026-01-10T10:00:00Z,9,Ada\n');
    const report = await csmNps(['report', '--csv', csv, '--out', out]);
    expect(report.code).toBe(0);
    texts['report --out file'] = readFileSync(out, 'utf8');
    const init = path.join(mkdtempSync(path.join(tmpdir(), 'csm-nps-init-')), 'csm-nps.config.json');
    expect((await csmNps(['init', '--config', init])).code).toBe(0);
    texts['csm-nps init file'] = readFileSync(init, 'utf8');
    // What the sync wrote into the org.
    const state = org.admin.query(
      'SELECT Key__c, Watermark__c, Last_Run_Summary__c FROM NPS_Sync_State__c'
    ).records;
    texts['NPS_Sync_State__c rows'] = JSON.stringify(state);
    const contents = orgContents(org);
    texts['NPS_Response__c and NPS_Snapshot__c rows'] = JSON.stringify([
      ...contents.responses.values(),
      ...contents.snapshots.values()
    ]);
    texts['local org request log'] = serverLog.join('\n');
  });
  afterAll(async () => {
    for (const org of orgs) await org.close();
  });

  it('every secret path ends as it should (the runs really exercised them)', () => {
    for (const { name, run, expectCode } of runs) {
      recorder.add({
        what: `secrets: ${name}`,
        produced: `exit ${run.code}${run.code === 0 ? '' : `: ${(/csm-nps: ([^\n]*)/.exec(run.stderr)?.[1] ?? '').slice(0, 160)}`}`,
        held: run.code === expectCode
      });
      expect({ name, code: run.code }).toEqual({ name, code: expectCode });
    }
  });

  it('the scan finds planted secrets of every kind (so that finding none means something)', () => {
    const planted = {
      planted: [
        `pw ${known[0]}`,
        'Authorization: Bearer 00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.39AsX.LVpxezPwuX5VAIrrbbHMuol7GQxnMeYMN7cj8EoWr78nh5cbM.g',
        'sid=00D5L0000000001!AQ8AQNtmLAhbDz0C4Ih0ikvLiJ8O6GV8lY6hJkVb9FHnIUBtLGLqIWp3dqwQXv',
        privateKey,
        'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4Iiwic3ViIjoieSJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2ln',
        'http://admin:s3cret@host/path',
        '5AepEXAMPLEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
      ].join('\n')
    };
    const kinds = new Set(findSecrets(planted, known).map((f) => f.kind));
    expect([...kinds].sort()).toEqual(
      [
        'a secret the test handed to the product',
        'Salesforce session id',
        'bearer token',
        'PEM private key',
        'signed JWT',
        'credentials in a URL',
        'OAuth refresh token'
      ].sort()
    );
  });

  it('no token, password or private key in anything printed, logged or written', () => {
    const all: Record<string, string> = { ...texts };
    runs.forEach(({ name, run }) => {
      all[`${name}: stdout`] = run.stdout;
      all[`${name}: stderr`] = run.stderr;
    });
    capturedOutput.forEach((text, i) => (all[`captured output #${i}`] = text));
    const findings = findSecrets(all, known);
    const bytes = Object.values(all).reduce((n, t) => n + Buffer.byteLength(t), 0);
    recorder.add({
      what: 'secrets: scan of everything captured',
      where: `${Object.keys(all).length} texts, ${bytes.toLocaleString('en-US')} bytes: stdout and stderr of ${runs.length} sync runs, the report and init files, NPS_Sync_State__c, NPS_Response__c, NPS_Snapshot__c, the local org's request log`,
      produced:
        findings.length === 0
          ? 'no secret found'
          : `${findings.length} found: ${findings
              .slice(0, 3)
              .map((f) => `${f.kind} in ${f.source} ${f.context}`)
              .join('; ')}`,
      held: findings.length === 0
    });
    expect(findings).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('torture: SOQL injection through the configuration and through values fails', () => {
  let book: SmallBook;
  const requests: string[] = [];
  const injections = [
    "x' OR Name != '",
    "x\\' OR Name != \\'",
    "x' OR Id != null OR Name = 'y",
    "x') OR (Name != '",
    "x'; DELETE FROM Account --",
    'x’ OR Name != ’',
    "x'\nOR Name != '",
    '%',
    '_'
  ];
  const mapping = {
    source: 'object',
    object: {
      name: 'Survey_Answer__c',
      fields: {
        id: 'External_Id__c',
        score: 'Score__c',
        respondedAt: 'Answered_At__c',
        account: 'Account__c',
        comment: 'Verbatim__c'
      }
    }
  };

  beforeAll(async () => {
    book = await smallBook({ extraSourceDirs: [surveyToolMetadata()], log: (line) => requests.push(line) });
    addAnswers(book);
    book.org.admin.insert(
      'Survey_Answer__c',
      injections.map((id, i) => ({
        Name: `inj${i}`,
        External_Id__c: id,
        Score__c: i % 11,
        Answered_At__c: '2026-02-10T15:00:00Z',
        Account__c: book.accounts.beta
      }))
    );
  });
  afterAll(async () => {
    await book?.org.close();
  });

  const check = (what: string, held: boolean, produced: string) => {
    recorder.add({ what: `SOQL injection: ${what}`, produced, held });
    expect({ what, held }).toEqual({ what, held: true });
  };

  it('field and object names from the configuration: refused by the schema, or by describe, before any query on the object', async () => {
    const names = [
      'Score__c FROM User WHERE Name != null --',
      'Score__c, (SELECT Id FROM Contacts)',
      "Score__c'",
      'Id FROM Account WHERE',
      'Owner.Password__c',
      'Rating__c'
    ];
    for (const key of ['score', 'respondedAt', 'id', 'account', 'comment', 'metric'] as const) {
      for (const name of names) {
        requests.length = 0;
        const config = {
          ...mapping,
          object: { ...mapping.object, fields: { ...mapping.object.fields, [key]: name } }
        };
        const run = await syncCli(book.org, ['sync', '--config', writeConfig(config)]);
        const queried = requests.some((line) =>
          // A query ON the object (the sync state's own query names it as its key: not a query on it).
          /\/query\?q=.*\bFROM\s+Survey_Answer__c\b/i.test(decodeURIComponent(line))
        );
        // The message may go on over several lines (a config error lists each key on a line of its own).
        const message = /csm-nps: ([\s\S]*)/.exec(run.stderr)?.[1]?.replace(/\s+/g, ' ') ?? '';
        const held = run.code === 2 && !queried && new RegExp(`object\\.fields\\.${key}`).test(message);
        if (!held || name === names[0])
          check(
            `object.fields.${key} = ${JSON.stringify(name)}`,
            held,
            `exit ${run.code}, ${queried ? 'A QUERY WAS SENT' : 'no query sent'}: ${message.slice(0, 140)}`
          );
      }
    }
    for (const [key, config] of [
      ['object.name', { ...mapping, object: { ...mapping.object, name: 'User WHERE Id != null' } }],
      ['csmField', { csmField: 'OwnerId FROM User --' }],
      ['csmField', { csmField: 'Name' }]
    ] as const) {
      const run = await syncCli(book.org, ['sync', '--config', writeConfig(config)]);
      const message = /csm-nps: ([\s\S]*)/.exec(run.stderr)?.[1]?.replace(/\s+/g, ' ') ?? '';
      check(
        `${key} = ${JSON.stringify(key === 'object.name' ? 'User WHERE Id != null' : (config as { csmField: string }).csmField)}`,
        run.code === 2 && message.includes(key.split('.')[0] as string),
        `exit ${run.code}: ${message.slice(0, 140)}`
      );
    }
  });

  it('values in queries are escaped: survey filters, CSV CSM names and file names, source ids read back exactly', async () => {
    for (const filter of injections) {
      const run = await syncCli(book.org, [
        'sync',
        '--json',
        '--full',
        '--config',
        writeConfig({
          surveys: { surveys: [filter], questions: { [filter]: 'CSM NPS' }, onlyListedQuestions: true }
        })
      ]);
      check(
        `surveys filter ${JSON.stringify(filter)}`,
        run.code === 0 && run.json.responsesRead === 0,
        `exit ${run.code}, ${String(run.json.responsesRead)} records read`
      );
    }
    // The object source: ids holding quotes are compared through IN lists: a second run writes nothing.
    const firstRun = await syncCli(book.org, ['sync', '--json', '--full', '--config', writeConfig(mapping)]);
    const again = await syncCli(book.org, ['sync', '--json', '--full', '--config', writeConfig(mapping)]);
    const stored = [...orgContents(book.org).responses.keys()].filter((k) => injections.includes(k));
    check(
      'source ids holding quotes, backslashes, newlines, % and _',
      firstRun.code === 0 &&
        stored.length === injections.length &&
        again.json.responsesUpserted === 0 &&
        again.json.responsesDeleted === 0,
      `${stored.length} of ${injections.length} stored with the id as written; the next run: ${String(again.json.responsesUpserted)} upserted, ${String(again.json.responsesDeleted)} deleted, ${String(again.json.responsesUnchanged)} unchanged`
    );
    // CSV: a CSM name that would widen the User query names nobody; a real name with a quote resolves.
    const [obrien] = book.org.admin.insert('User', [
      {
        FirstName: 'Siobhán',
        LastName: "O'Brien",
        Username: 'obrien@csm-nps.test',
        Email: 'obrien@csm-nps.test',
        Alias: 'obrien',
        TimeZoneSidKey: 'America/New_York',
        LocaleSidKey: 'en_US',
        LanguageLocaleKey: 'en_US',
        EmailEncodingKey: 'UTF-8',
        ProfileId: (
          book.org.admin.query('SELECT ProfileId FROM User LIMIT 1').records[0] as { ProfileId: string }
        ).ProfileId
      }
    ]) as [string];
    const rows = injections.map((name, i) => `i${i},2026-01-10T10:00:00Z,9,"${name.replace(/"/g, '""')}",,,`);
    const file = tempFile(
      "x' OR Key__c != '.csv",
      [
        'response_id,responded_at,score,csm,account,comment,metric',
        ...rows,
        "ok,2026-01-10T10:00:00Z,7,Siobhán O'Brien,,,"
      ].join('\n')
    );
    const run = await syncCli(book.org, ['sync', '--json', '--csv', file]);
    const csvRows = [...orgContents(book.org).responses.values()].filter(
      (r) => String(r.Source__c) === 'CSV'
    );
    check(
      'CSV csm names built to widen the User query',
      run.code === 0 &&
        run.json.rejected.length === injections.length &&
        run.json.rejected.every((r) => /is not a user of the org/.test(r.reason)),
      `${run.json.rejected.length} of ${injections.length} rejected as "not a user of the org"`
    );
    check(
      "a CSM named O'Brien (a quote in a real name) resolves",
      csvRows.length === 1 && csvRows[0]?.CSM__c === obrien,
      `${csvRows.length} row, CSM ${String(csvRows[0]?.CSM__c)}`
    );
    const states = book.org.admin
      .query('SELECT Key__c FROM NPS_Sync_State__c')
      .records.map((r) => String((r as { Key__c: string }).Key__c));
    const sameFileAgain = await syncCli(book.org, ['sync', '--json', '--csv', file]);
    check(
      "a CSV file named x' OR Key__c != '.csv keeps its own sync state",
      states.includes("CSV:x' OR Key__c != '.csv") &&
        sameFileAgain.code === 0 &&
        sameFileAgain.json.responsesUpserted === 0,
      `state keys ${JSON.stringify(states)}; the same file again: ${String(sameFileAgain.json.responsesUpserted)} upserted`
    );
  });

  it('soqlString: any text, parsed by a real SOQL parser (the local org), matches exactly itself', () => {
    const { admin } = book.org;
    // Without the escaping, the first injection reads every account: the attack is real.
    const raw = admin.query(`SELECT Id FROM Account WHERE Name = '${injections[0]}'`).records.length;
    const all = admin.query('SELECT Id FROM Account').records.length;
    expect(raw).toBe(all);
    let tried = 0;
    const result = fc.check(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        fc.string({ maxLength: 10 }),
        (text, other) => {
          const name = `fz${tried++}:${text}`.replace(/[\ud800-\udfff]/g, '').slice(0, 255);
          let id: string;
          try {
            [id] = admin.insert('Account', [{ Name: name }]) as [string];
          } catch {
            return; // a name the org does not take: nothing to query
          }
          const one = admin.query(`SELECT Id, Name FROM Account WHERE Name = ${soqlString(name)}`)
            .records as { Id: string; Name: string }[];
          const list = admin.query(
            `SELECT Id FROM Account WHERE Name IN (${soqlStringList([name, `${other}zz`])})`
          ).records as { Id: string }[];
          expect(one.map((r) => r.Id)).toEqual([id]);
          expect(one[0]?.Name).toBe(name);
          expect(list.map((r) => r.Id)).toEqual([id]);
        }
      ),
      { seed: fastCheckSeed('security:soqlString'), numRuns: 300 }
    );
    check(
      'soqlString over any text (fast-check, 300 strings, the local org SOQL parser)',
      !result.failed,
      result.failed
        ? `failed on ${JSON.stringify(result.counterexample)}`
        : `unescaped, "${injections[0]}" reads all ${all} accounts; escaped, every string matched exactly its own account`
    );
  });
});

// ---------------------------------------------------------------------------------------------------
const DANGEROUS = /^[=+\-@\t\r]/;

/** Text cells of a CSV that a spreadsheet would run as a formula (numbers, negative ones included, are data). */
function formulaCells(csv: string): string[] {
  const rows = parseCsv(csv, { bom: true, relax_column_count: true }) as string[][];
  return rows.flat().filter((cell) => DANGEROUS.test(cell) && !Number.isFinite(Number(cell)));
}

describe('torture: CSV exports neutralise spreadsheet formulas', () => {
  const payloads = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    '-2+3',
    '@SUM(A1:A9)',
    '=1+1',
    '\t=1+1',
    '\r=1+1',
    '-cmd'
  ];

  it('the check catches a formula cell (an export without neutralising)', () => {
    const unprotected = payloads.map((p) => `"${p.replace(/"/g, '""')}",1`).join('\n');
    expect(formulaCells(unprotected).length).toBe(payloads.length);
    expect(formulaCells('"x",-33.3\n')).toEqual([]);
  });

  it('csm-nps report --out: CSM names and metrics that are formulas come out as text', async () => {
    const lines = ['response_id,responded_at,score,csm,account,comment,metric'];
    payloads.forEach((p, i) => {
      const cell = `"${p.replace(/"/g, '""')}"`;
      lines.push(`c${i},2026-01-1${i % 9}T10:00:00Z,${i % 11},${cell},,,`);
      lines.push(`m${i},2026-01-1${i % 9}T10:00:00Z,${(i + 3) % 11},Ada,,,${cell}`);
    });
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'csm-nps-out-')), 'nps.csv');
    const run = await csmNps(['report', '--csv', tempFile('formulas.csv', lines.join('\n')), '--out', out]);
    const csv = readFileSync(out, 'utf8');
    const found = formulaCells(csv);
    const rows = parseCsv(csv) as string[][];
    const csms = new Set(rows.slice(1).map((r) => r[0]));
    const kept = payloads.filter((p) => csms.has(`'${p.trim()}`)).length;
    recorder.add({
      what: 'CSV formulas: csm-nps report --out',
      where: `${payloads.length} CSM names and ${payloads.length} metrics starting with = + - @ tab CR`,
      produced: `exit ${run.code}; ${found.length} formula cells; ${kept} CSM names kept as text behind a quote`,
      held: run.code === 0 && found.length === 0 && kept >= payloads.length - 2
    });
    expect(run.code).toBe(0);
    expect(found).toEqual([]);
    expect(kept).toBeGreaterThanOrEqual(payloads.length - 2); // tab and CR are trimmed from a CSM name by the reader
  });

  it("the core's groupResultsToCsv and toCsv (the component's export): any text, never a formula cell", () => {
    const result = fc.check(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(fc.constantFrom(...payloads), fc.string({ unit: 'binary', maxLength: 20 })),
            fc.double()
          ),
          { maxLength: 20 }
        ),
        (cells) => {
          const groups = cells.map(([text, n]) => ({
            csm: text,
            metric: text,
            period: text,
            periodStart: text,
            responses: n,
            promoters: n,
            passives: n,
            detractors: n,
            nps: n,
            ciLow: n,
            ciHigh: n,
            meanScore: n,
            shrunkNps: n,
            change: n,
            changeSignificant: true,
            goalStatus: text,
            probabilityAboveFloor: n,
            probabilityImproved: null
          }));
          expect(formulaCells(groupResultsToCsv(groups))).toEqual([]);
          expect(formulaCells(toCsv(cells.map(([text]) => [text, text])))).toEqual([]);
        }
      ),
      { seed: fastCheckSeed('security:csv'), numRuns: 500 }
    );
    recorder.add({
      what: "CSV formulas: the core's groupResultsToCsv / toCsv",
      where: '500 generated tables (fast-check)',
      produced: result.failed ? `failed on ${JSON.stringify(result.counterexample)}` : 'no formula cell',
      held: !result.failed
    });
    expect(result.failed).toBe(false);
    // The component builds its export with the core, never by hand.
    const component = readFileSync(
      path.join(root, 'force-app/main/default/lwc/npsByCsm/npsByCsm.ts'),
      'utf8'
    );
    expect(component).toMatch(/groupResultsToCsv\(/);
  });
});

// ---------------------------------------------------------------------------------------------------
/** HTML sinks in component sources: each would render text as markup. */
const HTML_SINKS: { name: string; pattern: RegExp }[] = [
  { name: 'innerHTML / outerHTML', pattern: /\.(inner|outer)HTML\b/ },
  { name: 'insertAdjacentHTML', pattern: /insertAdjacentHTML/ },
  { name: 'document.write', pattern: /document\.write(ln)?\s*\(/ },
  { name: 'lwc:dom="manual"', pattern: /lwc:dom\s*=\s*["']manual["']/ },
  { name: 'lwc:inner-html', pattern: /lwc:inner-html/ },
  { name: 'DOMParser / createContextualFragment', pattern: /DOMParser|createContextualFragment/ },
  { name: 'srcdoc', pattern: /\bsrcdoc\b/ },
  { name: 'a javascript: URL', pattern: /javascript:/i },
  { name: 'eval / new Function', pattern: /\beval\s*\(|new Function\s*\(/ }
];

function htmlSinks(files: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of Object.entries(files))
    for (const sink of HTML_SINKS) if (sink.pattern.test(text)) found.push(`${file}: ${sink.name}`);
  return found;
}

function componentSources(): Record<string, string> {
  const lwc = path.join(root, 'force-app/main/default/lwc');
  const files: Record<string, string> = {};
  for (const bundle of readdirSync(lwc)) {
    const dir = path.join(lwc, bundle);
    if (!statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir))
      if (/\.(ts|html)$/.test(name) && !name.endsWith('.d.ts'))
        files[`${bundle}/${name}`] = readFileSync(path.join(dir, name), 'utf8');
  }
  return files;
}

describe('torture: components render user text only as text', () => {
  it('no HTML sink in any component source (and the scan finds a planted one of each kind)', () => {
    const files = componentSources();
    const found = htmlSinks(files);
    const planted = htmlSinks(
      Object.fromEntries(
        [
          'this.template.querySelector("div").innerHTML = comment;',
          'el.insertAdjacentHTML("beforeend", comment)',
          'document.write(comment)',
          '<div lwc:dom="manual"></div>',
          '<div lwc:inner-html={comment}></div>',
          'new DOMParser().parseFromString(comment, "text/html")',
          '<iframe srcdoc={comment}></iframe>',
          '<a href="javascript:alert(1)">x</a>',
          'eval(comment)'
        ].map((text, i) => [`planted${i}`, text])
      )
    );
    recorder.add({
      what: 'HTML sinks in component sources',
      where: `${Object.keys(files).length} .ts and .html files of force-app/main/default/lwc (innerHTML, outerHTML, insertAdjacentHTML, document.write, lwc:dom="manual", lwc:inner-html, DOMParser, srcdoc, javascript:, eval)`,
      produced:
        found.length === 0
          ? `none (the scan finds ${planted.length} of ${HTML_SINKS.length} planted ones)`
          : found.join('; '),
      held: found.length === 0 && planted.length === HTML_SINKS.length
    });
    expect(planted.length).toBe(HTML_SINKS.length);
    expect(found).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe("torture: the CSM permission set cannot reach other CSMs' rows (from the metadata)", () => {
  const model = loadMetadata();
  const objects = ['NPS_Response__c', 'NPS_Snapshot__c'].map((name) => model.getObject(name));
  const csmSet = loadPermissionSets().find((s) => s.name === 'CSM_NPS_User') as PermissionSetMetadata;
  const rules = loadSharingRules();

  it('the CSM set as deployed: Private sharing, no View All, no delete, edit only Followed_Up__c', () => {
    const problems = csmRecordIsolationProblems(csmSet, objects, rules);
    recorder.add({
      what: 'permissions: CSM_NPS_User as deployed',
      where:
        'NPS_Response__c, NPS_Snapshot__c: org-wide defaults, sharing rules, object and field permissions, user permissions',
      produced:
        problems.length === 0
          ? 'Private (internal and external), no sharing rule, read only but Followed_Up__c, no View All / Modify All / create / delete'
          : problems.join('; '),
      held: problems.length === 0
    });
    expect(problems).toEqual([]);
  });

  it('each way of opening the rows is caught', () => {
    const withAccess = (object: string, change: Record<string, boolean>): PermissionSetMetadata => ({
      ...csmSet,
      objectPermissions: csmSet.objectPermissions.map((p) => (p.object === object ? { ...p, ...change } : p))
    });
    const mutations: [string, () => string[]][] = [
      [
        'View All on NPS_Response__c',
        () =>
          csmRecordIsolationProblems(withAccess('NPS_Response__c', { viewAllRecords: true }), objects, rules)
      ],
      [
        'View All on NPS_Snapshot__c',
        () =>
          csmRecordIsolationProblems(withAccess('NPS_Snapshot__c', { viewAllRecords: true }), objects, rules)
      ],
      [
        'Modify All on NPS_Response__c',
        () =>
          csmRecordIsolationProblems(
            withAccess('NPS_Response__c', { modifyAllRecords: true }),
            objects,
            rules
          )
      ],
      [
        'Delete on NPS_Response__c',
        () => csmRecordIsolationProblems(withAccess('NPS_Response__c', { allowDelete: true }), objects, rules)
      ],
      [
        'Create on NPS_Snapshot__c',
        () => csmRecordIsolationProblems(withAccess('NPS_Snapshot__c', { allowCreate: true }), objects, rules)
      ],
      [
        'Edit on NPS_Snapshot__c',
        () => csmRecordIsolationProblems(withAccess('NPS_Snapshot__c', { allowEdit: true }), objects, rules)
      ],
      [
        'Score__c editable',
        () =>
          csmRecordIsolationProblems(
            {
              ...csmSet,
              fieldPermissions: csmSet.fieldPermissions.map((f) =>
                f.field === 'NPS_Response__c.Score__c' ? { ...f, editable: true } : f
              )
            },
            objects,
            rules
          )
      ],
      [
        'the ViewAllData user permission',
        () => csmRecordIsolationProblems({ ...csmSet, userPermissions: ['ViewAllData'] }, objects, rules)
      ],
      [
        'sharing Read on NPS_Response__c',
        () =>
          csmRecordIsolationProblems(
            csmSet,
            objects.map((o) => (o.apiName === 'NPS_Response__c' ? { ...o, sharingModel: 'Read' } : o)),
            rules
          )
      ],
      [
        'external sharing Read on NPS_Snapshot__c',
        () =>
          csmRecordIsolationProblems(
            csmSet,
            objects.map((o) =>
              o.apiName === 'NPS_Snapshot__c' ? { ...o, externalSharingModel: 'Read' } : o
            ),
            rules
          )
      ],
      [
        'a sharing rule on NPS_Response__c',
        () =>
          csmRecordIsolationProblems(csmSet, objects, [
            { object: 'NPS_Response__c', name: 'All_CSMs', kind: 'owner', accessLevel: 'Read', file: 'x' }
          ])
      ]
    ];
    const missed = mutations.filter(([, problems]) => problems().length === 0).map(([name]) => name);
    recorder.add({
      what: 'permissions: each way of opening the rows, planted',
      where: mutations.map(([name]) => name).join(', '),
      produced: missed.length === 0 ? `all ${mutations.length} caught` : `missed: ${missed.join(', ')}`,
      held: missed.length === 0
    });
    expect(missed).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('torture: npm audit --omit=dev', () => {
  it('reports no high or critical advisory (skipped, saying so, when the registry cannot be reached)', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) => {
        execFile(
          'npm',
          ['audit', '--omit=dev', '--audit-level=high', '--json'],
          { cwd: root, timeout: 120_000, maxBuffer: 32 * 1024 * 1024 },
          (error, out, err) =>
            resolve({
              code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
              stdout: out,
              stderr: err
            })
        );
      }
    );
    let report: {
      metadata?: { vulnerabilities?: Record<string, number> };
      message?: string;
      error?: { code?: string; summary?: string };
    } = {};
    try {
      report = JSON.parse(stdout) as typeof report;
    } catch {
      // not JSON: handled below
    }
    const counts = report.metadata?.vulnerabilities;
    if (!counts) {
      // No report: the registry (or its audit endpoint) did not answer. Say so, and skip rather than fail.
      const why =
        [
          report.message,
          report.error?.summary,
          report.error?.code,
          stderr.split('\n').find((l) => /error/i.test(l))
        ]
          .filter((t): t is string => typeof t === 'string' && t.trim() !== '')
          .join('; ') || `npm audit exited ${code} without a report`;
      const unreachable =
        /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|network|audit endpoint|getaddrinfo|fetch failed|\b[45]\d\d\b/i.test(
          `${why}\n${stderr}`
        );
      recorder.add({
        what: 'npm audit --omit=dev',
        produced: `SKIPPED: no audit report from the npm registry (${why.slice(0, 200)})`,
        held: unreachable
      });
      recorder.note(`npm audit was skipped: the registry gave no audit report (${why.slice(0, 200)}).`);
      process.stdout.write(
        `torture: npm audit skipped — the npm registry gave no audit report (${why.slice(0, 200)})\n`
      );
      expect({ unreachable, why }).toEqual({ unreachable: true, why });
      return;
    }
    const high = (counts.high ?? 0) + (counts.critical ?? 0);
    recorder.add({
      what: 'npm audit --omit=dev',
      where: 'production dependencies',
      produced: `${high} high or critical; ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low, ${counts.info ?? 0} info`,
      held: high === 0
    });
    expect({ high, counts }).toEqual({ high: 0, counts });
  });
});
