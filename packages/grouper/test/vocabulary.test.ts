/**
 * The scheme vocabulary of issue 12 (item 6): conditions on length of stay, discharge way,
 * department, number of procedures and code prefixes, and the switch of the newborn birth-weight
 * check, on a small scheme written here (not taken from any real scheme), with every expected group
 * worked out by hand from the scheme below. Semantics: docs/scheme-format.md.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PlainLineGrouper } from "../src/batch.js";
import { groupRecord } from "../src/group.js";
import { validateGroupingRecord } from "../src/record.js";
import { buildScheme, type DrgScheme, type SchemeFiles } from "../src/scheme.js";
import { SchemeError } from "../src/scheme-source.js";
import type { GroupingRecord } from "../src/types.js";

const tsv = (header: string, rows: readonly (readonly string[])[]) =>
  `${[header, ...rows.map((r) => r.join("\t"))].join("\n")}\n`;

const DIAGNOSES: readonly [string, string][] = [
  ["C34.900", "支气管或肺恶性肿瘤"],
  ["Z51.000", "放射治疗疗程"],
  ["Z51.100", "肿瘤化学治疗疗程"],
  ["I21.000", "急性前壁心肌梗死"],
  ["I20.000", "不稳定型心绞痛"],
  ["I10.x00", "原发性高血压"],
  ["J96.000", "急性呼吸衰竭"],
  ["O80.000", "单胎顺产"],
  ["O82.000", "经选择性剖宫产术的单胎分娩"],
  ["Z37.000", "单一活产"],
  ["Z37.100", "单一死产"],
  ["Z38.000", "单胎，在医院内出生"],
  ["P07.300", "早产婴儿"],
];
const PROCEDURES: readonly [string, string][] = [
  ["92.2400", "光子远距离放射治疗"],
  ["99.2500", "化学治疗药物注射"],
  ["36.0600", "非药物洗脱冠状动脉支架置入"],
  ["36.0700", "药物洗脱冠状动脉支架置入"],
  ["00.6600", "经皮冠状动脉腔内血管成形术"],
  ["74.1x00", "低位子宫下段剖宫产"],
  ["75.6900", "产科裂伤修补术"],
  ["73.5900", "人工助产"],
];

const when = (p: unknown) => p;

/**
 * The test scheme. MDCs in order P, O, F, R:
 * - P 新生儿: age 0 years and ≤ 28 days. ADRG PZ1: PZ19 without birth weight, else PZ11.
 * - O 妊娠分娩 (principal diagnosis starting with "O"): OB1 when the principal procedure starts with
 *   "74." (剖宫产, DRG OB15); then OC1 when any diagnosis starts with "Z37" (Zhoukou-style 分娩结局):
 *   OC11 when any procedure starts with "75.6", else OC15.
 * - F 循环系统 (list MDCF.pdx): FM1 when the principal procedure is in FM1.px: FM11 with ≥ 3
 *   procedures, else FM13. FR1 when the principal diagnosis is I21.000: FR17 (Changzhou-style xx17)
 *   when the discharge way is 2 or 5, FR11 with an MCC, else FR15. FZ1 (fallback, no DRG) when the
 *   department is exactly A03.04. Else nothing in F.
 * - R 肿瘤放化疗 (list MDCR.pdx): RC1 when a procedure is in RC1.px: RC13 with ≤ 10 days, RC11 with
 *   ≥ 11 days (Beijing-style ≤ N vs > N), else (length of stay missing) the ADRG RC1 itself. RE1 when
 *   a procedure is in RE1.px: RE15 with < 4 days, else RE13.
 */
