// Builds the preview: the real components — exactly the JavaScript `npm run build` compiles from their
// TypeScript for the org — bundled by LWC OSS (`@lwc/rollup-plugin`) with `lightning-base-components`,
// synthetic shadow and the preview's own `lightning/graphql`, `lightning/uiRecordApi`,
// `lightning/platformShowToastEvent` and `@salesforce/*` modules (scripts/demo/app). ES modules with chunks
// into dist/preview; rollup's cache is kept in node_modules/.cache so that a second build takes seconds.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { transform } from 'esbuild';
import { rollup, type Plugin, type RollupCache } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { demoPaths, type DemoPaths } from '../paths';

/** Bumped whenever the build's options change, so that an old rollup cache is not reused. */
const BUILD_FORMAT = 3;

/** Platform modules the preview provides itself (file in scripts/demo/app). */
export const PLATFORM_MODULES: Readonly<Record<string, string>> = {
  'lightning/graphql': 'graphql.ts',
  'lightning/uiRecordApi': 'uiRecordApi.ts',
  'lightning/platformShowToastEvent': 'toastEvent.ts',
  '@salesforce/user/Id': 'userId.ts',
  '@salesforce/i18n/timeZone': 'timeZone.ts'
};

const SCHEMA_PREFIX = '@salesforce/schema/';
const VIRTUAL_SCHEMA = '\0preview-schema:';

export interface PreviewBuild {
  /** Folder holding index files and chunks (served under /assets/). */
  outDir: string;
  /** File name of the entry module inside outDir. */
  entry: string;
  ms: number;
  /** Whether rollup's cache from an earlier build was used. */
  cached: boolean;
  warnings: string[];
}

export interface BuildOptions {
  paths?: DemoPaths;
  /** Where the output goes (default dist/preview). */
  outDir?: string;
  /** Rollup cache file; null: no cache. */
  cacheFile?: string | null;
  /** `production` (default) or `development` (LWC's dev-mode checks and warnings). */
  mode?: 'production' | 'development';
  log?: (line: string) => void;
}

function packageVersion(packageJson: string): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

/** The ES module of an LWC package (its `lwc.modules` entry), resolved from `from`. */
function lwcModuleOf(paths: DemoPaths, name: string, from?: string): { file: string; version: string } {
  const packageJson = path.join(paths.packageDir(name, from), 'package.json');
  const config = JSON.parse(readFileSync(packageJson, 'utf8')) as {
    version: string;
    lwc?: { modules?: { path?: string }[] };
  };
  const modulePath = config.lwc?.modules?.find((m) => m.path)?.path ?? 'dist/index.js';
  return { file: path.join(path.dirname(packageJson), modulePath), version: config.version };
}

/** The LWC toolchain, checked to be one version: a template compiled by another engine fails at runtime. */
export function lwcToolchain(paths: DemoPaths): {
  engine: string;
  syntheticShadow: string;
  versions: Record<string, string>;
} {
  const lwcDir = paths.packageDir('lwc');
  const pluginDir = paths.packageDir('@lwc/rollup-plugin');
  const engine = lwcModuleOf(paths, '@lwc/engine-dom', lwcDir);
  const shadow = lwcModuleOf(paths, '@lwc/synthetic-shadow');
  const versions = {
    lwc: packageVersion(path.join(lwcDir, 'package.json')),
    '@lwc/engine-dom (of lwc)': engine.version,
    '@lwc/rollup-plugin': packageVersion(path.join(pluginDir, 'package.json')),
    '@lwc/compiler (of @lwc/rollup-plugin)': packageVersion(
      path.join(paths.packageDir('@lwc/compiler', pluginDir), 'package.json')
    ),
    '@lwc/synthetic-shadow': shadow.version
  };
  if (new Set(Object.values(versions)).size !== 1) {
    throw new Error(
      `The preview needs one LWC version for the compiler, the engine and synthetic shadow, found ${Object.entries(
        versions
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(
          ', '
        )}: keep lwc, @lwc/rollup-plugin and @lwc/synthetic-shadow on the same version in package.json.`
    );
  }
  return { engine: engine.file, syntheticShadow: shadow.file, versions };
}

/** `c/<name>` → the component's compiled JavaScript, for every SFDX bundle folder (lwc/<name>/<name>.js). */
export function componentModules(lwcRoot: string): { name: string; path: string }[] {
  return readdirSync(lwcRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(lwcRoot, entry.name, `${entry.name}.js`)))
    .map((entry) => ({ name: `c/${entry.name}`, path: path.join(lwcRoot, entry.name, `${entry.name}.js`) }));
}

/** TypeScript sources of the components whose compiled .js is missing or older than the source. */
export function staleComponentSources(lwcRoot: string): string[] {
  const stale: string[] = [];
  for (const bundle of readdirSync(lwcRoot, { withFileTypes: true })) {
    if (!bundle.isDirectory()) continue;
    for (const file of readdirSync(path.join(lwcRoot, bundle.name))) {
      if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
      const source = path.join(lwcRoot, bundle.name, file);
      const compiled = source.replace(/\.ts$/, '.js');
      if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(source).mtimeMs) stale.push(source);
    }
  }
  return stale;
}

/**
 * The preview renders what the org gets: the components as scripts/build.mjs compiles them. Compiles them
 * first when a source is newer than its JavaScript (e.g. tests run without `npm run build`).
 */
