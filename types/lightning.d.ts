// Types for the platform modules our components import that ship no TypeScript types
// (@salesforce/lightning-types covers the base components, not these). Only what we use, as documented
// in the LWC Developer Guide; the jest stubs of sfdx-lwc-jest add test-only members (emit, emitErrors),
// typed in scripts/jest/lwcTestHelpers.ts.

declare module 'lightning/graphql' {
  import type { WireAdapterConstructor } from 'lwc';

  /** A query parsed by `gql` (opaque to components). */
  export interface GraphqlDocument {
    readonly __graphqlDocument?: never;
  }

  export function gql(strings: TemplateStringsArray, ...values: unknown[]): GraphqlDocument;

  /** One entry of the GraphQL response `errors` (GraphQL spec § Response: message, locations, path). */
  export interface GraphqlError {
    message: string;
    locations?: { line: number; column: number }[];
    paths?: (string | number)[];
    path?: (string | number)[];
    extensions?: Record<string, unknown>;
  }

  /** What the wire adapter emits: `errors` instead of `error`, following the GraphQL response spec. */
  export interface GraphqlResult<TData = unknown> {
    data?: TData;
    errors?: readonly (GraphqlError | string)[];
    refresh?: () => Promise<unknown>;
  }

  export interface GraphqlConfig {
    /** Undefined keeps the query from running (e.g. until a cell is chosen). */
    query: GraphqlDocument | undefined;
    variables?: Record<string, unknown> | undefined;
    operationName?: string;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each wire method types the data of its own query
  export const graphql: WireAdapterConstructor<GraphqlConfig, GraphqlResult<any>>;
}

declare module 'lightning/uiRecordApi' {
  export interface RecordInput {
    /** API name → value; `Id` is required for an update. */
    fields: Record<string, unknown>;
  }
  export function updateRecord(
    recordInput: RecordInput,
    clientOptions?: { ifUnmodifiedSince?: string }
  ): Promise<unknown>;
}

declare module 'lightning/platformShowToastEvent' {
  export interface ToastOptions {
    title: string;
    message?: string;
    variant?: 'info' | 'success' | 'warning' | 'error';
    mode?: 'dismissible' | 'pester' | 'sticky';
  }
  export class ShowToastEvent extends CustomEvent<ToastOptions> {
    constructor(toast: ToastOptions);
  }
}

declare module '@salesforce/user/Id' {
  const userId: string;
  export default userId;
}

declare module '@salesforce/i18n/timeZone' {
  /** The user's time zone (IANA name), e.g. America/Los_Angeles. */
  const timeZone: string;
  export default timeZone;
}

declare module '@salesforce/schema/*' {
  /** A field reference: the platform checks at deploy time that the field exists. */
  const field: { fieldApiName: string; objectApiName: string };
  export default field;
}
