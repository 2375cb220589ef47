/**
 * The region's own spread (robust norms, issue 13): a DRG keeps the distribution of the cost-shifting
 * rule's exam+lab share, and 住院转门诊 with linked outpatient data is judged against a quantile of it,
 * not a fixed fraction of the mean. Values are binary fractions, so every edge is exact.
 */
import { describe, expect, it } from "vitest";
import { STARTER_RULE_BASE } from "../src/data/starter-rules.js";
import { detectCostShifting } from "../src/detect-stay.js";
import { learnNorms, quantileOf } from "../src/norms.js";
import { shareGroupsOf } from "../src/rules.js";
import { context, norm, stay } from "./helpers.js";

describe("quantileOf (type 7, linear between order statistics)", () => {
  const d = Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5]);
  it("by hand: q 0 → 0.1, 0.5 → 0.3, 1 → 0.5, 0.1 → 0.1 + 0.4 × 0.1 = 0.14; empty → null", () => {
    expect(quantileOf(d, 0)).toBe(0.1);
    expect(quantileOf(d, 0.5)).toBe(0.3);
    expect(quantileOf(d, 1)).toBe(0.5);
    expect(quantileOf(d, 0.1)).toBeCloseTo(0.14, 12);
    expect(quantileOf(new Float64Array(0), 0.5)).toBeNull();
  });
});

describe("learnNorms keeps each DRG's exam share distribution for the cost-shifting rule", () => {
  it("sorted, over the stays within the cost trim only", () => {
    const mk = (exam: number, cost = 320_000) =>
      stay({ diagnoses: ["J15.902"], cost, fees: { "03": exam, "09": cost - exam } });
    const stays = [mk(40_000), mk(10_000), mk(20_000), mk(30_000), mk(1_000_000, 3_200_000)];
    expect(new Set(stays.map((s) => s.group.drg)).size).toBe(1);
    const groups = shareGroupsOf(STARTER_RULE_BASE);
    expect(groups).toEqual({ cost_shifting: ["03", "04"] });
    const n = learnNorms(stays, { shareGroups: groups }).drgs.get(stays[0]?.group.drg as string);
    // 3,200,000 is over the median (320,000) × 2.5: left out like from the means.
    expect([...(n?.shareDistributions?.get("cost_shifting") ?? [])]).toEqual([
      1 / 32,
      2 / 32,
      3 / 32,
      4 / 32,
    ]);
  });
});

describe("住院转门诊 against the group's 5% quantile of exam share (starter rule)", () => {
  // 21 stays' shares i/32, i = 0…20: the 5% quantile is order statistic 1 + 0 → 1/32 = 0.03125.
  const base = norm("ES35", 458_172, { "03": 0.2, "04": 0.1, "09": 0.5 });
  const drgs = new Map([
    [
      "ES35",
      {
        ...base,
        shareDistributions: new Map([["cost_shifting", Float64Array.from({ length: 21 }, (_, i) => i / 32)]]),
      },
    ],
  ]);
  const ctx = context({ drgs });
  const moved = (exam: number) => ({
    ...stay({ diagnoses: ["J15.902"], cost: 320_000, fees: { "03": exam, "09": 320_000 - exam } }),
    // 600.00 of outpatient spending before admission: 18.75% of the stay, over the rule's 8%.
    outpatientBeforeAdmission: 60_000,
  });
  it("at the quantile (10,000 of 320,000 = 1/32) not flagged; one fen below flagged", () => {
    expect(moved(10_000).group.drg).toBe("ES35");
    expect(detectCostShifting(moved(10_000), ctx)).toBeNull();
    expect(detectCostShifting(moved(9_999), ctx)?.evidence[0]?.fields.mode).toBe("outpatient");
  });
  it("the mean rule alone (0.8 × 0.3 = 0.24) would have flagged a stay at 0.2 — the spread says it is ordinary", () => {
    expect(detectCostShifting(moved(64_000), ctx)).toBeNull();
    const { shareDistributions: _d, ...meanOnly } = drgs.get("ES35") as ReturnType<typeof norm>;
    const f = detectCostShifting(moved(64_000), context({ drgs: new Map([["ES35", meanOnly]]) }));
    expect(f?.evidence[0]?.fields.mode).toBe("outpatient");
  });
});
