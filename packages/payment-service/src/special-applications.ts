/**
 * 特病单议申请 (issue 14): a hospital applies for one of its own settled stays under a criterion the
 * stay's payment policy opens (费用倍数、重症监护天数、住院天数、新技术), within the policy's deadline and
 * quota; a reviewer approves (the stay re-settled by `approveSpecialCase`) or rejects it
 * (`rejectSpecialCase`); the hospital may withdraw it while it is pending. The rules are policy data
 * (`specialReview` in the DRG payment policy, see @yibao/payment special-review.ts).
 *
 * Refusals, each with a Chinese message naming the figure: not the hospital's settled stay (404, the
 * same answer whether the stay is another hospital's or does not exist), the criterion not met or not
 * open (SPECIAL_CASE_NOT_ELIGIBLE), past the deadline (SPECIAL_CASE_DEADLINE_PASSED, with the date),
 * over the quota (SPECIAL_CASE_QUOTA_EXCEEDED, with the quota and the count), already applied or
 * decided (CONFLICT).
 */
import { shanghaiDate } from "@yibao/kernel/calendar";
import {
  type Fen,
  formatRatio,
  type PaymentPolicy,
  parsePaymentPolicy,
  SPECIAL_REVIEW_CRITERIA,
  SPECIAL_REVIEW_CRITERION_NAMES,
  type SpecialReviewCriterion,
  type SpecialReviewFacts,
  specialReviewDeadline,
  specialReviewQuota,
  specialReviewVerdict,
} from "@yibao/payment";
import type { Store } from "@yibao/store";
import { type Insertable, sql } from "kysely";
import { approveNewTechExclusion, approveSpecialCase, rejectSpecialCase } from "./queries.js";
import { dbOf, PaymentInputError } from "./repo.js";
import type {
  ApplicationKind,
  PaymentDb,
  SpecialCaseApplicationStatus,
  SpecialCaseApplicationTable,
} from "./tables.js";

/** 申请类别 names: 特病单议, and 新技术除外 (new-tech-exclusions.ts), which share this workflow. */
export const APPLICATION_KIND_NAMES: Readonly<Record<ApplicationKind, string>> = {
  specialReview: "特病单议",
  newTechExclusion: "新技术除外",
};

export const APPLICATION_STATUS_NAMES: Readonly<Record<SpecialCaseApplicationStatus, string>> = {
  pending: "待审核",
  approved: "已核准",
  rejected: "已驳回",
  withdrawn: "已撤回",
};

/** A stay as the application checks see it: its settlement and the figures of its 4101 list. */
export interface StayRow {
  setl_id: string;
  hospital_code: string;
  period: string | null;
  dscg_date: string | null;
  los: number | null;
  total_cost_fen: number | null;
  standard_fen: number | null;
  policy_id: string | null;
  policy_version: string | null;
  category: string | null;
  hi_setl_lv: string | null;
  drg: string | null;
  icu: unknown;
  oprn: unknown;
}

/** `天/小时/分钟` (scs_cutd_sum_dura) in minutes, null when malformed (as the QC rule reads it). */
function durationMinutes(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const m = /^([0-9]{1,4})\/([0-9]{1,2})\/([0-9]{1,2})$/.exec(text.trim());
  if (m === null) return null;
  const [d, h, min] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return h > 23 || min > 59 ? null : (d * 24 + h) * 60 + min;
}

/** The criteria facts of a stay: ICU minutes summed over icuinfo, the procedure codes of oprninfo. */
export function factsOf(s: StayRow): SpecialReviewFacts {
  const icu = Array.isArray(s.icu) ? (s.icu as Record<string, unknown>[]) : [];
  const minutes = icu.map((x) => durationMinutes(x?.scs_cutd_sum_dura)).filter((x) => x !== null);
  const oprn = Array.isArray(s.oprn) ? (s.oprn as Record<string, unknown>[]) : [];
  return {
    totalCost: Number(s.total_cost_fen ?? 0),
    standard: s.standard_fen === null ? null : Number(s.standard_fen),
    icuMinutes: minutes.length === 0 ? null : minutes.reduce((a, b) => a + b, 0),
    los: s.los === null ? null : Number(s.los),
    dischargeDate: s.dscg_date,
    procedureCodes: oprn.map((x) => x?.oprn_oprt_code).filter((x): x is string => typeof x === "string"),
  };
}