function schemeJson(checks?: unknown) {
  const adrg = (code: string, mdc: string, w: unknown, drgs: string[], fallbackToAdrg = false) => ({
    code,
    name: `${code} 测试 ADRG`,
    mdc,
    when: w,
    drgs,
    fallbackToAdrg,
  });
  const drg = (code: string, w: unknown) => ({
    code,
    name: `${code} 测试 DRG`,
    adrg: code.slice(0, 3),
    when: w,
  });
  return {
    name: "词汇测试方案",
    ...(checks === undefined ? {} : { checks }),
    mdcOrder: ["P", "O", "F", "R"],
    mdcs: [
      { code: "P", when: when({ all: [{ ageYears: { eq: 0 } }, { ageDays: { max: 28 } }] }), adrgs: ["PZ1"] },
      { code: "O", when: when({ pdxPrefix: ["O"] }), adrgs: ["OB1", "OC1"] },
      { code: "F", when: when({ pdxIn: "MDCF.pdx" }), adrgs: ["FM1", "FR1", "FZ1"] },
      { code: "R", when: when({ pdxIn: "MDCR.pdx" }), adrgs: ["RC1", "RE1"] },
    ],
    adrgs: [
      adrg("PZ1", "P", { always: true }, ["PZ19", "PZ11"]),
      adrg("OB1", "O", { ppxPrefix: ["74."] }, ["OB15"]),
      adrg("OC1", "O", { anyDxPrefix: ["Z37"] }, ["OC11", "OC15"]),
      adrg("FM1", "F", { ppxIn: "FM1.px" }, ["FM11", "FM13"]),
      adrg("FR1", "F", { pdxIn: "FR1.pdx" }, ["FR17", "FR11", "FR15"]),
      adrg("FZ1", "F", { dept: ["A03.04"] }, [], true),
      adrg("RC1", "R", { anyPxIn: "RC1.px" }, ["RC13", "RC11"], true),
      adrg("RE1", "R", { anyPxIn: "RE1.px" }, ["RE15", "RE13"]),
    ],
    drgs: [
      drg("PZ19", { not: { birthWeight: { min: 1 } } }),
      drg("PZ11", { always: true }),
      drg("OB15", { always: true }),
      drg("OC11", { anyPxPrefix: ["75.6"] }),
      drg("OC15", { always: true }),
      drg("FM11", { procedureCount: { min: 3 } }),
      drg("FM13", { always: true }),
      drg("FR17", { dischargeWay: ["2", "5"] }),
      drg("FR11", { hasMcc: true }),
      drg("FR15", { always: true }),
      drg("RC13", { los: { max: 10 } }),
      drg("RC11", { los: { min: 11 } }),
      drg("RE15", { los: { below: 4 } }),
      drg("RE13", { always: true }),
    ],
    lists: {
      "MDCF.pdx": ["I21.000", "I20.000", "I10.x00"],
      "FM1.px": ["36.0600", "36.0700"],
      "FR1.pdx": ["I21.000"],
      "MDCR.pdx": ["Z51.000", "Z51.100", "C34.900"],
      "RC1.px": ["92.2400"],
      "RE1.px": ["99.2500"],
    },
  };
}

function files(json: unknown): SchemeFiles {
  return {
    schemeJson: JSON.stringify(json),
    ccMcc: tsv("code\tlevel\texclusion_table", [["J96.000", "MCC", "9"]]),
    ccExclusion: tsv("principal_dx\texclusion_table", [["I21.000", "1"]]),
    diagnoses: tsv("code\tname", DIAGNOSES),
    procedures: tsv("code\tname", PROCEDURES),
    diagnosisMap: tsv("from\tto", []),
    procedureMap: tsv("from\tto", []),
  };
}

const scheme = buildScheme(files(schemeJson()), "vocab");
const zhoukou = buildScheme(files(schemeJson({ newbornBirthWeight: false })), "vocab-newborn-off");

const adult: GroupingRecord = {
  id: "r",
  sex: "1",
  ageYears: 60,
  ageDays: null,
  birthWeight: null,
  dept: "",
  los: 8,
  dischargeWay: "1",
  diagnoses: [],
  procedures: [],
};
const rec = (diagnoses: string[], procedures: string[] = [], extra: Partial<GroupingRecord> = {}) => ({
  ...adult,
  ...extra,
  diagnoses,
  procedures,
});
const drgOf = (s: DrgScheme, r: GroupingRecord) => groupRecord(s, r).drg;

