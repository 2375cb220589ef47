/**
 * `npm run bench:audit`: the persisted audit job on a large store in PostgreSQL. Fills a fresh
 * schema (name containing `auditperf`) with `BENCH_BASE` synthetic lists received through the
 * server's intake (default 20,000), checks on them that the audit finds exactly the same from the
 * projection as from the stored messages, then SQL-copies them (new 结算ID, 就诊ID, 证件号码, 医保编号
 * and patient key per copy, so every copy is another set of persons) up to `BENCH_STAYS` (default
 * 1,000,000), runs `auditPeriod` for the year and prints read / audit / write seconds, stays per
 * second, peak RSS and the load average; the schema is dropped afterwards (`BENCH_KEEP=1` keeps it).
 * `BENCH_SOURCE=message` times the job reading the stored messages instead of the projection.
 * `DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/test).
 */
import { loadavg } from "node:os";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { paymentMigrations } from "@yibao/payment-service/migrations";
import { createListPreparer } from "@yibao/server";
import { dropSchema, openStore, type SettlementListUpload } from "@yibao/store";
import { generateRegion } from "@yibao/synth";
import { sql } from "kysely";
import { auditPeriod } from "./jobs.js";
import { AUDIT_SETLINFO_KEYS, auditMigrations } from "./migrations.js";
import { dbOf, type StaySource } from "./read.js";

