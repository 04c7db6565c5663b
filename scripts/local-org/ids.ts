// Salesforce record Ids: a 3-character key prefix, 12 more case-sensitive characters, and a
// 3-character case-insensitive suffix that encodes which of the first 15 characters are upper case
// (the documented 15 → 18 character conversion).

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** Two characters that stand where Salesforce puts the instance ("pod") code. */
const POD = '5L';

export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const code = id15.charCodeAt(chunk * 5 + i);
      if (code >= 65 && code <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_CHARS[bits];
  }
  return suffix;
}

/** The Id with key prefix `prefix` and sequence number `n` (1, 2, …): deterministic and sortable. */
export function makeId(prefix: string, n: number): string {
  let body = '';
  let rest = n;
  for (let i = 0; i < 10; i++) {
    body = BASE62[rest % 62] + body;
    rest = Math.floor(rest / 62);
  }
  const id15 = prefix + POD + body;
  return id15 + checksumSuffix(id15);
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** A 15- or 18-character Id normalised to 18 characters, or null when it cannot be an Id. */
export function normalizeId(value: string): string | null {
  if (!ID_PATTERN.test(value)) return null;
  if (value.length === 15) return value + checksumSuffix(value);
  const id15 = value.slice(0, 15);
  // The suffix is case-insensitive; the body is not, so a wrong suffix means a mistyped Id.
  return checksumSuffix(id15) === value.slice(15).toUpperCase() ? id15 + checksumSuffix(id15) : null;
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}
