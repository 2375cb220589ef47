/**
 * Further tests written against the surviving mutants of the per-stay and cross-stay detectors
 * (issue 16, docs/mutation.md): cost shifting of a stay of no cost, with an empty group exam share or
 * a zero covered-own-pay share; low indication of a QY stay and with a partial loss share on an
 * unpriceable stay; tier crossing between equal excesses and its fund loss; readmissions with one of
 * the two rules off. Expected values are hand-calculated in the comments (ES35 4581.72 元).
 */
import { describe, expect, it } from "vitest";
import type { AuditContext } from "../src/context.js";
import { detectReadmissions, staysByPerson } from "../src/detect-population.js";
import { detectCostShifting, detectLowIndication, detectTierCrossing } from "../src/detect-stay.js";
import { UNPRICED_NOTE } from "../src/finding.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import { settleAsUploaded } from "../src/pricing.js";
import { context, norm, stay, withCheck } from "./helpers.js";

const covered = (code: string, amount: number, ownPay: number): DetailItem => ({
  code,
  name: `药${code}`,
  category: "09",
  date: "2023-05-04",
  quantity: 1,
  unitPrice: amount,
  amount,
  chrgitmLv: "02",
  ownPayAmount: ownPay,
});

describe("cost shifting: further limits", () => {
  const shares = { "03": 0.125, "04": 0.125, "09": 0.5 };
  const ctx = context({ drgs: new Map([["ES35", norm("ES35", 458_172, shares)]]) });
  const s4000 = (exam = 100_000): AuditStay =>
    stay({
      diagnoses: ["J15.902"],
      cost: 400_000,
      fees: { "03": exam / 2, "04": exam / 2, "09": 400_000 - exam },
    });
  it("covered lines without own pay are not listed", () => {
    const s = { ...s4000(), details: [covered("A", 50_000, 50_000), covered("B", 1_000, 0)] };
    const f = detectCostShifting(s, ctx);
    expect(f?.evidence[0]?.fields.lines).toBe(1);
    expect(f?.evidence[0]?.fields.items).toEqual(["药A（A）"]);
  });
  it("a covered-own-pay share of 0 still needs some covered own pay", () => {
    const zero = withCheck(ctx, "cost_shifting", { coveredOwnPayShare: 0 });
    // Exams at the group's share: nothing else to find.
    expect(detectCostShifting({ ...s4000(), details: [covered("B", 1_000, 0)] }, zero)).toBeNull();
    expect(
      detectCostShifting({ ...s4000(), details: [covered("B", 1_000, 1)] }, zero)?.evidence[0]?.fields.mode,
    ).toBe("ownpay");
  });
  it("a stay of no cost is not judged, even with outpatient spending", () => {
    const unlinked = withCheck(ctx, "cost_shifting", { outpatientShare: undefined });
    const s: AuditStay = { ...s4000(0), totalCost: 0, outpatientBeforeAdmission: 1 };
    expect(detectCostShifting(s, unlinked)).toBeNull();
    expect(detectCostShifting({ ...s, totalCost: 400_000 }, unlinked)).not.toBeNull();
  });
  it("a group without any exam share: nothing, even with outpatient spending", () => {
    const noExam = withCheck(
      context({ drgs: new Map([["ES35", norm("ES35", 458_172, { "09": 1 })]]) }),
      "cost_shifting",
      {
        outpatientShare: undefined,
      },
    );
    expect(detectCostShifting({ ...s4000(0), outpatientBeforeAdmission: 1 }, noExam)).toBeNull();
  });
  it("an unpriceable stay moved to outpatient care says so", () => {
    const s = { ...s4000(0), hospitalId: "NOWHERE" };
    const f = detectCostShifting(s, ctx);
    expect(f?.pricing).toBeNull();
    expect(f?.message.endsWith(`可能在入院前门诊发生${UNPRICED_NOTE}`)).toBe(true);
    expect(detectCostShifting(s4000(0), ctx)?.message.endsWith("可能在入院前门诊发生")).toBe(true);
  });
});

describe("low indication: a QY stay, an unpriceable stay with a partial loss share, other fees", () => {
  const low = (
    diagnoses: string[],
    procedures: string[] = [],
    fees: Record<string, number> = { "03": 60_000, "04": 50_000, "09": 40_000 },
  ) => stay({ diagnoses, procedures, cost: 150_000, los: 2, fees });
  it("a QY stay (no ADRG) is not medical; a region's list containing '' takes it", () => {
    const ctx = context({ drgs: new Map([["BQY", norm("BQY", 500_000)]]) });
    const qy = low(["I63.903"], ["17.96100"]);
    expect(qy.group.adrg).toBeNull();
    expect(detectLowIndication(qy, ctx)).toBeNull();
    expect(
      detectLowIndication(qy, withCheck(ctx, "low_indication", { outpatientAdrgs: [""] })),
    ).not.toBeNull();
  });
  it("an unpriceable stay with a loss share of one half: no pricing, the note", () => {
    const ctx = withCheck(context({ drgs: new Map([["KS15", norm("KS15", 300_000)]]) }), "low_indication", {
      lossShare: 0.5,
    });
    const f = detectLowIndication(low(["E11.900"]), ctx);
    expect(f?.pricing).toBeNull();
    expect(f?.message).toBe(
      `疑似低指征住院：住院 2 天，费用仅为检查费、化验费、西药费，可在门诊治疗；${UNPRICED_NOTE}`,
    );
  });
  it("other fees of 2% are shown as 0.02", () => {
    const f = detectLowIndication(
      low(["J15.902"], [], { "03": 60_000, "05": 3_000, "09": 87_000 }),
      context(),
    );
    expect(f?.evidence[0]?.fields.otherShare).toBe(0.02);
    expect(f?.evidence[0]?.text).toBe(
      "住院 2 天，无手术及治疗，检查检验、口服药与基础费用以外的费用占比 0.02",
    );
  });
});

