/**
 * Tests written against the surviving mutants of detect-coding.ts (issue 16, docs/mutation.md):
 * 虚假/多编次要诊断 by cost and by detail items, 升级主要诊断 by cost and by detail items, 高码低编
 * and 有意歧义, each at its limits, with messages and evidence written by hand.
 *
 * The context adds two weights to the seed-002 examples (rate 8811 元): ER35 (呼吸衰竭) 1.10 →
 * 9692.10 元 and ET25 (慢阻肺) 0.80 → 7048.80 元, with norms ER35 10000.00 元, ET25 5000.00 元 and
 * MDC E's ADRGs ER3, ET2 (top principal J44.100), ES3 (top principal J18.900).
 */
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { parseDrgWeightTable, parsePaymentPolicy } from "@yibao/payment/policy";
import { createSettlementContext } from "@yibao/payment/settle";
import { describe, expect, it } from "vitest";
import type { AuditContext } from "../src/context.js";
import { STARTER_KNOWLEDGE_BASE } from "../src/data/starter-knowledge.js";
import { STARTER_RULE_BASE } from "../src/data/starter-rules.js";
import {
  detectDowncoding,
  detectQyAmbiguity,
  detectUpcodingPrincipal,
  detectUpcodingSecondary,
} from "../src/detect-stay.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import type { DrgNorm } from "../src/norms.js";
import { settleAsUploaded } from "../src/pricing.js";
import { context, examplePolicy, norm, stay, withCheck } from "./helpers.js";

const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);

const WEIGHTS: Record<string, [string, number]> = {
  ES33: ["0.89", 784_179],
  ES35: ["0.52", 458_172],
  ER35: ["1.10", 969_210],
  ET25: ["0.80", 704_880],
  HC25: ["1.26", 1_110_186],
  HU15: ["0.64", 563_904],
};

function codingContext(
  norms: DrgNorm[] = [norm("ER35", 1_000_000), norm("ET25", 500_000), norm("ES35", 458_172)],
  adrgsE: string[] = ["ER3", "ET2", "ES3"],
  principals: [string, string[]][] = [
    ["ET2", ["J44.100"]],
    ["ES3", ["J18.900"]],
  ],
): AuditContext {
  const policy = examplePolicy("mut-coding");
  const weights = parseDrgWeightTable({
    id: "mut-coding-weights",
    version: "1",
    effectiveFrom: "2020-01-01",
    entries: Object.entries(WEIGHTS).map(([drg, [rw, avg]]) => ({
      drg,
      rw,
      avgCost: (avg / 100).toFixed(2),
    })),
  });
  return {
    scheme,
    rules: STARTER_RULE_BASE,
    knowledge: STARTER_KNOWLEDGE_BASE,
    settlement: createSettlementContext({
      policies: [{ policy, weights }],
      hospitals: [{ id: "H1", level: "3" }],
    }),
    norms: {
      drgs: new Map(norms.map((x) => [x.drg, x])),
      principalsByAdrg: new Map(principals),
      procedureByPrincipal: new Map(),
      adrgsByMdc: new Map([["E", adrgsE]]),
    },
  };
}

function item(code: string, name: string, category: string, amount: number): DetailItem {
  return { code, name, category, date: "2023-05-04", quantity: 1, unitPrice: amount, amount };
}
const ROUTINE: DetailItem[] = [
  item("110200001", "普通病房床位费", "01", 5_000),
  item("250101015", "血细胞分析", "04", 2_500),
  item("310701001", "常规心电图检查", "03", 2_500),
];
const SALBUTAMOL = item("XR03AC02Y001", "沙丁胺醇气雾剂", "09", 3_000);
const NEBULISER = item("310603011", "雾化吸入", "05", 2_000);
const CEFTRIAXONE = item("XJ01DD04Y001", "注射用头孢曲松钠", "09", 18_000);
const SPUTUM = item("250501006", "痰培养及药敏", "04", 14_000);
const BLOOD_GAS = item("250102035", "血气分析", "04", 8_000);

const withDetails = (s: AuditStay, details: DetailItem[]): AuditStay => ({ ...s, details });