/** [case, record, expected DRG]: each condition at its edges, worked out from the scheme above. */
const VECTORS: readonly [string, GroupingRecord, string][] = [
  // 住院天数 ≤ 10 (max, inclusive) vs ≥ 11 (min, inclusive): RC1, Beijing-style.
  ["los 9, one below max 10", rec(["Z51.000", "C34.900"], ["92.2400"], { los: 9 }), "RC13"],
  ["los 10, at max 10", rec(["Z51.000", "C34.900"], ["92.2400"], { los: 10 }), "RC13"],
  ["los 11, one above max 10 and at min 11", rec(["Z51.000", "C34.900"], ["92.2400"], { los: 11 }), "RC11"],
  ["los 12, one above min 11", rec(["Z51.000"], ["92.2400"], { los: 12 }), "RC11"],
  ["los 1, the shortest stay", rec(["Z51.000"], ["92.2400"], { los: 1 }), "RC13"],
  ["los missing (0): no bound holds, fallback to the ADRG", rec(["Z51.000"], ["92.2400"], { los: 0 }), "RC1"],
  // 住院天数 < 4 (below, exclusive): RE1.
  ["los 3, one below 4", rec(["Z51.100"], ["99.2500"], { los: 3 }), "RE15"],
  ["los 4, at below 4", rec(["Z51.100"], ["99.2500"], { los: 4 }), "RE13"],
  ["los 5, one above below 4", rec(["Z51.100"], ["99.2500"], { los: 5 }), "RE13"],
  ["los missing under below 4", rec(["Z51.100"], ["99.2500"], { los: 0 }), "RE13"],
  // 离院方式 2 or 5: FR17, Changzhou-style xx17 (before the MCC split).
  ["discharge 5 (death) with an MCC", rec(["I21.000", "J96.000"], [], { dischargeWay: "5" }), "FR17"],
  ["discharge 2 (transfer)", rec(["I21.000"], [], { dischargeWay: "2" }), "FR17"],
  ["discharge 1 with an MCC", rec(["I21.000", "J96.000"], [], { dischargeWay: "1" }), "FR11"],
  ["discharge 4", rec(["I21.000"], [], { dischargeWay: "4" }), "FR15"],
  ["discharge missing", rec(["I21.000"], [], { dischargeWay: "" }), "FR15"],
  ["discharge code outside the table", rec(["I21.000"], [], { dischargeWay: "7" }), "FR15"],
  // 手术操作个数 ≥ 3 (min, inclusive): FM1; empty entries do not count.
  ["3 procedures, at min 3", rec(["I20.000"], ["36.0700", "36.0600", "00.6600"]), "FM11"],
  ["4 procedures, one above", rec(["I20.000"], ["36.0700", "36.0600", "00.6600", "00.6600"]), "FM11"],
  ["2 procedures, one below", rec(["I20.000"], ["36.0700", "00.6600"]), "FM13"],
  ["2 procedures and an empty entry", rec(["I20.000"], ["36.0700", "", "00.6600"]), "FM13"],
  // 科别 exactly A03.04: FZ1 (fallback to the ADRG), else nothing in MDC F, then R, then 0000.
  ["dept A03.04", rec(["I10.x00"], [], { dept: "A03.04" }), "FZ1"],
  ["dept A03 (a prefix of it)", rec(["I10.x00"], [], { dept: "A03" }), "0000"],
  ["dept A03.04.01 (longer)", rec(["I10.x00"], [], { dept: "A03.04.01" }), "0000"],
  ["dept missing", rec(["I10.x00"], [], { dept: "" }), "0000"],
  // Prefixes: MDC O by principal diagnosis "O", OB1 by principal procedure "74.", OC1 by any diagnosis
  // "Z37" (Zhoukou-style), OC11 by any procedure "75.6".
  ["pdx O80.000, ppx 74.1x00", rec(["O80.000", "Z37.000"], ["74.1x00"]), "OB15"],
  ["74.1x00 only as a secondary procedure", rec(["O82.000", "Z37.000"], ["73.5900", "74.1x00"]), "OC15"],
  [
    "Z37 as the third diagnosis, 75.6 as the second procedure",
    rec(["O80.000", "I10.x00", "Z37.100"], ["73.5900", "75.6900"]),
    "OC11",
  ],
  ["no Z37 diagnosis (Z38 is not Z37)", rec(["O80.000", "Z38.000"], ["73.5900"]), "0000"],
  ["principal Z37.000 is not an O diagnosis", rec(["Z37.000"], []), "0000"],
  ["Z37 inside a code, not at its start (an unknown code)", rec(["O80.000", "X99.Z37"], ["73.5900"]), "0000"],
  ["Z37 in an unknown code that starts with it", rec(["O80.000", "Z37.999"], ["73.5900"]), "OC15"],
];

