import { existsSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { loadSchemeDir, resolveSchemeDir } from "@yibao/grouper/load";
import { Command, InvalidArgumentError, Option } from "commander";

// The commands' modules are loaded when a command runs: `yibao group` does not pay for starting the
// server, the store or Excel support.

const schemeOption = () =>
  new Option("--scheme <dir>", "分组方案目录（默认取环境变量 YIBAO_SCHEME_DIR，否则为自带演示方案）");

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("应为非负整数");
  return n;
}

/** Refuses, in Chinese and naming it, an input file that does not exist or is not a file. */
function requireInputFile(path: string): void {
  if (!existsSync(path)) throw new Error(`输入文件不存在：${path}`);
  if (!statSync(path).isFile()) throw new Error(`输入应为文件，却是目录：${path}`);
}

/**
 * How a grouping run ends: a run in which every record failed (or that read none) did nothing useful
 * and exits 1; a run with some failed records exits 0 and says how many, and where they are.
 */
export function groupVerdict(
  summary: { readonly records: number; readonly errors: number },
  output: string,
): { readonly exitCode: number; readonly message: string } {
  if (summary.records === 0) return { exitCode: 1, message: "失败：输入文件中没有任何记录。" };
  if (summary.errors === summary.records)
    return {
      exitCode: 1,
      message: `失败：全部 ${summary.records} 条记录都有错误，没有得到任何分组结果；错误原因见 ${output} 中各行的 error 字段（每行应为一个病例记录，或 {"input": 病例记录, "expected": …}）。`,
    };
  if (summary.errors > 0)
    return {
      exitCode: 0,
      message: `注意：${summary.errors} 条记录有错误，未分组；错误原因见 ${output} 中各行的 error 字段。`,
    };
  return { exitCode: 0, message: "" };
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("应为正整数");
  return n;
}

/** `yibao group`: group a file of cases. */
function registerGroupCommand(cmd: Command): void {
  cmd
    .command("group")
    .description("对病例文件分组：输入 JSONL/CSV/Excel，按输出文件扩展名写 JSONL/CSV/Excel")
    .addOption(schemeOption())
    .requiredOption("--input <file>", "输入文件（.jsonl / .csv / .xlsx）")
    .requiredOption("--output <file>", "输出文件（.jsonl / .csv / .xlsx）")
    .option("--explain", "附上分组依据", false)
    .option("--map-codes", "分组前按方案的版本映射表把编码转换为医保版编码，并报告每一处转换", false)
    .option(
      "--threads <n>",
      "工作线程数（0 表示在主线程分组）",
      nonNegativeInt,
      Math.max(1, availableParallelism()),
    )
    .option("--no-progress", "不显示进度条")
    .action(async (o) => {
      const schemeDir = resolveSchemeDir(o.scheme);
      requireInputFile(o.input);
      const { groupFile } = await import("./group-command.js");
      const summary = await groupFile({
        schemeDir,
        input: o.input,
        output: o.output,
        explain: o.explain,
        mapCodes: o.mapCodes,
        threads: o.threads,
        progress: o.progress && process.stderr.isTTY === true,
      });
      const rate = Math.round(summary.records / Math.max(summary.seconds, 1e-9));
      const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
      process.stderr.write(
        `已处理 ${summary.records} 条（其中错误 ${summary.errors} 条），用时 ${summary.seconds.toFixed(2)} 秒，${rate} 条/秒，峰值内存 ${peakMb} MB\n`,
      );
      const verdict = groupVerdict(summary, o.output);
      if (verdict.message !== "") process.stderr.write(`${verdict.message}\n`);
      process.exitCode = verdict.exitCode;
    });
}

