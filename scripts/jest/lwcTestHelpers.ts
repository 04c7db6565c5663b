// Helpers shared by the component tests (jest, sfdx-lwc-jest): the test members of the lightning/graphql
// stub, typed; waiting for re-renders; and reading what a user sees through shadow roots.
import { graphql, type GraphqlConfig } from 'lightning/graphql';

/** The sfdx-lwc-jest stub of the GraphQL wire adapter (emit, emitErrors, getLastConfig). */
export interface GraphqlTestAdapter {
  emit(data: unknown, filter?: (config: GraphqlConfig) => boolean): void;
  emitErrors(errors: unknown[], filter?: (config: GraphqlConfig) => boolean): void;
  getLastConfig(): GraphqlConfig;
}

export const graphqlAdapter = graphql as unknown as GraphqlTestAdapter;

/** Selects the wire instances running one operation (each query names its operation). */
export function byOperation(operationName: string): (config: GraphqlConfig) => boolean {
  return (config) => config?.operationName === operationName;
}

/**
 * The configuration of the wire running one operation (getLastConfig tells only the last wire updated,
 * whatever its operation). Emits nothing.
 */
export function configOf(operationName: string): GraphqlConfig | undefined {
  let found: GraphqlConfig | undefined;
  graphqlAdapter.emit(undefined, (config) => {
    if (config?.operationName === operationName) found = config;
    return false;
  });
  return found;
}

/** Lets pending promises and re-renders run. */
export async function flushPromises(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

export function resetDom(): void {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
}

export function shadow(element: Element | null | undefined): ShadowRoot {
  const root = element?.shadowRoot;
  if (!root) throw new Error(`No shadow root on ${element?.tagName ?? 'nothing'}`);
  return root;
}

/** Visible text of an element, whitespace collapsed. */
export function textOf(element: Element | null | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The deep copy of a JSON fixture, to change in one test without touching the others. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
