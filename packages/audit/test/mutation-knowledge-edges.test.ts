/**
 * Last tests written against surviving mutants (issue 16, docs/mutation.md): knowledge bases without a
 * rule for a diagnosis or with its chapter only, near codes also coded as secondary diagnoses, ties of
 * weight and of fit, equal weights with different means, unweighted groups with a norm; several
 * secondaries of which only one is unsupported; item texts and bed days two days over; readmissions
 * by category with a missing principal; hospitals in code order. Weights: RW × 8811 元.
 */
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { parseDrgWeightTable } from "@yibao/payment/policy";
import { createSettlementContext } from "@yibao/payment/settle";
import { describe, expect, it } from "vitest";
import type { AuditContext } from "../src/context.js";
import { STARTER_KNOWLEDGE_BASE } from "../src/data/starter-knowledge.js";
import { STARTER_RULE_BASE } from "../src/data/starter-rules.js";
import { detectItemRules } from "../src/detect-items.js";
import { detectPatientSelection, detectReadmissions, staysByPerson } from "../src/detect-population.js";
import {
  detectCostShifting,
  detectTierCrossing,
  detectUpcodingPrincipal,
  detectUpcodingSecondary,
} from "../src/detect-stay.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import type { DrgNorm } from "../src/norms.js";
import { settleAsUploaded } from "../src/pricing.js";
import type { KnowledgeBase } from "../src/rules.js";
import { context, examplePolicy, norm, stay, withCheck } from "./helpers.js";

const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);
const SUPPORT = STARTER_KNOWLEDGE_BASE.diagnosisSupport;
if (SUPPORT === undefined) throw new Error("the starter knowledge has diagnosis support");

/** Weights as [RW, average cost in yuan]; norms; MDC E's or H's ADRGs and top principals. */
function ctxOf(
  weights: Record<string, [string, string]>,
  p: {
    norms?: DrgNorm[];
    mdc?: [string, string[]][];
    principals?: [string, string[]][];
    knowledge?: KnowledgeBase;
  } = {},
): AuditContext {
  const policy = examplePolicy("mut-kb");
  const table = parseDrgWeightTable({
    id: "mut-kb-weights",
    version: "1",
    effectiveFrom: "2020-01-01",
    entries: Object.entries(weights).map(([drg, [rw, avgCost]]) => ({ drg, rw, avgCost })),
  });
  return {
    scheme,
    rules: STARTER_RULE_BASE,
    knowledge: p.knowledge ?? STARTER_KNOWLEDGE_BASE,
    settlement: createSettlementContext({
      policies: [{ policy, weights: table }],
      hospitals: [{ id: "H1", level: "3" }],
    }),
    norms: {
      drgs: new Map((p.norms ?? []).map((x) => [x.drg, x])),
      principalsByAdrg: new Map(p.principals ?? []),
      procedureByPrincipal: new Map(),
      adrgsByMdc: new Map(p.mdc ?? []),
    },
  };
}

/** The starter knowledge without the diagnosis rules of these prefixes (and, if asked, without chapters). */
function knowledgeWithout(prefixes: string[], chapters = true): KnowledgeBase {
  if (SUPPORT === undefined) throw new Error("unreachable");
  return {
    ...STARTER_KNOWLEDGE_BASE,
    diagnosisSupport: {
      ...SUPPORT,
      diagnoses: SUPPORT.diagnoses.filter((d) => !prefixes.includes(d.prefix)),
      chapterFallbacks: chapters ? SUPPORT.chapterFallbacks : [],
    },
  };
}

function item(code: string, name: string, category: string, amount: number): DetailItem {
  return { code, name, category, date: "2023-05-04", quantity: 1, unitPrice: amount, amount };
}
const BED = item("110200001", "普通病房床位费", "01", 5_000);
const LIVER_US = item("220301001", "彩色多普勒超声（肝胆胰脾）", "03", 18_000);
const AFP = item("250403003", "甲胎蛋白测定", "04", 6_000);
const SALBUTAMOL = item("XR03AC02Y001", "沙丁胺醇气雾剂", "09", 3_000);
const CEFTRIAXONE = item("XJ01DD04Y001", "注射用头孢曲松钠", "09", 18_000);
const withDetails = (s: AuditStay, details: DetailItem[]): AuditStay => ({ ...s, details });

