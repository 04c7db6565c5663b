// After the torture suite: the figures every case wrote become docs/TORTURE.md (when all the cases
// ran; a partial run only says where its figures are).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderTortureReport } from './report';
import { CASES, resultsDir, type CaseFigures } from './results';

export default function globalTeardown(): void {
  const dir = resultsDir();
  const figures: CaseFigures[] = [];
  for (const name of CASES) {
    const file = path.join(dir, `${name}.json`);
    if (existsSync(file)) figures.push(JSON.parse(readFileSync(file, 'utf8')) as CaseFigures);
  }
  const started = Number(process.env.TORTURE_STARTED_AT ?? Date.now());
  const markdown = renderTortureReport(figures, {
    seed: process.env.TORTURE_SEED ?? '',
    wallMs: Date.now() - started,
    finishedAt: new Date()
  });
  writeFileSync(path.join(dir, 'TORTURE.md'), markdown);
  if (figures.length === CASES.length) {
    const target = path.join(__dirname, '..', '..', 'docs', 'TORTURE.md');
    writeFileSync(target, markdown);
    process.stdout.write(`torture figures written to docs/TORTURE.md (and ${dir})\n`);
  } else {
    const missing = CASES.filter((c) => !figures.some((f) => f.case === c));
    process.stdout.write(
      `torture: ${missing.join(', ')} did not run, so docs/TORTURE.md is left as it was; this run's figures: ${path.join(dir, 'TORTURE.md')}\n`
    );
  }
}