/** The hospital's own settled stay, or 404 (another hospital's stay and a missing one answer alike). */
export async function ownStay(
  store: Store,
  setlId: string,
  hospital: string,
  kind: ApplicationKind = "specialReview",
): Promise<StayRow> {
  const r = await sql<StayRow>`SELECT l.setl_id, l.hospital_code, s.period, l.dscg_date::text AS dscg_date,
      l.los, s.total_cost_fen, s.standard_fen, s.policy_id, s.policy_version, s.category, s.drg,
      l.message->'input'->'setlinfo'->>'hi_setl_lv' AS hi_setl_lv,
      l.message->'input'->'icuinfo' AS icu, l.message->'input'->'oprninfo' AS oprn
    FROM settlement_list l LEFT JOIN stay_settlement s ON s.setl_id = l.setl_id
    WHERE l.setl_id = ${setlId} AND l.status = 'accepted'`.execute(dbOf(store));
  const s = r.rows[0];
  if (!s || s.hospital_code !== hospital)
    throw new PaymentInputError(`未找到本院的结算清单 ${setlId}`, "NOT_FOUND");
  if (s.policy_id === null || s.period === null)
    throw new PaymentInputError(
      `本院病例 ${setlId} 尚未结算，结算后方可申请${APPLICATION_KIND_NAMES[kind]}`,
      "NOT_SETTLED",
    );
  return s;
}

export async function policyOf(store: Store, id: string, version: string): Promise<PaymentPolicy> {
  const r = await sql<{
    data: unknown;
  }>`SELECT data FROM payment_policy WHERE id = ${id} AND version = ${version}`.execute(dbOf(store));
  if (!r.rows[0]) throw new PaymentInputError(`支付政策 ${id}@${version} 不存在`, "POLICY_NOT_FOUND");
  return parsePaymentPolicy(r.rows[0].data);
}

/**
 * Refuses a second application (of either kind: a stay either leaves DRG as 新技术除外 or is reviewed
 * as 特病单议), or one for a stay the reviewer has already decided as 特病单议.
 */
export async function refuseRepeated(store: Store, setlId: string): Promise<void> {
  const db = dbOf(store);
  const a = await sql<{
    id: number;
    kind: ApplicationKind;
    status: SpecialCaseApplicationStatus;
    submitted_at: Date;
  }>`SELECT id::int AS id, kind, status, submitted_at FROM special_case_application
    WHERE setl_id = ${setlId} AND status <> 'withdrawn' LIMIT 1`.execute(db);
  const app = a.rows[0];
  if (app)
    throw new PaymentInputError(
      `病例 ${setlId} 已于 ${shanghaiDate(new Date(app.submitted_at))} 提交${APPLICATION_KIND_NAMES[app.kind]}申请（编号 ${app.id}，${APPLICATION_STATUS_NAMES[app.status]}），不能重复申请`,
      "CONFLICT",
    );
  const d = await sql<{ decision: "approved" | "rejected" }>`SELECT decision FROM special_case_approval
    WHERE setl_id = ${setlId} AND NOT revoked ORDER BY id DESC LIMIT 1`.execute(db);
  if (d.rows[0])
    throw new PaymentInputError(
      `病例 ${setlId} 的特病单议已${d.rows[0].decision === "approved" ? "核准" : "驳回"}，不能再申请`,
      "CONFLICT",
    );
}

export interface ApplicationInput {
  readonly setlId: string;
  /** The applying hospital (the caller's own). */
  readonly hospital: string;
  readonly criterion: SpecialReviewCriterion;
  readonly newTechCode?: string | null;
  /** 申请理由及依据. */
  readonly reason: string;
  readonly actor: string;
  /** The moment of the application (default now); its Shanghai date is compared with the deadline. */
  readonly now?: Date;
}

