// docs/TORTURE.md from the figures the torture cases wrote: a summary table (the one for the README)
// and, per case, every thing tried and what the product did.

import { cpus } from 'node:os';
import type { CaseFigures, CaseName } from './results';

const TITLES: Record<CaseName, string> = {
  kills: 'Kills — SIGKILL at seeded points of a sync, then a normal run',
  faults: 'Faults injected by the local org',
  badInput: 'Bad input — CSV files and source records',
  fuzz: 'Fuzzing (fast-check)',
  security: 'Security'
};

const SHORT: Record<CaseName, string> = {
  kills: 'Kills (SIGKILL, then a normal run)',
  faults: 'Faults (503, drops, 401, limits, timeouts, locks, Bulk API)',
  badInput: 'Bad input (CSV and source records)',
  fuzz: 'Fuzzing (CSV reader, core, sync state)',
  security: 'Security (secrets, SOQL injection, CSV formulas, HTML, permissions, audit)'
};

function cell(text: string | undefined): string {
  return (text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function verdict(row: { held: boolean; produced: string }): string {
  if (/^SKIPPED/.test(row.produced)) return 'skipped';
  return row.held ? 'yes' : '**no**';
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function renderTortureReport(
  figures: CaseFigures[],
  run: { seed: string; wallMs: number; finishedAt: Date }
): string {
  const order: CaseName[] = ['kills', 'faults', 'badInput', 'fuzz', 'security'];
  const sorted = order
    .map((name) => figures.find((f) => f.case === name))
    .filter((f): f is CaseFigures => f !== undefined);
  const lines: string[] = [];
  lines.push('# Torture suite: the figures of the last run');
  lines.push('');
  lines.push(
    `\`npm run test:torture\` · seed \`${run.seed}\` · ${run.finishedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC · ` +
      `Node ${process.version}, ${cpus().length} cores · ${duration(run.wallMs)} wall time`
  );
  lines.push('');
  lines.push(
    `Written by the suite itself (\`scripts/torture/globalTeardown.ts\`) from what each case recorded while it ran: ` +
      `replay any of it with \`TORTURE_SEED=${run.seed} npm run test:torture\`. "Held" means: the org ended ` +
      'identical to a clean run (every `NPS_Response__c` and `NPS_Snapshot__c` field), or the run stopped with a clear ' +
      'message and the next run repaired it; a bad input was rejected naming its line or record and counted, and no valid ' +
      'row was lost; nothing leaked.'
  );
  lines.push('');
  lines.push('| case | tried | held | what the product did |');
  lines.push('| --- | ---: | ---: | --- |');
  for (const f of sorted) {
    const skipped = f.rows.filter((r) => /^SKIPPED/.test(r.produced)).length;
    lines.push(
      `| ${SHORT[f.case]} | ${f.tried} | ${f.held - skipped}${skipped > 0 ? ` (+${skipped} skipped)` : ''} | ${cell(f.summary)} (${duration(f.durationMs)}) |`
    );
  }
  for (const f of sorted) {
    lines.push('');
    lines.push(`## ${TITLES[f.case]}`);
    lines.push('');
    for (const note of f.notes) lines.push(`${note}`, '');
    lines.push('| # | tried | where | what the product did | held |');
    lines.push('| ---: | --- | --- | --- | --- |');
    f.rows.forEach((row, i) => {
      lines.push(
        `| ${i + 1} | ${cell(row.what)} | ${cell(row.where)} | ${cell(row.produced)} | ${verdict(row)} |`
      );
    });
  }
  lines.push('');
  return lines.join('\n');
}
