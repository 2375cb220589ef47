/**
 * Audit of a hospital paid by DIP prices its findings by DIP (DRG 与 DIP 并行): the stays are
 * re-settled by their DIP groups at the year's point value, not by DRG.
 *
 * The DIP policy is chosen so the figures can be worked by hand: every DIP group of the hospital's
 * lists has 100 points, a standard cost of 100,000 元 with very high at ≥ 1000× and very low at
 * ≤ 0.000001× (no stay is either), coefficient 1, 预算点值 1,000 元/分. Every stay then pays
 * 100 × 1,000 = 100,000 元, and a split admission merged into one stay (the patient shares added up)
 * loses the fund exactly one stay's payment: 100,000.00 元 = 10,000,000 fen.
 */
import { dipDiagnosisCategory, dipProcedureCombination } from "@yibao/payment";
import { ensureDemoPayment } from "@yibao/payment-service/demo";
import { SINCE_ALWAYS, writeHospitalEditions } from "@yibao/payment-service/hospital-data";
import { dbOf as paymentDb, saveVersion } from "@yibao/payment-service/repo";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditPeriod } from "../src/jobs.js";
import { dbOf } from "../src/read.js";
import { demoScheme, fillRegion, testStore } from "./helpers.js";

interface FindingRow {
  finding_id: string;
  hospital_code: string;
  violation: string;
  fund_loss_fen: string;
  message: string;
  settlements: { original?: { method?: string }[]; corrected?: { method?: string }[] } | null;
}

async function findings(store: Store): Promise<FindingRow[]> {
  const r =
    await sql<FindingRow>`SELECT finding_id, hospital_code, violation, fund_loss_fen::text AS fund_loss_fen,
      message, settlements FROM audit_finding ORDER BY finding_id`.execute(dbOf(store));
  return r.rows;
}

describe("audit prices a DIP hospital's findings by DIP", () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await testStore("pglite"));
    const scheme = await demoScheme();
    await fillRegion(store, scheme);
    await ensureDemoPayment({ store, scheme, skipSettle: true });
  }, 120_000);
  afterAll(async () => cleanup?.());

  it("split admissions of the DIP hospital lose exactly one stay's DIP payment; other hospitals are unchanged", async () => {
    const scheme = await demoScheme();
    await auditPeriod({ store, scheme, period: "2023" });
    const before = await findings(store);
    const splits = new Map<string, number>();
    for (const f of before)
      if (f.violation === "split_admission")
        splits.set(f.hospital_code, (splits.get(f.hospital_code) ?? 0) + 1);
    const dipHospital = [...splits].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (dipHospital === undefined) throw new Error("the region has no split admission");
    // DRG-priced losses differ from stay to stay: the DIP figure below is not what DRG gives.
    const drgLosses = new Set(
      before
        .filter((f) => f.hospital_code === dipHospital && f.violation === "split_admission")
        .map((f) => f.fund_loss_fen),
    );
    expect(drgLosses.has("10000000")).toBe(false);

    const db = paymentDb(store);
    const lists = await sql<{ pdx: string | null; px: string[] | null }>`SELECT
        message->'input'->'diseinfo'->0->>'diag_code' AS pdx,
        ARRAY(SELECT o->>'oprn_oprt_code' FROM jsonb_array_elements(COALESCE(message->'input'->'oprninfo', '[]'::jsonb)) o) AS px
      FROM settlement_list WHERE hospital_code = ${dipHospital} AND status = 'accepted'`.execute(db);
    const keys = new Set<string>();
    for (const l of lists.rows)
      if (l.pdx) keys.add(`${dipDiagnosisCategory(l.pdx)}|${dipProcedureCombination(l.px ?? [])}`);
    const level = await sql<{ level: string; benefit_class: string | null }>`SELECT level, benefit_class
      FROM payment_hospital WHERE hospital_code = ${dipHospital}`.execute(db);
    const lv = level.rows[0]?.level as string;
    await saveVersion(
      store,
      "dipPolicy",
      {
        id: "dip-audit",
        version: "2023",
        effectiveFrom: "2023-01-01",
        groupPoints: Object.fromEntries([...keys].map((k) => [k, "100"])),
        standardCost: { [lv]: Object.fromEntries([...keys].map((k) => [k, "100000.00"])) },
        veryHighAtLeast: "1000",
        veryLowAtMost: "0.000001",
        budgetBasis: "totalCost",
        coefficients: { byLevel: { [lv]: "1" } },
        prepayment: { pointValue: "1000", ratio: "1" },
      },
      { actor: "test" },
    );
    // The hospital is paid by DIP since always: a master-data edition of that date saved after the
    // one in force (of two editions of one date the later saved wins).
    await writeHospitalEditions(
      db,
      [
        {
          hospitalCode: dipHospital,
          effectiveFrom: SINCE_ALWAYS,
          level: lv,
          benefitClass: level.rows[0]?.benefit_class ?? null,
          paymentMethod: "dip",
        },
      ],
      { actor: "test", reason: "按 DIP 付费", source: "api" },
    );

    await auditPeriod({ store, scheme, period: "2023" });
    const after = await findings(store);
    const dipSplits = after.filter(
      (f) => f.hospital_code === dipHospital && f.violation === "split_admission",
    );
    expect(dipSplits.length).toBe(splits.get(dipHospital));
    for (const f of dipSplits) {
      expect(f.fund_loss_fen).toBe("10000000");
      expect(f.message).toContain("基金多支付 100000.00 元");
      expect(f.settlements?.original?.map((s) => s.method)).toEqual(["dip", "dip"]);
      expect(f.settlements?.corrected?.map((s) => s.method)).toEqual(["dip"]);
    }
    // Other hospitals' findings are priced by DRG as before.
    const others = (rows: FindingRow[]) =>
      rows
        .filter((f) => f.hospital_code !== dipHospital)
        .map((f) => `${f.hospital_code}|${f.violation}|${f.fund_loss_fen}`)
        .sort();
    expect(others(after)).toEqual(others(before));
  }, 120_000);
});
