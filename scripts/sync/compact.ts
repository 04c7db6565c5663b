// Compact in-memory structures for a sync of millions of answers: a string → index table whose keys
// live in one byte arena (about 30 bytes a key where a Map<string, number> costs about 100), a small
// interner for values that repeat (accounts, users), and a 52-bit fingerprint of a response's values.
//
// A million 18-character source ids take ~30 MB here; as JavaScript strings in a Map, ~100 MB.

/** FNV-1a over UTF-16 code units, 32 bits, from a given offset basis. */
function fnv(text: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A 52-bit hash of a string (two FNV-1a passes with different bases): exact in a double, collisions ~2⁻⁵². */
export function fingerprint(text: string): number {
  const a = fnv(text, 0x811c9dc5);
  const b = fnv(text, 0x050c5d1f) >>> 12; // 20 bits
  return a * 1_048_576 + b;
}

/**
 * Strings → consecutive indexes (0, 1, 2… in order of first appearance), keys kept as bytes in one
 * arena. ASCII keys (Salesforce Ids, most source ids) cost one byte a character; others are kept as
 * UTF-8.
 */
export class StringIndex {
  private arena: Uint8Array;
  private used = 0;
  /** offsets[i] … offsets[i + 1]: the bytes of key i. */
  private offsets: Int32Array;
  /** Open addressing: index + 1 (0 = empty). */
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.offsets = new Int32Array(Math.max(1024, expected) + 1);
    this.arena = new Uint8Array(Math.max(16_384, expected * 18));
  }

  private static hash(key: string): number {
    return fnv(key, 0x811c9dc5);
  }

  private keyEquals(index: number, key: string): boolean {
    const start = this.offsets[index] as number;
    const end = this.offsets[index + 1] as number;
    const arena = this.arena;
    if (end - start === key.length) {
      let ascii = true;
      for (let i = 0; i < key.length; i++) {
        const c = key.charCodeAt(i);
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        if (arena[start + i] !== c) return false;
      }
      if (ascii) return true;
    }
    // Non-ASCII keys: compare as UTF-8.
    for (let i = 0; i < key.length; i++) {
      if (key.charCodeAt(i) >= 0x80) return this.key(index) === key;
    }
    return false;
  }

  /** The index of `key`, or -1. */
  get(key: string): number {
    const slots = this.slots;
    for (let slot = StringIndex.hash(key) & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = slots[slot] as number;
      if (entry === 0) return -1;
      if (this.keyEquals(entry - 1, key)) return entry - 1;
    }
  }

  /** The index of `key`, added when new. */
  add(key: string): number {
    const slots = this.slots;
    let slot = StringIndex.hash(key) & this.mask;
    for (; ; slot = (slot + 1) & this.mask) {
      const entry = slots[slot] as number;
      if (entry === 0) break;
      if (this.keyEquals(entry - 1, key)) return entry - 1;
    }
    const index = this.size;
    this.append(key);
    slots[slot] = index + 1;
    if (this.size * 2 > this.mask + 1) this.rehash();
    return index;
  }

  private append(key: string): void {
    let ascii = true;
    for (let i = 0; i < key.length; i++) {
      if (key.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    const bytes = ascii ? null : Buffer.from(key, 'utf8');
    const length = bytes ? bytes.length : key.length;
    if (this.used + length > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.used + length));
      grown.set(this.arena.subarray(0, this.used));
      this.arena = grown;
    }
    if (bytes) this.arena.set(bytes, this.used);
    else for (let i = 0; i < length; i++) this.arena[this.used + i] = key.charCodeAt(i);
    if (this.size + 2 > this.offsets.length) {
      const grown = new Int32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.size] = this.used;
    this.used += length;
    this.size++;
    this.offsets[this.size] = this.used;
  }

  private rehash(): void {
    const capacity = (this.mask + 1) * 2;
    const slots = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let index = 0; index < this.size; index++) {
      let slot = StringIndex.hash(this.key(index)) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = index + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  key(index: number): string {
    const start = this.offsets[index] as number;
    const end = this.offsets[index + 1] as number;
    return Buffer.from(this.arena.buffer, this.arena.byteOffset + start, end - start).toString('utf8');
  }
}

/** Few distinct values (account, contact or user Ids): index ↔ value, -1 for null. */
export class Interner {
  private readonly byValue = new Map<string, number>();
  readonly values: string[] = [];

  add(value: string | null | undefined): number {
    if (value === null || value === undefined) return -1;
    let index = this.byValue.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      this.byValue.set(value, index);
    }
    return index;
  }

  value(index: number): string | null {
    return index < 0 ? null : (this.values[index] as string);
  }

  get size(): number {
    return this.values.length;
  }
}

/** Growable typed columns. */
export function grown<T extends Int32Array | Float64Array | Uint8Array | Int8Array>(
  column: T,
  needed: number
): T {
  if (needed <= column.length) return column;
  const Ctor = column.constructor as new (n: number) => T;
  const next = new Ctor(Math.max(needed, column.length * 2));
  next.set(column);
  return next;
}
