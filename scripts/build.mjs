// Builds what runs: every LWC TypeScript source into the platform JavaScript beside it, and the
// Node entry points (CLI, benchmark) into dist/. Plain JS so that it runs before anything is compiled.
import { build } from 'esbuild';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lwcRoot = path.join(root, 'force-app/main/default/lwc');

async function lwcSources() {
  const out = [];
  for (const bundle of await readdir(lwcRoot, { withFileTypes: true })) {
    if (!bundle.isDirectory()) continue;
    for (const file of await readdir(path.join(lwcRoot, bundle.name))) {
      if (file.endsWith('.ts') && !file.endsWith('.d.ts')) out.push(path.join(lwcRoot, bundle.name, file));
    }
  }
  return out;
}

// The platform accepts LWC decorators only as written (@api, @wire, @track): esbuild keeps them with
// `supported: { decorators: true }`; lowering them makes the org compiler fail with LWC1104.
// No bundling: each file stays a module, imports such as 'c/npsCore' and './stats' stay as written.
// No `format`: with `format: 'esm'` esbuild rewrites `export default class X` as `class X …; export
// { X as default }`, and the LWC compiler (the org's too) then never registers the component's template:
// the component deploys without an error and renders nothing. Without it the module syntax passes through.
const lwcFiles = await lwcSources();
await build({
  entryPoints: lwcFiles,
  outdir: lwcRoot,
  outbase: lwcRoot,
  bundle: false,
  target: 'es2022',
  supported: { decorators: true },
  logLevel: 'warning'
});

// Node entry points are bundled (our sources only; packages stay external) so `csm-nps` starts fast
// and resolves the core's .ts sources, never a stale compiled .js.
const nodeEntries = {};
const entryPoints = {
  'csm-nps': 'scripts/cli/main.ts',
  bench: 'scripts/bench/bench.ts',
  'local-org': 'scripts/local-org/main.ts',
  deploy: 'scripts/deploy/main.ts',
  demo: 'scripts/demo/main.ts'
};
const { existsSync } = await import('node:fs');
for (const [name, file] of Object.entries(entryPoints))
  if (existsSync(path.join(root, file))) nodeEntries[name] = file;
await build({
  entryPoints: Object.fromEntries(Object.entries(nodeEntries).map(([k, v]) => [k, path.join(root, v)])),
  outdir: path.join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  // Code loaded with import() (the sync commands, with jsforce) goes to its own chunk, so that
  // `csm-nps report` starts without loading it.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  resolveExtensions: ['.ts', '.mjs', '.js', '.json'],
  sourcemap: 'linked',
  logLevel: 'warning'
});
process.stderr.write(
  `build: ${lwcFiles.length} LWC TypeScript files compiled, ${Object.keys(nodeEntries).length} Node entry points bundled\n`
);
