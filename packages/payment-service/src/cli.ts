/**
 * CLI commands (命令行): `examples seed-002` and `payment calibrate|settle|clear|statement`, added to
 * the `yibao` program by `registerPaymentCommands`.
 */
import { writeFile } from "node:fs/promises";
import type { DrgScheme } from "@yibao/grouper";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { formatSeed002Report, formatYuan } from "@yibao/payment";
import type { NamedMigration } from "@yibao/store";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { calibrate, calibrateDip } from "./calibrate.js";
import { clearYearJob } from "./clearing.js";
import { dipClearYear, dipPrepayMonth, registerDipCommands } from "./cli-dip.js";
import { type Open, opener, run, type StoreFlags, storeOptions, yuanOption } from "./cli-shared.js";
import { computeHospitalCoefficients } from "./coefficients.js";
import { paymentMigrations } from "./migrations.js";
import { PaymentInputError, parsePeriodRange, periodsBetween } from "./repo.js";
import { allMatch, runSeed002Dir } from "./seed002.js";
import { settlePeriod } from "./settle-period.js";
import { clearingStatement, formatOf, render, settlementStatement } from "./statements.js";

/** Options of {@link registerPaymentCommands}. */
export interface PaymentCommandOptions {
  /**
   * The migrations the commands open the store with (default: the payment tables). A program that
   * also serves other areas passes all of its migrations, so every command opens the same database.
   */
  readonly migrations?: readonly NamedMigration[];
  /** Default directory of `examples seed-002` (default `examples/seed-002` under the working directory). */
  readonly examplesDir?: string;
  /** Default directory of `examples dip` (default `examples/dip` under the working directory). */
  readonly dipExamplesDir?: string;
}

async function scheme(flags: StoreFlags): Promise<DrgScheme> {
  return loadSchemeDir(flags.scheme ?? process.env.YIBAO_SCHEME_DIR ?? DEMO_SCHEME_DIR);
}

/** `yibao examples seed-002` and `yibao examples dip`. */
function registerPaymentExamples(program: Command, options: PaymentCommandOptions): void {
  const examples =
    program.commands.find((c) => c.name() === "examples") ??
    program.command("examples").description("运行随附示例");
  examples
    .command("seed-002")
    .description("种子 002 示例：每例按上传与更正两种方式结算，打印基金损失")
    .option("--dir <dir>", "示例目录", options.examplesDir ?? "examples/seed-002")
    .action(async (o: { dir: string }) =>
      run(async () => {
        const results = await runSeed002Dir(o.dir);
        process.stdout.write(`${formatSeed002Report(results)}\n`);
        if (!allMatch(results)) {
          process.stderr.write(
            results.length === 0 ? `目录 ${o.dir} 中没有示例文件\n` : "有示例与预期基金损失不符\n",
          );
          process.exitCode = 1;
        }
      }),
    );

  examples
    .command("dip")
    .description(
      "DIP 示例：按病种分值结算一年（偏差病例、机构系数、由预算得点值），打印各医院分值、支付与基金应支付",
    )
    .option("--dir <dir>", "示例目录", options.dipExamplesDir ?? "examples/dip")
    .action(async (o: { dir: string }) =>
      run(async () => {
        const { formatDipExample, runDipExample } = await import("./dip-example.js");
        const r = await runDipExample(o.dir);
        process.stdout.write(`${formatDipExample(r)}\n`);
        if (r.refused.length > 0) process.exitCode = 1;
      }),
    );
}