describe("upcoding by a secondary diagnosis, judged by cost (ES33 with I25.901, ES35 without)", () => {
  const ctx = withCheck(context(), "upcoding_secondary", { withoutDetails: "cost", maxSupport: 0 });
  const at = (cost: number, c: AuditContext = ctx) =>
    detectUpcodingSecondary(stay({ id: "US", diagnoses: ["J15.902", "I25.901"], cost }), c);
  it("a cost at the lower group's mean (support 0 = maxSupport) is unsupported: message and evidence", () => {
    const f = at(458_172);
    expect(f?.id).toBe("DRG-05:US");
    expect(f?.message).toBe(
      "疑似虚假或多编次要诊断 I25.901（冠状动脉性心脏病）：去除后入 ES35，基金多支付 3260.07 元",
    );
    expect(f?.evidence).toEqual([
      {
        text: "次要诊断 I25.901（冠状动脉性心脏病） 为 CC，使病例由 ES35（权重 0.52）入 ES33（权重 0.89）",
        fields: {
          diagnosis: "I25.901",
          level: "CC",
          groupWith: "ES33",
          groupWithout: "ES35",
          rwWith: 0.89,
          rwWithout: 0.52,
        },
      },
      {
        text: "病例总费用 4581.72 元，ES35 组均费用 4581.72 元，ES33 组均费用 7841.79 元：费用未体现该并发症的诊疗（支持度 0）",
        fields: { totalCost: 458_172, meanWithout: 458_172, meanWith: 784_179, support: 0 },
      },
      {
        text: "分组依据：次要诊断 I25.901（冠状动脉性心脏病） 为 CC，计入",
        fields: { stage: "cc" },
      },
    ]);
    expect(f?.fundLoss).toBe(326_007);
  });
  it("one fen above the lower group's mean the cost supports the CC; a wider maxSupport takes it", () => {
    expect(at(458_173)).toBeNull();
    // Support (4581.73 − 4581.72) / (7841.79 − 4581.72) ≈ 0.000003 ≤ 0.5.
    expect(
      at(458_173, withCheck(ctx, "upcoding_secondary", { maxSupport: 0.5 }))?.evidence[1]?.fields.support,
    ).toBe(0);
    // Half way: (4581.72 + 1630.035 = 6211.755) → support 0.5: 6211.75 at, 6211.76 above (in fen 621 175, 621 176).
    const half = withCheck(ctx, "upcoding_secondary", { maxSupport: 0.5 });
    expect(at(621_175, half)?.evidence[1]?.fields.support).toBe(0.5);
    expect(at(621_176, half)).toBeNull();
  });
  it("a negative support is shown rounded to hundredths", () => {
    // (4000.00 − 4581.72) / 3260.07 = −0.178…
    expect(at(400_000)?.evidence[1]?.fields.support).toBe(-0.18);
  });
  it("abstains without detail items by default, or without a rule, a CC, a weight or a mean", () => {
    expect(at(400_000, context())).toBeNull();
    expect(at(400_000, withCheck(ctx, "upcoding_secondary", null))).toBeNull();
    expect(detectUpcodingSecondary(stay({ diagnoses: ["J15.902"], cost: 400_000 }), ctx)).toBeNull();
    // J20.900 is no CC: ES35.
    expect(
      detectUpcodingSecondary(stay({ diagnoses: ["J15.902", "J20.900"], cost: 400_000 }), ctx),
    ).toBeNull();
    // The principal is a CC, the secondary is not: nothing counted.
    expect(detectUpcodingSecondary(stay({ diagnoses: ["J18.900", "J20.900"], cost: 100 }), ctx)).toBeNull();
    const s = stay({ diagnoses: ["J15.902", "I25.901"], cost: 400_000 });
    expect(detectUpcodingSecondary({ ...s, group: { ...s.group, status: "AMBIGUOUS" } }, ctx)).toBeNull();
    // ER33 (J96.900x001 with the CC I25.901) has no weight: nothing.
    expect(
      detectUpcodingSecondary(stay({ diagnoses: ["J96.900x001", "I25.901"], cost: 100 }), ctx),
    ).toBeNull();
    // codingContext has weights for ES33 and ES35 but no norm for ES33: its mean is the weight table's.
    const c2 = withCheck(codingContext(), "upcoding_secondary", { withoutDetails: "cost" });
    expect(detectUpcodingSecondary(s, c2)?.evidence[1]?.fields.meanWith).toBe(784_179);
  });
  it("the lower group must be cheaper and lighter", () => {
    // ES35's mean above ES33's: the CC does not make the stay dearer.
    const inverted = withCheck(
      context({
        drgs: new Map([
          ["ES35", norm("ES35", 900_000)],
          ["ES33", norm("ES33", 784_179)],
        ]),
      }),
      "upcoding_secondary",
      { withoutDetails: "cost" },
    );
    expect(at(100_000, inverted)).toBeNull();
    // Equal means: no position between them.
    const equal = withCheck(
      context({
        drgs: new Map([
          ["ES35", norm("ES35", 784_179)],
          ["ES33", norm("ES33", 784_179)],
        ]),
      }),
      "upcoding_secondary",
      { withoutDetails: "cost" },
    );
    expect(at(100_000, equal)).toBeNull();
  });
  it("a CC excluded by the principal (J18.900 with J15.902) is not counted", () => {
    const s = stay({ diagnoses: ["J15.902", "J18.900"], cost: 100_000 });
    expect(s.group.drg).toBe("ES35");
    expect(detectUpcodingSecondary(s, ctx)).toBeNull();
  });
});

