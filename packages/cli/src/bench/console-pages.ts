/**
 * `npm run bench:console`: how fast every page of the web console answers on a large region stored
 * in PostgreSQL. Loads a synthetic region of `BENCH_STAYS` lists (default 1,000,000) into its own
 * PostgreSQL schema once (later runs reuse it), settles and audits it and clears its year as
 * `yibao serve --demo` does (also once), refreshes the console's summaries, then times each read
 * endpoint the console's pages call (console, audit, special cases, clearing), as the bureau and as a
 * hospital, and prints p50 / max per page and the slowest one. `DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/test).
 */
import { ensureDemoAudit } from "@yibao/audit-service";
import { consoleDb, ensureDemoAccounts, refreshCube } from "@yibao/console";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { clearYearJob, ensureDemoPayment, getClearing, prepaidOfYear } from "@yibao/payment-service";
import { buildServer } from "@yibao/server";
import { openStore } from "@yibao/store";
import { loadDemoRegion } from "../demo-region.js";
import { PLATFORM_MIGRATIONS, PLATFORM_SOURCES, platformPlugins } from "../platform.js";

const stays = Number(process.env.BENCH_STAYS ?? 1_000_000);
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = process.env.BENCH_SCHEMA ?? `yibao_bench_console_${stays}`;
const log = (s: string) => process.stdout.write(`${s}\n`);