/** `yibao payment calibrate`: RW (and rate) from history, saved as new versions. */
function registerCalibrate(payment: Command, open: Open): void {
  storeOptions(payment.command("calibrate").description("由历史结算清单测算病组权重(与费率)，保存为新版本"))
    .requiredOption("--period <range>", "历史期号 yyyy-MM 或 yyyy-MM..yyyy-MM")
    .requiredOption("--id <id>", "权重表编号")
    .requiredOption("--version <version>", "权重表版本")
    .requiredOption("--effective-from <date>", "生效日期 yyyy-MM-dd")
    .option("--min-cases <n>", "最低病例数", "5")
    .option("--iqr <k>", "IQR 剔除系数 k", "1.5")
    .option("--budget <yuan>", "按预算测算费率(元)")
    .option("--scheme <dir>", "分组方案目录（默认 YIBAO_SCHEME_DIR 或演示方案）")
    .option(
      "--method <drg|dip>",
      "drg：病组权重表；dip：DIP 病种目录（--id/--version 为目录的编号与版本）",
      "drg",
    )
    .option("--core-min-cases <n>", "DIP 核心病种最低病例数（--method dip）", "5")
    .action(async (o: StoreFlags & Record<string, string>) =>
      run(async () => {
        const range = parsePeriodRange(o.period as string);
        if (methodOf(o.method) === "dip") return calibrateDipCommand(open, o, range);
        const s = await scheme(o);
        const store = await open(o);
        try {
          const r = await calibrate({
            store,
            periodFrom: range.from,
            periodTo: range.to,
            id: o.id as string,
            version: o.version as string,
            effectiveFrom: o.effectiveFrom as string,
            schemeId: s.id,
            drgNames: new Map(s.drgs.map((d) => [d.code, d.name])),
            minCases: Number(o.minCases),
            trim: { kind: "iqr", k: Math.round(Number(o.iqr) * 1_000_000) },
            ...(o.budget ? { budget: yuanOption(o.budget, "--budget") } : {}),
            actor: "cli",
          });
          process.stdout.write(
            `已保存病组权重表 ${r.weights.id}@${r.weights.version}：${r.cases} 例，${r.groups} 个病组，` +
              `${r.flagged.length} 个病组病例数不足未赋权重${r.rate !== null ? `，测算费率 ${formatYuan(r.rate)} 元` : ""}\n`,
          );
        } finally {
          await store.close();
        }
      }),
    );
}

/** `--method`: drg (default) or dip, anything else refused by name. */
function methodOf(v: string | undefined): "drg" | "dip" {
  const m = (v ?? "drg").toLowerCase();
  if (m !== "drg" && m !== "dip") throw new PaymentInputError(`--method：须为 drg 或 dip（收到「${v}」）`);
  return m;
}

/** `payment calibrate --method dip`: the DIP catalogue only, stored as a new version. */
async function calibrateDipCommand(
  open: Open,
  o: StoreFlags & Record<string, string>,
  range: { from: string; to: string },
): Promise<void> {
  const coreMinCases = Number(o.coreMinCases);
  if (!Number.isInteger(coreMinCases) || coreMinCases < 1)
    throw new PaymentInputError(`--core-min-cases：须为正整数（收到「${o.coreMinCases}」）`);
  const store = await open(o);
  try {
    const r = await calibrateDip({
      store,
      periodFrom: range.from,
      periodTo: range.to,
      effectiveFrom: o.effectiveFrom as string,
      trim: { kind: "iqr", k: Math.round(Number(o.iqr) * 1_000_000) },
      dip: { id: o.id as string, version: o.version as string, coreMinCases },
      actor: "cli",
    });
    process.stdout.write(
      `已保存 DIP 病种目录 ${r.catalogue.id}@${r.catalogue.version}：${r.cases} 例，${r.groups} 个病种（作业 ${r.runId}）\n`,
    );
  } finally {
    await store.close();
  }
}

