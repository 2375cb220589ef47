// Tests against the surviving mutants of packages/kernel/src/money.ts (issue 16, docs/mutation.md):
// the refusals with their messages, the bigint helpers, the unsafe-product path of mulDivRound and
// the order of the largest-remainder allocation. Every expected value is worked out by hand in the
// comment beside it.
import { describe, expect, it } from "vitest";
import {
  allocateLargestRemainder,
  divCeilBig,
  divFloorBig,
  divRoundBig,
  formatRatio,
  formatRational,
  MoneyFormatError,
  mulDivRound,
  mulPpm,
  mulRationalRound,
  parseFen,
  parseRatio,
  parseYuan,
  sumFen,
  toSafeNumber,
} from "../src/money.js";

const MAX = Number.MAX_SAFE_INTEGER; // 9 007 199 254 740 991

describe("parseYuan and parseRatio refusals", () => {
  it("names the error and the field in the message", () => {
    const err = (() => {
      try {
        parseYuan("abc");
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(MoneyFormatError);
    expect((err as MoneyFormatError).name).toBe("MoneyFormatError");
    expect(() => parseYuan("abc")).toThrow("金额格式错误：「abc」不是十进制数");
    expect(() => parseYuan("1.234")).toThrow("金额「1.234」小数位超过 2 位");
    expect(() => parseRatio("x")).toThrow("比例格式错误");
    expect(() => parseRatio("1.5x%")).toThrow("比例格式错误");
    expect(() => parseRatio("1.2345‰")).toThrow("比例「1.2345」小数位超过 3 位");
  });

  it("trims the text before reading it", () => {
    expect(parseYuan(" 12.5 ")).toBe(1250);
    expect(parseRatio(" 80% ")).toBe(800_000);
    expect(parseRatio(" 1.5 ")).toBe(1_500_000);
  });

  it("reads a JSON number ratio through its text", () => {
    expect(parseRatio(1.26)).toBe(1_260_000);
    expect(parseRatio(0.5)).toBe(500_000);
  });

  it("reads a per-mille ratio with more than one digit", () => {
    // 12‰ = 0.012 = 12 000 ppm; 2.5‰ = 2 500 ppm.
    expect(parseRatio("12‰")).toBe(12_000);
    expect(parseRatio("2.5‰")).toBe(2500);
    expect(parseRatio("12.5%")).toBe(125_000);
  });

  it("refuses amounts beyond the safe-integer range, at the edge", () => {
    // 90 071 992 547 409.91 元 = 9 007 199 254 740 991 fen = MAX_SAFE_INTEGER: accepted.
    expect(parseYuan("90071992547409.91")).toBe(MAX);
    // .99 → 9 007 199 254 740 999 fen: beyond the range, though the integer part × 100 is not.
    expect(() => parseYuan("90071992547409.99")).toThrow("金额「90071992547409.99」超出可精确表示的范围");
    // 90 071 992 547 410 元 × 100 = 9 007 199 254 741 000 > MAX.
    expect(() => parseYuan("90071992547410")).toThrow(MoneyFormatError);
  });
});

describe("parseFen edges", () => {
  it("counts integer digits including leading zeros (at most 14)", () => {
    expect(parseFen("00000000000001")).toBe(100); // 14 digits: 1 元
    expect(parseFen("000000000000001")).toBeNull(); // 15 digits
  });

  it("refuses a non-digit just below '0' or just above '9' after the point", () => {
    expect(parseFen("1.0/")).toBeNull(); // '/' is 47
    expect(parseFen("1.0:")).toBeNull(); // ':' is 58
    expect(parseFen("1./")).toBeNull();
    expect(parseFen("1.:")).toBeNull();
    expect(parseFen("1.09")).toBe(109);
  });
});

describe("formatRatio", () => {
  it("drops trailing zeros down to the requested decimals", () => {
    expect(formatRatio(1_260_000)).toBe("1.26");
    expect(formatRatio(1_000_000)).toBe("1.00");
    expect(formatRatio(1_234_567)).toBe("1.234567");
    expect(formatRatio(1_200_000, 0)).toBe("1.2");
    expect(formatRatio(1_000_000, 0)).toBe("1");
    expect(formatRatio(50)).toBe("0.00005");
    expect(formatRatio(-500_000)).toBe("-0.50");
    expect(formatRatio(2_500_000, 3)).toBe("2.500");
    expect(formatRatio(0)).toBe("0.00"); // zero has no sign
  });
});

describe("bigint division", () => {
  it("rounds half away from zero (divRoundBig)", () => {
    expect(divRoundBig(1n, 2n)).toBe(1n); // 0.5 → 1
    expect(divRoundBig(-1n, 2n)).toBe(-1n); // −0.5 → −1
    expect(divRoundBig(5n, 2n)).toBe(3n); // 2.5 → 3
    expect(divRoundBig(-5n, 2n)).toBe(-3n);
    expect(divRoundBig(7n, 3n)).toBe(2n); // 2.33 → 2
    expect(divRoundBig(-7n, 3n)).toBe(-2n);
    expect(divRoundBig(8n, 3n)).toBe(3n); // 2.67 → 3
    expect(divRoundBig(-8n, 3n)).toBe(-3n);
    expect(divRoundBig(6n, 3n)).toBe(2n);
    expect(divRoundBig(4n, 10n)).toBe(0n); // 0.4 → 0
  });

  it("floors and ceils (divFloorBig, divCeilBig)", () => {
    expect(divFloorBig(7n, 2n)).toBe(3n);
    expect(divFloorBig(-7n, 2n)).toBe(-4n);
    expect(divFloorBig(-6n, 2n)).toBe(-3n);
    expect(divFloorBig(6n, 2n)).toBe(3n);
    expect(divFloorBig(0n, 5n)).toBe(0n);
    expect(divCeilBig(7n, 2n)).toBe(4n);
    expect(divCeilBig(-7n, 2n)).toBe(-3n);
    expect(divCeilBig(6n, 2n)).toBe(3n);
  });

  it("multiplies by a rational and formats it", () => {
    expect(mulRationalRound(10n, { num: 1n, den: 4n })).toBe(3n); // 2.5 → 3
    expect(mulRationalRound(7n, { num: 2n, den: 3n })).toBe(5n); // 4.67 → 5
    expect(formatRational({ num: 1n, den: 3n }, 4)).toBe("0.3333");
    expect(formatRational({ num: 2n, den: 3n }, 2)).toBe("0.67");
    expect(formatRational({ num: -5n, den: 4n }, 1)).toBe("-1.3"); // −1.25 → −1.3
    expect(formatRational({ num: 7n, den: 2n }, 0)).toBe("4"); // 3.5 → 4
    expect(formatRational({ num: 1n, den: 20n }, 2)).toBe("0.05");
    expect(formatRational({ num: 0n, den: 7n }, 2)).toBe("0.00"); // zero has no sign
  });
});

describe("mulDivRound outside the safe product range", () => {
  it("computes the exact product in bigint", () => {
    // 3 000 000 000 001 fen × 50% = 1 500 000 000 000.5 fen → 1 500 000 000 001 (half up); the
    // double product 1.5e18 + 5e5 is not exact and would round down.
    expect(mulPpm(3_000_000_000_001, 500_000)).toBe(1_500_000_000_001);
    expect(mulPpm(-3_000_000_000_001, 500_000)).toBe(-1_500_000_000_001);
    // MAX × 3 / 3 = MAX exactly.
    expect(mulDivRound(MAX, 3, 3)).toBe(MAX);
    expect(mulDivRound(-MAX, 3, 3)).toBe(-MAX);
    expect(() => mulDivRound(MAX, 3, 1)).toThrow(RangeError);
  });

  it("toSafeNumber accepts ±MAX and refuses one beyond", () => {
    expect(toSafeNumber(BigInt(MAX))).toBe(MAX);
    expect(toSafeNumber(-BigInt(MAX))).toBe(-MAX);
    expect(() => toSafeNumber(BigInt(MAX) + 1n)).toThrow("超出可精确表示的整数范围");
    expect(() => toSafeNumber(-BigInt(MAX) - 1n)).toThrow(RangeError);
  });

  it("sumFen adds and refuses an unsafe total", () => {
    expect(sumFen([1, 2, 3])).toBe(6);
    expect(sumFen([10, -3])).toBe(7);
    expect(sumFen([])).toBe(0);
    expect(() => sumFen([MAX, 1])).toThrow("金额合计超出可精确表示的范围");
  });
});

describe("allocateLargestRemainder", () => {
  it("refuses a negative or fractional total and negative weights", () => {
    expect(() => allocateLargestRemainder(-1, [1])).toThrow("待分配金额 -1 须为非负整数分");
    expect(() => allocateLargestRemainder(1.5, [1])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(10, [1, -1, 5])).toThrow("分配权重不能为负");
  });

  it("allocates 0 and refuses a non-zero total over zero weights", () => {
    expect(allocateLargestRemainder(0, [1, 2])).toEqual([0, 0]);
    expect(allocateLargestRemainder(0, [0, 0])).toEqual([0, 0]);
    expect(() => allocateLargestRemainder(5, [0, 0])).toThrow("分配权重之和为零，无法分配非零金额");
  });

  it("gives the extra fen to the largest remainder, not the largest weight", () => {
    // 5 × 3/8 = 1.875, 5 × 5/8 = 3.125 → floors 1 + 3, the extra fen to .875.
    expect(allocateLargestRemainder(5, [3, 5])).toEqual([2, 3]);
    // 5 × 5/8 = 3.125, 5 × 3/8 = 1.875 → the extra fen to the second part.
    expect(allocateLargestRemainder(5, [5, 3])).toEqual([3, 2]);
    // 10 × 1/7 = 1.43, 2.86, 5.71 → floors 1, 2, 5; two extra fen to .86 and .71.
    expect(allocateLargestRemainder(10, [1, 2, 4])).toEqual([1, 3, 6]);
    // 10 × 2/13 = 1.54, ×5/13 = 3.85, ×6/13 = 4.62 → floors 1,3,4; extra two to .85 and .62.
    expect(allocateLargestRemainder(10, [2, 5, 6])).toEqual([1, 4, 5]);
  });

  it("breaks ties by the lower index", () => {
    expect(allocateLargestRemainder(1, [1, 1, 1])).toEqual([1, 0, 0]);
    expect(allocateLargestRemainder(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(allocateLargestRemainder(3, [1, 1, 1, 1])).toEqual([1, 1, 1, 0]);
    expect(allocateLargestRemainder(5, [1, 1, 1, 1, 1, 1, 1, 1])).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
    // Ties after a larger remainder: 4 × 1/6, 2/6, 1/6, 2/6 → 0.67, 1.33, 0.67, 1.33: floors
    // 0,1,0,1; two extra fen to the two .67 parts, lower index first.
    expect(allocateLargestRemainder(4, [1, 2, 1, 2])).toEqual([1, 1, 1, 1]);
    // 3 × 1/6, 2/6, 1/6, 2/6 → 0.5, 1, 0.5, 1: floors 0,1,0,1, the extra fen to index 0.
    expect(allocateLargestRemainder(3, [1, 2, 1, 2])).toEqual([1, 1, 0, 1]);
  });
});
