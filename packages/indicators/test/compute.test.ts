import { describe, expect, it } from "vitest";
import { INDICATOR_IDS } from "../src/catalogue.js";
import {
  computeIndicators,
  computeRegionBaselines,
  deriveLowRiskDrgs,
  divideRoundHalfUp,
  type IndicatorRow,
  REGION_KEY,
} from "../src/compute.js";
import { dayNumber } from "../src/stay.js";
import { REGION, stay, weights } from "./fixtures.js";

function row(rows: readonly IndicatorRow[], key: string): IndicatorRow {
  const r = rows.find((x) => x.key === key);
  if (r === undefined) throw new Error(`no row ${key}`);
  return r;
}

describe("the hand-computed region (docs/indicators.md 算例)", () => {
  const region = row(computeIndicators(REGION, { groupBy: "region", weights }).rows, REGION_KEY);
  const byHospital = computeIndicators(REGION, { groupBy: "hospital", weights }).rows;
  const h1 = row(byHospital, "H1");
  const h2 = row(byHospital, "H2");

  it("baselines: A = (10000+20000)/2 fen, 4.5 days; B = 40000 fen, 15 days", () => {
    const b = computeRegionBaselines(REGION);
    expect(b.get("A")).toEqual({
      cases: 2,
      totalCostFen: 30000,
      totalLos: 9,
      avgCostFen: 15000,
      avgLos: 4.5,
    });
    expect(b.get("B")).toEqual({
      cases: 2,
      totalCostFen: 80000,
      totalLos: 30,
      avgCostFen: 40000,
      avgLos: 15,
    });
    expect(b.has("AQY")).toBe(false);
    expect(b.has("0000")).toBe(false);
  });

  it("cases, grouping, 0000 and QY shares", () => {
    expect(region.values.cases).toBe(6);
    expect(region.values.groupedCases).toBe(5); // s1-s4 and the QY stay s6
    expect(region.values.groupingRate).toBeCloseTo(5 / 6, 12);
    expect(region.values.ungroupedShare).toBeCloseTo(1 / 6, 12);
    expect(region.values.qyShare).toBeCloseTo(1 / 6, 12);
    expect(h1.values.cases).toBe(3);
    expect(h1.values.ungroupedShare).toBe(0);
    expect(h1.values.groupingRate).toBe(1);
    expect(h1.values.qyShare).toBeCloseTo(1 / 3, 12);
    expect(h2.values.ungroupedShare).toBeCloseTo(1 / 3, 12);
  });

  it("CMI and total weight: (1+2+1+2)/4", () => {
    expect(region.values.totalWeight).toBe(6);
    expect(region.values.cmi).toBe(1.5);
    expect(region.values.drgCount).toBe(2);
    expect(h1.values.cmi).toBe(1.5);
    expect(h2.values.cmi).toBe(1.5);
  });

  it("cost consumption index: H1 17/24, H2 31/24, region 1", () => {
    // H1: (10000/15000 + 30000/40000) / 2; H2: (20000/15000 + 50000/40000) / 2.
    expect(h1.values.cei).toBeCloseTo(17 / 24, 12);
    expect(h2.values.cei).toBeCloseTo(31 / 24, 12);
    expect(region.values.cei).toBeCloseTo(1, 12);
  });

  it("time consumption index: H1 8/9, H2 10/9, region 1", () => {
    // H1: (5/4.5 + 10/15) / 2; H2: (4/4.5 + 20/15) / 2.
    expect(h1.values.tei).toBeCloseTo(8 / 9, 12);
    expect(h2.values.tei).toBeCloseTo(10 / 9, 12);
    expect(region.values.tei).toBeCloseTo(1, 12);
  });

  it("average cost (rounded half up to the fen) and stay", () => {
    expect(region.values.totalCostFen).toBe(124000);
    expect(region.values.avgCostFen).toBe(20667); // 124000 / 6 = 20666.67
    expect(h1.values.avgCostFen).toBe(15333); // 46000 / 3 = 15333.33
    expect(h2.values.avgCostFen).toBe(26000);
    expect(region.values.avgLos).toBeCloseTo(44 / 6, 12);
  });

  it("out-of-pocket share and fund pay", () => {
    expect(region.values.outOfPocketShare).toBeCloseTo(24800 / 124000, 12);
    expect(region.values.fundPayFen).toBe(99200);
  });

  it("readmissions: any hospital, planned ones and deaths excluded, late lists still readmit", () => {
    // s1 (X) → s3 after 10 days: 14 and 30. s3 (X) → s5 after 23 days: 30 only.
    // s2 (Y) → s6 after 7 days: planned, not counted. s6 (Y) → s7 (no list) after 3 days: 14 and 30.
    // s4 died: not in the denominator. Alive discharges: s1 s2 s3 s5 s6 = 5.
    expect(region.counts.aliveDischarges).toBe(5);
    expect(region.counts.readmissions14).toBe(2);
    expect(region.counts.readmissions30).toBe(3);
    expect(region.values.readmission14Rate).toBeCloseTo(2 / 5, 12);
    expect(region.values.readmission30Rate).toBeCloseTo(3 / 5, 12);
    // Attributed to the index stay's hospital: s1 and s6 are H1's, s3 is H2's.
    expect(h1.values.readmission14Rate).toBeCloseTo(2 / 3, 12);
    expect(h1.values.readmission30Rate).toBeCloseTo(2 / 3, 12);
    expect(h2.values.readmission14Rate).toBe(0);
    expect(h2.values.readmission30Rate).toBeCloseTo(1 / 2, 12);
  });

  it("upload rate counts the settlement without a list; QC pass rate counts lists with a result", () => {
    expect(region.values.uploadRate).toBeCloseTo(6 / 7, 12);
    expect(h1.values.uploadRate).toBeCloseTo(3 / 4, 12);
    expect(h2.values.uploadRate).toBe(1);
    expect(region.values.qcPassRate).toBeCloseTo(3 / 5, 12);
    expect(h1.values.qcPassRate).toBe(1);
  });

  it("surplus or loss over stays paid by DRG; audit findings and recoveries", () => {
    expect(region.values.surplusFen).toBe(94000 - 110000);
    expect(h1.values.surplusFen).toBe(-3000);
    expect(h2.values.surplusFen).toBe(-13000);
    expect(region.values.auditFindings).toBe(3);
    expect(region.values.recoveredFen).toBe(4500);
    expect(h1.values.recoveredFen).toBe(1500);
  });

  it("low-risk mortality: none derivable here (one DRG with deaths); given groups are used", () => {
    expect(region.values.lowRiskMortality).toBeNull();
    const given = computeIndicators(REGION, { groupBy: "region", weights, lowRiskDrgs: new Set(["B"]) });
    expect(row(given.rows, REGION_KEY).values.lowRiskMortality).toBe(0.5);
  });

  it("a period range counts only its stays but still sees later readmissions", () => {
    const jan = row(
      computeIndicators(REGION, { groupBy: "region", weights, periodFrom: "2024-01", periodTo: "2024-01" })
        .rows,
      REGION_KEY,
    );
    expect(jan.values.cases).toBe(5);
    expect(jan.counts.readmissions30).toBe(3); // s3 → s5 (February) still counts
    expect(jan.values.ungroupedShare).toBe(0);
  });

  it("include keeps region baselines: H2 alone has the same CEI as in the hospital table", () => {
    const only = computeIndicators(REGION, {
      groupBy: "hospital",
      weights,
      include: (s) => s.hospital === "H2",
    });
    expect(only.rows.map((r) => r.key)).toEqual(["H2"]);
    expect(row(only.rows, "H2").values.cei).toBeCloseTo(31 / 24, 12);
  });

  it("rows by department and physician are keyed within their hospital", () => {
    const dept = computeIndicators(REGION, { groupBy: "department", weights }).rows;
    expect(dept.map((r) => r.key)).toEqual(["H1|D1", "H2|D2"]);
    expect(row(dept, "H2|D2").dims).toEqual({ hospital: "H2", department: "D2" });
    const phys = computeIndicators(REGION, { groupBy: "physician", weights }).rows;
    expect(phys.map((r) => r.key)).toEqual(["H1|P1", "H2|P2", "H2|P3"]);
    const drg = computeIndicators(REGION, { groupBy: "drg", weights }).rows;
    expect(row(drg, "B").values.cei).toBeCloseTo(1, 12);
    expect(row(drg, "B").values.cmi).toBe(2);
    const multi = computeIndicators(REGION, { groupBy: ["hospital", "period"], weights }).rows;
    expect(multi.map((r) => r.key)).toEqual(["H1|2024-01", "H2|2024-01", "H2|2024-02"]);
  });
});

