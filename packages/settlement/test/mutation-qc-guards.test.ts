// The null guards of the date and money checks (packages/settlement/src/qc/kinds/dates.ts,
// money.ts) against their mutants (issue 16, docs/mutation.md): a list with the field a check
// needs missing is not judged by it. The default rules, compiled inside each test (qc-only.ts).
// The valid fixture: admitted 2024-03-04, discharged 2024-03-09, born 1979-05-12, age 44,
// settled 2024-03-09; the procedure on 2024-03-04.
import { describe, expect, it } from "vitest";
import { type Msg, newbornMessage, validMessage } from "./helpers.js";
import { defaultRule, hits } from "./qc-only.js";

function without(keys: string[], base: () => Msg = validMessage): Msg {
  const m = base();
  for (const k of keys) delete m.input.setlinfo[k];
  return m;
}

describe("date checks without their dates", () => {
  it("procedure dates (QC-DATE-005) need both stay dates", () => {
    const r = defaultRule("QC-DATE-005");
    for (const missing of ["adm_time", "dscg_time"]) {
      const m = without([missing]);
      m.input.oprninfo[0].oprn_oprt_date = "2024-03-10";
      expect(hits(m, r), missing).toEqual([]);
      const before = without([missing]);
      before.input.oprninfo[0].oprn_oprt_date = "2024-03-03";
      expect(hits(before, r), missing).toEqual([]);
    }
    const m = validMessage();
    delete m.input.oprninfo[0].oprn_oprt_date;
    expect(hits(m, r)).toEqual([]);
  });

  it("the age in years (QC-AGE-001) needs the age and the age by the dates", () => {
    const r = defaultRule("QC-AGE-001");
    expect(hits(without(["age"]), r)).toEqual([]);
    expect(hits(without(["brdy"]), r)).toEqual([]);
    expect(hits(without(["adm_time"]), r)).toEqual([]);
    const later = validMessage();
    later.input.setlinfo.brdy = "2024-03-05"; // after admission: no age by the dates
    expect(hits(later, r)).toEqual([]);
  });

  it("the age in days (QC-AGE-002) needs 年龄不足1周岁的年龄(天) and the days by the dates", () => {
    const r = defaultRule("QC-AGE-002");
    expect(hits(without(["nwb_age"], newbornMessage), r)).toEqual([]);
    expect(hits(without(["brdy"], newbornMessage), r)).toEqual([]);
    expect(hits(without(["adm_time"], newbornMessage), r)).toEqual([]);
    const m = newbornMessage();
    m.input.setlinfo.nwb_age = 16; // 13 by the dates, tolerance 1
    expect(hits(m, r)).toHaveLength(1);
  });

  it("the upload deadline and its warning (QC-TIME-001/002) need 结算结束日期", () => {
    const late = { today: "2024-04-30T10:00:00" };
    expect(hits(without(["setl_end_date"]), defaultRule("QC-TIME-001"), late)).toEqual([]);
    expect(hits(validMessage(), defaultRule("QC-TIME-001"), late)).toHaveLength(1);
    const near = { today: "2024-03-16T10:00:00", mode: "hospital" as const };
    expect(hits(without(["setl_end_date"]), defaultRule("QC-TIME-002"), near)).toEqual([]);
    expect(hits(validMessage(), defaultRule("QC-TIME-002"), near)).toHaveLength(1);
  });
});

describe("fee items (QC-FEE-001) with a part missing", () => {
  it("are not added up, whichever part is missing", () => {
    const r = defaultRule("QC-FEE-001");
    for (const k of ["amt", "claa_sumfee", "clab_amt", "fulamt_ownpay_amt", "oth_amt"]) {
      const m = validMessage();
      m.input.iteminfo[1].clab_amt = 399.99; // one fen short: refused when complete
      expect(hits(m, r), k).toHaveLength(1);
      delete m.input.iteminfo[1][k];
      expect(hits(m, r), k).toEqual([]);
    }
  });
});
