import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  addPeriods,
  civilDayNumber,
  clockSeconds,
  dayNumber,
  dayToIso,
  fullYears,
  isIsoDate,
  isPeriod,
  parseDayNumber,
  periodEnd,
  periodProblem,
  periodsBetween,
  shanghaiDate,
  shanghaiDateTime,
  shanghaiInstant,
  weekday,
} from "../src/calendar.js";

describe("day numbers", () => {
  it("counts days since 1970-01-01", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(dayNumber("1969-12-31")).toBe(-1);
    // 2000-03-01: 30 years with 7 leap days (72…96) + Jan and Feb of the leap year 2000.
    expect(dayNumber("2000-03-01")).toBe(30 * 365 + 7 + 31 + 29);
    expect(dayNumber("2024-05-01T08:30:00")).toBe(dayNumber("2024-05-01"));
    expect(civilDayNumber(2024, 2, 29) + 1).toBe(dayNumber("2024-03-01"));
  });

  it("refuses text that is not a real date", () => {
    expect(parseDayNumber("2023-02-29")).toBeNull();
    expect(parseDayNumber("2024-02-29")).toBe(dayNumber("2024-02-29"));
    expect(parseDayNumber("1900-02-29")).toBeNull(); // 1900 is not a leap year
    expect(parseDayNumber("2000-02-29")).not.toBeNull(); // 2000 is
    expect(parseDayNumber("2024-13-01")).toBeNull();
    expect(parseDayNumber("2024-04-31")).toBeNull();
    expect(parseDayNumber("2024/04/01")).toBeNull();
    expect(parseDayNumber("2024-4-1")).toBeNull();
    expect(isIsoDate(20240101)).toBe(false);
  });

  it("weekday, age and day arithmetic", () => {
    expect(weekday(0)).toBe(3); // 1970-01-01 was a Thursday
    expect(weekday(dayNumber("2024-12-02"))).toBe(0); // a Monday
    expect(fullYears("2000-02-29", "2023-02-28")).toBe(22);
    expect(fullYears("2000-02-29", "2023-03-01")).toBe(23);
    expect(addDays("2024-02-28", 2)).toBe("2024-03-01");
    expect(addDays("2024-01-01", -1)).toBe("2023-12-31");
  });

  it("property: dayToIso ∘ dayNumber is the identity and consecutive days differ by one", () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber("1000-01-01"), max: dayNumber("9999-12-30") }), (n) => {
        const iso = dayToIso(n);
        expect(isIsoDate(iso)).toBe(true);
        expect(dayNumber(iso)).toBe(n);
        expect(dayToIso(n + 1) > iso).toBe(true);
      }),
    );
  });

  it("property: agrees with Date.UTC", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("2199-12-31"), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          expect(dayNumber(iso)).toBe(Math.floor(d.getTime() / 86_400_000));
        },
      ),
    );
  });
});

describe("periods", () => {
  it("lists the periods of a range, both ends included", () => {
    expect(periodsBetween("2023-11", "2024-02")).toEqual(["2023-11", "2023-12", "2024-01", "2024-02"]);
    expect(periodsBetween("2024-05", "2024-05")).toEqual(["2024-05"]);
    expect(periodsBetween("2024-01", "2024-12")).toHaveLength(12);
  });

  it("refuses a reversed range and malformed ends instead of looping", () => {
    expect(() => periodsBetween("2024-03", "2024-02")).toThrow(/早于/);
    expect(() => periodsBetween("2024-01", "2024-1")).toThrow(RangeError);
    expect(() => periodsBetween("2024-13", "2025-01")).toThrow(RangeError);
  });

  it("accepts periods of the years 1900–2199 only, naming the field in Chinese", () => {
    expect(periodProblem("1900-01", "period")).toBeNull();
    expect(periodProblem("2199-12", "period")).toBeNull();
    expect(periodProblem("1899-12", "period")).toBe(
      "period：结算期号须为 yyyy-MM 格式、年份 1900–2199（收到「1899-12」）",
    );
    expect(periodProblem("2200-01", "periodTo")).toMatch(/^periodTo：/);
    expect(periodProblem("2024-1", "period")).not.toBeNull();
  });

  it("period helpers", () => {
    expect(isPeriod("2024-12")).toBe(true);
    expect(isPeriod("2024-00")).toBe(false);
    expect(periodEnd("2024-02")).toBe("2024-02-29");
    expect(periodEnd("2023-02")).toBe("2023-02-28");
    expect(periodEnd("2024-04")).toBe("2024-04-30");
    expect(addPeriods("2024-12", 1)).toBe("2025-01");
    expect(addPeriods("2024-01", -1)).toBe("2023-12");
  });

  const period = fc
    .record({ y: fc.integer({ min: 1900, max: 2199 }), m: fc.integer({ min: 1, max: 12 }) })
    .map(({ y, m }) => `${y}-${String(m).padStart(2, "0")}`);

  it("property: periodsBetween starts at from, ends at to, steps one month, is sorted", () => {
    fc.assert(
      fc.property(period, fc.integer({ min: 0, max: 60 }), (from, k) => {
        const to = addPeriods(from, k);
        const ps = periodsBetween(from, to);
        expect(ps).toHaveLength(k + 1);
        expect(ps[0]).toBe(from);
        expect(ps[ps.length - 1]).toBe(to);
        for (let i = 1; i < ps.length; i++) {
          expect((ps[i] as string) > (ps[i - 1] as string)).toBe(true);
          expect(addPeriods(ps[i - 1] as string, 1)).toBe(ps[i]);
        }
      }),
    );
  });
});

describe("Asia/Shanghai", () => {
  it("is UTC+08:00 all year", () => {
    // 2024-12-31T16:30:00Z is already 1 January in Shanghai.
    expect(shanghaiDateTime(new Date("2024-12-31T16:30:00Z"))).toBe("2025-01-01T00:30:00");
    expect(shanghaiDate(Date.UTC(2024, 6, 1, 15, 59, 59))).toBe("2024-07-01");
    expect(shanghaiDate(Date.UTC(2024, 6, 1, 16, 0, 0))).toBe("2024-07-02");
    expect(shanghaiInstant("2025-01-01").toISOString()).toBe("2024-12-31T16:00:00.000Z");
    expect(shanghaiInstant("2025-01-01 08:00:00").toISOString()).toBe("2025-01-01T00:00:00.000Z");
  });
});

describe("clock times (clockSeconds)", () => {
  it("reads HH:MM:SS and HH:MM from 00:00 to 23:59:59, and nothing else", () => {
    expect(clockSeconds("00:00:00")).toBe(0);
    expect(clockSeconds("08:00")).toBe(28_800);
    expect(clockSeconds("23:59:59")).toBe(86_399); // 23 × 3600 + 59 × 60 + 59
    for (const bad of ["24:00:00", "8:00", "12:60", "12:00:60", "12:00:00.5", ""])
      expect(clockSeconds(bad)).toBeNull();
  });
});
