/** Reading settlements, approving special cases and new-technology exclusions (结算查询、特病单议、新技术除外). */
import { type ClearingBudgetBasis, type Fen, type PersonState, SettlementError } from "@yibao/payment";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { clearingPolicyOf } from "./clearing.js";
import { selectExclusionsInForce } from "./new-tech-selection.js";
import { dbOf, PaymentInputError, withRun } from "./repo.js";
import {
  loadApprovals,
  loadSettler,
  type SettlementRow,
  type StayInput,
  settleInput,
  writeSettlements,
} from "./settle-period.js";

export interface SettlementFilter {
  readonly hospital?: string;
  readonly period?: string;
  readonly drg?: string;
  /** 高倍率 / 低倍率 / 非异常 (the stay's outlier type). */
  readonly outlier?: "high" | "low" | "none";
  /** `pending`: only stays without a 特病单议 decision (核准 or 驳回) in force (the review's candidates). */
  readonly review?: "pending";
  readonly page?: number;
  readonly pageSize?: number;
}

const VIEW =
  sql.raw(`setl_id AS "setlId", list_version AS "listVersion", run_id AS "runId", hospital_code AS "hospitalCode",
  period, adm_date AS "admDate", dscg_date AS "dscgDate", drg, category, outlier, policy_id AS "policyId",
  policy_version AS "policyVersion", weights_id AS "weightsId", weights_version AS "weightsVersion", method,
  coefficient_ppm AS "coefficientPpm", rw_ppm AS "rwPpm", standard_fen AS "standardFen", special_review_fen AS "specialReviewFen",
  special_review_points AS "specialReviewPoints", points, drg_payment_fen AS "drgPaymentFen", total_cost_fen AS "totalCostFen",
  patient_share_fen AS "patientShareFen", fund_payment_fen AS "fundPaymentFen", balance_fen AS "balanceFen",
  benefit_fund_fen AS "benefitFundFen", share_source AS "shareSource", special_case AS "specialCase",
  settled_at AS "settledAt"`);

/** Lists current settlements with filters and paging (newest period first). */
export async function listSettlements(store: Store, f: SettlementFilter = {}) {
  const page = f.page ?? 1;
  const size = f.pageSize ?? 50;
  const where = sql`WHERE (${f.hospital ?? null}::text IS NULL OR hospital_code = ${f.hospital ?? null})
    AND (${f.period ?? null}::text IS NULL OR period = ${f.period ?? null})
    AND (${f.drg ?? null}::text IS NULL OR drg = ${f.drg ?? null})
    AND (${f.outlier ?? null}::text IS NULL OR outlier = ${f.outlier ?? null})
    AND (${f.review ?? null}::text IS NULL OR NOT EXISTS (SELECT 1 FROM special_case_approval a
      WHERE a.setl_id = stay_settlement.setl_id AND NOT a.revoked))`;
  const db = dbOf(store);
  const total = await sql<{ n: number }>`SELECT count(*)::bigint AS n FROM stay_settlement ${where}`.execute(
    db,
  );
  const items = await sql`SELECT ${VIEW} FROM stay_settlement ${where} ORDER BY period DESC, setl_id
    LIMIT ${size} OFFSET ${(page - 1) * size}`.execute(db);
  return { total: Number(total.rows[0]?.n ?? 0), page, pageSize: size, items: items.rows };
}

/** The current settlement of a setl_id and every earlier one (re-settlements), or undefined. */
export async function getSettlement(store: Store, setlId: string) {
  const db = dbOf(store);
  const cur = await sql`SELECT ${VIEW} FROM stay_settlement WHERE setl_id = ${setlId}`.execute(db);
  const hist = await sql`SELECT ${VIEW}, replaced_at AS "replacedAt", replaced_by_run AS "replacedByRun"
    FROM stay_settlement_history WHERE setl_id = ${setlId} ORDER BY replaced_at DESC`.execute(db);
  if (cur.rows.length === 0 && hist.rows.length === 0) return undefined;
  const errors =
    await sql`SELECT run_id AS "runId", field, message FROM stay_settlement_error WHERE setl_id = ${setlId}
    ORDER BY run_id DESC LIMIT 10`.execute(db);
  return { setlId, current: cur.rows[0] ?? null, history: hist.rows, errors: errors.rows };
}

