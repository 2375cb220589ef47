/**
 * The demo region's payment (演示地区支付): calibrates weights from the stored history, stores a
 * default rate policy and the Handan benefit policy when none exist, maps the hospitals to levels
 * and deductible classes, and settles every period not yet settled. Idempotent.
 */

import { createRequire } from "node:module";
import type { DrgScheme } from "@yibao/grouper";
import { EXAMPLE_CLEARING, EXAMPLE_OUTLIERS, EXAMPLE_QY_SHARE, parseBenefitPolicy } from "@yibao/payment";
import { acceptedPeriodRange, type Store } from "@yibao/store";
import { sql } from "kysely";
import { calibrate } from "./calibrate.js";
import {
  dbOf,
  listVersions,
  loadPaymentHospitals,
  type PaymentHospital,
  savePaymentHospitals,
  saveVersion,
} from "./repo.js";
import { SETTLEMENT_LEVEL_NAMES, type SettlePeriodResult, settlePeriod } from "./settle-period.js";

/** The demo rate policy (演示支付政策); the rate is filled in from the history by calibration. */
export function demoPolicy(effectiveFrom: string): Record<string, unknown> {
  return {
    id: "demo-rate",
    version: "1",
    name: "演示地区 DRG 支付政策(费率法)",
    region: "演示地区",
    effectiveFrom,
    effectiveTo: null,
    method: "rate",
    rate: "10000",
    levelCoefficients: {},
    baseGroups: [],
    drgStandards: {},
    // 高倍率: the standard plus 90% of the cost above the threshold; an approved 特病单议 then tops the
    // stay up to its actual cost (specialReview full), so the review changes what a hospital is paid.
    outliers: {
      ...EXAMPLE_OUTLIERS,
      high: { ...EXAMPLE_OUTLIERS.high, payment: { method: "excess", ratio: "0.9" } },
    },
    ambiguous: { qyShare: EXAMPLE_QY_SHARE, ungroupedShare: "80%" },
    exclusions: { fixedDrgs: [], newTechCap: "3‰" },
    // 特病单议申请: every high outlier qualifies by cost (the demo's high thresholds are 2–3 × the
    // standard), and long ICU or hospital stays; 5% of a hospital's cases a year. No deadline: the demo's
    // stays are of the previous year, so any deadline after the discharge month would have passed.
    specialReview: {
      mode: "full",
      criteria: {
        highCost: { multiple: "2" },
        icu: { overDays: 3 },
        longStay: { overDays: 30 },
        newTech: {},
      },
      quota: { share: "5%", per: "year" },
      deadline: null,
    },
    // The demo's clearing budget is the fund's own (the patients' share is added before sharing by points).
    clearing: { ...EXAMPLE_CLEARING, budgetBasis: "fund" },
    sources: [
      "费率由历史数据按预算(历史 DRG 病例总费用)测算",
      "高倍率 3/2.5/2 倍、低倍率 0.4 倍、QY/0000 按 80%：与种子 002 示例相同的演示取值",
      "高倍率病例按病组支付标准 + 超出高倍率界值部分的 90% 支付；特病单议核准后按实际费用补足：演示参数，非某地实际政策",
      "结余留用 70%、超支 10% 以内医保分担 50%：演示参数，非某地实际政策",
      "特病单议申请：费用达病组支付标准 2 倍、重症监护超过 3 天或住院超过 30 天，每院每年不超过病例数的 5%，不设申请期限：演示参数，非某地实际政策",
      "清算预算为统筹基金预算（个人负担另计后按点数分配）：演示口径",
    ],
  };
}

/** A benefit policy edition as its file holds it (the format `parseBenefitPolicy` reads). */
export interface BenefitPolicyData {
  readonly id: string;
  readonly version: string;
  readonly classes: readonly {
    readonly class: string;
    readonly deductible: string;
    readonly ratioLevel: string;
  }[];
  readonly [field: string]: unknown;
}

/**
 * The demo's benefit policy (演示待遇政策): the Handan residents' policy of 2021 (`HANDAN_RESIDENTS_2021`)
 * as it is, and what that policy does not state, so that every demo stay is settled by policy rather than by the patient
 * share its list reports: a 三级综合 class and the employees' fund ratios. Those figures are demo
 * assumptions, each stated in `notes`; a real region loads its own policy. It is data: `benefit-policy.json`
 * of the demo region pack (`regions/demo`, `@yibao/region-demo`), parsed by the payment core at load.
 */
export const DEMO_BENEFIT_POLICY: BenefitPolicyData = createRequire(import.meta.url)(
  "@yibao/region-demo/benefit-policy.json",
);
parseBenefitPolicy(DEMO_BENEFIT_POLICY);

