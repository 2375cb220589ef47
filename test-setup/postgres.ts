/**
 * Vitest global set-up: the storage tests run on PGlite and on a real PostgreSQL server, reached
 * through `YIBAO_TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`). When no server
 * answers there, a throw-away one is started from Debian's `postgresql` package (`initdb` in a
 * temporary directory, a free port on 127.0.0.1, stopped and removed after the run); when that package
 * is missing too, the run stops at once with what to install instead of failing test by test.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test";

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The directory of PostgreSQL's server programs (`initdb`, `pg_ctl`), if installed. */
function serverBin(): string | null {
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], "bin");
  }
  const found = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).stdout.trim();
  return found ? join(found, "..") : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export default async function setup(): Promise<(() => void) | undefined> {
  const url = process.env.YIBAO_TEST_DATABASE_URL ?? DEFAULT_URL;
  if (await answers(url)) return undefined;
  const bin = serverBin();
  if (!bin) {
    throw new Error(
      `测试需要 PostgreSQL：${url} 无应答，本机也没有可用来临时启动数据库的 PostgreSQL 程序。` +
        "请安装 Debian 的 postgresql 软件包（apt-get install postgresql），或启动一个 PostgreSQL 并用 " +
        "YIBAO_TEST_DATABASE_URL 指向它（库中需有可建 schema 的账号）。",
    );
  }
  // PostgreSQL refuses to run as root: the throw-away cluster runs as the `postgres` user when we are root.
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "yibao-test-pg-"));
  const data = join(dir, "data");
  // No pipes to the children: the server pg_ctl starts would hold them open, and the call never return.
  const run = (cmd: string, args: string[]) => {
    if (asRoot)
      execFileSync("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], { stdio: "ignore" });
    else execFileSync(join(bin, cmd), args, { stdio: "ignore" });
  };
  if (asRoot) execFileSync("chown", ["postgres", dir]);
  const port = await freePort();
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"]);
  run("pg_ctl", [
    "-D",
    data,
    "-l",
    join(dir, "server.log"),
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    "-w",
    "start",
  ]);
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query("CREATE DATABASE test");
  await client.end();
  process.env.YIBAO_TEST_DATABASE_URL = `postgres://postgres@127.0.0.1:${port}/test`;
  process.stdout.write(`未找到 ${url}，已临时启动 PostgreSQL（端口 ${port}），测试结束后删除。\n`);
  return () => {
    try {
      run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
