/** 健康检查: is the database reachable, which scheme is loaded. */
import type { FastifyPluginAsync } from "fastify";
import { PUBLIC_ROUTE } from "../route-access.js";

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get("/healthz", { config: PUBLIC_ROUTE }, async (_request, reply) => {
    const { store, scheme } = app.yibao;
    try {
      await store.ping();
      return { status: "ok", database: store.engine, scheme: { id: scheme.id, name: scheme.name } };
    } catch (err) {
      app.log.error({ err }, "数据库不可用");
      return reply.status(503).send({
        status: "unavailable",
        database: store.engine,
        scheme: { id: scheme.id, name: scheme.name },
        message: "数据库不可用",
      });
    }
  });
};
