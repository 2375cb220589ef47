/**
 * 新技术除外申请 (issue 14): a hospital applies for one of its own settled stays that applied a filed new
 * technology at a very high cost to leave DRG payment (seed 000 lines 1082-1087: 「对应用新技术的极高费用
 * 病例采取依申请退出机制，设置不超过该医疗机构病例数 3‰ 的退出比例，经审核同意后退出 DRG 付费，按实际费用
 * 折算成点数」). It is the second kind of application in special_case_application: the same own-stay
 * check (404 alike for another hospital's stay and a missing one), the same one-live-application rule,
 * withdrawal and review (special-applications.ts); approval re-settles the stay by actual cost
 * (`approveNewTechExclusion`), and every later settlement of the period carries it within the cap
 * (new-tech-selection.ts).
 *
 * Eligibility is the policy's `exclusions.newTechEligibility` (@yibao/payment new-tech-exclusion.ts):
 * a filed new technology among the list's procedures, recorded on or before discharge, and cost ≥ the
 * bar (a multiple of the standard, or by default the stay's 高倍率界值). Quota: floor(the hospital's
 * settled cases of the stay's year × `exclusions.newTechCap`) pending and approved exclusions, counted
 * in the transaction that inserts, under the hospital's advisory lock.
 */
import {
  formatRatio,
  type NewTechExclusionFacts,
  newTechExclusionQuota,
  newTechExclusionVerdict,
  type PaymentPolicy,
} from "@yibao/payment";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import { dbOf, PaymentInputError } from "./repo.js";
import { loadSettler } from "./settle-stay.js";
import {
  factsOf,
  insertApplication,
  ownStay,
  policyOf,
  refuseRepeated,
  type StayRow,
} from "./special-applications.js";
import type { PaymentDb, SpecialCaseApplicationStatus } from "./tables.js";

/** Categories already paid by actual cost: nothing to exclude. */
const PAID_BY_COST: Readonly<Record<string, string>> = {
  fixedExclusion: "固定除外病组",
  newTechItems: "新技术按项目付费",
  newTechExclusion: "新技术除外",
};

/** The stay's 高倍率界值 under the policy in force at discharge, null for a stay without one. */
async function highThresholdOf(store: Store, s: StayRow): Promise<number | null> {
  if (s.standard_fen === null || s.drg === null || s.dscg_date === null) return null;
  try {
    const settler = await loadSettler(store);
    const h = settler.hospital(s.hospital_code, s.hi_setl_lv, s.dscg_date);
    return settler.policyAt(s.dscg_date, s.setl_id).groupTerms(h, s.drg, s.setl_id).high;
  } catch {
    return null;
  }
}

/** The verdict on a stay under its policy (the 高倍率界值 worked out only when it is the bar). */
async function verdictOf(store: Store, policy: PaymentPolicy, s: StayRow, code: string | null) {
  const e = policy.newTechEligibility;
  const facts: NewTechExclusionFacts = {
    ...factsOf(s),
    highThreshold: e.costMultiple === null ? await highThresholdOf(store, s) : null,
  };
  const paidBy = s.category === null ? undefined : PAID_BY_COST[s.category];
  if (paidBy !== undefined)
    return {
      eligible: false,
      figure: `病例已按「${paidBy}」按实际费用结算，无需申请新技术除外`,
      values: { category: s.category },
    };
  return newTechExclusionVerdict(e, policy.newTechItems, facts, code);
}

/** The hospital's quota of the stay's year and what is taken of it (pending and approved exclusions). */
async function exclusionUsage(db: PaymentDb, hospital: string, policy: PaymentPolicy, period: string) {
  const year = period.slice(0, 4);
  const c = await sql<{ cases: number; used: number }>`SELECT
      (SELECT count(*)::int FROM stay_settlement WHERE hospital_code = ${hospital}
        AND substr(period, 1, 4) = ${year}) AS cases,
      (SELECT count(*)::int FROM special_case_application WHERE hospital_code = ${hospital}
        AND kind = 'newTechExclusion' AND status IN ('pending', 'approved')
        AND substr(period, 1, 4) = ${year}) AS used`.execute(db);
  const cases = Number(c.rows[0]?.cases ?? 0);
  return {
    scopeName: `${year} 年`,
    share: `${formatRatio(policy.newTechExclusionCap * 1000, 0)}‰`,
    cases,
    quota: newTechExclusionQuota(cases, policy.newTechExclusionCap),
    used: Number(c.rows[0]?.used ?? 0),
  };
}

