#!/usr/bin/env node
// Entry point of the `csm-nps` command. The CLI is TypeScript bundled into dist/ by `npm run build`
// (run automatically by `npm install`, `npm test` and `npm run demo`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/csm-nps.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    `csm-nps: ${bundle} is missing. Run \`npm run build\` in the csm-nps folder, then try again.\n`
  );
  process.exit(1);
}
const { run } = await import(bundle);
process.exitCode = await run(process.argv.slice(2));
