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

  it("picks the edition in force on a date", () => {
    const a = { ...DEFAULT_QC_RULES, version: "a", effectiveDate: "2023-01-01" };
    const b = { ...DEFAULT_QC_RULES, version: "b", effectiveDate: "2024-07-01" };
    expect(editionInForce([b, a], "2024-03-09")?.version).toBe("a");
    expect(editionInForce([a, b], "2024-07-01T00:00:00")?.version).toBe("b");
    expect(editionInForce([a, b], "2022-12-31")).toBeUndefined();
  });
});