/** The criterion check against the stay's policy: the verdict, or a refusal naming the figure. */
function checkCriterion(policy: PaymentPolicy, input: ApplicationInput, stay: StayRow) {
  const verdict = specialReviewVerdict(
    policy.specialReview,
    policy.newTechItems,
    input.criterion,
    factsOf(stay),
    input.newTechCode ?? null,
  );
  const name = SPECIAL_REVIEW_CRITERION_NAMES[input.criterion];
  if ("closed" in verdict) {
    const c = policy.specialReview.criteria;
    const open = (Object.keys(SPECIAL_REVIEW_CRITERION_NAMES) as SpecialReviewCriterion[])
      .filter((k) => (k === "newTech" ? c.newTech : c[k] !== null))
      .map((k) => SPECIAL_REVIEW_CRITERION_NAMES[k]);
    throw new PaymentInputError(
      `支付政策 ${policy.id}@${policy.version} 未开放按「${name}」申请特病单议（开放的条件：${open.join("、") || "无"}）`,
      "SPECIAL_CASE_NOT_ELIGIBLE",
    );
  }
  if (!verdict.eligible)
    throw new PaymentInputError(
      `病例 ${input.setlId} 不符合「${name}」条件：${verdict.figure}`,
      "SPECIAL_CASE_NOT_ELIGIBLE",
    );
  return verdict;
}

/** The stay's application deadline (null without one) and the date of `now` in Shanghai. */
function deadlineOf(policy: PaymentPolicy, stay: StayRow, now: Date | undefined) {
  const dl = policy.specialReview.deadline;
  if (dl === null) return null;
  const discharged = stay.dscg_date ?? `${stay.period}-01`;
  const date = specialReviewDeadline(discharged, dl.daysAfterDischargeMonth);
  const today = shanghaiDate(now ?? new Date());
  return { discharged, date, days: dl.daysAfterDischargeMonth, today, late: today > date };
}

/** The deadline check: the application's Shanghai date must not be after the deadline. */
function checkDeadline(policy: PaymentPolicy, input: ApplicationInput, stay: StayRow): string | null {
  const d = deadlineOf(policy, stay, input.now);
  if (d === null) return null;
  if (d.late)
    throw new PaymentInputError(
      `病例 ${input.setlId} 出院于 ${d.discharged.slice(0, 7)}，特病单议申请截止日期为 ${d.date}（出院当月末后 ${d.days} 天），今天（${d.today}）已逾期`,
      "SPECIAL_CASE_DEADLINE_PASSED",
    );
  return d.date;
}

/** A hospital's quota of the year (or period) of a stay and what is taken of it, null without a quota. */
async function quotaUsage(db: PaymentDb, hospital: string, policy: PaymentPolicy, period: string) {
  const quota = policy.specialReview.quota;
  if (quota === null) return null;
  const scope = quota.per === "period" ? period : period.slice(0, 4);
  const c = await sql<{ cases: number; used: number }>`SELECT
      (SELECT count(*)::int FROM stay_settlement WHERE hospital_code = ${hospital}
        AND (period = ${scope} OR substr(period, 1, 4) = ${scope})) AS cases,
      (SELECT count(*)::int FROM special_case_application WHERE hospital_code = ${hospital}
        AND kind = 'specialReview' AND status IN ('pending', 'approved') AND (period = ${scope} OR substr(period, 1, 4) = ${scope})) AS used`.execute(
    db,
  );
  const cases = Number(c.rows[0]?.cases ?? 0);
  return {
    scopeName: quota.per === "period" ? `${period} 期` : `${scope} 年`,
    share: `${formatRatio(quota.share * 100, 0)}%`,
    cases,
    quota: specialReviewQuota(cases, quota.share),
    used: Number(c.rows[0]?.used ?? 0),
  };
}

/**
 * Files an application (提交特病单议申请). The quota is counted and the row written in one transaction
 * holding the hospital's advisory lock, so two applications at once cannot both take the last place.
 */
