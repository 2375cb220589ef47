import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatFen, parseFen } from "../src/index.js";

const MAX_FEN = 99_999_999_999_999; // 14 digits: ~1e12 yuan, well inside the safe-integer range

describe("money as integer fen", () => {
  it("parses examples exactly", () => {
    expect(parseFen("0.1")).toBe(10);
    expect(parseFen("0.29")).toBe(29);
    expect(parseFen("1.005".slice(0, 4))).toBe(100);
    expect(parseFen(1200.5)).toBe(120_050);
    expect(parseFen(0.07)).toBe(7);
    expect(parseFen(1.15)).toBe(115); // 1.15 * 100 = 114.99999999999999 in floating point
    expect(parseFen("007")).toBe(700);
    for (const bad of ["", ".5", "5.", "-1", "+1", "1e3", " 1", "1 ", "1,000", "0x10", "1.2.3", "１"]) {
      expect(parseFen(bad), bad).toBeNull();
    }
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -0.5, 1e21, 0.125, true, null, {}, [1]]) {
      expect(parseFen(bad), String(bad)).toBeNull();
    }
  });

  it("fen ⇄ decimal string round-trips", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_FEN }), (fen) => {
        const s = formatFen(fen);
        expect(s).toMatch(/^\d+\.\d{2}$/);
        expect(parseFen(s)).toBe(fen);
      }),
    );
  });

  it("decimal string ⇄ fen round-trips to the normal form", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[1-9]\d{0,11}$|^0$/),
        fc.option(fc.stringMatching(/^\d{1,2}$/), { nil: undefined }),
        (int, dec) => {
          const s = dec === undefined ? int : `${int}.${dec}`;
          const fen = parseFen(s);
          expect(fen).not.toBeNull();
          const normal = `${int}.${(dec ?? "").padEnd(2, "0")}`;
          expect(formatFen(fen as number)).toBe(normal);
        },
      ),
    );
  });

  it("a JSON number with at most 2 decimals is read exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), (fen) => {
        const n = JSON.parse(formatFen(fen)) as number;
        expect(parseFen(n)).toBe(fen);
      }),
    );
  });

  it("never accepts 3 or more decimals", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,12}$/), fc.stringMatching(/^\d{3,6}$/), (int, dec) => {
        expect(parseFen(`${int}.${dec}`)).toBeNull();
        const n = Number(`${int}.${dec}`);
        const fen = parseFen(n);
        // As a JSON number it is accepted only as exactly the double it is (nothing changed)...
        if (fen !== null) expect(Number(formatFen(fen))).toBe(n);
        // ...and, where a double holds every digit written (15 significant digits), only when the
        // decimals after the second are zeros. Beyond that, JSON.parse has already made the number
        // the double of the shorter text (90000000000.10001 is the double of 90000000000.1).
        const significant = int.replace(/^0+/, "").length + dec.length;
        if (fen !== null && significant <= 15) expect(/^0*$/.test(dec.slice(2))).toBe(true);
      }),
      { examples: [["90000000000", "10001"]] },
    );
  });

  it("sums of parsed amounts are exact", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 50 }), (fens) => {
        const total = fens.reduce((a, b) => a + b, 0);
        const parsed = fens.map((f) => parseFen(formatFen(f)) as number).reduce((a, b) => a + b, 0);
        expect(parsed).toBe(total);
        expect(parseFen(formatFen(total))).toBe(total);
      }),
    );
  });
});