export function ensureCompiledComponents(paths: DemoPaths, log?: (line: string) => void): void {
  const stale = staleComponentSources(paths.lwcRoot);
  if (stale.length === 0) return;
  log?.(`${stale.length} component source(s) changed since the last build: running scripts/build.mjs…`);
  const result = spawnSync(process.execPath, [path.join(paths.root, 'scripts', 'build.mjs')], {
    cwd: paths.root,
    encoding: 'utf8'
  });
  if (result.status !== 0)
    throw new Error(`scripts/build.mjs failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
}

function stripQuery(id: string): string {
  const index = id.indexOf('?');
  return index === -1 ? id : id.slice(0, index);
}

/** The preview's own TypeScript (scripts/demo/app) to JavaScript; the components come compiled by the build. */
function typescript(): Plugin {
  return {
    name: 'preview-typescript',
    async transform(code, id) {
      const file = stripQuery(id);
      if (!file.endsWith('.ts') || file.includes('\0')) return null;
      const result = await transform(code, {
        loader: 'ts',
        target: 'es2022',
        supported: { decorators: true },
        sourcemap: true,
        sourcefile: file
      });
      return { code: result.code, map: result.map };
    }
  };
}

/** The platform modules of PLATFORM_MODULES and `@salesforce/schema/Object.Field` references. */
function platformModules(appDir: string): Plugin {
  return {
    name: 'preview-platform-modules',
    resolveId(source) {
      const file = PLATFORM_MODULES[source];
      if (file) return path.join(appDir, file);
      if (source.startsWith(SCHEMA_PREFIX)) return VIRTUAL_SCHEMA + source.slice(SCHEMA_PREFIX.length);
      return null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL_SCHEMA)) return null;
      const reference = id.slice(VIRTUAL_SCHEMA.length);
      const [objectApiName, ...field] = reference.split('.');
      if (!objectApiName || !/^\w+(\.\w+)*$/.test(reference))
        this.error(`Not a schema reference: @salesforce/schema/${reference}`);
      const value = field.length > 0 ? { objectApiName, fieldApiName: field.join('.') } : { objectApiName };
      return `export default Object.freeze(${JSON.stringify(value)});`;
    }
  };
}

/** Last in line: an import nothing resolved is an error here, not a bare import left for the browser. */
function unresolvedImports(): Plugin {
  return {
    name: 'preview-unresolved',
    resolveId(source, importer) {
      if (source.startsWith('.') || source.startsWith('/') || source.startsWith('\0')) return null;
      this.error(
        `${source} (imported by ${importer ?? 'the entry'}) is not available in the preview: lightning-base-components does not provide it and scripts/demo/app does not stub it. Add a module to PLATFORM_MODULES in scripts/demo/preview/build.ts.`
      );
    }
  };
}

function cacheFingerprint(paths: DemoPaths, versions: Record<string, string>, mode: string): string {
  return JSON.stringify({
    format: BUILD_FORMAT,
    mode,
    versions,
    rollup: packageVersion(path.join(paths.packageDir('rollup'), 'package.json'))
  });
}

async function readCache(file: string | null, fingerprint: string): Promise<RollupCache | undefined> {
  if (!file || !existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as { fingerprint: string; cache: RollupCache };
    return saved.fingerprint === fingerprint ? saved.cache : undefined;
  } catch {
    return undefined; // a damaged cache only costs a full build
  }
}

export async function buildPreview(options: BuildOptions = {}): Promise<PreviewBuild> {
  const paths = options.paths ?? demoPaths();
  const outDir = options.outDir ?? paths.outDir;
  const cacheFile = options.cacheFile === undefined ? paths.cacheFile : options.cacheFile;
  const mode = options.mode ?? 'production';
  const started = performance.now();
  ensureCompiledComponents(paths, options.log);
  const toolchain = lwcToolchain(paths);
  const fingerprint = cacheFingerprint(paths, toolchain.versions, mode);
  const cache = await readCache(cacheFile, fingerprint);
  const warnings: string[] = [];
  const bundle = await rollup({
    input: { app: path.join(paths.appDir, 'main.ts') },
    cache,
    onwarn(warning) {
      // Base components use `this` at the top level of a few modules and circular imports: not ours.
      if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
      warnings.push(warning.message);
    },
    plugins: [
      platformModules(paths.appDir),
      typescript(),
      replace({
        preventAssignment: true,
        values: {
          'import.meta.env.SSR': 'false',
          'process.env.NODE_ENV': JSON.stringify(mode),
          'process.env.SKIP_LWC_VERSION_MISMATCH_CHECK': 'false',
          'process.env.FORCE_NATIVE_SHADOW_MODE_FOR_TEST': 'false'
        }
      }),
      lwc({
        rootDir: paths.appDir,
        defaultModules: [],
        modules: [
          { name: 'lwc', path: toolchain.engine },
          { name: '@lwc/synthetic-shadow', path: toolchain.syntheticShadow },
          ...componentModules(paths.lwcRoot),
          { npm: 'lightning-base-components' }
        ],
        // The base components' datatable renders dynamic components (else LWC1188).
        enableDynamicComponents: true
      }),
      nodeResolve({ browser: true }),
      unresolvedImports()
    ]
  });
  try {
    await rm(outDir, { recursive: true, force: true });
    const { output } = await bundle.write({
      dir: outDir,
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      sourcemap: true
    });
    const entry = output.find((chunk) => chunk.type === 'chunk' && chunk.isEntry)?.fileName ?? 'app.js';
    if (cacheFile && bundle.cache) {
      await mkdir(path.dirname(cacheFile), { recursive: true });
      await writeFile(cacheFile, JSON.stringify({ fingerprint, cache: bundle.cache }));
    }
    const ms = performance.now() - started;
    options.log?.(`Preview built in ${(ms / 1000).toFixed(1)} s${cache ? ' (from the cache)' : ''}`);
    return { outDir, entry, ms, cached: cache !== undefined, warnings };
  } finally {
    await bundle.close();
  }
}
