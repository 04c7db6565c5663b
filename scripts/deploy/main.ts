// Entry point of `npm run deploy` (bundled to dist/deploy.mjs by scripts/build.mjs). See deploy.ts.
import { runDeploy } from './deploy';

process.exitCode = await runDeploy(process.argv.slice(2));
