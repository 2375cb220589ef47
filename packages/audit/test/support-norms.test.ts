/**
 * 诊疗依据常模 (support norms): how often the region codes a diagnosis without its 诊疗依据, learnt
 * where it did not decide the group, and how the added-diagnosis and principal-swap checks read it.
 * Every expected figure is counted or worked by hand from the stays built here.
 */
import { describe, expect, it } from "vitest";
import { detectUpcodingSecondary } from "../src/detect-stay.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import type { RuleBase } from "../src/rules.js";
import { learnSupportNorms, type SupportNorms, unexplainedShare } from "../src/support-norms.js";
import { context, stay } from "./helpers.js";

function item(code: string, name: string, category: string, amount: number): DetailItem {
  return { code, name, category, date: "2023-05-04", quantity: 1, unitPrice: amount, amount };
}
const ROUTINE: DetailItem[] = [
  item("110200001", "普通病房床位费", "01", 5_000),
  item("250101015", "血细胞分析", "04", 2_500),
];
const PNEUMONIA: DetailItem[] = [
  item("XJ01DD04Y001", "注射用头孢曲松钠", "09", 18_000),
  item("250501006", "痰培养及药敏", "04", 14_000),
];
const ANTIPLATELET = item("XB01AC06Y001", "阿司匹林肠溶片", "09", 300);

function withDetails(s: AuditStay, details: DetailItem[], id = s.id): AuditStay {
  return { ...s, id, details };
}

/** Norms with one rule key: `base` codings that did not decide the group, `deciding` that did. */
function norms(key: string, base: [number, number], deciding: [number, number]): SupportNorms {
  return {
    principal: new Map(),
    secondary: new Map([[key, { cases: base[0], unsupported: base[1], shared: 0 }]]),
    deciding: new Map([[key, { cases: deciding[0], unsupported: deciding[1], shared: 0 }]]),
  };
}

describe("unexplainedShare: the excess of deciding codings without evidence over the habit", () => {
  it("is (u − p) ÷ (u × (1 − p)), worked by hand", () => {
    // p = 1/2, u = 5/8: (1/8) ÷ (5/16) = 2/5.
    expect(unexplainedShare(0.5, 0.625)).toBe(0.4);
    // p = 1/2, u = 9/16: (1/16) ÷ (9/32) = 2/9.
    expect(unexplainedShare(0.5, 0.5625)).toBeCloseTo(2 / 9, 12);
    // A habit of never: every deciding coding without evidence is unexplained.
    expect(unexplainedShare(0, 0.01)).toBe(1);
  });
  it("is 0 with no excess, and when the diagnoses never carry evidence", () => {
    expect(unexplainedShare(0.2, 0.2)).toBe(0);
    expect(unexplainedShare(0.2, 0.1)).toBe(0);
    expect(unexplainedShare(1, 1)).toBe(0);
  });
});

describe("learnSupportNorms: counted where the diagnosis did not decide the group", () => {
  const ctx = context();
  it("counts principal diagnoses, and secondary ones apart by whether they decided the DRG", () => {
    // J15.902 + I25.901 groups ES33; without the I25.901 (a CC) ES35: the CC decides the group.
    const deciding = stay({ diagnoses: ["J15.902", "I25.901"], cost: 600_000 });
    expect(deciding.group.drg).toBe("ES33");
    const stays = [
      withDetails(deciding, [...ROUTINE, ...PNEUMONIA], "A"), // I25 deciding, no evidence
      withDetails(deciding, [...ROUTINE, ...PNEUMONIA, ANTIPLATELET], "B"), // I25 deciding, evidence
      withDetails(deciding, [...ROUTINE], "C"), // pneumonia principal without evidence
      { ...deciding, id: "D" }, // no details: not counted at all
    ];
    const n = learnSupportNorms(stays, ctx) as SupportNorms;
    const pdxKey = "J15";
    expect(n.principal.get(pdxKey)).toMatchObject({ cases: 3, unsupported: 1 });
    expect(n.deciding.get("I25")).toEqual({ cases: 3, unsupported: 2, shared: 0 });
    expect(n.secondary.get("I25")).toBeUndefined();
  });
  it("is undefined without a diagnosis-support knowledge base", () => {
    const bare = { ...ctx, knowledge: { ...ctx.knowledge, diagnosisSupport: undefined } };
    expect(learnSupportNorms([], bare)).toBeUndefined();
  });
});

