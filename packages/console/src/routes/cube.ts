/** 汇总刷新: refreshing the indicator cube now. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { access, type ConsoleRouteOptions } from "./shared.js";

export function cubeRoutes(options: Pick<ConsoleRouteOptions, "refresher">): FastifyPluginAsyncTypebox {
  const { refresher } = options;
  return async (app) => {
    app.post("/cube/refresh", { config: access(["admin", "bureau"], "none", "刷新指标汇总") }, async () =>
      refresher.refresh(),
    );
  };
}