describe("upcoding by a secondary diagnosis, judged by detail items", () => {
  const ctx = context();
  const PNEUMONIA = [CEFTRIAXONE, SPUTUM];
  it("a CC without any of its 诊疗依据: message and evidence in full", () => {
    const s = withDetails(stay({ id: "UD", diagnoses: ["J15.902", "I25.901"], cost: 600_000 }), [
      ...ROUTINE,
      ...PNEUMONIA,
    ]);
    const f = detectUpcodingSecondary(s, ctx);
    expect(f?.message).toBe(
      "疑似虚假或多编次要诊断 I25.901（冠状动脉性心脏病）：费用明细中无相应诊疗依据，去除后入 ES35，基金多支付 3260.07 元",
    );
    expect(f?.evidence).toEqual([
      {
        text: "次要诊断 I25.901（冠状动脉性心脏病） 为 CC；知识库「慢性缺血性心脏病」的诊疗依据（抗血小板药、调脂药、硝酸酯类扩冠药、冠状动脉造影/CTA、经皮冠状动脉介入治疗）在费用明细 5 条中均未见",
        fields: {
          diagnosis: "I25.901",
          level: "CC",
          knowledge: "I25",
          knowledgeSource: "diagnosis",
          requiredClasses: ["antiplatelet", "statin", "antianginal", "coronary_imaging", "pci"],
          detailLines: 5,
          sharedWithPrincipal: [],
        },
      },
      {
        text: "去除无诊疗依据的次要诊断后由 ES33（权重 0.89）入 ES35（权重 0.52）",
        fields: {
          groupWith: "ES33",
          groupWithout: "ES35",
          rwWith: 0.89,
          rwWithout: 0.52,
          removed: ["I25.901"],
        },
      },
      {
        text: "病例总费用 6000.00 元；ES35 组均 4581.72 元，ES33 组均 7841.79 元",
        fields: { totalCost: 600_000, meanWithout: 458_172, meanWith: 784_179 },
      },
      { text: "分组依据：次要诊断 I25.901（冠状动脉性心脏病） 为 CC，计入", fields: { stage: "cc" } },
    ]);
    expect(f?.fundLoss).toBe(326_007);
  });
  it("a CC supported only by the principal's 诊疗依据: the shared items are named", () => {
    const s = withDetails(stay({ id: "UK", diagnoses: ["J15.902", "K81.002"], cost: 600_000 }), [
      ...ROUTINE,
      CEFTRIAXONE,
    ]);
    const f = detectUpcodingSecondary(s, ctx);
    expect(f?.message).toBe(
      "疑似虚假或多编次要诊断 K81.002（急性化脓性胆囊炎）：费用明细中无该诊断本身的诊疗依据，去除后入 ES35，基金多支付 3260.07 元",
    );
    expect(f?.evidence[0]).toEqual({
      text: "次要诊断 K81.002（急性化脓性胆囊炎） 为 CC；费用明细中仅见治疗性抗菌药物（2023-05-04 注射用头孢曲松钠（XJ01DD04Y001）），均为主要诊断 J15.902（社区获得性肺炎，非重症） 的诊疗依据，无该诊断本身的诊疗依据（知识库「胆囊炎」：肝胆影像、治疗性抗菌药物、解痉药）",
      fields: {
        diagnosis: "K81.002",
        level: "CC",
        knowledge: "K81",
        knowledgeSource: "diagnosis",
        requiredClasses: ["hepatobiliary_imaging", "therapeutic_antibiotic", "antispasmodic"],
        detailLines: 4,
        sharedWithPrincipal: ["therapeutic_antibiotic"],
      },
    });
  });
  it("a secondary diagnosis of the same support rule as the principal is not discounted", () => {
    // J15.902 and J15.902-like: a second pneumonia code shares the principal's rule (J15): its antibiotic counts.
    const s = withDetails(stay({ diagnoses: ["J18.900", "I25.901"], cost: 600_000 }), [
      ...ROUTINE,
      CEFTRIAXONE,
    ]);
    expect(s.group.drg).toBe("ES33");
    expect(detectUpcodingSecondary(s, ctx)?.evidence[0]?.fields.diagnosis).toBe("I25.901");
  });
  it("no finding when the weights give no lighter group, or the lighter group has no weight", () => {
    const s = withDetails(stay({ diagnoses: ["J15.902", "I25.901"], cost: 600_000 }), [
      ...ROUTINE,
      ...PNEUMONIA,
    ]);
    const noEs35: AuditContext = {
      ...codingContext(),
      settlement: createSettlementContext({
        policies: [
          {
            policy: parsePaymentPolicy({
              id: "p",
              version: "1",
              effectiveFrom: "2020-01-01",
              method: "rate",
              rate: "8811",
              outliers: {
                high: { bands: [{ maxRw: null, multiple: "3" }], payment: { method: "items", ratio: "1" } },
                low: { multiple: "0.4", payment: { method: "actualCost" } },
              },
              ambiguous: { qyShare: "80%" },
            }),
            weights: parseDrgWeightTable({
              id: "w",
              version: "1",
              effectiveFrom: "2020-01-01",
              entries: [
                { drg: "ES33", rw: "0.89", avgCost: "7841.79" },
                { drg: "ES35", rw: "0.89", avgCost: "4581.72" },
              ],
            }),
          },
        ],
        hospitals: [{ id: "H1", level: "3" }],
      }),
    };
    expect(detectUpcodingSecondary(s, noEs35)).toBeNull();
  });
});

