import { describe, expect, it } from "vitest";
import { STARTER_RULE_BASE } from "../src/data/starter-rules.js";
import { makeFinding } from "../src/finding.js";
import { applyAction, clearingDeductions, openCase, WorkflowError } from "../src/workflow.js";

const rule = STARTER_RULE_BASE.rules[0] as (typeof STARTER_RULE_BASE.rules)[number];
const finding = makeFinding(rule, {
  stayIds: ["S1", "S2"],
  hospitalId: "H1",
  message: "疑似分解住院",
  evidence: [],
  pricing: null,
});
const bureau = { by: "经办员甲", role: "bureau" as const, at: "2024-01-02T09:00:00" };
const hospital = { by: "医保办乙", role: "hospital" as const, at: "2024-01-05T10:00:00" };
const reviewer = { by: "复核专家丙", role: "reviewer" as const, at: "2024-01-10T15:00:00" };

describe("case workflow (申诉/复核/扣款)", () => {
  it("goes finding → appeal → upheld → deducted → closed with a full trail", () => {
    let c = { ...openCase(finding, bureau), deduction: 458_172 };
    c = applyAction(
      c,
      { type: "appeal", statement: "第二次住院为病情变化", evidence: [{ title: "病程记录", content: "…" }] },
      hospital,
    );
    c = applyAction(c, { type: "decide", decision: "upheld", reason: "两次住院诊断、治疗一致" }, reviewer);
    c = applyAction(c, { type: "deduct", clearingId: "2024-清算" }, { ...bureau, at: "2025-01-15T09:00:00" });
    c = applyAction(c, { type: "close", reason: "已扣款" }, { ...bureau, at: "2025-01-16T09:00:00" });
    expect(c.state).toBe("closed");
    expect(c.trail.map((t) => `${t.from}>${t.to}`)).toEqual([
      "open>open",
      "open>appealed",
      "appealed>upheld",
      "upheld>deducted",
      "deducted>closed",
    ]);
    expect(c.trail[1]?.by).toBe("医保办乙");
    expect(clearingDeductions([c], "2024-清算")).toBe(458_172);
  });
  it("an overturned case deducts nothing", () => {
    let c = openCase(finding, bureau);
    c = applyAction(c, { type: "appeal", statement: "计划性再入院漏报", evidence: [] }, hospital);
    c = applyAction(c, { type: "decide", decision: "overturned", reason: "有化疗计划记录" }, reviewer);
    expect(c.deduction).toBe(0);
    expect(() => applyAction(c, { type: "deduct", clearingId: "X" }, bureau)).toThrow(WorkflowError);
  });
  it("refuses invalid transitions, wrong roles, empty reasons and time going backwards", () => {
    const c = openCase(finding, bureau);
    expect(() => applyAction(c, { type: "decide", decision: "upheld", reason: "x" }, reviewer)).toThrow(
      /不能执行/,
    );
    expect(() => applyAction(c, { type: "appeal", statement: "x", evidence: [] }, reviewer)).toThrow(/无权/);
    const reasonOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as WorkflowError).reason;
      }
      return null;
    };
    expect(reasonOf(() => applyAction(c, { type: "appeal", statement: "x", evidence: [] }, reviewer))).toBe(
      "forbidden",
    );
    expect(reasonOf(() => applyAction(c, { type: "deduct", clearingId: "X" }, bureau))).toBe("transition");
    expect(() => applyAction(c, { type: "appeal", statement: " ", evidence: [] }, hospital)).toThrow(
      /申诉理由/,
    );
    expect(() =>
      applyAction(c, { type: "appeal", statement: "x", evidence: [] }, { ...hospital, at: "2023-01-01" }),
    ).toThrow(/早于/);
    const accepted = applyAction(c, { type: "accept" }, hospital);
    expect(accepted.state).toBe("upheld");
    expect(() => applyAction(accepted, { type: "appeal", statement: "x", evidence: [] }, hospital)).toThrow(
      WorkflowError,
    );
  });
});
