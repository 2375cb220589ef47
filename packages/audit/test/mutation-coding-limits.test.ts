/**
 * Further tests written against the surviving mutants of detect-coding.ts (issue 16,
 * docs/mutation.md): several unsupported secondary diagnoses at once, an excluded CC beside a
 * counted one, an MCC, the lighter group without a weight or of the same weight, principals and
 * near codes known only by their ICD-10 chapter, a stay of no cost judged by its details, and QY
 * removal tried only on an ambiguous stay. Weights: rate 8811 元 × RW; the context's table is given
 * per test.
 */
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { parseDrgWeightTable } from "@yibao/payment/policy";
import { createSettlementContext } from "@yibao/payment/settle";
import { describe, expect, it } from "vitest";
import type { AuditContext } from "../src/context.js";
import { STARTER_KNOWLEDGE_BASE } from "../src/data/starter-knowledge.js";
import { STARTER_RULE_BASE } from "../src/data/starter-rules.js";
import { detectQyAmbiguity, detectUpcodingPrincipal, detectUpcodingSecondary } from "../src/detect-stay.js";
import type { AuditStay, DetailItem } from "../src/model.js";
import { settleAsUploaded } from "../src/pricing.js";
import { context, examplePolicy, stay, withCheck } from "./helpers.js";

const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);

/** A context with these weights (RW as text), no norms but the MDC's ADRGs and their top principals. */
function ctxOf(
  weights: Record<string, string>,
  mdc: [string, string[]][] = [],
  principals: [string, string[]][] = [],
): AuditContext {
  const policy = examplePolicy("mut-coding-2");
  const table = parseDrgWeightTable({
    id: "mut-coding-2-weights",
    version: "1",
    effectiveFrom: "2020-01-01",
    entries: Object.entries(weights).map(([drg, rw]) => ({
      drg,
      rw,
      avgCost: ((Number(rw) * 881_100) / 100).toFixed(2),
    })),
  });
  return {
    scheme,
    rules: STARTER_RULE_BASE,
    knowledge: STARTER_KNOWLEDGE_BASE,
    settlement: createSettlementContext({
      policies: [{ policy, weights: table }],
      hospitals: [{ id: "H1", level: "3" }],
    }),
    norms: {
      drgs: new Map(),
      principalsByAdrg: new Map(principals),
      procedureByPrincipal: new Map(),
      adrgsByMdc: new Map(mdc),
    },
  };
}

function item(code: string, name: string, category: string, amount: number): DetailItem {
  return { code, name, category, date: "2023-05-04", quantity: 1, unitPrice: amount, amount };
}
const BED = item("110200001", "普通病房床位费", "01", 5_000);
const CEFTRIAXONE = item("XJ01DD04Y001", "注射用头孢曲松钠", "09", 18_000);
const LIVER_US = item("220301001", "彩色多普勒超声（肝胆胰脾）", "03", 18_000);
const AFP = item("250403003", "甲胎蛋白测定", "04", 6_000);
const withDetails = (s: AuditStay, details: DetailItem[]): AuditStay => ({ ...s, details });

describe("secondary diagnoses without 诊疗依据, by detail items", () => {
  const ctx = context();
  it("two of them, one with only the principal's items: both named and removed together", () => {
    const s = withDetails(stay({ id: "TWO", diagnoses: ["J15.902", "I25.901", "K81.002"], cost: 600_000 }), [
      BED,
      CEFTRIAXONE,
    ]);
    expect(s.group.drg).toBe("ES33");
    const f = detectUpcodingSecondary(s, ctx);
    expect(f?.message).toBe(
      "疑似虚假或多编次要诊断 I25.901（冠状动脉性心脏病）、K81.002（急性化脓性胆囊炎）：费用明细中无该诊断本身的诊疗依据，去除后入 ES35，基金多支付 3260.07 元",
    );
    expect(f?.evidence.map((e) => e.fields.diagnosis ?? null)).toEqual([
      "I25.901",
      "K81.002",
      null,
      null,
      null,
      null,
    ]);
    expect(f?.evidence[2]?.fields.removed).toEqual(["I25.901", "K81.002"]);
    expect(f?.evidence.slice(4).map((e) => e.text)).toEqual([
      "分组依据：次要诊断 I25.901（冠状动脉性心脏病） 为 CC，计入",
      "分组依据：次要诊断 K81.002（急性化脓性胆囊炎） 为 CC，计入",
    ]);
  });
  it("a CC excluded by the principal is not counted, even without its own 诊疗依据", () => {
    const s = withDetails(stay({ id: "EXC", diagnoses: ["J15.902", "I25.901", "J18.900"], cost: 600_000 }), [
      BED,
    ]);
    const f = detectUpcodingSecondary(s, ctx);
    expect(f?.message).toBe(
      "疑似虚假或多编次要诊断 I25.901（冠状动脉性心脏病）：费用明细中无相应诊疗依据，去除后入 ES35，基金多支付 3260.07 元",
    );
    expect(f?.evidence[1]?.fields.removed).toEqual(["I25.901"]);
  });
  it("without the principal-evidence parameter an unsupported CC is still found", () => {
    const lenient = withCheck(ctx, "upcoding_secondary", { principalEvidenceExplains: false });
    const s = withDetails(stay({ diagnoses: ["J15.902", "I25.901"], cost: 600_000 }), [BED, CEFTRIAXONE]);
    expect(detectUpcodingSecondary(s, lenient)?.evidence[0]?.fields.diagnosis).toBe("I25.901");
  });
  it("an MCC is named as such; a lighter group without a weight is no finding", () => {
    // J15.902 with J44.100 (MCC): ES31, 1.20; without it ES35, 0.52.
    const c = ctxOf({ ES31: "1.20", ES35: "0.52" });
    const s = withDetails(stay({ diagnoses: ["J15.902", "J44.100"], cost: 600_000 }), [BED, CEFTRIAXONE]);
    expect(s.group.drg).toBe("ES31");
    const f = detectUpcodingSecondary(s, c);
    expect(f?.evidence[0]?.fields.level).toBe("MCC");
    expect(f?.evidence[0]?.text).toMatch(/^次要诊断 J44\.100（慢性阻塞性肺病伴有急性加重） 为 MCC；/);
    expect(detectUpcodingSecondary(s, ctxOf({ ES31: "1.20" }))).toBeNull();
  });
});

