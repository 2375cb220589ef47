import { describe, expect, it } from "vitest";
import {
  type CodeTableSet,
  checkSettlementMessage,
  compileQcRules,
  DEFAULT_CODE_TABLES,
  DEFAULT_QC_RULES,
  editionInForce,
  QcConfigError,
  type QcRuleSet,
  requiredTableNames,
  validateCodeTableSet,
  validateQcRuleSet,
} from "../src/index.js";
import { context, validMessage } from "./helpers.js";

function withRule(id: string, change: (r: Record<string, unknown>) => void): QcRuleSet {
  const set = JSON.parse(JSON.stringify(DEFAULT_QC_RULES)) as QcRuleSet;
  const rule = set.rules.find((r) => r.id === id) as unknown as Record<string, unknown>;
  change(rule);
  return set;
}

describe("rules and code tables are data", () => {
  it("the default editions validate, also after a JSON round trip", () => {
    expect(validateQcRuleSet(JSON.parse(JSON.stringify(DEFAULT_QC_RULES))).problems).toEqual([]);
    expect(validateCodeTableSet(JSON.parse(JSON.stringify(DEFAULT_CODE_TABLES))).problems).toEqual([]);
    expect(requiredTableNames()).toContain("med_chrgitm");
    for (const t of requiredTableNames()) expect(DEFAULT_CODE_TABLES.tables[t], t).toBeDefined();
  });

  it("rejects malformed editions with Chinese reasons", () => {
    expect(
      validateQcRuleSet({ id: "x", version: "1", effectiveDate: "2024-01-01", rules: [{ id: "A" }] }).problems
        .length,
    ).toBeGreaterThan(2);
    const dup = { ...DEFAULT_QC_RULES, rules: [DEFAULT_QC_RULES.rules[0], DEFAULT_QC_RULES.rules[0]] };
    expect(validateQcRuleSet(dup).problems.join()).toContain("重复");
    const noGend = { ...DEFAULT_CODE_TABLES, tables: { ...DEFAULT_CODE_TABLES.tables, gend: undefined } };
    expect(validateCodeTableSet(JSON.parse(JSON.stringify(noGend))).problems).toContain("缺少代码表 gend");
  });

  it("a parameter change changes the check: a 10-day deadline", () => {
    const m = validMessage();
    const late = context({ today: "2024-03-18" });
    expect(checkSettlementMessage(m, late).accepted).toBe(false);
    const lenient = withRule("QC-TIME-001", (r) => (r.params = { deadlineDays: 10 }));
    expect(checkSettlementMessage(m, { ...late, rules: lenient }).findings).toEqual([]);
  });

  it("severity, mode and enabled are honoured", () => {
    const m = validMessage();
    m.input.setlinfo.age = 40;
    const asWarning = withRule("QC-AGE-001", (r) => (r.severityByMode = { hospital: "warning" }));
    const h = checkSettlementMessage(m, context({ mode: "hospital", rules: asWarning }));
    expect(h.findings.map((f) => [f.ruleId, f.severity])).toEqual([["QC-AGE-001", "warning"]]);
    expect(h.accepted).toBe(true);
    const b = checkSettlementMessage(m, context({ mode: "bureau", rules: asWarning }));
    expect(b.accepted).toBe(false);
    const off = withRule("QC-AGE-001", (r) => (r.enabled = false));
    expect(checkSettlementMessage(m, context({ rules: off })).findings).toEqual([]);
  });

  it("an operator can add a rule of an existing check with other parameters", () => {
    const set = JSON.parse(JSON.stringify(DEFAULT_QC_RULES)) as { rules: unknown[] };
    set.rules.push({
      id: "QC-DX-901",
      check: "ageSpecificDiagnosis",
      category: "diagnosis",
      severity: "warning",
      message: "诊断「{value}」为{kind}编码（{range}），患者年龄 {age}，超出 {limit}",
      params: { kind: "儿童期", ranges: ["I10-I15"], maxAgeDays: 3650 },
    });
    const m = validMessage();
    const r = checkSettlementMessage(m, context({ rules: set as unknown as QcRuleSet }));
    expect(r.findings.map((f) => [f.ruleId, f.field, f.severity, f.message])).toEqual([
      [
        "QC-DX-901",
        "diseinfo[1].diag_code",
        "warning",
        "诊断「I10.x05」为儿童期编码（I10-I15），患者年龄 44 岁，超出 0–3650 天",
      ],
    ]);
    expect(r.accepted).toBe(true);
  });

  it("a replaced code table changes the code range check", () => {
    const tables = JSON.parse(JSON.stringify(DEFAULT_CODE_TABLES)) as {
      tables: Record<string, { codes: Record<string, string> }>;
    };
    delete tables.tables.naty?.codes["01"];
    const r = checkSettlementMessage(
      validMessage(),
      context({ codeTables: tables as unknown as CodeTableSet }),
    );
    expect(r.findings.map((f) => [f.ruleId, f.field])).toEqual([["QC-DICT-001", "setlinfo.naty"]]);
  });

  it("invalid parameters are a configuration error at compile time", () => {
    const bad = withRule(
      "QC-FMT-007",
      (r) => (r.params = { checks: [{ fields: ["setlinfo.nope"], regex: "x", format: "x" }] }),
    );
    expect(() => compileQcRules(bad, DEFAULT_CODE_TABLES, "bureau")).toThrow(QcConfigError);
    const badRange = withRule("QC-DX-003", (r) => (r.params = { ranges: ["V01-"] }));
    expect(() => compileQcRules(badRange, DEFAULT_CODE_TABLES, "bureau")).toThrow(/QC-DX-003/);
  });

  it("a parameter the check kind does not take is a configuration error naming the rule and key", () => {
    // A misspelt key would otherwise be ignored and the default (or nothing) applied silently.
    const misspelt = withRule("QC-TIME-001", (r) => {
      r.params = { deadlineDay: 10 };
    });
    expect(() => compileQcRules(misspelt, DEFAULT_CODE_TABLES, "bureau")).toThrow(QcConfigError);
    expect(() => compileQcRules(misspelt, DEFAULT_CODE_TABLES, "bureau")).toThrow(
      "质控规则 QC-TIME-001 的参数 deadlineDay 未知（检查类型 uploadDeadline；可用参数：deadlineDays）",
    );
    const extra = withRule("QC-TIME-001", (r) => {
      r.params = { deadlineDays: 10, warnDaysBefore: 2 };
    });
    expect(() => compileQcRules(extra, DEFAULT_CODE_TABLES, "bureau")).toThrow("参数 warnDaysBefore 未知");
    // A parse-phase check takes none.
    const parsePhase = withRule("QC-FMT-003", (r) => {
      r.params = { max: 1 };
    });
    expect(() => compileQcRules(parsePhase, DEFAULT_CODE_TABLES, "bureau")).toThrow(
      "质控规则 QC-FMT-003 的参数 max 未知（检查类型 number；该检查类型不接受参数）",
    );
  });

  it("every check kind is either a parse-phase check or a registered module of its own name", async () => {
    const { QC_CHECK_KINDS, PARSE_PHASE_KINDS } = await import("../src/rules.js");
    const { QC_CHECK_KIND_MODULES } = await import("../src/qc/registry.js");
    for (const kind of QC_CHECK_KINDS) {
      expect(PARSE_PHASE_KINDS.has(kind) !== QC_CHECK_KIND_MODULES.has(kind), kind).toBe(true);
      if (QC_CHECK_KIND_MODULES.has(kind)) expect(QC_CHECK_KIND_MODULES.get(kind)?.kind).toBe(kind);
    }
    expect(QC_CHECK_KIND_MODULES.size + PARSE_PHASE_KINDS.size).toBe(QC_CHECK_KINDS.length);
  });

  it("picks the edition in force on a date", () => {
    const a = { ...DEFAULT_QC_RULES, version: "a", effectiveDate: "2023-01-01" };
    const b = { ...DEFAULT_QC_RULES, version: "b", effectiveDate: "2024-07-01" };
    expect(editionInForce([b, a], "2024-03-09")?.version).toBe("a");
    expect(editionInForce([a, b], "2024-07-01T00:00:00")?.version).toBe("b");
    expect(editionInForce([a, b], "2022-12-31")).toBeUndefined();
  });
});
