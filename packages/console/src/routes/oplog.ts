/** 操作日志: the operation log, for administrators and the bureau, in words. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { listOperations } from "@yibao/server";
import { Type } from "typebox";
import { describeDetail } from "../oplog-text.js";
import { ROLE_NAMES, type Role } from "../schema.js";
import { access, type ConsoleRouteOptions, Digits, readablePath } from "./shared.js";

const OplogQuery = Type.Object(
  { limit: Digits(4), offset: Digits(9), username: Type.Optional(Type.String({ maxLength: 60 })) },
  { additionalProperties: false },
);

export function oplogRoutes(options: Pick<ConsoleRouteOptions, "identity">): FastifyPluginAsyncTypebox {
  const { identity } = options;
  return async (app) => {
    app.get(
      "/oplog",
      { config: access(["admin", "bureau"], "none"), schema: { querystring: OplogQuery } },
      async (request) => {
        const limit = Math.min(Number(request.query.limit ?? 200), 5000);
        const page = { limit, offset: Number(request.query.offset ?? 0), username: request.query.username };
        return {
          rows: (await listOperations(identity, page)).map((r) => ({
            ...r,
            id: Number(r.id),
            roleName: ROLE_NAMES[r.role as Role] ?? (r.role === "" ? "—" : r.role),
            detailText: describeDetail(r.detail),
            target: readablePath(r.target),
          })),
        };
      },
    );
  };
}
