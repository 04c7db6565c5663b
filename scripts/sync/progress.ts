// What the user sees while the sync runs: a progress bar per phase on a terminal (cli-progress), plain
// lines otherwise (CI logs, files). Everything goes to stderr so that stdout holds only the result.

import cliProgress from 'cli-progress';
import type { CliIo } from '../cli/io';
import { redact } from './errors';

export interface PhaseProgress {
  /** Sets what the bar counts up to, once known. */
  total(n: number): void;
  update(done: number): void;
  /** Ends the phase with a one-line result, e.g. "1,204 answers read". */
  done(result: string): void;
}

export interface Progress {
  phase(name: string, label: string): PhaseProgress;
  note(message: string): void;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function createProgress(io: CliIo, options: { quiet?: boolean } = {}): Progress {
  const write = (text: string) => io.stderr.write(redact(text));
  if (options.quiet) {
    return { phase: () => ({ total: () => {}, update: () => {}, done: () => {} }), note: () => {} };
  }
  if (!io.isTTY) {
    return {
      phase(_name, label) {
        const started = Date.now();
        let lastLine = Date.now();
        let total = 0;
        write(`${label}…\n`);
        return {
          total: (n) => (total = n),
          update(done) {
            // A line at most every 5 s: enough to see a long phase move, not enough to flood a log.
            if (Date.now() - lastLine < 5000) return;
            lastLine = Date.now();
            write(`  ${label}: ${fmt(done)}${total ? ` of ${fmt(total)}` : ''}\n`);
          },
          done: (result) => write(`  ${label}: ${result} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`)
        };
      },
      note: (message) => write(`  ${message}\n`)
    };
  }
  return {
    phase(_name, label) {
      const started = Date.now();
      const bar = new cliProgress.SingleBar(
        {
          // cli-progress writes the bar itself, past `write`: its label is redacted here.
          format: `${redact(label).padEnd(28)} {bar} {value}{ofTotal}`,
          stream: io.stderr as NodeJS.WritableStream,
          hideCursor: true,
          clearOnComplete: true,
          barsize: 24,
          etaBuffer: 20
        },
        cliProgress.Presets.shades_classic
      );
      let total = 0;
      bar.start(1, 0, { ofTotal: '' });
      return {
        total(n) {
          total = n;
          bar.setTotal(Math.max(1, n));
          bar.update({ ofTotal: ` of ${fmt(n)}` });
        },
        update(done) {
          if (!total) bar.setTotal(Math.max(1, done));
          bar.update(done);
        },
        done(result) {
          bar.stop();
          write(`✔ ${label}: ${result} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
        }
      };
    },
    note: (message) => write(`  ${message}\n`)
  };
}
