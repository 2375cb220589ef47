/**
 * DIP commands (DIP 付费命令): `payment dip-policy` saves a DIP payment policy edition,
 * `payment dip-prepay` prepays a month, `payment dip-clear` clears a year, either from what the store
 * holds (the policy in force, the hospitals whose payment method is DIP; the clearing is stored) or,
 * with `--policy` and `--hospitals` files, as a trial run that stores nothing.
 */
import { readFile, writeFile } from "node:fs/promises";
import { formatYuan } from "@yibao/payment";
import type { Command } from "commander";
import { type Open, run, type StoreFlags, storeOptions, yuanOption } from "./cli-shared.js";
import { clearDipYearJob, formatDipClearing } from "./dip-clearing.js";
import { type DipPolicySelect, prepayDipMonthJob } from "./dip-payment.js";
import { saveDipPolicyFromCatalogue } from "./dip-policy.js";
import { dipClearingStatement } from "./dip-statement.js";
import { PaymentInputError, saveVersion } from "./repo.js";
import { formatOf, render } from "./statements.js";

function policySelect(v: string | undefined): DipPolicySelect | undefined {
  if (v === undefined) return undefined;
  const [id = "", version] = v.split("@");
  if (id === "") throw new PaymentInputError(`--dip-policy：须为 id 或 id@version（收到「${v}」）`);
  return { id, ...(version ? { version } : {}) };
}

function yearOf(v: string): number {
  if (!/^\d{4}$/.test(v)) throw new PaymentInputError(`--year：须为四位年份（收到「${v}」）`);
  return Number(v);
}

/** `yibao payment dip-policy --file`: saves a DIP payment policy edition (never editing a saved one). */
function registerDipPolicy(payment: Command, open: Open): void {
  storeOptions(payment.command("dip-policy").description("保存 DIP 付费政策（新版本；已保存的版本不可修改）"))
    .requiredOption(
      "--file <file>",
      "DIP 付费政策 JSON；含 fromCatalogue {id, version} 与 levelFactors 时由已测算的病种目录生成病种分值与各级标准费用",
    )
    .action(async (o: StoreFlags & { file: string }) =>
      run(async () => {
        let data: unknown;
        try {
          data = JSON.parse(await readFile(o.file, "utf8"));
        } catch (e) {
          throw new PaymentInputError(`--file ${o.file}：无法读取或不是合法 JSON（${(e as Error).message}）`);
        }
        const store = await open(o);
        try {
          const fromCatalogue = typeof data === "object" && data !== null && "fromCatalogue" in data;
          if (fromCatalogue) {
            const r = await saveDipPolicyFromCatalogue(store, data, "cli");
            process.stdout.write(
              `已由病种目录生成并保存 DIP 付费政策 ${r.saved.id}@${r.saved.version}（${r.saved.effectiveFrom} 起生效）：` +
                `${r.groups} 个病种${r.skipped.length > 0 ? `，${r.skipped.length} 个病种无分值或无费用未纳入` : ""}\n`,
            );
          } else {
            const v = await saveVersion(store, "dipPolicy", data, { actor: "cli" });
            process.stdout.write(`已保存 DIP 付费政策 ${v.id}@${v.version}（${v.effectiveFrom} 起生效）\n`);
          }
        } finally {
          await store.close();
        }
      }),
    );
}

/** A month's DIP prepayment from the store, printed (`dip-prepay`, and `settle --method dip`). */
export async function dipPrepayMonth(
  open: Open,
  o: StoreFlags & { period: string; dipPolicy?: string },
): Promise<void> {
  const policy = policySelect(o.dipPolicy);
  const store = await open(o);
  try {
    const r = await prepayDipMonthJob({
      store,
      period: o.period,
      ...(policy ? { policy } : {}),
      actor: "cli",
    });
    process.stdout.write(
      `${r.period} DIP 月度预付（${r.policy.id}@${r.policy.version}，作业 ${r.runId}）：清单 ${r.lists} 份，预付合计 ${formatYuan(r.totalPrepaymentFen)} 元\n`,
    );
    for (const h of r.hospitals)
      process.stdout.write(
        `  ${h.hospitalCode}：${h.cases} 例，分值 ${h.points}，预算点值 ${h.pointValueYuan} 元/分，` +
          `预估基金应付 ${formatYuan(h.estimatedFundFen)} 元，预付 ${formatYuan(h.prepaymentFen)} 元\n`,
      );
    for (const u of r.unpriced)
      process.stdout.write(`  ${u.hospital} 病种无分值 ${u.count} 例，如 ${u.setlIds.join("、")}\n`);
    for (const e of r.refused.slice(0, 10)) process.stdout.write(`  未预付：${e.message}\n`);
  } finally {
    await store.close();
  }
}

