import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INDICATOR_IDS } from "../src/catalogue.js";
import { computeIndicators } from "../src/compute.js";
import type { StaySummary } from "../src/stay.js";
import { isoOfDay, weights } from "./fixtures.js";

const BASE_DAY = 19_723; // 2024-01-01

const stayArb = fc
  .record({
    hospital: fc.constantFrom("H1", "H2", "H3"),
    department: fc.constantFrom("内科", "外科"),
    physician: fc.constantFrom("P1", "P2", "P3"),
    person: fc.integer({ min: 0, max: 15 }),
    drg: fc.constantFrom("A", "B", "C", "D", "E", "X"),
    status: fc.constantFrom("OK", "OK", "OK", "OK", "AMBIGUOUS", "UNGROUPABLE", "CHECK_FAILED"),
    cost: fc.integer({ min: 0, max: 5_000_000 }),
    ownShare: fc.integer({ min: 0, max: 100 }),
    payment: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined }),
    admOffset: fc.integer({ min: 0, max: 120 }),
    los: fc.integer({ min: 0, max: 40 }),
    death: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
    planned: fc.boolean(),
    uploaded: fc.constantFrom(true, true, true, false),
    qc: fc.constantFrom(true, false, undefined),
  })
  .map(
    (r): Omit<StaySummary, "setlId"> => ({
      hospital: r.hospital,
      department: r.department,
      physician: r.physician,
      personId: `p${r.person}`,
      drg: r.status === "OK" ? r.drg : r.status === "AMBIGUOUS" ? "AQY" : "0000",
      groupStatus: r.status as StaySummary["groupStatus"],
      totalCostFen: r.cost,
      patientShareFen: Math.floor((r.cost * r.ownShare) / 100),
      fundPayFen: r.cost - Math.floor((r.cost * r.ownShare) / 100),
      drgPaymentFen: r.payment,
      los: r.los,
      admDate: isoOfDay(BASE_DAY + r.admOffset),
      dscgDate: isoOfDay(BASE_DAY + r.admOffset + r.los),
      dischargeWay: r.death ? "5" : "1",
      plannedReadmission: r.planned,
      period: isoOfDay(BASE_DAY + r.admOffset + r.los).slice(0, 7),
      listUploaded: r.uploaded,
      qcPassed: r.qc,
    }),
  );

const staysArb = fc
  .array(stayArb, { minLength: 1, maxLength: 80 })
  .map((xs) => xs.map((s, i): StaySummary => ({ ...s, setlId: `s${i}` })));

describe("properties", () => {
  it("CMI of the region is the case-weighted mean of the hospitals' CMIs", () => {
    fc.assert(
      fc.property(staysArb, (stays) => {
        const region = computeIndicators(stays, { groupBy: "region", weights }).rows[0];
        const parts = computeIndicators(stays, { groupBy: "hospital", weights }).rows;
        let num = 0;
        let den = 0;
        for (const p of parts) {
          if (p.values.cmi === null) continue;
          num += p.values.cmi * p.counts.weightedCases;
          den += p.counts.weightedCases;
        }
        if (den === 0) expect(region?.values.cmi).toBeNull();
        else expect(region?.values.cmi).toBeCloseTo(num / den, 9);
      }),
    );
  });

  it("the consumption indices of the whole region are 1 when baselines come from the same data", () => {
    fc.assert(
      fc.property(staysArb, (stays) => {
        const region = computeIndicators(stays, { groupBy: "region", weights }).rows[0];
        if (region?.values.cei !== null) expect(region?.values.cei).toBeCloseTo(1, 9);
        if (region?.values.tei !== null) expect(region?.values.tei).toBeCloseTo(1, 9);
        // The same holds for every DRG row.
        for (const r of computeIndicators(stays, { groupBy: "drg", weights }).rows)
          if (r.values.cei !== null) expect(r.values.cei).toBeCloseTo(1, 9);
      }),
    );
  });

  it("readmission rates are in [0, 1] and the 2-week rate never exceeds the 30-day rate", () => {
    fc.assert(
      fc.property(
        staysArb,
        fc.constantFrom("region", "hospital", "physician", "drg") as fc.Arbitrary<"region">,
        (stays, groupBy) => {
          for (const r of computeIndicators(stays, { groupBy, weights }).rows) {
            const r14 = r.values.readmission14Rate;
            const r30 = r.values.readmission30Rate;
            if (r14 === null || r30 === null) {
              expect(r14).toBe(r30);
              continue;
            }
            expect(r14).toBeGreaterThanOrEqual(0);
            expect(r30).toBeLessThanOrEqual(1);
            expect(r14).toBeLessThanOrEqual(r30);
          }
        },
      ),
    );
  });

  it("sums over hospitals equal the region exactly; grouped and 0000 shares add up to 1; no NaN anywhere", () => {
    fc.assert(
      fc.property(staysArb, (stays) => {
        const region = computeIndicators(stays, { groupBy: "region", weights }).rows[0];
        const parts = computeIndicators(stays, { groupBy: "department", weights }).rows;
        if (region === undefined) return;
        for (const f of [
          "settlements",
          "cases",
          "totalCostFen",
          "patientShareFen",
          "readmissions30",
          "drgPaymentFen",
        ] as const)
          expect(parts.reduce((a, p) => a + p.counts[f], 0)).toBe(region.counts[f]);
        for (const r of [region, ...parts]) {
          if (r.values.cases !== 0) {
            expect((r.values.groupingRate ?? 0) + (r.values.ungroupedShare ?? 0)).toBeCloseTo(1, 12);
            expect(r.values.qyShare ?? 0).toBeLessThanOrEqual(r.values.groupingRate ?? 0);
          }
          for (const id of INDICATOR_IDS) {
            const v = r.values[id];
            expect(v === null || Number.isFinite(v)).toBe(true);
          }
        }
      }),
    );
  });
});