describe("edge cases", () => {
  it("no stays: no rows", () => {
    expect(computeIndicators([], { groupBy: "region", weights }).rows).toEqual([]);
  });

  it("no grouped cases: CMI, indices, low-risk and surplus are null, never NaN", () => {
    const stays = [
      stay({ setlId: "u1", drg: "0000", groupStatus: "UNGROUPABLE", dischargeWay: "5" }),
      stay({
        setlId: "u2",
        drg: "0000",
        groupStatus: "CHECK_FAILED",
        dischargeWay: "5",
        totalCostFen: 0,
        patientShareFen: 0,
      }),
    ];
    const r = row(computeIndicators(stays, { groupBy: "region", weights }).rows, REGION_KEY);
    for (const id of [
      "cmi",
      "cei",
      "tei",
      "readmission14Rate",
      "qcPassRate",
      "surplusFen",
      "lowRiskMortality",
    ] as const)
      expect(r.values[id]).toBeNull();
    expect(r.values.groupingRate).toBe(0);
    expect(r.values.ungroupedShare).toBe(1);
    for (const id of INDICATOR_IDS) {
      const v = r.values[id];
      expect(v === null || Number.isFinite(v)).toBe(true);
    }
  });

  it("a row of settlements without lists has an upload rate of 0 and null averages", () => {
    const r = row(
      computeIndicators([stay({ setlId: "n1", listUploaded: false })], { groupBy: "region", weights }).rows,
      REGION_KEY,
    );
    expect(r.values.uploadRate).toBe(0);
    expect(r.values.cases).toBe(0);
    expect(r.values.avgCostFen).toBeNull();
    expect(r.values.avgLos).toBeNull();
    expect(r.values.outOfPocketShare).toBeNull();
  });

  it("a grouped DRG without a weight is out of CMI but in the grouping rate", () => {
    const stays = [stay({ setlId: "w1", drg: "A" }), stay({ setlId: "w2", drg: "NOWEIGHT" })];
    const r = row(computeIndicators(stays, { groupBy: "region", weights }).rows, REGION_KEY);
    expect(r.values.groupingRate).toBe(1);
    expect(r.counts.weightedCases).toBe(1);
    expect(r.values.cmi).toBe(1);
    const withRw = [stay({ setlId: "w3", drg: "NOWEIGHT", rw: 4 }), stay({ setlId: "w4", drg: "A" })];
    expect(row(computeIndicators(withRw, { groupBy: "region", weights }).rows, REGION_KEY).values.cmi).toBe(
      2.5,
    );
  });

  it("external baselines are used as given; DRGs without one are out of the indices", () => {
    const baselines = new Map([["A", { avgCostFen: 20000, avgLos: 10 }]]);
    const stays = [stay({ setlId: "b1", drg: "A" }), stay({ setlId: "b2", drg: "B", totalCostFen: 1 })];
    const r = row(
      computeIndicators(stays, { groupBy: "region", weights, regionBaselines: baselines }).rows,
      REGION_KEY,
    );
    expect(r.values.cei).toBe(0.5);
    expect(r.values.tei).toBe(0.5);
    expect(r.counts.ceiCases).toBe(1);
  });

  it("zero-cost baselines do not divide by zero", () => {
    const stays = [stay({ setlId: "z1", totalCostFen: 0, patientShareFen: 0, fundPayFen: 0, los: 0 })];
    const r = row(computeIndicators(stays, { groupBy: "region", weights }).rows, REGION_KEY);
    expect(r.values.cei).toBeNull();
    expect(r.values.tei).toBeNull();
    expect(r.values.outOfPocketShare).toBeNull();
  });

  it("bad stays are reported with field and reason, the rest goes on", () => {
    const stays = [
      stay({ setlId: "ok" }),
      stay({ setlId: "bad-date", dscgDate: "2023-02-29" }),
      stay({ setlId: "reversed", admDate: "2024-01-10", dscgDate: "2024-01-09" }),
      stay({ setlId: "float-fen", totalCostFen: 10.5 }),
      stay({ setlId: "period", period: "2024-13" }),
    ];
    const res = computeIndicators(stays, { groupBy: "region", weights });
    expect(res.errors.map((e) => [e.setlId, e.field])).toEqual([
      ["bad-date", "dscgDate"],
      ["reversed", "dscgDate"],
      ["float-fen", "totalCostFen"],
      ["period", "period"],
    ]);
    expect(res.errors[1]?.message).toBe("出院日期早于入院日期");
    expect(row(res.rows, REGION_KEY).values.cases).toBe(1);
  });

  it("readmission windows are inclusive: day 14 counts for 2 weeks, day 15 and 30 only for 30 days", () => {
    const mk = (gap: number, person: string) => {
      const out = dayNumber("2024-03-01") as number;
      const next = new Date((out + gap) * 86_400_000).toISOString().slice(0, 10);
      return [
        stay({ setlId: `${person}-1`, personId: person, admDate: "2024-02-25", dscgDate: "2024-03-01" }),
        stay({ setlId: `${person}-2`, personId: person, admDate: next, dscgDate: next, period: "2099-01" }),
      ];
    };
    const stays = [...mk(0, "a"), ...mk(14, "b"), ...mk(15, "c"), ...mk(30, "d"), ...mk(31, "e")];
    const r = row(
      computeIndicators(stays, { groupBy: "region", weights, periodTo: "2024-12" }).rows,
      REGION_KEY,
    );
    expect(r.counts.aliveDischarges).toBe(5);
    expect(r.counts.readmissions14).toBe(2); // gaps 0 and 14
    expect(r.counts.readmissions30).toBe(4); // gaps 0, 14, 15, 30
  });

  it("an overlapping stay is not a readmission; the next stay after discharge is", () => {
    const stays = [
      stay({ setlId: "o1", personId: "p", admDate: "2024-01-01", dscgDate: "2024-01-10" }),
      stay({ setlId: "o2", personId: "p", admDate: "2024-01-05", dscgDate: "2024-01-06" }),
      stay({ setlId: "o3", personId: "p", admDate: "2024-02-01", dscgDate: "2024-02-02" }),
    ];
    const r = row(computeIndicators(stays, { groupBy: "region", weights }).rows, REGION_KEY);
    // o1 → o3 after 22 days; o2 → o3 after 26 days.
    expect(r.counts.readmissions14).toBe(0);
    expect(r.counts.readmissions30).toBe(2);
  });
});

