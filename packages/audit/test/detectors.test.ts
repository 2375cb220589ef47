import { describe, expect, it } from "vitest";
import { runAudit } from "../src/audit.js";
import { STARTER_RULE_BASE } from "../src/data/starter-rules.js";
import { detectItemRules } from "../src/detect-items.js";
import { detectReadmissions, staysByPerson } from "../src/detect-population.js";
import {
  detectDowncoding,
  detectLowIndication,
  detectQyAmbiguity,
  detectTierCrossing,
  detectUpcodingSecondary,
} from "../src/detect-stay.js";
import { settleAsUploaded } from "../src/pricing.js";
import { selectVersion, validateRuleBase } from "../src/rules.js";
import { context, costScreening, norm, stay } from "./helpers.js";

describe("rule base (规则库)", () => {
  it("is valid, versioned and covers every violation type", () => {
    expect(() => validateRuleBase(STARTER_RULE_BASE)).not.toThrow();
    expect(selectVersion([STARTER_RULE_BASE], "2023-06-01")).toBe(STARTER_RULE_BASE);
    expect(selectVersion([STARTER_RULE_BASE], "2019-06-01")).toBeUndefined();
    const types = new Set(STARTER_RULE_BASE.rules.map((r) => r.violation));
    for (const t of [
      "split_admission",
      "repeated_admission",
      "patient_selection",
      "low_indication",
      "upcoding_secondary",
      "upcoding_principal",
      "downcoding_outlier",
      "cost_shifting",
      "qy_ambiguity",
      "tier_crossing",
      "item_rule",
    ]) {
      expect(types.has(t as never)).toBe(true);
    }
    for (const r of STARTER_RULE_BASE.rules) if (r.category === "政策类") expect(r.outcome).toBe("明确违规");
  });
  it("refuses a policy rule whose outcome is not 明确违规", () => {
    const bad = {
      ...STARTER_RULE_BASE,
      rules: [
        {
          ...(STARTER_RULE_BASE.rules[10] as (typeof STARTER_RULE_BASE.rules)[number]),
          outcome: "可疑" as const,
        },
      ],
    };
    expect(() => validateRuleBase(bad)).toThrow(/明确违规/);
  });
});

describe("upcoding by secondary diagnosis (虚假诊断: a secondary diagnosis the stay never treated lifts it into a CC/MCC group)", () => {
  it("finds the unsupported CC by cost alone when the rule screens by cost, and prices 0.37 × rate", () => {
    const ctx = costScreening(context());
    const s = stay({ diagnoses: ["J15.902", "I25.901"], cost: 400_000 });
    expect(s.group.drg).toBe("ES33");
    // By default a stay without detail items is not judged on its cost alone (the rule abstains).
    expect(detectUpcodingSecondary(s, context())).toBeNull();
    const f = detectUpcodingSecondary(s, ctx);
    expect(f).not.toBeNull();
    expect(f?.pricing?.corrected[0]?.drg).toBe("ES35");
    // (0.89 − 0.52) × 8811 = 3260.07 yuan.
    expect(f?.fundLoss).toBe(326_007);
    expect(f?.evidence[0]?.fields.diagnosis).toBe("I25.901");
  });
  it("leaves a case whose cost supports the CC", () => {
    const f = detectUpcodingSecondary(
      stay({ diagnoses: ["J15.902", "I25.901"], cost: 800_000 }),
      costScreening(context()),
    );
    expect(f).toBeNull();
  });
});