describe("upcoding by the principal diagnosis, judged by cost (ER35 uploaded, ET25 near)", () => {
  const ctx = withCheck(codingContext(), "upcoding_principal", { withoutDetails: "cost" });
  const rf = (cost: number, c: AuditContext = ctx, extra: string[] = []) =>
    detectUpcodingPrincipal(stay({ id: "UP", diagnoses: ["J96.900x001", ...extra], cost }), c);
  it("a cost at the near group's mean: message and evidence in full", () => {
    const f = rf(500_000);
    expect(f?.id).toBe("DRG-06:UP");
    expect(f?.message).toBe(
      "疑似升级主要诊断：主要诊断 J96.900x001（呼吸衰竭） 的费用与 ET25 相符，按近似诊断 J44.100（慢性阻塞性肺病伴有急性加重） 入 ET25，基金多支付 2643.30 元",
    );
    expect(f?.evidence).toEqual([
      {
        text: "按上传主要诊断入 ER35（权重 1.10，组均费用 10000.00 元），病例总费用 5000.00 元，仅为组均的 0.5 倍",
        fields: { drg: "ER35", rw: 1.1, meanCost: 1_000_000, totalCost: 500_000, costRatio: 0.5 },
      },
      {
        text: "近似诊断 J44.100（慢性阻塞性肺病伴有急性加重） 入 ET25（权重 0.80，组均费用 5000.00 元），与实际费用更相符",
        fields: { nearCode: "J44.100", nearDrg: "ET25", nearRw: 0.8, nearMeanCost: 500_000 },
      },
    ]);
    // 9692.10 − 7048.80 = 2643.30 元.
    expect(f?.fundLoss).toBe(264_330);
    expect(f?.pricing?.corrected[0]?.drg).toBe("ET25");
  });
  it("the cost ratio 0.7 is checked, 0.7 + one fen is not", () => {
    // ET25's mean 7000.00 元: a cost of 7000.00 fits it exactly (gain ln(1/0.7) = 0.36 ≥ 0.1).
    const c = withCheck(
      codingContext([norm("ER35", 1_000_000), norm("ET25", 700_000)], ["ER3", "ET2"]),
      "upcoding_principal",
      { withoutDetails: "cost", minFitGain: 0.1 },
    );
    expect(rf(700_000, c)?.evidence[0]?.fields.costRatio).toBe(0.7);
    expect(rf(700_001, c)).toBeNull();
  });
  it("the fit gain must reach minFitGain: ln 2 from a cost half the mean to the near mean", () => {
    expect(rf(500_000, withCheck(ctx, "upcoding_principal", { minFitGain: Math.log(2) }))).not.toBeNull();
    expect(rf(500_000, withCheck(ctx, "upcoding_principal", { minFitGain: Math.log(2) + 1e-9 }))).toBeNull();
  });
  it("the best fitting near code wins, in either order of the ADRGs", () => {
    // ES35 (mean 4581.72) fits 5000.00 worse than ET25 (5000.00).
    expect(rf(500_000)?.evidence[1]?.fields.nearCode).toBe("J44.100");
    const reversed = withCheck(codingContext(undefined, ["ES3", "ET2", "ER3"]), "upcoding_principal", {
      withoutDetails: "cost",
    });
    expect(rf(500_000, reversed)?.evidence[1]?.fields.nearCode).toBe("J44.100");
    // At 4581.72 ES35 fits exactly.
    expect(rf(458_172)?.evidence[1]?.fields.nearCode).toBe("J18.900");
  });
  it("only the top principals of each other ADRG are near codes", () => {
    const c = withCheck(
      // I63.903 groups into BR25, which has no weight here: no candidate.
      codingContext(undefined, ["ER3", "ET2"], [["ET2", ["I63.903", "J44.100"]]]),
      "upcoding_principal",
      { withoutDetails: "cost", topPrincipalsPerAdrg: 1 },
    );
    expect(rf(500_000, c)).toBeNull();
    expect(
      rf(500_000, withCheck(c, "upcoding_principal", { topPrincipalsPerAdrg: 2 }))?.evidence[1]?.fields
        .nearCode,
    ).toBe("J44.100");
    // The stay's own ADRG's principals are not near codes.
    const own = withCheck(codingContext(undefined, ["ER3"], [["ER3", ["J44.100"]]]), "upcoding_principal", {
      withoutDetails: "cost",
    });
    expect(rf(500_000, own)).toBeNull();
  });
  it("a near code already coded as a secondary diagnosis is not proposed", () => {
    const f = rf(500_000, ctx, ["J44.100"]);
    expect(f?.evidence[1]?.fields.nearCode ?? null).not.toBe("J44.100");
  });
  it("a near group without a weight or a mean, or not lighter, is not proposed", () => {
    const noMean = withCheck(codingContext([norm("ER35", 1_000_000)], ["ER3", "ET2"]), "upcoding_principal", {
      withoutDetails: "cost",
    });
    // ET25's mean is then the weight table's 7048.80 元: 5000.00 fits it by ln(1.41) = 0.34 < 0.4 gain over ln 2 − 0.34.
    expect(rf(500_000, noMean)).toBeNull();
    const heavy = withCheck(
      codingContext([norm("ER35", 200_000), norm("ET25", 100_000)]),
      "upcoding_principal",
      {
        withoutDetails: "cost",
      },
    );
    expect(rf(100_000, heavy)?.evidence[1]?.fields.nearDrg).toBe("ET25");
  });
  it("abstains by default, without a rule, for a stay of no cost, no MDC, no mean or no weight", () => {
    expect(rf(500_000, codingContext())).toBeNull();
    expect(rf(500_000, withCheck(ctx, "upcoding_principal", null))).toBeNull();
    expect(rf(0)).toBeNull();
    const s = stay({ diagnoses: ["J96.900x001"], cost: 500_000 });
    expect(detectUpcodingPrincipal({ ...s, group: { ...s.group, mdc: null } }, ctx)).toBeNull();
    expect(detectUpcodingPrincipal({ ...s, group: { ...s.group, status: "AMBIGUOUS" } }, ctx)).toBeNull();
    // No norm and no weight for ER35.
    expect(rf(500_000, withCheck(context(), "upcoding_principal", { withoutDetails: "cost" }))).toBeNull();
  });
});

