// `csm-nps` as a separate process for the kill tests (sync tests and the torture suite; run with
// `node --import tsx`), so that it can be SIGKILLed at any point.
import { run } from '../cli/main';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  }
);
