// Boundary tests of the date, age, newborn and deadline checks (packages/settlement/src/qc/kinds/
// dates.ts) against their mutants (issue 16, docs/mutation.md): each threshold of the default rules
// at the limit, one inside and one outside. The valid fixture: admitted 2024-03-04 09:15, discharged
// 2024-03-09 10:00, 5 days, born 1979-05-12, age 44, settled 2024-03-09, checked on 2024-03-12.
import { describe, expect, it } from "vitest";
import { checkSettlementMessage, type QcContext } from "../src/index.js";
import { context, type Msg, newbornMessage, validMessage } from "./helpers.js";

/** The findings of one rule: `field message` lines. */
function hits(m: Msg, ruleId: string, ctx: Partial<QcContext> = {}): string[] {
  return checkSettlementMessage(m, context(ctx))
    .findings.filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.field} ${f.message}`);
}

function edit(change: (s: Msg) => void, base: () => Msg = validMessage): Msg {
  const m = base();
  change(m.input.setlinfo);
  return m;
}

describe("upload deadline (QC-TIME-001: 8 days; QC-TIME-002: warn 2 days before)", () => {
  it("refuses only after the eighth day", () => {
    expect(hits(validMessage(), "QC-TIME-001", { today: "2024-03-17T23:59:59" })).toEqual([]);
    const late = hits(validMessage(), "QC-TIME-001", { today: "2024-03-18T00:00:00" });
    expect(late).toHaveLength(1);
    expect(late[0]).toMatch(/^setlinfo\.setl_end_date /);
    expect(late[0]).toContain("2024-03-09");
    expect(late[0]).toContain("9");
  });

  it("warns with 2, 1 and 0 days left, not with 3 or after the deadline", () => {
    // QC-TIME-002 runs in the hospital's pre-upload check only.
    const near = (today: string) => hits(validMessage(), "QC-TIME-002", { today, mode: "hospital" });
    expect(near("2024-03-14T10:00:00")).toEqual([]); // 5 days after: 3 left
    expect(near("2024-03-15T10:00:00")).toEqual([
      "setlinfo.setl_end_date 结算结束日期 2024-03-09 后 8 天内须上传（截止 2024-03-17），仅剩 2 天",
    ]);
    expect(near("2024-03-17T10:00:00")).toEqual([
      "setlinfo.setl_end_date 结算结束日期 2024-03-09 后 8 天内须上传（截止 2024-03-17），仅剩 0 天",
    ]);
    expect(near("2024-03-18T10:00:00")).toEqual([]); // past the deadline: QC-TIME-001's
    expect(hits(validMessage(), "QC-TIME-002", { today: "2024-03-15T10:00:00" })).toEqual([]); // bureau
  });
});

describe("stay days (QC-DATE-003) and procedure dates (QC-DATE-005)", () => {
  it("accepts exactly 5 days for 03-04 to 03-09, refuses 4 and 6", () => {
    expect(hits(validMessage(), "QC-DATE-003")).toEqual([]);
    for (const days of [4, 6]) {
      expect(
        hits(
          edit((s) => (s.act_ipt_days = days)),
          "QC-DATE-003",
        ),
        String(days),
      ).toEqual([
        `setlinfo.act_ipt_days 实际住院天数 ${days} 天与入院日期 2024-03-04、出院日期 2024-03-09 计算的 5 天不符`,
      ]);
    }
  });

  it("counts a same-day stay as 1 day", () => {
    const sameDay = (days: number) =>
      edit((s) => {
        s.dscg_time = "2024-03-04 18:00:00";
        s.setl_end_date = "2024-03-04";
        s.act_ipt_days = days;
      });
    expect(hits(sameDay(1), "QC-DATE-003")).toEqual([]);
    expect(hits(sameDay(0), "QC-DATE-003")).toHaveLength(1);
  });

  it("accepts procedures on the day of admission and of discharge, not a day outside", () => {
    const on = (date: string) => {
      const m = validMessage();
      m.input.oprninfo[0].oprn_oprt_date = date;
      return hits(m, "QC-DATE-005");
    };
    expect(on("2024-03-04")).toEqual([]);
    expect(on("2024-03-09")).toEqual([]);
    for (const d of ["2024-03-03", "2024-03-10"]) {
      expect(on(d), d).toEqual([
        `oprninfo[0].oprn_oprt_date 手术操作日期「${d}」不在住院期间（2024-03-04 至 2024-03-09）内`,
      ]);
    }
  });
});

describe("dates after the upload (QC-DATE-004) and date order (QC-DATE-001/002)", () => {
  it("accepts the day of the upload, refuses the next", () => {
    const check = { today: "2024-03-09T08:00:00" };
    expect(hits(validMessage(), "QC-DATE-004", check)).toEqual([]);
    const next = hits(validMessage(), "QC-DATE-004", { today: "2024-03-08T23:00:00" });
    expect(next.map((h) => h.split(" ")[0])).toEqual(["setlinfo.dscg_time", "setlinfo.setl_end_date"]);
  });

  it("compares a date with a date-time by the day", () => {
    // Born on the day of admission: not later.
    expect(
      hits(
        edit((s) => (s.brdy = "2024-03-04")),
        "QC-DATE-001",
      ),
    ).toEqual([]);
    expect(
      hits(
        edit((s) => (s.brdy = "2024-03-05")),
        "QC-DATE-001",
      ),
    ).toHaveLength(1);
    // Two date-times of the same day compare by the time.
    expect(
      hits(
        edit((s) => (s.dscg_time = "2024-03-04 09:14:59")),
        "QC-DATE-001",
      ),
    ).toEqual(["setlinfo.dscg_time 入院时间「2024-03-04 09:15:00」晚于出院时间「2024-03-04 09:14:59」"]);
    expect(
      hits(
        edit((s) => (s.dscg_time = "2024-03-04 09:15:00")),
        "QC-DATE-001",
      ),
    ).toEqual([]);
  });
});

describe("ages (QC-AGE-001/002)", () => {
  it("accepts the age at admission, or at discharge when a birthday falls in the stay", () => {
    expect(
      hits(
        edit((s) => (s.age = 45)),
        "QC-AGE-001",
      ),
    ).toHaveLength(1);
    expect(
      hits(
        edit((s) => (s.age = 43)),
        "QC-AGE-001",
      ),
    ).toHaveLength(1);
    // Born 1979-03-06: 44 on admission (03-04), 45 on discharge (03-09).
    const birthday = (age: number) =>
      edit((s) => {
        s.brdy = "1979-03-06";
        s.certno = "";
        s.age = age;
      });
    expect(hits(birthday(44), "QC-AGE-001")).toEqual([]);
    expect(hits(birthday(45), "QC-AGE-001")).toEqual([]);
    expect(hits(birthday(46), "QC-AGE-001")).toHaveLength(1);
  });

  it("allows a newborn's age in days one day off, not two", () => {
    // Born 2024-02-20, admitted 2024-03-04: 13 days.
    const days = (n: number) =>
      hits(
        edit((s) => (s.nwb_age = n), newbornMessage),
        "QC-AGE-002",
      );
    expect(days(13)).toEqual([]);
    expect(days(12)).toEqual([]);
    expect(days(14)).toEqual([]);
    expect(days(15)).toEqual([
      "setlinfo.nwb_age 不足 1 周岁的年龄 15 天与出生日期 2024-02-20 推算的入院时日龄 13 天不符",
    ]);
    expect(days(11)).toHaveLength(1);
  });
});

describe("newborn weights (QC-NWB-001: up to 28 days; QC-NWB-002: 300–8000 g)", () => {
  it("requires the birth weight up to 28 days of age, not at 29", () => {
    const aged = (brdy: string) =>
      hits(
        edit((s) => {
          s.brdy = brdy;
          delete s.nwb_age;
          delete s.nwb_bir_wt;
        }, newbornMessage),
        "QC-NWB-001",
      );
    expect(aged("2024-02-05")).toHaveLength(1); // 28 days on 2024-03-04
    expect(aged("2024-02-05")[0]).toMatch(/^setlinfo\.nwb_bir_wt .*日龄 28 天（不超过 28 天/);
    expect(aged("2024-02-04")).toEqual([]); // 29 days
    expect(aged("2024-03-04")).toHaveLength(1); // 0 days
  });

  it("accepts 300 g and 8000 g, refuses 299 g and 8001 g", () => {
    const weighs = (g: number) =>
      hits(
        edit((s) => (s.nwb_adm_wt = g), newbornMessage),
        "QC-NWB-002",
      );
    expect(weighs(300)).toEqual([]);
    expect(weighs(8000)).toEqual([]);
    expect(weighs(299)).toHaveLength(1);
    expect(weighs(299)[0]).toMatch(
      /^setlinfo\.nwb_adm_wt .*（setlinfo\.nwb_adm_wt）299 克不在合理范围 300–8000 克内$/,
    );
    expect(weighs(8001)).toHaveLength(1);
  });
});