describe("upcoding by the principal diagnosis, judged by detail items", () => {
  const ctx = codingContext();
  const rf = (details: DetailItem[], c: AuditContext = ctx) =>
    detectUpcodingPrincipal(
      withDetails(stay({ id: "PD", diagnoses: ["J96.900x001"], cost: 600_000 }), details),
      c,
    );
  it("a principal without 诊疗依据 and a near code with its own: message and evidence in full", () => {
    const f = rf([...ROUTINE, SALBUTAMOL]);
    expect(f?.message).toBe(
      "疑似升级主要诊断：主要诊断 J96.900x001（呼吸衰竭） 无诊疗依据，费用明细支持近似诊断 J44.100（慢性阻塞性肺病伴有急性加重），按其入 ET25，基金多支付 2643.30 元",
    );
    expect(f?.evidence).toEqual([
      {
        text: "主要诊断 J96.900x001（呼吸衰竭） 入 ER35（权重 1.10）；知识库「呼吸衰竭」的诊疗依据（血气分析、氧疗/机械通气、呼吸兴奋剂）在费用明细中均未见",
        fields: {
          principal: "J96.900x001",
          drg: "ER35",
          rw: 1.1,
          requiredClasses: ["blood_gas", "oxygen_ventilation", "respiratory_stimulant"],
        },
      },
      {
        text: "近似诊断 J44.100（慢性阻塞性肺病伴有急性加重） 的诊疗依据见于明细：2023-05-04 沙丁胺醇气雾剂（XR03AC02Y001）；按其入 ET25（权重 0.80）",
        fields: {
          nearCode: "J44.100",
          nearDrg: "ET25",
          nearRw: 0.8,
          presentClasses: ["bronchodilator"],
          // None of them is 诊疗依据 of a coded secondary diagnosis (the stay has none).
          ownClasses: ["bronchodilator"],
          items: ["XR03AC02Y001"],
        },
      },
    ]);
    expect(f?.fundLoss).toBe(264_330);
  });
  it("a supported principal, or no near code with its own 诊疗依据: nothing", () => {
    expect(rf([...ROUTINE, SALBUTAMOL, BLOOD_GAS])).toBeNull();
    expect(rf([...ROUTINE])).toBeNull();
  });
  it("the near code with more classes present wins; with as many, the heavier group", () => {
    // J44.100: bronchodilator + nebulisation (2); J18.900: antibiotic (1).
    expect(rf([SALBUTAMOL, NEBULISER, CEFTRIAXONE])?.evidence[1]?.fields.nearCode).toBe("J44.100");
    // J18.900: antibiotic + sputum culture (2); J44.100: bronchodilator (1).
    expect(rf([SALBUTAMOL, CEFTRIAXONE, SPUTUM])?.evidence[1]?.fields.nearCode).toBe("J18.900");
    // One each: ET25 (0.80) over ES35 (0.52), in either order of the ADRGs.
    expect(rf([SALBUTAMOL, CEFTRIAXONE])?.evidence[1]?.fields.nearCode).toBe("J44.100");
    const reversed = codingContext(undefined, ["ES3", "ET2", "ER3"]);
    expect(rf([SALBUTAMOL, CEFTRIAXONE], reversed)?.evidence[1]?.fields.nearCode).toBe("J44.100");
    expect(rf([SALBUTAMOL, NEBULISER, CEFTRIAXONE], reversed)?.evidence[1]?.fields.nearCode).toBe("J44.100");
    expect(rf([SALBUTAMOL, CEFTRIAXONE, SPUTUM], reversed)?.evidence[1]?.fields.nearCode).toBe("J18.900");
  });
  it("the top principals of other ADRGs only, as many as the rule says", () => {
    const one = withCheck(
      codingContext(undefined, ["ET2"], [["ET2", ["J20.900", "J44.100"]]]),
      "upcoding_principal",
      {
        topPrincipalsPerAdrg: 1,
      },
    );
    // J20.900 (ES35 via bronchodilator) is the only near code: 0.52.
    expect(rf([SALBUTAMOL], one)?.evidence[1]?.fields.nearCode).toBe("J20.900");
    const two = withCheck(one, "upcoding_principal", { topPrincipalsPerAdrg: 2 });
    expect(rf([SALBUTAMOL], two)?.evidence[1]?.fields.nearCode).toBe("J44.100");
    const own = codingContext(undefined, ["ER3"], [["ER3", ["J44.100"]]]);
    expect(rf([SALBUTAMOL], own)).toBeNull();
  });
  it("a near code coded as a secondary diagnosis is not proposed", () => {
    const s = withDetails(stay({ diagnoses: ["J96.900x001", "J44.100"], cost: 600_000 }), [SALBUTAMOL]);
    expect(detectUpcodingPrincipal(s, ctx)?.evidence[1]?.fields.nearCode ?? null).not.toBe("J44.100");
  });
});

