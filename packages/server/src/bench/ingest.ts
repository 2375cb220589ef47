/**
 * Load test of settlement-list intake over HTTP (结算清单接收压测), not part of `npm test`.
 *
 *   node packages/server/dist/bench/ingest.js [--n 20000] [--concurrency 32] [--batch 1] [--database-url URL]
 *     [--schema-prefix bench] [--migrations @yibao/console#consoleMigrations]
 *
 * Starts the server in a child process on 127.0.0.1 against PostgreSQL (DATABASE_URL, else the local
 * test server) in a fresh schema (`<schema-prefix>_<random>`), sends N generated valid lists with bounded concurrency over HTTP
 * (keep-alive fetch), `--batch` lists per request, then reports sustained lists/s, request latency
 * percentiles, and checks that the database holds exactly N lists. The schema is dropped afterwards
 * unless --keep is given; `--migrations MODULE#EXPORT` also runs another package's migrations (e.g. the
 * console's indexes on settlement_list, as `yibao serve` does); `--profile DIR` writes a CPU profile of the server process.
 */

import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { shanghaiDate } from "@yibao/kernel/calendar";
import { dropSchema, type NamedMigration, openStore } from "@yibao/store";
import { createUser } from "../identity/accounts.js";
import { identityMigrations } from "../identity/migrations.js";
import { identityDb } from "../identity/tables.js";
import { sampleSettlementMessage } from "../sample-lists.js";
import { startServer } from "../start.js";

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test";

async function child(): Promise<void> {
  const schema = process.env.BENCH_SCHEMA as string;
  const migrations = await extraMigrations(process.env.BENCH_MIGRATIONS);
  const server = await startServer({
    port: 0,
    host: "127.0.0.1",
    logLevel: "warn",
    store: { databaseUrl: process.env.BENCH_DATABASE_URL as string, schema, poolSize: 4, migrations },
  });
  // The load is sent as a bureau account of its own, signed in like any client.
  const username = `bench-${randomBytes(4).toString("hex")}`;
  const password = `Bench-${randomBytes(12).toString("base64url")}-7q`;
  await createUser(identityDb(server.app.yibao.store), {
    username,
    displayName: "压测",
    role: "bureau",
    password,
  });
  process.send?.({ url: server.url, username, password });
  process.on("message", async (m) => {
    if (m === "stop") {
      await server.close();
      process.exit(0);
    }
  });
}

/** The identity migrations and `MODULE#EXPORT`'s exported migrations (those alone without a spec). */
async function extraMigrations(spec: string | undefined): Promise<NamedMigration[]> {
  if (!spec) return [...identityMigrations];
  const [module, name] = spec.split("#");
  const found = ((await import(module ?? "")) as Record<string, NamedMigration[] | undefined>)[name ?? ""];
  if (!found) throw new Error(`找不到迁移：${spec}`);
  return [...identityMigrations.filter((m) => !found.includes(m)), ...found];
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: "string", default: "20000" },
      concurrency: { type: "string", default: "32" },
      batch: { type: "string", default: "1" },
      "database-url": { type: "string" },
      keep: { type: "boolean", default: false },
      /** The fresh schema is named `<prefix>_<random hex>`. */
      "schema-prefix": { type: "string", default: "bench" },
      /** `MODULE#EXPORT`: more migrations to run, e.g. `@yibao/console#consoleMigrations`. */
      migrations: { type: "string" },
      /** Write a CPU profile of the server process into this directory. */
      profile: { type: "string" },
    },
  });
  const n = Number(values.n);
  const concurrency = Number(values.concurrency);
  const batch = Number(values.batch);
  const databaseUrl = values["database-url"] ?? process.env.DATABASE_URL ?? DEFAULT_URL;
  const schema = `${values["schema-prefix"]}_${randomBytes(5).toString("hex")}`;

  const proc = fork(fileURLToPath(import.meta.url), ["--child"], {
    env: {
      ...process.env,
      BENCH_SCHEMA: schema,
      BENCH_DATABASE_URL: databaseUrl,
      BENCH_MIGRATIONS: values.migrations ?? "",
    },
    stdio: "inherit",
    execArgv: values.profile ? ["--cpu-prof", `--cpu-prof-dir=${values.profile}`] : [],
  });
  const { url, username, password } = await new Promise<{ url: string; username: string; password: string }>(
    (resolve, reject) => {
      proc.once("message", (m) => resolve(m as { url: string; username: string; password: string }));
      proc.once("exit", (code) => reject(new Error(`服务进程退出（${code}）`)));
    },
  );
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (login.status !== 200) throw new Error(`压测账号登录失败：${login.status}`);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  const endpoint = `${url}/api/v1/settlement-lists`;
  const today = shanghaiDate(Date.now());
  const bodies: string[] = [];
  for (let i = 0; i < n; i += batch) {
    const lists = [];
    for (let k = i; k < Math.min(n, i + batch); k++)
      lists.push(sampleSettlementMessage(k, { today, prefix: "BN" }));
    bodies.push(JSON.stringify(batch === 1 ? lists[0] : lists));
  }
  console.log(
    `压测：${n} 份清单，每请求 ${batch} 份，并发 ${concurrency}，服务 ${url}，数据库 schema ${schema}（${bodies.length} 个请求）`,
  );
  // Warm-up: the first requests compile the hot paths; they are part of the N lists.
  const latencies: number[] = [];
  let next = 0;
  let accepted = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= bodies.length) return;
      const t0 = performance.now();
      const r = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf },
        body: bodies[i] as string,
      });
      const json = (await r.json()) as { accepted?: boolean | number };
      latencies.push(performance.now() - t0);
      if (r.status !== 200) failed++;
      else accepted += typeof json.accepted === "number" ? json.accepted : json.accepted ? 1 : 0;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);

  const store = await openStore({
    databaseUrl,
    schema,
    migrations: await extraMigrations(values.migrations),
  });
  const stored = await store.db
    .selectFrom("settlement_list")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  await store.close();
  proc.send("stop");
  await new Promise((r) => proc.once("exit", r));
  if (!values.keep) {
    await dropSchema(databaseUrl, schema);
  }
  const fmt = (x: number) => x.toFixed(1);
  console.log(
    `用时 ${seconds.toFixed(2)} s，吞吐 ${Math.round(n / seconds)} 份/秒（${Math.round(bodies.length / seconds)} 请求/秒）`,
  );
  console.log(
    `请求延迟 ms：p50 ${fmt(percentile(latencies, 50))}，p90 ${fmt(percentile(latencies, 90))}，p99 ${fmt(percentile(latencies, 99))}，max ${fmt(latencies.at(-1) ?? Number.NaN)}`,
  );
  console.log(`接收 ${accepted} 份，失败请求 ${failed} 个，数据库中清单 ${stored.n} 份（应为 ${n}）`);
  if (Number(stored.n) !== n || accepted !== n || failed > 0) {
    console.error("校验失败：清单数量不符");
    process.exitCode = 1;
  }
}

if (process.argv.includes("--child")) await child();
else await main();
