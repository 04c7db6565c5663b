// Cross-check of code against metadata (issue 3): every custom object, field and relationship name used
// in scripts/ and in the components exists in force-app, on the object it is used with, with a
// compatible type. The first test runs on the real code as it lands; the others prove the check
// catches each kind of drift.

import path from 'node:path';
import {
  checkApiNames,
  checkFiles,
  defaultFilesToCheck,
  formatProblems,
  scanSource,
  type ApiNameProblem
} from '../apiNames';
import { findProjectRoot, loadMetadata } from '../index';

const root = findProjectRoot();
const model = loadMetadata();

/**
 * Names that code may use although force-app does not define them, each with its reason. Prefer the
 * comment `api-names: ignore` on the line itself; this list is for lines whose owners have not added it yet.
 */
const EXTERNAL_NAMES: Record<string, string> = {
  Survey_Answer__c:
    "scripts/sync/config.ts: example of a customer's own survey object in the generated config template"
};

test('the API names used in scripts/ and in the components exist in force-app, with compatible types', () => {
  const files = defaultFilesToCheck(root);
  expect(files.length).toBeGreaterThan(0);
  const problems = checkFiles(model, files).filter((p) => !(p.name in EXTERNAL_NAMES));
  expect(formatProblems(problems, root)).toBe('');
});

test('the files checked are the code of scripts/ and the components, never tests or builds', () => {
  const files = defaultFilesToCheck(root).map((f) => path.relative(root, f));
  expect(files).toContain('scripts/metadata/objects.ts');
  expect(
    files.filter(
      (f) =>
        f.includes('__tests__') ||
        f.startsWith('scripts/torture/') ||
        f.startsWith('scripts/test-support/') ||
        f.startsWith('dist/') ||
        f.endsWith('.d.ts')
    )
  ).toEqual([]);
  expect(files.every((f) => f.startsWith('scripts/') || f.startsWith('force-app/main/default/lwc/'))).toBe(
    true
  );
});

const check = (code: string, file = 'example.ts'): ApiNameProblem[] =>
  checkApiNames(model, [scanSource(file, code)]);
const messages = (code: string, file?: string): string[] =>
  check(code, file).map((p) => `${p.line}: ${p.message}`);

