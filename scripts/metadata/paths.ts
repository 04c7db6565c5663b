// Where the project and its Salesforce source are: found from sfdx-project.json, never hard-coded,
// so the helpers work from any working directory inside the project (tests, the CLI, the local org).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MetadataFileError } from './xml';

/** The folder that holds sfdx-project.json, searching upwards from `start`. */
export function findProjectRoot(start: string = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, 'sfdx-project.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `No sfdx-project.json in ${path.resolve(start)} or any folder above it: run this from inside the csm-nps project.`
      );
    }
    dir = parent;
  }
}

interface PackageDirectory {
  path: string;
  default?: boolean;
}

/** Absolute paths of the package directories listed in sfdx-project.json, the default one first. */
export function packageDirectories(projectRoot: string): string[] {
  const file = path.join(projectRoot, 'sfdx-project.json');
  let project: { packageDirectories?: PackageDirectory[] };
  try {
    project = JSON.parse(readFileSync(file, 'utf8')) as { packageDirectories?: PackageDirectory[] };
  } catch (error) {
    throw new MetadataFileError(file, `is not valid JSON (${(error as Error).message})`);
  }
  const dirs = project.packageDirectories ?? [];
  if (dirs.length === 0)
    throw new MetadataFileError(
      file,
      'lists no packageDirectories: add {"path": "force-app", "default": true}'
    );
  return [...dirs]
    .sort((a, b) => Number(b.default ?? false) - Number(a.default ?? false))
    .map((d) => path.resolve(projectRoot, d.path));
}

/** `<default package>/main/default`, where this project keeps its metadata (one folder per type). */
export function defaultSourceDir(projectRoot: string = findProjectRoot()): string {
  const [first] = packageDirectories(projectRoot);
  return path.join(first as string, 'main', 'default');
}

/** Every file under `dir` (recursively, sorted) whose path satisfies `keep`; an absent folder has none. */
export function listFiles(dir: string, keep: (file: string) => boolean = () => true): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name)
  )) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, keep));
    else if (keep(full)) out.push(full);
  }
  return out;
}
