// Every metadata file is well-formed XML, uses the project's API version, and (for the types this
// project writes by hand) lists its elements in the order the Metadata API requires: fullName first,
// then alphabetical, repeated elements together. Out-of-order elements fail a deploy with
// "Element ... invalid at this location", which no local tool reports otherwise.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  defaultSourceDir,
  elementTree,
  findProjectRoot,
  listFiles,
  MetadataFileError,
  parseMetadataXml,
  type ElementTree
} from '../index';

const root = findProjectRoot();
const sourceDir = defaultSourceDir(root);
const forceApp = path.resolve(sourceDir, '..', '..');
const apiVersion = (
  JSON.parse(readFileSync(path.join(root, 'sfdx-project.json'), 'utf8')) as { sourceApiVersion: string }
).sourceApiVersion;
const xmlFiles = listFiles(forceApp, (f) => f.endsWith('.xml') && !f.split(path.sep).includes('__tests__'));
const rel = (file: string): string => path.relative(root, file);

test('force-app holds the metadata of this issue', () => {
  expect(xmlFiles.length).toBeGreaterThan(50);
});

test.each(xmlFiles.map((f) => [rel(f), f] as const))('%s is well-formed XML', (_, file) => {
  expect(() => elementTree(readFileSync(file, 'utf8'), file)).not.toThrow();
});

test('a malformed file is reported with its name and line', () => {
  expect(() =>
    parseMetadataXml(
      '<CustomField>\n  <label>x</label>\n  <type>Text</typo>\n</CustomField>',
      'broken.field-meta.xml',
      'CustomField'
    )
  ).toThrow(MetadataFileError);
  expect(() =>
    parseMetadataXml(
      '<CustomField>\n  <label>x</label>\n  <type>Text</typo>\n</CustomField>',
      'broken.field-meta.xml',
      'CustomField'
    )
  ).toThrow(/broken\.field-meta\.xml:3: is not well-formed XML/);
});

test(`every apiVersion in force-app is the project's ${apiVersion}`, () => {
  const wrong = xmlFiles.filter((f) => {
    const found = /<apiVersion>([^<]*)<\/apiVersion>/.exec(readFileSync(f, 'utf8'));
    return found !== null && found[1] !== apiVersion;
  });
  expect(wrong.map(rel)).toEqual([]);
});

// Metadata types whose WSDL lists elements alphabetically (after fullName).
const ORDERED_ROOTS = new Set([
  'CustomObject',
  'CustomField',
  'ListView',
  'ValidationRule',
  'CompactLayout',
  'Layout',
  'PermissionSet',
  'CustomApplication',
  'CustomTab',
  'ReportType',
  'Report',
  'ReportFolder',
  'Dashboard',
  'DashboardFolder',
  'CustomMetadata',
  'GlobalValueSet'
]);

/** Out-of-order elements below `node`, as "path: b before a" messages. */
function orderProblems(node: ElementTree, trail: string): string[] {
  const problems: string[] = [];
  const names: string[] = [];
  for (const child of node.children) if (names[names.length - 1] !== child.name) names.push(child.name);
  // Code-point order, as in the WSDL: filterScope (capital S) comes before filters.
  const rank = (name: string): string => (name === 'fullName' ? '' : name);
  for (let i = 1; i < names.length; i++) {
    const before = names[i - 1] as string;
    const after = names[i] as string;
    if (names.indexOf(after) < i)
      problems.push(`${trail}: <${after}> appears in two places; keep repeated elements together`);
    else if (rank(before) > rank(after)) problems.push(`${trail}: <${before}> comes before <${after}>`);
  }
  for (const child of node.children) problems.push(...orderProblems(child, `${trail}/${child.name}`));
  return problems;
}

const ordered = xmlFiles
  .map((file) => ({ file, tree: elementTree(readFileSync(file, 'utf8'), file) }))
  .filter(({ tree }) => ORDERED_ROOTS.has(tree.name));

test.each(ordered.map((o) => [rel(o.file), o] as const))(
  '%s lists its elements in Metadata API order',
  (_, { tree }) => {
    expect(orderProblems(tree, tree.name)).toEqual([]);
  }
);

test('the order check catches an element out of place', () => {
  const tree = elementTree(
    '<CustomField><fullName>A__c</fullName><type>Text</type><label>A</label></CustomField>',
    'x'
  );
  expect(orderProblems(tree, 'CustomField')).toEqual(['CustomField: <type> comes before <label>']);
});

test.each([
  ['permissionsets', 'PermissionSet', 'description', 255],
  ['reports', 'Report', 'description', 255],
  ['reports', 'Report', 'name', 40],
  ['dashboards', 'Dashboard', 'description', 255],
  ['reportTypes', 'ReportType', 'description', 255],
  ['tabs', 'CustomTab', 'description', 255]
])('%s: <%s><%s> fits in %i characters', (dir, rootTag, element, max) => {
  const files = listFiles(
    path.join(sourceDir, dir),
    (f) => f.endsWith('-meta.xml') && !f.endsWith('Folder-meta.xml')
  );
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const node = parseMetadataXml(readFileSync(file, 'utf8'), file, rootTag);
    const value = node[element];
    expect({ file: rel(file), length: typeof value === 'string' ? value.length : 0 }).toEqual({
      file: rel(file),
      length: expect.any(Number)
    });
    expect(typeof value === 'string' ? value.length : 0).toBeLessThanOrEqual(max);
    expect(typeof value === 'string' ? value.length : 0).toBeGreaterThan(0);
  }
});

test('sfdx-project.json describes force-app as the unlocked package csm-nps', () => {
  const project = JSON.parse(readFileSync(path.join(root, 'sfdx-project.json'), 'utf8')) as {
    namespace: string;
    sourceApiVersion: string;
    packageDirectories: {
      path: string;
      default?: boolean;
      package?: string;
      versionNumber?: string;
      versionName?: string;
      definitionFile?: string;
    }[];
  };
  const [main] = project.packageDirectories;
  expect(main).toMatchObject({ path: 'force-app', default: true, package: 'csm-nps' });
  expect(main?.versionNumber).toMatch(/^\d+\.\d+\.\d+\.NEXT$/);
  expect(main?.versionName?.length ?? 0).toBeGreaterThan(0);
  expect(project.namespace).toBe(''); // unlocked, no namespace: API names stay as DESIGN.md writes them
  expect(project.sourceApiVersion).toBe('64.0');
  // Package versions are built in a scratch org of this shape: Salesforce Surveys on, for CSM_NPS_Sync.
  const shape = JSON.parse(readFileSync(path.join(root, main?.definitionFile ?? 'missing'), 'utf8')) as {
    settings: { surveySettings: { enableSurvey: boolean } };
  };
  expect(shape.settings.surveySettings.enableSurvey).toBe(true);
});
