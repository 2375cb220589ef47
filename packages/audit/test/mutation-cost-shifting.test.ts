/**
 * Tests written against the surviving mutants of detect-cost-shifting.ts (issue 16,
 * docs/mutation.md): 医保转自费 by covered lines billed as self-pay and by the own-pay share, 住院转门诊
 * by the exam share, with and without linked outpatient data and with the group's quantile. The
 * limits are pinned with rule parameters that are exact in binary (0.125, 0.25, 0.5), so that "at the
 * limit" is exactly at it; expected amounts are hand-calculated in the comments.
 */
import { describe, expect, it } from "vitest";
import type { AuditContext } from "../src/context.js";
import { detectCostShifting } from "../src/detect-stay.js";
import { UNPRICED_NOTE } from "../src/finding.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import type { DrgNorm } from "../src/norms.js";
import type { RuleCheck } from "../src/rules.js";
import { context, stay } from "./helpers.js";

type Cost = Extract<RuleCheck, { kind: "cost_shifting" }>;

/** ES35's norm: 检查 12.5%, 化验 12.5% (exam share 0.25), own pay 25%, `cases` stays. */
function es35(cases = 100, extra: Partial<DrgNorm> = {}): DrgNorm {
  return {
    drg: "ES35",
    cases,
    meanCost: 458_172,
    meanLos: 7,
    categoryShare: new Map([
      ["03", 0.125],
      ["04", 0.125],
      ["09", 0.5],
    ]),
    ownPayShare: 0.25,
    ...extra,
  };
}

function ctxWith(check: Partial<Cost> | null, n: DrgNorm = es35()): AuditContext {
  const c = context({ drgs: new Map([["ES35", n]]) });
  return {
    ...c,
    rules: {
      ...c.rules,
      rules: c.rules.rules.map((r) =>
        r.check.kind !== "cost_shifting"
          ? r
          : check === null
            ? { ...r, enabled: false }
            : { ...r, check: { ...r.check, ...check } as RuleCheck },
      ),
    },
  };
}

/** Parameters exact in binary: own pay 0.125 above the group, exam share below 0.5 × the group's. */
const EXACT: Partial<Cost> = {
  ownPayExcess: 0.125,
  examShareFactor: 0.5,
  coveredOwnPayShare: 0.125,
  outpatientShare: 0.125,
  outpatientExamShareFactor: 0.5,
  outpatientExamQuantile: undefined,
  minCases: 20,
};

let n = 0;
/** A pneumonia stay (ES35) of 4000.00 元 with `exam` fen of 检查 and 化验 each half. */
function s4000(
  p: { exam?: number; ownPay?: number; patientShare?: number; before?: number; details?: DetailItem[] } = {},
): AuditStay {
  const exam = p.exam ?? 100_000;
  const base = stay({
    id: `CS${++n}`,
    diagnoses: ["J15.902"],
    cost: 400_000,
    patientShare: p.patientShare ?? 0,
    fees: { "03": exam / 2, "04": exam / 2, "09": 400_000 - exam },
  });
  return {
    ...base,
    ownPay: p.ownPay ?? 0,
    ...(p.before === undefined ? {} : { outpatientBeforeAdmission: p.before }),
    ...(p.details === undefined ? {} : { details: p.details }),
  };
}

const covered = (
  amount: number,
  ownPay: number,
  lv = "02",
  code = "XJ01MA12Y001",
  name = "左氧氟沙星",
): DetailItem => ({
  code,
  name,
  category: "09",
  date: "2023-05-04",
  quantity: 1,
  unitPrice: amount,
  amount,
  chrgitmLv: lv,
  ownPayAmount: ownPay,
});

