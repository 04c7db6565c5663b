// The torture suite's randomness: one seed (TORTURE_SEED, default fixed) from which every case draws
// its own stream, so a failure replays with `TORTURE_SEED=<seed> npm run test:torture`, and one case
// file replays alone with the same choices whatever ran before it.

import { hashSeed, seededRandom } from '../samples/seededRandom';

export const DEFAULT_TORTURE_SEED = 'csm-nps-torture-1';

export function tortureSeed(): string {
  const fromEnv = process.env.TORTURE_SEED?.trim();
  return fromEnv ? fromEnv : DEFAULT_TORTURE_SEED;
}

/** A generator of the choices of one case (its own stream of the seed). */
export class TortureRandom {
  private readonly next: () => number;

  constructor(
    readonly caseName: string,
    readonly seed: string = tortureSeed()
  ) {
    this.next = seededRandom(`${seed}:${caseName}`);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** `count` distinct integers of [min, max], sorted (all of them when the range is smaller). */
  distinct(count: number, min: number, max: number): number[] {
    const pool = Array.from({ length: max - min + 1 }, (_, i) => min + i);
    for (let i = pool.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
    }
    return pool.slice(0, count).sort((a, b) => a - b);
  }
}

/** fast-check's seed (a 32-bit integer) for one case. */
export function fastCheckSeed(caseName: string, seed: string = tortureSeed()): number {
  return hashSeed(`${seed}:${caseName}`) | 0;
}