describe("scheme vocabulary: each condition at its edges (hand-worked groups)", () => {
  it.each(VECTORS)("%s", (_name, r, drg) => {
    expect(drgOf(scheme, r)).toBe(drg);
    // The explanation follows the same path.
    expect(groupRecord(scheme, r, { explain: true }).drg).toBe(drg);
  });

  it("a length of stay that is null or absent in the input is missing, as 0 is", () => {
    for (const los of [null, undefined]) {
      const raw = { ...rec(["Z51.000"], ["92.2400"]), los };
      const v = validateGroupingRecord(JSON.parse(JSON.stringify(raw)));
      if (!("record" in v)) throw new Error("record refused");
      expect(drgOf(scheme, v.record)).toBe("RC1");
    }
  });

  it("the newborn birth-weight check is on by default and a scheme can switch it off (Zhoukou-style)", () => {
    const baby = (ageDays: number | null, birthWeight: number | null) =>
      rec(["P07.300"], [], { ageYears: 0, ageDays, birthWeight });
    // Check on: 0 years with ≤ 28 days or no age in days, and no weight, fails.
    expect(groupRecord(scheme, baby(28, null)).status).toBe("CHECK_FAILED");
    expect(groupRecord(scheme, baby(null, null)).status).toBe("CHECK_FAILED");
    expect(groupRecord(scheme, baby(28, 0)).status).toBe("CHECK_FAILED");
    expect(drgOf(scheme, baby(28, 2500))).toBe("PZ11");
    expect(drgOf(scheme, baby(29, null))).toBe("0000"); // not a newborn: passes, but MDC P needs ≤ 28 days
    // Check off: the same records are grouped.
    expect(drgOf(zhoukou, baby(28, null))).toBe("PZ19");
    expect(drgOf(zhoukou, baby(null, null))).toBe("PZ19"); // a missing age in days counts as 0
    expect(drgOf(zhoukou, baby(0, null))).toBe("PZ19");
    expect(drgOf(zhoukou, baby(28, 2500))).toBe("PZ11");
    expect(drgOf(zhoukou, baby(29, null))).toBe("0000");
    // The other checks stay on.
    expect(groupRecord(zhoukou, { ...baby(3, null), sex: "" }).status).toBe("CHECK_FAILED");
    expect(groupRecord(zhoukou, { ...baby(3, null), diagnoses: [] }).status).toBe("CHECK_FAILED");
    // Both Z37 prefix and switch together, as in Zhoukou 2023.
    expect(drgOf(zhoukou, rec(["O80.000", "Z37.000"], ["73.5900"]))).toBe("OC15");
    const explained = groupRecord(zhoukou, baby(3, null), { explain: true });
    expect(explained.reasons?.[0]?.message).toMatch(/缺少出生体重，但本方案关闭了新生儿出生体重校验/);
  });

  it("--explain names each condition with the record's own value", () => {
    const messages = (r: GroupingRecord) =>
      (groupRecord(scheme, r, { explain: true }).reasons ?? []).map((x) => x.message).join("\n");
    expect(messages(rec(["Z51.000"], ["92.2400"], { los: 10 }))).toContain(
      "入 DRG RC13 RC13 测试 DRG：住院天数 ≤ 10 天（本例 10 天）",
    );
    expect(messages(rec(["Z51.000"], ["92.2400"], { los: 0 }))).toContain(
      "ADRG RC1 下无 DRG 条件成立，按 ADRG 入组",
    );
    expect(messages(rec(["Z51.100"], ["99.2500"], { los: 3 }))).toContain("住院天数 < 4 天（本例 3 天）");
    expect(messages(rec(["I21.000"], [], { dischargeWay: "5" }))).toContain(
      "离院方式为 2 医嘱转院 或 5 死亡（本例 5 死亡）",
    );
    expect(messages(rec(["I20.000"], ["36.0700", "36.0600", "00.6600"]))).toContain(
      "手术操作个数 ≥ 3 个（本例 3 个）",
    );
    expect(messages(rec(["I10.x00"], [], { dept: "A03.04" }))).toContain("出院科别为 A03.04（本例 A03.04）");
    const ob = messages(rec(["O80.000", "Z37.000"], ["74.1x00"]));
    expect(ob).toContain("进入 MDCO：主要诊断 O80.000（单胎顺产） 以 O 开头");
    expect(ob).toContain("主要手术操作 74.1x00（低位子宫下段剖宫产） 以 74. 开头");
    const oc = messages(rec(["O80.000", "I10.x00", "Z37.100"], ["73.5900", "75.6900"]));
    expect(oc).toContain("有诊断以 Z37 开头（Z37.100（单一死产））");
    expect(oc).toContain("有手术操作以 75.6 开头（75.6900（产科裂伤修补术））");
  });
});

