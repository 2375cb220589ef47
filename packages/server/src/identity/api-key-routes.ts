/**
 * 机构接口密钥 under /api/v1/api-keys (bureau and administrators, console sessions only): list, issue
 * (the secret is in this one answer and never again), revoke. The operation log names the key and
 * its hospital, never the secret.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { HttpError } from "../errors.js";
import { routeAccess } from "../route-access.js";
import { requirePrincipal } from "./access.js";
import { type ApiKeys, DEFAULT_KEY_DAYS, MAX_KEY_DAYS } from "./api-keys.js";

export interface ApiKeyRouteOptions {
  readonly apiKeys: ApiKeys;
}

const MANAGERS = ["bureau", "admin"] as const;

export function apiKeyRoutes(options: ApiKeyRouteOptions): FastifyPluginAsyncTypebox {
  const { apiKeys } = options;
  return async (app) => {
    app.get(
      "/",
      {
        config: routeAccess(MANAGERS, "none"),
        schema: {
          querystring: Type.Object(
            { hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })) },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => ({
        rows: await apiKeys.list(request.query.hospital ? { hospitalCode: request.query.hospital } : {}),
      }),
    );

    app.post(
      "/",
      {
        config: routeAccess(MANAGERS, "none", "签发接口密钥"),
        schema: {
          body: Type.Object(
            {
              hospitalCode: Type.String({ minLength: 1, maxLength: 30 }),
              name: Type.String({ minLength: 1, maxLength: 60 }),
              expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_KEY_DAYS })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const user = requirePrincipal(request);
        if (user.via !== "session") throw new HttpError("FORBIDDEN", "接口密钥只能在控制台签发");
        const issued = await apiKeys.issue({
          hospitalCode: request.body.hospitalCode,
          name: request.body.name,
          days: request.body.expiresInDays ?? DEFAULT_KEY_DAYS,
          createdBy: user.username,
        });
        request.oplogDetail = {
          keyId: issued.keyId,
          hospitalCode: issued.hospitalCode,
          name: issued.name,
          expiresAt: issued.expiresAt,
        };
        reply.header("cache-control", "no-store");
        return issued;
      },
    );

    app.post(
      "/:keyId/revoke",
      {
        config: routeAccess(MANAGERS, "none", "吊销接口密钥"),
        schema: { params: Type.Object({ keyId: Type.String({ minLength: 1, maxLength: 40 }) }) },
      },
      async (request) => {
        const user = requirePrincipal(request);
        request.oplogDetail = { keyId: request.params.keyId };
        const key = await apiKeys.revoke(request.params.keyId, user.username);
        request.oplogDetail = { keyId: key.keyId, hospitalCode: key.hospitalCode, name: key.name };
        return key;
      },
    );
  };
}
