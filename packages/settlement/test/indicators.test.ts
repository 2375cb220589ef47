import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type QcCounts, qcIndicatorsOf } from "../src/index.js";

const counts = (over: Partial<QcCounts>): QcCounts => ({
  lists: 0,
  accepted: 0,
  refused: 0,
  refusedReuploads: 0,
  settledCount: null,
  grouped: 0,
  ambiguous: 0,
  ungrouped: 0,
  ...over,
});

describe("QC indicators: one definition of each rate", () => {
  it("computes each rate from its counts (hand-checked)", () => {
    // 40 lists received of 50 settled; 32 accepted (8 refused); of the accepted, 28 in a DRG,
    // 2 in QY, 2 in 0000.
    const r = qcIndicatorsOf(
      counts({
        lists: 40,
        accepted: 32,
        refused: 8,
        settledCount: 50,
        grouped: 28,
        ambiguous: 2,
        ungrouped: 2,
      }),
    );
    expect(r.uploadRate).toBe(0.8); // 40 ÷ 50: the refused lists arrived too
    expect(r.qcPassRate).toBe(0.8); // 32 ÷ 40
    expect(r.groupingRate).toBe(0.9375); // (28 + 2) ÷ 32: QY counts as grouped
    expect(r.ambiguousShare).toBe(0.0625); // 2 ÷ 32
    expect(r.ungroupedShare).toBe(0.0625); // 2 ÷ 32, over the accepted lists
    expect(r.lists).toBe(40);
  });

  it("a rate with a zero or unknown denominator is null, not 0 or NaN", () => {
    const r = qcIndicatorsOf(counts({}));
    expect([r.uploadRate, r.qcPassRate, r.groupingRate, r.ambiguousShare, r.ungroupedShare]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    // Known to be zero expected: still no rate (0 of 0).
    expect(qcIndicatorsOf(counts({ settledCount: 0 })).uploadRate).toBeNull();
    // Lists but no settled count: the upload rate is unknown, the rest are not.
    const s = qcIndicatorsOf(counts({ lists: 3, accepted: 3, grouped: 3 }));
    expect(s.uploadRate).toBeNull();
    expect(s.qcPassRate).toBe(1);
  });

  it("a sum over periods counts toward the upload rate only the periods whose settled count is known", () => {
    // Period A: 10 lists of 10 settled; period B: 5 lists, its settled count never reported.
    // Upload rate = 10 ÷ 10 = 100%, not 15 ÷ 10; the QC pass rate still counts all 15 lists.
    const r = qcIndicatorsOf(counts({ lists: 15, accepted: 12, settledCount: 10, settledLists: 10 }));
    expect(r.uploadRate).toBe(1);
    expect(r.qcPassRate).toBe(0.8); // 12 ÷ 15
  });

  it("rates stay within [0, 1] and the accepted lists' shares add up to one", () => {
    fc.assert(
      fc.property(
        fc.nat(500),
        fc.nat(500),
        fc.nat(500),
        fc.nat(500),
        fc.option(fc.nat(3000), { nil: null }),
        (grouped, ambiguous, ungrouped, refused, extra) => {
          const accepted = grouped + ambiguous + ungrouped;
          const lists = accepted + refused;
          const settledCount = extra === null ? null : lists + extra;
          const r = qcIndicatorsOf(
            counts({ lists, accepted, refused, settledCount, grouped, ambiguous, ungrouped }),
          );
          for (const rate of [
            r.uploadRate,
            r.qcPassRate,
            r.groupingRate,
            r.ambiguousShare,
            r.ungroupedShare,
          ]) {
            if (rate !== null) expect(rate >= 0 && rate <= 1).toBe(true);
          }
          if (accepted > 0) {
            expect((r.groupingRate ?? 0) + (r.ungroupedShare ?? 0)).toBeCloseTo(1, 12);
          }
        },
      ),
    );
  });
});
