// Tests against the surviving mutants of packages/grouper/src/context.ts (issue 16, docs/mutation.md):
// records with more codes than the context's first arrays hold, a context reused for the next record
// keeping nothing, and the secondary codes added only when a condition needs them — severity up to the
// first MCC, then the rest for a condition on every diagnosis, and the procedures on their own.
import { describe, expect, it } from "vitest";
import { groupRecord, recordContext } from "../src/group.js";
import { compilePredicate, RecordContext, severityOf } from "../src/scheme.js";
import { type CcRow, holds, oneCondition, rec } from "./mutation-scheme.js";

const CC: CcRow[] = [
  { code: "M01.000", level: "MCC", table: "T1" },
  { code: "K01.000", level: "CC", table: "T2" },
];
const EXCLUSION = [["A01.000", "T1"]] as const;
const withCc = (p: unknown) => oneCondition(p, { cc: CC, exclusion: EXCLUSION });

const many = (n: number, code: string) => Array.from({ length: n }, () => code);

describe("records with many codes", () => {
  it("the tenth diagnosis and the seventh procedure are read", () => {
    const dx = oneCondition({ anyDxIn: "LB" });
    expect(holds(dx, rec(["A03.000", ...many(8, "X00.000"), "B02.000"]))).toBe(true);
    expect(holds(dx, rec(["A03.000", ...many(9, "X00.000")]))).toBe(false);
    const px = oneCondition({ anyPxIn: "PX2" });
    expect(holds(px, rec(["A03.000"], ["40.0000", ...many(5, "99.9"), "30.0000"]))).toBe(true);
    expect(holds(px, rec(["A03.000"], ["40.0000", ...many(6, "99.9")]))).toBe(false);
    const sev = withCc({ hasMcc: true });
    expect(holds(sev, rec(["A03.000", ...many(16, "X00.000"), "M01.000"]))).toBe(true);
    expect(holds(sev, rec(["A01.000", ...many(16, "X00.000"), "M01.000"]))).toBe(false);
    const trauma = oneCondition({ traumaDiagnosesAtLeast: { min: 10, lists: ["LA"] } });
    expect(holds(trauma, rec(many(10, "A01.000")))).toBe(true);
    expect(holds(trauma, rec([...many(9, "A01.000"), "B01.000"]))).toBe(false);
    const count = oneCondition({ procedureCount: { min: 9 } });
    expect(holds(count, rec(["A03.000"], many(9, "99.9")))).toBe(true);
    expect(holds(count, rec(["A03.000"], many(8, "99.9")))).toBe(false);
  });

  it("the principal procedure is looked up with a principal diagnosis or without one", () => {
    const s = oneCondition({ always: true });
    const ppx = compilePredicate(s.compiled, { ppxIn: "PX1" });
    const pdx = compilePredicate(s.compiled, { pdxIn: "LA" });
    const withBoth = recordContext(s, rec(["A01.000"], ["10.0000"]));
    expect([pdx(withBoth), ppx(withBoth)]).toEqual([true, true]);
    const pxOnly = recordContext(s, rec([], ["10.0000"]));
    expect([pxOnly.dxCount, pxOnly.pxCount, ppx(pxOnly), pdx(pxOnly)]).toEqual([0, 1, true, false]);
    const dxOnly = recordContext(s, rec(["A02.000"], []));
    expect([dxOnly.dxCount, dxOnly.pxCount, ppx(dxOnly), pdx(dxOnly)]).toEqual([1, 0, false, true]);
    const unknown = recordContext(s, rec(["A99.000", "A01.000"], ["19.0000", "10.0000"]));
    expect([pdx(unknown), ppx(unknown)]).toEqual([false, false]);
    expect([unknown.dx[0], unknown.px[0]]).toEqual([-1, -1]);
  });
});

describe("a context reused for the next record keeps nothing of the previous one", () => {
  it("lists, severity, exclusion table and plan rows are reset", () => {
    const s = withCc({ any: [{ anyDxIn: "LB" }, { anyPxIn: "PX2" }, { hasCcOrMcc: true }] });
    expect(holds(s, rec(["A03.000", "B01.000"]))).toBe(true);
    expect(holds(s, rec(["A03.000"]))).toBe(false);
    expect(holds(s, rec(["A03.000"], ["40.0000", "30.0000"]))).toBe(true);
    expect(holds(s, rec(["A03.000"], ["40.0000"]))).toBe(false);
    expect(holds(s, rec(["A03.000", "K01.000"]))).toBe(true);
    expect(holds(s, rec(["A03.000", "X00.000"]))).toBe(false);
    const mcc = withCc({ hasMcc: true });
    expect(holds(mcc, rec(["A01.000", "K01.000"]))).toBe(false); // T1 set as the principal's table
    expect(holds(mcc, rec(["A03.000", "M01.000"]))).toBe(true); // no table now: the MCC counts
    const pdx = oneCondition({ all: [{ pdxIn: "LA" }, { ppxIn: "PX1" }] });
    expect(holds(pdx, rec(["A01.000"], ["10.0000"]))).toBe(true);
    expect(holds(pdx, rec(["A99.000"], ["19.0000"]))).toBe(false);
    expect(holds(pdx, rec(["A01.000"], []))).toBe(false);
  });

  it("a fresh RecordContext starts empty", () => {
    const ctx = new RecordContext();
    expect([ctx.sex, ctx.ageYears, ctx.ageDays, ctx.birthWeight, ctx.los]).toEqual(["", null, null, null, 0]);
    expect([ctx.dxCount, ctx.pxCount, ctx.severity, ctx.pdxTable, ctx.pending, ctx.record]).toEqual([
      0,
      0,
      0,
      -1,
      null,
      null,
    ]);
    expect([ctx.dxPending, ctx.pxPending, ctx.compiled]).toEqual([false, false, null]);
  });

  it("no record is held after grouping", () => {
    const s = oneCondition({ anyDxIn: "LB" });
    const ctx = recordContext(s, rec(["A03.000", "B01.000"], ["10.0000", "20.0000"]));
    expect([ctx.pending, ctx.dxPending, ctx.pxPending]).toEqual([null, false, false]);
    expect([ctx.dxCount, ctx.pxCount]).toEqual([2, 2]);
  });
});

