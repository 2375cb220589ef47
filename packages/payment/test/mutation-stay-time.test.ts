// Tests of the stay's times (packages/payment/src/stay-time.ts) against their mutants (issue 16,
// docs/mutation.md): 住院时长 in seconds with its refusals (the field named), the same instant, a
// stay without times, and calendar months with a day below 10.
import { describe, expect, it } from "vitest";
import {
  addMonths,
  lengthOfStay,
  SettlementError,
  type Stay,
  staySeconds,
  under24Hours,
} from "../src/index.js";

function stay(times: Partial<Stay> = {}): Stay {
  return {
    id: "S-1",
    hospitalId: "H-1",
    drg: "GB29",
    totalCost: 100_00,
    admissionDate: "2024-03-04",
    dischargeDate: "2024-03-05",
    admissionTime: "09:15:00",
    dischargeTime: "09:14:59",
    ...times,
  };
}

function refusal(f: () => unknown): SettlementError {
  try {
    f();
  } catch (e) {
    if (e instanceof SettlementError) return e;
    throw e;
  }
  throw new Error("no refusal");
}

describe("staySeconds and under24Hours", () => {
  it("counts the days and the clock times: 23:59:59 is under 24 hours, 24:00:00 is not", () => {
    expect(staySeconds(stay())).toBe(86_399);
    expect(under24Hours(stay())).toBe(true);
    expect(staySeconds(stay({ dischargeTime: "09:15:00" }))).toBe(86_400);
    expect(under24Hours(stay({ dischargeTime: "09:15:00" }))).toBe(false);
    expect(staySeconds(stay({ admissionTime: "09:15", dischargeTime: "10:00" }))).toBe(86_400 + 45 * 60);
  });

  it("a discharge at the instant of admission is 0 seconds; one second earlier is refused", () => {
    const same = stay({ dischargeDate: "2024-03-04", dischargeTime: "09:15:00" });
    expect(staySeconds(same)).toBe(0);
    expect(under24Hours(same)).toBe(true);
    const e = refusal(() => staySeconds(stay({ dischargeDate: "2024-03-04", dischargeTime: "09:14:59" })));
    expect([e.record, e.field, e.rule]).toEqual(["S-1", "dischargeTime", "出院时间早于入院时间"]);
  });

  it("is null without either time", () => {
    expect(staySeconds(stay({ admissionTime: undefined }))).toBeNull();
    expect(staySeconds(stay({ dischargeTime: undefined }))).toBeNull();
    expect(under24Hours(stay({ admissionTime: undefined }))).toBe(false);
  });

  it("refuses a time that is not HH:MM:SS or HH:MM, naming the field", () => {
    const a = refusal(() => staySeconds(stay({ admissionTime: "24:00:00" })));
    expect([a.record, a.field, a.rule]).toEqual([
      "S-1",
      "admissionTime",
      "须为 HH:MM:SS 或 HH:MM 格式的时间",
    ]);
    const d = refusal(() => staySeconds(stay({ dischargeTime: "9:15" })));
    expect([d.field, d.rule]).toEqual(["dischargeTime", "须为 HH:MM:SS 或 HH:MM 格式的时间"]);
  });
});

describe("lengthOfStay and addMonths", () => {
  it("住院天数: the given los, else the days between the dates, at least 1", () => {
    expect(lengthOfStay(stay())).toBe(1);
    expect(lengthOfStay(stay({ los: 7 }))).toBe(7);
    expect(lengthOfStay(stay({ dischargeDate: "2024-03-04" }))).toBe(1);
    expect(lengthOfStay(stay({ dischargeDate: "2024-03-09" }))).toBe(5);
  });

  it("adds calendar months, the day kept with two digits and clamped to the month's end", () => {
    expect(addMonths("2024-01-05", 1)).toBe("2024-02-05");
    expect(addMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonths("2023-01-31", 1)).toBe("2023-02-28");
    expect(addMonths("2024-11-15", 3)).toBe("2025-02-15");
    expect(addMonths("2024-12-09", 0)).toBe("2024-12-09");
  });
});