describe("diagnoses the knowledge base knows by chapter only, or not at all", () => {
  const H: [string, string[]][] = [["H", ["HZ1", "HU1"]]];
  it("a principal known only by its chapter (D18 rule removed) is not judged", () => {
    const c = ctxOf(
      { HZ15: ["1.00", "8811.00"], HU15: ["0.64", "5639.04"] },
      {
        mdc: H,
        principals: [["HU1", ["K81.002"]]],
        knowledge: knowledgeWithout(["D18"]),
      },
    );
    const s = withDetails(stay({ diagnoses: ["D18.013"], cost: 600_000 }), [BED, LIVER_US]);
    expect(detectUpcodingPrincipal(s, c)).toBeNull();
    // With its own rule back, the same stay is supported by the ultrasound: nothing either.
    expect(detectUpcodingPrincipal(s, { ...c, knowledge: STARTER_KNOWLEDGE_BASE })).toBeNull();
  });
  it("a near code known only by its chapter (D18 rule removed) is not proposed", () => {
    const weights: Record<string, [string, string]> = {
      HZ15: ["0.50", "4405.50"],
      HU15: ["0.64", "5639.04"],
    };
    const c = ctxOf(weights, {
      mdc: [["H", ["HU1", "HZ1"]]],
      principals: [["HZ1", ["D18.013"]]],
      knowledge: knowledgeWithout(["D18"]),
    });
    const s = withDetails(stay({ diagnoses: ["K81.002"], cost: 600_000 }), [BED, AFP]);
    expect(detectUpcodingPrincipal(s, c)).toBeNull();
  });
  it("a principal or a near code without any rule is not judged; a secondary without any rule is not removed", () => {
    const none = knowledgeWithout(["J96", "J44", "I25"], false);
    const c = ctxOf(
      { ER35: ["1.10", "9692.10"], ET25: ["0.80", "7048.80"] },
      {
        mdc: [["E", ["ER3", "ET2"]]],
        principals: [["ET2", ["J44.100"]]],
        knowledge: none,
      },
    );
    const s = withDetails(stay({ diagnoses: ["J96.900x001"], cost: 600_000 }), [BED, SALBUTAMOL]);
    expect(detectUpcodingPrincipal(s, c)).toBeNull();
    const withJ96 = knowledgeWithout(["J44", "I25"], false);
    expect(detectUpcodingPrincipal(s, { ...c, knowledge: withJ96 })).toBeNull();
    const sec = withDetails(stay({ diagnoses: ["J15.902", "I25.901"], cost: 600_000 }), [BED, CEFTRIAXONE]);
    expect(detectUpcodingSecondary(sec, { ...context(), knowledge: none })).toBeNull();
  });
});

