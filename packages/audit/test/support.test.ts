import { describe, expect, it } from "vitest";
import { STARTER_DIAGNOSIS_SUPPORT } from "../src/data/diagnosis-support.js";
import { detectCostShifting, detectUpcodingSecondary } from "../src/detect-stay.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import { supportRuleOf, validateDiagnosisSupport } from "../src/support.js";
import { context, costScreening, norm, stay } from "./helpers.js";

function item(
  code: string,
  name: string,
  category: string,
  amount: number,
  extra: Partial<DetailItem> = {},
): DetailItem {
  return { code, name, category, date: "2023-05-04", quantity: 1, unitPrice: amount, amount, ...extra };
}

/** Routine admission items: bed, CBC, biochemistry panel, ECG, saline. Support nothing. */
const ROUTINE: DetailItem[] = [
  item("110200001", "普通病房床位费", "01", 5_000),
  item("250101015", "血细胞分析", "04", 2_500),
  item("250301099", "生化全套", "04", 18_000),
  item("310701001", "常规心电图检查", "03", 2_500),
  item("XB05CB01Y001", "0.9%氯化钠注射液", "09", 400),
];
const PNEUMONIA: DetailItem[] = [
  item("XJ01DD04Y001", "注射用头孢曲松钠", "09", 18_000),
  item("250501006", "痰培养及药敏", "04", 14_000),
];

function withDetails(s: AuditStay, details: DetailItem[]): AuditStay {
  return { ...s, details };
}

describe("diagnosis-support knowledge (诊疗依据知识库)", () => {
  it("is valid, versioned, covers every CC/MCC of the demo scheme and falls back by chapter", () => {
    expect(() => validateDiagnosisSupport(STARTER_DIAGNOSIS_SUPPORT)).not.toThrow();
    expect(STARTER_DIAGNOSIS_SUPPORT.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const code of [
      "C18.900",
      "C73.x00",
      "C76.002",
      "E87.600",
      "I21.900",
      "I25.901",
      "I50.900",
      "J15.902",
      "J18.900",
      "J44.100",
      "J96.900x001",
      "K76.401",
      "K80.000x002",
      "K81.002",
      "N18.500",
      "N19.x03",
      "P07.100",
      "S72.000",
    ]) {
      expect(supportRuleOf(STARTER_DIAGNOSIS_SUPPORT, code)?.source, code).toBe("diagnosis");
    }
    expect(supportRuleOf(STARTER_DIAGNOSIS_SUPPORT, "I34.000")?.source).toBe("chapter");
    expect(supportRuleOf(STARTER_DIAGNOSIS_SUPPORT, "Z51.100")).toBeNull();
    const bad = {
      ...STARTER_DIAGNOSIS_SUPPORT,
      diagnoses: [{ prefix: "X1", name: "坏", classes: ["none"] }],
    };
    expect(() => validateDiagnosisSupport(bad)).toThrow(/none/);
  });
});