describe("the batch fast path with the new conditions", () => {
  const lines = (rs: readonly GroupingRecord[]) =>
    new TextEncoder().encode(rs.map((r) => JSON.stringify(r)).join("\n"));

  it("declines every line of a scheme with a condition on the record's strings", () => {
    const bytes = lines([rec(["I21.000"], [], { dischargeWay: "5" })]);
    expect(new PlainLineGrouper(scheme).group(bytes, 0, bytes.length)).toBe(-1);
  });

  it("groups a scheme whose new conditions are only on the length of stay, reading it from the bytes", () => {
    const s = schemeJson();
    // Only MDC R (length of stay), no string condition.
    const rOnly = {
      ...s,
      mdcOrder: ["R"],
      mdcs: s.mdcs.filter((m) => m.code === "R"),
      adrgs: s.adrgs.filter((a) => a.mdc === "R"),
      drgs: s.drgs.filter((d) => d.adrg === "RC1" || d.adrg === "RE1"),
    };
    const beijing = buildScheme(files(rOnly), "beijing-style");
    expect(beijing.compiled.readsRecord).toBe(false);
    const rs = VECTORS.map(([, r]) => r).filter((r) => r.diagnoses[0]?.startsWith("Z51"));
    const text = [
      ...rs.map((r) => JSON.stringify(r)),
      JSON.stringify({ ...rs[0], los: null }),
      JSON.stringify({ ...rs[0], los: undefined }),
    ];
    const bytes = new TextEncoder().encode(text.join("\n"));
    const g = new PlainLineGrouper(beijing);
    let start = 0;
    const got: string[] = [];
    for (let i = 0; i < text.length; i++) {
      const end = g.group(bytes, start, bytes.length);
      expect(end).toBeGreaterThan(start);
      got.push(g.outcome.drg);
      start = end + 1;
    }
    const expected = [...rs.map((r) => drgOf(beijing, r)), "RC1", "RC1"];
    expect(got).toEqual(expected);
    expect(expected).toEqual([
      "RC13",
      "RC13",
      "RC11",
      "RC11",
      "RC13",
      "RC1",
      "RE15",
      "RE13",
      "RE13",
      "RE13",
      "RC1",
      "RC1",
    ]);
  });

  it("keeps the fast path for a scheme that only switches the newborn check off", () => {
    const s = schemeJson({ newbornBirthWeight: false });
    const pOnly = {
      ...s,
      mdcOrder: ["P"],
      mdcs: s.mdcs.filter((m) => m.code === "P"),
      adrgs: s.adrgs.slice(0, 1),
      drgs: s.drgs.slice(0, 2),
    };
    const p = buildScheme(files(pOnly), "newborn-off");
    const bytes = lines([rec(["P07.300"], [], { ageYears: 0, ageDays: 3, birthWeight: null })]);
    const g = new PlainLineGrouper(p);
    expect(g.group(bytes, 0, bytes.length)).toBe(bytes.length);
    expect(g.outcome.drg).toBe("PZ19");
  });
});

