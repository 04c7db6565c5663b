// What every source hands the sync: answers in one shape, the records it could not use (with the
// reason), and the source records deleted since the last run.

export type Metric = 'Company NPS' | 'CSM NPS';

export interface SourceAnswer {
  /** NPS_Response__c.Source_Id__c: the source record's Id, or `csv:<file>:<response_id>`. */
  sourceId: string;
  /** When the source record last changed (epoch ms), for the watermark; null for a CSV. */
  modstamp: number | null;
  score: number;
  /** When the customer answered (epoch ms). */
  respondedAt: number;
  accountId: string | null;
  contactId: string | null;
  comment: string | null;
  metric: Metric;
  /**
   * The CSM named by the source itself (a CSV's csm column, as a User Id): used as is instead of the
   * ownership history. Undefined: attribute from the account.
   */
  csmId?: string | null;
}

export interface RejectedRecord {
  sourceId: string;
  /** CSV line where the row starts. */
  line?: number;
  reason: string;
}

export interface Extract {
  answers: SourceAnswer[];
  rejected: RejectedRecord[];
  /** Source ids deleted in the source since the watermark (incremental runs). */
  deletedSourceIds: string[];
  /** Records read, valid or not (not counting those at the watermark already loaded by the previous run). */
  read: number;
  /** Records passed over without being an answer yet (e.g. a survey response not completed). */
  skipped: number;
  warnings: string[];
  /** Latest modstamp among the records read (epoch ms), and the `Id@modstamp` pairs at its second. */
  maxModstamp: number | null;
  boundary: string[];
  /** Source ids rejected this run that may already be in NPS_Response__c (they are removed from it). */
  rejectedSourceIds: string[];
}

/** How the extract reads: from a watermark (incremental) or everything (first run, --full, CSV). */
export interface ExtractWindow {
  /** null: read everything. */
  since: number | null;
  /** `Id@modstamp` pairs already loaded at the watermark's second (skipped when read again unchanged). */
  boundary: ReadonlySet<string>;
}

/** `Id@ms`: how a record at the watermark's second is remembered. */
export function boundaryKey(id: string, modstamp: number): string {
  return `${id}@${modstamp}`;
}

/**
 * Tracks the latest modstamp read and the records at its second: a `>=` query on the next run reads
 * them again, and the state remembers them so that they are passed over when unchanged.
 */
export class BoundaryTracker {
  max: number | null = null;
  private keys: string[] = [];

  see(id: string, modstamp: number): void {
    const second = Math.floor(modstamp / 1000);
    const maxSecond = this.max === null ? null : Math.floor(this.max / 1000);
    if (maxSecond === null || second > maxSecond) this.keys = [];
    if (maxSecond === null || second >= maxSecond) this.keys.push(boundaryKey(id, modstamp));
    if (this.max === null || modstamp > this.max) this.max = modstamp;
  }

  get boundary(): string[] {
    return [...this.keys];
  }
}
