/**
 * The DIP year clearing run by the bureau (DIP 年度清算): the year paid from its budget at the 清算点值
 * (`settleDipYearFromStore` over the DIP hospitals and the policy in force), stored as the year's
 * clearing, one statement row per hospital net of the year's monthly prepayments, and one row per stay,
 * so every hospital figure traces to its stays; re-clearing a year replaces it. A recorded run
 * (payment_run `dip_clear`).
 */
import { type DipPaymentPolicy, type Fen, formatRational, formatYuan } from "@yibao/payment";
import type { Store } from "@yibao/store";
import { sql } from "kysely";
import {
  type DipPolicySelect,
  dipHospitalsOf,
  dipPaysOn,
  dipPolicyInForce,
  dipPrepayments,
  points6,
} from "./dip-payment.js";
import {
  type DipHospital,
  type DipYearFromStore,
  dipPointValueYuan,
  settleDipYearFromStore,
} from "./dip-year.js";
import { dbOf, PaymentInputError, withRun } from "./repo.js";
import { microToPoints } from "./statements.js";

export interface DipClearOptions {
  readonly store: Store;
  readonly year: number;
  /** The year's budget, fen; what it covers is the policy's `budgetBasis`. */
  readonly budgetFen: Fen;
  readonly policy?: DipPolicySelect;
  readonly actor?: string;
}

/** A hospital's row of a year's DIP clearing (DIP 清算单). */
export interface DipStatementRow {
  readonly hospitalCode: string;
  readonly level: string;
  readonly coefficient: string;
  readonly cases: number;
  readonly unpriced: number;
  readonly points: string;
  readonly totalCostFen: Fen;
  readonly paymentFen: Fen;
  readonly patientPaidFen: Fen;
  readonly fundDueFen: Fen;
  readonly prepaidFen: Fen;
  /** 清算应付 = fund due − prepaid (negative: the hospital pays back). */
  readonly balanceDueFen: Fen;
}

/** A year's DIP clearing as stored (DIP 年度清算). */
export interface DipClearing {
  readonly year: number;
  readonly runId: number;
  readonly policy: { readonly id: string; readonly version: string };
  readonly budgetFen: Fen;
  readonly poolFen: Fen;
  readonly totalPoints: string;
  /** 清算点值, 元/分 to six decimals. */
  readonly pointValueYuan: string;
  readonly lists: number;
  readonly unpriced: readonly {
    readonly hospital: string;
    readonly count: number;
    readonly setlIds: readonly string[];
  }[];
  readonly refused: readonly { readonly setlId: string; readonly field: string; readonly message: string }[];
  readonly clearedAt: string;
  readonly hospitals: readonly DipStatementRow[];
}

const STAY_BATCH = 20_000;