/** Deductible class (起付线类别) of a demo hospital under the demo benefit policy. */
export function demoBenefitClass(level: string, name: string): string | null {
  const tcm = name.includes("中医");
  if (level === "1") return tcm ? "一级中医" : "一级";
  if (level === "2") return tcm ? "二级中医" : "主城区二级";
  if (level === "3") return tcm ? "市级中医" : "三级综合";
  return null;
}

export interface DemoPaymentResult {
  readonly calibrated: boolean;
  readonly policyCreated: boolean;
  readonly benefitCreated: boolean;
  readonly hospitalsMapped: number;
  readonly settlement: SettlePeriodResult | null;
}

/** Prepares and settles the demo region's payment; does nothing that is already done. */
export async function ensureDemoPayment(options: {
  readonly store: Store;
  readonly scheme: DrgScheme;
  readonly onProgress?: Parameters<typeof settlePeriod>[0]["onProgress"];
  /** Prepare policies and hospitals only (benchmarks time the settlement themselves). */
  readonly skipSettle?: boolean;
}): Promise<DemoPaymentResult> {
  const { store, scheme } = options;
  const db = dbOf(store);
  const range = await acceptedPeriodRange(store.db);
  const lo = range?.from ?? null;
  const hi = range?.to ?? null;
  if (lo === null || hi === null) {
    return {
      calibrated: false,
      policyCreated: false,
      benefitCreated: false,
      hospitalsMapped: 0,
      settlement: null,
    };
  }
  const effectiveFrom = `${lo.slice(0, 4)}-01-01`;
  let calibrated = false;
  let policyCreated = false;
  const policies = await listVersions(store, "policy");
  const weights = await listVersions(store, "weights");
  if (weights.length === 0 || policies.length === 0) {
    const budget = await sql<{
      s: string;
    }>`SELECT COALESCE(sum(total_fee_fen), 0)::text AS s FROM settlement_list
      WHERE status = 'accepted' AND drg <> '0000' AND drg NOT LIKE '%QY'`.execute(db);
    const names = new Map(scheme.drgs.map((d) => [d.code, d.name]));
    await calibrate({
      store,
      periodFrom: lo,
      periodTo: hi,
      id: "demo-weights",
      version: `${lo}..${hi}`,
      effectiveFrom,
      schemeId: scheme.id,
      drgNames: names,
      minCases: 5,
      fallbackRw: 1_000_000,
      budget: Number(budget.rows[0]?.s ?? 0),
      ...(policies.length === 0 ? { policy: demoPolicy(effectiveFrom) } : {}),
      actor: "demo",
    });
    calibrated = true;
    policyCreated = policies.length === 0;
  }
  let benefitCreated = false;
  if ((await listVersions(store, "benefit")).length === 0) {
    await saveVersion(store, "benefit", DEMO_BENEFIT_POLICY, { actor: "demo" });
    benefitCreated = true;
  }
  const known = await loadPaymentHospitals(store);
  const hs = await sql<{ hospital_code: string; hospital_name: string; lv: string | null }>`
    SELECT DISTINCT ON (hospital_code) hospital_code, hospital_name, message->'input'->'setlinfo'->>'hi_setl_lv' AS lv
    FROM settlement_list ORDER BY hospital_code, setl_id`.execute(db);
  const add: PaymentHospital[] = hs.rows
    .filter((h) => !known.has(h.hospital_code))
    .map((h) => ({
      hospitalCode: h.hospital_code,
      level: SETTLEMENT_LEVEL_NAMES[h.lv ?? ""] ?? h.lv ?? "",
      benefitClass: demoBenefitClass(h.lv ?? "", h.hospital_name),
    }));
  await savePaymentHospitals(store, add, { actor: "demo", reason: "演示数据：按清单医保结算等级设定" });
  const pending = await sql<{ p: string | null }>`SELECT min(l.period) AS p FROM settlement_list l
    LEFT JOIN stay_settlement s ON s.setl_id = l.setl_id AND s.list_version = l.version
    WHERE l.status = 'accepted' AND s.setl_id IS NULL`.execute(db);
  const from = pending.rows[0]?.p ?? null;
  const settlement =
    from === null || options.skipSettle === true
      ? null
      : await settlePeriod({
          store,
          period: `${from.slice(0, 4)}-01` < lo ? lo : `${from.slice(0, 4)}-01`,
          periodTo: hi,
          actor: "demo",
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        });
  return { calibrated, policyCreated, benefitCreated, hospitalsMapped: add.length, settlement };
}
