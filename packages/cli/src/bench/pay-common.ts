/**
 * What the payment benchmarks share (bench:payment, bench:dip): filling a PostgreSQL schema with N
 * accepted lists (synthetic base through the normal intake, then SQL copies), reusing a kept schema,
 * timing and CPU accounting of the Node process and its PostgreSQL backends.
 */
import { readFileSync } from "node:fs";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { shanghaiInstant } from "@yibao/kernel/calendar";
import { createListPreparer } from "@yibao/server";
import type { openStore, SettlementListUpload, Store } from "@yibao/store";
import { generateRegion } from "@yibao/synth";
import { sql } from "kysely";
import { type PlatformDb, platformDb } from "../platform.js";

export type Db = PlatformDb;

export const seconds = (t: number) => (performance.now() - t) / 1000;
export const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
export const log = (line: string) => process.stdout.write(`${line}\n`);

export function positiveInt(v: string | undefined, fallback: number, name: string): number {
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} 须为正整数（收到「${v}」）`);
  return n;
}

export async function count(db: Db, q: ReturnType<typeof sql<{ n: string }>>): Promise<number> {
  return Number((await q.execute(db)).rows[0]?.n ?? 0);
}

/** Stores `base` synthetic stays through the normal intake, then copies the accepted ones up to `n`. */
export async function fill(
  store: Store,
  n: number,
  base: number,
): Promise<{ accepted: number; baseAccepted: number }> {
  const db = platformDb(store);
  const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);
  const region = generateRegion({ seed: 2024, stays: base, scheme, from: "2023-01-01", to: "2023-12-31" });
  const prepare = createListPreparer(scheme);
  let batch: SettlementListUpload[] = [];
  for (const s of region.stays()) {
    const received = shanghaiInstant(`${s.message.input.setlinfo.setl_end_date.slice(0, 10)}T12:00:00`);
    received.setUTCDate(received.getUTCDate() + 2);
    const p = prepare(s.message, received);
    if (p.upload) batch.push(p.upload);
    if (batch.length >= 1000) {
      await store.saveSettlementLists(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.saveSettlementLists(batch);
  await sql`CREATE TABLE bench_base AS SELECT * FROM settlement_list WHERE status = 'accepted'`.execute(db);
  const have = await count(db, sql<{ n: string }>`SELECT count(*) AS n FROM bench_base`);
  if (have === 0) throw new Error("合成的基础清单无一被接收");
  log(`  基础清单 ${base} 份经质控分组入库，接收 ${have} 份`);
  const cols = await sql<{ c: string }>`SELECT column_name AS c FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = 'settlement_list' ORDER BY ordinal_position`.execute(
    db,
  );
  const names = cols.rows.map((r) => r.c);
  // New setl_id, 就诊 ID and person per copy, also inside the message, so no two lists are equal.
  const select = names.map((c) =>
    c === "setl_id" || c === "patient_key" || c === "mdtrt_id"
      ? `b.${c} || '-' || g`
      : c === "message"
        ? `jsonb_set(jsonb_set(b.message, '{input,setlinfo,setl_id}', to_jsonb(b.setl_id || '-' || g)),
            '{input,setlinfo,mdtrt_id}', to_jsonb(b.mdtrt_id || '-' || g))`
        : `b.${c}`,
  );
  const copies = Math.ceil(n / have) - 1;
  const perStatement = Math.max(1, Math.floor(100_000 / have));
  for (let g0 = 1; g0 <= copies; g0 += perStatement) {
    const g1 = Math.min(copies, g0 + perStatement - 1);
    const left = n - have * g0;
    await sql`INSERT INTO settlement_list (${sql.raw(names.join(", "))})
      SELECT ${sql.raw(select.join(", "))} FROM generate_series(${g0}::int, ${g1}::int) g CROSS JOIN bench_base b
      LIMIT ${Math.min(left, have * (g1 - g0 + 1))}`.execute(db);
    process.stdout.write(`\r  已复制至 ${Math.min(n, have * (g1 + 1))} 份`);
  }
  if (copies > 0) process.stdout.write("\n");
  await sql`DROP TABLE bench_base`.execute(db);
  await sql`VACUUM ANALYZE settlement_list`.execute(db);
  const accepted = await count(
    db,
    sql<{ n: string }>`SELECT count(*) AS n FROM settlement_list WHERE status = 'accepted'`,
  );
  return { accepted, baseAccepted: have };
}

export const APP = `yibao-bench-${process.pid}`;

/**
 * CPU seconds used so far by this process and by the PostgreSQL backends of its connections (read
 * from /proc when the server runs on this machine, else null): a measure that does not depend on
 * what else the machine is doing, unlike the wall time.
 */
export async function cpuSeconds(db: Db): Promise<{ node: number; pg: Map<number, number> | null }> {
  const u = process.cpuUsage();
  const node = (u.user + u.system) / 1e6;
  const r = await sql<{
    pid: number;
  }>`SELECT pid FROM pg_stat_activity WHERE application_name = ${APP}`.execute(db);
  const pg = new Map<number, number>();
  try {
    for (const { pid } of r.rows) {
      const f = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
      pg.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    return { node, pg: null };
  }
  return { node, pg };
}

export function cpuSince(
  a: Awaited<ReturnType<typeof cpuSeconds>>,
  b: Awaited<ReturnType<typeof cpuSeconds>>,
): string {
  const node = b.node - a.node;
  if (a.pg === null || b.pg === null) return `CPU：Node ${node.toFixed(1)} 秒`;
  let pg = 0;
  for (const [pid, t] of b.pg) pg += t - (a.pg.get(pid) ?? 0);
  return `CPU：Node ${node.toFixed(1)} 秒 + PostgreSQL ${pg.toFixed(1)} 秒`;
}

/** Step 1: the accepted lists, filled anew, or those of a schema kept by an earlier run (its settlements cleared). */
export async function prepareLists(
  store: Awaited<ReturnType<typeof openStore>>,
  db: Db,
  reuse: string | undefined,
  schema: string,
  n: number,
  base: number,
  t0: number,
): Promise<number> {
  if (reuse !== undefined) {
    await sql`TRUNCATE stay_settlement, stay_settlement_history, stay_settlement_error`.execute(db);
    await sql`VACUUM ANALYZE settlement_list`.execute(db);
    const accepted = await count(
      db,
      sql<{ n: string }>`SELECT count(*) AS n FROM settlement_list WHERE status = 'accepted'`,
    );
    log(`1. 沿用 schema ${schema}：${accepted} 份已接收清单，已清空结算结果`);
    return accepted;
  }
  const accepted = (await fill(store, n, base)).accepted;
  log(`1. 填充 ${accepted} 份已接收清单：${seconds(t0).toFixed(1)} 秒`);
  return accepted;
}
