/**
 * `npm run bench:payment`: period settlement at scale (按期结算压测), not part of `npm test`.
 *
 *   DATABASE_URL=postgres://… npm run bench:payment [-- --stays 1000000] [--base 20000] [--keep]
 *
 * On PostgreSQL only (DATABASE_URL or --database-url), in a fresh schema that is dropped afterwards
 * (unless --keep):
 * 1. Fill: a base of synthetic lists (@yibao/synth, through the normal parse → QC → group → store
 *    step), then the accepted ones copied in SQL (INSERT … SELECT over generate_series) with new
 *    setl_ids and new persons until exactly N accepted lists are stored; VACUUM ANALYZE.
 * 2. Prepare: calibration over the stored history, the demo rate policy, the Handan benefit policy and
 *    the hospitals (`ensureDemoPayment` without settling).
 * 3. Settle (timed): `settlePeriod` over the whole year — read (keyset pages), settle, write.
 * 4. Check (SQL): nothing lost (current settlements of the accepted list versions + record errors =
 *    accepted lists), the run's totals (integer sums of the per-stay parts) equal the SQL sums of the
 *    stored rows to the fen, the per hospital × period subtotals add up to them, and every row's
 *    balance = DRG payment − cost and fund = max(0, DRG payment − patient share).
 * 5. Re-run (timed): idempotent, nothing written, the same totals.
 * Peak memory is the Node process's maximum resident set size (getrusage); CPU time is the Node
 * process's plus, when the server runs on this machine, its backends' (/proc), beside the load average.
 * `--keep` keeps the schema; `--reuse SCHEMA` settles a kept schema again (no fill, settlements cleared).
 */

import { randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { ensureDemoPayment, type SettlementTotals, settlePeriod } from "@yibao/payment-service";
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

/** The SQL checks after a run; returns the lines to print, throws on any mismatch. */
async function check(db: Db, runId: number, totals: SettlementTotals, accepted: number): Promise<string[]> {
  const lines: string[] = [];
  const fail: string[] = [];
  const current = await count(
    db,
    sql<{ n: string }>`SELECT count(*) AS n FROM stay_settlement s
      JOIN settlement_list l ON l.setl_id = s.setl_id AND l.version = s.list_version AND l.status = 'accepted'`,
  );
  const errors = await count(
    db,
    sql<{ n: string }>`SELECT count(*) AS n FROM stay_settlement_error WHERE run_id = ${runId}`,
  );
  const stored = await count(db, sql<{ n: string }>`SELECT count(*) AS n FROM stay_settlement`);
  lines.push(
    `无遗漏：已接收清单 ${accepted} 份 = 当前结算 ${current} 条 + 结算错误 ${errors} 条（结算表共 ${stored} 条）`,
  );
  if (current + errors !== accepted || stored !== current) fail.push("结算条数与已接收清单数不符");

  const sums = await sql<Record<string, string>>`SELECT count(*)::text AS stays,
      sum(total_cost_fen)::text AS "totalCost", sum(drg_payment_fen)::text AS "drgPayment",
      sum(patient_share_fen)::text AS "patientShare", sum(fund_payment_fen)::text AS "fundPayment",
      sum(balance_fen)::text AS balance, sum(special_review_fen)::text AS "specialReview", sum(points)::text AS points,
      count(*) FILTER (WHERE balance_fen <> drg_payment_fen - total_cost_fen)::text AS bad_balance,
      count(*) FILTER (WHERE fund_payment_fen <> greatest(0, drg_payment_fen - patient_share_fen))::text AS bad_fund
    FROM stay_settlement`.execute(db);
  const s = sums.rows[0] ?? {};
  const sub = await sql<Record<string, string>>`SELECT count(*)::text AS groups,
      sum(stays)::text AS stays, sum(c)::text AS "totalCost", sum(d)::text AS "drgPayment", sum(p)::text AS "patientShare",
      sum(f)::text AS "fundPayment", sum(b)::text AS balance, sum(r)::text AS "specialReview", sum(pt)::text AS points
    FROM (SELECT hospital_code, period, count(*) AS stays, sum(total_cost_fen) AS c, sum(drg_payment_fen) AS d,
        sum(patient_share_fen) AS p, sum(fund_payment_fen) AS f, sum(balance_fen) AS b, sum(special_review_fen) AS r,
        sum(points) AS pt
      FROM stay_settlement GROUP BY hospital_code, period) x`.execute(db);
  const h = sub.rows[0] ?? {};
  const keys: (keyof SettlementTotals)[] = [
    "stays",
    "totalCost",
    "drgPayment",
    "patientShare",
    "fundPayment",
    "balance",
    "specialReview",
    "points",
  ];
  for (const k of keys) {
    const ok = String(totals[k]) === s[k] && s[k] === h[k];
    if (!ok) fail.push(`${k}：逐例合计 ${totals[k]}，SQL 合计 ${s[k]}，机构×期号小计之和 ${h[k]}`);
  }
  lines.push(
    `合计校验（分，逐例整数累加 = SQL 合计 = ${h.groups} 个机构×期号小计之和）：${fail.length === 0 ? "一致" : "不一致"}；` +
      `医疗总费用 ${s.totalCost}，DRG 支付 ${s.drgPayment}，个人负担 ${s.patientShare}，基金支付 ${s.fundPayment}，` +
      `结余 ${s.balance}，特病单议 ${s.specialReview}，点数 ${s.points}`,
  );
  lines.push(
    `逐例恒等式：结余 ≠ 支付 − 费用 ${s.bad_balance} 条，基金 ≠ max(0, 支付 − 个人负担) ${s.bad_fund} 条`,
  );
  if (s.bad_balance !== "0" || s.bad_fund !== "0") fail.push("逐例恒等式不成立");
  if (fail.length > 0) throw new Error(`校验失败：\n  ${fail.join("\n  ")}`);
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "database-url": { type: "string" },
      stays: { type: "string" },
      base: { type: "string" },
      batch: { type: "string" },
      keep: { type: "boolean", default: false },
      reuse: { type: "string" },
    },
  });
  const n = positiveInt(values.stays ?? process.env.BENCH_STAYS, 1_000_000, "--stays");
  const base = Math.min(n, positiveInt(values.base, 20_000, "--base"));
  const batchSize = values.batch === undefined ? undefined : positiveInt(values.batch, 5000, "--batch");
  const url = values["database-url"] ?? process.env.DATABASE_URL;
  if (!url) throw new Error("按期结算压测需要 PostgreSQL：请设置 DATABASE_URL 或 --database-url");
  // --reuse SCHEMA: a schema kept by an earlier --keep run: no fill, settlements cleared, kept again.
  const schema = values.reuse ?? `bench_pay_${randomBytes(4).toString("hex")}`;
  const keep = values.keep || values.reuse !== undefined;
  const u = new URL(url);
  u.searchParams.set("application_name", APP);
  const store = await openStore({
    databaseUrl: u.toString(),
    schema,
    migrations: PLATFORM_MIGRATIONS, // as `yibao serve`: the intake triggers of every area run
    poolSize: 4,
  });
  const db = platformDb(store);
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    log("\n已中断，正在清理……");
  };
  process.once("SIGINT", onSignal);
  try {
    log(`按期结算压测：${values.reuse ? "沿用已有清单" : `${n} 份已接收清单`}，schema ${schema}`);
    const t0 = performance.now();
    const accepted = await prepareLists(store, db, values.reuse, schema, n, base, t0);
    if (interrupted) return;
    // The periods the stored lists cover (a reused schema may hold another year than the fill's).
    const range = (
      await sql<{ lo: string; hi: string }>`SELECT min(period) AS lo, max(period) AS hi
        FROM settlement_list WHERE status = 'accepted'`.execute(db)
    ).rows[0] as { lo: string; hi: string };

    const t1 = performance.now();
    const prep = await ensureDemoPayment({
      store,
      scheme: await loadSchemeDir(DEMO_SCHEME_DIR),
      skipSettle: true,
    });
    log(
      `2. 测算权重与费率、保存政策（新建支付政策 ${prep.policyCreated ? "是" : "否"}，待遇政策 ${prep.benefitCreated ? "是" : "否"}，机构 ${prep.hospitalsMapped} 家）：${seconds(t1).toFixed(1)} 秒`,
    );
    if (interrupted) return;

    const c2 = await cpuSeconds(db);
    const t2 = performance.now();
    let shown = 0;
    const r = await settlePeriod({
      store,
      period: range.lo,
      periodTo: range.hi,
      actor: "bench",
      ...(batchSize ? { batchSize } : {}),
      onProgress: (p) => {
        if (p.done - shown >= 100_000 || p.done === p.total) {
          shown = p.done;
          process.stdout.write(`\r   ${p.period} ${p.done}/${p.total}  ${seconds(t2).toFixed(1)} 秒`);
        }
      },
    });
    const settleS = seconds(t2);
    const c3 = await cpuSeconds(db);
    process.stdout.write("\n");
    log(
      `3. 按期结算（读取+结算+写入，含合计校验）${r.settled} 例，错误 ${r.errors} 例，写入 ${r.written} 条：` +
        `${settleS.toFixed(1)} 秒，${Math.round(r.settled / settleS)} 例/秒，峰值内存 ${peakMb()} MB`,
    );
    log(
      `   ${cpuSince(c2, c3)}；负载 ${loadavg()
        .map((x) => x.toFixed(1))
        .join(" / ")}（${cpus().length} 核）`,
    );
    log(`   类别 ${JSON.stringify(r.byCategory)}，个人负担来源 ${JSON.stringify(r.shareSources)}`);

    const t3 = performance.now();
    for (const line of await check(db, r.runId, r.totals, accepted)) log(`4. ${line}`);
    log(`   校验用时 ${seconds(t3).toFixed(1)} 秒`);

    const c4 = await cpuSeconds(db);
    const t4 = performance.now();
    const again = await settlePeriod({
      store,
      period: range.lo,
      periodTo: range.hi,
      actor: "bench",
      ...(batchSize ? { batchSize } : {}),
    });
    const againS = seconds(t4);
    log(
      `5. 重复结算（幂等）${again.settled} 例，写入 ${again.written} 条：${againS.toFixed(1)} 秒，${cpuSince(c4, await cpuSeconds(db))}`,
    );
    if (again.written !== 0 || JSON.stringify(again.totals) !== JSON.stringify(r.totals)) {
      throw new Error("重复结算不幂等：有写入或合计不一致");
    }
    log(`峰值内存（Node 进程最大常驻集）${peakMb()} MB`);
  } finally {
    process.removeListener("SIGINT", onSignal);
    await store.close();
    if (keep) log(`保留 schema ${schema}（用完请 DROP SCHEMA ${schema} CASCADE）`);
    else await dropSchema(url, schema);
  }
}

main().catch((e) => {
  process.stderr.write(`错误：${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
