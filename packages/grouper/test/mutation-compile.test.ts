// Tests against the surviving mutants of packages/grouper/src/compile-logic.ts (issue 16,
// docs/mutation.md): the gates derived from a condition (splitGate), the row numbering (RowSet) with
// rows whose hashes collide, and the compiled scheme's switches.
import { describe, expect, it } from "vitest";
import { RowSet } from "../src/compile-logic.js";
import { type CompiledAdrg, splitGate } from "../src/scheme.js";
import type { Predicate } from "../src/scheme-source.js";
import { adrg, build, drg, group, LISTS, oneCondition, rec } from "./mutation-scheme.js";

const ids: Record<string, number> = { A: 0, B: 1, C: 2, D: 3 };
const listId = (name: string) => ids[name] as number;
const split = (p: unknown) => splitGate(p as Predicate, listId);

describe("splitGate", () => {
  it("pdxIn and ppxIn are gates and leave nothing", () => {
    expect(split({ pdxIn: "B" })).toEqual({ gates: [{ on: "pdx", lists: [1] }], rest: null });
    expect(split({ ppxIn: "C" })).toEqual({ gates: [{ on: "ppx", lists: [2] }], rest: null });
  });

  it("other conditions are no gate and stay whole", () => {
    for (const p of [{ anyDxIn: "A" }, { sex: "1" }, { not: { pdxIn: "A" } }, { always: true }]) {
      expect(split(p)).toEqual({ gates: [], rest: p });
    }
  });

  it("all: the gates of its parts, and what remains, unwrapped when it is one condition", () => {
    expect(split({ all: [{ pdxIn: "A" }, { ppxIn: "B" }] })).toEqual({
      gates: [
        { on: "pdx", lists: [0] },
        { on: "ppx", lists: [1] },
      ],
      rest: null,
    });
    expect(split({ all: [{ pdxIn: "A" }, { sex: "2" }] })).toEqual({
      gates: [{ on: "pdx", lists: [0] }],
      rest: { sex: "2" },
    });
    expect(split({ all: [{ sex: "2" }, { pdxIn: "D" }, { los: { max: 3 } }] })).toEqual({
      gates: [{ on: "pdx", lists: [3] }],
      rest: { all: [{ sex: "2" }, { los: { max: 3 } }] },
    });
    expect(split({ all: [{ all: [{ pdxIn: "A" }, { sex: "1" }] }, { ppxIn: "C" }] })).toEqual({
      gates: [
        { on: "pdx", lists: [0] },
        { on: "ppx", lists: [2] },
      ],
      rest: { sex: "1" },
    });
  });

  it("any: a gate only when every part gates on the same code, and the whole any remains", () => {
    const same = { any: [{ pdxIn: "A" }, { all: [{ pdxIn: "C" }, { sex: "1" }] }] };
    expect(split(same)).toEqual({ gates: [{ on: "pdx", lists: [0, 2] }], rest: same });
    const px = { any: [{ ppxIn: "B" }, { ppxIn: "D" }] };
    expect(split(px)).toEqual({ gates: [{ on: "ppx", lists: [1, 3] }], rest: px });
    for (const p of [
      { any: [{ pdxIn: "A" }, { ppxIn: "B" }] },
      { any: [{ ppxIn: "A" }, { pdxIn: "B" }] },
      { any: [{ pdxIn: "A" }, { sex: "1" }] },
      { any: [{ sex: "1" }, { pdxIn: "A" }] },
      { any: [{ sex: "1" }] },
    ]) {
      expect(split(p)).toEqual({ gates: [], rest: p });
    }
  });

  it("grouping with gated any: each disjunct's list lets the record through", () => {
    const t = build({
      json: {
        mdcOrder: ["Z"],
        mdcs: [{ code: "Z", when: { any: [{ pdxIn: "LA" }, { pdxIn: "LC" }] }, adrgs: ["ZA1"] }],
        adrgs: [
          adrg("ZA1", "Z", { any: [{ ppxIn: "PX1" }, { all: [{ ppxIn: "PX2" }, { sex: "2" }] }] }, ["ZA11"]),
        ],
        drgs: [drg("ZA11", { always: true })],
        lists: LISTS,
      },
    });
    expect(group(t, rec(["A01.000"], ["10.0000"])).drg).toBe("ZA11");
    expect(group(t, rec(["C01.000"], ["10.0000"])).drg).toBe("ZA11");
    expect(group(t, rec(["B01.000"], ["10.0000"])).drg).toBe("0000");
    expect(group(t, rec(["C01.000"], ["20.0000"], { sex: "2" })).drg).toBe("ZA11");
    expect(group(t, rec(["C01.000"], ["20.0000"], { sex: "1" })).drg).toBe("0000");
    expect(group(t, rec(["C01.000"], ["40.0000"], { sex: "2" })).drg).toBe("0000");
  });
});