describe('it catches', () => {
  test('a misspelt field, suggesting the right one', () => {
    expect(messages("const fields = ['Id', 'Scores__c'];")).toEqual([
      '1: Scores__c is no object or field in force-app (did you mean Score__c?)'
    ]);
  });
  test('an object that does not exist', () => {
    expect(messages("conn.sobject('NPS_Responses__c')")).toEqual([
      '1: NPS_Responses__c is no object or field in force-app (did you mean NPS_Response__c?)'
    ]);
  });
  test('a field used on the wrong object', () => {
    expect(messages("const key = 'NPS_Response__c.Key__c';")).toEqual([
      expect.stringMatching(/^1: NPS_Response__c\.Key__c: Key__c is not on NPS_Response__c/)
    ]);
  });
  test('a relationship that does not exist', () => {
    expect(messages('const name = row.Owner__r?.Name;')).toEqual([
      expect.stringMatching(/^1: Owner__r is no relationship in force-app/)
    ]);
  });
  test('a SOQL field that is not on the queried object', () => {
    expect(
      messages("const q = `SELECT Id, Period_Label__c FROM NPS_Response__c WHERE CSM__c = '${csmId}'`;")
    ).toEqual([
      expect.stringMatching(/^1: SOQL on NPS_Response__c: Period_Label__c is not a field of NPS_Response__c/)
    ]);
  });
  test('a SOQL subquery through a child relationship the parent does not have', () => {
    expect(
      messages("query('SELECT Id, (SELECT Id FROM NPS_Responses__r) FROM Contact WHERE Id = :id')")
    ).toEqual([]);
    expect(messages("query('SELECT Id, (SELECT Id FROM CSM_NPS_Snapshots__r) FROM Account')")).toEqual([
      '1: SOQL on Account: CSM_NPS_Snapshots__r is not a child relationship of Account'
    ]);
  });
  test('a SOQL literal of the wrong type or outside the picklist', () => {
    expect(
      messages("const q = \"SELECT Id FROM NPS_Response__c WHERE Score__c = '9' AND Metric__c = 'NPS'\";")
    ).toEqual([
      '1: SOQL on NPS_Response__c: NPS_Response__c.Score__c is Number (number), not string',
      '1: SOQL on NPS_Response__c: "NPS" is not a value of the picklist NPS_Response__c.Metric__c ("Company NPS", "CSM NPS")'
    ]);
    expect(
      messages(
        "const q = 'SELECT Id FROM NPS_Snapshot__c WHERE Period_Start__c = THIS_QUARTER AND Goal_Status__c IN (\\'Met\\', \\'Not Met\\')';"
      )
    ).toEqual([]);
  });
  test('a value the field cannot hold, in an object literal', () => {
    expect(
      messages(
        "upsert({ Score__c: '9', Followed_Up__c: 'yes', Goal_Status__c: 'not_met', Responded_At__c: '2025-01-01' });"
      )
    ).toEqual([
      '1: NPS_Response__c.Score__c is Number (number), not string',
      '1: NPS_Response__c.Followed_Up__c is Checkbox (boolean), not string',
      '1: "not_met" is not a value of the picklist NPS_Snapshot__c.Goal_Status__c ("Met", "Not Met", "Insufficient Data")',
      '1: "2025-01-01" is not an ISO 8601 date-time with offset for NPS_Response__c.Responded_At__c'
    ]);
  });
  test('a type the field cannot hold, in an interface or a zod schema', () => {
    const code = [
      'interface Row {',
      '  Score__c: string | null;',
      "  Metric__c: 'Company NPS' | 'NPS';",
      '  Change_Significant__c: { value: boolean | null };',
      '}',
      'const schema = z.object({ NPS__c: z.string(), Period_Type__c: z.enum(["Month", "Year"]) });'
    ].join('\n');
    expect(messages(code)).toEqual([
      '2: NPS_Response__c.Score__c is Number (number), not string',
      '3: "NPS" is not a value of the picklist NPS_Response__c.Metric__c ("Company NPS", "CSM NPS"); "NPS" is not a value of the picklist NPS_Snapshot__c.Metric__c ("Company NPS", "CSM NPS")',
      '6: NPS_Snapshot__c.NPS__c is Number (number), not string',
      '6: "Year" is not a value of the picklist NPS_Snapshot__c.Period_Type__c ("Month", "Quarter", "Fiscal Quarter")'
    ]);
  });
  test('names in a component template', () => {
    expect(messages('<template>{row.Score__c} {row.Scor__c}</template>', 'x.html')).toEqual([
      '1: Scor__c is no object or field in force-app (did you mean Score__c?)'
    ]);
  });
});

describe('it accepts', () => {
  test('what the sync and the components legitimately write', () => {
    const code = [
      "const record = { Source_Id__c: 'csv:a.csv:1', Score__c: 9, Metric__c: 'CSM NPS', Followed_Up__c: false, Responded_At__c: '2025-01-01T10:00:00Z', CSM__c: null };",
      "const snap = { Key__c: 'UNASSIGNED|Company NPS|Quarter|2025-Q1', Period_Type__c: 'Fiscal Quarter', Period_Start__c: '2025-01-01', Change_Significant__c: false, Goal_Status__c: 'Insufficient Data' };",
      "const q = 'SELECT Id, CSM__r.Name, Account__r.Owner.Name, (SELECT Id FROM CSM_NPS_Responses__r) FROM User';",
      "const s = `SELECT Watermark__c FROM NPS_Sync_State__c WHERE Key__c = '${key}'`;",
      "const settings = 'SELECT Improvement_Target__c, CSM_Field__c FROM NPS_Setting__mdt WHERE DeveloperName = \\'Default\\'';",
      'type Node = { Score__c: { value: number | null }; NPS__c?: number; Followed_Up__c: boolean };'
    ].join('\n');
    expect(messages(code)).toEqual([]);
  });
  test('names in comments, and lines marked api-names: ignore', () => {
    const code = [
      '// reads Legacy_Score__c from old orgs',
      "const mapped = { name: 'Survey_Answer__c' }; // api-names: ignore",
      '// api-names: ignore',
      "const other = 'Customer_Field__c';"
    ].join('\n');
    expect(messages(code)).toEqual([]);
  });
});
