/**
 * The reference SQL of docs/indicators.md §6, run on PGlite, must agree with computeIndicators.
 * This keeps the documented definitions and the TypeScript ones the same.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareResultSets } from "../src/agree.js";
import { computeIndicators, type IndicatorCounts, indicatorValues } from "../src/compute.js";
import type { StaySummary } from "../src/stay.js";
import { isoOfDay, REGION, WEIGHTS, weights } from "./fixtures.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const doc = readFileSync(path.resolve(here, "../../../docs/indicators.md"), "utf8");
const start = doc.indexOf("```sql\n-- reference query");
const REFERENCE_SQL = doc.slice(start + "```sql\n".length, doc.indexOf("```", start + 6));
const HOSPITAL_KEY = "concat_ws('|', s.hospital) as key";

function queryFor(keyExpr: string): string {
  if (!REFERENCE_SQL.includes(HOSPITAL_KEY))
    throw new Error("reference query not found in docs/indicators.md");
  return REFERENCE_SQL.replace(HOSPITAL_KEY, `${keyExpr} as key`);
}

const COLUMNS: Record<string, keyof IndicatorCounts> = {
  settlements: "settlements",
  cases: "cases",
  grouped_cases: "groupedCases",
  qy_cases: "qyCases",
  ungrouped_cases: "ungroupedCases",
  weighted_cases: "weightedCases",
  total_weight: "totalWeight",
  drg_count: "drgCount",
  total_cost_fen: "totalCostFen",
  fund_pay_fen: "fundPayFen",
  patient_share_fen: "patientShareFen",
  total_los: "totalLos",
  cei_sum: "ceiSum",
  cei_cases: "ceiCases",
  tei_sum: "teiSum",
  tei_cases: "teiCases",
  alive_discharges: "aliveDischarges",
  readmissions14: "readmissions14",
  readmissions30: "readmissions30",
  qc_checked: "qcChecked",
  qc_passed: "qcPassed",
  paid_cases: "paidCases",
  drg_payment_fen: "drgPaymentFen",
  paid_cost_fen: "paidCostFen",
  audit_findings: "auditFindings",
  recovered_fen: "recoveredFen",
  low_risk_cases: "lowRiskCases",
  low_risk_deaths: "lowRiskDeaths",
};

let db: PGlite;

beforeAll(async () => {
  db = new PGlite();
  await db.exec(`
    create table stay_summary (
      setl_id text primary key, hospital text not null, department text not null, physician text not null,
      person_id text not null, drg text not null, scheme_id text not null, group_status text not null,
      rw double precision,
      total_cost_fen bigint not null, fund_pay_fen bigint not null, patient_share_fen bigint not null,
      drg_payment_fen bigint, los integer not null, adm_date date not null, dscg_date date not null,
      dscg_way text not null, planned_readmission boolean not null, period text not null,
      audit_findings integer, recovered_fen bigint, list_uploaded boolean not null, qc_passed boolean);
    create index on stay_summary (person_id, adm_date);
    create table drg_weight (drg text primary key, rw double precision not null);`);
  for (const [drg, rw] of Object.entries(WEIGHTS))
    await db.query("insert into drg_weight values ($1, $2)", [drg, rw]);
});

afterAll(async () => {
  await db.close();
});

async function load(stays: readonly StaySummary[]): Promise<void> {
  await db.exec("delete from stay_summary");
  const records = stays.map((s) => ({
    setl_id: s.setlId,
    hospital: s.hospital,
    department: s.department,
    physician: s.physician,
    person_id: s.personId,
    drg: s.drg,
    scheme_id: s.schemeId ?? "",
    group_status: s.groupStatus,
    rw: s.rw ?? null,
    total_cost_fen: s.totalCostFen,
    fund_pay_fen: s.fundPayFen,
    patient_share_fen: s.patientShareFen,
    drg_payment_fen: s.drgPaymentFen ?? null,
    los: s.los,
    adm_date: s.admDate,
    dscg_date: s.dscgDate,
    dscg_way: s.dischargeWay,
    planned_readmission: s.plannedReadmission,
    period: s.period,
    audit_findings: s.auditFindings ?? null,
    recovered_fen: s.recoveredFen ?? null,
    list_uploaded: s.listUploaded !== false,
    qc_passed: s.qcPassed ?? null,
  }));
  await db.query("insert into stay_summary select * from json_populate_recordset(null::stay_summary, $1)", [
    JSON.stringify(records),
  ]);
}

async function sqlRows(keyExpr: string, from = "0000-01", to = "9999-12") {
  const res = await db.query<Record<string, unknown>>(queryFor(keyExpr), [from, to]);
  return res.rows.map((r) => {
    const counts = {} as IndicatorCounts;
    for (const [col, field] of Object.entries(COLUMNS)) counts[field] = Number(r[col]);
    return { key: String(r.key), values: indicatorValues(counts) };
  });
}

const KEYS = {
  region: "'*'",
  hospital: "concat_ws('|', s.hospital)",
  department: "concat_ws('|', s.hospital, s.department)",
  drg: "concat_ws('|', s.drg)",
} as const;

describe("the reference SQL of docs/indicators.md", () => {
  it("agrees with computeIndicators on the worked example, every grouping and a period range", async () => {
    await load(REGION);
    for (const [groupBy, keyExpr] of Object.entries(KEYS)) {
      const ts = computeIndicators(REGION, { groupBy: groupBy as keyof typeof KEYS, weights }).rows;
      const agreement = compareResultSets(ts, await sqlRows(keyExpr));
      expect(agreement.differences).toEqual([]);
    }
    const jan = computeIndicators(REGION, {
      groupBy: "hospital",
      weights,
      periodFrom: "2024-01",
      periodTo: "2024-01",
    }).rows;
    expect(compareResultSets(jan, await sqlRows(KEYS.hospital, "2024-01", "2024-01")).differences).toEqual(
      [],
    );
  });

  it("agrees on random regions with shared persons, deaths, QY, 0000, late lists, ties and two schemes", async () => {
    const BASE = 19_723;
    const arb = fc.array(
      fc.record({
        h: fc.constantFrom("H1", "H2"),
        d: fc.constantFrom("K1", "K2"),
        person: fc.integer({ min: 0, max: 6 }),
        drg: fc.constantFrom("A", "B", "C", "X"),
        status: fc.constantFrom("OK", "OK", "OK", "AMBIGUOUS", "UNGROUPABLE"),
        cost: fc.integer({ min: 0, max: 900_000 }),
        pay: fc.option(fc.integer({ min: 0, max: 900_000 }), { nil: undefined }),
        adm: fc.integer({ min: 0, max: 90 }),
        los: fc.integer({ min: 0, max: 12 }),
        death: fc.integer({ min: 0, max: 5 }),
        planned: fc.boolean(),
        uploaded: fc.constantFrom(true, true, false),
        qc: fc.constantFrom(true, false, undefined),
        rw: fc.option(fc.constantFrom(0.7, 1.3), { nil: undefined, freq: 4 }),
        scheme: fc.constantFrom(undefined, undefined, "old", "new"),
      }),
      { minLength: 1, maxLength: 60 },
    );
    for (const sample of fc.sample(arb, { numRuns: 8, seed: 20240601 })) {
      const stays: StaySummary[] = sample.map((r, i) => ({
        setlId: `S${String(i).padStart(3, "0")}`,
        hospital: r.h,
        department: r.d,
        physician: "P",
        personId: `p${r.person}`,
        drg: r.status === "OK" ? r.drg : r.status === "AMBIGUOUS" ? "AQY" : "0000",
        groupStatus: r.status as StaySummary["groupStatus"],
        ...(r.scheme !== undefined ? { schemeId: r.scheme } : {}),
        rw: r.rw,
        totalCostFen: r.cost,
        fundPayFen: r.cost - Math.floor(r.cost / 4),
        patientShareFen: Math.floor(r.cost / 4),
        drgPaymentFen: r.pay,
        los: r.los,
        admDate: isoOfDay(BASE + r.adm),
        dscgDate: isoOfDay(BASE + r.adm + r.los),
        dischargeWay: r.death === 0 ? "5" : "1",
        plannedReadmission: r.planned,
        period: isoOfDay(BASE + r.adm + r.los).slice(0, 7),
        listUploaded: r.uploaded,
        qcPassed: r.qc,
      }));
      await load(stays);
      for (const [groupBy, keyExpr] of Object.entries(KEYS)) {
        const ts = computeIndicators(stays, { groupBy: groupBy as keyof typeof KEYS, weights }).rows;
        expect(compareResultSets(ts, await sqlRows(keyExpr)).differences).toEqual([]);
      }
      const feb = computeIndicators(stays, {
        groupBy: "department",
        weights,
        periodFrom: "2024-02",
        periodTo: "2024-02",
      });
      expect(
        compareResultSets(feb.rows, await sqlRows(KEYS.department, "2024-02", "2024-02")).differences,
      ).toEqual([]);
    }
  });
});
