/**
 * CLI commands (命令行) of the audit area: `audit evaluate`, `audit run`, `audit findings`. `yibao`
 * adds them with `registerAuditCommands(program, { migrations })`.
 */

import { resolve } from "node:path";
import { yuan } from "@yibao/audit";
import { evaluateAudit, formatEvaluation } from "@yibao/audit-eval";
import { loadSchemeDir, resolveSchemeDir } from "@yibao/grouper/load";
import { isIsoDate } from "@yibao/kernel/calendar";
import { paymentMigrations } from "@yibao/payment-service/migrations";
import { openRegionSchemes, readRegionSchemes } from "@yibao/server";
import { type NamedMigration, openStore, type Store } from "@yibao/store";
import cliProgress from "cli-progress";
import { type Command, InvalidArgumentError } from "commander";
import { exportFindings } from "./export.js";
import { auditPeriod } from "./jobs.js";
import { loadAuditLibraries } from "./libraries.js";
import { publishedLibraries } from "./library-editions.js";
import { auditMigrations } from "./migrations.js";
import { parsePeriods } from "./read.js";
import { lapseOverdueFindings } from "./workflow.js";

interface StoreFlags {
  databaseUrl?: string;
  dataDir?: string;
  scheme?: string;
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new InvalidArgumentError(`${name} 须为非负整数（收到「${v}」）`);
    return n;
  };
}