describe("医保转自费: covered lines billed as self-pay (12.5% of 4000.00 元 = 500.00 元)", () => {
  const ctx = ctxWith(EXACT);
  it("at 500.00 元 a finding: message, evidence and the fund's side (a negative loss)", () => {
    const s = s4000({
      ownPay: 50_000,
      patientShare: 80_000,
      details: [covered(30_000, 30_000), covered(20_000, 20_000, "01", "XA1", "某甲类药")],
    });
    const f = detectCostShifting(s, ctx);
    expect(f?.id).toBe(`DRG-08:${s.id}`);
    expect(f?.message).toBe("疑似医保转自费：目录内项目按全自费收取 500.00 元，患者多负担");
    expect(f?.evidence).toEqual([
      {
        text: "医保目录内项目按全自费收取 500.00 元（2 条明细）：左氧氟沙星（XJ01MA12Y001）、某甲类药（XA1）",
        fields: {
          mode: "ownpay",
          coveredOwnPay: 50_000,
          lines: 2,
          items: ["左氧氟沙星（XJ01MA12Y001）", "某甲类药（XA1）"],
          share: 0.13,
        },
      },
      {
        text: "个人自费 500.00 元，占总费用 0.13；ES35 组均全自费占比 0.25",
        fields: { ownPay: 50_000, ownShare: 0.13, groupOwnShare: 0.25 },
      },
    ]);
    // The patient paid 500.00 元 the fund owed: corrected patient share 800.00 − 500.00 = 300.00 元.
    expect(f?.pricing?.fundLoss).toBe(-50_000);
    expect(f?.pricing?.correctedPatient).toBe(30_000);
    expect(f?.fundLoss).toBe(0);
  });
  it("one fen less is not a finding; a patient share below the amount shifted is corrected to 0", () => {
    const below = s4000({ details: [covered(49_999, 49_999)] });
    expect(detectCostShifting(below, ctx)).toBeNull();
    const s = s4000({ patientShare: 20_000, details: [covered(50_000, 50_000)] });
    expect(detectCostShifting(s, ctx)?.pricing?.correctedPatient).toBe(0);
  });
  it("丙类 lines, lines of unknown level and lines without own pay are not counted", () => {
    const lines = [covered(60_000, 60_000, "03"), covered(60_000, 60_000, ""), covered(60_000, 0)];
    expect(detectCostShifting(s4000({ details: lines }), ctx)).toBeNull();
    const noOwnPay: DetailItem = { ...covered(60_000, 0), ownPayAmount: undefined };
    expect(detectCostShifting(s4000({ details: [noOwnPay] }), ctx)).toBeNull();
  });
  it("at most six item names, each once", () => {
    const lines = ["A", "B", "C", "D", "E", "F", "G"].map((c) => covered(10_000, 10_000, "02", c, `药${c}`));
    const f = detectCostShifting(
      s4000({ details: [...lines, covered(10_000, 10_000, "02", "A", "药A")] }),
      ctx,
    );
    expect(f?.evidence[0]?.fields.items).toEqual([
      "药A（A）",
      "药B（B）",
      "药C（C）",
      "药D（D）",
      "药E（E）",
      "药F（F）",
    ]);
    expect(f?.evidence[0]?.fields.lines).toBe(8);
  });
  it("with details the own-pay share is not the test; without the parameter it is", () => {
    // Own pay 50% of the cost but no covered line billed as self-pay: no finding by the share.
    const s = s4000({ ownPay: 200_000, details: [covered(1_000, 0)] });
    expect(detectCostShifting(s, ctx)).toBeNull();
    const byShare = ctxWith({ ...EXACT, coveredOwnPayShare: undefined });
    expect(detectCostShifting(s, byShare)?.evidence[0]?.fields.mode).toBe("ownpay");
    // An empty detail list is no detail list.
    expect(detectCostShifting({ ...s, details: [] }, ctx)?.evidence[0]?.fields.mode).toBe("ownpay");
  });
});

describe("医保转自费 by the own-pay share (group 25%, excess 12.5%)", () => {
  const ctx = ctxWith(EXACT);
  it("37.5% own pay is 12.5% above: shifted 12.5% × 4000.00 = 500.00 元", () => {
    const s = s4000({ ownPay: 150_000, patientShare: 150_000 });
    const f = detectCostShifting(s, ctx);
    expect(f?.message).toBe("疑似医保转自费：全自费占比 0.38，同组均值 0.25，患者多负担约 500.00 元");
    expect(f?.evidence).toEqual([
      {
        text: "个人自费 1500.00 元，占总费用 0.38；ES35 组均全自费占比 0.25",
        fields: { mode: "ownpay", ownPay: 150_000, ownShare: 0.38, groupOwnShare: 0.25, shifted: 50_000 },
      },
    ]);
    expect(f?.pricing?.correctedPatient).toBe(100_000);
  });
  it("one fen of own pay less is not a finding", () => {
    expect(detectCostShifting(s4000({ ownPay: 149_999 }), ctx)).toBeNull();
  });
  it("an unpriceable stay says so", () => {
    const s = { ...s4000({ ownPay: 150_000 }), hospitalId: "NOWHERE" };
    const f = detectCostShifting(s, ctx);
    expect(f?.message).toBe(
      `疑似医保转自费：全自费占比 0.38，同组均值 0.25，患者多负担约 500.00 元${UNPRICED_NOTE}`,
    );
    expect(f?.pricing).toBeNull();
  });
});

