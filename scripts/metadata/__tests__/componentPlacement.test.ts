// Issue 6, org pieces: where each component may be placed, and the pages and app that place them.
//   npsByCsm    lightning__AppPage, lightning__HomePage, lightning__Tab (managers)
//   csmNps      lightning__HomePage, and lightning__RecordPage for User only (CSMs)
//   accountNps  lightning__RecordPage for Account only
//   every other bundle (service modules, presentational children) isExposed false, no targets
// The FlexiPage NPS_by_CSM (App page) holds npsByCsm and is the NPS_by_CSM tab of the CSM_NPS app; the
// FlexiPage CSM_NPS_Home (Home page) holds csmNps. The platform compiler test checks that bundles compile;
// the source-deploy-retrieve test that files resolve. Neither checks these placements.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { defaultSourceDir, readMetadataXml, type XmlNode } from '../index';
import { bool, list, text, texts } from '../xml';

const sourceDir = defaultSourceDir();
const lwcDir = path.join(sourceDir, 'lwc');

interface Placement {
  exposed: boolean;
  targets: string[];
  /** target → the objects its targetConfig restricts it to ([] when the config names none). */
  objects: Record<string, string[]>;
}

function placement(bundle: string): Placement {
  const root = readMetadataXml(
    path.join(lwcDir, bundle, `${bundle}.js-meta.xml`),
    'LightningComponentBundle'
  );
  const objects: Record<string, string[]> = {};
  for (const config of list(list(root, 'targetConfigs')[0], 'targetConfig')) {
    const names = texts(list(config, 'objects')[0], 'object');
    for (const target of (text(config, '@_targets') ?? '').split(',').map((t) => t.trim()))
      if (names.length > 0) objects[target] = names;
  }
  return { exposed: bool(root, 'isExposed'), targets: texts(list(root, 'targets')[0], 'target'), objects };
}

const bundles = readdirSync(lwcDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

const PLACED: Record<string, Placement> = {
  npsByCsm: {
    exposed: true,
    targets: ['lightning__AppPage', 'lightning__HomePage', 'lightning__Tab'],
    objects: {}
  },
  csmNps: {
    exposed: true,
    targets: ['lightning__HomePage', 'lightning__RecordPage'],
    objects: { lightning__RecordPage: ['User'] }
  },
  accountNps: {
    exposed: true,
    targets: ['lightning__RecordPage'],
    objects: { lightning__RecordPage: ['Account'] }
  }
};

describe('js-meta.xml targets (issue 6)', () => {
  test('the three placeable components and the children are all there', () => {
    expect(bundles).toEqual(expect.arrayContaining(Object.keys(PLACED)));
    expect(bundles.length).toBeGreaterThan(Object.keys(PLACED).length);
  });

  test.each(Object.entries(PLACED))('%s declares exactly its targets and objects', (bundle, expected) => {
    const actual = placement(bundle);
    expect({ ...actual, targets: [...actual.targets].sort() }).toEqual({
      ...expected,
      targets: [...expected.targets].sort()
    });
  });

  test.each(bundles.filter((b) => !(b in PLACED)))(
    '%s (service module or child) is not exposed and has no target',
    (bundle) => {
      expect(placement(bundle)).toEqual({ exposed: false, targets: [], objects: {} });
    }
  );
});

/** The components placed on a FlexiPage, by component name. */
function flexiPage(name: string): { type?: string; template?: string; components: string[] } {
  const root = readMetadataXml(path.join(sourceDir, 'flexipages', `${name}.flexipage-meta.xml`), 'FlexiPage');
  const components = list(root, 'flexiPageRegions')
    .flatMap((region) => list(region, 'itemInstances'))
    .flatMap((item) => list(item, 'componentInstance'))
    .map((instance: XmlNode) => text(instance, 'componentName') ?? '');
  return { type: text(root, 'type'), template: text(list(root, 'template')[0], 'name'), components };
}

describe('Lightning pages (issue 6)', () => {
  test('NPS_by_CSM is an App page holding npsByCsm', () => {
    const page = flexiPage('NPS_by_CSM');
    expect(page.type).toBe('AppPage');
    expect(page.components).toContain('npsByCsm');
    expect(PLACED.npsByCsm?.targets).toContain('lightning__AppPage');
  });

  test('CSM_NPS_Home is a Home page holding csmNps', () => {
    const page = flexiPage('CSM_NPS_Home');
    expect(page.type).toBe('HomePage');
    expect(page.components).toContain('csmNps');
    expect(PLACED.csmNps?.targets).toContain('lightning__HomePage');
  });

  test('every component a page places is an exposed bundle that allows that page type', () => {
    const targetOf: Record<string, string> = {
      AppPage: 'lightning__AppPage',
      HomePage: 'lightning__HomePage'
    };
    for (const name of ['NPS_by_CSM', 'CSM_NPS_Home']) {
      const page = flexiPage(name);
      for (const component of page.components) {
        expect(bundles).toContain(component);
        const { exposed, targets } = placement(component);
        expect({
          page: name,
          component,
          exposed,
          allowed: targets.includes(targetOf[page.type ?? ''] ?? '')
        }).toEqual({
          page: name,
          component,
          exposed: true,
          allowed: true
        });
      }
    }
  });

  test('the NPS_by_CSM tab opens the NPS_by_CSM page', () => {
    const tab = readMetadataXml(path.join(sourceDir, 'tabs', 'NPS_by_CSM.tab-meta.xml'), 'CustomTab');
    expect(text(tab, 'flexiPage')).toBe('NPS_by_CSM');
  });

  test('the CSM_NPS app has the NPS by CSM tab and the tabs of both objects', () => {
    const app = readMetadataXml(
      path.join(sourceDir, 'applications', 'CSM_NPS.app-meta.xml'),
      'CustomApplication'
    );
    expect(texts(app, 'tabs')).toEqual(
      expect.arrayContaining(['NPS_by_CSM', 'NPS_Response__c', 'NPS_Snapshot__c'])
    );
  });
});