describe("readmission order ties", () => {
  it("same-day stays are ordered by 结算ID, as the SQL version orders them", () => {
    const stays = [
      stay({
        setlId: "b",
        hospital: "H2",
        personId: "q",
        admDate: "2024-05-01",
        dscgDate: "2024-05-01",
        los: 0,
      }),
      stay({
        setlId: "a",
        hospital: "H1",
        personId: "q",
        admDate: "2024-05-01",
        dscgDate: "2024-05-01",
        los: 0,
      }),
    ];
    const rows = computeIndicators(stays, { groupBy: "hospital", weights }).rows;
    expect(row(rows, "H1").counts.readmissions14).toBe(1); // a, then b on the same day
    expect(row(rows, "H2").counts.readmissions14).toBe(0);
  });
});

describe("low-risk groups", () => {
  it("a DRG whose log mortality is below mean − 1 SD is low-risk", () => {
    const stays: ReturnType<typeof stay>[] = [];
    const add = (drg: string, cases: number, deaths: number) => {
      for (let i = 0; i < cases; i++)
        stays.push(stay({ setlId: `${drg}${i}`, drg, dischargeWay: i < deaths ? "5" : "1" }));
    };
    add("C", 1000, 1); // ln 0.001 = −6.91
    add("D", 10, 1); // ln 0.1 = −2.30
    add("E", 10, 1);
    add("A", 50, 0); // no deaths: not a low-risk group
    // μ = −3.84, σ = 2.17: only C is below μ − σ = −6.01.
    expect([...deriveLowRiskDrgs(stays)]).toEqual(["C"]);
    const r = row(computeIndicators(stays, { groupBy: "region", weights }).rows, REGION_KEY);
    expect(r.values.lowRiskMortality).toBeCloseTo(1 / 1000, 12);
  });
});

describe("helpers", () => {
  it("divideRoundHalfUp is exact", () => {
    expect(divideRoundHalfUp(5, 2)).toBe(3);
    expect(divideRoundHalfUp(7, 3)).toBe(2);
    expect(divideRoundHalfUp(8, 3)).toBe(3);
    expect(divideRoundHalfUp(0, 7)).toBe(0);
    expect(divideRoundHalfUp(9_007_199_254_740_991, 2)).toBe(4_503_599_627_370_496);
    expect(divideRoundHalfUp(9_007_199_254_740_990, 3)).toBe(3_002_399_751_580_330);
  });

  it("dayNumber is days since 1970-01-01 and refuses non-dates", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("2000-03-01")).toBe(11017);
    expect((dayNumber("2024-03-01") as number) - (dayNumber("2024-02-28") as number)).toBe(2);
    expect((dayNumber("2023-03-01") as number) - (dayNumber("2023-02-28") as number)).toBe(1);
    for (const bad of ["2023-02-29", "2024-1-01", "2024/01/01", "2024-00-10", "2024-04-31", ""])
      expect(dayNumber(bad)).toBeNull();
  });
});