/** `yibao payment settle`: a period's settlement run, with a progress bar on a terminal. */
function registerSettle(payment: Command, open: Open): void {
  storeOptions(payment.command("settle").description("按期结算已接收的结算清单"))
    .requiredOption("--period <range>", "期号 yyyy-MM 或 yyyy-MM..yyyy-MM")
    .option("--policy <id[@version]>", "指定支付政策（--method dip 时为 DIP 付费政策）")
    .option("--method <drg|dip>", "drg：DRG 按期结算；dip：DIP 机构逐月月度预付", "drg")
    .action(async (o: StoreFlags & { period: string; policy?: string; method?: string }) =>
      run(async () => {
        const range = parsePeriodRange(o.period);
        if (methodOf(o.method) === "dip") {
          for (const period of periodsBetween(range.from, range.to))
            await dipPrepayMonth(open, { ...o, period, ...(o.policy ? { dipPolicy: o.policy } : {}) });
          return;
        }
        const store = await open(o);
        const bar = process.stdout.isTTY
          ? new cliProgress.SingleBar(
              { format: "结算 {period} [{bar}] {value}/{total} 例 | 错误 {errors}", hideCursor: true },
              cliProgress.Presets.shades_classic,
            )
          : null;
        let started = false;
        try {
          const [pid, pver] = (o.policy ?? "").split("@");
          const r = await settlePeriod({
            store,
            period: range.from,
            periodTo: range.to,
            ...(pid ? { policy: { id: pid, ...(pver ? { version: pver } : {}) } } : {}),
            actor: "cli",
            onProgress: (p) => {
              if (!bar) return;
              if (!started) {
                bar.start(p.total, 0, { period: p.period, errors: 0 });
                started = true;
              }
              bar.update(p.done, { period: p.period, errors: p.errors });
            },
          });
          bar?.stop();
          const t = r.totals;
          process.stdout.write(
            `结算完成（作业 ${r.runId}）：${r.settled} 例，写入 ${r.written} 条，错误 ${r.errors} 例，用时 ${(r.milliseconds / 1000).toFixed(1)} 秒\n` +
              `医疗总费用 ${formatYuan(t.totalCost)} 元，DRG 支付 ${formatYuan(t.drgPayment)} 元，医保基金支付 ${formatYuan(t.fundPayment)} 元，` +
              `个人负担 ${formatYuan(t.patientShare)} 元，结余/超支 ${formatYuan(t.balance)} 元\n`,
          );
          for (const e of r.errorSamples.slice(0, 10))
            process.stdout.write(`  ${e.setlId} ${e.field}：${e.message}\n`);
        } finally {
          bar?.stop();
          await store.close();
        }
      }),
    );
}

/** `yibao payment clear`: the year-end clearing. */
function registerClear(payment: Command, open: Open): void {
  storeOptions(payment.command("clear").description("点数法年终清算"))
    .requiredOption("--year <yyyy>", "清算年度")
    .requiredOption(
      "--budget <yuan>",
      "年度预算(元)；口径由支付政策的 clearing.budgetBasis 决定：fund 为统筹基金预算，totalPayment 为医保支付总额(含个人负担)",
    )
    .option("--policy <id[@version]>", "指定支付政策(清算规则)；--method dip 时为 DIP 付费政策")
    .option("--method <drg|dip>", "drg：点数法年终清算；dip：DIP 年度清算（同 dip-clear）", "drg")
    .option("--output <file>", "DIP 逐例明细 .xlsx 或 .csv（--method dip）")
    .action(
      async (
        o: StoreFlags & { year: string; budget: string; policy?: string; method?: string; output?: string },
      ) =>
        run(async () => {
          if (methodOf(o.method) === "dip") {
            const { policy, method: _m, ...rest } = o;
            return dipClearYear(open, { ...rest, ...(policy ? { dipPolicy: policy } : {}) });
          }
          const store = await open(o);
          try {
            const [pid, pver] = (o.policy ?? "").split("@");
            const r = await clearYearJob({
              store,
              year: Number(o.year),
              budget: yuanOption(o.budget, "--budget"),
              ...(pid ? { policy: { id: pid, ...(pver ? { version: pver } : {}) } } : {}),
              actor: "cli",
            });
            process.stdout.write(
              `${r.year} 年清算完成（作业 ${r.runId}）：${r.hospitals.length} 家机构，点值 ${r.pointValueYuan} 元/点\n`,
            );
            for (const h of r.hospitals) {
              process.stdout.write(
                `  ${h.hospitalId} 支付 ${formatYuan(h.payment)} 扣款 ${formatYuan(h.deductions)} 清算后应得 ${formatYuan(h.settled)} 补拨/扣回 ${formatYuan(h.balanceDue)}\n`,
              );
            }
            for (const d of r.rejectedDeductions)
              process.stdout.write(`  未执行扣款 ${d.hospitalId} ${formatYuan(d.amount)}：${d.rule}\n`);
          } finally {
            await store.close();
          }
        }),
    );
}

