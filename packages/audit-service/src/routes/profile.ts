/** 医师画像 (physician profile) of an audited period, for the bureau and its reviewers. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { HttpError, routeAccess } from "@yibao/server";
import { Type } from "typebox";
import { readProfile, readProfilePeriods } from "../queries.js";
import { parsePeriods } from "../read.js";
import { toHttp } from "./shared.js";

const ProfileQuery = Type.Object(
  { period: Type.String({ minLength: 4, maxLength: 20 }) },
  { additionalProperties: false },
);

export function profileRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    // The periods that have a profile, the latest audit first: the console's period picker.
    app.get(
      "/physicians/profile/periods",
      { config: routeAccess(["bureau", "reviewer", "admin"], "none") },
      async () => ({ items: await readProfilePeriods(app.yibao.store) }),
    );

    app.get(
      "/physicians/profile",
      { config: routeAccess(["bureau", "reviewer", "admin"], "none"), schema: { querystring: ProfileQuery } },
      async (request) => {
        try {
          parsePeriods(request.query.period);
        } catch (e) {
          toHttp(e);
        }
        const p = await readProfile(app.yibao.store, request.query.period);
        if (p.profiles.length === 0) {
          throw new HttpError(
            "NO_PROFILE",
            `期号 ${request.query.period} 尚无医师画像：请先运行该期的智能审核`,
          );
        }
        return p;
      },
    );
  };
}
