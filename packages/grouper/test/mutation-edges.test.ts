// Tests against the last killable survivors of the grouper's rule code (issue 16, docs/mutation.md):
// an ADRG whose DRGs all fail outside the severity table, `always` nested in other conditions, a
// condition value that is a string, codes added one by one past the context's first arrays, and the
// count of trauma diagnoses on a fresh context. Expected groups worked out by hand from each scheme.
import { describe, expect, it } from "vitest";
import { CodeIndex } from "../src/code-index.js";
import { groupRecord } from "../src/group.js";
import { addDiagnosis, addProcedure, beginRecord, RecordContext } from "../src/scheme.js";
import { SchemeError } from "../src/scheme-source.js";
import { adrg, build, type CcRow, drg, holds, LISTS, oneCondition, rec } from "./mutation-scheme.js";

describe("the walk goes on past an ADRG whose DRGs all fail (no severity table, no fallback)", () => {
  it("to the next ADRG, explained or not", () => {
    const s = build({
      json: {
        mdcOrder: ["Z"],
        mdcs: [{ code: "Z", when: { always: true }, adrgs: ["ZA1", "ZB1"] }],
        adrgs: [adrg("ZA1", "Z", { always: true }, ["ZA11"]), adrg("ZB1", "Z", { always: true }, ["ZB11"])],
        drgs: [drg("ZA11", { sex: "2" }), drg("ZB11", { always: true })],
        lists: LISTS,
      },
    });
    expect(groupRecord(s, rec(["A01.000"], [], { sex: "1" })).drg).toBe("ZB11");
    expect(groupRecord(s, rec(["A01.000"], [], { sex: "2" })).drg).toBe("ZA11");
    expect(groupRecord(s, rec(["A01.000"], [], { sex: "1" }), { explain: true }).drg).toBe("ZB11");
  });
});

describe("always inside other conditions", () => {
  it("holds under all and any, and its negation never holds", () => {
    expect(holds(oneCondition({ not: { always: true } }), rec(["A03.000"]))).toBe(false);
    expect(
      holds(oneCondition({ all: [{ always: true }, { sex: "2" }] }), rec(["A03.000"], [], { sex: "2" })),
    ).toBe(true);
    expect(
      holds(oneCondition({ all: [{ always: true }, { sex: "2" }] }), rec(["A03.000"], [], { sex: "1" })),
    ).toBe(false);
    expect(
      holds(oneCondition({ any: [{ always: true }, { sex: "2" }] }), rec(["A03.000"], [], { sex: "1" })),
    ).toBe(true);
  });
});

describe("a bound given as a string", () => {
  it("is refused as not a range object", () => {
    let message = "";
    try {
      oneCondition({ ageYears: "18" });
    } catch (e) {
      expect(e).toBeInstanceOf(SchemeError);
      message = (e as SchemeError).problems.map((x) => `${x.path}: ${x.message}`).join("\n");
    }
    expect(message).toBe("$.drgs[0](ZA11).when.ageYears: 应为非空的数值范围对象");
  });
});

describe("codes added one by one past the context's first arrays", () => {
  it("every diagnosis and procedure slot is kept", () => {
    const s = oneCondition({ always: true });
    const c = s.compiled;
    const ctx = new RecordContext();
    beginRecord(c, ctx, "1", 40, null, null, 5);
    const dx = [
      "A01.000",
      "A02.000",
      "B01.000",
      "B02.000",
      "C01.000",
      "X1",
      "X2",
      "X3",
      "A01.000",
      "B02.000",
      "C01.000",
    ];
    const px = ["10.0000", "20.0000", "30.0000", "X4", "10.0000", "30.0000"];
    for (const d of dx) addDiagnosis(c, ctx, c.codeIds.find(d));
    for (const p of px) addProcedure(c, ctx, c.codeIds.find(p));
    expect(ctx.dxCount).toBe(11);
    expect(ctx.pxCount).toBe(6);
    expect([...ctx.dx.subarray(0, 11)]).toEqual(dx.map((d) => c.codeIds.find(d)));
    expect([...ctx.px.subarray(0, 6)]).toEqual(px.map((p) => c.codeIds.find(p)));
    expect(ctx.dx[8]).toBeGreaterThanOrEqual(0);
    expect(ctx.px[5]).toBeGreaterThanOrEqual(0);
  });

  it("severity over more than eight diagnoses, then a count over all of them", () => {
    const cc: CcRow[] = [{ code: "K01.000", level: "CC", table: "T2" }];
    const p = { all: [{ hasCcOrMcc: true }, { traumaDiagnosesAtLeast: { min: 9, lists: ["LA"] } }] };
    const s = oneCondition(p, { cc, exclusion: [["A01.000", "T1"]] });
    const eight = Array.from({ length: 8 }, () => "A01.000");
    expect(holds(s, rec([...eight, "K01.000", "A02.000"]))).toBe(true);
    expect(holds(s, rec([...eight, "K01.000", "B01.000"]))).toBe(false);
  });
});

describe("the count of trauma diagnoses reads the record's diagnoses only", () => {
  // The only code of the scheme, in slot 0 of the index: a fresh context's unused slots are 0 too.
  const q = Array.from({ length: 500 }, (_, i) => `Q${i}.000`).find((c) => CodeIndex.of([c]).find(c) === 0);

  it("one diagnosis in the list is not two", () => {
    expect(q).toBeDefined();
    const s = oneCondition(
      { traumaDiagnosesAtLeast: { min: 2, lists: ["L"] } },
      { lists: { L: [q as string] } },
    );
    expect(holds(s, rec([q as string]))).toBe(false);
    expect(holds(s, rec([q as string, q as string]))).toBe(true);
  });
});
