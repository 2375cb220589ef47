import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allocateLargestRemainder,
  divRound,
  formatFen,
  formatYuan,
  MoneyFormatError,
  mulPpm,
  parseFen,
  parseRatio,
  parseYuan,
} from "../src/money.js";

describe("money", () => {
  it("parses yuan text exactly into fen", () => {
    expect(parseYuan("17214.6")).toBe(1_721_460);
    expect(parseYuan("0.01")).toBe(1);
    expect(parseYuan("-3.5")).toBe(-350);
    expect(parseYuan(12.34)).toBe(1234);
    expect(() => parseYuan("1.234")).toThrow(MoneyFormatError);
    expect(() => parseYuan("1e3")).toThrow(MoneyFormatError);
  });

  it("reads wire amounts (N16,2) and refuses anything else with null", () => {
    expect(parseFen("123.45")).toBe(12_345);
    expect(parseFen("7")).toBe(700);
    expect(parseFen("0.5")).toBe(50);
    expect(parseFen(12.34)).toBe(1234);
    for (const bad of ["", "-1", "+1", "1.", ".5", "1.234", "1e2", " 1"])
      expect(parseFen(bad), bad).toBeNull();
    expect(parseFen("12345678901234.5")).toBe(1_234_567_890_123_450); // 14 integer digits
    expect(parseFen("123456789012345")).toBeNull(); // 15 integer digits
    expect(parseFen(0.125)).toBeNull();
    expect(parseFen(Number.NaN)).toBeNull();
    expect(parseFen(null)).toBeNull();
  });

  it("formats fen with two decimals", () => {
    expect(formatYuan(1_721_460)).toBe("17214.60");
    expect(formatYuan(5)).toBe("0.05");
    expect(formatYuan(-350)).toBe("-3.50");
    expect(formatFen(0)).toBe("0.00");
  });

  it("rounds an exact half fen away from zero", () => {
    // 1 fen × 50% = 0.5 fen → 1; 3 fen × 50% = 1.5 → 2; −1/2 → −1.
    expect(mulPpm(1, 500_000)).toBe(1);
    expect(mulPpm(3, 500_000)).toBe(2);
    expect(divRound(-1, 2)).toBe(-1);
    expect(divRound(-3, 2)).toBe(-2);
    expect(divRound(7, 3)).toBe(2);
    // 17652.11 元 × 80% = 14121.688 元 → 14121.69 元.
    expect(mulPpm(1_765_211, 800_000)).toBe(1_412_169);
  });

  it("parses ratios into ppm", () => {
    expect(parseRatio("1.26")).toBe(1_260_000);
    expect(parseRatio("80%")).toBe(800_000);
    expect(parseRatio("3‰")).toBe(3000);
  });

  it("allocates by largest remainder, summing exactly", () => {
    // 100 fen over 1:1:1 → 33.33 each, the extra fen to the first.
    expect(allocateLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });

  it("property: parseYuan ∘ formatYuan is the identity on fen", () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        expect(parseYuan(formatYuan(fen))).toBe(fen);
      }),
    );
  });

  it("property: parseFen ∘ formatFen is the identity on wire amounts (safe integers)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        expect(parseFen(formatFen(fen))).toBe(fen);
      }),
    );
  });

  it("property: allocations sum to the total", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc
          .array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 20 })
          .filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = allocateLargestRemainder(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        },
      ),
    );
  });
});