describe("RowSet", () => {
  it("numbers distinct rows densely, from any offset, and finds a row again", () => {
    const rows = new RowSet(3);
    expect(rows.add([1, 2, 3], 0)).toBe(0);
    expect(rows.add([9, 1, 2, 3], 1)).toBe(0);
    expect(rows.add([1, 2, 4], 0)).toBe(1);
    expect(rows.add([0, 0, 0], 0)).toBe(2);
    expect(rows.add([2, 1, 3], 0)).toBe(3);
    expect(rows.add([1, 2, 4, 7], 0)).toBe(1);
    expect(rows.values).toEqual([1, 2, 3, 1, 2, 4, 0, 0, 0, 2, 1, 3]);
  });

  it("tells apart rows whose hashes collide", () => {
    // The hash of a row of two: h1 = imul(2 ^ a, K), then imul(h1 ^ b, K) + 1. Rows [a, b] and
    // [a', h1(a) ^ b ^ h1(a')] have the same hash.
    const K = 0x9e3779b1;
    const h1 = (a: number) => Math.imul(2 ^ a, K) | 0;
    const a = [5, 7];
    const b = [6, h1(5) ^ 7 ^ h1(6)];
    const c = [8, h1(5) ^ 7 ^ h1(8)];
    const rows = new RowSet(2);
    expect(rows.add(a, 0)).toBe(0);
    expect(rows.add(b, 0)).toBe(1);
    expect(rows.add(c, 0)).toBe(2);
    expect(rows.add(b, 0)).toBe(1);
    expect(rows.add(c, 0)).toBe(2);
    expect(rows.add(a, 0)).toBe(0);
    expect(rows.values).toEqual([...a, ...b, ...c]);
  });

  it("a row of unsigned words with the top bit set (as in the list masks) is found again", () => {
    const rows = new RowSet(2);
    expect(rows.add(Uint32Array.of(0x80000000, 1), 0)).toBe(0);
    expect(rows.add(Uint32Array.of(0x80000000, 2), 0)).toBe(1);
    expect(rows.add(Uint32Array.of(0x80000000, 1), 0)).toBe(0);
  });
});

describe("the compiled scheme", () => {
  it("the newborn switch: on unless checks.newbornBirthWeight is false", () => {
    expect(oneCondition({ always: true }).compiled.newbornBirthWeightCheck).toBe(true);
  });

  it("readsRecord: a condition on the record's strings anywhere, nested too", () => {
    expect(oneCondition({ always: true }).compiled.readsRecord).toBe(false);
    expect(oneCondition({ los: { max: 3 } }).compiled.readsRecord).toBe(false);
    expect(
      oneCondition({ not: { all: [{ sex: "1" }, { any: [{ dept: ["A"] }] }] } }).compiled.readsRecord,
    ).toBe(true);
    expect(oneCondition({ procedureCount: { min: 1 } }).compiled.readsRecord).toBe(true);
  });

  it("every MDC's entries in whole words; the word's MDC", () => {
    const s = build({
      json: {
        mdcOrder: ["X", "Y"],
        mdcs: [
          { code: "X", when: { pdxIn: "LA" }, adrgs: ["XA1", "XB1"] },
          { code: "Y", when: { pdxIn: "LB" }, adrgs: ["YA1"] },
        ],
        adrgs: [
          adrg("XA1", "X", { ppxIn: "PX1" }, ["XA11"]),
          adrg("XB1", "X", { always: true }, ["XB11"]),
          adrg("YA1", "Y", { always: true }, ["YA11"]),
        ],
        drgs: [drg("XA11", { always: true }), drg("XB11", { always: true }), drg("YA11", { always: true })],
        lists: LISTS,
      },
    });
    const c = s.compiled;
    expect(c.planWords).toBe(2);
    expect(c.planMaskWords).toBe(1);
    expect([...c.wordMdc]).toEqual([0, 1]);
    expect(c.entries.length).toBe(64);
    expect(c.entries.filter((e) => e !== null).length).toBe(3);
    expect(c.mdcs.map((m) => [m.code, m.firstWord, m.endWord, m.test])).toEqual([
      ["X", 0, 1, null],
      ["Y", 1, 2, null],
    ]);
    expect(c.outcomes.map((o) => [o.index, o.status, o.drg])).toEqual([
      [0, "CHECK_FAILED", "0000"],
      [1, "UNGROUPABLE", "0000"],
      [2, "OK", "XA11"],
      [3, "OK", "XB11"],
      [4, "OK", "YA11"],
    ]);
    expect(group(s, rec(["A01.000"], ["10.0000"])).drg).toBe("XA11");
    expect(group(s, rec(["A01.000"], ["20.0000"])).drg).toBe("XB11");
    expect(group(s, rec(["B01.000"], ["10.0000"])).drg).toBe("YA11");
    expect(group(s, rec(["C01.000"], ["10.0000"])).drg).toBe("0000");
  });
});