describe("downcoding into a high outlier: messages and evidence", () => {
  const ctx = context({ procedureByPrincipal: new Map([["K81.002", "51.2300"]]) });
  const dc = (cost: number, c: AuditContext = ctx, fees?: Record<string, number>) => {
    const s = stay({
      id: "DC",
      diagnoses: ["K81.002"],
      cost,
      fees: fees ?? { "06": 300_000, "09": cost - 300_000 },
    });
    return detectDowncoding(s, c, settleAsUploaded(s, c.settlement));
  };
  it("regrouped with the usual procedure into HC25, no longer a high outlier", () => {
    const f = dc(1_721_460);
    expect(f?.id).toBe("DRG-07:DC");
    expect(f?.message).toBe(
      "疑似高码低编：漏填手术使病例入低权重组并达高倍率，按 HC25 重新结算基金多支付 6112.21 元",
    );
    expect(f?.evidence).toEqual([
      {
        text: "病例为高倍率（总费用 17214.60 元，高倍率界值 16917.12 元），有手术费 3000.00 元，但未填写任何手术操作",
        fields: { totalCost: 1_721_460, highThreshold: 1_691_712, surgeryFee: 300_000, procedures: 0 },
      },
      {
        // HC25's standard 11102.39 元 × 3 = 33307.17 元.
        text: "按该诊断常规手术 51.2300（腹腔镜下胆囊切除术） 补填后入 HC25（权重 1.26），不再为高倍率（界值 33307.17 元）",
        fields: {
          procedure: "51.2300",
          correctedDrg: "HC25",
          correctedRw: 1.26,
          correctedCategory: "normal",
        },
      },
    ]);
  });
  it("still a high outlier in HC25 (above 33307.17 元): reported for review, not priced", () => {
    const f = dc(3_330_718);
    expect(f?.message).toBe("疑似高码低编：病例有手术费但未编码手术，需核实手术后重新分组");
    expect(f?.evidence[1]?.text).toBe(
      "按该诊断常规手术 51.2300（腹腔镜下胆囊切除术） 补填后入 HC25（权重 1.26），仍为高倍率",
    );
    expect(f?.evidence[1]?.fields.correctedCategory).toBe("highOutlier");
    expect(f?.pricing).toBeNull();
    expect(f?.fundLoss).toBe(0);
    expect(dc(3_330_717)?.pricing).not.toBeNull();
  });
  it("without a usual procedure: reported for review with one piece of evidence", () => {
    const f = dc(1_721_460, context());
    expect(f?.message).toBe("疑似高码低编：病例有手术费但未编码手术，需核实手术后重新分组");
    expect(f?.evidence).toHaveLength(1);
    expect(f?.pricing).toBeNull();
  });
  it("a usual procedure that gives no heavier group: no second piece of evidence", () => {
    const c = context({ procedureByPrincipal: new Map([["K81.002", "99.0401"]]) });
    const f = dc(1_721_460, c);
    expect(f?.evidence).toHaveLength(1);
    expect(f?.pricing).toBeNull();
  });
  it("the surgery fee is read from the rule's category; a coded procedure or no rule: nothing", () => {
    expect(dc(1_721_460, ctx, { "05": 300_000, "09": 1_421_460 })).toBeNull();
    expect(
      dc(1_721_460, withCheck(ctx, "downcoding_outlier", { surgeryCategory: "05" }), {
        "05": 300_000,
        "09": 1_421_460,
      })?.evidence[0]?.text,
    ).toBe(
      "病例为高倍率（总费用 17214.60 元，高倍率界值 16917.12 元），有治疗费 3000.00 元，但未填写任何手术操作",
    );
    expect(dc(1_721_460, withCheck(ctx, "downcoding_outlier", null))).toBeNull();
    const s = stay({
      diagnoses: ["K81.002"],
      procedures: ["99.0401"],
      cost: 1_721_460,
      fees: { "06": 300_000, "09": 1_421_460 },
    });
    expect(detectDowncoding(s, ctx, settleAsUploaded(s, ctx.settlement))).toBeNull();
  });
});