describe("tier crossing: equal excesses, the fund loss", () => {
  const shares = { "05": 0.2, "09": 0.8 };
  const ctx = withCheck(
    context({ drgs: new Map([["ES35", norm("ES35", 458_172, shares)]]) }),
    "tier_crossing",
    {
      minExcessShare: 0.01,
    },
  );
  const run = (s: AuditStay, c: AuditContext = ctx) =>
    detectTierCrossing(s, c, settleAsUploaded(s, c.settlement));
  it("of two categories with the same excess the first is named", () => {
    // Neither 05 nor 06 in the norm {09: 90%}: each is all excess, 3000.00 元; 09's usual share is far above it.
    const c = withCheck(
      context({ drgs: new Map([["ES35", norm("ES35", 458_172, { "09": 0.9 })]]) }),
      "tier_crossing",
      {
        minExcessShare: 0.01,
      },
    );
    const s = stay({
      diagnoses: ["J15.902"],
      cost: 1_400_000,
      fees: { "05": 300_000, "06": 300_000, "09": 800_000 },
    });
    expect(run(s, c)?.evidence[0]?.fields).toMatchObject({ category: "05", excess: 300_000 });
  });
  it("the fund loss of a high outlier paid by items brought back to the standard: 14000.00 − 4581.72 = 9418.28 元", () => {
    const s = stay({ diagnoses: ["J15.902"], cost: 1_400_000, fees: { "05": 300_387, "09": 1_099_613 } });
    const f = run(s);
    expect(f?.message).toBe(
      "疑似违规收费跃迁：治疗费超出同组常规 254.84 元，使病例由正常倍率跃迁为高倍率，基金多支付 9418.28 元",
    );
    expect(f?.fundLoss).toBe(941_828);
  });
  it("the fund loss of a normal stay brought down to a low outlier paid at cost: 4581.72 − 1832.67 = 2749.05 元", () => {
    const s = stay({ diagnoses: ["J15.902"], cost: 250_000, fees: { "05": 103_386, "09": 146_614 } });
    const f = run(s);
    expect(f?.message).toBe(
      "疑似违规收费跃迁：治疗费超出同组常规 667.33 元，使病例由低倍率跃迁为正常倍率，基金多支付 2749.05 元",
    );
    expect(f?.fundLoss).toBe(274_905);
  });
});

describe("readmissions with one of the two rules off", () => {
  let n = 0;
  const pair = (
    first: { diagnoses: string[]; procedures?: string[] },
    second: { diagnoses: string[]; procedures?: string[] },
    gap = 2,
    hospital = "H1",
  ): AuditStay[] => {
    const person = `RO${++n}`;
    return [
      stay({ ...first, cost: 300_000, person, adm: 19_500, los: 4 }),
      stay({ ...second, cost: 300_000, person, adm: 19_504 + gap, los: 4, hospital }),
    ];
  };
  const kinds = (c: AuditContext, stays: AuditStay[]) =>
    detectReadmissions(staysByPerson(stays), c).map((f) => f.violation);
  it("only split admission: a same-illness readmission is found", () => {
    const onlySplit = withCheck(context(), "repeated_admission", null);
    expect(kinds(onlySplit, pair({ diagnoses: ["J15.902"] }, { diagnoses: ["J15.902"] }))).toEqual([
      "split_admission",
    ]);
  });
  it("only repeated admission: the same illness is judged by the principal diagnosis", () => {
    const onlyRepeated = withCheck(context(), "split_admission", null);
    // Same category I25, other principal and ADRG: another illness by principal.
    const p = pair({ diagnoses: ["I25.901"] }, { diagnoses: ["I25.103"], procedures: ["36.0700"] });
    expect(kinds(onlyRepeated, p)).toEqual(["repeated_admission"]);
  });
  it("the same illness beyond the split window is not a repeated admission, however wide its window", () => {
    const wide = withCheck(context(), "repeated_admission", { windowDays: 30 });
    expect(kinds(wide, pair({ diagnoses: ["J15.902"] }, { diagnoses: ["J15.902"] }, 15))).toEqual([]);
    expect(kinds(wide, pair({ diagnoses: ["J15.902"] }, { diagnoses: ["J20.900"] }, 15))).toEqual([]);
    expect(kinds(wide, pair({ diagnoses: ["J15.902"] }, { diagnoses: ["I63.903"] }, 15))).toEqual([
      "repeated_admission",
    ]);
  });
  it("the same illness in another hospital is not a repeated admission either", () => {
    const anywhere = withCheck(context(), "repeated_admission", { sameHospital: false });
    expect(kinds(anywhere, pair({ diagnoses: ["J15.902"] }, { diagnoses: ["J15.902"] }, 2, "H2"))).toEqual(
      [],
    );
  });
  it("a stay without diagnoses is shown with an empty principal", () => {
    const anywhere = withCheck(
      withCheck(context(), "split_admission", { sameHospital: false }),
      "repeated_admission",
      { sameHospital: false },
    );
    const [a, b] = pair({ diagnoses: ["D25.900"] }, { diagnoses: ["D25.900"] }, 2, "H2") as [
      AuditStay,
      AuditStay,
    ];
    const empty = (s: AuditStay): AuditStay => ({ ...s, record: { ...s.record, diagnoses: [] } });
    const [f] = detectReadmissions(staysByPerson([empty(a), empty(b)]), anywhere);
    expect(f?.evidence[0]?.text).toMatch(/主要诊断 ），未申报 31 日内计划再入院$/);
    expect(f?.evidence[1]?.text).toMatch(/主要诊断 ），间隔 2 天$/);
  });
});
