/** Deterministic sampling helpers of the clinical model (stable per scheme and salt, independent of the seed). */

import { Rng, unitHash } from "./random.js";

/** A standard normal value determined by a key (stable per group, independent of the seed). */
export function normalFromHash(key: string, salt: number): number {
  const u1 = Math.max(1e-9, unitHash(key, salt));
  const u2 = unitHash(key, salt ^ 0x5bd1e995);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Up to `n` items of `all`, chosen and ordered deterministically by `salt`. */
export function deterministicSample<T>(all: readonly T[], n: number, salt: number): T[] {
  if (all.length === 0 || n <= 0) return [];
  const rng = new Rng(salt >>> 0, 3);
  const copy = all.slice();
  const m = Math.min(n, copy.length);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(copy.length - i);
    const t = copy[i] as T;
    copy[i] = copy[j] as T;
    copy[j] = t;
  }
  return copy.slice(0, m);
}
