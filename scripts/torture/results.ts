// What each torture case tried and what came of it, written as JSON into the run's folder (set up by
// globalSetup.ts) and turned into docs/TORTURE.md by globalTeardown.ts: the figures in that file are
// those of the last run, never typed by hand.

import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tortureSeed } from './seed';

export const CASES = ['kills', 'faults', 'badInput', 'fuzz', 'security'] as const;
export type CaseName = (typeof CASES)[number];

/** One thing tried: a kill point, a fault, a bad input, a property, a security check. */
export interface TriedRow {
  /** Short name of what was tried. */
  what: string;
  /** Where: phase, API call, file line, source record… */
  where?: string;
  /** What the product did, in a few words (the message it gave, the outcome). */
  produced: string;
  /** Whether the product held: the same org as a clean run, a clear message, nothing lost or leaked. */
  held: boolean;
}

export interface CaseFigures {
  case: CaseName;
  seed: string;
  /** One line for the summary table. */
  summary: string;
  tried: number;
  held: number;
  rows: TriedRow[];
  /** Extra lines under the case's table (counts by phase, skipped checks and why). */
  notes: string[];
  durationMs: number;
}

export function resultsDir(): string {
  return process.env.TORTURE_RESULTS_DIR ?? path.join(tmpdir(), 'csm-nps-torture-results');
}

/** Collects the rows of one case as it runs; `write` puts them where the teardown finds them. */
export class CaseRecorder {
  readonly rows: TriedRow[] = [];
  readonly notes: string[] = [];
  private readonly started = Date.now();

  constructor(readonly name: CaseName) {}

  add(row: TriedRow): TriedRow {
    this.rows.push(row);
    return row;
  }

  note(line: string): void {
    this.notes.push(line);
  }

  write(summary: string): CaseFigures {
    const figures: CaseFigures = {
      case: this.name,
      seed: tortureSeed(),
      summary,
      tried: this.rows.length,
      held: this.rows.filter((r) => r.held).length,
      rows: this.rows,
      notes: this.notes,
      durationMs: Date.now() - this.started
    };
    const dir = resultsDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${this.name}.json`), `${JSON.stringify(figures, null, 1)}\n`);
    return figures;
  }
}