export interface SpecialCaseInput {
  readonly setlId: string;
  /** 核准追加金额 (fen); absent: per the policy's special-review mode (e.g. topped up to cost). */
  readonly amountFen?: Fen | null;
  readonly reason: string;
  readonly actor?: string;
}

/** A stay's accepted list as a `StayInput` (its cost split not needed: the patient share is kept), or 404. */
async function listInputOf(store: Store, setlId: string): Promise<StayInput> {
  const list = await sql<
    Record<string, unknown>
  >`SELECT l.setl_id, l.version, l.hospital_code, l.period, l.patient_key,
      l.adm_date, l.dscg_date, l.los, l.dscg_way, l.drg, l.total_fee_fen, l.personal_pay_fen,
      l.message->'input'->'setlinfo'->>'hi_type' AS hi_type, l.message->'input'->'setlinfo'->>'hi_setl_lv' AS hi_setl_lv,
      t.adm_time, t.dscg_time
    FROM settlement_list l CROSS JOIN LATERAL payment_list_times_of(l.message) t WHERE l.setl_id = ${setlId} AND l.status = 'accepted'`.execute(
    dbOf(store),
  );
  const l = list.rows[0];
  if (!l) throw new PaymentInputError(`结算清单 ${setlId} 不存在或未被接收`, "NOT_FOUND");
  return {
    setlId: String(l.setl_id),
    listVersion: Number(l.version),
    hospitalCode: String(l.hospital_code),
    period: String(l.period),
    patientKey: String(l.patient_key),
    admDate: (l.adm_date as string | null) ?? null,
    dscgDate: (l.dscg_date as string | null) ?? null,
    los: l.los === null ? null : Number(l.los),
    dischargeWay: (l.dscg_way as string | null) ?? null,
    admTime: (l.adm_time as string | null) ?? null,
    dscgTime: (l.dscg_time as string | null) ?? null,
    drg: String(l.drg),
    totalFee: Number(l.total_fee_fen),
    personalPay: Number(l.personal_pay_fen),
    hiType: (l.hi_type as string | null) ?? null,
    hiSetlLv: (l.hi_setl_lv as string | null) ?? null,
    costs: null,
    bedFee: null,
  };
}

/** The stay's current settlement figures kept or logged by a re-settlement, or NOT_SETTLED. */
async function currentSettlement(store: Store, setlId: string, what: string) {
  const cur = await sql<{
    patient_share_fen: number;
    special_review_fen: number;
    points: number;
    fund_payment_fen: number;
    drg_payment_fen: number;
    category: string;
  }>`SELECT patient_share_fen, special_review_fen, points, fund_payment_fen, drg_payment_fen, category
    FROM stay_settlement WHERE setl_id = ${setlId}`.execute(dbOf(store));
  const c = cur.rows[0];
  if (!c) throw new PaymentInputError(`结算清单 ${setlId} 尚未结算，请先按期结算后再${what}`, "NOT_SETTLED");
  return {
    patientShareFen: Number(c.patient_share_fen),
    specialReviewFen: Number(c.special_review_fen),
    points: Number(c.points),
    fundPaymentFen: Number(c.fund_payment_fen),
    drgPaymentFen: Number(c.drg_payment_fen),
    category: c.category,
  };
}

/**
 * Re-settles one stay in run `runId` with what is in force for it — its 特病单议 approval and its 新技术除外
 * within the cap of its year — keeping the patient share as settled; writes the row (the replaced one
 * goes to history). `requireExclusion`: the stay must be within the cap (else 409 with the reason).
 */
async function resettleOne(
  store: Store,
  runId: number,
  x: StayInput,
  patientShare: Fen,
  what: string,
  requireExclusion = false,
): Promise<SettlementRow> {
  const settler = await loadSettler(store);
  const review = (await loadApprovals(store, [x.setlId])).get(x.setlId);
  const sel = await selectExclusionsInForce(store, settler, [x.period.slice(0, 4)]);
  const refused = sel.refused.find((r) => r.setlId === x.setlId);
  if (requireExclusion && refused)
    throw new PaymentInputError(refused.reason, "NEW_TECH_EXCLUSION_QUOTA_EXCEEDED");
  const input = sel.excluded.has(x.setlId) ? { ...x, newTechExclusion: true } : x;
  let row: SettlementRow;
  try {
    row = settleInput(settler, input, {} as PersonState, review, patientShare).row;
  } catch (e) {
    if (e instanceof SettlementError)
      throw new PaymentInputError(`${what}重新结算失败：${e.message}`, "SETTLEMENT_ERROR");
    throw e;
  }
  await dbOf(store)
    .transaction()
    .execute((trx) => writeSettlements(trx, runId, [row]));
  return row;
}

