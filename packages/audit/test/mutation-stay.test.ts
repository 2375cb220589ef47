/**
 * Tests written against the surviving mutants of detect-low-indication.ts, detect-tier.ts and
 * detect-stay-shared.ts (issue 16, docs/mutation.md): the medical-ADRG test and the outpatient ADRG
 * list, the partial loss share rounded half up, the tier crossing in both directions at its limits,
 * and the shared helpers. ES35: standard 4581.72 元, low threshold 1832.69 元, high 13745.16 元.
 */
import { describe, expect, it } from "vitest";
import type { AuditContext } from "../src/context.js";
import { STARTER_KNOWLEDGE_BASE } from "../src/data/starter-knowledge.js";
import { detectLowIndication, detectTierCrossing } from "../src/detect-stay.js";
import {
  catName,
  classNames,
  dxName,
  fee,
  itemsText,
  pxName,
  ratio,
  staySupport,
} from "../src/detect-stay-shared.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import { settleAsUploaded } from "../src/pricing.js";
import { supportOf } from "../src/support.js";
import { context, norm, stay, withCheck } from "./helpers.js";

describe("low-indication admission: message, evidence, ADRGs and the loss share", () => {
  const ctx = context();
  const low = (
    p: { diagnoses?: string[]; procedures?: string[]; cost?: number; fees?: Record<string, number> } = {},
  ) =>
    stay({
      id: "LI",
      diagnoses: p.diagnoses ?? ["J15.902"],
      procedures: p.procedures,
      cost: p.cost ?? 150_000,
      los: 2,
      fees: p.fees ?? { "03": 60_000, "04": 50_000, "05": 0, "09": 40_000 },
    });
  it("a pneumonia stay of 1500.00 元 in 2 days: message and evidence in full", () => {
    const f = detectLowIndication(low(), ctx);
    expect(f?.id).toBe("DRG-04:LI");
    expect(f?.message).toBe(
      "疑似低指征住院：住院 2 天，费用仅为检查费、化验费、西药费，可在门诊治疗；住院医保支付 1500.00 元计为损失",
    );
    expect(f?.evidence).toEqual([
      {
        text: "住院 2 天，无手术及治疗，检查检验、口服药与基础费用以外的费用占比 0",
        fields: { los: 2, categories: ["检查费", "化验费", "西药费"], otherShare: 0 },
      },
      {
        // 1500.00 / 4581.72 = 0.327… → 0.33.
        text: "总费用 1500.00 元，为 ES35 组均费用 4581.72 元的 0.33 倍",
        fields: { totalCost: 150_000, meanCost: 458_172, drg: "ES35" },
      },
    ]);
    expect(f?.fundLoss).toBe(150_000);
  });
  it("a medical ADRG from R on (BR2) counts; a surgical one (HC2) or none (QY) does not", () => {
    expect(detectLowIndication(low({ diagnoses: ["I63.903"] }), ctx)?.evidence[1]?.fields.drg).toBe("BR25");
    const surgical = low({ diagnoses: ["K81.002"], procedures: ["51.2300"] });
    expect(surgical.group.adrg).toBe("HC2");
    expect(detectLowIndication(surgical, ctx)).toBeNull();
    const qy = low({ diagnoses: ["I63.903"], procedures: ["17.96100"] });
    expect(qy.group.adrg).toBeNull();
    expect(detectLowIndication(qy, ctx)).toBeNull();
    const s = low();
    expect(detectLowIndication({ ...s, group: { ...s.group, adrg: "S" } }, ctx)).toBeNull();
    // A code starting with R in the second place: medical.
    expect(detectLowIndication({ ...s, group: { ...s.group, adrg: "XR" } }, ctx)).not.toBeNull();
    expect(detectLowIndication({ ...s, group: { ...s.group, adrg: "XQ" } }, ctx)).toBeNull();
  });
  it("a region's list of outpatient ADRGs replaces the medical test", () => {
    expect(
      detectLowIndication(low(), withCheck(ctx, "low_indication", { outpatientAdrgs: ["ES3"] })),
    ).not.toBeNull();
    expect(
      detectLowIndication(low(), withCheck(ctx, "low_indication", { outpatientAdrgs: ["BR2"] })),
    ).toBeNull();
    const qy = low({ diagnoses: ["I63.903"], procedures: ["17.96100"] });
    expect(detectLowIndication(qy, withCheck(ctx, "low_indication", { outpatientAdrgs: [""] }))).toBeNull();
  });
  it("a loss share of one half: 1500.01 元 × 0.5 = 750.005 → 750.01 元", () => {
    const half = withCheck(ctx, "low_indication", { lossShare: 0.5 });
    const f = detectLowIndication(low({ cost: 150_001, fees: { "03": 60_000, "09": 90_001 } }), half);
    expect(f?.fundLoss).toBe(75_001);
    expect(f?.pricing?.correctedFund).toBe(75_000);
    expect(f?.pricing?.originalFund).toBe(150_001);
    expect(f?.message).toContain("住院医保支付 750.01 元计为损失");
  });
  it("a stay of no cost, without a rule or without a mean is not judged", () => {
    expect(detectLowIndication({ ...low(), totalCost: 0 }, ctx)).toBeNull();
    expect(detectLowIndication(low(), withCheck(ctx, "low_indication", null))).toBeNull();
    // K76.401 (HZ15): no norm and no weight.
    expect(detectLowIndication(low({ diagnoses: ["K76.401"] }), ctx)).toBeNull();
  });
});

