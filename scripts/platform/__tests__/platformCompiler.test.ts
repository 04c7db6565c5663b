// What we deploy is what the org accepts: every LWC bundle, as compiled by `npm run build`, goes through
// Salesforce's own platform compiler (@lwc/sfdc-lwc-compiler) and must come out without an error.
import { compile } from '@lwc/sfdc-lwc-compiler';
import { listLwcBundles } from '../lwcBundles';

const bundles = listLwcBundles();

describe('platform compiler (@lwc/sfdc-lwc-compiler)', () => {
  it('finds the bundles, each with its compiled JavaScript (run `npm run build` first)', () => {
    expect(bundles.map((b) => b.name)).toContain('npsCore');
    for (const bundle of bundles) expect(Object.keys(bundle.files)).toContain(`${bundle.name}.js`);
  });

  it.each(bundles.map((b) => [b.name, b] as const))(
    'accepts %s with no error diagnostic',
    async (name, bundle) => {
      const result = await compile({
        bundle: { namespace: 'c', name, type: 'platform', files: bundle.files }
      });
      const errors = (result.diagnostics ?? []).filter((d: { level: number }) => d.level <= 1);
      expect(errors).toEqual([]);
      expect(result.success).toBe(true);
    }
  );

  it('rejects a lowered decorator, so this test would catch a wrong build', async () => {
    const lowered = {
      'probe.js':
        "import { LightningElement, api } from 'lwc';\nexport default class Probe extends LightningElement { static { api(this.prototype, 'x'); } }\n",
      'probe.html': '<template></template>',
      'probe.js-meta.xml':
        '<?xml version="1.0" encoding="UTF-8"?><LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>64.0</apiVersion><isExposed>false</isExposed></LightningComponentBundle>'
    };
    const bad = await compile({
      bundle: { namespace: 'c', name: 'probe', type: 'platform', files: lowered }
    });
    const good = await compile({
      bundle: {
        namespace: 'c',
        name: 'probe',
        type: 'platform',
        files: {
          ...lowered,
          'probe.js':
            "import { LightningElement, api } from 'lwc';\nexport default class Probe extends LightningElement { @api x; }\n"
        }
      }
    });
    expect(good.success).toBe(true);
    expect(bad.success && (bad.diagnostics ?? []).every((d: { level: number }) => d.level > 1)).toBe(false);
  });
});