export async function applySpecialCase(store: Store, input: ApplicationInput) {
  const stay = await ownStay(store, input.setlId, input.hospital);
  await refuseRepeated(store, input.setlId);
  const policy = await policyOf(store, String(stay.policy_id), String(stay.policy_version));
  const verdict = checkCriterion(policy, input, stay);
  const deadline = checkDeadline(policy, input, stay);
  const period = String(stay.period);
  return dbOf(store)
    .transaction()
    .execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`special_case_application:${input.hospital}`}))`.execute(
        trx,
      );
      const usage = await quotaUsage(trx, input.hospital, policy, period);
      let limit: { cases: number; quota: number; used: number } | null = null;
      if (usage !== null) {
        const { cases, quota: q, used } = usage;
        if (used >= q)
          throw new PaymentInputError(
            `本院 ${usage.scopeName}已结算病例 ${cases} 例，特病单议申请限额为 ${usage.share}（向下取整）即 ${q} 例，已申请 ${used} 例（待审核与已核准），不能再申请`,
            "SPECIAL_CASE_QUOTA_EXCEEDED",
          );
        limit = { cases, quota: q, used: used + 1 };
      }
      const figures = { figure: verdict.figure, ...verdict.values, deadline, limit };
      const row = await insertApplication(
        trx,
        {
          setl_id: input.setlId,
          hospital_code: input.hospital,
          period,
          criterion: input.criterion,
          new_tech_code: input.criterion === "newTech" ? (input.newTechCode ?? null) : null,
          reason: input.reason,
          figures: JSON.stringify(figures),
          policy_id: policy.id,
          policy_version: policy.version,
          submitted_by: input.actor,
          ...(input.now ? { submitted_at: input.now } : {}),
        },
        "特病单议申请",
      );
      return { id: row.id, setlId: input.setlId, status: row.status, figures };
    });
}

/**
 * Writes a new application, undecided. One live application per stay (the partial unique index): a
 * second, of either kind, answers CONFLICT naming what was filed (`what`, e.g. 特病单议申请).
 */
export async function insertApplication(
  trx: PaymentDb,
  values: Omit<
    Insertable<SpecialCaseApplicationTable>,
    "decided_by" | "decided_at" | "decision_reason" | "amount_fen"
  >,
  what: string,
): Promise<{ id: number; status: SpecialCaseApplicationStatus }> {
  const row = await trx
    .insertInto("special_case_application")
    .values({ ...values, decided_by: null, decided_at: null, decision_reason: null, amount_fen: null })
    .onConflict((oc) => oc.column("setl_id").where("status", "<>", "withdrawn").doNothing())
    .returning(["id", "status"])
    .executeTakeFirst();
  if (!row) throw new PaymentInputError(`病例 ${values.setl_id} 已提交${what}，不能重复申请`, "CONFLICT");
  return { id: Number(row.id), status: row.status };
}

/**
 * 申请前预检: what the hospital sees before it applies for its own stay — each criterion against the
 * stay (open or not, met or not, the figure), the deadline, the quota taken and any application already
 * filed. The same checks as `applySpecialCase`, nothing written.
 */
export async function assessStay(
  store: Store,
  input: { readonly setlId: string; readonly hospital: string; readonly now?: Date },
) {
  const stay = await ownStay(store, input.setlId, input.hospital);
  const policy = await policyOf(store, String(stay.policy_id), String(stay.policy_version));
  const facts = factsOf(stay);
  const filed = facts.procedureCodes.find((c) => policy.newTechItems.has(c)) ?? null;
  const criteria = SPECIAL_REVIEW_CRITERIA.map((criterion) => {
    const name = SPECIAL_REVIEW_CRITERION_NAMES[criterion];
    const code = criterion === "newTech" ? filed : null;
    const v = specialReviewVerdict(policy.specialReview, policy.newTechItems, criterion, facts, code);
    if ("closed" in v)
      return { criterion, name, open: false, eligible: false, figure: "支付政策未开放该条件" };
    const figure =
      criterion === "newTech" && filed === null
        ? "结算清单的手术及操作中没有支付政策备案的新技术项目"
        : v.figure;
    return {
      criterion,
      name,
      open: true,
      eligible: v.eligible,
      figure,
      ...(code ? { newTechCode: code } : {}),
    };
  });
  const existing = await sql<{
    id: number;
    status: SpecialCaseApplicationStatus;
  }>`SELECT id::int AS id, status
    FROM special_case_application WHERE setl_id = ${input.setlId} AND status <> 'withdrawn' LIMIT 1`.execute(
    dbOf(store),
  );
  const d = deadlineOf(policy, stay, input.now);
  return {
    setlId: input.setlId,
    policy: { id: policy.id, version: policy.version },
    criteria,
    deadline: d === null ? null : { date: d.date, late: d.late },
    quota: await quotaUsage(dbOf(store), input.hospital, policy, String(stay.period)),
    application: existing.rows[0] ?? null,
  };
}

/** One application as the API returns it, with the stay's current settlement figures. */
export interface ApplicationRow {
  readonly id: number;
  readonly kind: ApplicationKind;
  readonly setlId: string;
  readonly hospitalCode: string;
  readonly period: string;
  readonly criterion: SpecialReviewCriterion;
  readonly newTechCode: string | null;
  readonly reason: string;
  readonly figures: Record<string, unknown>;
  readonly policyId: string;
  readonly policyVersion: string;
  readonly submittedBy: string;
  readonly submittedAt: string;
  readonly status: SpecialCaseApplicationStatus;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionReason: string | null;
  readonly amountFen: Fen | null;
  readonly drg: string | null;
  readonly totalCostFen: Fen | null;
  readonly standardFen: Fen | null;
  readonly drgPaymentFen: Fen | null;
  readonly specialReviewFen: Fen | null;
  readonly fundPaymentFen: Fen | null;
}

const APP_VIEW =
  sql.raw(`a.id::int AS id, a.kind, a.setl_id AS "setlId", a.hospital_code AS "hospitalCode", a.period,
  a.criterion, a.new_tech_code AS "newTechCode", a.reason, a.figures, a.policy_id AS "policyId",
  a.policy_version AS "policyVersion", a.submitted_by AS "submittedBy", a.submitted_at AS "submittedAt", a.status,
  a.decided_by AS "decidedBy", a.decided_at AS "decidedAt", a.decision_reason AS "decisionReason",
  a.amount_fen AS "amountFen", s.drg, s.total_cost_fen AS "totalCostFen", s.standard_fen AS "standardFen",
  s.drg_payment_fen AS "drgPaymentFen", s.special_review_fen AS "specialReviewFen",
  s.fund_payment_fen AS "fundPaymentFen"`);

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toRow(x: Record<string, unknown>): ApplicationRow {
  return {
    ...(x as unknown as ApplicationRow),
    submittedAt: new Date(x.submittedAt as string).toISOString(),
    decidedAt: x.decidedAt === null ? null : new Date(x.decidedAt as string).toISOString(),
    amountFen: num(x.amountFen),
    totalCostFen: num(x.totalCostFen),
    standardFen: num(x.standardFen),
    drgPaymentFen: num(x.drgPaymentFen),
    specialReviewFen: num(x.specialReviewFen),
    fundPaymentFen: num(x.fundPaymentFen),
  };
}

/** Applications, newest first; of one hospital and/or one status. */
export async function listApplications(
  store: Store,
  f: {
    readonly hospital?: string;
    readonly status?: SpecialCaseApplicationStatus;
    readonly kind?: ApplicationKind;
    readonly limit?: number;
  } = {},
): Promise<ApplicationRow[]> {
  const r = await sql<Record<string, unknown>>`SELECT ${APP_VIEW}
    FROM special_case_application a LEFT JOIN stay_settlement s ON s.setl_id = a.setl_id
    WHERE (${f.hospital ?? null}::text IS NULL OR a.hospital_code = ${f.hospital ?? null})
      AND (${f.status ?? null}::text IS NULL OR a.status = ${f.status ?? null})
      AND (${f.kind ?? null}::text IS NULL OR a.kind = ${f.kind ?? null})
    ORDER BY a.id DESC LIMIT ${f.limit ?? 1000}`.execute(dbOf(store));
  return r.rows.map(toRow);
}

/** An application of the kind given (one of the other kind is not found through this kind's routes). */
async function getApplication(
  store: Store,
  id: number,
  kind: ApplicationKind,
): Promise<ApplicationRow | undefined> {
  const r = await sql<Record<string, unknown>>`SELECT ${APP_VIEW}
    FROM special_case_application a LEFT JOIN stay_settlement s ON s.setl_id = a.setl_id
    WHERE a.id = ${id} AND a.kind = ${kind}`.execute(dbOf(store));
  return r.rows[0] ? toRow(r.rows[0]) : undefined;
}

/** Withdraws a pending application of the hospital's own (撤回); another hospital's is 404. */
export async function withdrawApplication(
  store: Store,
  input: {
    readonly id: number;
    readonly hospital: string;
    readonly actor: string;
    readonly kind?: ApplicationKind;
  },
): Promise<ApplicationRow> {
  const kind = input.kind ?? "specialReview";
  const name = APPLICATION_KIND_NAMES[kind];
  const cur = await getApplication(store, input.id, kind);
  if (!cur || cur.hospitalCode !== input.hospital)
    throw new PaymentInputError(`未找到本院的${name}申请 ${input.id}`, "NOT_FOUND");
  const r = await sql`UPDATE special_case_application SET status = 'withdrawn', decided_by = ${input.actor},
      decided_at = now() WHERE id = ${input.id} AND status = 'pending' RETURNING id`.execute(dbOf(store));
  if (r.rows.length === 0)
    throw new PaymentInputError(
      `${name}申请 ${input.id} ${APPLICATION_STATUS_NAMES[cur.status]}，不能撤回`,
      "CONFLICT",
    );
  return (await getApplication(store, input.id, kind)) as ApplicationRow;
}

export interface DecisionInput {
  readonly id: number;
  readonly decision: "approved" | "rejected";
  readonly reason: string;
  /** 核准追加金额 (fen); absent: per the policy's special-review mode (特病单议 only). */
  readonly amountFen?: Fen | null;
  readonly actor: string;
  /** The kind the route decides (default 特病单议); an application of the other kind is 404. */
  readonly kind?: ApplicationKind;
}

/** What deciding a claimed application does to the stay, by kind and decision. */
async function carryOut(store: Store, input: DecisionInput, setlId: string) {
  const common = { setlId, reason: input.reason, actor: input.actor };
  if (input.kind === "newTechExclusion") {
    if (input.decision === "approved")
      return {
        approved: await approveNewTechExclusion(store, { ...common, applicationId: input.id }),
        rejected: null,
      };
    // A rejected exclusion leaves the settlement as it is; the application row is the record.
    const cur = await sql<{ fund: string }>`SELECT fund_payment_fen::text AS fund FROM stay_settlement
      WHERE setl_id = ${setlId}`.execute(dbOf(store));
    return { approved: null, rejected: { setlId, fundPaymentFen: Number(cur.rows[0]?.fund ?? 0) } };
  }
  return input.decision === "approved"
    ? {
        approved: await approveSpecialCase(store, { ...common, amountFen: input.amountFen ?? null }),
        rejected: null,
      }
    : { approved: null, rejected: await rejectSpecialCase(store, common) };
}

/**
 * Decides a pending application (审核特病单议申请 / 审核新技术除外申请): the row is claimed (pending →
 * the decision) first, so two reviewers cannot both decide it; then the stay is approved and
 * re-settled, or rejected, by the same code as the reviewer's own decisions (新技术除外: re-settled
 * by actual cost within the cap). If that fails the claim is undone.
 */
export async function decideApplication(store: Store, input: DecisionInput) {
  const db = dbOf(store);
  const kind = input.kind ?? "specialReview";
  const name = APPLICATION_KIND_NAMES[kind];
  const amount = input.decision === "approved" && kind === "specialReview" ? (input.amountFen ?? null) : null;
  const claimed = await sql<{
    setl_id: string;
  }>`UPDATE special_case_application SET status = ${input.decision},
      decided_by = ${input.actor}, decided_at = now(), decision_reason = ${input.reason}, amount_fen = ${amount}
    WHERE id = ${input.id} AND kind = ${kind} AND status = 'pending' RETURNING setl_id`.execute(db);
  const setlId = claimed.rows[0]?.setl_id;
  if (setlId === undefined) {
    const cur = await getApplication(store, input.id, kind);
    if (!cur) throw new PaymentInputError(`${name}申请 ${input.id} 不存在`, "NOT_FOUND");
    throw new PaymentInputError(
      `${name}申请 ${input.id} ${APPLICATION_STATUS_NAMES[cur.status]}，不能再次审核`,
      "CONFLICT",
    );
  }
  try {
    const outcome = await carryOut(store, { ...input, kind }, setlId);
    return { application: (await getApplication(store, input.id, kind)) as ApplicationRow, ...outcome };
  } catch (e) {
    await sql`UPDATE special_case_application SET status = 'pending', decided_by = NULL, decided_at = NULL,
        decision_reason = NULL, amount_fen = NULL WHERE id = ${input.id}`.execute(db);
    throw e;
  }
}

/**
 * A reviewer's own decision on a stay (the /special-cases endpoints) settles its pending application
 * too, so the application shows the decision and no second one is asked for.
 */
export async function settlePendingApplication(
  store: Store,
  d: {
    readonly setlId: string;
    readonly decision: "approved" | "rejected";
    readonly reason: string;
    readonly amountFen?: Fen | null;
    readonly actor: string;
  },
): Promise<void> {
  await sql`UPDATE special_case_application SET status = ${d.decision}, decided_by = ${d.actor}, decided_at = now(),
      decision_reason = ${d.reason}, amount_fen = ${d.decision === "approved" ? (d.amountFen ?? null) : null}
    WHERE setl_id = ${d.setlId} AND kind = 'specialReview' AND status = 'pending'`.execute(dbOf(store));
}