describe("住院转门诊 by the exam share (group 0.25; limit 0.5 × 0.25 = 0.125 of 4000.00 = 500.00 元)", () => {
  const ctx = ctxWith(EXACT);
  it("exams of 499.99 元: the missing exams priced; message and evidence", () => {
    const s = s4000({ exam: 49_998 });
    const f = detectCostShifting(s, ctx);
    // gap = 0.25 × (400 000 − 49 998) / 0.75 − 49 998 = 116 667.33 − 49 998 = 66 669.33 → 66 669.
    expect(f?.message).toBe(
      "疑似住院转门诊：检查检验费用占比 0.12，低于同组均值 0.25，约 666.69 元可能在入院前门诊发生",
    );
    expect(f?.evidence).toEqual([
      {
        text: "检查费与化验费合计 499.98 元，占总费用 0.12；ES35 组均占比 0.25",
        fields: {
          mode: "outpatient",
          exam: 49_998,
          examShare: 0.12,
          groupExamShare: 0.25,
          outpatientBefore: 0,
          missing: 66_669,
        },
      },
    ]);
    // Corrected cost 400 000 + 66 669.
    expect(f?.pricing?.corrected[0]?.totalCost).toBe(466_669);
  });
  it("exams of exactly 500.00 元 are not below the limit", () => {
    expect(detectCostShifting(s4000({ exam: 50_000 }), ctx)).toBeNull();
  });
  it("any outpatient spending before admission counts when the rule does not link it", () => {
    const unlinked = ctxWith({ ...EXACT, outpatientShare: undefined });
    const f = detectCostShifting(s4000({ exam: 100_000, before: 1 }), unlinked);
    // gap = 0.25 × 300 000 / 0.75 − 100 000 = 0: the missing amount is the larger, 0.01 元.
    expect(f?.evidence[0]?.fields.missing).toBe(1);
    expect(f?.message).toBe(
      "疑似住院转门诊：检查检验费用占比 0.25，低于同组均值 0.25，入院前门诊费用 0.01 元，约 0.01 元可能在入院前门诊发生",
    );
    expect(f?.evidence[0]?.text).toBe(
      "检查费与化验费合计 1000.00 元，占总费用 0.25；ES35 组均占比 0.25；入院前门诊费用 0.01 元（住院总费用的 0）",
    );
    expect(detectCostShifting(s4000({ exam: 100_000, before: 0 }), unlinked)).toBeNull();
    expect(detectCostShifting(s4000({ exam: 100_000 }), unlinked)).toBeNull();
  });
  it("a group without exam share, a group with too few stays, no norm or no rule: nothing", () => {
    const noExam = es35(100, { categoryShare: new Map([["09", 1]]) });
    expect(detectCostShifting(s4000({ exam: 0 }), ctxWith(EXACT, noExam))).toBeNull();
    expect(detectCostShifting(s4000({ exam: 0 }), ctxWith(EXACT, es35(20)))).not.toBeNull();
    expect(detectCostShifting(s4000({ exam: 0 }), ctxWith(EXACT, es35(19)))).toBeNull();
    expect(detectCostShifting(s4000({ exam: 0 }), ctxWith(null))).toBeNull();
    expect(detectCostShifting(s4000({ exam: 0 }), context({ drgs: new Map() }))).toBeNull();
    const zero = { ...s4000({ exam: 0 }), totalCost: 0 };
    expect(detectCostShifting(zero, ctxWith(EXACT))).toBeNull();
    const qy = s4000({ exam: 0 });
    expect(
      detectCostShifting({ ...qy, group: { ...qy.group, status: "AMBIGUOUS" } }, ctxWith(EXACT)),
    ).toBeNull();
  });
  it("exam categories are those of the rule", () => {
    const only03 = ctxWith({ ...EXACT, examCategories: ["03"] });
    // 03 alone: 200.00 of 4000.00 = 0.05 < 0.5 × 0.125 (250.00 would be at the limit).
    expect(detectCostShifting(s4000({ exam: 50_000 }), only03)).toBeNull();
    const f = detectCostShifting(s4000({ exam: 40_000 }), only03);
    expect(f?.evidence[0]?.fields).toMatchObject({ exam: 20_000, groupExamShare: 0.13 });
  });
});