describe("which schemes leave the batch fast path", () => {
  /** The test scheme with MDC R's condition replaced. */
  const withMdcR = (w: unknown) => {
    const s = schemeJson();
    const keep = ["R"];
    return {
      ...s,
      mdcOrder: keep,
      mdcs: s.mdcs.filter((m) => keep.includes(m.code)).map((m) => ({ ...m, when: w })),
      adrgs: s.adrgs.filter((a) => keep.includes(a.mdc)),
      drgs: s.drgs.filter((d) => d.adrg === "RC1" || d.adrg === "RE1"),
    };
  };
  it.each([
    [{ all: [{ pdxIn: "MDCR.pdx" }, { not: { dept: ["A01"] } }] }, true],
    [{ any: [{ pdxIn: "MDCR.pdx" }, { dischargeWay: ["9"] }] }, true],
    [{ all: [{ pdxIn: "MDCR.pdx" }, { any: [{ procedureCount: { min: 0 } }] }] }, true],
    [{ any: [{ pdxIn: "MDCR.pdx" }, { pdxPrefix: ["C"] }] }, true],
    [{ any: [{ pdxIn: "MDCR.pdx" }, { anyPxPrefix: ["92"] }] }, true],
    [{ all: [{ pdxIn: "MDCR.pdx" }, { not: { los: { eq: 0 } } }] }, false],
  ])("%j reads the record: %s", (w, reads) => {
    const s = buildScheme(files(withMdcR(w)), "nested");
    expect(s.compiled.readsRecord).toBe(reads);
    const r = rec(["Z51.000"], ["92.2400"], { los: 5 });
    const bytes = new TextEncoder().encode(JSON.stringify(r));
    const g = new PlainLineGrouper(s);
    const end = g.group(bytes, 0, bytes.length);
    if (reads) expect(end).toBe(-1);
    else {
      expect(end).toBe(bytes.length);
      expect(g.outcome.drg).toBe(groupRecord(s, r).drg);
    }
  });
});

describe("random records on the test scheme", () => {
  const codes = (pool: readonly [string, string][]) =>
    fc.constantFrom("", "X99.Z37", ...pool.map(([c]) => c));
  const record = fc.record({
    los: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant(0)),
    dischargeWay: fc.constantFrom("", "1", "2", "3", "4", "5", "9", "7"),
    dept: fc.constantFrom("", "A03", "A03.04", "A03.04.01"),
    ageYears: fc.constantFrom(0, 1, 60),
    ageDays: fc.constantFrom(null, 0, 28, 29),
    birthWeight: fc.constantFrom(null, 0, 2500),
    diagnoses: fc.array(codes(DIAGNOSES), { minLength: 1, maxLength: 4 }),
    procedures: fc.array(codes(PROCEDURES), { maxLength: 4 }),
  });

  it("explaining never changes the result, with the newborn check on or off", () => {
    fc.assert(
      fc.property(record, (x) => {
        const r = { ...adult, ...x };
        for (const s of [scheme, zhoukou]) {
          const { reasons: _reasons, ...explained } = groupRecord(s, r, { explain: true });
          expect(explained).toEqual(groupRecord(s, r));
        }
      }),
      { numRuns: 500 },
    );
  });
});

function problemsOf(json: unknown): string {
  try {
    buildScheme(files(json), "bad");
  } catch (e) {
    expect(e).toBeInstanceOf(SchemeError);
    return (e as SchemeError).message;
  }
  throw new Error("scheme was accepted");
}