/**
 * Approves a special case (特病单议) and re-settles that stay at once: the approval adds its amount
 * (as points on the point method); the stay's patient share stays as settled. The replaced settlement
 * goes to history.
 */
export async function approveSpecialCase(store: Store, input: SpecialCaseInput) {
  const db = dbOf(store);
  if (input.amountFen != null && (!Number.isSafeInteger(input.amountFen) || input.amountFen < 0)) {
    throw new PaymentInputError(`特病单议 ${input.setlId} amountFen：须为非负整数分`);
  }
  const x = await listInputOf(store, input.setlId);
  const c = await currentSettlement(store, input.setlId, "核准特病单议");
  await refuseDecided(store, input.setlId, "rejected");
  return withRun(store, "special_case", input.actor ?? "system", input, async (runId) => {
    await sql`INSERT INTO special_case_approval (setl_id, hospital_code, amount_fen, reason, approved_by)
      VALUES (${input.setlId}, ${x.hospitalCode}, ${input.amountFen ?? null}, ${input.reason}, ${input.actor ?? "system"})`.execute(
      db,
    );
    const row = await resettleOne(store, runId, x, c.patientShareFen, "特病单议");
    return {
      settlement: row,
      totals: { setlId: row.setlId, specialReviewFen: row.specialReviewFen, points: row.points },
      /** The stay's settlement before the approval (what the operation log records beside the new one). */
      before: { specialReviewFen: c.specialReviewFen, points: c.points, fundPaymentFen: c.fundPaymentFen },
    };
  });
}

/**
 * Re-settles a stay whose 新技术除外 application has just been approved (its row is `approved` already):
 * within the cap of its year it leaves DRG payment — category 新技术除外, paid by actual cost (converted
 * to points on the point method), the patient share as settled; over the cap the approval is refused
 * (NEW_TECH_EXCLUSION_QUOTA_EXCEEDED, and the caller undoes it). The run records the job.
 */
export async function approveNewTechExclusion(
  store: Store,
  input: {
    readonly setlId: string;
    readonly applicationId: number;
    readonly reason: string;
    readonly actor: string;
  },
) {
  const x = await listInputOf(store, input.setlId);
  const c = await currentSettlement(store, input.setlId, "核准新技术除外");
  const params = { kind: "newTechExclusion", ...input };
  return withRun(store, "special_case", input.actor, params, async (runId) => {
    const row = await resettleOne(store, runId, x, c.patientShareFen, "新技术除外", true);
    return {
      settlement: row,
      totals: {
        setlId: row.setlId,
        category: row.category,
        drgPaymentFen: row.drgPaymentFen,
        points: row.points,
      },
      before: {
        category: c.category,
        drgPaymentFen: c.drgPaymentFen,
        points: c.points,
        fundPaymentFen: c.fundPaymentFen,
      },
    };
  });
}

const DECISION_NAMES = { approved: "核准", rejected: "驳回" } as const;

/**
 * Refuses a decision on a case that already has one in force of the kinds given (a rejected case is
 * not approved afterwards, a decided case not rejected): 409 naming the decision and when.
 */
async function refuseDecided(
  store: Store,
  setlId: string,
  ...kinds: readonly ("approved" | "rejected")[]
): Promise<void> {
  const r = await sql<{ decision: "approved" | "rejected"; approved_at: Date }>`SELECT decision, approved_at
    FROM special_case_approval WHERE setl_id = ${setlId} AND NOT revoked AND decision = ANY(${[...kinds]}::text[])
    ORDER BY id DESC LIMIT 1`.execute(dbOf(store));
  const d = r.rows[0];
  if (d)
    throw new PaymentInputError(
      `结算清单 ${setlId} 的特病单议已${DECISION_NAMES[d.decision]}，不能再次审核`,
      "CONFLICT",
    );
}

/**
 * Rejects a special case (驳回特病单议): recorded with its reason, the stay's settlement unchanged
 * (returned as it stands); the case leaves the pending candidates. A case with a decision is refused.
 */
