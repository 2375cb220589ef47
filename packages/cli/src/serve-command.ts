/**
 * `yibao serve` (and `npm start`): the HTTP API and web console on PostgreSQL (`DATABASE_URL`) or
 * embedded PGlite (`YIBAO_DATA_DIR`, default `./data`), with the scheme resolved as everywhere else.
 * With `--demo`, an empty store is first filled with the synthetic demo region, which is then settled
 * and audited (what is not settled or audited yet, at every start), so every view has its data.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureDemoAudit } from "@yibao/audit-service";
import { consoleDb, ensureDemoAccounts, refreshCube } from "@yibao/console";
import { resolveSchemeDir } from "@yibao/grouper/load";
import { ensureDemoPayment } from "@yibao/payment-service";
import { type DemoAccount, type ServerPlugin, startServer } from "@yibao/server";
import type { NamedMigration, Store } from "@yibao/store";
import { type DemoRegionOptions, loadDemoRegion } from "./demo-region.js";
import { PLATFORM_MIGRATIONS, platformPlugins } from "./platform.js";

export interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly scheme?: string;
  readonly dataDir?: string;
  readonly databaseUrl?: string;
  readonly plugins?: readonly ServerPlugin[] | ((store: Store) => readonly ServerPlugin[]);
  readonly migrations?: readonly NamedMigration[];
  /** Load the demo region into an empty store before serving. */
  readonly demo?: DemoRegionOptions | false;
  readonly log?: (line: string) => void;
}

const ROLE_LABEL: Record<DemoAccount["role"], string> = {
  admin: "管理员",
  bureau: "医保局",
  reviewer: "审核员",
  hospital: "医院",
};

/**
 * Demo accounts are created once with random passwords; only their hashes are in the database, so
 * the passwords are kept in `demo-accounts.json` (mode 600) in the data directory to be shown at
 * every start of the demo.
 */
function rememberDemoAccounts(dataDir: string, created: readonly DemoAccount[]): DemoAccount[] {
  const file = join(dataDir, "demo-accounts.json");
  const known: DemoAccount[] = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as DemoAccount[])
    : [];
  const all = [...known.filter((k) => !created.some((c) => c.username === k.username)), ...created];
  if (created.length > 0) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(all, null, 2), { mode: 0o600 });
  }
  return all;
}

export async function serve(o: ServeOptions): Promise<{ url: string; close(): Promise<void> }> {
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dataDir = resolve(o.dataDir ?? process.env.YIBAO_DATA_DIR ?? "./data");
  let accounts: DemoAccount[] = [];
  const server = await startServer({
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.host !== undefined ? { host: o.host } : {}),
    schemeDir: resolveSchemeDir(o.scheme),
    store: {
      ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
      ...(o.dataDir ? { dataDir: o.dataDir } : {}),
      migrations: [...PLATFORM_MIGRATIONS, ...(o.migrations ?? [])],
    },
    plugins: (store) => [
      ...platformPlugins(store),
      ...(typeof o.plugins === "function" ? o.plugins(store) : (o.plugins ?? [])),
    ],
    beforeListen: async (app) => {
      const { store, scheme } = app.yibao;
      if (!o.demo) {
        // A new installation still needs someone who can log in: the administrator, bureau and reviewer.
        const created = await ensureDemoAccounts(store, { hospitalCodes: [] });
        for (const a of created)
          log(`已创建账号 ${a.username}（${ROLE_LABEL[a.role]}），初始密码 ${a.password}，请登录后修改`);
        return;
      }
      let shown = 0;
      const r = await loadDemoRegion(store, scheme, {
        ...o.demo,
        onProgress: (done, total) => {
          if (done - shown >= total / 10 || done === total) {
            shown = done;
            log(`正在载入演示地区：${done}/${total}`);
          }
        },
      });
      if (r.skipped) log(`数据库中已有 ${r.lists} 份结算清单，不再载入演示地区`);
      else {
        log(
          `已载入演示地区（${scheme.demo ? "演示方案" : scheme.name}）：${r.hospitals} 家医院，${r.lists} 份结算清单（入院 ${r.from} 至 ${r.to}），接收 ${r.accepted} 份`,
        );
      }
      // Settle and audit what is not settled and audited yet (both idempotent), so the payment,
      // clearing and audit views have their data; then the indicator summaries.
      const pay = await ensureDemoPayment({ store, scheme });
      if (pay.settlement) log(`已结算演示地区 ${pay.settlement.settled} 例住院`);
      const audit = await ensureDemoAudit({ store, scheme });
      if (!audit.skipped) {
        const findings = audit.runs.reduce((n, r) => n + r.findings, 0);
        log(`已完成演示地区智能审核：${audit.runs.length} 个结算期，审核发现 ${findings} 条`);
      }
      if (!r.skipped || pay.settlement || !audit.skipped) await refreshCube(consoleDb(store));
      accounts = rememberDemoAccounts(dataDir, await ensureDemoAccounts(store));
    },
  });
  log(`医保平台已启动：${server.url}`);
  if (accounts.length > 0) {
    log("演示账号（用户名 / 密码 / 角色）：");
    for (const a of accounts) {
      log(
        `  ${a.username} / ${a.password} / ${ROLE_LABEL[a.role]}${a.hospitalCode ? `（${a.hospitalCode}）` : ""}`,
      );
    }
  }
  return server;
}

/** Runs until SIGINT/SIGTERM, then closes cleanly. */
export function closeOnSignals(server: { close(): Promise<void> }): void {
  const stop = async () => {
    process.stdout.write("正在停止……\n");
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
