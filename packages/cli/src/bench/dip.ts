/**
 * `npm run bench:dip`: DIP payment at scale (DIP 付费压测), not part of `npm test`.
 *
 *   DATABASE_URL=postgres://… npm run bench:dip [-- --stays 1000000] [--keep | --reuse SCHEMA]
 *
 * On PostgreSQL only, in a fresh schema filled as `bench:payment` fills it (or a kept one):
 * 1. Lists: N accepted lists (or those of the kept schema).
 * 2. Prepare: the DIP catalogue calibrated from the stored year (core groups from 15 cases, the rest
 *    comprehensive), a DIP policy built from it (level factors 三级 1.0 / 二级 0.9 / 一级 0.8, deviation
 *    at 2× and 0.5×, level coefficients 1.0 / 0.95 / 0.9, prepayment at a 预算点值 and 90 %), and every
 *    hospital switched to DIP.
 * 3. Prepay (timed): the year's busiest month, stored.
 * 4. Clear (timed): the whole year from a budget of 95 % of the priced stays' total cost — read the
 *    lists, group them against the policy, points with deviation cases and coefficients, the point
 *    value, hospital payments, one row per stay stored.
 * 5. Check (SQL): stored stays + unpriced = lists read = accepted lists of the year; the stays'
 *    payments sum to their hospital's and the hospitals' to the pool, to the fen; fund = payment −
 *    patient paid on every row.
 * Reports wall time, stays/s, peak RSS and CPU time (Node + PostgreSQL backends).
 */

import { randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import {
  calibrate,
  clearDipYearJob,
  ensureDemoPayment,
  loadPaymentHospitals,
  paymentDb,
  prepayDipMonthJob,
  SINCE_ALWAYS,
  saveDipPolicyFromCatalogue,
  writeHospitalEditions,
} from "@yibao/payment-service";
import { dropSchema, openStore } from "@yibao/store";
import { sql } from "kysely";
import { PLATFORM_MIGRATIONS, platformDb } from "../platform.js";
import {
  APP,
  count,
  cpuSeconds,
  cpuSince,
  type Db,
  log,
  peakMb,
  positiveInt,
  prepareLists,
  seconds,
} from "./pay-common.js";

/** Step 2: the catalogue from the year, a policy from it, every hospital paid by DIP. */
/** Every hospital paid by DIP from the start: the bench's master-data edition, in force since always. */
async function allToDip(store: Awaited<ReturnType<typeof openStore>>): Promise<void> {
  const drg = [...(await loadPaymentHospitals(store)).values()].filter((h) => h.paymentMethod !== "dip");
  await writeHospitalEditions(
    paymentDb(store),
    drg.map((h) => ({ ...h, effectiveFrom: SINCE_ALWAYS, paymentMethod: "dip" as const })),
    { actor: "bench", reason: "基准测试：全部机构改为 DIP 付费", source: "api" },
  );
}

async function prepareDip(store: Awaited<ReturnType<typeof openStore>>, year: string): Promise<void> {
  await ensureDemoPayment({ store, scheme: await loadSchemeDir(DEMO_SCHEME_DIR), skipSettle: true });
  const cal = await calibrate({
    store,
    periodFrom: `${year}-01`,
    periodTo: `${year}-12`,
    id: "bench-dip-weights",
    version: randomBytes(3).toString("hex"),
    effectiveFrom: `${year}-01-01`,
    schemeId: "demo",
    dip: { id: "bench-dip", version: year, coreMinCases: 15 },
    actor: "bench",
  });
  if (cal.dip === null) throw new Error("DIP 病种目录未生成");
  const policy = await saveDipPolicyFromCatalogue(
    store,
    {
      id: "bench-dip",
      version: `${year}-${randomBytes(3).toString("hex")}`,
      effectiveFrom: `${year}-01-01`,
      effectiveTo: `${year}-12-31`,
      fromCatalogue: { id: cal.dip.id, version: cal.dip.version },
      levelFactors: { 三级: "1.0", 二级: "0.9", 一级: "0.8" },
      veryHighAtLeast: "2",
      veryLowAtMost: "0.5",
      budgetBasis: "totalCost",
      coefficients: { byLevel: { 三级: "1.0", 二级: "0.95", 一级: "0.9" } },
      // 预算点值: the catalogue's scale makes one point about 1/1000 of the reference cost.
      prepayment: { pointValue: "10", ratio: "0.9" },
    },
    "bench",
  );
  await allToDip(store);
  log(
    `2. DIP 病种目录 ${cal.dip.id}@${cal.dip.version}（${cal.cases} 例测算），付费政策 ${policy.saved.id}@${policy.saved.version}：` +
      `${policy.groups} 个病种，${policy.skipped.length} 个无分值；全部机构改为 DIP 付费`,
  );
}

/** Step 5: nothing lost, every sum to the fen. */
async function checkDip(db: Db, year: number, lists: number, poolFen: number): Promise<string[]> {
  const accepted = await count(
    db,
    sql<{ n: string }>`SELECT count(*) AS n FROM settlement_list WHERE status = 'accepted'
      AND dscg_date >= ${`${year}-01-01`}::date AND dscg_date < ${`${year + 1}-01-01`}::date`,
  );
  if (accepted !== lists) throw new Error(`读取清单 ${lists} ≠ 当年已接收清单 ${accepted}`);
  const r = await sql<{ stays: string; unpriced: string; pay: string; bad_fund: string; bad_sum: string }>`
    SELECT (SELECT count(*) FROM dip_stay_points WHERE year = ${year}) AS stays,
      (SELECT COALESCE(sum(unpriced), 0) FROM dip_clearing_statement WHERE year = ${year}) AS unpriced,
      (SELECT COALESCE(sum(payment_fen), 0) FROM dip_clearing_statement WHERE year = ${year}) AS pay,
      (SELECT count(*) FROM dip_stay_points WHERE year = ${year} AND fund_fen <> payment_fen - patient_paid_fen) AS bad_fund,
      (SELECT count(*) FROM dip_clearing_statement c WHERE c.year = ${year} AND c.payment_fen <>
        (SELECT COALESCE(sum(p.payment_fen), 0) FROM dip_stay_points p WHERE p.year = c.year AND p.hospital_code = c.hospital_code)) AS bad_sum`.execute(
    db,
  );
  const x = r.rows[0] as { stays: string; unpriced: string; pay: string; bad_fund: string; bad_sum: string };
  const stays = Number(x.stays);
  const unpriced = Number(x.unpriced);
  if (stays + unpriced > lists) throw new Error(`逐例 ${stays} + 无分值 ${unpriced} > 读取清单 ${lists}`);
  if (Number(x.pay) !== poolFen) throw new Error(`各院 DIP 支付合计 ${x.pay} ≠ 按分值支付总额 ${poolFen}`);
  if (Number(x.bad_fund) !== 0 || Number(x.bad_sum) !== 0)
    throw new Error(`基金应付不等于支付−个人负担 ${x.bad_fund} 例；医院支付不等于逐例之和 ${x.bad_sum} 家`);
  return [
    `逐例 ${stays} 例 + 病种无分值 ${unpriced} 例 + 其他未结算 ${lists - stays - unpriced} 例 = 当年已接收清单 ${lists} 份`,
    `各院 DIP 支付合计 = 按分值支付总额 ${poolFen} 分；每家医院 = 其逐例之和；每例 基金应付 = 支付 − 个人负担`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "database-url": { type: "string" },
      stays: { type: "string" },
      base: { type: "string" },
      keep: { type: "boolean", default: false },
      reuse: { type: "string" },
    },
  });
  const n = positiveInt(values.stays ?? process.env.BENCH_STAYS, 1_000_000, "--stays");
  const base = Math.min(n, positiveInt(values.base, 20_000, "--base"));
  const url = values["database-url"] ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DIP 压测需要 PostgreSQL：请设置 DATABASE_URL 或 --database-url");
  const schema = values.reuse ?? `bench_dip_${randomBytes(4).toString("hex")}`;
  const keep = values.keep || values.reuse !== undefined;
  const u = new URL(url);
  u.searchParams.set("application_name", APP);
  const store = await openStore({
    databaseUrl: u.toString(),
    schema,
    migrations: PLATFORM_MIGRATIONS,
    poolSize: 4,
  });
  const db = platformDb(store);
  try {
    log(`DIP 付费压测：${values.reuse ? "沿用已有清单" : `${n} 份已接收清单`}，schema ${schema}`);
    const t0 = performance.now();
    const accepted = await prepareLists(store, db, values.reuse, schema, n, base, t0);
    const busiest = (
      await sql<{ period: string }>`SELECT to_char(dscg_date, 'YYYY-MM') AS period FROM settlement_list
        WHERE status = 'accepted' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`.execute(db)
    ).rows[0]?.period;
    if (busiest === undefined) throw new Error("没有已接收清单");
    const year = Number(busiest.slice(0, 4));
    const t1 = performance.now();
    // A kept schema already prepared by an earlier run keeps its catalogue, policy and DIP hospitals.
    const prepared = await count(db, sql<{ n: string }>`SELECT count(*) AS n FROM dip_payment_policy`);
    if (values.reuse !== undefined && prepared > 0) {
      await allToDip(store);
      log("2. 沿用已保存的 DIP 病种目录与付费政策；全部机构改为 DIP 付费");
    } else await prepareDip(store, String(year));
    log(`   准备用时 ${seconds(t1).toFixed(1)} 秒（已接收清单 ${accepted} 份）`);

    const c2 = await cpuSeconds(db);
    const t2 = performance.now();
    const pre = await prepayDipMonthJob({ store, period: busiest, actor: "bench" });
    const preS = seconds(t2);
    log(
      `3. 月度预付 ${busiest}：清单 ${pre.lists} 份，${pre.hospitals.length} 家机构：${preS.toFixed(1)} 秒，` +
        `${Math.round(pre.lists / preS)} 例/秒；${cpuSince(c2, await cpuSeconds(db))}`,
    );

    const cost = await sql<{ fen: string }>`SELECT COALESCE(sum(total_fee_fen), 0) AS fen FROM settlement_list
      WHERE status = 'accepted' AND dscg_date >= ${`${year}-01-01`}::date AND dscg_date < ${`${year + 1}-01-01`}::date`.execute(
      db,
    );
    const budgetFen = Math.round(Number(cost.rows[0]?.fen ?? 0) * 0.95);
    const c3 = await cpuSeconds(db);
    const t3 = performance.now();
    const c = await clearDipYearJob({ store, year, budgetFen, actor: "bench" });
    const clearS = seconds(t3);
    const stays = c.hospitals.reduce((s, h) => s + h.cases, 0);
    log(
      `4. DIP 年度清算 ${year}：读取清单 ${c.lists} 份，结算 ${stays} 例，清算点值 ${c.pointValueYuan} 元/分：` +
        `${clearS.toFixed(1)} 秒，${Math.round(c.lists / clearS)} 例/秒，峰值内存 ${peakMb()} MB`,
    );
    log(
      `   ${cpuSince(c3, await cpuSeconds(db))}；负载 ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" / ")}（${cpus().length} 核）`,
    );
    const t4 = performance.now();
    for (const line of await checkDip(db, year, c.lists, c.poolFen)) log(`5. ${line}`);
    log(`   校验用时 ${seconds(t4).toFixed(1)} 秒；峰值内存（Node 进程最大常驻集）${peakMb()} MB`);
  } finally {
    await store.close();
    if (keep) log(`保留 schema ${schema}（用完请 DROP SCHEMA ${schema} CASCADE）`);
    else await dropSchema(url, schema);
  }
}

main().catch((e) => {
  process.stderr.write(`错误：${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