describe("intentional ambiguity (QY): messages, evidence and the limits", () => {
  const ctx = context();
  const qy = (cost: number, c: AuditContext = ctx, procedures = ["17.96100"]) => {
    const s = stay({ id: "QY", diagnoses: ["I63.903"], procedures, cost });
    return detectQyAmbiguity(s, c, settleAsUploaded(s, c.settlement));
  };
  it("between BR25's standard (10159.74 元) and its high threshold (30479.22 元): message and evidence", () => {
    const f = qy(1_765_211);
    expect(f?.id).toBe("DRG-09:QY");
    expect(f?.message).toBe(
      "疑似有意歧义：手术 17.96100（针刀治疗） 与主要诊断 I63.903（出血性脑梗死） 不匹配，使病例进入 BQY 按比例结算；去除后入 BR25，基金多支付 3961.95 元",
    );
    expect(f?.evidence).toEqual([
      {
        // 80% × 17652.11 = 14121.688 → 14121.69 元.
        text: "上传入歧义组 BQY，按 歧义组比例 结算 14121.69 元",
        fields: { drg: "BQY", payment: 1_412_169 },
      },
      {
        text: "去除手术 17.96100（针刀治疗） 后入 BR25：支付标准 10159.74 元 < 总费用 17652.11 元 ≤ 高倍率界值 30479.22 元",
        fields: {
          procedure: "17.96100",
          correctedDrg: "BR25",
          standard: 1_015_974,
          highThreshold: 3_047_922,
          totalCost: 1_765_211,
        },
      },
    ]);
  });
  it("the standard itself is not above it, one fen more is; the high threshold is in, one fen more is not", () => {
    expect(qy(1_015_974)).toBeNull();
    expect(qy(1_015_975)).not.toBeNull();
    expect(qy(3_047_922)).not.toBeNull();
    expect(qy(3_047_923)).toBeNull();
  });
  it("not for a stay that is not ambiguous, or without the rule", () => {
    expect(qy(1_765_211, withCheck(ctx, "qy_ambiguity", null))).toBeNull();
    const s = stay({ diagnoses: ["I63.903"], cost: 1_765_211 });
    expect(detectQyAmbiguity(s, ctx, settleAsUploaded(s, ctx.settlement))).toBeNull();
  });
  it("a removal that leaves a group without a weight proves nothing: the next procedure is tried", () => {
    // Removing 99.0401 leaves 17.96100 (still BQY): the next one; removing 17.96100 leaves 99.0401 → BR25.
    const f = qy(1_765_211, ctx, ["99.0401", "17.96100"]);
    expect(f?.evidence[1]?.fields.procedure).toBe("17.96100");
    expect(f?.pricing?.corrected[0]?.drg).toBe("BR25");
    // Without a BR25 weight (the coding context) the removal proves nothing.
    expect(qy(1_765_211, codingContext())).toBeNull();
  });
});