/** `yibao scheme check`: validate and load a scheme directory. */
function registerSchemeCommands(cmd: Command): void {
  const scheme = cmd.command("scheme").description("分组方案");
  scheme
    .command("check")
    .description("校验并加载分组方案目录，报告其规模与加载时间")
    .argument("[dir]", "方案目录（默认同 --scheme 的解析规则）")
    .action(async (dir?: string) => {
      const resolved = resolveSchemeDir(dir);
      const t = performance.now();
      const s = await loadSchemeDir(resolved);
      const ms = performance.now() - t;
      const qy = s.mdcs.filter((m) => m.hasQy).length;
      process.stdout.write(
        [
          `方案：${s.name}${s.demo ? "（演示方案，不得用于真实结算）" : ""}`,
          `目录：${resolved}`,
          `MDC ${s.mdcs.length} 个，ADRG ${s.adrgs.length} 个，DRG ${s.drgs.length} 个，启用歧义组的 MDC ${qy} 个`,
          `诊断编码 ${s.diagnoses.size} 个，手术操作编码 ${s.procedures.size} 个；映射 ${s.diagnosisMap.size} + ${s.procedureMap.size} 条`,
          ...(s.compiled.newbornBirthWeightCheck
            ? []
            : ["新生儿出生体重校验：已关闭（checks.newbornBirthWeight 为 false）"]),
          ...(s.compiled.readsRecord
            ? ["含离院方式、科别、手术操作个数或编码前缀条件：批量分组逐行走通用路径（结果相同）"]
            : []),
          `校验通过，加载用时 ${ms.toFixed(0)} 毫秒`,
          "",
        ].join("\n"),
      );
    });
}

/** `yibao region check|init`: validate a region pack, or start one for a new city. */
function registerRegionCommands(cmd: Command): void {
  const region = cmd
    .command("region")
    .description("地区配置包（质控规则与目标、病组权重表、支付与待遇政策、医院信息的版本）");
  region
    .command("check")
    .description(
      "校验地区配置目录：schemes.json（及其中每个分组方案）、qc-rules.json、qc-targets.json、weight-tables.json、payment-policy.json、benefit-policy.json、dip-policy.json 与 hospitals.tsv 的每一版",
    )
    .argument("<dir>", "地区配置目录")
    .action(async (dir: string) => {
      const { describeRegionPack, openRegionPack } = await import("./region.js");
      const r = await openRegionPack(dir);
      process.stdout.write(describeRegionPack(r));
      if (r.problems.length > 0) process.exitCode = 1;
    });
  region
    .command("init")
    .description(
      "为新地区生成配置包：内置质控规则与目标、审核规则库与知识库、待遇政策示例及空的医院表，自指定日期起生效",
    )
    .argument("<dir>", "新的地区配置目录（须不存在或为空）")
    .requiredOption("--id <id>", "地区编号（小写字母、数字或连字符，如 suzhou）")
    .requiredOption("--name <name>", "统筹区名称")
    .requiredOption("--from <date>", "配置包各版本的生效日期 yyyy-MM-dd")
    .option("--pooling-region <code>", "统筹区编码（6 位行政区划代码，如 320500）")
    .action(async (dir: string, o: { id: string; name: string; from: string; poolingRegion?: string }) => {
      const { initRegionPack } = await import("./region-init.js");
      try {
        const files = initRegionPack(dir, o);
        process.stdout.write(`已生成地区配置包 ${dir}：${files.join("、")}\n下一步见其中的 README.md\n`);
      } catch (e) {
        process.stderr.write(`错误：${(e as Error).message}\n`);
        process.exitCode = 2;
      }
    });
}

/** `yibao codes`: convert codes of another version to the national ones. */
function registerCodesCommand(cmd: Command): void {
  cmd
    .command("codes")
    .description("编码版本转换：把其他版本的诊断/手术操作编码转换为医保版编码")
    .addOption(schemeOption())
    .addOption(
      new Option("--kind <kind>", "编码类别").choices(["diagnosis", "procedure"]).default("diagnosis"),
    )
    .argument("<codes...>", "待转换的编码")
    .action(async (codes: string[], o) => {
      const s = await loadSchemeDir(resolveSchemeDir(o.scheme));
      const map = o.kind === "diagnosis" ? s.diagnosisMap : s.procedureMap;
      const dict = o.kind === "diagnosis" ? s.diagnoses : s.procedures;
      let unmapped = 0;
      for (const code of codes) {
        const c = map.convert(code);
        if (c.outcome === "unchanged") process.stdout.write(`${code}\t医保版编码\t${dict.name(code)}\n`);
        else if (c.outcome === "mapped")
          process.stdout.write(`${code}\t转换为 ${c.code}\t${dict.name(c.code)}\n`);
        else {
          unmapped++;
          process.stdout.write(`${code}\t无法转换（非医保版编码）\n`);
        }
      }
      if (unmapped > 0) process.exitCode = 2;
    });
}

