// The standard normal distribution: CDF Φ and its inverse, accurate to about 1e-15, with no
// dependency (the core runs in the browser and in Node).

const SQRT2 = Math.SQRT2;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** erf(x) for |x| <= 3 by the series erf x = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)) (A&S 7.1.6): all terms positive, no cancellation. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  const x2 = x * x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x > 0 by its continued fraction (A&S 7.1.14), evaluated with the modified Lentz method. */
function erfcContinuedFraction(x: number): number {
  // erfc x = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x <= 3) return 1 - erfSeries(x);
  return erfcContinuedFraction(x);
}

/** Φ(x), the standard normal cumulative distribution function. Φ(±∞) = 1 or 0; NaN stays NaN. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return 0.5 * erfc(-x / SQRT2);
}

/** φ(x), the standard normal density. */
function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * Φ⁻¹(p). Start from Abramowitz & Stegun 26.2.23 (error < 4.5e-4), then refine with Halley steps on the
 * accurate Φ above, which gives full double precision (e.g. Φ⁻¹(0.975) = 1.959963984540054).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const q = p < 0.5 ? p : 1 - p;
  const t = Math.sqrt(-2 * Math.log(q));
  let z =
    t -
    (2.515517 + 0.802853 * t + 0.010328 * t * t) /
      (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  z = p < 0.5 ? -z : z;
  for (let i = 0; i < 6; i++) {
    // Work on the smaller tail to keep the residual's relative precision.
    const residual = p < 0.5 ? normalCdf(z) - p : 1 - p - normalCdf(-z);
    const step = residual / normalPdf(z);
    const next = z - step / (1 + (z * step) / 2);
    if (next === z) break;
    z = next;
  }
  return z;
}

// The last level asked for and its z: every group of a report asks for the same one, twice.
let lastConfidence = Number.NaN;
let lastZ = Number.NaN;

/** z of a two-sided interval at a confidence level (0.95 → 1.959963984540054). */
export function zForConfidence(confidence: number): number {
  if (confidence === lastConfidence) return lastZ;
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`Confidence level must be between 0 and 1 (e.g. 0.95), got ${confidence}`);
  }
  const z = normalQuantile(1 - (1 - confidence) / 2);
  lastConfidence = confidence;
  lastZ = z;
  return z;
}