describe("plans and outcomes at the edges of the code tables", () => {
  it("QY works when or_procedures is the first list", () => {
    const s = build({
      json: {
        mdcOrder: ["Z"],
        mdcs: [{ code: "Z", when: { pdxIn: "LA" }, adrgs: ["ZA1", "QY"] }],
        adrgs: [adrg("ZA1", "Z", { ppxIn: "PX1" }, ["ZA11"])],
        drgs: [drg("ZA11", { always: true })],
        lists: { or_procedures: ["20.0000"], LA: ["A01.000"], PX1: ["10.0000"] },
      },
    });
    expect(s.compiled.orList).toBe(0);
    expect(group(s, rec(["A01.000"], ["40.0000", "20.0000"]))).toMatchObject({
      status: "AMBIGUOUS",
      drg: "ZQY",
    });
    expect(group(s, rec(["A01.000"], ["10.0000"])).drg).toBe("ZA11");
    expect(group(s, rec(["A01.000"], ["40.0000"])).drg).toBe("0000");
  });

  it("a record without a principal procedure or with an unknown one passes no gate on it", () => {
    // The second code interned (id 1) is a procedure of the gate list PX, the second diagnosis of LA.
    const s = build({
      json: {
        mdcOrder: ["Z", "Y"],
        mdcs: [
          { code: "Z", when: { always: true }, adrgs: ["ZA1", "ZB1"] },
          { code: "Y", when: { pdxIn: "LA" }, adrgs: ["YA1"] },
        ],
        adrgs: [
          adrg("ZA1", "Z", { ppxIn: "PX" }, ["ZA11"]),
          adrg("ZB1", "Z", { sex: "2" }, ["ZB11"]),
          adrg("YA1", "Y", { always: true }, ["YA11"]),
        ],
        drgs: [drg("ZA11", { always: true }), drg("ZB11", { always: true }), drg("YA11", { always: true })],
        lists: { PX: ["10.0000", "20.0000"], LA: ["A01.000", "A02.000"] },
      },
    });
    expect(s.compiled.codeIds.get("20.0000")).toBe(1);
    expect(group(s, rec(["A03.000"], ["20.0000"])).drg).toBe("ZA11");
    expect(group(s, rec(["A03.000"], [])).drg).toBe("0000");
    expect(group(s, rec(["A03.000"], ["99.9"])).drg).toBe("0000");
    expect(group(s, rec(["A03.000"], [], { sex: "2" })).drg).toBe("ZB11");
    expect(group(s, rec(["A02.000"], [])).drg).toBe("YA11");
    expect(group(s, rec(["A99.000"], [])).drg).toBe("0000");
  });

  it("a condition that is `always` is not compiled; ADRG entries are of kind adrg", () => {
    const s = oneCondition({ always: true });
    expect(s.compiled.mdcs[0]?.test).toBeNull();
    expect(s.compiled.entries[0]).toMatchObject({ kind: "adrg", code: "ZA1", test: null });
    const e = s.compiled.entries[0] as CompiledAdrg;
    expect(e.drgs.map((d) => d.test)).toEqual([null, null]);
  });

  it("a severity table for DRGs on hasMcc, hasCcOrMcc and always only", () => {
    const table = (ws: unknown[]) => {
      const s = build({
        json: {
          mdcOrder: ["Z"],
          mdcs: [{ code: "Z", when: { always: true }, adrgs: ["ZA1"] }],
          adrgs: [adrg("ZA1", "Z", { always: true }, ["ZA11", "ZA13", "ZA15"].slice(0, ws.length))],
          drgs: ws.map((w, i) => drg(["ZA11", "ZA13", "ZA15"][i] as string, w)),
          lists: LISTS,
        },
      });
      const e = s.compiled.entries[0] as CompiledAdrg;
      return e.bySeverity?.map((o) => o?.drg ?? null) ?? null;
    };
    expect(table([{ hasMcc: true }, { hasCcOrMcc: true }, { always: true }])).toEqual([
      "ZA15",
      "ZA13",
      "ZA11",
    ]);
    expect(table([{ hasCcOrMcc: true }, { always: true }])).toEqual(["ZA13", "ZA11", "ZA11"]);
    expect(table([{ always: true }, { hasMcc: true }])).toEqual(["ZA11", "ZA11", "ZA11"]);
    expect(table([{ hasMcc: true }])).toEqual([null, null, "ZA11"]);
    expect(table([{ hasMcc: true }, { not: { hasMcc: true } }])).toBeNull();
    expect(table([{ sex: "1" }])).toBeNull();
  });
});