function period(v: string): string {
  try {
    parsePeriods(v);
    return v;
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** The payment and audit migrations: what the audit commands need at the least. */
export const AUDIT_STORE_MIGRATIONS: readonly NamedMigration[] = [...paymentMigrations, ...auditMigrations];

/** Opens the store with the payment and audit migrations, or with the ones given. */
export async function openAuditStore(
  flags: StoreFlags,
  migrations: readonly NamedMigration[] = AUDIT_STORE_MIGRATIONS,
): Promise<Store> {
  return openStore({
    ...(flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : {}),
    ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
    migrations,
  });
}

function storeOptions(cmd: Command): Command {
  return cmd
    .option("--database-url <url>", "PostgreSQL 连接串（默认环境变量 DATABASE_URL）")
    .option("--data-dir <dir>", "PGlite 数据目录（默认环境变量 YIBAO_DATA_DIR 或 ./data）")
    .option("--scheme <dir>", "分组方案目录（默认环境变量 YIBAO_SCHEME_DIR，否则演示方案）");
}

/** `audit evaluate`: precision and recall on a generated region (last line JSON). */
function registerEvaluate(audit: Command): void {
  audit
    .command("evaluate")
    .description("生成注入违规的合成地区并审核，报告各违规类型的查准率与查全率（末行为 JSON）")
    .requiredOption("--seed <n>", "随机种子", positiveInt("--seed"))
    .requiredOption("--stays <k>", "病例数", positiveInt("--stays"))
    .option("--scheme <dir>", "分组方案目录（默认环境变量 YIBAO_SCHEME_DIR，否则演示方案）")
    .option("--no-details", "审核时不提供费用明细（只有结算清单，如未上传明细的医院）")
    .action(async (o: { seed: number; stays: number; scheme?: string; details: boolean }) => {
      const scheme = await loadSchemeDir(resolveSchemeDir(o.scheme));
      const e = evaluateAudit({ seed: o.seed, stays: o.stays, scheme, withDetails: o.details });
      process.stdout.write(`${formatEvaluation(e)}\n`);
    });
}

/** `audit lapse`: 逾期处理 of the open 可疑 findings past their response deadline. */
function registerLapse(audit: Command, migrations: readonly NamedMigration[]): void {
  storeOptions(
    audit
      .command("lapse")
      .description("逾期处理：超过医院说明期限（工作日）仍未申诉或认可的可疑审核发现，按规则库的规定处理")
      .option("--date <yyyy-MM-dd>", "按该日处理（默认今天）")
      .option("--region <dir>", "地区配置目录（规则库版本与工作日历；默认取环境变量 YIBAO_REGION_DIR）"),
  ).action(async (o: StoreFlags & { date?: string; region?: string }) => {
    if (o.date !== undefined && !isIsoDate(o.date))
      throw new Error(`--date：须为 yyyy-MM-dd（收到「${o.date}」）`);
    const regionDir = o.region ?? process.env.YIBAO_REGION_DIR;
    const problems: string[] = [];
    const libraries = regionDir ? loadAuditLibraries(regionDir, problems) : null;
    if (problems.length > 0) throw new Error(`地区配置有误，未处理：\n${problems.join("\n")}`);
    const store = await openAuditStore(o, migrations);
    try {
      const r = await lapseOverdueFindings({
        store,
        ...(o.date ? { now: new Date(`${o.date}T12:00:00+08:00`) } : {}),
        libraries: await publishedLibraries(store.db, libraries),
      });
      const lines = [
        `逾期处理：待处理可疑发现 ${r.open} 条，逾期处理 ${r.lapsed.length} 条，处理中被他人改动而跳过 ${r.skipped} 条`,
        ...r.lapsed.map(
          (l) => `  ${l.findingId}\t期限 ${l.deadline}\t${l.outcome === "upheld" ? "维持（扣款）" : "撤销"}`,
        ),
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    } finally {
      await store.close();
    }
  });
}

/**
 * Adds `audit evaluate|lapse|run|findings` to the program. `migrations`: what the commands open the store
 * with (a program serving other areas too passes all of its migrations).
 */
export function registerAuditCommands(
  program: Command,
  options: { readonly migrations?: readonly NamedMigration[] } = {},
): Command {
  const migrations = options.migrations ?? AUDIT_STORE_MIGRATIONS;
  const audit = program.command("audit").description("智能审核：质量评估、运行审核、导出审核发现");

  registerEvaluate(audit);
  registerLapse(audit, migrations);

  storeOptions(
    audit
      .command("run")
      .description("审核一个结算期（yyyy-MM，或 yyyy-MM..yyyy-MM、yyyy）的已接收清单并保存审核发现")
      .requiredOption("--period <period>", "结算期号", period)
      .option("--actor <name>", "操作人", "cli")
      .option(
        "--region <dir>",
        "地区配置目录（审核规则库与知识库的版本、分组方案切换表；默认取环境变量 YIBAO_REGION_DIR）",
      ),
  ).action(async (o: StoreFlags & { period: string; actor: string; region?: string }) => {
    const regionDir = o.region ?? process.env.YIBAO_REGION_DIR;
    const problems: string[] = [];
    const libraries = regionDir ? loadAuditLibraries(regionDir, problems) : null;
    // A pack with schemes.json: each stay is checked under the scheme that grouped it (by its date).
    const packSchemes = regionDir ? readRegionSchemes(resolve(regionDir), problems) : null;
    const calendar = packSchemes ? await openRegionSchemes(packSchemes, problems) : null;
    if (problems.length > 0) throw new Error(`地区配置有误，未审核：\n${problems.join("\n")}`);
    const scheme = calendar ?? (await loadSchemeDir(resolveSchemeDir(o.scheme)));
    const store = await openAuditStore(o, migrations);
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: "读取清单 [{bar}] {percentage}% | {value}/{total}", stream: process.stderr },
          cliProgress.Presets.shades_classic,
        )
      : null;
    let started = false;
    try {
      const r = await auditPeriod({
        store,
        scheme,
        period: o.period,
        actor: o.actor,
        libraries: await publishedLibraries(store.db, libraries),
        onProgress: (done, total) => {
          if (bar === null) return;
          if (!started) {
            bar.start(total, 0);
            started = true;
          }
          bar.update(done);
        },
      });
      bar?.stop();
      const lines = [
        `审核完成：批次 ${r.runId}，期号 ${r.periodFrom}${r.periodTo === r.periodFrom ? "" : `..${r.periodTo}`}，病例 ${r.stays} 例（回溯 ${r.historyStays} 例）`,
        `审核发现 ${r.findings} 条，基金损失 ${yuan(r.fundLossFen)} 元；无法审核 ${r.errors} 例，未定价（已按不需定价的规则审核）${r.unpriced} 例；替换待处理发现 ${r.replaced} 条，保留已进入流程的发现 ${r.keptDecided} 条`,
        ...Object.entries(r.byType).map(([t, v]) => `  ${t}\t${v.findings} 条\t${yuan(v.fundLossFen)} 元`),
        ...r.errorSamples.slice(0, 5).map((e) => `  无法审核 ${e.setlId}：${e.message}`),
        `耗时 ${(r.millis.total / 1000).toFixed(1)} s（读取 ${(r.millis.read / 1000).toFixed(1)} s，审核 ${(r.millis.audit / 1000).toFixed(1)} s，写入 ${(r.millis.write / 1000).toFixed(1)} s）`,
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    } finally {
      bar?.stop();
      await store.close();
    }
  });

  storeOptions(
    audit
      .command("findings")
      .description("导出审核发现为 Excel（.xlsx）或 CSV（.csv），中文表头")
      .requiredOption("--period <period>", "结算期号", period)
      .requiredOption("--output <file>", "输出文件 .xlsx 或 .csv")
      .option("--hospital <code>", "只导出该定点医疗机构"),
  ).action(async (o: StoreFlags & { period: string; output: string; hospital?: string }) => {
    if (!/\.(xlsx|csv)$/i.test(o.output)) {
      throw new InvalidArgumentError(`--output：导出文件须以 .xlsx 或 .csv 结尾（收到「${o.output}」）`);
    }
    const { from, to } = parsePeriods(o.period);
    const store = await openAuditStore(o, migrations);
    try {
      const n = await exportFindings(store, o.output, from, to, o.hospital);
      process.stdout.write(`已导出审核发现 ${n} 条：${o.output}\n`);
    } finally {
      await store.close();
    }
  });
  return audit;
}
