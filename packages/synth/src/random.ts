/**
 * Deterministic randomness (确定性随机数): a seeded sfc32 generator and string hashing, so that a
 * region is reproducible from its seed. `Math.random` is never used.
 */

/** 32-bit FNV-1a of a string, finished with the murmur3 mixer; `salt` varies the hash. */
export function hash32(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** The murmur3 finaliser: a bijective 32-bit mixer. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) determined by the key and salt (a stateless "random" value per key). */
export function unitHash(key: string, salt = 0): number {
  return hash32(key, salt) / 4294967296;
}

/** Seed material from a number or a string. */
export function seedOf(seed: number | string): number {
  return typeof seed === "number"
    ? fmix32((seed | 0) ^ Math.imul(Math.floor(seed / 4294967296), 0x9e3779b9))
    : hash32(seed, 0x5eed);
}

/**
 * sfc32 (Small Fast Counting generator, Chris Doty-Humphrey, PractRand): 128-bit state,
 * period ≥ 2^32, passes PractRand. Deterministic for a given seed on every platform.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = Number.NaN;

  constructor(seed: number | string, stream = 0) {
    const s = seedOf(seed);
    this.a = s;
    this.b = fmix32(s ^ 0x9e3779b9);
    this.c = fmix32(stream ^ 0x85ebca6b);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [min, max] (both inclusive). */
  range(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Standard normal variate (Box–Muller, with the second value kept). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = Number.NaN;
      return v;
    }
    let u = this.float();
    while (u <= 1e-12) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A lognormal variate with the given arithmetic mean and log-scale sigma. */
  lognormalMean(mean: number, sigma: number): number {
    return mean * Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

/** A discrete distribution over items, sampled by binary search on cumulative weights. */
export class Weighted<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(items: readonly T[], weights: readonly number[]) {
    const kept: T[] = [];
    const cum: number[] = [];
    let total = 0;
    items.forEach((item, i) => {
      const w = weights[i] ?? 0;
      if (w > 0 && Number.isFinite(w)) {
        total += w;
        kept.push(item);
        cum.push(total);
      }
    });
    this.items = kept;
    this.cumulative = Float64Array.from(cum);
    this.total = total;
  }

  get size(): number {
    return this.items.length;
  }

  sample(rng: Rng): T {
    return this.at(rng.float());
  }

  /** The item at quantile u ∈ [0, 1). */
  at(u: number): T {
    const x = u * this.total;
    const c = this.cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((c[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}
