/**
 * Hospital master data as dated editions (issue 12 item 4), without a database: the rules of a new
 * edition at their edges (yesterday refused, today accepted, in China time; every problem named by row
 * and column; an identical row a no-op), the look-up by date (the edition in force on a date, of two
 * with the same date the later saved; the spans paid by DIP) and a region pack's idempotent load.
 */
import { describe, expect, it } from "vitest";
import {
  type HospitalEdition,
  HospitalEditions,
  packEdition,
  SINCE_ALWAYS,
  todayInChina,
} from "../src/hospital-data.js";
import {
  type EditionContext,
  effectiveDateProblem,
  JSON_LABELS,
  planHospitalEdition,
} from "../src/hospital-editions.js";
import { HOSPITAL_LEVELS } from "../src/region-data.js";

let id = 0;
function edition(
  code: string,
  effectiveFrom: string,
  level: string,
  more: Partial<HospitalEdition> = {},
): HospitalEdition {
  id++;
  return {
    editionId: id,
    hospitalCode: code,
    effectiveFrom,
    level,
    benefitClass: null,
    paymentMethod: "drg",
    actor: "t",
    reason: "测试",
    source: "api",
    createdAt: "",
    ...more,
  };
}

const CTX: EditionContext = {
  today: "2026-06-15",
  levels: HOSPITAL_LEVELS,
  benefitClasses: new Set(["主城区二级", "三级综合"]),
  knownCodes: new Set(["H001", "H002"]),
  inForce: new Map([
    [
      "H001",
      { hospitalCode: "H001", level: "二级", benefitClass: "主城区二级", paymentMethod: "drg" as const },
    ],
  ]),
};
const row = (over: Record<string, string | null> = {}) => ({
  code: "H001",
  level: "三级",
  benefitClass: "三级综合",
  paymentMethod: "DRG",
  ...over,
});

describe("the effective date of a new edition (China time)", () => {
  it("yesterday is refused, today and later accepted; a date that does not exist is named", () => {
    expect(effectiveDateProblem("2026-06-14", "2026-06-15")).toContain("早于今天（2026-06-15，北京时间）");
    expect(effectiveDateProblem("2026-06-15", "2026-06-15")).toBeNull();
    expect(effectiveDateProblem("2026-06-16", "2026-06-15")).toBeNull();
    expect(effectiveDateProblem("2026-02-30", "2026-01-01")).toContain("有效日期");
  });

  it("today is the date in Asia/Shanghai: 16:00 UTC is already the next day", () => {
    expect(todayInChina(new Date("2026-06-30T15:59:59Z"))).toBe("2026-06-30");
    expect(todayInChina(new Date("2026-06-30T16:00:00Z"))).toBe("2026-07-01");
  });
});

describe("the rules of a new edition (planHospitalEdition)", () => {
  it("a changed row is an edition from the date; a row equal to the one in force is a no-op", () => {
    const p = planHospitalEdition(
      "2026-06-15",
      [row(), row({ code: "H002", level: "一级", benefitClass: "" })],
      JSON_LABELS,
      CTX,
    );
    expect(p.problems).toEqual([]);
    expect(p.changes).toEqual([
      {
        hospitalCode: "H001",
        effectiveFrom: "2026-06-15",
        level: "三级",
        benefitClass: "三级综合",
        paymentMethod: "drg",
        newName: null,
      },
      {
        hospitalCode: "H002",
        effectiveFrom: "2026-06-15",
        level: "一级",
        benefitClass: null,
        paymentMethod: "drg",
        newName: null,
      },
    ]);
    const same = planHospitalEdition(
      "2026-06-15",
      [row({ level: "二级", benefitClass: "主城区二级", paymentMethod: "drg" })],
      JSON_LABELS,
      CTX,
    );
    expect(same).toEqual({ problems: [], changes: [], unchanged: ["H001"] });
  });

  it("every problem of every row is named by row and column, and one bad row refuses the whole edition", () => {
    const p = planHospitalEdition(
      "2026-06-14",
      [
        row({ level: "四级" }),
        row({ code: "H002", benefitClass: "无此类别", paymentMethod: "DRGS" }),
        row({ code: "H 3" }),
        row({ code: "H001" }),
        row({ code: "H009" }),
      ],
      JSON_LABELS,
      CTX,
    );
    expect(p.changes).toEqual([]);
    expect(p.problems.map((x) => `${x.field}：${x.message}`)).toEqual([
      "effectiveFrom：生效日期 2026-06-14 早于今天（2026-06-15，北京时间）：已发布的医院主数据不可修改，变更只能从今天或以后生效",
      "rows[0].level：医院等级须为 一级、二级、三级 之一（收到「四级」）",
      "rows[1].benefitClass：起付线类别「无此类别」不是已保存的待遇政策中的类别（有：主城区二级、三级综合）",
      "rows[1].paymentMethod：支付方式须为 DRG 或 DIP（收到「DRGS」）",
      "rows[2].code：医院编码须为 1–30 位字母或数字（收到「H 3」）",
      "rows[3].code：医院编码 H001 与 rows[0] 重复",
      "rows[4].name：医院编码 H009 不在定点医疗机构字典中：新增医院须填写医院名称",
    ]);
  });

  it("a hospital the store does not know is added when the row names it; DIP in any case", () => {
    const p = planHospitalEdition(
      "2026-07-01",
      [row({ code: "H009", name: "新医院", paymentMethod: "dip" })],
      JSON_LABELS,
      CTX,
    );
    expect(p.problems).toEqual([]);
    expect(p.changes[0]).toMatchObject({ hospitalCode: "H009", paymentMethod: "dip", newName: "新医院" });
  });

  it("a hospital only a region pack gave (master data, not in the dictionary) may go unnamed; named, it is registered", () => {
    const ctx = { ...CTX, paymentCodes: new Set(["PACK01"]) };
    const unnamed = planHospitalEdition("2026-06-15", [row({ code: "PACK01" })], JSON_LABELS, ctx);
    expect(unnamed.problems).toEqual([]);
    expect(unnamed.changes[0]?.newName).toBeNull();
    const named = planHospitalEdition(
      "2026-06-15",
      [row({ code: "PACK01", name: "配置包医院" })],
      JSON_LABELS,
      ctx,
    );
    expect(named.changes[0]?.newName).toBe("配置包医院");
    // A hospital the dictionary has keeps its name there: the row's name is not a rename.
    expect(
      planHospitalEdition("2026-06-15", [row({ name: "别名" })], JSON_LABELS, CTX).changes[0]?.newName,
    ).toBeNull();
  });

  it("without a stored benefit policy a benefit class must be empty", () => {
    const p = planHospitalEdition("2026-06-15", [row()], JSON_LABELS, { ...CTX, benefitClasses: new Set() });
    expect(p.problems.map((x) => x.message)).toEqual([
      "没有已保存的待遇政策，起付线类别须留空（收到「三级综合」）",
    ]);
  });

  it("an edition without rows is refused", () => {
    expect(planHospitalEdition("2026-06-15", [], JSON_LABELS, CTX).problems).toEqual([
      { field: "rows", message: "至少须有一家医院" },
    ]);
  });
});

