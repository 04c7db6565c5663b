// parseRespondedAt reads the common shapes with character codes and everything else with regular
// expressions: both must give the same answer (value or reason) for every text.
import fc from 'fast-check';
import { parseRespondedAt } from 'c/npsCore';
import { parseRespondedAtBySyntax } from '../../../force-app/main/default/lwc/npsCore/periods';

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const nearlyIso = fc
  .record({
    year: fc
      .oneof(fc.integer({ min: 1890, max: 2110 }), fc.integer({ min: 0, max: 9999 }))
      .map((n) => String(n).padStart(4, '0')),
    month: two(13),
    day: two(32),
    separator: fc.constantFrom('T', 't', ' ', 'x'),
    hour: two(25),
    minute: two(61),
    second: fc.option(two(61), { nil: undefined }),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,5}$/), { nil: undefined }),
    fractionMark: fc.constantFrom('.', ','),
    offset: fc.constantFrom(
      'Z',
      'z',
      '',
      '+05:30',
      '-03:30',
      '+0530',
      '+14:00',
      '+15:00',
      '-00:00',
      '+05:60',
      '+5:30',
      'Z '
    ),
    dateOnly: fc.boolean(),
    pad: fc.constantFrom('', ' ', '\t')
  })
  .map((p) => {
    const date = `${p.year}-${p.month}-${p.day}`;
    if (p.dateOnly) return `${p.pad}${date}${p.pad}`;
    const seconds =
      p.second === undefined
        ? ''
        : `:${p.second}${p.fraction === undefined ? '' : `${p.fractionMark}${p.fraction}`}`;
    return `${p.pad}${date}${p.separator}${p.hour}:${p.minute}${seconds}${p.offset}${p.pad}`;
  });

describe('parseRespondedAt: the fast shapes agree with the regular expressions', () => {
  it('on generated ISO-like texts (valid and invalid dates, times, fractions and offsets)', () => {
    fc.assert(
      fc.property(nearlyIso, (text) => {
        expect(parseRespondedAt(text)).toEqual(parseRespondedAtBySyntax(text.trim()));
      }),
      { numRuns: 20_000 }
    );
  });

  it('on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        expect(parseRespondedAt(text)).toEqual(parseRespondedAtBySyntax(text.trim()));
      }),
      { numRuns: 5_000 }
    );
  });

  it('leap days, milliseconds and offsets: exact instants', () => {
    expect(parseRespondedAt('2024-02-29T23:59:59.999+14:00')).toEqual({
      ok: true,
      kind: 'instant',
      epochMs: Date.UTC(2024, 1, 29, 9, 59, 59, 999)
    });
    expect(parseRespondedAt('2025-07-03T19:42:37.1Z')).toEqual({
      ok: true,
      kind: 'instant',
      epochMs: Date.UTC(2025, 6, 3, 19, 42, 37, 100)
    });
    expect(parseRespondedAt('2023-02-29T10:00:00Z')).toEqual({
      ok: false,
      reason: 'date "2023-02-29T10:00:00Z" does not exist in the calendar'
    });
  });
});