describe("tier crossing (违规收费跃迁)", () => {
  // Group shares 治疗费 20%, 西药费 80%: the usual 治疗费 beside the rest of the bill is rest × 0.25.
  const shares = { "05": 0.2, "09": 0.8 };
  const ctx = withCheck(
    context({ drgs: new Map([["ES35", norm("ES35", 458_172, shares)]]) }),
    "tier_crossing",
    {
      minExcessShare: 0.01,
    },
  );
  const tier = (total: number, treat: number, c: AuditContext = ctx) => {
    const s = stay({
      id: "TC",
      diagnoses: ["J15.902"],
      cost: total,
      fees: { "05": treat, "09": total - treat },
    });
    return detectTierCrossing(s, c, settleAsUploaded(s, c.settlement));
  };
  it("into the high outliers: after removal exactly at the high threshold is a crossing", () => {
    // 14000.00 元, 治疗费 3003.87: excess 3003.87 − 0.25 × 10996.13 = 254.8375 → 254.84; 14000 − 254.84 = 13745.16.
    const f = tier(1_400_000, 300_387);
    expect(f?.id).toBe("DRG-10:TC");
    expect(f?.message).toMatch(
      /^疑似违规收费跃迁：治疗费超出同组常规 254\.84 元，使病例由正常倍率跃迁为高倍率，基金多支付 /,
    );
    expect(f?.evidence).toEqual([
      {
        // 3003.87 / 14000 = 0.2146 → 0.21.
        text: "治疗费 占总费用 0.21，同组均值 0.2，超出常规 254.84 元",
        fields: { category: "05", amount: 300_387, groupShare: 0.2, excess: 25_484 },
      },
      {
        text: "总费用 14000.00 元，剔除后 13745.16 元；高倍率界值 13745.16 元",
        fields: {
          totalCost: 1_400_000,
          corrected: 1_374_516,
          highThreshold: 1_374_516,
          lowThreshold: 183_269,
        },
      },
    ]);
    // 3003.86: excess 254.825 → 254.83 (half up); 13745.17 is still above the threshold.
    expect(tier(1_400_000, 300_386)).toBeNull();
  });
  it("out of the low outliers: after removal strictly below the low threshold (1832.69 元)", () => {
    // 2500.00 元, 治疗费 1033.86: excess 1033.86 − 0.25 × 1466.14 = 667.325 → 667.33; after 1832.67.
    const f = tier(250_000, 103_386);
    expect(f?.message).toMatch(
      /^疑似违规收费跃迁：治疗费超出同组常规 667\.33 元，使病例由低倍率跃迁为正常倍率，基金多支付 /,
    );
    expect(f?.evidence[1]?.text).toBe("总费用 2500.00 元，剔除后 1832.67 元；低倍率界值 1832.69 元");
    // 1033.85: excess 667.3125 → 667.31; after 1832.69 = the threshold: no crossing.
    expect(tier(250_000, 103_385)).toBeNull();
  });
  it("the excess must be at least minExcessShare of the cost (0.2 with the starter rule)", () => {
    const starter = context({ drgs: new Map([["ES35", norm("ES35", 458_172, shares)]]) });
    // 16000.00 元, 治疗费 5760.00: excess 5760 − 0.25 × 10240 = 3200.00 = 0.2 × 16000.
    expect(tier(1_600_000, 576_000, starter)?.evidence[0]?.fields.excess).toBe(320_000);
    // 5759.99: excess 3199.9975 → 3199.99... below 0.2.
    expect(tier(1_600_000, 575_999, starter)).toBeNull();
  });
  it("a category of 95% or more of the group is never excessive; one absent from the norm is all excess", () => {
    const dominant = withCheck(
      context({ drgs: new Map([["ES35", norm("ES35", 458_172, { "05": 0.95 })]]) }),
      "tier_crossing",
      {
        minExcessShare: 0.01,
      },
    );
    expect(tier(1_400_000, 1_400_000, dominant)).toBeNull();
    const absent = withCheck(
      context({ drgs: new Map([["ES35", norm("ES35", 458_172, { "09": 0.9 })]]) }),
      "tier_crossing",
      {
        minExcessShare: 0.01,
      },
    );
    // 09 (90%) beside 3003.87 元 of 05 is usually 27034.83 元: no excess; 05 (absent, 0%) is all excess.
    expect(tier(1_400_000, 300_387, absent)?.evidence[0]?.fields).toMatchObject({
      category: "05",
      excess: 300_387,
    });
  });
  it("a group with fewer than minCases stays, a low outlier, a stay of no cost or no rule: nothing", () => {
    const few = (cases: number) =>
      withCheck(
        context({ drgs: new Map([["ES35", norm("ES35", 458_172, shares, cases)]]) }),
        "tier_crossing",
        {
          minExcessShare: 0.01,
        },
      );
    expect(tier(1_400_000, 300_387, few(20))).not.toBeNull();
    expect(tier(1_400_000, 300_387, few(19))).toBeNull();
    expect(tier(150_000, 100_000)).toBeNull();
    expect(tier(1_400_000, 300_387, withCheck(ctx, "tier_crossing", null))).toBeNull();
    const s = stay({ diagnoses: ["J15.902"], cost: 1_400_000, fees: { "05": 300_387, "09": 1_099_613 } });
    const up = settleAsUploaded(s, ctx.settlement);
    expect(detectTierCrossing({ ...s, totalCost: 0 }, ctx, up)).toBeNull();
    expect(detectTierCrossing({ ...s, group: { ...s.group, status: "AMBIGUOUS" } }, ctx, up)).toBeNull();
    expect(detectTierCrossing(s, ctx, { ...up, highThreshold: null })).toBeNull();
    expect(detectTierCrossing(s, ctx, { ...up, lowThreshold: null })).toBeNull();
    // A normal stay of a policy without low outliers (threshold 0) cannot cross downwards.
    expect(detectTierCrossing(s, ctx, { ...up, category: "normal", lowThreshold: 0 })).toBeNull();
  });
});

