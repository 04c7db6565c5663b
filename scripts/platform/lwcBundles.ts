// Lists the Lightning Web Component bundles under force-app as the platform sees them: the deployable
// files only (compiled .js, .html, .css, .js-meta.xml, .svg), never the .ts sources or tests.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const LWC_ROOT = path.resolve(__dirname, '../../force-app/main/default/lwc');

export interface LwcBundle {
  name: string;
  /** File name (relative to the bundle folder) → contents. */
  files: Record<string, string>;
}

const DEPLOYED = /\.(js|html|css|svg|js-meta\.xml)$/;

export function listLwcBundles(root = LWC_ROOT): LwcBundle[] {
  return readdirSync(root)
    .filter((name) => statSync(path.join(root, name)).isDirectory())
    .sort()
    .map((name) => {
      const files: Record<string, string> = {};
      const walk = (dir: string, prefix: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          if (entry.isDirectory()) {
            if (entry.name !== '__tests__') walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
          } else if (DEPLOYED.test(entry.name)) {
            files[`${prefix}${entry.name}`] = readFileSync(path.join(dir, entry.name), 'utf8');
          }
        }
      };
      walk(path.join(root, name), '');
      return { name, files };
    });
}
