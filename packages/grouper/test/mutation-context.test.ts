// Tests against the surviving mutants of packages/grouper/src/context.ts (issue 16, docs/mutation.md):
// records with more codes than the context's first arrays hold, a context reused for the next record
// keeping nothing, and the secondary codes added only when a condition needs them — severity up to the
// first MCC, then the rest for a condition on every diagnosis, and the procedures on their own.
import { describe, expect, it } from "vitest";
import { CodeIndex } from "../src/code-index.js";
import { groupRecord, recordContext } from "../src/group.js";
import {
  addDiagnosis,
  addProcedure,
  beginRecord,
  compilePredicate,
  completeContext,
  completeDiagnoses,
  completeProcedures,
  completeSeverity,
  deferSecondaries,
  RecordContext,
  releaseRecord,
  severityOf,
} from "../src/scheme.js";
import type { GroupingRecord } from "../src/types.js";
import { type CcRow, holds, oneCondition, reasonsOf, rec } from "./mutation-scheme.js";

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

describe("the context's steps, one by one (as a reader of raw records uses them)", () => {
  const s = () => withCc({ anyDxIn: "LC" });
  /** A context with the principal codes in and the secondary ones pending. */
  function started(r: GroupingRecord) {
    const scheme = s();
    const c = scheme.compiled;
    const ctx = new RecordContext();
    beginRecord(c, ctx, r.sex, r.ageYears, r.ageDays, r.birthWeight, r.los);
    if (r.diagnoses.length > 0) addDiagnosis(c, ctx, c.codeIds.find(r.diagnoses[0] as string));
    if (r.procedures.length > 0) addProcedure(c, ctx, c.codeIds.find(r.procedures[0] as string));
    deferSecondaries(ctx, r);
    return { scheme, ctx };
  }

  it("nothing is pending for a record with one code of each", () => {
    const { ctx } = started(rec(["A03.000"], ["10.0000"]));
    expect([ctx.pending, ctx.dxPending, ctx.pxPending]).toEqual([null, false, false]);
    const none = started(rec(["A03.000"], []));
    expect([none.ctx.pending, none.ctx.dxPending, none.ctx.pxPending]).toEqual([null, false, false]);
  });

  it("severity stops at the first MCC and leaves the rest pending; the rest completes it", () => {
    const r = rec(["A03.000", "K01.000", "M01.000", "B01.000", "C01.000"], ["10.0000", "30.0000"]);
    const { scheme, ctx } = started(r);
    expect([ctx.pending, ctx.dxPending, ctx.pxPending]).toEqual([r, true, true]);
    completeSeverity(ctx);
    expect([ctx.severity, ctx.dxCount, ctx.dxPending, ctx.pending]).toEqual([2, 3, true, r]);
    completeDiagnoses(ctx);
    expect([ctx.dxCount, ctx.dxPending, ctx.pxPending, ctx.pending]).toEqual([5, false, true, r]);
    expect(compilePredicate(scheme.compiled, { anyDxIn: "LC" })(ctx)).toBe(true);
    completeProcedures(ctx);
    expect([ctx.pxCount, ctx.pxPending, ctx.pending]).toEqual([2, false, null]);
    completeContext(ctx);
    expect([ctx.dxCount, ctx.pxCount]).toEqual([5, 2]);
  });

  it("severity that needs every diagnosis marks them all in; procedures first, then diagnoses", () => {
    const r = rec(["A03.000", "K01.000", "X00.000"], ["10.0000", "30.0000"]);
    const { ctx } = started(r);
    completeProcedures(ctx);
    expect([ctx.pxCount, ctx.pxPending, ctx.dxPending, ctx.pending]).toEqual([2, false, true, r]);
    completeSeverity(ctx);
    expect([ctx.severity, ctx.dxCount, ctx.dxPending, ctx.pending]).toEqual([1, 3, false, null]);
    completeSeverity(ctx);
    completeDiagnoses(ctx);
    expect(ctx.dxCount).toBe(3);
  });

  it("diagnoses only: completing them drops the record", () => {
    const r = rec(["A03.000", "K01.000"], []);
    const { ctx } = started(r);
    expect([ctx.dxPending, ctx.pxPending, ctx.pending]).toEqual([true, false, r]);
    completeDiagnoses(ctx);
    expect([ctx.dxCount, ctx.dxPending, ctx.pending]).toEqual([2, false, null]);
    const p = started(rec(["A03.000"], ["10.0000", "20.0000"]));
    completeProcedures(p.ctx);
    expect([p.ctx.pxCount, p.ctx.pxPending, p.ctx.pending]).toEqual([2, false, null]);
    const q = started(rec(["A03.000", "M01.000", "B01.000"], []));
    completeSeverity(q.ctx);
    expect([q.ctx.dxCount, q.ctx.dxPending, q.ctx.pending]).toEqual([2, true, q.ctx.pending]);
    expect(q.ctx.pending).not.toBeNull();
    const t = started(rec(["A03.000", "K01.000"], ["10.0000", "20.0000"]));
    completeSeverity(t.ctx);
    expect([t.ctx.dxCount, t.ctx.dxPending, t.ctx.pxPending, t.ctx.pending === null]).toEqual([
      2,
      false,
      true,
      false,
    ]);
  });

  it("releaseRecord drops the record and what was pending", () => {
    const r = rec(["A03.000", "K01.000"], ["10.0000", "20.0000"]);
    const { ctx } = started(r);
    ctx.record = r;
    releaseRecord(ctx);
    expect([ctx.pending, ctx.record, ctx.dxPending, ctx.pxPending]).toEqual([null, null, false, false]);
  });

  it("a context reused after a record with three summary words keeps none of its bits", () => {
    // 70 summarised lists: three words of summary, more than a fresh context holds.
    const lists: Record<string, string[]> = { LA: ["A01.000"], PX1: ["10.0000"], or_procedures: ["10.0000"] };
    for (let i = 0; i < 70; i++) lists[`S${i}`] = [`S${i}.000`, `${i}.5`];
    const others = Array.from({ length: 67 }, (_, i) => ({ not: { anyDxIn: `S${i + 1}` } }));
    const p = { all: [{ anyDxIn: "S69" }, { anyPxIn: "S68" }, { not: { anyDxIn: "S0" } }, ...others] };
    const scheme = oneCondition(p, { lists });
    expect(scheme.compiled.summaryWords).toBe(3);
    expect(holds(scheme, rec(["A03.000", "S69.000"], ["10.0000", "68.5"]))).toBe(true);
    expect(holds(scheme, rec(["A03.000", "S69.000"], ["10.0000", "67.5"]))).toBe(false);
    expect(holds(scheme, rec(["A03.000", "S68.000"], ["10.0000", "68.5"]))).toBe(false);
    expect(holds(scheme, rec(["A03.000", "S69.000", "S0.000"], ["10.0000", "68.5"]))).toBe(false);
    const ctx = recordContext(scheme, rec(["S69.000"], ["68.5"]));
    expect(ctx.dxLists.length).toBeGreaterThanOrEqual(3);
  });
});

