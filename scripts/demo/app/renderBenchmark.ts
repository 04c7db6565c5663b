// The render benchmark page: how long NPS by CSM takes to render a large matrix in the browser, measured
// with Performance API marks. A first render fetches the GraphQL answers from the local org (measured
// apart, as `npsByCsm:render:first`, since it times the network too); each timed render then creates the
// component, lets it page through the same answers, build the matrix and render every cell, and ends
// after the next frame is painted.

import { previewContext } from './context';
import { setGraphqlMemo } from './transport';

export interface RenderBenchmarkResult {
  /** Duration of each timed render, ms. */
  runs: number[];
  /** Of each run: until every cell is in the DOM (scripts: data paging, matrix, LWC rendering), ms. */
  domMs: number[];
  /** Looks at the DOM until the cells were there (one per task). */
  polls: number[];
  /** Cells (c-nps-cell) rendered, team row included. */
  cells: number;
  error?: string;
}

declare global {
  interface Window {
    __renderBenchmark?: RenderBenchmarkResult;
  }
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => void nextTask().then(resolve)));
}

function cellCount(element: HTMLElement): number {
  return element.shadowRoot?.querySelectorAll('c-nps-cell').length ?? 0;
}

let polls = 0;

async function renderedCells(element: HTMLElement, expected: number, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  polls = 0;
  for (;;) {
    polls++;
    const count = cellCount(element);
    if (count >= expected) return count;
    if (performance.now() - started > timeoutMs)
      throw new Error(`NPS by CSM showed ${cellCount(element)} of ${expected} cells after ${timeoutMs} ms`);
    await nextTask();
  }
}

export async function runRenderBenchmark(main: HTMLElement, create: () => HTMLElement): Promise<void> {
  const settings = previewContext().bench ?? { runs: 5, expectedCells: 1 };
  const runs: number[] = [];
  const domMs: number[] = [];
  const pollCounts: number[] = [];
  let cells = 0;
  try {
    setGraphqlMemo(true);
    performance.mark('npsByCsm:render:first:start');
    const warmUp = create();
    main.append(warmUp);
    cells = await renderedCells(warmUp, settings.expectedCells);
    await afterNextPaint();
    performance.mark('npsByCsm:render:first:end');
    performance.measure('npsByCsm:render:first', 'npsByCsm:render:first:start', 'npsByCsm:render:first:end');
    warmUp.remove();
    for (let i = 0; i < settings.runs; i++) {
      await afterNextPaint();
      performance.mark(`npsByCsm:render:start:${i}`);
      const element = create();
      main.append(element);
      cells = await renderedCells(element, settings.expectedCells);
      domMs.push(
        performance.now() - (performance.getEntriesByName(`npsByCsm:render:start:${i}`)[0]?.startTime ?? 0)
      );
      pollCounts.push(polls);
      await afterNextPaint();
      performance.mark(`npsByCsm:render:end:${i}`);
      const measure = performance.measure(
        `npsByCsm:render:${i}`,
        `npsByCsm:render:start:${i}`,
        `npsByCsm:render:end:${i}`
      );
      runs.push(measure.duration);
      if (i < settings.runs - 1) element.remove();
    }
    window.__renderBenchmark = { runs, domMs, polls: pollCounts, cells };
  } catch (error) {
    window.__renderBenchmark = { runs, domMs, polls: pollCounts, cells, error: String(error) };
  }
}
