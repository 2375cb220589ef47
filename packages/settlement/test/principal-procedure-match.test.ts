/**
 * QC-DX-010 主要诊断与主要手术匹配性 (seed 001): judged by the scheme's own grouper, so the rule holds
 * for any scheme — a list whose principal procedure belongs to no surgical group of its principal
 * diagnosis's MDC goes to the ambiguous group (歧义组) and is reported, as a warning, on the
 * principal procedure. Suzhou 2023 has ambiguous groups (CHS-DRG 1.1 as shipped has none).
 */
import { groupRecord } from "@yibao/grouper";
import { loadSchemeDir } from "@yibao/grouper/load";
import { beforeAll, describe, expect, it } from "vitest";
import {
  checkSettlementMessage,
  type GroupingOutcome,
  type SettlementList,
  toGroupingRecord,
} from "../src/index.js";
import { context, SHARED_DIR, validMessage } from "./helpers.js";

let groupBySuzhou: (list: SettlementList) => GroupingOutcome;

beforeAll(async () => {
  const suzhou = await loadSchemeDir(`${SHARED_DIR}/schemes/suzhou-2023`);
  groupBySuzhou = (list) => groupRecord(suzhou, toGroupingRecord(list, suzhou));
});

function withProcedure(code: string) {
  const m = validMessage();
  m.input.oprninfo[0].oprn_oprt_code = code;
  return m;
}

const mismatch = (m: unknown, groupList?: (l: SettlementList) => GroupingOutcome) =>
  checkSettlementMessage(m, context(groupList ? { groupList } : {})).findings.filter(
    (f) => f.ruleId === "QC-DX-010",
  );

describe("QC-DX-010: principal procedure that does not match the principal diagnosis", () => {
  it("appendicitis with a femur procedure goes to GQY under Suzhou 2023 and is reported on the procedure", () => {
    // K35.800x001 (MDC G) + 78.6101 (a bone procedure of MDC I): Suzhou groups it AMBIGUOUS GQY.
    const found = mismatch(withProcedure("78.6101"), groupBySuzhou);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: "warning", field: "oprninfo[0].oprn_oprt_code" });
    expect(found[0]?.message).toMatch(
      /^主要手术操作「78\.6101」（.*）与主要诊断「K35\.800x001」（.*）不匹配，病例进入歧义组 GQY（MDCG 歧义组）/,
    );
    // A warning: the list is still accepted (paid in its ambiguous group at the policy's ratio).
    expect(
      checkSettlementMessage(withProcedure("78.6101"), context({ groupList: groupBySuzhou })).accepted,
    ).toBe(true);
  });

  it("appendicectomy groups GD2B: no finding", () => {
    expect(mismatch(validMessage(), groupBySuzhou)).toEqual([]);
  });

  it("a list without a procedure is never reported, whatever it groups into", () => {
    const m = validMessage();
    m.input.oprninfo = [];
    m.input.setlinfo.oprn_oprt_code_cnt = 0;
    expect(mismatch(m, () => ({ status: "AMBIGUOUS", drg: "GQY", drgName: "MDCG 歧义组" }))).toEqual([]);
  });

  it("without a grouper in the context (no scheme at hand) the rule does not run", () => {
    expect(mismatch(withProcedure("78.6101"))).toEqual([]);
  });
});
