/**
 * A year's DIP clearing as a statement (DIP 清算明细): one row per stay, then each hospital's total
 * with its prepayments and balance, so every figure traces to its stays; and the view of one hospital.
 */
import { DIP_CASE_TYPE_NAMES } from "@yibao/payment";
import type { Store } from "@yibao/store";
import { type DipClearing, getDipClearing, listDipStays } from "./dip-clearing.js";
import { DIP_STAY_COLUMNS } from "./dip-year.js";
import { PaymentInputError } from "./repo.js";
import { type StatementTable, tableHeads } from "./statements.js";

/** A year's clearing as one hospital sees it: the region's figures, its own row, its own left-out stays. */
export function forHospital(c: DipClearing, hospital: string | undefined): DipClearing {
  if (hospital === undefined) return c;
  return {
    ...c,
    hospitals: c.hospitals.filter((h) => h.hospitalCode === hospital),
    unpriced: c.unpriced.filter((u) => u.hospital === hospital),
    // A refusal names only its stay; the hospital's own are among its stays in the export.
    refused: [],
  };
}

/** The export: one row per stay, then each hospital's total (the statement row). */
export async function dipClearingStatement(
  store: Store,
  year: number,
  hospital: string | undefined,
): Promise<StatementTable> {
  const c = await getDipClearing(store, year);
  if (!c) throw new PaymentInputError(`${year} 年尚未进行 DIP 清算`, "NOT_CLEARED");
  const rows: (string | number)[][] = [];
  for (const h of forHospital(c, hospital).hospitals) {
    for (let page = 1; ; page++) {
      const p = await listDipStays(store, year, { hospital: h.hospitalCode, page, pageSize: 1000 });
      for (const s of p.items)
        rows.push([
          s.hospitalCode,
          s.setlId,
          s.group,
          DIP_CASE_TYPE_NAMES[s.caseType],
          s.costFen,
          s.standardFen,
          s.points,
          s.paymentFen,
          s.patientPaidFen,
          s.fundFen,
          "",
          "",
        ]);
      if (p.items.length < p.pageSize) break;
    }
    rows.push([
      h.hospitalCode,
      "合计",
      "",
      `${h.cases} 例`,
      h.totalCostFen,
      "",
      h.points,
      h.paymentFen,
      h.patientPaidFen,
      h.fundDueFen,
      h.prepaidFen,
      h.balanceDueFen,
    ]);
  }
  return {
    title: `${year}年度DIP清算明细（清算点值 ${c.pointValueYuan} 元/分）`,
    ...tableHeads([
      ...DIP_STAY_COLUMNS,
      { header: "已预付(元)", money: true },
      { header: "清算应付(元)", money: true },
    ]),
    rows,
  };
}