/** Replaces a year's stored DIP clearing: the year, one statement row per hospital, one row per stay. */
async function writeDipClearing(
  store: Store,
  w: {
    readonly runId: number;
    readonly year: number;
    readonly policy: DipPaymentPolicy;
    readonly hospitals: readonly DipHospital[];
    readonly y: DipYearFromStore;
    readonly statements: readonly DipStatementRow[];
  },
): Promise<void> {
  const { runId, year, policy, hospitals, y, statements } = w;
  const s = y.settlement;
  const db = dbOf(store);
  const clearedAt = new Date();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("dip_stay_points").where("year", "=", year).execute();
    await trx.deleteFrom("dip_clearing_statement").where("year", "=", year).execute();
    await trx.deleteFrom("dip_year_clearing").where("year", "=", year).execute();
    await trx
      .insertInto("dip_year_clearing")
      .values({
        year,
        run_id: runId,
        policy_id: policy.id,
        policy_version: policy.version,
        budget_fen: s.budgetFen,
        pool_fen: s.poolFen,
        total_points: `${s.totalPoints.num}/${s.totalPoints.den}`,
        point_value_num: s.pointValue.num.toString(),
        point_value_den: s.pointValue.den.toString(),
        point_value_yuan: dipPointValueYuan(s, 6),
        lists: y.lists,
        unpriced: JSON.stringify(
          y.unpriced.map((u) => ({ hospital: u.hospital, count: u.count, setlIds: u.setlIds })),
        ),
        refused: JSON.stringify(
          y.refused.map((e) => ({ setlId: e.record, field: e.field, message: e.message })),
        ),
        cleared_at: clearedAt,
      })
      .execute();
    await trx
      .insertInto("dip_clearing_statement")
      .values(
        statements.map((x) => ({
          year,
          hospital_code: x.hospitalCode,
          run_id: runId,
          level: x.level,
          coefficient_ppm: hospitals.find((h) => h.code === x.hospitalCode)?.coefficient ?? 0,
          cases: x.cases,
          unpriced: x.unpriced,
          points: x.points,
          total_cost_fen: x.totalCostFen,
          payment_fen: x.paymentFen,
          patient_paid_fen: x.patientPaidFen,
          fund_due_fen: x.fundDueFen,
          prepaid_fen: x.prepaidFen,
          balance_due_fen: x.balanceDueFen,
        })),
      )
      .execute();
    // One INSERT … SELECT FROM unnest(arrays) per batch: 1M stays in 50 statements, not 500 of 24,000
    // parameters each.
    const cols = {
      setl: [] as string[],
      hospital: [] as string[],
      group: [] as string[],
      caseType: [] as string[],
      cost: [] as number[],
      standard: [] as number[],
      points: [] as string[],
      payment: [] as number[],
      paid: [] as number[],
    };
    const flush = async () => {
      if (cols.setl.length === 0) return;
      await sql`INSERT INTO dip_stay_points (year, setl_id, hospital_code, run_id, dip_group, case_type, cost_fen,
          standard_fen, points, payment_fen, patient_paid_fen, fund_fen)
        SELECT ${year}, t.setl_id, t.hospital_code, ${runId}, t.dip_group, t.case_type, t.cost_fen, t.standard_fen,
          t.points, t.payment_fen, t.patient_paid_fen, t.payment_fen - t.patient_paid_fen
        FROM unnest(${cols.setl}::text[], ${cols.hospital}::text[], ${cols.group}::text[], ${cols.caseType}::text[],
          ${cols.cost}::int8[], ${cols.standard}::int8[], ${cols.points}::text[], ${cols.payment}::int8[], ${cols.paid}::int8[])
          AS t(setl_id, hospital_code, dip_group, case_type, cost_fen, standard_fen, points, payment_fen, patient_paid_fen)`.execute(
        trx,
      );
      for (const c of Object.values(cols)) c.length = 0;
    };
    for (const h of s.hospitals) {
      for (let i = 0; i < h.stays.length; i++) {
        const p = h.stays[i] as (typeof h.stays)[number];
        cols.setl.push(p.stay.id);
        cols.hospital.push(h.hospital);
        cols.group.push(p.stay.group);
        cols.caseType.push(p.caseType);
        cols.cost.push(p.stay.costFen);
        cols.standard.push(p.standardFen);
        cols.points.push(microToPoints(p.microPoints.toString()));
        cols.payment.push(h.stayPaymentsFen[i] as number);
        cols.paid.push(p.stay.patientPaidFen);
        if (cols.setl.length >= STAY_BATCH) await flush();
      }
    }
    await flush();
  });
}

