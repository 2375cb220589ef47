/** 账号管理 (administrators): the accounts, a new account, disabling one, resetting its password. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  createUser,
  HttpError,
  listUsers,
  passwordProblem,
  requirePrincipal,
  resetPassword,
  setUserDisabled,
  usernameTaken,
} from "@yibao/server";
import { knownHospitalCodes } from "@yibao/store";
import { Type } from "typebox";
import { ROLES } from "../schema.js";
import { access, type ConsoleRouteOptions, IdParams } from "./shared.js";

const NewUser = Type.Object(
  {
    username: Type.String({ pattern: "^[A-Za-z0-9_.-]{3,40}$" }),
    displayName: Type.String({ minLength: 1, maxLength: 60 }),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    hospitalCode: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    password: Type.String({ maxLength: 200 }),
  },
  { additionalProperties: false },
);

export function userRoutes(
  options: Pick<ConsoleRouteOptions, "identity" | "storeDb">,
): FastifyPluginAsyncTypebox {
  const { identity, storeDb } = options;
  return async (app) => {
    app.get("/users", { config: access(["admin"], "none") }, async () => ({
      rows: await listUsers(identity),
    }));

    app.post(
      "/users",
      { config: access(["admin"], "none", "新建账号"), schema: { body: NewUser } },
      async (request, reply) => {
        const b = request.body;
        if ((b.role === "hospital") !== Boolean(b.hospitalCode)) {
          throw new HttpError("INVALID_REQUEST", "医院账号必须填写医院编码，其他角色不能填写");
        }
        if (b.hospitalCode) {
          const known = await knownHospitalCodes(storeDb, [b.hospitalCode]);
          if (!known.has(b.hospitalCode))
            throw new HttpError("INVALID_REQUEST", `医院编码不存在：${b.hospitalCode}，请先确认医院已登记`);
        }
        const problem = passwordProblem(b.password, b.username);
        if (problem) throw new HttpError("WEAK_PASSWORD", problem);
        if (await usernameTaken(identity, b.username))
          throw new HttpError("CONFLICT", `用户名已存在：${b.username}`);
        // The administrator knows the initial password: the new user must change it at first sign-in.
        const id = await createUser(identity, {
          ...b,
          hospitalCode: b.hospitalCode ?? null,
          mustChangePassword: true,
        });
        request.oplogDetail = {
          userId: id,
          username: b.username,
          role: b.role,
          hospitalCode: b.hospitalCode ?? null,
        };
        return reply.status(201).send({ id });
      },
    );

    app.post(
      "/users/:id/status",
      {
        config: access(["admin"], "none", "停用/启用账号"),
        schema: {
          params: IdParams,
          body: Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false }),
        },
      },
      async (request) => {
        const id = Number(request.params.id);
        if (id === requirePrincipal(request).id) throw new HttpError("INVALID_REQUEST", "不能停用自己的账号");
        if (!(await setUserDisabled(identity, id, request.body.disabled)))
          throw new HttpError("NOT_FOUND", `账号不存在：${id}`);
        request.oplogDetail = { userId: id, disabled: request.body.disabled };
        return { ok: true };
      },
    );

    app.post(
      "/users/:id/password",
      { config: access(["admin"], "none", "重置密码"), schema: { params: IdParams } },
      async (request) => {
        const id = Number(request.params.id);
        if (id === requirePrincipal(request).id)
          throw new HttpError("INVALID_REQUEST", "不能重置自己的密码，请使用“修改密码”");
        // A new generated password, to be changed at the next sign-in; every session of the account ends.
        const reset = await resetPassword(identity, { id });
        if (!reset) throw new HttpError("NOT_FOUND", `账号不存在：${id}`);
        request.oplogDetail = { userId: id, username: reset.username };
        return { username: reset.username, password: reset.password };
      },
    );
  };
}
