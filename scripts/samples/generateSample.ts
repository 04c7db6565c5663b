// Writes scripts/samples/nps-responses.csv: a small, realistic, deterministic data set (12 CSMs over
// 18 months) to try `csm-nps report` on. Run: npx tsx scripts/samples/generateSample.ts
import { stringify } from 'csv-stringify/sync';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from './seededRandom';

interface CsmProfile {
  name: string;
  /** Promoter and detractor shares at the start and at the end of the 18 months. */
  start: [number, number];
  end: [number, number];
  /** Answers per month (mean). */
  volume: number;
}

const CSMS: CsmProfile[] = [
  { name: 'Ana Souza', start: [0.45, 0.2], end: [0.62, 0.1], volume: 9 },
  { name: 'Ben Carter', start: [0.55, 0.12], end: [0.4, 0.25], volume: 8 },
  { name: 'Chloé Martin', start: [0.5, 0.15], end: [0.5, 0.15], volume: 10 },
  { name: 'Dev Patel', start: [0.35, 0.3], end: [0.55, 0.15], volume: 6 },
  { name: 'Emma Schulz', start: [0.6, 0.1], end: [0.65, 0.08], volume: 12 },
  { name: 'Farid Haddad', start: [0.4, 0.25], end: [0.38, 0.27], volume: 2 },
  { name: 'Grace Kim', start: [0.5, 0.2], end: [0.45, 0.2], volume: 7 },
  { name: 'Hugo Lefèvre', start: [0.3, 0.35], end: [0.3, 0.35], volume: 5 },
  { name: 'Isabel Ortega', start: [0.7, 0.05], end: [0.6, 0.12], volume: 1.5 },
  { name: 'Jonas Berg', start: [0.45, 0.2], end: [0.55, 0.12], volume: 8 },
  { name: 'Keiko Tanaka', start: [0.5, 0.18], end: [0.52, 0.16], volume: 3 },
  { name: 'Liam O’Brien', start: [0.42, 0.22], end: [0.5, 0.2], volume: 6 }
];

const PRAISE = [
  'Quick answers and a clear plan for our renewal.',
  'Our CSM knows our business, and it shows.',
  'Onboarding went smoothly; the weekly check-ins helped.',
  'Great product, great support — keep it up!',
  'Helped us cut reporting time in half.'
];
const NEUTRAL = [
  'Fine overall, a few rough edges.',
  'Does the job. Pricing is "ok", not great.',
  'Good, but the mobile app lags.'
];
const COMPLAINTS = [
  'Three tickets open for weeks, nobody followed up.',
  'The last release broke our exports, again.',
  'Too expensive for what we use; considering alternatives.',
  'We changed CSM twice this year and had to start over.',
  'Slow, slow, slow.\nAnd the dashboard times out.'
];

export function generateSample(seed = 20261203): string[][] {
  const random = seededRandom(seed);
  const rows: string[][] = [['response_id', 'responded_at', 'score', 'csm', 'account', 'comment', 'metric']];
  let id = 1;
  const months = 18;
  for (let m = 0; m < months; m++) {
    const year = 2025 + Math.floor((5 + m) / 12);
    const month = ((5 + m) % 12) + 1; // June 2025 … November 2026
    const people: (CsmProfile | null)[] = [...CSMS, null];
    for (const csm of people) {
      const t = m / (months - 1);
      const [p0, d0] = csm ? csm.start : [0.45, 0.2];
      const [p1, d1] = csm ? csm.end : [0.45, 0.2];
      const promoterShare = p0 + (p1 - p0) * t;
      const detractorShare = d0 + (d1 - d0) * t;
      const volume = csm ? csm.volume : 1;
      const count = Math.max(0, Math.round(volume + (random() - 0.5) * volume));
      for (let i = 0; i < count; i++) {
        const u = random();
        const score =
          u < promoterShare
            ? 9 + Math.floor(random() * 2)
            : u < promoterShare + detractorShare
              ? Math.floor(random() * 7)
              : 7 + Math.floor(random() * 2);
        const day = 1 + Math.floor(random() * 28);
        const hour = Math.floor(random() * 24);
        const minute = Math.floor(random() * 60);
        const when = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`;
        const pool = score >= 9 ? PRAISE : score >= 7 ? NEUTRAL : COMPLAINTS;
        const comment = random() < 0.6 ? (pool[Math.floor(random() * pool.length)] ?? '') : '';
        const account = `Account ${String(1 + Math.floor(random() * 180)).padStart(3, '0')}`;
        const metric = csm && random() < 0.25 ? 'CSM NPS' : 'Company NPS';
        rows.push([
          `S-${String(id++).padStart(5, '0')}`,
          when,
          String(score),
          csm?.name ?? '',
          account,
          comment,
          metric
        ]);
      }
    }
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL('./nps-responses.csv', import.meta.url));
  writeFileSync(out, stringify(generateSample()));
  console.log(`wrote ${out}`);
}