describe("near codes, ties and weights", () => {
  const E: [string, string[]][] = [["E", ["ER3", "ET2", "ES3"]]];
  it("a near code coded as a secondary diagnosis is not proposed (J20.900, no CC)", () => {
    const c = ctxOf(
      { ER35: ["1.10", "9692.10"], ES35: ["0.52", "4581.72"] },
      { mdc: E, principals: [["ES3", ["J20.900"]]] },
    );
    const s = stay({ diagnoses: ["J96.900x001", "J20.900"], cost: 458_172 });
    expect(s.group.drg).toBe("ER35");
    expect(detectUpcodingPrincipal(withDetails(s, [BED, SALBUTAMOL]), c)).toBeNull();
    expect(
      detectUpcodingPrincipal(s, withCheck(c, "upcoding_principal", { withoutDetails: "cost" })),
    ).toBeNull();
    // Not coded as a secondary: proposed.
    const t = stay({ diagnoses: ["J96.900x001"], cost: 458_172 });
    expect(detectUpcodingPrincipal(withDetails(t, [BED, SALBUTAMOL]), c)?.evidence[1]?.fields.nearCode).toBe(
      "J20.900",
    );
  });
  it("of near codes with as many classes and the same weight the first is kept (details)", () => {
    const c = ctxOf(
      { ER35: ["1.10", "9692.10"], ET25: ["0.80", "7048.80"], ES35: ["0.80", "7048.80"] },
      {
        mdc: E,
        principals: [
          ["ET2", ["J44.100"]],
          ["ES3", ["J18.900"]],
        ],
      },
    );
    const s = withDetails(stay({ diagnoses: ["J96.900x001"], cost: 600_000 }), [SALBUTAMOL, CEFTRIAXONE]);
    expect(detectUpcodingPrincipal(s, c)?.evidence[1]?.fields.nearCode).toBe("J44.100");
  });
  it("of near codes fitting the cost equally the first is kept (cost)", () => {
    // ET25 and ES35 both 0.70 (6167.70 元); ER35 1.10 (9692.10 元); cost 6167.70: ratio 0.64, gain 0.45.
    const c = withCheck(
      ctxOf(
        { ER35: ["1.10", "9692.10"], ET25: ["0.70", "6167.70"], ES35: ["0.70", "6167.70"] },
        {
          mdc: E,
          principals: [
            ["ET2", ["J44.100"]],
            ["ES3", ["J18.900"]],
          ],
        },
      ),
      "upcoding_principal",
      { withoutDetails: "cost" },
    );
    expect(
      detectUpcodingPrincipal(stay({ diagnoses: ["J96.900x001"], cost: 616_770 }), c)?.evidence[1]?.fields
        .nearCode,
    ).toBe("J44.100");
  });
  it("a near group of the same weight is not lighter, whatever its mean; one without a weight is not proposed", () => {
    const same = withCheck(
      ctxOf(
        { ER35: ["1.10", "20000.00"], ET25: ["1.10", "5000.00"] },
        { mdc: [["E", ["ER3", "ET2"]]], principals: [["ET2", ["J44.100"]]] },
      ),
      "upcoding_principal",
      { withoutDetails: "cost" },
    );
    expect(detectUpcodingPrincipal(stay({ diagnoses: ["J96.900x001"], cost: 500_000 }), same)).toBeNull();
    const unweighted = withCheck(
      ctxOf(
        { ER35: ["1.10", "20000.00"] },
        { norms: [norm("ET25", 500_000)], mdc: [["E", ["ER3", "ET2"]]], principals: [["ET2", ["J44.100"]]] },
      ),
      "upcoding_principal",
      { withoutDetails: "cost" },
    );
    expect(
      detectUpcodingPrincipal(stay({ diagnoses: ["J96.900x001"], cost: 500_000 }), unweighted),
    ).toBeNull();
  });
  it("without the withoutDetails parameter the rules abstain on a stay without details", () => {
    const c = ctxOf(
      {
        ER35: ["1.10", "10000.00"],
        ET25: ["0.80", "5000.00"],
        ES33: ["0.89", "7841.79"],
        ES35: ["0.52", "4581.72"],
      },
      { mdc: [["E", ["ER3", "ET2"]]], principals: [["ET2", ["J44.100"]]] },
    );
    const p = withCheck(c, "upcoding_principal", { withoutDetails: undefined });
    expect(detectUpcodingPrincipal(stay({ diagnoses: ["J96.900x001"], cost: 500_000 }), p)).toBeNull();
    const sec = withCheck(c, "upcoding_secondary", { withoutDetails: undefined });
    expect(
      detectUpcodingSecondary(stay({ diagnoses: ["J15.902", "I25.901"], cost: 100_000 }), sec),
    ).toBeNull();
  });
});