describe("shared helpers of the per-stay detectors", () => {
  const ctx = context();
  it("names: the category's, the diagnosis's, the procedure's, else the code", () => {
    expect(catName(ctx, "06")).toBe("手术费");
    expect(catName(ctx, "99")).toBe("99");
    expect(dxName(ctx, "J15.902")).toBe("J15.902（社区获得性肺炎，非重症）");
    expect(dxName(ctx, "X00.000")).toBe("X00.000");
    expect(pxName(ctx, "51.2300")).toBe("51.2300（腹腔镜下胆囊切除术）");
    expect(pxName(ctx, "00.0000")).toBe("00.0000");
  });
  it("fee sums every line of a category; ratio rounds to hundredths", () => {
    const s = stay({ diagnoses: ["J15.902"], cost: 10 });
    const t = {
      ...s,
      fees: [
        { category: "03", amount: 2 },
        { category: "04", amount: 5 },
        { category: "03", amount: 3 },
      ],
    };
    expect(fee(t, "03")).toBe(5);
    expect(fee(t, "05")).toBe(0);
    expect(ratio(0.125)).toBe(0.13);
    expect(ratio(-0.178)).toBe(-0.18);
    expect(ratio(2)).toBe(2);
  });
  it("the support index: none without knowledge or details, kept per stay, rebuilt for other knowledge", () => {
    const d: DetailItem = {
      code: "XJ01DD04Y001",
      name: "头孢曲松",
      category: "09",
      date: "2023-05-04",
      quantity: 1,
      unitPrice: 100,
      amount: 100,
    };
    const s: AuditStay = { ...stay({ diagnoses: ["J15.902"], cost: 10 }), details: [d] };
    expect(staySupport({ ...s, details: undefined }, ctx)).toBeNull();
    expect(staySupport({ ...s, details: [] }, ctx)).toBeNull();
    expect(
      staySupport(s, { ...ctx, knowledge: { ...STARTER_KNOWLEDGE_BASE, diagnosisSupport: undefined } }),
    ).toBeNull();
    const a = staySupport(s, ctx);
    expect(a?.present.get("therapeutic_antibiotic")).toEqual([d]);
    expect(staySupport(s, ctx)).toBe(a);
    const kb = STARTER_KNOWLEDGE_BASE.diagnosisSupport;
    if (kb === undefined) throw new Error("the starter knowledge has diagnosis support");
    const other = { ...kb, classes: kb.classes.filter((c) => c.id !== "therapeutic_antibiotic") };
    const b = staySupport(s, { ...ctx, knowledge: { ...STARTER_KNOWLEDGE_BASE, diagnosisSupport: other } });
    expect(b?.kb).toBe(other);
    expect(b?.present.has("therapeutic_antibiotic")).toBe(false);
    // Back to the first knowledge: rebuilt again for it.
    expect(staySupport(s, ctx)?.kb).toBe(kb);
  });
  it("class names joined with 、; items as date name（code） joined with ；", () => {
    const kb = STARTER_KNOWLEDGE_BASE.diagnosisSupport;
    if (kb === undefined) throw new Error("the starter knowledge has diagnosis support");
    expect(classNames(kb, ["blood_gas", "unknown_class"])).toBe("血气分析、unknown_class");
    const items: DetailItem[] = [
      {
        code: "250501006",
        name: "痰培养",
        category: "04",
        date: "2023-05-04",
        quantity: 1,
        unitPrice: 1,
        amount: 1,
      },
      {
        code: "XJ01DD04Y001",
        name: "头孢曲松",
        category: "09",
        date: "2023-05-05",
        quantity: 1,
        unitPrice: 1,
        amount: 1,
      },
    ];
    const f = supportOf(
      kb,
      "J15.902",
      new Map([
        ["sputum_pathogen", [items[0] as DetailItem]],
        ["therapeutic_antibiotic", [items[1] as DetailItem]],
      ]),
    );
    if (f === null) throw new Error("J15 has a support rule");
    expect(itemsText(f)).toBe("2023-05-05 头孢曲松（XJ01DD04Y001）；2023-05-04 痰培养（250501006）");
  });
});
