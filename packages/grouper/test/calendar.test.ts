import { describe, expect, it } from "vitest";
import { SchemeCalendar, SchemeCalendarError } from "../src/calendar.js";
import { DEMO_SCHEME_DIR, readSchemeFiles } from "../src/load.js";
import { buildScheme } from "../src/scheme.js";

const files = await readSchemeFiles(DEMO_SCHEME_DIR);
const old = buildScheme(files, "demo-2025");
const next = buildScheme(files, "demo-2026");

describe("SchemeCalendar (分组方案切换)", () => {
  const cal = new SchemeCalendar([
    { scheme: next, effectiveDate: "2026-07-01" },
    { scheme: old, effectiveDate: "2025-01-01" },
  ]);

  it("groups by the scheme in force on the date: the day before the switch, on it, the day after", () => {
    expect(cal.on("2026-06-30").id).toBe("demo-2025");
    expect(cal.on("2026-07-01").id).toBe("demo-2026");
    expect(cal.on("2026-07-02T08:00:00").id).toBe("demo-2026");
    expect(cal.on("2025-01-01").id).toBe("demo-2025");
  });

  it("groups a date before the first edition by the first (history older than the calendar)", () => {
    expect(cal.on("2024-12-31").id).toBe("demo-2025");
  });

  it("finds a scheme by the id the store keeps, and nothing for an unknown id", () => {
    expect(cal.byId("demo-2026")).toBe(next);
    expect(cal.byId("chs-drg-1.1")).toBeUndefined();
    expect(cal.editions.map((e) => e.scheme.id)).toEqual(["demo-2025", "demo-2026"]);
  });

  it("takes the discharge date first, or the settlement date first, as the region says", () => {
    expect(cal.dateOf("2026-06-30", "2026-07-03", "2026-07-10T10:00:00")).toBe("2026-06-30");
    const bySettlement = new SchemeCalendar(cal.editions, "settlement");
    expect(bySettlement.dateOf("2026-06-30", "2026-07-03", "2026-07-10")).toBe("2026-07-03");
    expect(bySettlement.on(bySettlement.dateOf("2026-06-30", "2026-07-03", "x"))).toBe(next);
    expect(cal.dateOf(null, "2026-07-03", "2026-07-10")).toBe("2026-07-03");
    expect(cal.dateOf(null, "bad", "2026-07-10T09:00:00")).toBe("2026-07-10");
  });

  it("refuses an empty calendar, a shared id, a shared date and a malformed date, in Chinese", () => {
    expect(() => new SchemeCalendar([])).toThrow(SchemeCalendarError);
    expect(
      () =>
        new SchemeCalendar([
          { scheme: old, effectiveDate: "2025-01-01" },
          { scheme: old, effectiveDate: "2026-01-01" },
        ]),
    ).toThrow(/demo-2025 出现两次/);
    expect(
      () =>
        new SchemeCalendar([
          { scheme: old, effectiveDate: "2025-01-01" },
          { scheme: next, effectiveDate: "2025-01-01" },
        ]),
    ).toThrow(/生效日期同为 2025-01-01/);
    expect(() => new SchemeCalendar([{ scheme: old, effectiveDate: "2025-13-01" }])).toThrow(/yyyy-MM-dd/);
  });

  it("one scheme is in force on every date", () => {
    const one = SchemeCalendar.single(old);
    expect(one.on("1999-01-01")).toBe(old);
    expect(one.on("2099-12-31")).toBe(old);
    expect(one.drgName(old.drgs[0]?.code ?? "")).toBe(old.drgs[0]?.name);
    expect(one.drgName("ZZ99")).toBeUndefined();
    expect(one.switches).toBe(false);
    expect(one.newest).toBe(old);
  });

  it("a calendar of two switches, and its newest scheme is the later one whatever the order given", () => {
    expect(cal.switches).toBe(true);
    expect(cal.newest).toBe(next);
  });
});