/** Clears a DIP year from its budget and stores the clearing, its statements and its stays. */
export async function clearDipYearJob(options: DipClearOptions): Promise<DipClearing> {
  const { store, year } = options;
  if (!Number.isInteger(year) || year < 1900 || year > 9999)
    throw new PaymentInputError(`year：须为四位年份（收到「${year}」）`);
  const policy = await dipPolicyInForce(store, `${year}-01-01`, options.policy);
  const hospitals = await dipHospitalsOf(store, policy, { from: `${year}-01-01`, to: `${year + 1}-01-01` });
  const paysOn = await dipPaysOn(store);
  const params = { year, budgetFen: options.budgetFen, policy: { id: policy.id, version: policy.version } };
  const r = await withRun(store, "dip_clear", options.actor ?? "system", params, async (runId) => {
    const y = await settleDipYearFromStore(store, {
      year,
      policy,
      budgetFen: options.budgetFen,
      hospitals,
      paysOn,
    });
    if (y.lists === 0)
      throw new PaymentInputError(`${year} 年没有按 DIP 付费机构的已接收结算清单（按出院日期），未清算`);
    const s = y.settlement;
    const prepaid = new Map<string, number>();
    for (const p of await dipPrepayments(store, year))
      prepaid.set(p.hospitalCode, (prepaid.get(p.hospitalCode) ?? 0) + p.prepaymentFen);
    const unpricedOf = new Map(y.unpriced.map((u) => [u.hospital, u.count]));
    const paid = new Map(s.hospitals.map((h) => [h.hospital, h]));
    const statements: DipStatementRow[] = hospitals.map((hd) => {
      const h = paid.get(hd.code);
      const fundDueFen = h?.fundFen ?? 0;
      const prepaidFen = prepaid.get(hd.code) ?? 0;
      return {
        hospitalCode: hd.code,
        level: hd.level,
        coefficient: formatRational({ num: BigInt(hd.coefficient), den: 1_000_000n }, 4),
        cases: h?.stays.length ?? 0,
        unpriced: unpricedOf.get(hd.code) ?? 0,
        points: h ? points6(h.points) : "0.000000",
        totalCostFen: h ? h.stays.reduce((n, p) => n + p.stay.costFen, 0) : 0,
        paymentFen: h?.paymentFen ?? 0,
        patientPaidFen: h?.patientPaidFen ?? 0,
        fundDueFen,
        prepaidFen,
        balanceDueFen: fundDueFen - prepaidFen,
      };
    });
    await writeDipClearing(store, { runId, year, policy, hospitals, y, statements });
    return {
      totals: {
        lists: y.lists,
        stays: s.hospitals.reduce((n, h) => n + h.stays.length, 0),
        pointValueYuan: dipPointValueYuan(s, 6),
        fundDueFen: statements.reduce((n, x) => n + x.fundDueFen, 0),
        balanceDueFen: statements.reduce((n, x) => n + x.balanceDueFen, 0),
      },
    };
  });
  const c = await getDipClearing(store, year);
  if (c === undefined || c.runId !== r.runId) throw new Error(`${year} 年 DIP 清算保存后未找到`);
  return c;
}

/** The years with a stored DIP clearing, newest first. */
export async function dipClearedYears(store: Store): Promise<number[]> {
  const rows = await dbOf(store)
    .selectFrom("dip_year_clearing")
    .select("year")
    .orderBy("year", "desc")
    .execute();
  return rows.map((r) => Number(r.year));
}

/** A year's stored DIP clearing (every hospital's row), or undefined when the year is not cleared. */
export async function getDipClearing(store: Store, year: number): Promise<DipClearing | undefined> {
  const db = dbOf(store);
  const c = await db.selectFrom("dip_year_clearing").selectAll().where("year", "=", year).executeTakeFirst();
  if (c === undefined) return undefined;
  const rows = await db
    .selectFrom("dip_clearing_statement")
    .selectAll()
    .where("year", "=", year)
    .orderBy("hospital_code")
    .execute();
  const [num = "0", den = "1"] = c.total_points.split("/");
  return {
    year,
    runId: Number(c.run_id),
    policy: { id: c.policy_id, version: c.policy_version },
    budgetFen: Number(c.budget_fen),
    poolFen: Number(c.pool_fen),
    totalPoints: formatRational({ num: BigInt(num), den: BigInt(den) }, 6),
    pointValueYuan: c.point_value_yuan,
    lists: Number(c.lists),
    unpriced: c.unpriced as DipClearing["unpriced"],
    refused: c.refused as DipClearing["refused"],
    clearedAt: new Date(c.cleared_at).toISOString(),
    hospitals: rows.map((x) => ({
      hospitalCode: x.hospital_code,
      level: x.level,
      coefficient: formatRational({ num: BigInt(x.coefficient_ppm), den: 1_000_000n }, 4),
      cases: Number(x.cases),
      unpriced: Number(x.unpriced),
      points: x.points,
      totalCostFen: Number(x.total_cost_fen),
      paymentFen: Number(x.payment_fen),
      patientPaidFen: Number(x.patient_paid_fen),
      fundDueFen: Number(x.fund_due_fen),
      prepaidFen: Number(x.prepaid_fen),
      balanceDueFen: Number(x.balance_due_fen),
    })),
  };
}