describe("secondary diagnoses: one removed among several, weights and norms of the lower group", () => {
  it("removing one of two CCs leaves the group: nothing, by cost and by details", () => {
    const both = stay({ diagnoses: ["J15.902", "I25.901", "K81.002"], cost: 100_000 });
    expect(both.group.drg).toBe("ES33");
    expect(
      detectUpcodingSecondary(both, withCheck(context(), "upcoding_secondary", { withoutDetails: "cost" })),
    ).toBeNull();
    // K81.002 supported by the ultrasound, I25.901 not: without I25.901 the stay is still ES33.
    expect(detectUpcodingSecondary(withDetails(both, [BED, LIVER_US]), context())).toBeNull();
  });
  it("a lower group of the same weight is not lighter, whatever its mean", () => {
    const c = withCheck(
      ctxOf({ ES31: ["1.20", "20000.00"], ES35: ["1.20", "4581.72"] }),
      "upcoding_secondary",
      {
        withoutDetails: "cost",
      },
    );
    expect(detectUpcodingSecondary(stay({ diagnoses: ["J15.902", "J44.100"], cost: 100_000 }), c)).toBeNull();
    expect(
      detectUpcodingSecondary(
        stay({ diagnoses: ["J15.902", "J44.100"], cost: 100_000 }),
        withCheck(ctxOf({ ES31: ["1.20", "20000.00"], ES35: ["1.19", "4581.72"] }), "upcoding_secondary", {
          withoutDetails: "cost",
        }),
      ),
    ).not.toBeNull();
  });
  it("a lower group with a norm but no weight is not proposed", () => {
    const c = withCheck(
      ctxOf({ ES31: ["1.20", "20000.00"] }, { norms: [norm("ES35", 458_172)] }),
      "upcoding_secondary",
      {
        withoutDetails: "cost",
      },
    );
    expect(detectUpcodingSecondary(stay({ diagnoses: ["J15.902", "J44.100"], cost: 100_000 }), c)).toBeNull();
  });
  it("the grouping evidence names the removed CC only, not the excluded one", () => {
    const s = withDetails(stay({ diagnoses: ["J15.902", "I25.901", "J18.900"], cost: 600_000 }), [BED]);
    const f = detectUpcodingSecondary(s, context());
    expect(f?.evidence.filter((e) => e.fields.stage === "cc").map((e) => e.text)).toEqual([
      "分组依据：次要诊断 I25.901（冠状动脉性心脏病） 为 CC，计入",
    ]);
    expect(f?.evidence).toHaveLength(4);
  });
});

