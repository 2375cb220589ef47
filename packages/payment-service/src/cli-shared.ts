/**
 * What the payment commands share: the store flags and opener, the runner that prints input errors
 * in Chinese with exit code 2, and the yuan option reader.
 */
import { parseYuan } from "@yibao/payment";
import { type NamedMigration, openStore, type Store } from "@yibao/store";
import { type Command, Option } from "commander";
import { PaymentInputError } from "./repo.js";

export interface StoreFlags {
  databaseUrl?: string;
  dataDir?: string;
  scheme?: string;
}

export function storeOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--database-url <url>", "PostgreSQL 连接串（默认环境变量 DATABASE_URL）"))
    .addOption(new Option("--data-dir <dir>", "PGlite 数据目录（默认 YIBAO_DATA_DIR 或 ./data）"));
}

export function opener(migrations: readonly NamedMigration[]) {
  return (flags: StoreFlags): Promise<Store> =>
    openStore({
      ...(flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : {}),
      ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
      migrations,
    });
}

/** Runs an action, printing input errors in Chinese with exit code 1. */
export async function run(f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (e) {
    process.stderr.write(`错误：${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = e instanceof PaymentInputError ? 2 : 1;
  }
}

export function yuanOption(v: string, field: string): number {
  try {
    return parseYuan(v);
  } catch {
    throw new PaymentInputError(`${field}：须为元金额（收到「${v}」）`);
  }
}

export type Open = ReturnType<typeof opener>;