describe("secondary diagnoses judged by cost: MCC, the lighter group's weight", () => {
  const cost = (c: AuditContext) => withCheck(c, "upcoding_secondary", { withoutDetails: "cost" });
  const s = stay({ diagnoses: ["J15.902", "J44.100"], cost: 100_000 });
  it("an MCC is named as such", () => {
    const f = detectUpcodingSecondary(s, cost(ctxOf({ ES31: "1.20", ES35: "0.52" })));
    expect(f?.evidence[0]?.text).toBe(
      "次要诊断 J44.100（慢性阻塞性肺病伴有急性加重） 为 MCC，使病例由 ES35（权重 0.52）入 ES31（权重 1.20）",
    );
  });
  it("no weight for the lighter group, or the same weight: nothing", () => {
    expect(detectUpcodingSecondary(s, cost(ctxOf({ ES31: "1.20" })))).toBeNull();
    expect(detectUpcodingSecondary(s, cost(ctxOf({ ES31: "1.20", ES35: "1.20" })))).toBeNull();
    expect(detectUpcodingSecondary(s, cost(ctxOf({ ES31: "1.20", ES35: "1.19" })))).not.toBeNull();
  });
});

describe("upcoding of the principal by detail items: ICD-10 chapters, weights, no cost", () => {
  // MDC H: D18.013 (HZ15, known by the 肿瘤 chapter only), K81.002 (HU15, 胆囊炎).
  it("a principal known only by its chapter is not judged", () => {
    const c = ctxOf({ HZ15: "1.00", HU15: "0.64" }, [["H", ["HZ1", "HU1"]]], [["HU1", ["K81.002"]]]);
    const s = withDetails(stay({ diagnoses: ["D18.013"], cost: 600_000 }), [BED, LIVER_US]);
    expect(s.group.drg).toBe("HZ15");
    expect(detectUpcodingPrincipal(s, c)).toBeNull();
  });
  it("a near code known only by its chapter is not proposed; one with its own rule is", () => {
    const c = ctxOf({ HZ15: "0.50", HU15: "0.64" }, [["H", ["HU1", "HZ1"]]], [["HZ1", ["D18.013"]]]);
    const s = withDetails(stay({ diagnoses: ["K81.002"], cost: 600_000 }), [BED, AFP]);
    expect(detectUpcodingPrincipal(s, c)).toBeNull();
    const k = ctxOf({ HZ15: "0.50", HU15: "0.64" }, [["H", ["HU1", "HZ1"]]], [["HZ1", ["K76.401"]]]);
    const t = withDetails(stay({ diagnoses: ["K81.002"], cost: 600_000 }), [
      BED,
      item("250305012", "肝纤维化检测", "04", 3_000),
    ]);
    expect(detectUpcodingPrincipal(t, k)?.evidence[1]?.fields.nearCode).toBe("K76.401");
  });
  it("a near group without a weight, or not lighter, is not proposed", () => {
    const s = withDetails(stay({ diagnoses: ["K81.002"], cost: 600_000 }), [
      BED,
      item("250305012", "肝纤维化检测", "04", 3_000),
    ]);
    const mdc: [string, string[]][] = [["H", ["HU1", "HZ1"]]];
    const top: [string, string[]][] = [["HZ1", ["K76.401"]]];
    expect(detectUpcodingPrincipal(s, ctxOf({ HU15: "0.64" }, mdc, top))).toBeNull();
    expect(detectUpcodingPrincipal(s, ctxOf({ HZ15: "0.64", HU15: "0.64" }, mdc, top))).toBeNull();
    expect(detectUpcodingPrincipal(s, ctxOf({ HZ15: "0.63", HU15: "0.64" }, mdc, top))).not.toBeNull();
  });
  it("a stay of no cost is not judged, with or without details", () => {
    const c = ctxOf({ HZ15: "0.50", HU15: "0.64" }, [["H", ["HU1", "HZ1"]]], [["HZ1", ["K76.401"]]]);
    const s = withDetails(stay({ diagnoses: ["K81.002"], cost: 600_000 }), [
      BED,
      item("250305012", "肝纤维化检测", "04", 3_000),
    ]);
    expect(detectUpcodingPrincipal(s, c)).not.toBeNull();
    expect(detectUpcodingPrincipal({ ...s, totalCost: 0 }, c)).toBeNull();
  });
});

describe("QY removal is tried on ambiguous stays only", () => {
  it("an operated stay of its proper group is not a QY case", () => {
    const ctx = context();
    // HC25 (K81.002 with 51.2300) costing 10000.00 元: removing the operation would give HU15, whose
    // standard 5639.04 < 10000.00 ≤ 16917.12; but the stay is not ambiguous.
    const s = stay({ diagnoses: ["K81.002"], procedures: ["51.2300"], cost: 1_000_000 });
    expect(s.group.status).toBe("OK");
    expect(detectQyAmbiguity(s, ctx, settleAsUploaded(s, ctx.settlement))).toBeNull();
  });
});
