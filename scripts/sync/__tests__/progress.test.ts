// What the sync prints while it runs goes through the same redaction as its errors: a secret that
// reaches a progress line (a retry reason, a warning, a label naming a file) is never written out.

import { registerSecret } from '../errors';
import { createProgress } from '../progress';

function capture(isTTY: boolean) {
  const written: string[] = [];
  const io = {
    stdout: { write: () => true },
    stderr: Object.assign(
      { write: (text: string) => written.push(String(text)) },
      isTTY
        ? { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true }
        : {}
    ),
    isTTY,
    columns: 120,
    env: {}
  };
  return { progress: createProgress(io), text: () => written.join('') };
}

describe('sync progress output', () => {
  const password = 'Corr3ct-Horse-Battery';
  beforeAll(() => registerSecret(password));

  it.each([
    ['plain lines (CI logs, files)', false],
    ['progress bars (a terminal)', true]
  ])('never writes a registered secret: %s', (_what, isTTY) => {
    const { progress, text } = capture(isTTY);
    const phase = progress.phase('extract', `Reading answers (/home/ops/${password}/answers.csv)`);
    phase.total(10);
    phase.update(5);
    phase.done(`10 answers read; login echoed ${password}`);
    progress.note(`retry 1 of 5 in 1 s: upstream said password=${password}`);
    const out = text();
    expect(out).toContain('10 answers read; login echoed ***');
    expect(out).toContain('upstream said password=***');
    expect(out).not.toContain(password);
  });
});