/** `yibao serve`: the HTTP API and the web console. */
function registerServeCommand(cmd: Command): void {
  cmd
    .command("serve")
    .description(
      "启动 HTTP 接口与 Web 控制台（默认嵌入式数据库 PGlite；设置 DATABASE_URL 则使用 PostgreSQL）",
    )
    .addOption(schemeOption())
    .option("--port <port>", "端口（默认取环境变量 PORT，否则 3000）", nonNegativeInt)
    .option(
      "--host <host>",
      "监听地址（默认取环境变量 HOST，否则 127.0.0.1，仅本机可访问；对外服务请设为 0.0.0.0 或置于反向代理之后）",
    )
    .option("--data-dir <dir>", "PGlite 数据目录（默认取环境变量 YIBAO_DATA_DIR，否则 ./data）")
    .option("--database-url <url>", "PostgreSQL 连接串（默认取环境变量 DATABASE_URL）")
    .option("--demo", "数据库为空时先载入演示地区（合成的医院与一年的结算清单）", false)
    .option("--region <dir>", "地区配置目录（质控规则与质控目标的版本；默认取环境变量 YIBAO_REGION_DIR）")
    .option(
      "--log-file <path>",
      "JSON 请求日志文件（默认取环境变量 LOG_FILE，否则 <数据目录>/server.log；- 为标准输出）",
    )
    .option(
      "--demo-stays <n>",
      "演示地区的结算清单数（默认取环境变量 YIBAO_DEMO_STAYS，否则 20000）",
      nonNegativeInt,
    )
    .action(async (o) => {
      const stays =
        o.demoStays ?? (process.env.YIBAO_DEMO_STAYS ? Number(process.env.YIBAO_DEMO_STAYS) : undefined);
      const { closeOnSignals, serve } = await import("./serve-command.js");
      const server = await serve({
        port: o.port,
        host: o.host,
        scheme: o.scheme,
        dataDir: o.dataDir,
        databaseUrl: o.databaseUrl,
        demo: o.demo ? (stays !== undefined ? { stays } : {}) : false,
        logFile: o.logFile,
        region: o.region ?? process.env.YIBAO_REGION_DIR,
      });
      closeOnSignals(server);
      server.ready.catch(async (e: unknown) => {
        process.stderr.write(`演示数据准备失败：${(e as Error).message}\n`);
        await server.close();
        process.exit(1);
      });
    });
}

