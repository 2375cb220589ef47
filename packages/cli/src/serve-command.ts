/**
 * `yibao serve` (and `npm start`): the HTTP API and web console on PostgreSQL (`DATABASE_URL`) or
 * embedded PGlite (`YIBAO_DATA_DIR`, default `./data`), with the scheme resolved as everywhere else.
 * With `--demo`, the port opens at once and an empty store is then filled with the synthetic demo region,
 * which is settled and audited (what is not settled or audited yet, at every start), so every view has
 * its data; until then the API answers 503 `STARTING` and the console shows the progress. The JSON
 * request log goes to `<dataDir>/server.log` (or LOG_FILE; `-` for standard output).
 * The accounts it creates (the demo's, or without --demo an administrator, a bureau and a reviewer
 * account) get generated passwords, printed once when created and to be changed at first sign-in.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { type AuditLibraries, ensureDemoAudit } from "@yibao/audit-service";
import { consoleDb, ensureDemoAccounts, refreshCube } from "@yibao/console";
import { resolveSchemeDir } from "@yibao/grouper/load";
import { ensureDemoPayment, publishPaymentRegion } from "@yibao/payment-service";
import { type DemoAccount, type ServerPlugin, startServer, type YibaoApp } from "@yibao/server";
import type { NamedMigration, Store } from "@yibao/store";
import { type DemoRegionOptions, loadDemoRegion } from "./demo-region.js";
import { PLATFORM_MIGRATIONS, PLATFORM_SOURCES, platformPlugins } from "./platform.js";
import { describeRegionPack, openRegionPack } from "./region.js";

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
  /** Where the JSON request log goes (default env LOG_FILE, else `<dataDir>/server.log`; `-`: stdout). */
  readonly logFile?: string;
  /** The region pack's directory (its QC rule and target editions); the built-in editions without it. */
  readonly region?: string | undefined;
}

const ROLE_LABEL: Record<DemoAccount["role"], string> = {
  admin: "管理员",
  bureau: "医保局",
  reviewer: "审核员",
  hospital: "医院",
};

/**
 * Earlier versions kept the demo passwords in plain text in `<dataDir>/demo-accounts.json` to print
 * them at every start. Only hashes are kept now: the file is removed. Returns whether it was there.
 */
function removePlainTextPasswords(dataDir: string): boolean {
  const file = join(dataDir, "demo-accounts.json");
  if (!existsSync(file)) return false;
  rmSync(file, { force: true });
  return true;
}

function printAccounts(log: (line: string) => void, accounts: readonly DemoAccount[]): void {
  log(
    "已创建账号（用户名 / 初始密码 / 角色）。密码只显示这一次，数据库中只保存其散列；首次登录后须修改密码：",
  );
  for (const a of accounts) {
    log(
      `  ${a.username} / ${a.password} / ${ROLE_LABEL[a.role]}${a.hospitalCode ? `（${a.hospitalCode}）` : ""}`,
    );
  }
}

const FORGOT = "如忘记密码，请运行 yibao accounts reset-password <用户名> 重新生成";