describe("住院转门诊 with linked outpatient data (≥ 12.5% of the cost before admission)", () => {
  const ctx = ctxWith(EXACT);
  it("500.00 元 before admission with exams below 0.5 × the group's: the missing exams, at most what was spent", () => {
    const s = s4000({ exam: 40_000, before: 50_000 });
    const f = detectCostShifting(s, ctx);
    // gap = 0.25 × 360 000 / 0.75 − 40 000 = 80 000; missing = min(50 000, 80 000) = 50 000.
    expect(f?.evidence[0]?.fields).toEqual({
      mode: "outpatient",
      exam: 40_000,
      examShare: 0.1,
      groupExamShare: 0.25,
      outpatientBefore: 50_000,
      missing: 50_000,
    });
    expect(f?.evidence[0]?.text).toBe(
      "检查费与化验费合计 400.00 元，占总费用 0.1；ES35 组均占比 0.25；入院前门诊费用 500.00 元（住院总费用的 0.13）",
    );
    expect(f?.message).toBe(
      "疑似住院转门诊：检查检验费用占比 0.1，低于同组均值 0.25，入院前门诊费用 500.00 元，约 500.00 元可能在入院前门诊发生",
    );
    // More spent before than missing: the gap.
    expect(
      detectCostShifting(s4000({ exam: 40_000, before: 90_000 }), ctx)?.evidence[0]?.fields.missing,
    ).toBe(80_000);
  });
  it("499.99 元 before admission is not enough; exams at the limit are not below it", () => {
    expect(detectCostShifting(s4000({ exam: 40_000, before: 49_999 }), ctx)).toBeNull();
    expect(detectCostShifting(s4000({ exam: 50_000, before: 90_000 }), ctx)).toBeNull();
    // Without the parameter the limit is the group's share itself (factor 1): 0.125 < 0.25.
    const factor1 = ctxWith({ ...EXACT, outpatientExamShareFactor: undefined });
    expect(detectCostShifting(s4000({ exam: 50_000, before: 90_000 }), factor1)).not.toBeNull();
    expect(detectCostShifting(s4000({ exam: 100_000, before: 90_000 }), factor1)).toBeNull();
  });
  it("an exam share above the group's: a negative gap, nothing missing", () => {
    const wide = ctxWith({ ...EXACT, outpatientExamShareFactor: 2 });
    const f = detectCostShifting(s4000({ exam: 120_000, before: 90_000 }), wide);
    // gap = 0.25 × 280 000 / 0.75 − 120 000 = −26 666.67 → −26 667; missing max(0, …) = 0.
    expect(f?.evidence[0]?.fields.missing).toBe(0);
  });
  it("with the group's quantile: below the median 0.2 of [0.1, 0.2, 0.3]", () => {
    const q = ctxWith(
      { ...EXACT, outpatientExamQuantile: 0.5 },
      es35(100, { shareDistributions: new Map([["cost_shifting", Float64Array.from([0.1, 0.2, 0.3])]]) }),
    );
    // 0.1875 < 0.2 (the factor's limit would be 0.125): a finding; 0.2 itself is not below.
    expect(detectCostShifting(s4000({ exam: 75_000, before: 90_000 }), q)).not.toBeNull();
    expect(detectCostShifting(s4000({ exam: 80_000, before: 90_000 }), q)).toBeNull();
    // Without a distribution learnt the factor's limit holds.
    const none = ctxWith({ ...EXACT, outpatientExamQuantile: 0.5 });
    expect(detectCostShifting(s4000({ exam: 75_000, before: 90_000 }), none)).toBeNull();
    // A distribution but no quantile asked: the factor's limit.
    const noQ = ctxWith(
      { ...EXACT, outpatientExamQuantile: undefined },
      es35(100, { shareDistributions: new Map([["cost_shifting", Float64Array.from([0.1, 0.2, 0.3])]]) }),
    );
    expect(detectCostShifting(s4000({ exam: 75_000, before: 90_000 }), noQ)).toBeNull();
  });
});
