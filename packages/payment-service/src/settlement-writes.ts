/**
 * Writing and summing stored settlements (结算写入与合计): the batched, idempotent write of
 * settlement rows (`writeSettlements`, a changed row's predecessor moved to history), the run's record
 * errors, the approved special cases (特病单议) and the SQL sums of a period's settlements.
 */
import type { Fen, SpecialReview } from "@yibao/payment";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import type { DipSpan } from "./hospital-data.js";
import { dbOf } from "./repo.js";
import type { SettlementRow } from "./settle-stay.js";
import type { PaymentDb } from "./tables.js";

/** Money totals of a set of settlements (fen; points in micro-points as a decimal string). */
export interface SettlementTotals {
  stays: number;
  totalCost: Fen;
  drgPayment: Fen;
  patientShare: Fen;
  fundPayment: Fen;
  balance: Fen;
  specialReview: Fen;
  points: string;
}

export interface RecordError {
  readonly setlId: string;
  readonly field: string;
  readonly message: string;
}

const COLS = [
  "setl_id",
  "list_version",
  "hospital_code",
  "period",
  "patient_key",
  "adm_date",
  "dscg_date",
  "drg",
  "category",
  "outlier",
  "policy_id",
  "policy_version",
  "weights_id",
  "weights_version",
  "method",
  "coefficient_ppm",
  "rw_ppm",
  "standard_fen",
  "special_review_fen",
  "special_review_points",
  "points",
  "drg_payment_fen",
  "total_cost_fen",
  "patient_share_fen",
  "fund_payment_fen",
  "balance_fen",
  "benefit_fund_fen",
  "share_source",
  "special_case",
] as const;
const TYPES = [
  "text",
  "int4",
  "text",
  "text",
  "text",
  "date",
  "date",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "int4",
  "int4",
  "int8",
  "int8",
  "int8",
  "int8",
  "int8",
  "int8",
  "int8",
  "int8",
  "int8",
  "int8",
  "text",
  "text",
] as const;
/** Columns whose change makes a new settlement (the rest follow from them). */
const COMPARED = [
  "list_version",
  "drg",
  "category",
  "policy_id",
  "policy_version",
  "weights_id",
  "weights_version",
  "points",
  "drg_payment_fen",
  "total_cost_fen",
  "patient_share_fen",
  "fund_payment_fen",
  "special_review_fen",
  "share_source",
  "special_case",
] as const;

function columnsOf(rows: readonly SettlementRow[]): unknown[][] {
  const c: unknown[][] = COLS.map(() => new Array(rows.length));
  rows.forEach((r, i) => {
    const v = [
      r.setlId,
      r.listVersion,
      r.hospitalCode,
      r.period,
      r.patientKey,
      r.admDate,
      r.dscgDate,
      r.drg,
      r.category,
      r.outlier,
      r.policyId,
      r.policyVersion,
      r.weightsId,
      r.weightsVersion,
      r.method,
      r.coefficientPpm,
      r.rwPpm,
      r.standardFen,
      r.specialReviewFen,
      r.specialReviewPoints,
      r.points,
      r.drgPaymentFen,
      r.totalCostFen,
      r.patientShareFen,
      r.fundPaymentFen,
      r.balanceFen,
      r.benefitFundFen,
      r.shareSource,
      r.specialCase,
    ];
    for (let k = 0; k < v.length; k++) (c[k] as unknown[])[i] = v[k];
  });
  return c;
}

/**
 * Writes settlements: new setl_ids are inserted, changed ones replace the current row after moving
 * it to history, unchanged ones are left alone. One statement: the current rows are looked up once
 * (`j`), so unchanged rows are neither locked nor written; rows go in setl_id order (index locality).
 * Returns the rows inserted or updated.
 */
export async function writeSettlements(
  db: PaymentDb,
  runId: number,
  rows: readonly SettlementRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const sorted = [...rows].sort((a, b) => (a.setlId < b.setlId ? -1 : a.setlId > b.setlId ? 1 : 0));
  const cols = columnsOf(sorted);
  const unnestArgs = sql.join(cols.map((c, k) => sql`${c}::${sql.raw(TYPES[k] as string)}[]`));
  const colList = sql.raw(COLS.join(", "));
  const vCols = sql.raw(COLS.map((c) => `v.${c}`).join(", "));
  const all = sql.raw(`${COLS.join(", ")}, run_id, settled_at`);
  const sAll = sql.raw(`${COLS.map((c) => `s.${c}`).join(", ")}, s.run_id, s.settled_at`);
  const sCmp = sql.raw(`(${COMPARED.map((c) => `s.${c}`).join(", ")})`);
  const vCmp = sql.raw(`(${COMPARED.map((c) => `v.${c}`).join(", ")})`);
  const curCmp = sql.raw(`(${COMPARED.map((c) => `stay_settlement.${c}`).join(", ")})`);
  const exCmp = sql.raw(`(${COMPARED.map((c) => `excluded.${c}`).join(", ")})`);
  const updates = sql.raw(
    [...COLS.filter((c) => c !== "setl_id"), "run_id", "settled_at"]
      .map((c) => `${c} = excluded.${c}`)
      .join(", "),
  );
  const r = await sql`WITH v AS (SELECT * FROM unnest(${unnestArgs}) AS t(${colList})),
    j AS MATERIALIZED (
      SELECT ${vCols}, s.setl_id IS NOT NULL AS existed FROM v LEFT JOIN stay_settlement s ON s.setl_id = v.setl_id
      WHERE s.setl_id IS NULL OR ${sCmp} IS DISTINCT FROM ${vCmp}
    ),
    moved AS (
      INSERT INTO stay_settlement_history (${all}, replaced_at, replaced_by_run)
      SELECT ${sAll}, now(), ${runId}::bigint FROM stay_settlement s JOIN j ON j.setl_id = s.setl_id
      WHERE j.existed
      RETURNING 1
    )
    INSERT INTO stay_settlement (${all})
    SELECT ${colList}, ${runId}::bigint, now() FROM j
    ON CONFLICT (setl_id) DO UPDATE SET ${updates}
    WHERE ${curCmp} IS DISTINCT FROM ${exCmp}`.execute(db);
  return Number(r.numAffectedRows ?? 0n);
}

