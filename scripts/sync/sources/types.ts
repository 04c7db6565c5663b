// What every source hands the sync: answers in one shape, the records it could not use (with the
// reason), and the source records deleted since the last run.

import { grown, Interner, StringIndex } from '../compact';
import type { QueryItem } from '../orgApi';

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

/**
 * The answers of a run, column by column (a million answers take ~60 MB, not the ~300 MB of as many
 * objects). A repeated source id replaces the earlier answer (the last one wins).
 */
export class AnswerTable {
  private readonly ids = new StringIndex();
  private score = new Uint8Array(1024);
  private respondedAt = new Float64Array(1024);
  private metric = new Uint8Array(1024);
  private account = new Int32Array(1024);
  private contact = new Int32Array(1024);
  /** The CSM named by the source: -2 none (attribute from the account), -1 Unassigned, else a user index. */
  private csmId = new Int32Array(1024);
  private modstamp = new Float64Array(1024);
  private readonly comments = new Map<number, string>();
  readonly accounts = new Interner();
  readonly contacts = new Interner();
  readonly users = new Interner();

  get length(): number {
    return this.ids.size;
  }

  add(answer: SourceAnswer): number {
    const before = this.ids.size;
    const i = this.ids.add(answer.sourceId);
    if (i === before) {
      const n = i + 1;
      this.score = grown(this.score, n);
      this.respondedAt = grown(this.respondedAt, n);
      this.metric = grown(this.metric, n);
      this.account = grown(this.account, n);
      this.contact = grown(this.contact, n);
      this.csmId = grown(this.csmId, n);
      this.modstamp = grown(this.modstamp, n);
    }
    this.score[i] = answer.score;
    this.respondedAt[i] = answer.respondedAt;
    this.metric[i] = answer.metric === 'CSM NPS' ? 1 : 0;
    this.account[i] = this.accounts.add(answer.accountId);
    this.contact[i] = this.contacts.add(answer.contactId);
    this.csmId[i] = answer.csmId === undefined ? -2 : this.users.add(answer.csmId);
    this.modstamp[i] = answer.modstamp ?? Number.NaN;
    if (answer.comment !== null) this.comments.set(i, answer.comment);
    else this.comments.delete(i);
    return i;
  }

  /** Sets the comment of answer i (null: none). */
  setComment(i: number, comment: string | null): void {
    if (comment !== null) this.comments.set(i, comment);
    else this.comments.delete(i);
  }

  indexOf(sourceId: string): number {
    return this.ids.get(sourceId);
  }

  sourceId(i: number): string {
    return this.ids.key(i);
  }

  accountId(i: number): string | null {
    return this.accounts.value(this.account[i] as number);
  }

  setAccount(i: number, accountId: string | null): void {
    this.account[i] = this.accounts.add(accountId);
  }

  contactId(i: number): string | null {
    return this.contacts.value(this.contact[i] as number);
  }

  respondedAtOf(i: number): number {
    return this.respondedAt[i] as number;
  }

  /** Whether the source named the CSM itself (a CSV's csm column) rather than leaving it to the account. */
  hasCsm(i: number): boolean {
    return (this.csmId[i] as number) !== -2;
  }

  /** The answer as an object (made on demand: the table keeps columns). */
  get(i: number): SourceAnswer {
    const csm = this.csmId[i] as number;
    const modstamp = this.modstamp[i] as number;
    return {
      sourceId: this.ids.key(i),
      modstamp: Number.isNaN(modstamp) ? null : modstamp,
      score: this.score[i] as number,
      respondedAt: this.respondedAt[i] as number,
      accountId: this.accountId(i),
      contactId: this.contactId(i),
      comment: this.comments.get(i) ?? null,
      metric: this.metric[i] === 1 ? 'CSM NPS' : 'Company NPS',
      ...(csm === -2 ? {} : { csmId: this.users.value(csm) })
    };
  }

  *[Symbol.iterator](): IterableIterator<SourceAnswer> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

export function newExtract(): Extract {
  return {
    answers: new AnswerTable(),
    rejected: [],
    deletedSourceIds: [],
    read: 0,
    skipped: 0,
    warnings: [],
    maxModstamp: null,
    boundary: [],
    rejectedSourceIds: []
  };
}

export interface Extract {
  answers: AnswerTable;
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
  /**
   * Reads the extract still needs (e.g. the comments of the answers), sent by the sync together with its
   * other independent reads (one composite request); `afterReads` then completes the answers.
   */
  pendingReads?: QueryItem[];
  afterReads?: () => void;
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