describe("downcoding into a high outlier (高码低编: coded into a lower group so that the stay becomes a high outlier)", () => {
  const ctx = context({ procedureByPrincipal: new Map([["K81.002", "51.2300"]]) });
  it("regroups with the usual procedure and prices 6112.21 yuan", () => {
    const s = stay({
      diagnoses: ["K81.002"],
      cost: 1_721_460,
      patientShare: 321_677,
      fees: { "06": 300_000, "09": 1_421_460 },
    });
    expect(s.group.drg).toBe("HU15");
    const up = settleAsUploaded(s, ctx.settlement);
    expect(up.category).toBe("highOutlier");
    const f = detectDowncoding(s, ctx, up);
    expect(f?.pricing?.corrected[0]?.drg).toBe("HC25");
    expect(f?.fundLoss).toBe(611_221);
  });
  it("flags only a high outlier: HU15 high threshold 3 × 0.64 × 8,811 = 16,917.12 yuan", () => {
    const at = (cost: number) => {
      const s = stay({ diagnoses: ["K81.002"], cost, fees: { "06": 300_000, "09": cost - 300_000 } });
      return detectDowncoding(s, ctx, settleAsUploaded(s, ctx.settlement));
    };
    // At the threshold the stay is paid its standard: a missing procedure costs the fund nothing
    // (as a vaginal delivery whose 接生费 is filed under 手术费); one fen over it is paid by items.
    expect(at(1_691_712)).toBeNull();
    expect(at(1_691_713)?.violation).toBe("downcoding_outlier");
  });
  it("ignores a stay without surgery fee", () => {
    const s = stay({ diagnoses: ["K81.002"], cost: 1_721_460, fees: { "09": 1_721_460 } });
    expect(detectDowncoding(s, ctx, settleAsUploaded(s, ctx.settlement))).toBeNull();
  });
});

describe("intentional ambiguity (有意歧义: an unrelated procedure sends the stay to the ambiguous group, paid at 80% of actual cost)", () => {
  const ctx = context();
  it("removes the unrelated procedure and prices 3961.95 yuan", () => {
    const s = stay({ diagnoses: ["I63.903"], procedures: ["17.96100"], cost: 1_765_211 });
    expect(s.group.drg).toBe("BQY");
    const f = detectQyAmbiguity(s, ctx, settleAsUploaded(s, ctx.settlement));
    expect(f?.pricing?.corrected[0]?.drg).toBe("BR25");
    expect(f?.fundLoss).toBe(396_195);
  });
  it("leaves a QY case cheaper than the group standard", () => {
    const s = stay({ diagnoses: ["I63.903"], procedures: ["17.96100"], cost: 900_000 });
    expect(detectQyAmbiguity(s, ctx, settleAsUploaded(s, ctx.settlement))).toBeNull();
  });
});

describe("split and repeated admission (分解住院/重复住院)", () => {
  const ctx = context();
  it("finds a same-illness readmission within the window and prices the merged stay", () => {
    const a = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "P1", adm: 19_500, los: 4 });
    const b = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "P1", adm: 19_506, los: 4 });
    const f = detectReadmissions(staysByPerson([b, a]), ctx);
    expect(f).toHaveLength(1);
    expect(f[0]?.violation).toBe("split_admission");
    expect(f[0]?.stayIds).toEqual([a.id, b.id]);
    // Two ES35 payments against one: 0.52 × 8811 = 4581.72 yuan.
    expect(f[0]?.fundLoss).toBe(458_172);
  });
  it("respects the planned-readmission flag and the window", () => {
    const a = stay({
      diagnoses: ["J15.902"],
      cost: 300_000,
      person: "P2",
      adm: 19_500,
      los: 4,
      planned: true,
    });
    const b = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "P2", adm: 19_506, los: 4 });
    expect(detectReadmissions(staysByPerson([a, b]), ctx)).toHaveLength(0);
    const c = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "P3", adm: 19_500, los: 4 });
    const d = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "P3", adm: 19_530, los: 4 });
    expect(detectReadmissions(staysByPerson([c, d]), ctx)).toHaveLength(0);
  });
  it("calls a different-illness readmission repeated admission", () => {
    const a = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "P4", adm: 19_500, los: 4 });
    const b = stay({ diagnoses: ["I63.903"], cost: 800_000, person: "P4", adm: 19_507, los: 6 });
    const f = detectReadmissions(staysByPerson([a, b]), ctx);
    expect(f.map((x) => x.violation)).toEqual(["repeated_admission"]);
  });
});

