/** Readmission gaps (再住院): one pass per person over the stays laid out contiguously. */

import type { StaySummary } from "./stay.js";

/**
 * For each stay, the days from its discharge to the person's next admission (in any hospital), or
 * -1 when there is none. The next admission is the earliest stay that comes after this one in the
 * order (admission day, discharge day, 结算ID) and is admitted on or after the discharge day; stays
 * overlapping this one (admitted before its discharge) are not readmissions.
 */
export function readmissionGaps(
  stays: readonly StaySummary[],
  valid: Uint8Array,
  adm: Int32Array,
  dscg: Int32Array,
): Int32Array {
  const n = stays.length;
  const gaps = new Int32Array(n).fill(-1);
  // Person numbers, then the stays of each person laid out contiguously (counting sort), so no
  // per-person arrays are allocated.
  const personNo = new Map<string, number>();
  const personOf = new Int32Array(n).fill(-1);
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (valid[i] === 0) continue;
    const p = (stays[i] as StaySummary).personId;
    let k = personNo.get(p);
    if (k === undefined) {
      k = counts.length;
      personNo.set(p, k);
      counts.push(0);
    }
    personOf[i] = k;
    counts[k] = (counts[k] as number) + 1;
  }
  const persons = counts.length;
  const start = new Int32Array(persons + 1);
  for (let k = 0; k < persons; k++) start[k + 1] = (start[k] as number) + (counts[k] as number);
  const fill = start.slice(0, persons);
  const slots = new Int32Array(start[persons] as number);
  for (let i = 0; i < n; i++) {
    const k = personOf[i] as number;
    if (k < 0) continue;
    slots[fill[k] as number] = i;
    fill[k] = (fill[k] as number) + 1;
  }
  for (let k = 0; k < persons; k++) {
    const lo = start[k] as number;
    const hi = start[k + 1] as number;
    if (hi - lo < 2) continue;
    // Insertion sort by (admission, discharge, input order): a person has few stays.
    for (let x = lo + 1; x < hi; x++) {
      const v = slots[x] as number;
      let y = x - 1;
      while (y >= lo && before(stays, v, slots[y] as number, adm, dscg)) {
        slots[y + 1] = slots[y] as number;
        y--;
      }
      slots[y + 1] = v;
    }
    // The first admission on or after a discharge is found by a forward scan from the next stay;
    // overlapping stays (admitted before the discharge: rare data errors) are skipped.
    for (let x = lo; x < hi; x++) {
      const i = slots[x] as number;
      const out = dscg[i] as number;
      for (let y = x + 1; y < hi; y++) {
        const a = adm[slots[y] as number] as number;
        if (a >= out) {
          gaps[i] = a - out;
          break;
        }
      }
    }
  }
  return gaps;
}

/** Stay order within a person: admission day, discharge day, then 结算ID (as SQL can order too). */
function before(
  stays: readonly StaySummary[],
  i: number,
  j: number,
  adm: Int32Array,
  dscg: Int32Array,
): boolean {
  const a = (adm[i] as number) - (adm[j] as number);
  if (a !== 0) return a < 0;
  const d = (dscg[i] as number) - (dscg[j] as number);
  if (d !== 0) return d < 0;
  const si = (stays[i] as StaySummary).setlId;
  const sj = (stays[j] as StaySummary).setlId;
  return si !== sj ? si < sj : i < j;
}