describe("the added-diagnosis check reads the region's habit (诊疗依据常模)", () => {
  const ctx = context();
  const s = withDetails(stay({ diagnoses: ["J15.902", "I25.901"], cost: 600_000 }), [
    ...ROUTINE,
    ...PNEUMONIA,
  ]);
  function withCheck(over: Record<string, unknown>): RuleBase {
    return {
      ...ctx.rules,
      rules: ctx.rules.rules.map((r) =>
        r.check.kind === "upcoding_secondary" ? { ...r, check: { ...r.check, ...over } } : r,
      ),
    } as RuleBase;
  }
  const alone = withCheck({
    minUnexplainedShare: 0.4,
    minUnexplainedShareWithCost: 0.4,
    minBaselineCases: 30,
  });

  it("flags at the threshold (p = 50/100, u = 5/8: 0.4) and says why, with the numbers", () => {
    const f = detectUpcodingSecondary(s, {
      ...ctx,
      rules: alone,
      supportNorms: norms("I25", [100, 50], [8, 5]),
    });
    expect(f?.violation).toBe("upcoding_secondary");
    const habit = f?.evidence.find((e) => e.fields.excessShare !== undefined);
    expect(habit?.fields).toMatchObject({
      baselineCases: 100,
      baselineUnsupported: 50,
      decidingCases: 8,
      decidingUnsupported: 5,
      excessShare: 0.4,
      needsCost: false,
    });
    expect(habit?.text).toContain("100 例中无诊疗依据 50 例（50.0%）");
    expect(habit?.text).toContain("8 例中无诊疗依据 5 例（62.5%）");
  });
  it("abstains below it (u = 9/16: 2/9)", () => {
    expect(
      detectUpcodingSecondary(s, { ...ctx, rules: alone, supportNorms: norms("I25", [100, 50], [16, 9]) }),
    ).toBeNull();
  });
  it("reads missing evidence as such when the region has too few codings to know its habit (29 < 30)", () => {
    // 29 codings, 28 without evidence: the habit would excuse it, but 29 is too few to learn it.
    expect(
      detectUpcodingSecondary(s, { ...ctx, rules: alone, supportNorms: norms("I25", [29, 28], [16, 9]) }),
    ).not.toBeNull();
    expect(
      detectUpcodingSecondary(s, { ...ctx, rules: alone, supportNorms: norms("I25", [30, 29], [16, 9]) }),
    ).toBeNull();
  });
  it("between the two thresholds, flags only when the cost fits the lower group", () => {
    const tiers = (maxSupport: number) =>
      withCheck({ minUnexplainedShare: 0.8, minUnexplainedShareWithCost: 0.4, maxSupport });
    const n = norms("I25", [100, 50], [8, 5]);
    // The stay costs 6,000 元, the ES35 and ES33 averages come from the helpers' norms; a position
    // bound far above any position accepts it, one far below none refuses it.
    const f = detectUpcodingSecondary(s, { ...ctx, rules: tiers(100), supportNorms: n });
    expect(f?.evidence.find((e) => e.fields.excessShare !== undefined)?.fields.needsCost).toBe(true);
    expect(detectUpcodingSecondary(s, { ...ctx, rules: tiers(-100), supportNorms: n })).toBeNull();
  });
  it("counts the stay itself when the region's deciding codings all carried evidence (a precheck)", () => {
    // p = 0: the one deciding coding without evidence (the stay) is unexplained in full.
    const f = detectUpcodingSecondary(s, {
      ...ctx,
      rules: alone,
      supportNorms: norms("I25", [100, 0], [20, 0]),
    });
    expect(f?.evidence.find((e) => e.fields.excessShare !== undefined)?.fields).toMatchObject({
      decidingCases: 20,
      decidingUnsupported: 1,
      excessShare: 1,
    });
  });
});
