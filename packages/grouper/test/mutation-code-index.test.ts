// Tests against the surviving mutants of packages/grouper/src/code-index.ts (issue 16,
// docs/mutation.md): codes at the edges of packing (1, 4, 5, 8, 9, 12 and 13 characters, U+00FF and
// U+0100, U+0000 at either end), lookups by string, by bytes, alone, in pairs and in rounds, with
// offsets, for codes held and not held, and an index that grows.
import { describe, expect, it } from "vitest";
import { CodeIndex, INLINE_CHARS } from "../src/code-index.js";

const bytesOf = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/** Codes at every edge of packing, each with a near miss that the index must not confuse with it. */
const EDGES = [
  "A",
  "AB",
  "ABCD",
  "ABCDE",
  "ABCDEFGH",
  "ABCDEFGHI",
  "ABCDEFGHIJKL", // 12: the longest packed code
  "ABCDEFGHIJKLM", // 13: unpacked
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  "A\u00ff",
  "A\u0100",
  "\u0000A",
  "A\u0000",
  "A\u0000B",
  "病例",
  "Z99.999x999+A01.000*",
];
const MISSES = [
  "B",
  "ABC",
  "ABCDX",
  "ABCDEFGX",
  "ABCDEFGHX",
  "ABCDEFGHIJKX",
  "ABCDEFGHIJKLX",
  "ABCDEFGHIJKLMN",
  "A\u00fe",
  "A\u0101",
  "\u0000B",
  "B\u0000",
  "A\u0000C",
  "病",
  "Z99.999x999+A01.000#",
  "",
];

describe("CodeIndex at the edges of packing", () => {
  it("12 characters fit in a slot", () => {
    expect(INLINE_CHARS).toBe(12);
  });

  it("finds every edge code by string, and none of its near misses", () => {
    const index = CodeIndex.of(EDGES);
    expect(index.size).toBe(EDGES.length);
    EDGES.forEach((c, i) => {
      expect(index.get(c)).toBe(i);
      expect(index.code(index.idAt(index.find(c)))).toBe(c);
    });
    for (const c of MISSES) {
      expect(index.find(c)).toBe(-1);
      expect(index.get(c)).toBe(-1);
    }
  });

  it("finds them in rounds from an offset, to an offset, and in pairs", () => {
    const index = CodeIndex.of(EDGES);
    const asked = ["x", "y", ...EDGES, ...MISSES];
    const out = new Int32Array(asked.length + 3).fill(-7);
    index.findAll(asked, 2, out, 3);
    expect([...out.subarray(0, 3)]).toEqual([-7, -7, -7]);
    asked.slice(2).forEach((c, i) => {
      expect(out[3 + i]).toBe(index.find(c));
    });
    for (let i = 0; i < EDGES.length; i++) expect(index.idAt(out[3 + i] as number)).toBe(i);
    // Nothing to look up: out is left alone.
    const none = Int32Array.of(5);
    index.findAll(["A"], 1, none, 0);
    expect([...none]).toEqual([5]);
    const pair = new Int32Array(2);
    for (const [a, b] of [
      ["ABCDEFGHIJKLM", "A"],
      ["A", "ABCDEFGHIJKLM"],
      ["病例", "A\u0000"],
      ["ABCDEFGHIJKL", "nope"],
      ["nope-nope-nope", "ABCD"],
    ] as const) {
      index.findPair(a, b, pair);
      expect([...pair]).toEqual([index.find(a), index.find(b)]);
    }
    index.findPair("ABCDEFGHIJKLM", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", pair);
    expect([index.idAt(pair[0] as number), index.idAt(pair[1] as number)]).toEqual([7, 8]);
  });

  it("finds the ASCII ones by bytes, alone and in rounds", () => {
    const index = CodeIndex.of(EDGES);
    const ascii = [...EDGES, ...MISSES].filter((c) => [...c].every((ch) => ch.charCodeAt(0) < 0x80));
    const text = ascii.join(" ");
    const bytes = bytesOf(text);
    const ranges = new Int32Array(ascii.length * 2);
    let at = 0;
    ascii.forEach((c, i) => {
      ranges[2 * i] = at;
      ranges[2 * i + 1] = at + c.length;
      expect(index.findAscii(bytes, at, at + c.length)).toBe(index.find(c));
      at += c.length + 1;
    });
    const out = new Int32Array(ascii.length).fill(-7);
    index.findAllAscii(bytes, ranges, ascii.length, out);
    expect([...out]).toEqual(ascii.map((c) => index.find(c)));
    const untouched = Int32Array.of(9);
    index.findAllAscii(bytes, ranges, 0, untouched);
    expect([...untouched]).toEqual([9]);
  });

  it("a long code is told apart by bytes from one of another length or another last byte", () => {
    const index = CodeIndex.of(["ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOQ", "ABCDEFGHIJKLMNOPQ"]);
    for (const [c, id] of [
      ["ABCDEFGHIJKLMNOP", 0],
      ["ABCDEFGHIJKLMNOQ", 1],
      ["ABCDEFGHIJKLMNOPQ", 2],
      ["ABCDEFGHIJKLMNOR", -1],
      ["ABCDEFGHIJKLMNO", -1],
      ["ABCDEFGHIJKLMNOPQR", -1],
    ] as const) {
      const b = bytesOf(`[${c}]`);
      const slot = index.findAscii(b, 1, b.length - 1);
      expect(slot < 0 ? -1 : index.idAt(slot)).toBe(id);
    }
  });

  it("rounds of more codes than its scratch holds", () => {
    const codes = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? `LONG-CODE-NUMBER-${i}` : `C${i}`));
    const index = CodeIndex.of(codes);
    const out = new Int32Array(codes.length);
    index.findAll(codes, 0, out, 0);
    expect([...out].map((s) => index.idAt(s))).toEqual(codes.map((_, i) => i));
    const bytes = bytesOf(codes.join(""));
    const ranges = new Int32Array(codes.length * 2);
    let at = 0;
    codes.forEach((c, i) => {
      ranges[2 * i] = at;
      ranges[2 * i + 1] = at + c.length;
      at += c.length;
    });
    const byBytes = new Int32Array(codes.length);
    index.findAllAscii(bytes, ranges, codes.length, byBytes);
    expect([...byBytes]).toEqual([...out]);
  });
});

