/**
 * 元数据: the signed-in user, roles, indicators, hospitals and periods in view, the scheme in force
 * and the region's scheme editions (分组方案切换), the cube's state.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { INDICATORS } from "@yibao/indicators";
import { shanghaiDate } from "@yibao/kernel/calendar";
import { requirePrincipal, type ServerContext } from "@yibao/server";
import { listHospitals } from "@yibao/store";
import { cubeState } from "../cube.js";
import { ROLE_NAMES, ROLES } from "../schema.js";
import { ALL, access, type ConsoleRouteOptions } from "./shared.js";

/** The region's scheme editions, oldest first, the one in force on `today` marked. */
export function schemeEditions(schemes: ServerContext["schemes"], today: string) {
  const inForce = schemes.editionOn(today).scheme.id;
  return schemes.editions.map((e) => ({
    id: e.scheme.id,
    name: e.scheme.name,
    demo: e.scheme.demo,
    effectiveDate: e.effectiveDate,
    inForce: e.scheme.id === inForce,
  }));
}

export function metaRoutes(options: Pick<ConsoleRouteOptions, "db" | "storeDb">): FastifyPluginAsyncTypebox {
  const { db, storeDb } = options;
  return async (app) => {
    app.get("/meta", { config: access(ALL, "handler") }, async (request) => {
      const user = requirePrincipal(request);
      const own = user.role === "hospital" ? user.hospitalCode : null;
      const hq = listHospitals(storeDb, { code: own });
      let pq = db.selectFrom("console_cube_hd").select("period").distinct().orderBy("period");
      if (own) pq = pq.where("hospital_code", "=", own);
      const [hospitals, periods, state] = await Promise.all([hq, pq.execute(), cubeState(db)]);
      return {
        user: { ...user, roleName: ROLE_NAMES[user.role] },
        roles: ROLES.map((r) => ({ id: r, name: ROLE_NAMES[r] })),
        indicators: INDICATORS,
        hospitals,
        periods: periods.map((p) => p.period.trim()),
        scheme: { id: app.yibao.scheme.id, name: app.yibao.scheme.name, demo: app.yibao.scheme.demo },
        schemes: schemeEditions(app.yibao.schemes, shanghaiDate(new Date())),
        schemeDateBasis: app.yibao.schemes.basis,
        region: app.yibao.region,
        cube: state,
      };
    });
  };
}
