// Interning and repeat-finding over raw bytes: exact, including keys whose 32-bit hashes collide.
import { ByteKeyTable, hashBytes, RepeatedKeyFinder } from '../../csv/byteKeyTable';

const bytesOf = (text: string) => Buffer.from(text, 'utf8');

describe('RepeatedKeyFinder', () => {
  it('keys whose 32-bit hashes collide are told apart by their bytes; repeats come with their tags in order', () => {
    // "Rxxo1rf" and "R1idujuf" have the same FNV-1a hash (found by search).
    expect(hashBytes(bytesOf('Rxxo1rf'), 0, 7)).toBe(hashBytes(bytesOf('R1idujuf'), 0, 8));
    const finder = new RepeatedKeyFinder();
    const keys = ['Rxxo1rf', 'R1idujuf', 'id-7', 'Rxxo1rf', 'other', 'id-7', 'R1idujuf', 'id-7'];
    for (let i = 0; i < 100_000; i++) finder.add(1000 + i, bytesOf(`id-${i + 10}`), 0, `id-${i + 10}`.length);
    keys.forEach((key, tag) => finder.add(tag, bytesOf(key), 0, Buffer.byteLength(key)));
    const found: [string, number[]][] = [];
    finder.forEachRepeated((tags, key) => found.push([key, tags]));
    found.sort((a, b) => a[0].localeCompare(b[0]));
    expect(found).toEqual([
      ['id-7', [2, 5, 7]],
      ['R1idujuf', [1, 6]],
      ['Rxxo1rf', [0, 3]]
    ]);
  });

  it('addIfAscii refuses a key with a byte ≥ 0x80 and adds nothing', () => {
    const finder = new RepeatedKeyFinder();
    const key = bytesOf('é1');
    expect(finder.addIfAscii(0, key, 0, key.length, true)).toBe(false);
    expect(finder.size).toBe(0);
  });
});

describe('ByteKeyTable', () => {
  it('numbers distinct byte strings in order of first appearance, across growth', () => {
    const table = new ByteKeyTable();
    for (let i = 0; i < 5000; i++) expect(table.intern(bytesOf(`CSM ${i}`), 0, `CSM ${i}`.length)).toBe(i);
    const again = bytesOf('xxCSM 42yy');
    expect(table.intern(again, 2, 8)).toBe(42);
    expect(table.equals(42, again, 2, 8)).toBe(true);
    expect(table.size).toBe(5000);
  });
});