describe("low-indication admission and tier crossing", () => {
  it("flags a short exams-and-oral-drugs stay; not one with treatment", () => {
    const ctx = context();
    const s = stay({
      diagnoses: ["J15.902"],
      cost: 150_000,
      los: 2,
      fees: { "03": 60_000, "04": 50_000, "09": 40_000 },
    });
    const f = detectLowIndication(s, ctx);
    expect(f?.violation).toBe("low_indication");
    expect(f?.pricing?.corrected).toHaveLength(0);
    // A low outlier paid at actual cost (1500 yuan < 0.4 × 4581.72): all of it is the loss.
    expect(f?.fundLoss).toBe(150_000);
    const t = stay({
      diagnoses: ["J15.902"],
      cost: 150_000,
      los: 2,
      fees: { "03": 60_000, "05": 50_000, "09": 40_000 },
    });
    expect(detectLowIndication(t, ctx)).toBeNull();
  });
  it("flags a category excess that lifts a stay over the high-outlier threshold", () => {
    const shares = { "03": 0.2, "05": 0.2, "09": 0.6 };
    const ctx = context({ drgs: new Map([["ES35", norm("ES35", 458_172, shares)]]) });
    // ES35 standard 4581.72, high threshold ×3 = 13745.16 yuan; 05 inflated by 5000 yuan.
    const s = stay({
      diagnoses: ["J15.902"],
      cost: 1_400_000,
      fees: { "03": 180_000, "05": 680_000, "09": 540_000 },
    });
    const up = settleAsUploaded(s, ctx.settlement);
    expect(up.category).toBe("highOutlier");
    const f = detectTierCrossing(s, ctx, up);
    expect(f?.evidence[0]?.fields.category).toBe("05");
    expect(f?.pricing?.corrected[0]?.category).toBe("normal");
    const honest = stay({
      diagnoses: ["J15.902"],
      cost: 1_400_000,
      fees: { "03": 280_000, "05": 280_000, "09": 840_000 },
    });
    expect(detectTierCrossing(honest, ctx, settleAsUploaded(honest, ctx.settlement))).toBeNull();
  });
});

describe("item rules (项目规则)", () => {
  const ctx = context();
  it("intercepts a sex-restricted diagnosis as 明确违规", () => {
    const s = stay({ diagnoses: ["O80.000"], cost: 300_000, sex: "1", age: 30 });
    const f = detectItemRules(s, ctx);
    expect(f.some((x) => x.ruleId === "ZC-01" && x.outcome === "明确违规")).toBe(true);
    expect(
      detectItemRules(stay({ diagnoses: ["O80.000"], cost: 300_000, sex: "2", age: 30 }), ctx).filter(
        (x) => x.ruleId === "ZC-01",
      ),
    ).toHaveLength(0);
  });
  it("finds duplicate charges, bed days beyond the stay and exclusive items in detail items", () => {
    const base = stay({ diagnoses: ["J15.902"], cost: 300_000, los: 2 });
    const d = (code: string, name: string, date: string, quantity: number, unitPrice: number) => ({
      code,
      name,
      category: "01",
      date,
      quantity,
      unitPrice,
      amount: quantity * unitPrice,
    });
    const s = {
      ...base,
      details: [
        d("110200001", "普通病房床位费", "2023-05-01", 1, 5000),
        d("110200001", "普通病房床位费", "2023-05-01", 1, 5000),
        d("110200001", "普通病房床位费", "2023-05-02", 1, 5000),
        d("110200001", "普通病房床位费", "2023-05-03", 1, 5000),
        d("110200001", "普通病房床位费", "2023-05-04", 1, 5000),
        d("120100003", "Ⅰ级护理", "2023-05-02", 1, 2000),
        d("120100004", "Ⅱ级护理", "2023-05-02", 1, 1500),
      ],
    };
    const ids = detectItemRules(s, ctx)
      .map((f) => f.ruleId)
      .sort();
    expect(ids).toEqual(["YL-01", "ZC-03", "ZC-04"]);
    expect(detectItemRules({ ...s, details: s.details.slice(2, 4) }, ctx)).toHaveLength(0);
  });
});

describe("runAudit", () => {
  it("reports stays it cannot settle as unpriced and goes on", () => {
    const ctx = context();
    const ok = stay({ diagnoses: ["J15.902"], cost: 300_000 });
    const bad = { ...stay({ diagnoses: ["J15.902"], cost: 300_000 }), hospitalId: "UNKNOWN" };
    const r = runAudit([ok, bad], ctx);
    expect(r.unpriced.map((e) => e.stayId)).toEqual([bad.id]);
  });
});