describe("scheme vocabulary: refused at load with the file and JSON path", () => {
  /** The test scheme with DRG RC13's condition replaced. */
  const withRc13 = (w: unknown) => {
    const s = schemeJson();
    const drgs = s.drgs.map((d) => (d.code === "RC13" ? { ...d, when: w } : d));
    return { ...s, drgs };
  };
  const at = "scheme.json $.drgs[10](RC13).when";

  it.each([
    [{ losDays: { max: 10 } }, `${at}: 未知的条件类型 "losDays"`],
    [{ los: { max: "10" } }, `${at}.los.max: 应为非负整数，实际为 "10"`],
    [{ los: { max: 1.5 } }, `${at}.los.max: 应为非负整数，实际为 1.5`],
    [{ los: { max: -1 } }, `${at}.los.max: 应为非负整数，实际为 -1`],
    [{ los: { upTo: 10 } }, `${at}.los.upTo: 不支持的范围键，应为 eq/min/max/below`],
    [{ los: {} }, `${at}.los: 应为非空的范围对象`],
    [{ los: 10 }, `${at}.los: 应为非空的范围对象`],
    [{ los: { min: 11, max: 10 } }, `${at}.los: 范围为空：没有整数满足 ≥ 11 且 ≤ 10`],
    [{ los: { min: 3, below: 4 } }, null],
    [{ procedureCount: { min: "3" } }, `${at}.procedureCount.min: 应为非负整数，实际为 "3"`],
    [{ dischargeWay: "5" }, `${at}.dischargeWay: 应为非空的离院方式代码数组（字符串）`],
    [{ dischargeWay: [] }, `${at}.dischargeWay: 应为非空的离院方式代码数组（字符串）`],
    [{ dischargeWay: [5] }, `${at}.dischargeWay[0]: 离院方式代码应为非空字符串，实际为 5`],
    [{ dischargeWay: ["6"] }, `${at}.dischargeWay[0]: 不是有效的离院方式代码 "6"，应为 1/2/3/4/5/9 之一`],
    [{ dischargeWay: ["5", "5"] }, `${at}.dischargeWay[1]: 离院方式代码 "5" 重复`],
    [{ dept: [""] }, `${at}.dept[0]: 科别代码应为非空字符串，实际为 ""`],
    [{ pdxPrefix: "Z37" }, `${at}.pdxPrefix: 应为非空的编码前缀数组（字符串）`],
    [{ anyDxPrefix: [""] }, `${at}.anyDxPrefix[0]: 编码前缀应为非空字符串，实际为 ""`],
    [{ ppxPrefix: [74] }, `${at}.ppxPrefix[0]: 编码前缀应为非空字符串，实际为 74`],
    [{ anyPxPrefix: [] }, `${at}.anyPxPrefix: 应为非空的编码前缀数组（字符串）`],
    [
      { all: [{ los: { max: 10 } }, { not: { dischargeWay: ["0"] } }] },
      `${at}.all[1].not.dischargeWay[0]: 不是有效的离院方式代码 "0"`,
    ],
  ])("%j", (w, message) => {
    if (message === null) {
      expect(buildScheme(files(withRc13(w)), "ok").drgs.length).toBe(14);
      return;
    }
    const text = problemsOf(withRc13(w));
    expect(text).toContain("分组方案 bad 无效");
    expect(text).toContain(message);
  });

  it.each([
    [{ newbornBirthWeight: "no" }, 'scheme.json $.checks.newbornBirthWeight: 应为布尔值，实际为 "no"'],
    [{ newborn: false }, "scheme.json $.checks.newborn: 未知的校验开关，应为 newbornBirthWeight"],
    [true, "scheme.json $.checks: 应为对象"],
  ])("checks %j", (checks, message) => {
    expect(problemsOf(schemeJson(checks))).toContain(message);
  });

  it("accepts the switch set to true, which is the default", () => {
    const s = buildScheme(files(schemeJson({ newbornBirthWeight: true })), "on");
    expect(s.compiled.newbornBirthWeightCheck).toBe(true);
    expect(scheme.compiled.newbornBirthWeightCheck).toBe(true);
    expect(zhoukou.compiled.newbornBirthWeightCheck).toBe(false);
  });
});