describe("the edition in force on a date (HospitalEditions)", () => {
  const e = new HospitalEditions([
    edition("H1", SINCE_ALWAYS, "二级"),
    edition("H1", "2026-07-01", "三级"),
    // The same date saved again later: this one decides.
    edition("H1", "2026-07-01", "三级", { benefitClass: "三级综合" }),
    edition("H2", SINCE_ALWAYS, "二级", { paymentMethod: "dip" }),
    edition("H2", "2026-03-01", "二级"),
    edition("H2", "2026-09-01", "三级", { paymentMethod: "dip" }),
    edition("H3", "2027-01-01", "一级"),
  ]);

  it("a change effective 2026-07-01 leaves 2026-06-30 as it was", () => {
    expect(e.on("H1", "2026-06-30")).toEqual({
      hospitalCode: "H1",
      level: "二级",
      benefitClass: null,
      paymentMethod: "drg",
    });
    expect(e.on("H1", "2026-07-01")?.benefitClass).toBe("三级综合");
    expect(e.on("H3", "2026-12-31")).toBeUndefined();
    expect([...e.inForce("2026-12-31").keys()]).toEqual(["H1", "H2"]);
  });

  it("spans of dates with one context each: the latest effective date on or before a date", () => {
    expect(e.epochOf("0001-01-01")).toBe(SINCE_ALWAYS);
    expect(e.epochOf("2026-06-30")).toBe("2026-03-01");
    expect(e.epochOf("2026-07-01")).toBe("2026-07-01");
    expect(e.epochOf("2030-01-01")).toBe("2027-01-01");
    expect(new HospitalEditions([edition("H1", "2026-01-01", "二级")]).epochOf("2025-12-31")).toBe("");
  });

  it("the spans paid by DIP, and the DIP hospitals of a month or year at their last DIP edition", () => {
    expect(e.dipSpans()).toEqual([
      { hospitalCode: "H2", from: SINCE_ALWAYS, to: "2026-03-01" },
      { hospitalCode: "H2", from: "2026-09-01", to: null },
    ]);
    expect(e.paidByDip("H2", "2026-02-28")).toBe(true);
    expect(e.paidByDip("H2", "2026-03-01")).toBe(false);
    expect(e.paidByDip("H2", null)).toBe(false);
    // 2026: paid by DIP in January–February at 二级 and from September at 三级 (its level on 31 December).
    expect(e.dipInRange("2026-01-01", "2027-01-01")).toEqual([
      { hospitalCode: "H2", level: "三级", benefitClass: null, paymentMethod: "dip" },
    ]);
    expect(e.dipInRange("2026-01-01", "2026-02-01")[0]?.level).toBe("二级");
    expect(e.dipInRange("2026-06-01", "2026-07-01")).toEqual([]);
  });
});

describe("a region pack's hospitals at every start (packEdition)", () => {
  const today = "2026-06-15";
  const h = { hospitalCode: "H1", level: "二级", benefitClass: "主城区二级" };

  it("a hospital without any edition is new: in force since always", () => {
    expect(packEdition(h, new HospitalEditions([]), today)).toEqual({
      edition: { ...h, effectiveFrom: SINCE_ALWAYS, paymentMethod: "drg" },
      added: true,
    });
  });

  it("the same row again writes nothing, even after the bureau changed the hospital through the API", () => {
    const e = new HospitalEditions([
      edition("H1", SINCE_ALWAYS, "二级", { benefitClass: "主城区二级", source: "pack" }),
      edition("H1", "2026-06-01", "三级", { benefitClass: "三级综合", source: "api" }),
    ]);
    expect(packEdition(h, e, today)).toBeNull();
  });

  it("a changed row is an edition from today that keeps the method the pack does not give", () => {
    const e = new HospitalEditions([
      edition("H1", SINCE_ALWAYS, "二级", {
        benefitClass: "主城区二级",
        source: "pack",
        paymentMethod: "dip",
      }),
    ]);
    expect(packEdition({ ...h, level: "三级" }, e, today)).toEqual({
      edition: { ...h, level: "三级", effectiveFrom: today, paymentMethod: "dip" },
      added: false,
    });
    expect(packEdition({ ...h, paymentMethod: "dip" }, e, today)).toBeNull();
  });
});