export interface NewTechExclusionInput {
  readonly setlId: string;
  /** The applying hospital (the caller's own). */
  readonly hospital: string;
  /** The new technology claimed; absent: the first filed one among the list's procedures. */
  readonly newTechCode?: string | null;
  /** 申请理由及依据. */
  readonly reason: string;
  readonly actor: string;
}

/**
 * Files a 新技术除外 application (申请新技术除外). Refusals: 404 (not the hospital's settled stay),
 * NOT_SETTLED, CONFLICT (already applied, of either kind, or decided as 特病单议),
 * NEW_TECH_EXCLUSION_NOT_ELIGIBLE (naming the figures), NEW_TECH_EXCLUSION_QUOTA_EXCEEDED (with the
 * quota and the count).
 */
export async function applyNewTechExclusion(store: Store, input: NewTechExclusionInput) {
  const stay = await ownStay(store, input.setlId, input.hospital, "newTechExclusion");
  await refuseRepeated(store, input.setlId);
  const policy = await policyOf(store, String(stay.policy_id), String(stay.policy_version));
  const verdict = await verdictOf(store, policy, stay, input.newTechCode ?? null);
  if (!verdict.eligible)
    throw new PaymentInputError(
      `病例 ${input.setlId} 不符合新技术除外条件：${verdict.figure}`,
      "NEW_TECH_EXCLUSION_NOT_ELIGIBLE",
    );
  const period = String(stay.period);
  const code = typeof verdict.values.newTechCode === "string" ? verdict.values.newTechCode : null;
  return dbOf(store)
    .transaction()
    .execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`new_tech_exclusion:${input.hospital}`}))`.execute(
        trx,
      );
      const u = await exclusionUsage(trx, input.hospital, policy, period);
      if (u.used >= u.quota)
        throw new PaymentInputError(
          `本院 ${u.scopeName}已结算病例 ${u.cases} 例，新技术除外比例上限为 ${u.share}（向下取整）即 ${u.quota} 例，已申请 ${u.used} 例（待审核与已核准），不能再申请`,
          "NEW_TECH_EXCLUSION_QUOTA_EXCEEDED",
        );
      const figures = {
        figure: verdict.figure,
        ...verdict.values,
        limit: { cases: u.cases, quota: u.quota, used: u.used + 1 },
      };
      const row = await insertApplication(
        trx,
        {
          kind: "newTechExclusion",
          setl_id: input.setlId,
          hospital_code: input.hospital,
          period,
          criterion: "newTech",
          new_tech_code: code,
          reason: input.reason,
          figures: JSON.stringify(figures),
          policy_id: policy.id,
          policy_version: policy.version,
          submitted_by: input.actor,
        },
        "申请",
      );
      return {
        id: row.id,
        kind: "newTechExclusion",
        setlId: input.setlId,
        status: row.status,
        figures,
      };
    });
}

/**
 * 申请前预检 of a 新技术除外: the verdict on the hospital's own stay (the filed technology, the cost
 * against the bar), the quota of the year and what is taken, and any live application — nothing written.
 */
export async function assessNewTechExclusion(
  store: Store,
  input: { readonly setlId: string; readonly hospital: string },
) {
  const stay = await ownStay(store, input.setlId, input.hospital, "newTechExclusion");
  const policy = await policyOf(store, String(stay.policy_id), String(stay.policy_version));
  const verdict = await verdictOf(store, policy, stay, null);
  const existing = await sql<{
    id: number;
    kind: string;
    status: SpecialCaseApplicationStatus;
  }>`SELECT id::int AS id, kind, status FROM special_case_application
    WHERE setl_id = ${input.setlId} AND status <> 'withdrawn' LIMIT 1`.execute(dbOf(store));
  return {
    setlId: input.setlId,
    policy: { id: policy.id, version: policy.version },
    ...verdict,
    quota: await exclusionUsage(dbOf(store), input.hospital, policy, String(stay.period)),
    application: existing.rows[0] ?? null,
  };
}