describe("CodeIndex payloads and growth", () => {
  it("payloads are 0 until set, and set by id", () => {
    const index = CodeIndex.of(["A", "B", "LONG-CODE-NUMBER-1"]);
    expect(index.valueAt(index.find("B"))).toBe(0);
    index.setValue(1, 42);
    index.setValue(2, -3);
    expect(index.valueAt(index.find("B"))).toBe(42);
    expect(index.valueAt(index.find("A"))).toBe(0);
    expect(index.valueAt(index.find("LONG-CODE-NUMBER-1"))).toBe(-3);
  });

  it("interns new codes with the next id, keeps ids and payloads as it grows past its first size", () => {
    const index = new CodeIndex(1);
    const codes = Array.from({ length: 200 }, (_, i) => (i % 5 === 0 ? `LONG-CODE-NUMBER-${i}` : `K${i}`));
    codes.forEach((c, i) => {
      expect(index.intern(c)).toBe(i);
      index.setValue(i, 1000 + i);
      expect(index.size).toBe(i + 1);
    });
    codes.forEach((c, i) => {
      expect(index.intern(c)).toBe(i);
      expect(index.get(c)).toBe(i);
      expect(index.valueAt(index.find(c))).toBe(1000 + i);
      expect(index.code(i)).toBe(c);
    });
    expect(index.size).toBe(200);
    expect(index.get("K1000")).toBe(-1);
  });

  it("an index sized for its codes holds exactly them", () => {
    for (const n of [0, 1, 11, 12, 13, 24, 25, 48, 49]) {
      const codes = Array.from({ length: n }, (_, i) => `N${i}`);
      const index = CodeIndex.of(codes);
      codes.forEach((c, i) => {
        expect(index.get(c)).toBe(i);
      });
      expect(index.get(`N${n}`)).toBe(-1);
    }
  });
});

