// Where the demo finds the project, the components and the packages it builds the preview from. Found from
// sfdx-project.json (never from import.meta.url, so that Jest's CommonJS transform runs it too).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { findProjectRoot } from '../metadata/paths';

export interface DemoPaths {
  root: string;
  /** force-app/main/default/lwc: one folder per component. */
  lwcRoot: string;
  /** The preview's browser code (entry, platform modules). */
  appDir: string;
  /** Where the preview build is written (git-ignored, under dist/). */
  outDir: string;
  /** Rollup's cache between builds (git-ignored, under node_modules/.cache). */
  cacheFile: string;
  /** The Salesforce Lightning Design System assets (CSS, fonts, icons). */
  sldsAssets: string;
  /**
   * The folder of an installed package, found as Node finds it (node_modules upwards from `from`, default
   * the project root) without going through its `exports` (which may hide package.json).
   */
  packageDir(name: string, from?: string): string;
}

export function demoPaths(root: string = findProjectRoot()): DemoPaths {
  const packageDir = (name: string, from: string = root): string => {
    for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) return candidate;
      if (path.dirname(dir) === dir)
        throw new Error(
          `${name} is not installed (looked in node_modules from ${from} upwards): run npm install.`
        );
    }
  };
  return {
    root,
    lwcRoot: path.join(root, 'force-app', 'main', 'default', 'lwc'),
    appDir: path.join(root, 'scripts', 'demo', 'app'),
    outDir: path.join(root, 'dist', 'preview'),
    cacheFile: path.join(root, 'node_modules', '.cache', 'csm-nps-preview', 'rollup-cache.json'),
    sldsAssets: path.join(packageDir('@salesforce-ux/design-system'), 'assets'),
    packageDir
  };
}