const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);
const t0 = performance.now();
const store = await openStore({ databaseUrl, schema, migrations: PLATFORM_MIGRATIONS, poolSize: 8 });
log(`打开数据库（含迁移）用时 ${((performance.now() - t0) / 1000).toFixed(1)} 秒`);
try {
  let t = performance.now();
  const r = await loadDemoRegion(store, scheme, {
    stays,
    onProgress: (done) => {
      if (done % 100_000 === 0)
        log(`载入 ${done}/${stays}（${Math.round(done / ((performance.now() - t) / 1000))} 份/秒）`);
    },
  });
  log(
    r.skipped
      ? `已有 ${r.lists} 份清单（模式 ${schema}）`
      : `载入 ${r.lists} 份清单用时 ${((performance.now() - t) / 1000).toFixed(0)} 秒`,
  );
  // Payment and audit of the region, as `yibao serve --demo` does (each idempotent: a kept schema
  // is not settled or audited again), and a year-end clearing, so their pages have data.
  t = performance.now();
  const pay = await ensureDemoPayment({ store, scheme });
  log(
    pay.settlement
      ? `结算 ${pay.settlement.settled} 例用时 ${((performance.now() - t) / 1000).toFixed(0)} 秒`
      : "已结算",
  );
  t = performance.now();
  const audit = await ensureDemoAudit({ store, scheme });
  log(
    audit.skipped
      ? "已审核"
      : `审核 ${audit.runs.reduce((n, x) => n + x.stays, 0)} 例（${audit.runs.reduce((n, x) => n + x.findings, 0)} 条发现）用时 ${((performance.now() - t) / 1000).toFixed(0)} 秒`,
  );
  const year = Number(r.from.slice(0, 4));
  if (!(await getClearing(store, year))) {
    const prepaid = await prepaidOfYear(store, year);
    await clearYearJob({ store, year, budget: Math.max(1, prepaid.fundPaymentFen), actor: "bench" });
    log(`${year} 年已清算`);
  }
  t = performance.now();
  if (process.env.BENCH_SKIP_REFRESH === "1") log("跳过指标汇总刷新（BENCH_SKIP_REFRESH=1）");
  else {
    await refreshCube(consoleDb(store), PLATFORM_SOURCES);
    log(`指标汇总刷新用时 ${((performance.now() - t) / 1000).toFixed(1)} 秒`);
  }
  const passwords = { bureau: "bench-fund-office-1", hospital: "bench-ward-desk-1" };
  await ensureDemoAccounts(store, { passwords });
  const app = await buildServer({ store, scheme, plugins: platformPlugins(store, { checkIntervalMs: 0 }) });
  const login = async (username: string, password: string) => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username, password },
    });
    if (res.statusCode !== 200)
      throw new Error(`登录 ${username} 失败：${res.body}（已有账号的密码不同？删除模式 ${schema} 后重试）`);
    return String(res.headers["set-cookie"]).split(";")[0] as string;
  };
  const bureau = await login("bureau", passwords.bureau);
  const hospital = await login("hospital", passwords.hospital);
  const meta = JSON.parse(
    (await app.inject({ url: "/api/v1/console/meta", headers: { cookie: bureau } })).body,
  ) as {
    periods?: string[];
  };
  const periods = meta.periods ?? [];
  const last = periods[periods.length - 1] ?? "";
  const first = periods[0] ?? "";
  const anyHospital = (
    JSON.parse((await app.inject({ url: "/api/v1/console/ranking", headers: { cookie: bureau } })).body) as {
      rows?: { key?: string; code?: string; hospital?: string }[];
    }
  ).rows?.[0];
  const h = anyHospital?.code ?? anyHospital?.hospital ?? anyHospital?.key ?? "";
  const someList = (
    JSON.parse(
      (await app.inject({ url: "/api/v1/console/lists?limit=1", headers: { cookie: hospital } })).body,
    ) as { rows?: { setlId?: string }[] }
  ).rows?.[0]?.setlId;
  const someRule =
    (
      JSON.parse(
        (await app.inject({ url: "/api/v1/console/qc/rules", headers: { cookie: bureau } })).body,
      ) as {
        rows?: { ruleId?: string }[];
      }
    ).rows?.[0]?.ruleId ?? "QC-TIME-001";
  const someFinding =
    (
      JSON.parse(
        (await app.inject({ url: "/api/v1/audit/findings?limit=1", headers: { cookie: bureau } })).body,
      ) as { items?: { findingId?: string }[] }
    ).items?.[0]?.findingId ?? "none";
  // The list page asks for 1,000 rows with its filters; every page loads /meta first.
  const pages: [string, string, string][] = [
    ["元数据（每页）", "/api/v1/console/meta", bureau],
    ["区域概览", "/api/v1/console/overview", bureau],
    ["区域概览（单月）", `/api/v1/console/overview?periodFrom=${last}&periodTo=${last}`, bureau],
    ["医院排名", "/api/v1/console/ranking", bureau],
    ["医院下钻：科室", `/api/v1/console/breakdown?hospital=${h}&dim=dept`, bureau],
    ["医院下钻：医师", `/api/v1/console/breakdown?hospital=${h}&dim=physician`, bureau],
    ["医院下钻：病组", `/api/v1/console/breakdown?hospital=${h}&dim=drg`, bureau],
    ["医院下钻：月份", `/api/v1/console/breakdown?hospital=${h}&dim=period`, bureau],
    ["质控问题", "/api/v1/console/qc/rules", bureau],
    ["清单查询", "/api/v1/console/lists", bureau],
    ["清单查询（页面，1000 行）", "/api/v1/console/lists?limit=1000", bureau],
    ["清单查询（有质控问题）", "/api/v1/console/lists?limit=1000&hasFindings=true", bureau],
    ["清单查询（无质控问题）", "/api/v1/console/lists?limit=1000&hasFindings=false", bureau],
    ["清单查询（按规则）", `/api/v1/console/lists?limit=1000&ruleId=${someRule}`, bureau],
    ["清单查询（已拒收）", "/api/v1/console/lists?limit=1000&status=refused", bureau],
    [
      "清单查询（检索结算ID前缀）",
      `/api/v1/console/lists?limit=1000&q=${someList?.slice(0, 8) ?? "S"}`,
      bureau,
    ],
    ["清单查询（检索结算ID）", `/api/v1/console/lists?limit=1000&q=${someList ?? "S"}`, bureau],
    ["清单查询（按病组）", "/api/v1/console/lists?limit=1000&drg=ES35", bureau],
    [
      "清单查询（按月按病组）",
      `/api/v1/console/lists?periodFrom=${first}&periodTo=${first}&drg=ES35`,
      bureau,
    ],
    ["申诉", "/api/v1/console/appeals", bureau],
    ["操作日志", "/api/v1/console/oplog", bureau],
    ["医院：本院概览", "/api/v1/console/overview", hospital],
    ["医院：科室盈亏", "/api/v1/console/breakdown?dim=dept", hospital],
    ["医院：元数据", "/api/v1/console/meta", hospital],
    ["医院：本院清单", "/api/v1/console/lists", hospital],
    ["医院：本院清单（页面，1000 行）", "/api/v1/console/lists?limit=1000", hospital],
    ["医院：清单详情", `/api/v1/console/lists/${someList ?? "none"}`, hospital],
    ["医院：质控问题", "/api/v1/console/qc/rules", hospital],
    ["医院：申诉", "/api/v1/console/appeals", hospital],
    ["智能审核队列", "/api/v1/audit/findings?limit=1000", bureau],
    ["智能审核（按类型）", "/api/v1/audit/findings?limit=1000&type=upcoding_secondary", bureau],
    ["智能审核（待复核）", "/api/v1/audit/findings?limit=1000&status=appealed", bureau],
    ["审核发现详情", `/api/v1/audit/findings/${encodeURIComponent(someFinding)}`, bureau],
    ["审核元数据", "/api/v1/audit/meta", bureau],
    ["特病单议：高倍率病例", "/api/v1/payment/settlements?outlier=high&pageSize=500", bureau],
    ["特病单议：已核准", "/api/v1/payment/special-cases", bureau],
    ["年终清算", `/api/v1/payment/clearing/${year}`, bureau],
    ["年终清算：按年度预付填入预算（操作）", `/api/v1/payment/clearing/${year}/prepaid`, bureau],
    ["医院：审核发现", "/api/v1/audit/findings?limit=1000&status=open", hospital],
    ["医院：清算单", `/api/v1/payment/clearing/${year}`, hospital],
    ["接口：清单查询", "/api/v1/settlement-lists?limit=50", bureau],
    ["接口：质控指标", "/api/v1/qc/indicators", bureau],
  ];
  const rows: { page: string; p50: number; max: number; status: number }[] = [];
  for (const [page, url, cookie] of pages) {
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const res = await app.inject({ url, headers: { cookie } });
      times.push(performance.now() - t0);
      status = res.statusCode;
    }
    times.sort((a, b) => a - b);
    rows.push({ page, p50: times[3] as number, max: times[6] as number, status });
  }
  for (const r of rows)
    log(
      `${r.page.padEnd(16, "　")} HTTP ${r.status}  中位 ${r.p50.toFixed(0)} 毫秒  最长 ${r.max.toFixed(0)} 毫秒`,
    );
  const worst = rows.reduce((a, b) => (b.p50 > a.p50 ? b : a));
  log(
    `最慢页面：${worst.page}，中位 ${worst.p50.toFixed(0)} 毫秒（${stays.toLocaleString()} 份清单，PostgreSQL）`,
  );
  await app.close();
} finally {
  await store.close();
}
