/**
 * Boundary tests of the starter rule thresholds (issue 16): each at its value, one step below and
 * one above. The expected thresholds are the published choices written here by hand (split
 * admission 14 days, repeated admission 10 days, surgery fee 300 元 for 高码低编), so a change to
 * the rule data or to the comparison fails here.
 */
import { describe, expect, it } from "vitest";
import { detectReadmissions, staysByPerson } from "../src/detect-population.js";
import { detectDowncoding, detectLowIndication } from "../src/detect-stay.js";
import { paymentStay, settleAsUploaded } from "../src/pricing.js";
import { context, stay } from "./helpers.js";

describe("split admission (分解住院): readmission within 14 days of discharge", () => {
  const ctx = context();
  // First stay: admitted day 19 500, 4 days, discharged day 19 504; gap = next admission − 19 504.
  const found = (gap: number, person: string) => {
    const a = stay({ diagnoses: ["J15.902"], cost: 300_000, person, adm: 19_500, los: 4 });
    const b = stay({ diagnoses: ["J15.902"], cost: 300_000, person, adm: 19_504 + gap, los: 4 });
    return detectReadmissions(staysByPerson([a, b]), ctx).map((f) => f.violation);
  };
  it("day 14 is inside the window, day 15 outside", () => {
    expect(found(13, "E13")).toEqual(["split_admission"]);
    expect(found(14, "E14")).toEqual(["split_admission"]);
    expect(found(15, "E15")).toEqual([]);
  });
  it("readmission on the day of discharge (gap 0) and a 4-day gap count; a 25-day one does not", () => {
    expect(found(0, "E00")).toEqual(["split_admission"]);
    expect(found(4, "E04")).toEqual(["split_admission"]);
    expect(found(5, "E05")).toEqual(["split_admission"]);
    expect(found(25, "E25")).toEqual([]);
  });
  it("a readmission in another hospital is not a split admission (sameHospital)", () => {
    const a = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "EH", adm: 19_500, los: 4 });
    const b = stay({
      diagnoses: ["J15.902"],
      cost: 300_000,
      person: "EH",
      adm: 19_510,
      los: 4,
      hospital: "H2",
    });
    expect(detectReadmissions(staysByPerson([a, b]), ctx)).toEqual([]);
  });
});

describe("repeated admission (重复住院): another illness within 10 days", () => {
  const ctx = context();
  const found = (gap: number, person: string) => {
    const a = stay({ diagnoses: ["J15.902"], cost: 300_000, person, adm: 19_500, los: 4 });
    const b = stay({ diagnoses: ["I63.903"], cost: 800_000, person, adm: 19_504 + gap, los: 6 });
    return detectReadmissions(staysByPerson([a, b]), ctx).map((f) => f.violation);
  };
  it("day 10 is inside the window, day 11 outside", () => {
    expect(found(9, "R09")).toEqual(["repeated_admission"]);
    expect(found(10, "R10")).toEqual(["repeated_admission"]);
    expect(found(11, "R11")).toEqual([]);
  });
});

describe("downcoding into a high outlier (高码低编): surgery fee of at least 300 元", () => {
  const ctx = context({ procedureByPrincipal: new Map([["K81.002", "51.2300"]]) });
  // The fund-loss worked example of downcoding (HU15 high outlier, regrouped to HC25) with the surgery fee at the edge.
  const finding = (surgery: number) => {
    const s = stay({
      diagnoses: ["K81.002"],
      cost: 1_721_460,
      patientShare: 321_677,
      fees: { "06": surgery, "09": 1_721_460 - surgery },
    });
    return detectDowncoding(s, ctx, settleAsUploaded(s, ctx.settlement));
  };
  it("29 999 fen is not enough; 30 000 and 30 001 fen are", () => {
    expect(finding(29_999)).toBeNull();
    expect(finding(30_000)?.pricing?.corrected[0]?.drg).toBe("HC25");
    expect(finding(30_001)?.pricing?.corrected[0]?.drg).toBe("HC25");
  });
  it("a 1-fen surgery fee is not a sign of a missing operation", () => {
    expect(finding(1)).toBeNull();
  });
});

describe("low-indication admission (低指征住院): at most 3 days, 2% other fees, 60% of the group mean", () => {
  const ctx = context();
  // J15.902 → ES35, group mean cost 4581.72 元 (458 172 fen); exams 03/04 and basic care 09 allowed.
  const found = (p: { los?: number; cost?: number; other?: number }) => {
    const cost = p.cost ?? 150_000;
    const other = p.other ?? 0;
    const s = stay({
      diagnoses: ["J15.902"],
      cost,
      los: p.los ?? 2,
      fees: { "03": 60_000, "05": other, "09": cost - 60_000 - other },
    });
    expect(s.group.drg).toBe("ES35");
    return detectLowIndication(s, ctx)?.violation ?? null;
  };
  it("3 days is short enough, 4 days is not", () => {
    expect(found({ los: 3 })).toBe("low_indication");
    expect(found({ los: 4 })).toBeNull();
  });
  it("other fees of exactly 2% of the cost pass, one fen more does not", () => {
    expect(found({ other: 2_999 })).toBe("low_indication");
    expect(found({ other: 3_000 })).toBe("low_indication"); // 2% of 150 000
    expect(found({ other: 3_001 })).toBeNull();
  });
  it("a cost up to 0.6 × 458 172 = 274 903.2 fen passes, 274 904 does not", () => {
    expect(found({ cost: 274_903 })).toBe("low_indication");
    expect(found({ cost: 274_904 })).toBeNull();
  });
});

describe("pricing: the payment stay carries the list's 离院方式 (issue 14)", () => {
  it("dischargeWay from the grouping record; absent when the list gives none", () => {
    const s = stay({ diagnoses: ["K80.100"], cost: 1_000_000 });
    expect(paymentStay(s).dischargeWay).toBe("1");
    expect(paymentStay({ ...s, record: { ...s.record, dischargeWay: "5" } }).dischargeWay).toBe("5");
    expect("dischargeWay" in paymentStay({ ...s, record: { ...s.record, dischargeWay: "" } })).toBe(false);
  });
});