/** `yibao accounts reset-password`. */
function registerAccountCommands(cmd: Command): void {
  const accounts = cmd.command("accounts").description("账号");
  accounts
    .command("reset-password")
    .description("为忘记密码的账号生成新密码（只显示这一次，登录后须修改），结束其全部会话并解除锁定")
    .argument("<username>", "用户名")
    .option("--data-dir <dir>", "PGlite 数据目录（默认取环境变量 YIBAO_DATA_DIR，否则 ./data）")
    .option("--database-url <url>", "PostgreSQL 连接串（默认取环境变量 DATABASE_URL）")
    .action(async (username: string, o) => {
      const { resetAccountPassword } = await import("./accounts-command.js");
      const r = await resetAccountPassword({
        username,
        ...(o.dataDir ? { dataDir: o.dataDir } : {}),
        ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
      });
      if (!r) {
        process.stderr.write(`账号不存在：${username}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(
        `已重置账号 ${r.username} 的密码。新密码（只显示这一次，请妥善转交）：${r.password}\n登录后须先修改密码；该账号原有的会话已全部结束。\n`,
      );
    });
}

/** `yibao sample-list`: lists a hospital account can upload as they are. */
function registerSampleListCommand(cmd: Command): void {
  cmd
    .command("sample-list")
    .description(
      "生成某医院可直接上传、能通过质控的示例结算清单（4101 报文，日期相对今天），每行一份，或加 --array 输出为数组",
    )
    .requiredOption("--hospital <code>", "医疗机构编码（医院账号所属的机构）")
    .option("--name <name>", "医疗机构名称（默认取演示地区中该编码的医院名称）")
    .option("--count <n>", "清单份数（1–2000）", positiveInt, 5)
    .option("--first <n>", "第一份清单的序号（换一个序号段即得到另一批结算ID）", positiveInt, 1)
    .option("--array", "输出一个 JSON 数组（一次上传请求的请求体），而不是每行一份", false)
    .option("--output <file>", "写入文件（默认写到标准输出）")
    .action(async (o) => {
      const { formatSampleLists, sampleLists } = await import("./sample-command.js");
      const lists = sampleLists({
        hospitalCode: o.hospital,
        ...(o.name !== undefined ? { hospitalName: o.name } : {}),
        count: o.count,
        first: o.first,
      });
      const text = formatSampleLists(lists, o.array);
      if (o.output === undefined) process.stdout.write(text);
      else {
        writeFileSync(o.output, text);
        process.stderr.write(`已生成 ${lists.length} 份示例结算清单：${o.output}\n`);
      }
    });
}

/** `yibao import`: batch intake of lists, ordinary or history. */
function registerImportCommand(cmd: Command): void {
  cmd
    .command("import")
    .description("批量导入结算清单（JSONL / CSV / Excel），经质控、分组后入库，并输出逐条结果")
    .addOption(schemeOption())
    .requiredOption(
      "--input <file>",
      "输入文件（.jsonl：每行一个 4101 报文；.csv；.xlsx：setlinfo 等工作表）",
    )
    .option("--report <file>", "逐条结果报告（.jsonl / .csv / .xlsx）")
    .option("--data-dir <dir>", "PGlite 数据目录（默认取环境变量 YIBAO_DATA_DIR，否则 ./data）")
    .option("--database-url <url>", "PostgreSQL 连接串（默认取环境变量 DATABASE_URL）")
    .option("--no-progress", "不显示进度条")
    .option(
      "--history",
      "历史清单导入（医保局）：按每份清单的原始上传时间（记录中的 uploaded_at / 上传时间 列，或 --uploaded-at）检查上传时限，并记入操作日志",
      false,
    )
    .option(
      "--uploaded-at <time>",
      "历史清单导入时，记录中没有上传时间的清单的原始上传时间（yyyy-MM-dd 或 yyyy-MM-dd HH:mm:ss，北京时间）",
    )
    .option("--operator <username>", "历史清单导入的操作人（医保局账号的用户名，记入操作日志）")
    .option("--region <dir>", "地区配置目录（按出院日期适用的质控规则版本；默认取环境变量 YIBAO_REGION_DIR）")
    .action(async (o) => {
      requireInputFile(o.input);
      if (!o.history && (o.uploadedAt !== undefined || o.operator !== undefined)) {
        process.stderr.write("--uploaded-at 和 --operator 只用于历史清单导入，请同时指定 --history\n");
        process.exitCode = 2;
        return;
      }
      if (o.history && o.operator === undefined) {
        process.stderr.write(
          "历史清单导入须用 --operator 指定操作人（医保局账号的用户名），以记入操作日志\n",
        );
        process.exitCode = 2;
        return;
      }
      const [{ ImportRefused, importLists }, { PLATFORM_MIGRATIONS }] = await Promise.all([
        import("./import-command.js"),
        import("./platform.js"),
      ]);
      const run = importLists({
        input: o.input,
        schemeDir: resolveSchemeDir(o.scheme),
        store: {
          ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
          ...(o.dataDir ? { dataDir: o.dataDir } : {}),
          migrations: PLATFORM_MIGRATIONS,
        },
        ...(o.report ? { report: o.report } : {}),
        ...((o.region ?? process.env.YIBAO_REGION_DIR)
          ? { region: o.region ?? process.env.YIBAO_REGION_DIR }
          : {}),
        progress: o.progress && process.stderr.isTTY === true,
        ...(o.history
          ? {
              history: {
                operator: o.operator as string,
                ...(o.uploadedAt !== undefined ? { uploadedAt: o.uploadedAt as string } : {}),
              },
            }
          : {}),
      });
      const s = await run.catch((e: unknown) => {
        if (!(e instanceof ImportRefused)) throw e;
        process.stderr.write(`${o.history ? "历史清单导入" : "导入"}未进行：${e.message}\n`);
        process.exitCode = 2;
        return null;
      });
      if (s === null) return;
      const sources = s.uploadTimeSources
        ? `；原始上传时间取自文件 ${s.uploadTimeSources.file ?? 0} 份，取自 --uploaded-at ${s.uploadTimeSources.stated ?? 0} 份`
        : "";
      process.stderr.write(
        `${o.history ? "历史清单导入：" : ""}读取 ${s.read} 份清单：接收 ${s.inserted} 份，替换 ${s.replaced} 份，拒收 ${s.refused} 份，无法识别 ${s.invalid} 份${o.history ? `，原始上传时间不合规 ${s.uploadTime} 份` : ""}${sources}；用时 ${s.seconds.toFixed(1)} 秒\n`,
      );
      if (s.refused + s.invalid + s.uploadTime > 0) process.exitCode = 3;
    });
}

const PERIOD_RANGE = /^(\d{4}-(0[1-9]|1[0-2]))(\.\.(\d{4}-(0[1-9]|1[0-2])))?$/;

/** `yibao regroup`: regroup a range under a newer scheme edition, with the diff report; `--apply` writes it. */
function registerRegroupCommand(cmd: Command): void {
  cmd
    .command("regroup")
    .description(
      "按新的分组方案版本重新分组已接收的清单：报告病组变化与 DRG 支付变化；加 --apply 写入并记入重新分组日志",
    )
    .requiredOption("--period <period>", "结算期号 yyyy-MM 或 yyyy-MM..yyyy-MM")
    .option(
      "--region <dir>",
      "地区配置目录（按 schemes.json 中各清单日期适用的分组方案；默认取环境变量 YIBAO_REGION_DIR）",
    )
    .option(
      "--scheme <dir>",
      "按此分组方案重新分组全部清单（默认取环境变量 YIBAO_SCHEME_DIR；地区配置有 schemes.json 时不用）",
    )
    .option("--apply", "写入数据库（默认只试算）", false)
    .option("--operator <name>", "操作人（记入重新分组日志）", "cli")
    .option("--reason <text>", "原因（记入重新分组日志）", "分组方案版本更新")
    .option("--report <file>", "逐份变化明细（.csv）")
    .option("--data-dir <dir>", "PGlite 数据目录（默认取环境变量 YIBAO_DATA_DIR，否则 ./data）")
    .option("--database-url <url>", "PostgreSQL 连接串（默认取环境变量 DATABASE_URL）")
    .action(async (o) => {
      const m = PERIOD_RANGE.exec(o.period);
      const from = m?.[1];
      const to = m?.[4] ?? from;
      if (!from || !to || to < from) {
        process.stderr.write(`结算期号应为 yyyy-MM 或 yyyy-MM..yyyy-MM（起不晚于止），实际为 ${o.period}\n`);
        process.exitCode = 2;
        return;
      }
      const [{ formatRegroup, RegroupRefused, regroupLists }, { PLATFORM_MIGRATIONS }] = await Promise.all([
        import("./regroup-command.js"),
        import("./platform.js"),
      ]);
      const region = o.region ?? process.env.YIBAO_REGION_DIR;
      const schemeDir = o.scheme ?? process.env.YIBAO_SCHEME_DIR;
      const r = await regroupLists({
        from,
        to,
        ...(region ? { region } : {}),
        ...(schemeDir ? { schemeDir: resolveSchemeDir(schemeDir) } : {}),
        apply: o.apply,
        operator: o.operator,
        reason: o.reason,
        ...(o.report ? { report: o.report } : {}),
        store: {
          ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
          ...(o.dataDir ? { dataDir: o.dataDir } : {}),
          migrations: PLATFORM_MIGRATIONS,
        },
      }).catch((e: unknown) => {
        if (!(e instanceof RegroupRefused)) throw e;
        process.stderr.write(`重新分组未进行：${e.message}\n`);
        process.exitCode = 2;
        return null;
      });
      if (r !== null) process.stdout.write(formatRegroup(r, { from, to, apply: o.apply }));
    });
}

/** Builds the command tree (separate from main so tests can drive it). */
export function program(): Command {
  const cmd = new Command("yibao").description("医保 DRG/DIP 支付与智能审核平台命令行");
  registerGroupCommand(cmd);
  registerSchemeCommands(cmd);
  registerCodesCommand(cmd);
  registerRegionCommands(cmd);
  registerServeCommand(cmd);
  registerAccountCommands(cmd);
  registerSampleListCommand(cmd);
  registerImportCommand(cmd);
  registerRegroupCommand(cmd);
  return cmd;
}

/**
 * Adds the payment (`examples`, `payment`) and audit (`audit`) commands. Separate from {@link program}
 * because their modules load the whole store and server stack: `yibao group` goes without them.
 */
export async function addAreaCommands(cmd: Command): Promise<Command> {
  const [
    { registerPaymentCommands },
    { registerAuditCommands },
    { DIP_EXAMPLES_DIR, PLATFORM_MIGRATIONS, SEED_002_EXAMPLES_DIR },
  ] = await Promise.all([
    import("@yibao/payment-service/cli"),
    import("@yibao/audit-service/cli"),
    import("./platform.js"),
  ]);
  registerPaymentCommands(cmd, {
    migrations: PLATFORM_MIGRATIONS,
    examplesDir: SEED_002_EXAMPLES_DIR,
    dipExamplesDir: DIP_EXAMPLES_DIR,
  });
  registerAuditCommands(cmd, { migrations: PLATFORM_MIGRATIONS });
  return cmd;
}
