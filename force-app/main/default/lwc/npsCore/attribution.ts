// Which CSM owned an account when the customer answered (DESIGN.md § CSM attribution), as a pure
// function over the account's ownership history (AccountHistory rows with DataType 'EntityId').

export interface OwnershipChange {
  /** When the change happened (epoch ms; AccountHistory.CreatedDate). */
  at: number;
  /** The user Id before the change (AccountHistory.OldValue); null when the field was empty. */
  oldValue: string | null;
  /** The user Id after the change (AccountHistory.NewValue); null when the field was cleared. */
  newValue: string | null;
}

export interface Attribution {
  /** The CSM at that moment; null when the account had none. */
  csm: string | null;
  /** 'history' when rebuilt from changes, 'current' when there was no history and the current value was used. */
  basis: 'history' | 'current';
}

/**
 * The account's ownership over time, sorted once so that each look-up is a binary search. Changes that
 * share a timestamp keep their given order (the later one wins).
 */
export class OwnershipTimeline {
  private readonly changes: OwnershipChange[];

  constructor(
    changes: Iterable<OwnershipChange>,
    /** The field's value now (Account.OwnerId or the custom CSM lookup). */
    readonly current: string | null
  ) {
    this.changes = [...changes]
      .map((change, order) => ({ change, order }))
      .sort((a, b) => a.change.at - b.change.at || a.order - b.order)
      .map((entry) => entry.change);
  }

  get hasHistory(): boolean {
    return this.changes.length > 0;
  }

  /**
   * The CSM at instant `at`: the NewValue of the last change at or before `at`; if the first change is
   * after `at`, that change's OldValue; with no history, the current value.
   */
  csmAt(at: number): Attribution {
    const changes = this.changes;
    if (changes.length === 0) return { csm: this.current, basis: 'current' };
    let lo = 0;
    let hi = changes.length; // first index whose change is after `at`
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((changes[mid] as OwnershipChange).at <= at) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return { csm: (changes[0] as OwnershipChange).oldValue, basis: 'history' };
    return { csm: (changes[lo - 1] as OwnershipChange).newValue, basis: 'history' };
  }
}

/** One-shot form of OwnershipTimeline.csmAt, for a single answer. */
export function attributeCsmAtResponseTime(
  history: Iterable<OwnershipChange>,
  currentCsm: string | null,
  respondedAt: number
): Attribution {
  return new OwnershipTimeline(history, currentCsm).csmAt(respondedAt);
}

/** The group name used for answers without an account or without a CSM. */
export const UNASSIGNED = 'Unassigned';
