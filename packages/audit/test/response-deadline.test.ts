/**
 * 医院说明期限 (issue 13, item 5): a 可疑 finding goes to the hospital for explanation within N working
 * days; an unanswered one is decided by the rule base, by the system, in the trail. Dates by hand on
 * the 2026 calendar: 2026-12-04 is a Friday.
 */
import { addWorkingDays, isWorkingDay } from "@yibao/kernel/calendar";
import { describe, expect, it } from "vitest";
import { STARTER_RULE_BASE } from "../src/data/starter-rules.js";
import { makeFinding } from "../src/finding.js";
import type { CaseResponseRules } from "../src/rules.js";
import { applyAction, openCase, responseDeadline, WorkflowError } from "../src/workflow.js";

const WEEK = { holidays: [], workdays: [] };

describe("working days (工作日历)", () => {
  it("Friday + 1 → Monday; + 10 → Friday two weeks on (12-18)", () => {
    expect(addWorkingDays("2026-12-04", 1, WEEK)).toBe("2026-12-07");
    expect(addWorkingDays("2026-12-04", 5, WEEK)).toBe("2026-12-11");
    expect(addWorkingDays("2026-12-04", 10, WEEK)).toBe("2026-12-18");
  });
  it("a holiday is skipped, a 调休 Saturday counts", () => {
    expect(addWorkingDays("2026-12-04", 1, { holidays: ["2026-12-07"], workdays: [] })).toBe("2026-12-08");
    expect(addWorkingDays("2026-12-04", 1, { holidays: [], workdays: ["2026-12-05"] })).toBe("2026-12-05");
    expect(isWorkingDay("2026-12-06", WEEK)).toBe(false);
    expect(isWorkingDay("2026-12-07", WEEK)).toBe(true);
  });
  it("refuses a count that is not a positive integer", () => {
    expect(() => addWorkingDays("2026-12-04", 0, WEEK)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-12-04", 1.5, WEEK)).toThrow(RangeError);
  });
});

const suspicious = STARTER_RULE_BASE.rules.find((r) => r.outcome === "可疑");
const clear = STARTER_RULE_BASE.rules.find((r) => r.outcome === "明确违规");
if (suspicious === undefined || clear === undefined) throw new Error("starter rules changed");
const finding = makeFinding(suspicious, {
  stayIds: ["S1"],
  hospitalId: "H1",
  message: "疑似",
  evidence: [],
  pricing: null,
});
const RESPONSE: CaseResponseRules = { workingDays: 10, unanswered: "upheld", holidays: [], workdays: [] };

describe("responseDeadline", () => {
  it("可疑: 10 working days after the day it was opened; 明确违规 and no rules: none", () => {
    expect(STARTER_RULE_BASE.response?.workingDays).toBe(10);
    expect(responseDeadline(finding, "2026-12-04", RESPONSE)).toBe("2026-12-18");
    expect(responseDeadline({ outcome: clear.outcome }, "2026-12-04", RESPONSE)).toBeNull();
    expect(responseDeadline(finding, "2026-12-04", undefined)).toBeNull();
  });
});

describe("lapse (逾期未说明)", () => {
  const opened = {
    ...openCase(finding, { by: "系统", role: "system", at: "2026-12-04T09:00:00Z" }),
    deduction: 120_000,
  };
  const system = { by: "system", role: "system" as const, at: "2026-12-19T04:00:00Z" };
  it("upheld keeps the deduction, overturned drops it; the deadline is in the trail", () => {
    const up = applyAction(opened, { type: "lapse", deadline: "2026-12-18", outcome: "upheld" }, system);
    expect([up.state, up.deduction]).toEqual(["upheld", 120_000]);
    expect(up.trail.at(-1)?.note).toBe(
      "逾期未说明：医院未在 2026-12-18 前申诉或认可，按规则维持；扣款 1200.00 元",
    );
    const down = applyAction(
      opened,
      { type: "lapse", deadline: "2026-12-18", outcome: "overturned" },
      system,
    );
    expect([down.state, down.deduction]).toEqual(["overturned", 0]);
  });
  it("only the system lapses a case, and only an open one", () => {
    const hospital = { by: "医保办", role: "hospital" as const, at: "2026-12-19T04:00:00Z" };
    expect(() =>
      applyAction(opened, { type: "lapse", deadline: "2026-12-18", outcome: "upheld" }, hospital),
    ).toThrow(WorkflowError);
    const appealed = applyAction(opened, { type: "appeal", statement: "病情需要", evidence: [] }, hospital);
    expect(() =>
      applyAction(appealed, { type: "lapse", deadline: "2026-12-18", outcome: "upheld" }, system),
    ).toThrow(WorkflowError);
  });
});
