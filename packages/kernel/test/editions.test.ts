/**
 * The publishing rule of dated editions (issue 12 item 4), at its edges: today, one day before, one
 * after; the same version with the same or other content; two editions on one date.
 */
import { describe, expect, it } from "vitest";
import { canonicalJson, checkNewEdition } from "../src/editions.js";

const known = [
  { id: "qc", version: "2025", effectiveDate: "2025-01-01", content: '{"a":1}' },
  { id: "qc", version: "2026", effectiveDate: "2026-07-01", content: '{"a":2}' },
];
const TODAY = "2026-03-15";

describe("checkNewEdition", () => {
  it("a new version is allowed from today on, never the day before", () => {
    const at = (effectiveDate: string) =>
      checkNewEdition(known, { id: "qc", version: "N", effectiveDate, content: "{}" }, TODAY).kind;
    expect(at("2026-03-14")).toBe("refused");
    expect(at("2026-03-15")).toBe("new");
    expect(at("2026-03-16")).toBe("new");
    expect(at("2025-12-31")).toBe("refused");
  });

  it("a refused date says which day is today, in Chinese", () => {
    const c = checkNewEdition(
      known,
      { id: "qc", version: "N", effectiveDate: "2026-03-14", content: "{}" },
      TODAY,
    );
    expect(c).toEqual({
      kind: "refused",
      problems: [
        "生效日期 2026-03-14 早于今天 2026-03-15：新版本不得追溯生效（已质控、分组或结算的结果不得改变），请定为今天或以后",
      ],
    });
  });

  it("a date that is not a calendar date is refused before anything else", () => {
    for (const d of ["2026-02-29", "2026-13-01", "2026-3-16", "", "2026-03-16T00:00"]) {
      const c = checkNewEdition(known, { id: "qc", version: "N", effectiveDate: d, content: "{}" }, TODAY);
      expect(c.kind).toBe("refused");
      if (c.kind === "refused") expect(c.problems[0]).toContain("不是有效日期");
    }
    // 2028 is a leap year: 02-29 is a date.
    expect(
      checkNewEdition(known, { id: "qc", version: "N", effectiveDate: "2028-02-29", content: "{}" }, TODAY)
        .kind,
    ).toBe("new");
  });

  it("a released version: unchanged only with the same date and content, else released", () => {
    const same = { id: "qc", version: "2026", effectiveDate: "2026-07-01", content: '{"a":2}' };
    expect(checkNewEdition(known, same, TODAY).kind).toBe("unchanged");
    // Unchanged even though its date is now in the past: nothing is written.
    expect(
      checkNewEdition(
        known,
        { ...same, version: "2025", effectiveDate: "2025-01-01", content: '{"a":1}' },
        TODAY,
      ).kind,
    ).toBe("unchanged");
    expect(checkNewEdition(known, { ...same, content: '{"a":3}' }, TODAY).kind).toBe("released");
    expect(checkNewEdition(known, { ...same, effectiveDate: "2026-07-02" }, TODAY).kind).toBe("released");
    // The same version under another id is another edition.
    expect(checkNewEdition(known, { ...same, id: "qc2", effectiveDate: "2026-08-01" }, TODAY).kind).toBe(
      "new",
    );
  });

  it("one edition per date: the day of another edition is taken, the day before and after are free", () => {
    const on = (effectiveDate: string) =>
      checkNewEdition(known, { id: "qc", version: "N", effectiveDate, content: "{}" }, TODAY);
    expect(on("2026-07-01")).toEqual({
      kind: "dateTaken",
      problems: ["生效日期 2026-07-01 已有版本 qc@2026，同一天只能有一个版本生效"],
    });
    expect(on("2026-06-30").kind).toBe("new");
    expect(on("2026-07-02").kind).toBe("new");
  });
});

describe("canonicalJson", () => {
  it("the same value in any key order gives the same text; arrays keep their order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 })).toBe(
      canonicalJson({ b: 1, a: { d: [2, 1], c: null } }),
    );
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it("undefined members are left out as JSON.stringify does; in arrays they are null", () => {
    expect(canonicalJson({ a: undefined, b: "x" })).toBe('{"b":"x"}');
    expect(canonicalJson([undefined, 1])).toBe("[null,1]");
    expect(canonicalJson("中文")).toBe('"中文"');
    expect(canonicalJson(undefined)).toBe("null");
  });
});
