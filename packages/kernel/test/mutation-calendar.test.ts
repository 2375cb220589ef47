// Tests against the surviving mutants of packages/kernel/src/calendar.ts (issue 16,
// docs/mutation.md): the digit and separator checks at their edges, 30-day months, the last day
// of a 400-year era, zero-padded years, birthdays and the period refusals.
import { describe, expect, it } from "vitest";
import {
  addPeriods,
  dayNumber,
  daysInMonth,
  dayToIso,
  digits,
  fullYears,
  isPeriod,
  parseDayNumber,
  periodOf,
  periodStart,
  periodsBetween,
} from "../src/calendar.js";

describe("digits and dates", () => {
  it("refuses the characters just outside '0'–'9'", () => {
    expect(digits("1234", 0, 4)).toBe(1234);
    expect(digits("12/4", 0, 4)).toBe(-1); // '/' is 47
    expect(digits("12:4", 0, 4)).toBe(-1); // ':' is 58
    expect(digits("ab", 0, 2)).toBe(-1);
  });

  it("knows the four 30-day months", () => {
    for (const m of [4, 6, 9, 11]) expect(daysInMonth(2023, m), String(m)).toBe(30);
    for (const m of [1, 3, 5, 7, 8, 10, 12]) expect(daysInMonth(2023, m), String(m)).toBe(31);
    expect(daysInMonth(2023, 2)).toBe(28);
  });

  it("round-trips the last day of a 400-year era (2000-02-29)", () => {
    expect(dayToIso(dayNumber("2000-02-29"))).toBe("2000-02-29");
    expect(dayToIso(dayNumber("2000-03-01"))).toBe("2000-03-01");
    expect(dayToIso(dayNumber("1600-02-29"))).toBe("1600-02-29");
  });

  it("pads years below 1000 to four digits", () => {
    expect(dayToIso(dayNumber("0099-01-01"))).toBe("0099-01-01");
    expect(addPeriods("0099-12", 1)).toBe("0100-01");
  });

  it("refuses wrong separators, lengths, non-digit years and day or month 0", () => {
    expect(parseDayNumber("2024x05-01")).toBeNull();
    expect(parseDayNumber("2024-05x01")).toBeNull();
    expect(parseDayNumber("2024-05-011")).toBeNull();
    expect(parseDayNumber("20a4-05-01")).toBeNull();
    expect(parseDayNumber("2024-00-01")).toBeNull();
    expect(parseDayNumber("2024-05-00")).toBeNull();
    expect(parseDayNumber({ length: 10 })).toBeNull();
    expect(parseDayNumber("0000-01-01")).not.toBeNull();
    expect(parseDayNumber("2024-05-31")).toBe(dayNumber("2024-05-31"));
  });

  it("turns a year older on the birthday, not the day before", () => {
    expect(fullYears("2000-05-10", "2024-05-09")).toBe(23);
    expect(fullYears("2000-05-10", "2024-05-10")).toBe(24);
    expect(fullYears("2000-05-10", "2024-05-11")).toBe(24);
    expect(fullYears("2000-05-10", "2024-04-30")).toBe(23);
  });
});

describe("periods", () => {
  it("accepts yyyy-MM only", () => {
    expect(isPeriod("2024-05")).toBe(true);
    expect(isPeriod("0000-05")).toBe(true);
    expect(isPeriod("2024-123")).toBe(false);
    expect(isPeriod("2024x05")).toBe(false);
    expect(isPeriod("20a4-05")).toBe(false);
    expect(isPeriod("2024-5")).toBe(false);
    expect(isPeriod({ length: 7 })).toBe(false);
    expect(isPeriod(202405)).toBe(false);
  });

  it("names the period of a date and the first day of a period", () => {
    expect(periodOf("2024-05-17")).toBe("2024-05");
    expect(periodOf("2024-05-17T08:00:00")).toBe("2024-05");
    expect(periodStart("2024-05")).toBe("2024-05-01");
  });

  it("names the bad end of a period range", () => {
    expect(() => periodsBetween("2024-13", "2024-12")).toThrow(
      "开始期号须为 yyyy-MM 格式（收到「2024-13」）",
    );
    expect(() => periodsBetween("2024-01", "bad")).toThrow("结束期号须为 yyyy-MM 格式（收到「bad」）");
    expect(periodsBetween("2024-01", "2024-01")).toEqual(["2024-01"]);
  });
});