/** The triggers that keep the audit's list projection (migration 0202). */
const PROJECTION_TRIGGERS = [
  "audit_list_projection_insert",
  "audit_list_projection_update",
  "audit_list_projection_delete",
];
const stays = Number(process.env.BENCH_STAYS ?? 1_000_000);
const base = Math.min(stays, Number(process.env.BENCH_BASE ?? 20_000));
const source = (process.env.BENCH_SOURCE ?? "projection") as StaySource;
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = process.env.BENCH_SCHEMA ?? `yibao_bench_auditperf_${process.pid}`;
const keep = process.env.BENCH_KEEP === "1";
const log = (s: string) => process.stdout.write(`${s}\n`);
const secs = (ms: number) => (ms / 1000).toFixed(1);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);
const store = await openStore({
  databaseUrl,
  schema,
  poolSize: 4,
  migrations: [...paymentMigrations, ...auditMigrations],
});
const db = dbOf(store);
try {
  let t = performance.now();
  const region = generateRegion({ seed: 11, stays: base, scheme, inject: { rate: 0.1 } });
  const prepare = createListPreparer(scheme);
  let batch: SettlementListUpload[] = [];
  let year = "";
  for (const s of region.stays()) {
    const end = s.message.input.setlinfo.setl_end_date;
    year ||= end.slice(0, 4);
    const p = prepare(s.message, new Date(`${end}T12:00:00Z`));
    if (p.upload) batch.push(p.upload);
    if (batch.length >= 500) {
      await store.saveSettlementLists(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.saveSettlementLists(batch);
  log(`基础数据 ${base} 份清单（模式 ${schema}）用时 ${secs(performance.now() - t)} 秒`);

  // The same findings from both sources, on the base.
  const digest = async () =>
    (
      await sql<{
        n: number;
        h: string;
      }>`SELECT count(*)::int AS n, md5(string_agg(finding_id || '|' || period
          || '|' || message || '|' || evidence::text || '|' || COALESCE(settlements::text, '') || '|' || fund_loss_fen,
          E'\\n' ORDER BY finding_id)) AS h FROM audit_finding`.execute(db)
    ).rows[0];
  const split = (r: { millis: { read: number; audit: number; write: number } }) =>
    `读取 ${secs(r.millis.read)} / 审核 ${secs(r.millis.audit)} / 写入 ${secs(r.millis.write)} 秒`;
  const byMessage = await auditPeriod({ store, scheme, period: year, source: "message" });
  const reference = await digest();
  const byProjection = await auditPeriod({ store, scheme, period: year, source: "projection" });
  const projected = await digest();
  log(`抽样（${base} 份）原报文：${split(byMessage)}；投影：${split(byProjection)}`);
  const same = reference?.h === projected?.h && reference?.n === projected?.n;
  log(
    `抽样核对（${base} 份）：原报文 ${reference?.n} 条疑点，投影 ${projected?.n} 条，${same ? "完全一致" : "不一致！"}`,
  );
  if (!same) process.exitCode = 1;
  await sql`DELETE FROM audit_finding`.execute(db);
  await sql`DELETE FROM audit_physician_profile`.execute(db);

  // Copies up to `stays`.
  t = performance.now();
  const copies = Math.ceil(stays / base);
  const cols = (
    await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns
      WHERE table_schema = ${schema} AND table_name = 'settlement_list' ORDER BY ordinal_position`.execute(db)
  ).rows.map((r) => r.column_name);
  // A copied id: the base's with `~k` appended (kept as it is when not a string).
  const id = (path: string, k = "k") =>
    `CASE jsonb_typeof(${path}) WHEN 'string' THEN to_jsonb((${path} #>> '{}') || '~' || ${k}) ELSE COALESCE(${path}, 'null') END`;
  const changed: Record<string, string> = {
    setl_id: "setl_id || '~' || k",
    mdtrt_id: "mdtrt_id || '~' || k",
    patient_key: "patient_key || '~' || k",
  };
  // The stored messages are rewritten only when the job reads them; the projection copies are made
  // from the base's projection rows (the trigger, timed with the base's intake, is off meanwhile).
  if (source === "message")
    changed.message = `jsonb_set(jsonb_set(jsonb_set(jsonb_set(message,
      '{input,setlinfo,setl_id}', ${id("message #> '{input,setlinfo,setl_id}'")}),
      '{input,setlinfo,mdtrt_id}', ${id("message #> '{input,setlinfo,mdtrt_id}'")}),
      '{input,setlinfo,certno}', ${id("message #> '{input,setlinfo,certno}'")}),
      '{input,setlinfo,hi_no}', ${id("message #> '{input,setlinfo,hi_no}'")})`;
  const info = (key: (typeof AUDIT_SETLINFO_KEYS)[number]) => AUDIT_SETLINFO_KEYS.indexOf(key);
  let copiedM = "m";
  for (const key of ["setl_id", "mdtrt_id", "certno", "hi_no"] as const)
    copiedM = `jsonb_set(${copiedM}, '{1,${info(key)}}', ${id(`m #> '{1,${info(key)}}'`)})`;
  const loose = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_list_projection
    WHERE jsonb_typeof(m) <> 'array'`.execute(db);
  if (Number(loose.rows[0]?.n) > 0) throw new Error("基础数据含非紧凑投影，无法按投影复制");
  const select = cols.map((c) => changed[c] ?? c).join(", ");
  const list = cols.join(", ");
  for (const t of PROJECTION_TRIGGERS)
    await sql`ALTER TABLE settlement_list DISABLE TRIGGER ${sql.id(t)}`.execute(db);
  for (let k = 1; k < copies; k++) {
    const limit = Math.min(base, stays - k * base);
    await sql`INSERT INTO settlement_list (${sql.raw(list)})
      SELECT ${sql.raw(select)} FROM (SELECT *, ${k}::int AS k FROM settlement_list
        WHERE position('~' IN setl_id) = 0 ORDER BY setl_id LIMIT ${limit}) s`.execute(db);
    await sql`INSERT INTO audit_list_projection
        (setl_id, version, status, period, patient_key, dscg_date, group_status, drg, mdc, adrg, m, scheme_id)
      SELECT setl_id || '~' || k, version, status, period, patient_key || '~' || k, dscg_date, group_status,
        drg, mdc, adrg, ${sql.raw(copiedM)}, scheme_id
      FROM (SELECT *, ${k}::int AS k FROM audit_list_projection
        WHERE position('~' IN setl_id) = 0 ORDER BY setl_id LIMIT ${limit}) p`.execute(db);
    if (k % 10 === 0 || k === copies - 1)
      log(`复制 ${Math.min(stays, (k + 1) * base)}/${stays}（${secs(performance.now() - t)} 秒）`);
  }
  for (const t of PROJECTION_TRIGGERS)
    await sql`ALTER TABLE settlement_list ENABLE TRIGGER ${sql.id(t)}`.execute(db);
  await sql`ANALYZE`.execute(db);
  const n = Number(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM settlement_list`.execute(db)).rows[0]?.n,
  );
  log(`共 ${n} 份清单，复制与投影用时 ${secs(performance.now() - t)} 秒`);

  // The job.
  const load0 = load();
  const cpu0 = process.cpuUsage();
  const r = await auditPeriod({ store, scheme, period: year, source });
  const cpu = process.cpuUsage(cpu0);
  const m = r.millis;
  log(
    `审核 ${r.stays} 份（回溯 ${r.historyStays} 份，读取 ${source === "projection" ? "投影" : "原报文"}）：读取 ${secs(m.read)} 秒，审核 ${secs(m.audit)} 秒，写入 ${secs(m.write)} 秒，共 ${secs(m.total)} 秒`,
  );
  log(
    `${Math.round(r.stays / (m.total / 1000))} 份/秒，${r.findings} 条疑点，${r.errors} 份无法审核；Node CPU ${secs((cpu.user + cpu.system) / 1000)} 秒，峰值内存 ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  );
  log(`负载（1/5/15 分钟）：开始 ${load0}，结束 ${load()}`);
} finally {
  await store.close();
  if (!keep) await dropSchema(databaseUrl, schema);
}
