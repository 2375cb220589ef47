/**
 * The DIP worked example (examples/dip) as stored settlement lists, shared by the DIP tests: see
 * dip-year.test.ts for the hand-worked figures.
 */
import { parseYuan } from "@yibao/payment";
import { createListPreparer, sampleSettlementMessage } from "@yibao/server";
import type { SettlementListUpload, Store } from "@yibao/store";
import { sql } from "kysely";
import { expect } from "vitest";
import { dbOf } from "../src/repo.js";
import { demoScheme } from "./helpers.js";

export const H1 = "H21010200001";
export const H2 = "H21010200002";
export const H3 = "H21010200003";

/** The example's policy with the catalogue keys of the stored lists as its groups. */
export const POLICY_DATA = {
  id: "dip-store",
  version: "2025",
  effectiveFrom: "2025-01-01",
  groupPoints: { "J18.9|保守治疗": "50", "K80.0|51.2300": "100", "J44.1|保守治疗": "200" },
  standardCost: {
    三级: { "J18.9|保守治疗": "5000.00", "K80.0|51.2300": "10000.00", "J44.1|保守治疗": "20000.00" },
    二级: { "J18.9|保守治疗": "4500.00", "K80.0|51.2300": "9000.00", "J44.1|保守治疗": "18000.00" },
  },
  veryHighAtLeast: "2",
  veryLowAtMost: "0.5",
  budgetBasis: "totalCost",
};

/** [hospital, n, prefix, cost 元, patient paid 元, upload day]. */
export const LISTS: readonly [string, number, string, string, string, string][] = [
  [H1, 1, "HA", "5200.00", "1040.00", "2025-06-15"],
  [H1, 2, "HA", "25000.00", "5000.00", "2025-06-15"],
  [H1, 4, "HA", "8000.00", "1600.00", "2025-06-15"],
  [H2, 11, "HB", "4000.00", "800.00", "2025-06-15"],
  [H2, 12, "HB", "9500.00", "1900.00", "2025-06-15"],
  [H2, 14, "HB", "40000.00", "8000.00", "2025-06-15"],
  // H1, a stroke (I63.9 保守治疗): no points in the policy, reported and left out
  [H1, 5, "HA", "16750.00", "3350.00", "2025-06-15"],
  // H3 is not a DIP hospital; H1's stay discharged in 2024 is not in the year
  [H3, 21, "HC", "5000.00", "1000.00", "2025-06-15"],
  [H1, 31, "HA", "5000.00", "1000.00", "2024-06-15"],
];

/** Stores the lists of LISTS (accepted, through the intake preparer) with the example's cost and patient share. */
export async function storeExampleLists(target: Store): Promise<void> {
  const prepare = createListPreparer(await demoScheme());
  const uploads: SettlementListUpload[] = [];
  for (const [hospitalCode, n, prefix, , , today] of LISTS) {
    const p = prepare(
      sampleSettlementMessage(n, { today, prefix, hospitalCode }),
      new Date(`${today}T12:00:00+08:00`),
    );
    if (!p.upload) throw new Error(`示例清单 ${prefix}${n} 未能生成`);
    uploads.push(p.upload);
  }
  await target.saveSettlementLists(uploads);
  const db = dbOf(target);
  for (const [, n, prefix, cost, paid] of LISTS) {
    const id = `${prefix}${String(n).padStart(10, "0")}`;
    await sql`UPDATE settlement_list SET total_fee_fen = ${parseYuan(cost)}, personal_pay_fen = ${parseYuan(paid)}
      WHERE setl_id = ${id}`.execute(db);
  }
  const accepted = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM settlement_list WHERE status = 'accepted'`.execute(db);
  expect(accepted.rows[0]?.n).toBe(LISTS.length);
}