describe("secondary codes added when a condition needs them", () => {
  it("severity stops at the first MCC; a later condition on every diagnosis still sees the rest", () => {
    const s = withCc({ all: [{ hasMcc: true }, { anyDxIn: "LB" }] });
    expect(holds(s, rec(["A03.000", "M01.000", "B01.000"]))).toBe(true);
    expect(holds(s, rec(["A03.000", "M01.000", "X00.000", "B02.000"]))).toBe(true);
    expect(holds(s, rec(["A03.000", "M01.000", "C01.000"]))).toBe(false);
    expect(holds(s, rec(["A03.000", "K01.000", "B01.000"]))).toBe(false);
    const t = withCc({ all: [{ hasMcc: true }, { regionsAtLeast: { min: 2, lists: ["LB", "LC"] } }] });
    expect(holds(t, rec(["A03.000", "M01.000", "B01.000", "C01.000"]))).toBe(true);
    const u = withCc({ all: [{ hasMcc: true }, { traumaDiagnosesAtLeast: { min: 2, lists: ["LB"] } }] });
    expect(holds(u, rec(["A03.000", "M01.000", "B01.000", "B02.000"]))).toBe(true);
    expect(holds(u, rec(["A03.000", "M01.000", "B01.000", "C01.000"]))).toBe(false);
  });

  it("severity after every diagnosis was added, and a CC then an MCC", () => {
    const s = withCc({ all: [{ anyDxIn: "LB" }, { hasMcc: true }] });
    expect(holds(s, rec(["A03.000", "B01.000", "M01.000"]))).toBe(true);
    expect(holds(s, rec(["A03.000", "K01.000", "B01.000"]))).toBe(false);
    const ctx = recordContext(s, rec(["A03.000", "K01.000", "X00.000", "M01.000", "B01.000"]));
    expect(severityOf(s.compiled, ctx)).toBe(2);
    expect(ctx.dxCount).toBe(5);
  });

  it("diagnoses and procedures pending together, completed in either order", () => {
    const a = withCc({ all: [{ hasMcc: true }, { anyPxIn: "PX2" }] });
    expect(holds(a, rec(["A03.000", "K01.000", "M01.000"], ["10.0000", "30.0000"]))).toBe(true);
    expect(holds(a, rec(["A03.000", "K01.000", "M01.000"], ["10.0000", "40.0000"]))).toBe(false);
    expect(holds(a, rec(["A03.000", "K01.000"], ["10.0000", "30.0000"]))).toBe(false);
    const b = withCc({ all: [{ anyPxIn: "PX2" }, { hasCcOrMcc: true }, { anyDxIn: "LB" }] });
    expect(holds(b, rec(["A03.000", "K01.000", "B01.000"], ["10.0000", "30.0000"]))).toBe(true);
    expect(holds(b, rec(["A03.000", "K01.000", "C01.000"], ["10.0000", "30.0000"]))).toBe(false);
    const c = withCc({ all: [{ anyDxIn: "LB" }, { anyPxIn: "PX2" }] });
    expect(holds(c, rec(["A03.000", "B01.000"], ["10.0000", "30.0000"]))).toBe(true);
    expect(holds(c, rec(["A03.000", "B01.000"], ["10.0000"]))).toBe(false);
    const d = withCc({ all: [{ hasMcc: true }, { anyDxIn: "LB" }, { anyPxIn: "PX2" }] });
    expect(holds(d, rec(["A03.000", "M01.000", "B01.000"], ["10.0000", "30.0000"]))).toBe(true);
    expect(holds(d, rec(["A03.000", "M01.000", "X00.000"], ["10.0000", "30.0000"]))).toBe(false);
  });

  it("the explanation adds every code first and gives the same group", () => {
    const s = withCc({ all: [{ hasMcc: true }, { anyDxIn: "LB" }] });
    const r = rec(["A03.000", "M01.000", "B01.000"], ["10.0000", "30.0000"]);
    expect(groupRecord(s, r, { explain: true }).drg).toBe("ZA11");
    expect(groupRecord(s, r).drg).toBe("ZA11");
  });
});