describe("other texts and amounts", () => {
  it("cost shifting keeps the uploaded stay in its pricing", () => {
    const ctx = context({ drgs: new Map([["ES35", norm("ES35", 458_172, { "03": 0.125, "04": 0.125 })]]) });
    const s = stay({ diagnoses: ["J15.902"], cost: 400_000, fees: { "09": 400_000 } });
    const f = detectCostShifting(s, ctx);
    expect(f?.pricing?.original.map((x) => x.totalCost)).toEqual([400_000]);
  });
  it("a required item named by code only has no starred prefix", () => {
    const kb: KnowledgeBase = {
      ...STARTER_KNOWLEDGE_BASE,
      paymentLimits: [{ name: "某药", codes: ["Y1"], text: "须有检验", requires: { codes: ["R1"] } }],
    };
    const s = stay({ diagnoses: ["J15.902"], cost: 150_000 });
    const f = detectItemRules(
      { ...s, details: [{ ...item("Y1", "某药", "09", 1_000), chrgitmLv: "02" }] },
      { ...context(), knowledge: kb },
    );
    expect(f.map((x) => x.evidence[0]?.fields.unmet)).toEqual([["本次住院未收取 R1"]]);
  });
  it("age ranges open at the top are shown to ∞ in the evidence too", () => {
    const kb: KnowledgeBase = {
      ...STARTER_KNOWLEDGE_BASE,
      items: [{ code: "Q2", name: "某成人项目", category: "05", minAge: 18 }],
      diagnosisRestrictions: [{ prefix: "J15", name: "某成人病", minAge: 18 }],
    };
    const s = stay({ diagnoses: ["J15.902"], cost: 150_000, age: 17 });
    const f = detectItemRules(
      { ...s, details: [item("Q2", "某项", "05", 600)] },
      { ...context(), knowledge: kb },
    );
    expect(f.map((x) => x.evidence[0]?.text)).toEqual([
      "诊断 J15.902 属「某成人病」，年龄范围 18–∞ 岁",
      "2023-05-04 收取 某项，年龄范围 18–∞ 岁",
    ]);
  });
  it("bed days two over: 5 bed days on a 2-day stay, 2 of 5 × 250.00 元 = 100.00 元", () => {
    const days = ["2023-05-01", "2023-05-02", "2023-05-03", "2023-05-04", "2023-05-05"];
    const s = stay({ diagnoses: ["J15.902"], cost: 150_000, los: 2 });
    const f = detectItemRules(
      { ...s, details: days.map((d) => ({ ...item("110200001", "床位费", "01", 5_000), date: d })) },
      context(),
    );
    expect(f.map((x) => x.evidence[0]?.fields)).toEqual([
      { bedDays: 5, los: 2, allowed: 3, excessAmount: 10_000 },
    ]);
  });
  it("a tier crossing needs the group's norm", () => {
    const s = stay({ diagnoses: ["J15.902"], cost: 1_400_000, fees: { "05": 300_387, "09": 1_099_613 } });
    const ctx = context({ drgs: new Map() });
    expect(detectTierCrossing(s, ctx, settleAsUploaded(s, ctx.settlement))).toBeNull();
  });
});

describe("readmissions and patient selection: missing principals, hospital order", () => {
  it("by category, a stay without a principal is not the same illness as another", () => {
    const anywhere = withCheck(
      withCheck(context(), "split_admission", { sameHospital: false, relation: "category" }),
      "repeated_admission",
      { sameHospital: false },
    );
    const a = stay({ diagnoses: ["D25.900"], cost: 300_000, person: "KC", adm: 19_500, los: 4 });
    const b = stay({
      diagnoses: ["D25.900"],
      cost: 300_000,
      person: "KC",
      adm: 19_506,
      los: 4,
      hospital: "H2",
    });
    const empty = (s: AuditStay): AuditStay => ({ ...s, record: { ...s.record, diagnoses: [] } });
    const kinds = (x: AuditStay, y: AuditStay) =>
      detectReadmissions(staysByPerson([x, y]), anywhere).map((f) => f.violation);
    expect(kinds(empty(a), b)).toEqual(["repeated_admission"]);
    expect(kinds(a, empty(b))).toEqual(["repeated_admission"]);
    expect(kinds(a, b)).toEqual(["split_admission"]);
  });
  it("hospitals are reported in code order whatever the order of their stays", () => {
    const rule = { periodMonths: 6, highWeightRw: 1.26, elderlyAge: 65, minCases: 2, maxRelativeDrop: 0.49 };
    const ctx = withCheck(context(), "patient_selection", rule);
    let n = 0;
    const hc25 = (hospital: string, day: number) =>
      stay({
        id: `HO${++n}`,
        diagnoses: ["K81.002"],
        procedures: ["51.2300"],
        cost: 1_000_000,
        age: 40,
        adm: day - 7,
        hospital,
      });
    const es35 = (hospital: string, day: number) =>
      stay({ id: `HO${++n}`, diagnoses: ["J15.902"], cost: 300_000, age: 40, adm: day - 7, hospital });
    const of = (h: string) => [hc25(h, 19_538), hc25(h, 19_538), es35(h, 19_539), es35(h, 19_539)];
    const f = detectPatientSelection([...of("H2"), ...of("H3"), ...of("H1")], ctx);
    expect(f.map((x) => x.hospitalId)).toEqual(["H1", "H2", "H3"]);
  });
});