describe("a code in slot 0 of the code index", () => {
  // The only code of the scheme, chosen so that it lands in slot 0 of a table of 16 slots.
  const q = Array.from({ length: 500 }, (_, i) => `Q${i}.000`).find((c) => CodeIndex.of([c]).find(c) === 0);
  const scheme = (p: unknown) =>
    oneCondition(p, {
      lists: { L: [q as string] },
      cc: [{ code: q as string, level: "MCC", table: "" }],
    });

  it("exists", () => {
    expect(q).toBeDefined();
    expect(scheme({ always: true }).compiled.codeIds.find(q as string)).toBe(0);
  });

  it("counts as a diagnosis, a procedure and an MCC like any other code", () => {
    const c = q as string;
    expect(holds(scheme({ pdxIn: "L" }), rec([c]))).toBe(true);
    expect(holds(scheme({ anyDxIn: "L" }), rec(["A00.000", c]))).toBe(true);
    expect(holds(scheme({ ppxIn: "L" }), rec(["A00.000"], [c]))).toBe(true);
    expect(holds(scheme({ anyPxIn: "L" }), rec(["A00.000"], ["00.0", c]))).toBe(true);
    expect(holds(scheme({ hasMcc: true }), rec(["A00.000", c]))).toBe(true);
    expect(holds(scheme({ hasMcc: true }), rec(["A00.000", "B00.000"]))).toBe(false);
    expect(holds(scheme({ traumaDiagnosesAtLeast: { min: 2, lists: ["L"] } }), rec([c, "A00.000", c]))).toBe(
      true,
    );
  });

  it("is explained once as an MCC, and an unknown code not at all", () => {
    const c = q as string;
    expect(reasonsOf(scheme({ always: true }), rec(["A00.000", c, "B00.000"]))).toBe(
      [
        `次要诊断 ${c} 为 MCC，计入`,
        "病例伴严重并发症或合并症（MCC）",
        "进入 MDCZ：无附加条件",
        "入 ADRG ZA1：无附加条件",
        "入 DRG ZA11 ZA11 名：无附加条件",
      ].join("\n"),
    );
    expect(reasonsOf(scheme({ always: true }), rec(["A00.000", "B00.000"])).split("\n")[0]).toBe(
      "病例无计入的 CC/MCC",
    );
  });
});
