/**
 * The audit prices a stay as settlement paid it: the payment policy's 住院不足24小时 family needs the
 * admission and discharge times, which the audit stay carries from the list (issue 14).
 */
import { readFileSync } from "node:fs";
import { parseSettlementMessage } from "@yibao/settlement";
import { describe, expect, it } from "vitest";
import { settleAsUploaded } from "../src/pricing.js";
import { auditStayFromList } from "../src/stay.js";
import { context, scheme, stay } from "./helpers.js";

// Under 24 hours paid by items × 1: the stay's cost.
const ctx = context({}, { specialCases: { under24Hours: { payment: { method: "items", ratio: "1" } } } });

describe("admission and discharge times reach the audit's pricing", () => {
  const base = () => stay({ diagnoses: ["J15.902"], cost: 300_000, los: 1 });
  it("08:00:00 → next day 07:59:59 is under 24 hours (paid its cost, 3000.00 元); 08:00:00 → 08:00:00 is not", () => {
    const under = settleAsUploaded(
      { ...base(), admissionTime: "08:00:00", dischargeTime: "07:59:59" },
      ctx.settlement,
    );
    expect(under.category).toBe("under24Hours");
    expect(under.drgPayment).toBe(300_000);
    const day = settleAsUploaded(
      { ...base(), admissionTime: "08:00:00", dischargeTime: "08:00:00" },
      ctx.settlement,
    );
    expect(day.specialCase).toBeNull();
    expect(day.category).toBe("normal");
  });
  it("without times the family cannot fire", () => {
    expect(settleAsUploaded(base(), ctx.settlement).specialCase).toBeNull();
  });
  it("the audit stay takes the times from the list's 入院时间 and 出院时间", () => {
    const url = new URL("../../settlement/test/fixtures/4101-appendicitis.json", import.meta.url);
    const message = JSON.parse(readFileSync(url, "utf8"));
    const list = parseSettlementMessage(message).list;
    if (list === undefined) throw new Error("the fixture parses");
    const s = auditStayFromList(list, { scheme });
    // adm_time 2024-03-04 09:15:00, dscg_time 2024-03-09 10:00:00
    expect([s.admissionDate, s.admissionTime, s.dischargeDate, s.dischargeTime]).toEqual([
      "2024-03-04",
      "09:15:00",
      "2024-03-09",
      "10:00:00",
    ]);
    // A list that gives a date without a clock time: the stay carries no times, the family cannot fire.
    const dateOnly = { ...list, info: { ...list.info, admTime: "2024-03-04" } };
    expect(auditStayFromList(dateOnly, { scheme }).admissionTime).toBeUndefined();
  });
});
