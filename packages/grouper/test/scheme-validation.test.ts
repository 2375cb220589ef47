import { describe, expect, it } from "vitest";
import { DEMO_SCHEME_DIR, readSchemeFiles } from "../src/load.js";
import { buildScheme, type SchemeFiles } from "../src/scheme.js";
import { SchemeError } from "../src/scheme-source.js";

const files = await readSchemeFiles(DEMO_SCHEME_DIR);
const json = () => JSON.parse(files.schemeJson);

function problemsOf(f: SchemeFiles): string[] {
  try {
    buildScheme(f, "bad");
  } catch (e) {
    expect(e).toBeInstanceOf(SchemeError);
    return (e as SchemeError).problems.map((p) => `${p.file} ${p.path}: ${p.message}`);
  }
  throw new Error("scheme was accepted");
}

describe("scheme validation", () => {
  it("accepts the demo scheme", () => {
    expect(buildScheme(files, "demo").drgs.length).toBeGreaterThan(20);
  });

  it("names an unknown list with its JSON path", () => {
    const s = json();
    s.adrgs[1].when = { pdxIn: "NO.SUCH.LIST" };
    const p = problemsOf({ ...files, schemeJson: JSON.stringify(s) });
    expect(p).toEqual([
      expect.stringMatching(
        /scheme\.json \$\.adrgs\[1\]\(\w+\)\.when\.pdxIn: 引用了不存在的列表 "NO\.SUCH\.LIST"/,
      ),
    ]);
  });

  it("rejects unknown predicates, bad ranges and dangling references", () => {
    const s = json();
    s.drgs[0].when = { ageYear: { eq: 1 } };
    s.drgs[1].when = { ageDays: { max: "28" } };
    s.mdcs[0].adrgs.push("ZZ9");
    s.adrgs[0].drgs.push("ZZ99");
    s.mdcOrder.push("Q");
    const p = problemsOf({ ...files, schemeJson: JSON.stringify(s) }).join("\n");
    expect(p).toContain('未知的条件类型 "ageYear"');
    expect(p).toMatch(/\$\.drgs\[1\]\(\w+\)\.when\.ageDays\.max: 应为数值/);
    expect(p).toContain("ADRG ZZ9 未在 adrgs 中定义");
    expect(p).toContain("DRG ZZ99 未在 drgs 中定义");
    expect(p).toContain("MDC Q 未在 mdcs 中定义");
  });

  it("reports a drg that belongs to another adrg, and duplicated codes", () => {
    const s = json();
    s.drgs[0].adrg = s.adrgs[3].code;
    s.drgs.push({ ...s.drgs[2] });
    const p = problemsOf({ ...files, schemeJson: JSON.stringify(s) }).join("\n");
    expect(p).toMatch(/DRG \w+ 属于 ADRG/);
    expect(p).toMatch(/DRG编码 \w+ 重复/);
  });

  it("names the file and line of a malformed table", () => {
    expect(problemsOf({ ...files, ccMcc: `${files.ccMcc}X01.000\tSEVERE\t9\n` })).toEqual([
      expect.stringMatching(/^cc_mcc\.tsv 第 \d+ 行: 级别应为 CC 或 MCC，实际为 "SEVERE"$/),
    ]);
    expect(problemsOf({ ...files, diagnoses: "code,name\nA00,x\n" })).toEqual([
      expect.stringMatching(/^diagnoses\.tsv 第 1 行: 表头应为/),
    ]);
    expect(problemsOf({ ...files, procedureMap: "from\tto\n1\t2\t3\n" })).toEqual([
      expect.stringMatching(/^procedure_map\.tsv 第 2 行: 应有 2 列，实际 3 列/),
    ]);
    expect(problemsOf({ ...files, schemeJson: "{" })[0]).toMatch(/不是合法的 JSON/);
  });

  it("refuses a version map whose target is not a dictionary code", () => {
    expect(problemsOf({ ...files, diagnosisMap: "from\tto\nX99.000\tX99.999\n" })[0]).toMatch(
      /diagnosis_map\.tsv 第 2 行: 目标编码 X99\.999 不在诊断字典中/,
    );
  });
});

describe("condition kinds as modules", () => {
  it("each kind's module is registered under its own key", async () => {
    const { PREDICATE_MODULES } = await import("../src/predicates/index.js");
    expect(Object.keys(PREDICATE_MODULES).sort()).toEqual(
      [
        "all",
        "always",
        "any",
        "not",
        "pdxIn",
        "anyDxIn",
        "ppxIn",
        "anyPxIn",
        "ageYears",
        "ageDays",
        "sex",
        "birthWeight",
        "regionsAtLeast",
        "traumaDiagnosesAtLeast",
        "hasMcc",
        "hasCcOrMcc",
        "los",
        "procedureCount",
        "dischargeWay",
        "dept",
        "pdxPrefix",
        "anyDxPrefix",
        "ppxPrefix",
        "anyPxPrefix",
      ].sort(),
    );
    for (const [key, m] of Object.entries(PREDICATE_MODULES)) expect(m.key, key).toBe(key);
  });

  it("describes nested conditions in Chinese through the modules", async () => {
    const { describePredicate } = await import("../src/predicates/index.js");
    const scheme = buildScheme(await readSchemeFiles(DEMO_SCHEME_DIR), "demo");
    const record = {
      id: "r",
      sex: "2",
      ageYears: 30,
      ageDays: null,
      birthWeight: null,
      diagnoses: [],
      procedures: [],
    };
    const d = (p: unknown) => describePredicate(scheme, p as never, record as never);
    expect(d({ ageYears: { min: 18, below: 65 } })).toBe("年龄 ≥ 18 岁 且 < 65 岁");
    expect(d({ sex: "2" })).toBe("性别为女");
    expect(d({ not: { hasMcc: true } })).toBe("非（伴严重并发症或合并症（MCC））");
    expect(d({ all: [{ hasCcOrMcc: true }, { birthWeight: { below: 1500 } }] })).toBe(
      "伴并发症或合并症（CC 或 MCC），且出生体重 < 1500 克",
    );
    expect(d({ any: [{ always: true }, { ageDays: { max: 28 } }] })).toBe("（无附加条件，或日龄 ≤ 28 天）");
    expect(d({ pdxIn: "x" })).toBe("主要诊断 （无） 属于列表 x");
    expect(d({ regionsAtLeast: { min: 2, lists: ["a", "b"] } })).toBe("诊断涉及至少 2 个部位（a、b）");
  });
});
