// `npx tsx scripts/demo/measureRender.ts`: prints the render time of NPS by CSM (200 CSMs × 24 months) in
// Chromium (/usr/bin/chromium, or CHROMIUM_PATH), on its own. `npm run bench` measures the same figure in
// its render part (scripts/bench/renderPart.ts calls measureNpsByCsmRender()).
import { measureNpsByCsmRender } from './renderBench';

measureNpsByCsmRender({ log: (line) => process.stderr.write(`${line}\n`) }).then(
  (m) => {
    process.stdout.write(
      `NPS by CSM, ${m.csms} CSMs × ${m.periods} months (${m.rowsInPage} of ${m.gridRows - 2} rows in the page, ${m.cells} cells): ${m.ms.toFixed(0)} ms median render (runs: ${m.runs.map((r) => r.toFixed(0)).join(', ')} ms); first render with its GraphQL pages from the local org: ${m.firstWithNetworkMs.toFixed(0)} ms\n`
    );
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
);
