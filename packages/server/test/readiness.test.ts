import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { identityMigrations, type RunningServer, startServer } from "../src/index.js";

/** A warm-up the test lets finish (or fail) when it chooses. */
function gate() {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { done, open, fail };
}

async function get(server: RunningServer, path: string) {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe("a server that listens before it is ready", () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("answers API routes 503 STARTING with the step, health says starting, then serves when ready", async () => {
    const g = gate();
    server = await startServer(
      {
        port: 0,
        logLevel: "silent",
        store: { memory: true, migrations: identityMigrations },
        warmUp: async (_app, step) => {
          step("正在载入演示地区：100/2000");
          await g.done;
        },
      },
      {},
    );
    // The port is open while the warm-up runs.
    const health = await get(server, "/healthz");
    expect(health.status).toBe(503);
    expect(health.body.status).toBe("starting");
    expect(health.body.message).toContain("正在载入演示地区：100/2000");

    for (const path of ["/api/v1/auth/me", "/api/v1/settlement-lists", "/api/v1/qc/indicators"]) {
      const r = await get(server, path);
      expect(r.status, path).toBe(503);
      expect(r.body.code).toBe("STARTING");
      expect(r.body.message).toContain("正在载入演示地区：100/2000");
      expect(r.headers.get("retry-after")).toBe("3");
    }
    // Sign-in waits too (the demo's accounts may not exist yet).
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "x", password: "y" }),
    });
    expect(login.status).toBe(503);
    // An unknown path is still a 404, not a 503.
    expect((await get(server, "/api/v1/no-such-thing")).status).toBe(404);

    g.open();
    await server.ready;
    expect((await get(server, "/healthz")).status).toBe(200);
    const me = await get(server, "/api/v1/auth/me");
    expect(me.status).toBe(401);
    expect(me.body.code).toBe("UNAUTHENTICATED");
  });

  it("a failed warm-up rejects ready, and the API says the start failed (not STARTING)", async () => {
    const g = gate();
    server = await startServer(
      {
        port: 0,
        logLevel: "silent",
        store: { memory: true, migrations: identityMigrations },
        warmUp: async () => g.done,
      },
      {},
    );
    g.fail(new Error("演示方案缺少权重表"));
    await expect(server.ready).rejects.toThrow("演示方案缺少权重表");
    const r = await get(server, "/api/v1/settlement-lists");
    expect(r.status).toBe(503);
    expect(r.body.code).toBe("STARTUP_FAILED");
    expect(r.body.message).toContain("演示方案缺少权重表");
    const health = await get(server, "/healthz");
    expect(health.status).toBe(503);
    expect(health.body.status).toBe("failed");
  });

  it("without a warm-up it is ready at once", async () => {
    server = await startServer(
      { port: 0, logLevel: "silent", store: { memory: true, migrations: identityMigrations } },
      {},
    );
    await server.ready;
    expect((await get(server, "/healthz")).status).toBe(200);
    expect((await get(server, "/api/v1/auth/me")).status).toBe(401);
  });

  it("writes its JSON request log to the file it is given, not to standard output", async () => {
    const dir = mkdtempSync(join(tmpdir(), "yibao-log-"));
    try {
      const logFile = join(dir, "server.log");
      server = await startServer(
        { port: 0, logLevel: "info", logFile, store: { memory: true, migrations: identityMigrations } },
        {},
      );
      await get(server, "/healthz");
      await server.close();
      server = undefined;
      // The file is written asynchronously (pino's destination): the request's line arrives shortly after.
      await vi.waitFor(
        () => {
          const lines = readFileSync(logFile, "utf8").trim().split("\n");
          const urls = lines.map((l) => (JSON.parse(l) as { req?: { url?: string } }).req?.url);
          expect(urls).toContain("/healthz");
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
