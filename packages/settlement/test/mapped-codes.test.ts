/**
 * 清单使用非国家贯标编码不予结算 (seed 001, Shenyang): under the default edition a diagnosis or
 * procedure code that is not the national insurance version is refused even when the scheme's
 * version map knows its national code; a region whose edition says "warning" instead accepts the
 * list and groups it by the mapped code.
 */
import { loadSchemeDir } from "@yibao/grouper/load";
import { describe, expect, it } from "vitest";
import {
  checkSettlementMessage,
  DEFAULT_QC_RULES,
  parseSettlementMessage,
  type QcRuleSet,
  toGroupingRecord,
} from "../src/index.js";
import { context, SCHEME_DIR, validMessage } from "./helpers.js";

/** The default edition with the two mapped-code rules downgraded to warnings (a region's choice). */
const CONVERTING: QcRuleSet = {
  ...DEFAULT_QC_RULES,
  id: "converting-region",
  version: "2024.1-convert",
  rules: DEFAULT_QC_RULES.rules.map((r) =>
    r.id === "QC-CODE-001" || r.id === "QC-CODE-003" ? { ...r, severity: "warning" as const } : r,
  ),
};

function withMappedProcedure() {
  const m = validMessage();
  m.input.oprninfo[0].oprn_oprt_code = "47.0900x002"; // maps to 47.0903 in CHS-DRG 1.1
  return m;
}

function withMappedDiagnosis() {
  const m = validMessage();
  m.input.diseinfo[1].diag_code = "E11.000x011"; // maps to E11.000x001
  m.input.diseinfo[1].diag_name = "2型糖尿病";
  return m;
}

describe("codes that only map to the national version", () => {
  it("are refused under the default edition, naming the code, the national code and the rule", () => {
    const p = checkSettlementMessage(withMappedProcedure(), context());
    expect(p.accepted).toBe(false);
    const f = p.findings.find((x) => x.ruleId === "QC-CODE-003");
    expect(f).toMatchObject({ severity: "error", field: "oprninfo[0].oprn_oprt_code" });
    expect(f?.message).toMatch(
      /^手术操作代码「47\.0900x002」不是国家医保版编码（按版本映射对应「47\.0903」.*不予结算/,
    );

    const d = checkSettlementMessage(withMappedDiagnosis(), context());
    expect(d.accepted).toBe(false);
    expect(d.findings.find((x) => x.ruleId === "QC-CODE-001")?.message).toContain("「E11.000x001」");
  });

  it("a region that says warn accepts the list and groups it by the national code", async () => {
    const p = checkSettlementMessage(withMappedProcedure(), context({ rules: CONVERTING }));
    expect(p.accepted).toBe(true);
    expect(p.findings.find((x) => x.ruleId === "QC-CODE-003")?.severity).toBe("warning");
    const list = parseSettlementMessage(withMappedProcedure()).list;
    if (!list) throw new Error("no list");
    expect(toGroupingRecord(list, await loadSchemeDir(SCHEME_DIR)).procedures).toEqual(["47.0903"]);
  });

  it("a national code is not touched by either rule", () => {
    const ok = checkSettlementMessage(validMessage(), context());
    expect(ok.findings.filter((x) => x.ruleId.startsWith("QC-CODE-"))).toEqual([]);
  });
});
