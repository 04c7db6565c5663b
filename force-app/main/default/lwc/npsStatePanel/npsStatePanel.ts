// The loading, empty and error states of every csm-nps component, so that they read the same everywhere.
// Presentational: takes only @api properties.
import { LightningElement, api } from 'lwc';
import { LABELS } from './labels';

export type PanelState = 'loading' | 'empty' | 'error';

export default class NpsStatePanel extends LightningElement {
  /** Which state to show. */
  @api state: PanelState = 'loading';
  /** Error: what went wrong and what to do. Empty: a more specific title (e.g. "No responses for this account yet"). */
  @api message = '';
  /** Empty: leave out the sync hint (when the data exists but a filter leaves nothing to show). */
  @api hideSyncHint = false;

  labels = LABELS;

  get isLoading(): boolean {
    return this.state === 'loading';
  }

  get isEmpty(): boolean {
    return this.state === 'empty';
  }

  get isError(): boolean {
    return this.state === 'error';
  }

  get showSyncHint(): boolean {
    return !this.hideSyncHint;
  }

  get emptyTitle(): string {
    return this.message || LABELS.emptyTitle;
  }
}
