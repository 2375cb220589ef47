import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allocateLargestRemainder,
  divRound,
  divRoundBig,
  formatRatio,
  formatRational,
  formatYuan,
  MoneyFormatError,
  mulDivRound,
  mulPpm,
  parseRatio,
  parseYuan,
} from "../src/money.js";

describe("money (金额)", () => {
  it("parses decimal yuan exactly into fen", () => {
    expect(parseYuan("17214.6")).toBe(1721460);
    expect(parseYuan("3216.77")).toBe(321677);
    expect(parseYuan("0.01")).toBe(1);
    expect(parseYuan("8811")).toBe(881100);
    expect(parseYuan(12.34)).toBe(1234);
    expect(parseYuan("-5.5")).toBe(-550);
    expect(() => parseYuan("1.234")).toThrow(MoneyFormatError);
    expect(() => parseYuan("1e3")).toThrow(MoneyFormatError);
    expect(() => parseYuan("")).toThrow(MoneyFormatError);
    expect(() => parseYuan("99999999999999999")).toThrow(MoneyFormatError);
  });

  it("formats fen as yuan with two decimals", () => {
    expect(formatYuan(1721460)).toBe("17214.60");
    expect(formatYuan(5)).toBe("0.05");
    expect(formatYuan(-611221)).toBe("-6112.21");
    expect(formatYuan(0)).toBe("0.00");
  });

  it("round-trips yuan text", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (fen) => {
        expect(parseYuan(formatYuan(fen))).toBe(fen);
      }),
    );
  });

  it("parses ratios as exact ppm", () => {
    expect(parseRatio("1.26")).toBe(1_260_000);
    expect(parseRatio("80%")).toBe(800_000);
    expect(parseRatio("3‰")).toBe(3_000);
    expect(parseRatio("0.000001")).toBe(1);
    expect(parseRatio("12.5%")).toBe(125_000);
    expect(() => parseRatio("0.0000001")).toThrow(MoneyFormatError);
    expect(formatRatio(1_260_000)).toBe("1.26");
    expect(formatRatio(1_000_000, 0)).toBe("1");
    expect(formatRatio(3_000, 2)).toBe("0.003");
  });

  it("rounds half away from zero (四舍五入) at the fen", () => {
    expect(divRound(5, 10)).toBe(1);
    expect(divRound(4, 10)).toBe(0);
    expect(divRound(-5, 10)).toBe(-1);
    expect(divRound(-4, 10)).toBe(0);
    expect(divRound(15, 10)).toBe(2);
    expect(divRoundBig(25n, 10n)).toBe(3n);
    expect(divRoundBig(-25n, 10n)).toBe(-3n);
    // The ambiguous-group example: 17652.11 × 0.8 = 14121.688 → 14121.69
    expect(mulPpm(1765211, 800_000)).toBe(1412169);
  });

  it("mulDivRound is exact beyond the safe range (bigint fallback)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 1, max: 1e9 }),
        (a, b, d) => {
          const exact = divRoundBig(BigInt(a) * BigInt(b), BigInt(d));
          fc.pre(exact <= BigInt(Number.MAX_SAFE_INTEGER));
          expect(BigInt(mulDivRound(a, b, d))).toBe(exact);
        },
      ),
    );
  });

  it("formats rationals", () => {
    expect(formatRational({ num: 1n, den: 3n }, 6)).toBe("0.333333");
    expect(formatRational({ num: 2n, den: 3n }, 2)).toBe("0.67");
    expect(formatRational({ num: 881100n, den: 100n }, 2)).toBe("8811.00");
  });
});

describe("largest-remainder allocation (最大余额法)", () => {
  it("splits 100 fen into thirds without losing a fen", () => {
    expect(allocateLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateLargestRemainder(0, [0, 0])).toEqual([0, 0]);
    expect(allocateLargestRemainder(10, [0, 3])).toEqual([0, 10]);
    expect(() => allocateLargestRemainder(10, [0, 0])).toThrow(RangeError);
  });

  it("parts always sum to the total and each is within one fen of its exact share", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 40 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0));
          const parts = allocateLargestRemainder(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0);
          parts.forEach((p, i) => {
            const exactNum = BigInt(total) * BigInt(weights[i] as number);
            // floor(exact) ≤ p ≤ floor(exact) + 1
            const fl = exactNum / BigInt(sum);
            expect(BigInt(p) >= fl && BigInt(p) <= fl + 1n).toBe(true);
          });
        },
      ),
    );
  });
});
