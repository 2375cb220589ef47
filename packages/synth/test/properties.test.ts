import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { civil, civilDayNumber as dayNumber, formatDay, parseDay } from "../src/calendar.js";
import { allocateExact, classify, type FeeItem, itemsTotal, settle } from "../src/costs.js";
import { generateRegion } from "../src/generate.js";
import { DEFAULT_PROFILE, type HospitalLevel } from "../src/profile.js";
import { Rng, Weighted } from "../src/random.js";
import { certnoOf, isValidCertno } from "../src/region.js";
import { checkSettlementList } from "../src/verify.js";
import { demoScheme } from "./shared.js";

describe("invariants", () => {
  it("allocateExact splits any total exactly into non-negative parts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e10 }),
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 15 }),
        (total, weights) => {
          const parts = allocateExact(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          for (const p of parts) expect(Number.isInteger(p) && p >= 0).toBe(true);
        },
      ),
    );
  });

  it("settlement: fund + self-pay + own-pay = total, account + cash = personal, all in whole fen", () => {
    const item = fc
      .tuple(
        fc.constantFrom("01", "03", "04", "05", "06", "08", "09", "11"),
        fc.integer({ min: 1, max: 5e7 }),
        fc.integer(),
      )
      .map(([c, amt, seed]) => classify(new Rng(seed), DEFAULT_PROFILE, c, amt));
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 12 }),
        fc.constantFrom<"310" | "390">("310", "390"),
        fc.boolean(),
        fc.constantFrom<HospitalLevel>("1", "2", "3"),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (items: FeeItem[], insuranceType, assisted, level, repeat, share) => {
          for (const i of items)
            expect(i.classAFen + i.classBFen + i.ownPayFen + i.otherFen).toBe(i.amountFen);
          const m = settle(DEFAULT_PROFILE, items, { insuranceType, assisted }, level, repeat, share);
          const fund = m.funds.reduce((a, f) => a + f.amountFen, 0);
          expect(m.totalFen).toBe(itemsTotal(items));
          expect(fund + m.selfPayFen + m.ownPayFen).toBe(m.totalFen);
          expect(m.accountPayFen + m.cashPayFen).toBe(m.selfPayFen + m.ownPayFen);
          for (const v of [fund, m.selfPayFen, m.ownPayFen, m.accountPayFen, m.cashPayFen]) {
            expect(Number.isInteger(v) && v >= 0).toBe(true);
          }
          if (insuranceType === "390") expect(m.accountPayFen).toBe(0);
        },
      ),
    );
  });

  it("calendar: day numbers and civil dates round-trip", () => {
    fc.assert(
      fc.property(fc.integer({ min: -50_000, max: 80_000 }), (n) => {
        const { year, month, day } = civil(n);
        expect(dayNumber(year, month, day)).toBe(n);
        expect(parseDay(formatDay(n))).toBe(n);
      }),
    );
    expect(formatDay(dayNumber(2024, 2, 29))).toBe("2024-02-29");
  });

  it("certnos carry a valid check character and reject any single-digit change", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 16 }),
        (n, seq, pos) => {
          const c = certnoOf("329902", formatDay(n), seq);
          expect(isValidCertno(c)).toBe(true);
          const digit = Number(c[pos]);
          const changed = c.slice(0, pos) + String((digit + 1) % 10) + c.slice(pos + 1);
          expect(isValidCertno(changed)).toBe(false);
        },
      ),
    );
  });

  it("the PRNG is deterministic and weighted sampling respects zero weights", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = new Rng(seed);
        const b = new Rng(seed);
        for (let i = 0; i < 20; i++) expect(a.u32()).toBe(b.u32());
        const w = new Weighted(["a", "b", "c"], [1, 0, 2]);
        for (let i = 0; i < 20; i++) expect(w.sample(a)).not.toBe("b");
      }),
    );
  });

  it("any seed yields consistent lists (demo scheme, with injection)", async () => {
    const scheme = await demoScheme();
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.double({ min: 0, max: 0.5, noNaN: true }), async (seed, rate) => {
        const region = generateRegion({ seed, stays: 60, scheme, inject: { rate } });
        let n = 0;
        for (const s of region.stays()) {
          n++;
          expect(checkSettlementList(s.message, scheme)).toEqual([]);
          for (const h of s.label?.honest ?? []) expect(checkSettlementList(h.message, scheme)).toEqual([]);
        }
        expect(n).toBe(60);
      }),
      { numRuns: 15 },
    );
  });
});