describe("CodeIndex lookups that must not read or write past their codes", () => {
  it("the empty code can be held (unpacked) and found", () => {
    const index = CodeIndex.of(["", "A"]);
    expect(index.get("")).toBe(0);
    expect(index.get("A")).toBe(1);
    const b = bytesOf("xAx");
    expect(index.idAt(index.findAscii(b, 1, 1))).toBe(0);
    expect(index.idAt(index.findAscii(b, 1, 2))).toBe(1);
  });

  it("a character above U+00FF after the fourth or eighth one makes a code unpacked", () => {
    const codes = ["ABCD\u0100", "ABCDEFGH\u0100", "ABCDEFG\u0100H", "ABCDEFGHIJK\u0100"];
    const index = CodeIndex.of(codes);
    codes.forEach((c, i) => {
      expect(index.get(c)).toBe(i);
    });
    const out = new Int32Array(codes.length);
    index.findAll(codes, 0, out, 0);
    expect([...out].map((s) => index.idAt(s))).toEqual([0, 1, 2, 3]);
    expect(index.get("ABCD\u0101")).toBe(-1);
    expect(index.get("ABCDEFGH")).toBe(-1);
  });

  it("rounds write exactly one slot per code", () => {
    const index = CodeIndex.of(["A", "B", "LONG-CODE-NUMBER-1"]);
    const out = new Int32Array(8).fill(-7);
    index.findAll(["A", "B", "LONG-CODE-NUMBER-1"], 1, out, 2);
    expect(out[0]).toBe(-7);
    expect(out[1]).toBe(-7);
    expect(index.idAt(out[2] as number)).toBe(1);
    expect(index.idAt(out[3] as number)).toBe(2);
    expect([...out.subarray(4)]).toEqual([-7, -7, -7, -7]);
    const bytes = bytesOf("ABLONG-CODE-NUMBER-1");
    const ranges = Int32Array.of(0, 1, 1, 2, 2, 20);
    const byBytes = new Int32Array(6).fill(-7);
    index.findAllAscii(bytes, ranges, 3, byBytes);
    expect([...byBytes.subarray(0, 3)].map((s) => index.idAt(s))).toEqual([0, 1, 2]);
    expect([...byBytes.subarray(3)]).toEqual([-7, -7, -7]);
  });

  it("codes sharing their first (and last) packed words are told apart in a crowded table", () => {
    // 12 codes in 16 slots: long probe runs through codes that differ only in one packed word.
    const w1 = Array.from({ length: 12 }, (_, i) => `ABCD${String.fromCharCode(65 + i)}`);
    const w2 = Array.from({ length: 12 }, (_, i) => `ABCDEFGH${String.fromCharCode(65 + i)}`);
    for (const held of [w1, w2]) {
      const index = CodeIndex.of(held);
      held.forEach((c, i) => {
        expect(index.get(c)).toBe(i);
        const b = bytesOf(c);
        expect(index.findAscii(b, 0, b.length)).toBe(index.find(c));
      });
      for (let i = 12; i < 26; i++) {
        const miss = `${(held[0] as string).slice(0, -1)}${String.fromCharCode(65 + i)}`;
        expect(index.find(miss)).toBe(-1);
        const b = bytesOf(miss);
        expect(index.findAscii(b, 0, b.length)).toBe(-1);
      }
    }
  });

  it("every code of many small tables, whatever its first slot (slot 0 too), by string and bytes", () => {
    let slotZero = 0;
    for (let j = 0; j < 50; j++) {
      const codes = Array.from({ length: 12 }, (_, i) => `J${j}.${i}`);
      const index = CodeIndex.of(codes);
      const bytes = bytesOf(codes.join(""));
      const ranges = new Int32Array(codes.length * 2);
      let at = 0;
      codes.forEach((c, i) => {
        ranges[2 * i] = at;
        ranges[2 * i + 1] = at + c.length;
        expect(index.findAscii(bytes, at, at + c.length)).toBe(index.find(c));
        at += c.length;
        if (index.find(c) === 0) slotZero++;
      });
      const out = new Int32Array(codes.length);
      index.findAllAscii(bytes, ranges, codes.length, out);
      expect([...out].map((s) => index.idAt(s))).toEqual(codes.map((_, i) => i));
      const pair = new Int32Array(2);
      index.findPair(codes[0] as string, codes[11] as string, pair);
      expect([index.idAt(pair[0] as number), index.idAt(pair[1] as number)]).toEqual([0, 11]);
    }
    expect(slotZero).toBeGreaterThan(0);
  });
});

describe("unpacked codes whose hashes collide", () => {
  // Two codes of 14 characters with the same 32-bit hash (found by a search over WIDE-<9 digits>,
  // replaying the index's murmur3 mixing): only the comparison of the characters tells them apart.
  const A = "WIDE-000151453";
  const B = "WIDE-000217520";

  it("holding one, the other is not found, by string or by bytes", () => {
    const index = CodeIndex.of([A]);
    expect(index.get(A)).toBe(0);
    expect(index.get(B)).toBe(-1);
    const b = bytesOf(`(${B})`);
    expect(index.findAscii(b, 1, b.length - 1)).toBe(-1);
    const a = bytesOf(`(${A})`);
    expect(index.idAt(index.findAscii(a, 1, a.length - 1))).toBe(0);
  });

  it("holding both, each is found as itself", () => {
    const index = CodeIndex.of([A, B]);
    for (const [c, id] of [
      [A, 0],
      [B, 1],
    ] as const) {
      const b = bytesOf(c);
      expect(index.idAt(index.findAscii(b, 0, b.length))).toBe(id);
      expect(index.get(c)).toBe(id);
    }
  });
});