/** One stay of a year's DIP clearing (DIP 病例分值明细). */
export interface DipStayRow {
  readonly setlId: string;
  readonly hospitalCode: string;
  readonly group: string;
  readonly caseType: "normal" | "veryHigh" | "veryLow";
  readonly costFen: Fen;
  readonly standardFen: Fen;
  readonly points: string;
  readonly paymentFen: Fen;
  readonly patientPaidFen: Fen;
  readonly fundFen: Fen;
}

/** A page of a year's DIP stays (a hospital's, when given), by setl_id. */
export async function listDipStays(
  store: Store,
  year: number,
  q: { readonly hospital?: string; readonly page?: number; readonly pageSize?: number },
): Promise<{ total: number; page: number; pageSize: number; items: DipStayRow[] }> {
  const db = dbOf(store);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const base = db
    .selectFrom("dip_stay_points")
    .where("year", "=", year)
    .$if(q.hospital !== undefined, (x) => x.where("hospital_code", "=", q.hospital ?? ""));
  const total = await base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirst();
  const rows = await base
    .selectAll()
    .orderBy("hospital_code")
    .orderBy("setl_id")
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    total: Number(total?.n ?? 0),
    page,
    pageSize,
    items: rows.map((r) => ({
      setlId: r.setl_id,
      hospitalCode: r.hospital_code,
      group: r.dip_group,
      caseType: r.case_type,
      costFen: Number(r.cost_fen),
      standardFen: Number(r.standard_fen),
      points: r.points,
      paymentFen: Number(r.payment_fen),
      patientPaidFen: Number(r.patient_paid_fen),
      fundFen: Number(r.fund_fen),
    })),
  };
}

/** A year's DIP clearing in Chinese, one line per hospital, JSON last (the CLI's output). */
export function formatDipClearing(c: DipClearing): string {
  const lines = [
    `${c.year} 年 DIP 年度清算（${c.policy.id}@${c.policy.version}）：已接收结算清单 ${c.lists} 份，` +
      `预算 ${formatYuan(c.budgetFen)} 元，按分值支付 ${formatYuan(c.poolFen)} 元，总分值 ${c.totalPoints}，清算点值 ${c.pointValueYuan} 元/分`,
  ];
  for (const h of c.hospitals)
    lines.push(
      `${h.hospitalCode}（${h.level}，系数 ${h.coefficient}）：${h.cases} 例${h.unpriced > 0 ? `（另 ${h.unpriced} 例病种无分值）` : ""}，` +
        `分值 ${h.points}，DIP 支付 ${formatYuan(h.paymentFen)} 元，个人负担 ${formatYuan(h.patientPaidFen)} 元，` +
        `基金应支付 ${formatYuan(h.fundDueFen)} 元，已预付 ${formatYuan(h.prepaidFen)} 元，清算应付 ${formatYuan(h.balanceDueFen)} 元`,
    );
  for (const e of c.refused.slice(0, 10)) lines.push(`未结算：${e.message}`);
  lines.push(
    JSON.stringify({
      year: c.year,
      pointValue: c.pointValueYuan,
      hospitals: c.hospitals.map((h) => ({
        hospital: h.hospitalCode,
        stays: h.cases,
        points: h.points,
        payment: formatYuan(h.paymentFen),
        fund: formatYuan(h.fundDueFen),
        prepaid: formatYuan(h.prepaidFen),
        balance: formatYuan(h.balanceDueFen),
      })),
    }),
  );
  return lines.join("\n");
}
