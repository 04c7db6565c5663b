// Salesforce's own library (@salesforce/source-deploy-retrieve, what `sf project deploy` uses) must
// resolve every file under force-app into a known metadata component and convert the whole tree to
// Metadata API format, as a deploy does first. Files that .forceignore excludes (TypeScript sources,
// tests) are not deployed and are not expected to resolve.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ComponentSet,
  ForceIgnore,
  MetadataConverter,
  type SourceComponent
} from '@salesforce/source-deploy-retrieve';
import { findProjectRoot, listFiles } from '../index';

jest.setTimeout(120_000);

const root = findProjectRoot();
const forceApp = path.join(root, 'force-app');
let components: SourceComponent[];
let outputDir: string;
let packageXml: string;

beforeAll(async () => {
  const set = ComponentSet.fromSource(forceApp);
  components = set.getSourceComponents().toArray();
  outputDir = mkdtempSync(path.join(os.tmpdir(), 'csm-nps-mdapi-'));
  const result = await new MetadataConverter().convert(set, 'metadata', {
    type: 'directory',
    outputDirectory: outputDir,
    packageName: 'csm-nps'
  });
  packageXml = readFileSync(path.join(result.packagePath as string, 'package.xml'), 'utf8');
});

afterAll(() => {
  if (outputDir) rmSync(outputDir, { recursive: true, force: true });
});

function filesOf(component: SourceComponent): string[] {
  return [
    ...(component.xml ? [component.xml] : []),
    ...(component.content && existsSync(component.content) && !component.content.endsWith('.xml')
      ? [...component.walkContent()]
      : []),
    ...component.getChildren().flatMap(filesOf)
  ];
}

test('every file under force-app (except what .forceignore excludes) belongs to a known component', () => {
  const ignore = ForceIgnore.findAndCreate(forceApp);
  const deployable = listFiles(forceApp, (f) => !ignore.denies(f) && path.basename(f) !== '.DS_Store');
  const resolved = new Set(components.flatMap(filesOf));
  const unresolved = deployable.filter((f) => !resolved.has(f)).map((f) => path.relative(root, f));
  expect(unresolved).toEqual([]);
  expect(deployable.length).toBeGreaterThan(50);
});

test('TypeScript sources and tests are not deployed', () => {
  const ignore = ForceIgnore.findAndCreate(forceApp);
  expect(ignore.denies(path.join(forceApp, 'main/default/lwc/npsCore/npsCore.ts'))).toBe(true);
  expect(ignore.denies(path.join(forceApp, 'main/default/lwc/npsCore/__tests__/classify.test.ts'))).toBe(
    true
  );
  expect(components.flatMap(filesOf).filter((f) => f.endsWith('.ts'))).toEqual([]);
});

test.each([
  ['CustomObject', ['NPS_Response__c', 'NPS_Snapshot__c', 'NPS_Setting__mdt', 'NPS_Sync_State__c']],
  [
    'CustomField',
    [
      'NPS_Response__c.NPS_Points__c',
      'NPS_Snapshot__c.Change_Significant__c',
      'NPS_Setting__mdt.CSM_Field__c',
      'NPS_Sync_State__c.Watermark__c'
    ]
  ],
  ['CustomMetadata', ['NPS_Setting.Default']],
  ['PermissionSet', ['CSM_NPS_User', 'CSM_NPS_Manager', 'CSM_NPS_Sync']],
  ['CustomApplication', ['CSM_NPS']],
  ['CustomTab', ['NPS_Response__c', 'NPS_Snapshot__c']],
  ['ReportType', ['NPS_Responses']],
  [
    'Report',
    [
      'CSM_NPS/',
      'CSM_NPS/NPS_by_CSM_by_Month',
      'CSM_NPS/NPS_by_CSM_by_Quarter',
      'CSM_NPS/Detractors_to_Follow_Up'
    ]
  ],
  ['Dashboard', ['CSM_NPS/', 'CSM_NPS/CSM_NPS']],
  ['Layout', ['NPS_Response__c-NPS Response Layout', 'NPS_Snapshot__c-NPS Snapshot Layout']],
  ['ListView', ['NPS_Response__c.Detractors_to_Follow_Up', 'NPS_Response__c.This_Quarter']],
  ['ValidationRule', ['NPS_Response__c.Score_Must_Be_0_To_10']]
])('the converted package.xml deploys %s %j', (type, members) => {
  const block = new RegExp(`<types>((?:(?!</types>)[\\s\\S])*)<name>${type}</name>\\s*</types>`).exec(
    packageXml
  );
  expect(block).not.toBeNull();
  const listed = [...(block?.[1] ?? '').matchAll(/<members>([^<]*)<\/members>/g)].map((m) => m[1]);
  expect(listed).toEqual(expect.arrayContaining(members));
});

test('the package targets the project API version', () => {
  const { sourceApiVersion } = JSON.parse(readFileSync(path.join(root, 'sfdx-project.json'), 'utf8')) as {
    sourceApiVersion: string;
  };
  expect(packageXml).toContain(`<version>${sourceApiVersion}</version>`);
});

test('the objects are recomposed with their fields, as the Metadata API expects', () => {
  const object = readFileSync(path.join(outputDir, 'csm-nps', 'objects', 'NPS_Response__c.object'), 'utf8');
  for (const field of ['Source_Id__c', 'Score__c', 'Category__c', 'NPS_Points__c', 'Followed_Up__c'])
    expect(object).toContain(`<fullName>${field}</fullName>`);
  expect(object).toContain('<sharingModel>Private</sharingModel>');
  expect(
    existsSync(path.join(outputDir, 'csm-nps', 'reports', 'CSM_NPS', 'NPS_by_CSM_by_Month.report'))
  ).toBe(true);
  expect(existsSync(path.join(outputDir, 'csm-nps', 'dashboards', 'CSM_NPS', 'CSM_NPS.dashboard'))).toBe(
    true
  );
});
