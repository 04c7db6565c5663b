// Bench part "render" (issue 8, item 5; the figure of the demo issue): NPS by CSM rendering 200 CSMs ×
// 24 months in Chromium (scripts/demo/renderBench.ts), target under 300 ms. Where Chromium is missing the
// figure is there, not measured.
import { chromiumAvailable, chromiumPath } from '../demo/browser';
import { measureNpsByCsmRender } from '../demo/renderBench';
import type { BenchOptions, BenchPart } from './figures';

const CSMS = 200;
const PERIODS = 24;
const TARGET_MS = 300;
const NAME = `UI render: NPS by CSM, ${CSMS} CSMs × ${PERIODS} months`;

export async function benchRender(options: Pick<BenchOptions, 'log'>): Promise<BenchPart> {
  if (!chromiumAvailable()) {
    return {
      name: 'render',
      figures: [
        {
          name: NAME,
          value: null,
          unit: 'ms',
          target: `< ${TARGET_MS} ms`,
          met: null,
          note: 'Chromium not installed'
        }
      ],
      details: { chromium: null }
    };
  }
  options.log(`Render: NPS by CSM, ${CSMS} CSMs × ${PERIODS} months in Chromium…`);
  const m = await measureNpsByCsmRender({ csms: CSMS, periods: PERIODS, log: options.log });
  return {
    name: 'render',
    figures: [
      {
        name: NAME,
        value: m.ms,
        unit: 'ms',
        target: `< ${TARGET_MS} ms`,
        met: m.ms < TARGET_MS,
        note: `median of ${m.runs.length} renders (${m.runs.map((r) => r.toFixed(0)).join(', ')} ms); grid of ${m.gridRows - 2} CSM rows, ${m.rowsInPage} of them in the page (windowed above 60), ${m.cells} cells; first render with its GraphQL pages from the local org ${m.firstWithNetworkMs.toFixed(0)} ms`
      }
    ],
    details: { chromium: chromiumPath(), ...m }
  };
}
