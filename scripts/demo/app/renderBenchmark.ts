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
  /** Cells (c-nps-cell) in the page when the render was complete, team row included. */
  cells: number;
  /** Rows of the grid (aria-rowcount: header, every CSM, team), and CSM rows in the page (windowed above 60). */
  gridRows: number;
  rowsInPage: number;
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

interface GridState {
  cells: number;
  rowsInPage: number;
  columns: number;
  gridRows: number;
}

function gridState(element: HTMLElement): GridState {
  const root = element.shadowRoot;
  return {
    cells: root?.querySelectorAll('c-nps-cell').length ?? 0,
    rowsInPage: root?.querySelectorAll('tbody tr.csm-row').length ?? 0,
    columns: root?.querySelectorAll('thead th.col-period').length ?? 0,
    gridRows: Number(root?.querySelector('table.matrix')?.getAttribute('aria-rowcount') ?? 0)
  };
}

let polls = 0;

/**
 * Waits until the matrix is complete: the grid holds every CSM (aria-rowcount), and every row in the page
 * — all of them, or the window of a large team — has all its cells, the team row too.
 */
async function renderedGrid(element: HTMLElement, gridRows: number, timeoutMs = 60_000): Promise<GridState> {
  const started = performance.now();
  polls = 0;
  for (;;) {
    polls++;
    const state = gridState(element);
    if (
      state.gridRows === gridRows &&
      state.columns > 0 &&
      state.cells === (state.rowsInPage + 1) * state.columns
    )
      return state;
    if (performance.now() - started > timeoutMs)
      throw new Error(
        `NPS by CSM was not complete after ${timeoutMs} ms: ${JSON.stringify(state)}, expected ${gridRows} grid rows`
      );
    await nextTask();
  }
}

export async function runRenderBenchmark(main: HTMLElement, create: () => HTMLElement): Promise<void> {
  const settings = previewContext().bench ?? { runs: 5, gridRows: 1 };
  const runs: number[] = [];
  const domMs: number[] = [];
  const pollCounts: number[] = [];
  let grid: GridState = { cells: 0, rowsInPage: 0, columns: 0, gridRows: 0 };
  /** What was measured so far (all of it, or up to a failure). */
  const measured = (): RenderBenchmarkResult => ({
    runs,
    domMs,
    polls: pollCounts,
    cells: grid.cells,
    gridRows: grid.gridRows,
    rowsInPage: grid.rowsInPage
  });
  try {
    setGraphqlMemo(true);
    performance.mark('npsByCsm:render:first:start');
    const warmUp = create();
    main.append(warmUp);
    grid = await renderedGrid(warmUp, settings.gridRows);
    await afterNextPaint();
    performance.mark('npsByCsm:render:first:end');
    performance.measure('npsByCsm:render:first', 'npsByCsm:render:first:start', 'npsByCsm:render:first:end');
    warmUp.remove();
    for (let i = 0; i < settings.runs; i++) {
      await afterNextPaint();
      performance.mark(`npsByCsm:render:start:${i}`);
      const element = create();
      main.append(element);
      grid = await renderedGrid(element, settings.gridRows);
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
    window.__renderBenchmark = measured();
  } catch (error) {
    window.__renderBenchmark = { ...measured(), error: String(error) };
  }
}
