// The secrets scan of the torture suite: what must never appear in anything the product prints, logs
// or writes — the secrets a test handed it (passwords, tokens, private keys), and anything shaped like
// one (Salesforce session ids, bearer headers, PEM private keys, signed JWTs, credentials in a URL).

export interface SecretFinding {
  /** Which secret or which shape. */
  kind: string;
  /** Where it was found (the name of the captured text). */
  source: string;
  /** A few characters around it, with the secret itself masked. */
  context: string;
}

const SHAPES: { kind: string; pattern: RegExp }[] = [
  { kind: 'Salesforce session id', pattern: /00D[a-zA-Z0-9]{12,15}![A-Za-z0-9._-]{20,}/g },
  { kind: 'bearer token', pattern: /Bearer\s+(?!\*\*\*)[A-Za-z0-9!._~+/=-]{8,}/gi },
  { kind: 'PEM private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/g },
  { kind: 'signed JWT', pattern: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g },
  { kind: 'credentials in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/(?!\*\*\*@)[^\s/?#@:]+:[^\s/?#@]+@/gi },
  { kind: 'OAuth refresh token', pattern: /\b5Aep[A-Za-z0-9._-]{30,}/g }
];

function around(text: string, at: number, length: number): string {
  const before = text.slice(Math.max(0, at - 30), at).replace(/\s+/g, ' ');
  const after = text.slice(at + length, at + length + 30).replace(/\s+/g, ' ');
  return `…${before}[${length} characters]${after}…`;
}

/**
 * Every known secret (strings of 6 characters or more) and every secret-shaped string in `texts`.
 * A known secret is also looked for as a line of a PEM body, so that half a private key counts.
 */
export function findSecrets(texts: Record<string, string>, known: readonly string[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const needles = new Set<string>();
  for (const secret of known) {
    if (secret.length < 6) continue;
    needles.add(secret);
    if (secret.includes('-----BEGIN'))
      for (const line of secret.split('\n'))
        if (line.length >= 40 && !line.startsWith('-----')) needles.add(line);
  }
  for (const [source, text] of Object.entries(texts)) {
    for (const needle of needles) {
      const at = text.indexOf(needle);
      if (at !== -1)
        findings.push({
          kind: 'a secret the test handed to the product',
          source,
          context: around(text, at, needle.length)
        });
    }
    for (const { kind, pattern } of SHAPES) {
      for (const match of text.matchAll(pattern))
        findings.push({ kind, source, context: around(text, match.index ?? 0, match[0].length) });
    }
  }
  return findings;
}
