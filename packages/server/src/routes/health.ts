/**
 * 健康检查: is the database reachable, which scheme is loaded. 200 with `status: "ok"` while the
 * database answers; 503 with `status: "degraded"` and `databaseStatus: "unavailable"` while it does
 * not (the server itself keeps running and reconnects by itself); 503 with `status: "starting"` and
 * the step under way while the server is still being prepared (see readiness.ts), `failed` when that
 * preparation failed.
 */
import type { FastifyPluginAsync } from "fastify";
import { PUBLIC_ROUTE } from "../route-access.js";

/** How long the database may take to answer `SELECT 1` before it counts as unavailable. */
const PING_TIMEOUT_MS = 3_000;

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`数据库 ${ms} 毫秒内未响应`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get("/healthz", { config: PUBLIC_ROUTE }, async (_request, reply) => {
    const { store, scheme, readiness } = app.yibao;
    if (readiness.state !== "ready") {
      return reply.status(503).send({
        status: readiness.state,
        database: store.engine,
        scheme: { id: scheme.id, name: scheme.name },
        message:
          readiness.state === "failed"
            ? `平台启动失败：${readiness.failure ?? "原因未知"}`
            : `平台正在启动：${readiness.step || "正在准备"}`,
      });
    }
    const ping = store.ping();
    try {
      await withTimeout(ping, PING_TIMEOUT_MS);
      return {
        status: "ok",
        database: store.engine,
        databaseStatus: "ok",
        scheme: { id: scheme.id, name: scheme.name },
      };
    } catch (err) {
      ping.catch(() => {}); // a ping that fails after the timeout must not become an unhandled rejection
      app.log.error({ err }, "数据库不可用");
      return reply.status(503).send({
        status: "degraded",
        database: store.engine,
        databaseStatus: "unavailable",
        scheme: { id: scheme.id, name: scheme.name },
        message: "数据库不可用",
      });
    }
  });
};