/** `yibao payment dip-prepay --period`: a month's DIP prepayment, stored. */
function registerDipPrepay(payment: Command, open: Open): void {
  storeOptions(
    payment
      .command("dip-prepay")
      .description("DIP 月度预付：按出院月份读取 DIP 机构的已接收结算清单，按预算点值与预付比例预付"),
  )
    .requiredOption("--period <yyyy-MM>", "预付月份（按出院日期）")
    .option("--dip-policy <id[@version]>", "指定 DIP 付费政策（默认该月生效的版本）")
    .action(async (o: StoreFlags & { period: string; dipPolicy?: string }) =>
      run(() => dipPrepayMonth(open, o)),
    );
}

export interface DipClearFlags extends StoreFlags {
  year: string;
  budget: string;
  policy?: string;
  hospitals?: string;
  dipPolicy?: string;
  output?: string;
}

/** A DIP year cleared from the store, or a trial from files, printed (`dip-clear`, `clear --method dip`). */
export async function dipClearYear(open: Open, o: DipClearFlags): Promise<void> {
  const year = yearOf(o.year);
  const format = o.output ? formatOf(o.output) : null;
  const budgetFen = yuanOption(o.budget, "--budget");
  if ((o.policy === undefined) !== (o.hospitals === undefined))
    throw new PaymentInputError(
      "--policy 与 --hospitals 须同时给出（试算），或都不给（按已保存的政策与医院信息清算）",
    );
  if (o.policy !== undefined && o.dipPolicy !== undefined)
    throw new PaymentInputError("--dip-policy 不能与试算的 --policy 文件同用");
  const store = await open(o);
  try {
    if (o.policy !== undefined && o.hospitals !== undefined) {
      const y = await import("./dip-year.js");
      const policy = await y.readDipPolicyFile(o.policy);
      const hospitals = await y.readDipHospitalsFile(o.hospitals);
      const r = await y.settleDipYearFromStore(store, { year, policy, budgetFen, hospitals });
      if (o.output && format) {
        const t = y.dipYearStatement(r);
        await writeFile(o.output, await render(t, format));
        process.stdout.write(`已导出 ${t.title}：${o.output}（${t.rows.length} 行）\n`);
      }
      process.stdout.write(`${y.formatDipYear(r)}\n`);
      return;
    }
    const policy = policySelect(o.dipPolicy);
    const c = await clearDipYearJob({
      store,
      year,
      budgetFen,
      ...(policy ? { policy } : {}),
      actor: "cli",
    });
    if (o.output && format) {
      const t = await dipClearingStatement(store, year, undefined);
      await writeFile(o.output, await render(t, format));
      process.stdout.write(`已导出 ${t.title}：${o.output}（${t.rows.length} 行）\n`);
    }
    process.stdout.write(`${formatDipClearing(c)}\n`);
  } finally {
    await store.close();
  }
}

/** `yibao payment dip-clear`: a DIP year cleared from the store (stored), or a trial from files. */
function registerDipClear(payment: Command, open: Open): void {
  storeOptions(
    payment
      .command("dip-clear")
      .description(
        "DIP 年度清算：按出院年度读取 DIP 机构的已接收结算清单，按病种分值与清算点值结算各医院并扣除月度预付",
      ),
  )
    .requiredOption("--year <yyyy>", "清算年度（按出院日期）")
    .requiredOption("--budget <yuan>", "年度预算(元)；口径由 DIP 政策的 budgetBasis 决定")
    .option("--dip-policy <id[@version]>", "指定已保存的 DIP 付费政策（默认该年生效的版本）")
    .option("--policy <file>", "试算：DIP 付费政策 JSON 文件（与 --hospitals 同用，不保存结果）")
    .option("--hospitals <file>", "试算：DIP 结算机构 JSON：[{code, level, coefficient}]")
    .option("--output <file>", "逐例明细 .xlsx 或 .csv")
    .action(async (o: DipClearFlags) => run(() => dipClearYear(open, o)));
}

/** Adds the DIP commands under `payment`. */
export function registerDipCommands(payment: Command, open: Open): void {
  registerDipPolicy(payment, open);
  registerDipPrepay(payment, open);
  registerDipClear(payment, open);
}