/** `yibao payment statement`: settlement or clearing statements as Excel/CSV. */
function registerStatement(payment: Command, open: Open): void {
  storeOptions(
    payment
      .command("statement")
      .description("导出结算单(--kind settlement)或清算单(--kind clearing)为 Excel/CSV"),
  )
    .requiredOption("--year <yyyy>", "年度")
    .option("--hospital <code>", "定点医疗机构编号（结算单必填）")
    .option("--kind <kind>", "settlement 或 clearing", "settlement")
    .requiredOption("--output <file>", "输出文件 .xlsx 或 .csv")
    .action(async (o: StoreFlags & { year: string; hospital?: string; kind: string; output: string }) =>
      run(async () => {
        const format = formatOf(o.output);
        const year = Number(o.year);
        if (!Number.isInteger(year)) throw new PaymentInputError(`--year：须为四位年份（收到「${o.year}」）`);
        if (o.kind !== "settlement" && o.kind !== "clearing")
          throw new PaymentInputError("--kind：须为 settlement 或 clearing");
        if (o.kind === "settlement" && !o.hospital)
          throw new PaymentInputError("导出结算单须给出 --hospital");
        const store = await open(o);
        try {
          const t =
            o.kind === "settlement"
              ? await settlementStatement(store, year, o.hospital as string)
              : await clearingStatement(store, year, o.hospital);
          await writeFile(o.output, await render(t, format));
          process.stdout.write(`已导出 ${t.title}：${o.output}（${t.rows.length} 行）\n`);
        } finally {
          await store.close();
        }
      }),
    );
}

/** `yibao payment coefficients`: hospital coefficients from a base period by the policy's formula. */
function registerCoefficients(payment: Command, open: Open): void {
  storeOptions(
    payment
      .command("coefficients")
      .description(
        "医院系数测算：按基期已接收清单的成本、人次人头比与 CMI，用支付政策的测算公式计算各医院系数",
      ),
  )
    .requiredOption("--period <yyyy-MM[..yyyy-MM]>", "基期")
    .requiredOption("--policy <id[@version]>", "含 coefficientFormula 的支付政策")
    .option("--save-version <version>", "另存为该政策的新版本（医院系数为测算结果）")
    .option("--effective-from <yyyy-MM-dd>", "新版本生效日期（与 --save-version 同用）")
    .action(
      async (
        o: StoreFlags & { period: string; policy: string; saveVersion?: string; effectiveFrom?: string },
      ) =>
        run(async () => {
          const range = parsePeriodRange(o.period);
          const [id = "", version] = o.policy.split("@");
          if ((o.saveVersion === undefined) !== (o.effectiveFrom === undefined))
            throw new PaymentInputError("--save-version 与 --effective-from 须同时给出");
          const store = await open(o);
          try {
            const r = await computeHospitalCoefficients({
              store,
              periodFrom: range.from,
              periodTo: range.to,
              policy: { id, ...(version ? { version } : {}) },
              ...(o.saveVersion && o.effectiveFrom
                ? { save: { version: o.saveVersion, effectiveFrom: o.effectiveFrom } }
                : {}),
              actor: "cli",
            });
            process.stdout.write(
              `医院系数测算（${r.policy.id}@${r.policy.version}，基期 ${r.periods[0]}–${r.periods[r.periods.length - 1]}，${r.cases} 例）：` +
                `全市人次人头比 ${r.regional.admissionsPerPatient}，CMI ${r.regional.cmi}\n`,
            );
            for (const h of r.hospitals)
              process.stdout.write(
                `  ${h.hospitalCode}（${h.level}）${h.cases} 例：成本系数 ${h.costIndex}，人次人头比 ${h.admissionsPerPatient}，CMI ${h.cmi} → 医院系数 ${h.coefficient}\n`,
              );
            for (const s of r.skipped) process.stdout.write(`  ${s.hospitalCode} 未测算：${s.reason}\n`);
            if (r.saved)
              process.stdout.write(
                `已另存为支付政策 ${r.saved.id}@${r.saved.version}（${r.saved.effectiveFrom} 起生效）\n`,
              );
          } finally {
            await store.close();
          }
        }),
    );
}

/** Adds the payment commands to the `yibao` program. */
export function registerPaymentCommands(program: Command, options: PaymentCommandOptions = {}): void {
  const open = opener(options.migrations ?? paymentMigrations);
  registerPaymentExamples(program, options);
  const payment = program
    .command("payment")
    .description("DRG/DIP 支付：测算、按期结算、年终清算、DIP 年度结算、结算单导出");
  registerCalibrate(payment, open);
  registerSettle(payment, open);
  registerClear(payment, open);
  registerStatement(payment, open);
  registerDipCommands(payment, open);
  registerCoefficients(payment, open);
}