describe("upcoding by unsupported secondary diagnosis, with detail charges", () => {
  const ctx = context();
  const base = stay({ diagnoses: ["J15.902", "I25.901"], cost: 600_000 });

  it("flags a CC with no supporting item that raises the group (ES35 → ES33)", () => {
    expect(base.group.drg).toBe("ES33");
    const f = detectUpcodingSecondary(withDetails(base, [...ROUTINE, ...PNEUMONIA]), ctx);
    expect(f).not.toBeNull();
    expect(f?.violation).toBe("upcoding_secondary");
    expect(f?.evidence[0]?.fields.diagnosis).toBe("I25.901");
    expect(f?.evidence[1]?.fields.groupWithout).toBe("ES35");
    expect(f?.fundLoss).toBe(Math.round(0.37 * 881_100));
  });

  it("does not flag the CC when the details carry its treatment (antiplatelet drug)", () => {
    const s = withDetails(base, [
      ...ROUTINE,
      ...PNEUMONIA,
      item("XB01AC06Y001", "阿司匹林肠溶片", "09", 300),
    ]);
    expect(detectUpcodingSecondary(s, ctx)).toBeNull();
  });

  it("does not flag a cheap stay on cost alone when the details support the CC", () => {
    const cheap = withDetails(stay({ diagnoses: ["J15.902", "I25.901"], cost: 300_000 }), [
      ...ROUTINE,
      ...PNEUMONIA,
      item("XC10AA05Y001", "阿托伐他汀钙片", "09", 600),
    ]);
    expect(detectUpcodingSecondary(cheap, ctx)).toBeNull();
    // Without details the rule abstains by default, and judges by cost when the region screens by cost.
    expect(detectUpcodingSecondary({ ...cheap, details: undefined }, ctx)).toBeNull();
    expect(detectUpcodingSecondary({ ...cheap, details: undefined }, costScreening(ctx))).not.toBeNull();
  });

  it("flags a CC whose only items are 诊疗依据 of the principal diagnosis (antibiotic of the pneumonia)", () => {
    const s = stay({ diagnoses: ["J15.902", "K81.002"], cost: 600_000 });
    expect(s.group.drg).toBe("ES33");
    const f = detectUpcodingSecondary(withDetails(s, [...ROUTINE, ...PNEUMONIA]), ctx);
    expect(f?.violation).toBe("upcoding_secondary");
    expect(f?.evidence[0]?.fields.diagnosis).toBe("K81.002");
    expect(f?.evidence[0]?.fields.sharedWithPrincipal).toEqual(["therapeutic_antibiotic"]);
    expect(f?.evidence[0]?.text).toContain("均为主要诊断");
    // With an item of its own (hepatobiliary ultrasound) the cholecystitis is supported.
    const own = withDetails(s, [
      ...ROUTINE,
      ...PNEUMONIA,
      item("220301001", "彩色多普勒超声（肝胆胰脾）", "03", 18_000),
    ]);
    expect(detectUpcodingSecondary(own, ctx)).toBeNull();
    // A region whose rule does not discount shared evidence (parameter off) accepts the antibiotic.
    const lenient = {
      ...ctx,
      rules: {
        ...ctx.rules,
        rules: ctx.rules.rules.map((r) =>
          r.check.kind === "upcoding_secondary"
            ? { ...r, check: { ...r.check, principalEvidenceExplains: false } }
            : r,
        ),
      },
    };
    expect(detectUpcodingSecondary(withDetails(s, [...ROUTINE, ...PNEUMONIA]), lenient)).toBeNull();
  });

  it("ignores a CC excluded by the principal diagnosis (CC 排除表): it does not raise the group", () => {
    const s = stay({ diagnoses: ["J15.902", "J18.900"], cost: 400_000 });
    expect(s.group.drg).toBe("ES35");
    expect(detectUpcodingSecondary(withDetails(s, ROUTINE), ctx)).toBeNull();
  });
});

describe("cost shifting with detail charges (目录内项目按全自费收取)", () => {
  const drgs = new Map([["ES35", norm("ES35", 458_172, { "03": 0.1, "04": 0.15, "09": 0.5 })]]);
  const ctx = context({ drgs });
  const s = stay({
    diagnoses: ["J15.902"],
    cost: 400_000,
    fees: { "03": 40_000, "04": 60_000, "09": 300_000 },
    patientShare: 120_000,
  });
  it("flags covered drugs billed as self-pay", () => {
    const shifted = withDetails(s, [
      ...ROUTINE,
      item("XJ01MA12Y001", "左氧氟沙星氯化钠注射液", "09", 30_000, { chrgitmLv: "02", ownPayAmount: 30_000 }),
    ]);
    const f = detectCostShifting(shifted, ctx);
    expect(f?.violation).toBe("cost_shifting");
    expect(f?.evidence[0]?.fields.coveredOwnPay).toBe(30_000);
  });
  it("does not flag genuinely self-pay (丙类) items", () => {
    const honest = withDetails(s, [
      ...ROUTINE,
      item("XA16AX99Y003", "自费营养补充剂", "09", 30_000, { chrgitmLv: "03", ownPayAmount: 30_000 }),
    ]);
    expect(detectCostShifting(honest, ctx)).toBeNull();
  });
  it("flags large pre-admission outpatient spending with exams below the group", () => {
    const moved = stay({
      diagnoses: ["J15.902"],
      cost: 400_000,
      fees: { "03": 10_000, "04": 20_000, "09": 370_000 },
    });
    expect(
      detectCostShifting({ ...moved, outpatientBeforeAdmission: 60_000 }, ctx)?.evidence[0]?.fields.mode,
    ).toBe("outpatient");
    expect(detectCostShifting({ ...moved, outpatientBeforeAdmission: 10_000 }, ctx)).toBeNull();
  });
});