/**
 * Retires the DRG settlements in the periods of stays discharged while their hospital was paid by DIP
 * (`spans`: a hospital switched to DIP after its stays were settled by DRG): each current row moves to
 * history, replaced by the run, and leaves the current settlements, so DRG totals and clearing no
 * longer count it. Returns the rows moved.
 */
export async function retireSettlementsOf(
  db: PaymentDb,
  runId: number,
  periods: readonly string[],
  spans: readonly DipSpan[],
): Promise<number> {
  if (spans.length === 0) return 0;
  const all = sql.raw(`${COLS.join(", ")}, run_id, settled_at`);
  const sAll = sql.raw(`${COLS.map((c) => `s.${c}`).join(", ")}, s.run_id, s.settled_at`);
  const r = await sql`WITH dip AS (
      SELECT * FROM unnest(${spans.map((x) => x.hospitalCode)}::text[], ${spans.map((x) => x.from)}::date[],
        ${spans.map((x) => x.to)}::date[]) AS d(hospital_code, date_from, date_to)
    ), gone AS (
      DELETE FROM stay_settlement s WHERE s.period = ANY(${[...periods]}::text[])
        AND EXISTS (SELECT 1 FROM dip d WHERE d.hospital_code = s.hospital_code
          AND s.dscg_date >= d.date_from AND (d.date_to IS NULL OR s.dscg_date < d.date_to))
      RETURNING ${sAll}
    )
    INSERT INTO stay_settlement_history (${all}, replaced_at, replaced_by_run)
    SELECT ${sAll}, now(), ${runId}::bigint FROM gone s`.execute(db);
  return Number(r.numAffectedRows ?? 0n);
}

export async function writeErrors(
  db: PaymentDb,
  runId: number,
  errors: readonly RecordError[],
): Promise<void> {
  if (errors.length === 0) return;
  await sql`INSERT INTO stay_settlement_error (run_id, setl_id, field, message)
    SELECT ${runId}::bigint, * FROM unnest(${errors.map((e) => e.setlId)}::text[], ${errors.map((e) => e.field)}::text[],
      ${errors.map((e) => e.message)}::text[])
    ON CONFLICT DO NOTHING`.execute(db);
}

/** Approved special cases (特病单议) by setl_id: the latest approval that is not revoked (a rejection pays nothing). */
export async function loadApprovals(
  store: Store,
  setlIds?: readonly string[],
): Promise<Map<string, SpecialReview>> {
  const filter = setlIds ? sql`AND setl_id = ANY(${[...setlIds]}::text[])` : sql``;
  const r = await sql<{
    setl_id: string;
    amount_fen: number | null;
  }>`SELECT DISTINCT ON (setl_id) setl_id, amount_fen
    FROM special_case_approval WHERE NOT revoked AND decision = 'approved' ${filter} ORDER BY setl_id, approved_at DESC, id DESC`.execute(
    dbOf(store),
  );
  return new Map(
    r.rows.map((x) => [
      x.setl_id,
      x.amount_fen === null ? { approved: true } : { approved: true, amount: Number(x.amount_fen) },
    ]),
  );
}

/** Person state from the stored settlements of the year before `period` (for runs not starting in January). */
export function emptyTotals(): SettlementTotals {
  return {
    stays: 0,
    totalCost: 0,
    drgPayment: 0,
    patientShare: 0,
    fundPayment: 0,
    balance: 0,
    specialReview: 0,
    points: "0",
  };
}

/** SQL sums of the stored settlements of the periods (excluding the run's failed records). */
export async function storedTotals(
  db: PaymentDb,
  periods: readonly string[],
  excludeErrorsOfRun?: number,
): Promise<SettlementTotals> {
  const ex =
    excludeErrorsOfRun === undefined
      ? sql``
      : sql`AND NOT EXISTS (SELECT 1 FROM stay_settlement_error e WHERE e.run_id = ${excludeErrorsOfRun} AND e.setl_id = s.setl_id)`;
  const r = await sql<Record<string, string | number | null>>`SELECT count(*)::bigint AS stays,
      COALESCE(sum(s.total_cost_fen), 0)::bigint AS total_cost, COALESCE(sum(s.drg_payment_fen), 0)::bigint AS drg_payment,
      COALESCE(sum(s.patient_share_fen), 0)::bigint AS patient_share, COALESCE(sum(s.fund_payment_fen), 0)::bigint AS fund_payment,
      COALESCE(sum(s.balance_fen), 0)::bigint AS balance, COALESCE(sum(s.special_review_fen), 0)::bigint AS special_review,
      COALESCE(sum(s.points), 0)::text AS points
    FROM stay_settlement s
    JOIN settlement_list l ON l.setl_id = s.setl_id AND l.status = 'accepted' AND l.version = s.list_version
    WHERE s.period = ANY(${[...periods]}::text[]) ${ex}`.execute(db);
  const x = r.rows[0] ?? {};
  return {
    stays: Number(x.stays),
    totalCost: Number(x.total_cost),
    drgPayment: Number(x.drg_payment),
    patientShare: Number(x.patient_share),
    fundPayment: Number(x.fund_payment),
    balance: Number(x.balance),
    specialReview: Number(x.special_review),
    points: String(x.points),
  };
}