export interface ServingPlatform {
  readonly url: string;
  /** Settles once the demo region is loaded, settled and audited (at once without --demo). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Where the server's JSON request log goes: `LOG_FILE` (`-` for standard output), else
 * `<dataDir>/server.log`, so that the terminal shows the readable Chinese lines only.
 */
function logFileOf(o: ServeOptions, dataDir: string, env = process.env): string | undefined {
  const chosen = o.logFile ?? env.LOG_FILE;
  if (chosen === "-") return undefined;
  if (chosen) return resolve(chosen);
  mkdirSync(dataDir, { recursive: true });
  return join(dataDir, "server.log");
}

export async function serve(o: ServeOptions): Promise<ServingPlatform> {
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dataDir = resolve(o.dataDir ?? process.env.YIBAO_DATA_DIR ?? "./data");
  if (removePlainTextPasswords(dataDir))
    log(`已删除 ${join(dataDir, "demo-accounts.json")}（旧版本以明文保存的演示账号密码）。${FORGOT}`);
  const logFile = logFileOf(o, dataDir);
  const showAccounts = (accounts: readonly DemoAccount[]) => {
    if (accounts.length > 0) printAccounts(log, accounts);
    else log(`账号已存在，初始密码只在创建时显示一次。${FORGOT}`);
  };
  let accounts: DemoAccount[] = [];
  const demo = o.demo;
  const region = o.region ? await openRegionPack(o.region) : undefined;
  if (region && region.problems.length > 0) {
    throw new Error(`地区配置有误，服务未启动：\n${region.problems.join("\n")}`);
  }
  if (region) log(describeRegionPack(region).trimEnd());
  const server = await startServer({
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.host !== undefined ? { host: o.host } : {}),
    ...(logFile ? { logFile } : {}),
    schemeDir: resolveSchemeDir(o.scheme),
    ...(region?.calendar ? { schemes: region.calendar } : {}),
    ...(region ? { qc: region.qc } : {}),
    ...(region?.region ? { region: region.region } : {}),
    store: {
      ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
      ...(o.dataDir ? { dataDir: o.dataDir } : {}),
      migrations: [...PLATFORM_MIGRATIONS, ...(o.migrations ?? [])],
    },
    plugins: (store) => [
      ...platformPlugins(store, {}, region?.audit ?? undefined),
      ...(typeof o.plugins === "function" ? o.plugins(store) : (o.plugins ?? [])),
    ],
    beforeListen: async (app) => {
      // The pack's payment data is published before the first request (a conflict stops the start).
      if (region?.payment) {
        const p = await publishPaymentRegion(app.yibao.store, region.payment, "region");
        log(
          `地区配置包支付数据：新发布 ${p.published.length} 个版本，已发布未变 ${p.unchanged.length} 个；医院新增 ${p.hospitals.added} 家、更新 ${p.hospitals.changed} 家`,
        );
      }
      // A new installation still needs someone who can log in: the administrator, bureau and reviewer.
      if (!demo) accounts = await ensureDemoAccounts(app.yibao.store, { hospitalCodes: [] });
    },
    // The demo is prepared once the port is open: the console shows its progress meanwhile.
    ...(demo
      ? {
          warmUp: async (app: YibaoApp, step: (text: string) => void) => {
            const say = (line: string) => {
              step(line);
              log(line);
            };
            showAccounts(await prepareDemo(app, demo, say, region?.audit ?? undefined));
          },
        }
      : {}),
  });
  if (demo) {
    log(`医保平台已启动：${server.url}`);
    log("正在准备演示数据，完成前页面显示进度");
    if (logFile) log(`请求日志写入 ${logFile}`);
  } else {
    log(`医保平台已启动：${server.url}`);
    if (logFile) log(`请求日志写入 ${logFile}`);
    showAccounts(accounts);
  }
  return server;
}

/**
 * Loads the demo region into an empty store, then settles and audits what is not settled and audited
 * yet (both idempotent, at every start), so every view has its data; returns the accounts created.
 */
async function prepareDemo(
  app: YibaoApp,
  demo: DemoRegionOptions,
  say: (line: string) => void,
  libraries: AuditLibraries | undefined,
): Promise<DemoAccount[]> {
  const { store, scheme } = app.yibao;
  let shown = 0;
  say("正在载入演示地区");
  const r = await loadDemoRegion(store, scheme, {
    ...demo,
    onProgress: (done, total) => {
      if (done - shown >= total / 10 || done === total) {
        shown = done;
        say(`正在载入演示地区：${done}/${total}`);
      }
    },
  });
  if (r.skipped) say(`数据库中已有 ${r.lists} 份结算清单，不再载入演示地区`);
  else {
    say(
      `已载入演示地区（${scheme.demo ? "演示方案" : scheme.name}）：${r.hospitals} 家医院，${r.lists} 份结算清单（入院 ${r.from} 至 ${r.to}），接收 ${r.accepted} 份、质控拒收 ${r.lists - r.accepted} 份`,
    );
  }
  say("正在结算演示地区");
  const pay = await ensureDemoPayment({ store, scheme });
  if (pay.settlement) say(`已结算演示地区 ${pay.settlement.settled} 例住院`);
  say("正在进行智能审核");
  const audit = await ensureDemoAudit({
    store,
    scheme: app.yibao.schemes,
    ...(libraries ? { libraries } : {}),
  });
  if (!audit.skipped) {
    const findings = audit.runs.reduce((n, run) => n + run.findings, 0);
    say(`已完成演示地区智能审核：${audit.runs.length} 个结算期，审核发现 ${findings} 条`);
  }
  if (!r.skipped || pay.settlement || !audit.skipped) {
    say("正在汇总指标");
    await refreshCube(consoleDb(store), PLATFORM_SOURCES);
  }
  const accounts = await ensureDemoAccounts(store);
  say("演示数据已就绪");
  return accounts;
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
