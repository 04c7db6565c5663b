// CSM attribution (DESIGN.md § CSM attribution): the owner of the account when the customer answered,
// rebuilt from AccountHistory rows (OldValue → NewValue at CreatedDate).
import { attributeCsmAtResponseTime, OwnershipTimeline, type OwnershipChange } from 'c/npsCore';

const t = (iso: string): number => Date.parse(iso);

// Ana owned the account until March 1, then Bob until June 1, then Cara (the current owner).
const history: OwnershipChange[] = [
  { at: t('2026-06-01T09:00:00Z'), oldValue: '005BOB', newValue: '005CARA' },
  { at: t('2026-03-01T09:00:00Z'), oldValue: '005ANA', newValue: '005BOB' }
];

describe('attributeCsmAtResponseTime', () => {
  it('before the first change: that change’s OldValue', () => {
    expect(attributeCsmAtResponseTime(history, '005CARA', t('2026-01-15T00:00:00Z'))).toEqual({
      csm: '005ANA',
      basis: 'history'
    });
  });

  it('between two changes: the NewValue of the last change before the answer', () => {
    expect(attributeCsmAtResponseTime(history, '005CARA', t('2026-04-15T00:00:00Z'))).toEqual({
      csm: '005BOB',
      basis: 'history'
    });
  });

  it('after the last change: its NewValue', () => {
    expect(attributeCsmAtResponseTime(history, '005CARA', t('2026-07-01T00:00:00Z'))).toEqual({
      csm: '005CARA',
      basis: 'history'
    });
  });

  it('an answer at the very instant of a change goes to the new owner ("at or before t")', () => {
    expect(attributeCsmAtResponseTime(history, '005CARA', t('2026-03-01T09:00:00Z'))).toEqual({
      csm: '005BOB',
      basis: 'history'
    });
    expect(attributeCsmAtResponseTime(history, '005CARA', t('2026-03-01T08:59:59.999Z'))).toEqual({
      csm: '005ANA',
      basis: 'history'
    });
  });

  it('two changes with the same timestamp: the later row in the given order wins', () => {
    const same = t('2026-03-01T09:00:00Z');
    const rows: OwnershipChange[] = [
      { at: same, oldValue: '005ANA', newValue: '005BOB' },
      { at: same, oldValue: '005BOB', newValue: '005DAN' }
    ];
    expect(attributeCsmAtResponseTime(rows, '005DAN', same).csm).toBe('005DAN');
    expect(attributeCsmAtResponseTime(rows, '005DAN', same - 1).csm).toBe('005ANA');
  });

  it('no history: the current value, with basis "current" so the sync can say it fell back', () => {
    expect(attributeCsmAtResponseTime([], '005CARA', t('2020-01-01T00:00:00Z'))).toEqual({
      csm: '005CARA',
      basis: 'current'
    });
    expect(new OwnershipTimeline([], '005CARA').hasHistory).toBe(false);
  });

  it('a null owner (field empty, or cleared) gives null — the caller files it under Unassigned', () => {
    const cleared: OwnershipChange[] = [
      { at: t('2026-02-01T00:00:00Z'), oldValue: null, newValue: '005ANA' },
      { at: t('2026-05-01T00:00:00Z'), oldValue: '005ANA', newValue: null }
    ];
    expect(attributeCsmAtResponseTime(cleared, null, t('2026-01-01T00:00:00Z'))).toEqual({
      csm: null,
      basis: 'history'
    });
    expect(attributeCsmAtResponseTime(cleared, null, t('2026-03-01T00:00:00Z'))).toEqual({
      csm: '005ANA',
      basis: 'history'
    });
    expect(attributeCsmAtResponseTime(cleared, null, t('2026-06-01T00:00:00Z'))).toEqual({
      csm: null,
      basis: 'history'
    });
    expect(attributeCsmAtResponseTime([], null, t('2026-06-01T00:00:00Z'))).toEqual({
      csm: null,
      basis: 'current'
    });
  });

  it('a timeline answers many look-ups the same as one-shot calls, whatever the order of the rows', () => {
    const timeline = new OwnershipTimeline([...history].reverse(), '005CARA');
    for (const iso of [
      '2025-12-31T00:00:00Z',
      '2026-03-01T09:00:00Z',
      '2026-05-31T23:59:59Z',
      '2026-06-01T09:00:00Z',
      '2027-01-01T00:00:00Z'
    ]) {
      expect(timeline.csmAt(t(iso))).toEqual(attributeCsmAtResponseTime(history, '005CARA', t(iso)));
    }
  });
});
