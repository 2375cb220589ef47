/**
 * 事前审核 (pre-upload check) for hospital systems: a 4101 message, optionally with its item
 * details, checked by the rules in force before it is uploaded. A hospital checks only its own lists.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { HttpError, routeAccess } from "@yibao/server";
import { DATE_PATTERN } from "@yibao/server/query-schemas";
import { Type } from "typebox";
import { precheckContextCache, precheckMessage } from "../precheck.js";
import { type AuditRouteContext, actorOf, toHttp } from "./shared.js";

const Fen = () => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Detail = Type.Object({
  code: Type.String(),
  name: Type.String(),
  category: Type.String(),
  date: Type.String({ pattern: DATE_PATTERN }),
  quantity: Type.Number({ minimum: 0 }),
  unitPrice: Fen(),
  amount: Fen(),
  chrgitmLv: Type.Optional(Type.String()),
  ownPayAmount: Type.Optional(Fen()),
});
const PrecheckBody = Type.Object(
  {
    message: Type.Object({}, { additionalProperties: true }),
    details: Type.Optional(Type.Array(Detail, { maxItems: 20_000 })),
  },
  { additionalProperties: false },
);

export function precheckRoutes(ctx: AuditRouteContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      "/precheck",
      {
        config: routeAccess(["hospital", "bureau", "admin"], "handler", { machine: true }),
        schema: { body: PrecheckBody },
      },
      async (request) => {
        const actor = actorOf(request);
        const msg = request.body.message as { input?: { setlinfo?: { fixmedins_code?: unknown } } };
        if (
          actor?.role === "hospital" &&
          actor.hospitalCode &&
          msg.input?.setlinfo?.fixmedins_code !== actor.hospitalCode
        ) {
          throw new HttpError("FORBIDDEN", "医院账号只能预审本院的结算清单");
        }
        try {
          ctx.precheck ??= precheckContextCache(app.yibao.store, app.yibao.schemes, ctx.libraries);
          const context = await ctx.precheck();
          return await precheckMessage(
            app.yibao.store,
            app.yibao.schemes,
            context,
            request.body.message,
            request.body.details,
            actor?.role === "hospital" ? actor.hospitalCode : null,
          );
        } catch (e) {
          toHttp(e);
        }
      },
    );
  };
}