export async function rejectSpecialCase(
  store: Store,
  input: { readonly setlId: string; readonly reason: string; readonly actor?: string },
) {
  const db = dbOf(store);
  const cur = await sql<{
    hospital_code: string;
    drg: string;
    drg_payment_fen: number;
    fund_payment_fen: number;
  }>`SELECT hospital_code, drg, drg_payment_fen, fund_payment_fen FROM stay_settlement WHERE setl_id = ${input.setlId}`.execute(
    db,
  );
  const c = cur.rows[0];
  if (!c) throw new PaymentInputError(`结算清单 ${input.setlId} 尚未结算或不存在`, "NOT_FOUND");
  await refuseDecided(store, input.setlId, "approved", "rejected");
  const ins = await sql<{ id: number }>`INSERT INTO special_case_approval
      (setl_id, hospital_code, amount_fen, reason, approved_by, decision)
    VALUES (${input.setlId}, ${c.hospital_code}, NULL, ${input.reason}, ${input.actor ?? "system"}, 'rejected')
    RETURNING id::int AS id`.execute(db);
  return {
    id: Number(ins.rows[0]?.id),
    setlId: input.setlId,
    hospitalCode: c.hospital_code,
    drg: c.drg,
    drgPaymentFen: Number(c.drg_payment_fen),
    fundPaymentFen: Number(c.fund_payment_fen),
  };
}

/** One decision on a special case (特病单议核准或驳回). */
export interface SpecialCaseRow {
  readonly id: number;
  readonly setlId: string;
  readonly hospitalCode: string;
  /** 核准追加金额 (fen); null: per the policy's special-review mode. */
  readonly amountFen: number | null;
  readonly reason: string;
  readonly approvedBy: string;
  readonly approvedAt: string;
  readonly revoked: boolean;
  /** 核准 (`approved`) or 驳回 (`rejected`); `approvedBy`/`approvedAt` are who decided and when. */
  readonly decision: "approved" | "rejected";
}

/** Special-case decisions (approvals and rejections), newest first, optionally of one hospital. */
export async function listSpecialCases(
  store: Store,
  f: { readonly hospital?: string; readonly limit?: number } = {},
): Promise<SpecialCaseRow[]> {
  const r =
    await sql<SpecialCaseRow>`SELECT id::int AS id, setl_id AS "setlId", hospital_code AS "hospitalCode",
      amount_fen::bigint AS "amountFen", reason, approved_by AS "approvedBy", approved_at AS "approvedAt", revoked,
      decision
    FROM special_case_approval
    WHERE (${f.hospital ?? null}::text IS NULL OR hospital_code = ${f.hospital ?? null})
    ORDER BY id DESC LIMIT ${f.limit ?? 500}`.execute(dbOf(store));
  return r.rows.map((x) => ({
    ...x,
    amountFen: x.amountFen === null ? null : Number(x.amountFen),
    approvedAt: new Date(x.approvedAt).toISOString(),
  }));
}

/**
 * What was prepaid for a year's stays: the current settlements' fund payments (基金预付) and patient
 * shares, with the number of stays, and the budget a clearing is proposed with under the basis of the
 * policy the year is cleared under (the fund's prepayments for a fund budget, fund and patient share
 * together for a total-payment budget).
 */
export async function prepaidOfYear(
  store: Store,
  year: number,
): Promise<{
  stays: number;
  fundPaymentFen: number;
  patientShareFen: number;
  budgetBasis: ClearingBudgetBasis | null;
  proposedBudgetFen: number;
}> {
  const r = await sql<{
    n: number;
    fund: string | null;
    patient: string | null;
  }>`SELECT count(*)::int AS n, sum(fund_payment_fen)::text AS fund, sum(patient_share_fen)::text AS patient
    FROM stay_settlement WHERE period >= ${`${year}-01`} AND period <= ${`${year}-12`}`.execute(dbOf(store));
  const fundPaymentFen = Number(r.rows[0]?.fund ?? 0);
  const patientShareFen = Number(r.rows[0]?.patient ?? 0);
  const budgetBasis = await clearingPolicyOf(store, year).then(
    (p) => p.clearing?.budgetBasis ?? null,
    () => null,
  );
  return {
    stays: Number(r.rows[0]?.n ?? 0),
    fundPaymentFen,
    patientShareFen,
    budgetBasis,
    proposedBudgetFen: budgetBasis === "fund" ? fundPaymentFen : fundPaymentFen + patientShareFen,
  };
}
