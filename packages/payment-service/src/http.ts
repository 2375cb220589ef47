/**
 * What the payment API's route files share: the yuan and id schemas, the mapping of job errors to
 * HTTP errors with Chinese messages, the acting user and the role sets.
 */
import { PolicyDataError, SettlementError } from "@yibao/payment";
import { HttpError, PLATFORM_ROLES, type PlatformRole } from "@yibao/server";
import { PERIOD_PATTERN } from "@yibao/server/query-schemas";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { PaymentInputError } from "./repo.js";

export const PERIOD = PERIOD_PATTERN;
/** A yuan amount as text: up to 13 integer digits and two decimals. */
export const YUAN = "^\\d{1,13}(\\.\\d{1,2})?$";
export const Id = Type.String({ minLength: 1, maxLength: 100 });

/** Yuan string → fen (exact). */
export function fen(yuan: string, field: string): number {
  if (!new RegExp(YUAN).test(yuan))
    throw new PaymentInputError(`${field}：须为元金额，最多两位小数（收到「${yuan}」）`);
  const [i, d = ""] = yuan.split(".");
  return Number(i) * 100 + Number(d.padEnd(2, "0"));
}

/** Maps job errors to HTTP errors with Chinese messages. */
export async function guard<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof PaymentInputError) throw new HttpError(e.code, e.message);
    if (e instanceof PolicyDataError) throw new HttpError("INVALID_POLICY_DATA", e.message);
    if (e instanceof SettlementError) throw new HttpError("SETTLEMENT_ERROR", e.message);
    if (e instanceof RangeError) throw new HttpError("INVALID_INPUT", e.message);
    throw e;
  }
}

/** The acting user: the principal the access layer authenticated (every non-public route has one). */
export function actorOf(request: FastifyRequest): string {
  const user = request.principal;
  if (!user) throw new HttpError("UNAUTHENTICATED", "未登录或会话已过期，请重新登录");
  return user.username;
}

export const ALL = PLATFORM_ROLES;
export const BUREAU: readonly PlatformRole[] = ["bureau", "admin"];

/** Sends a statement file (Excel or CSV) as an attachment named `name`. */
export function sendStatementFile(
  reply: FastifyReply,
  body: Buffer,
  format: "xlsx" | "csv",
  name: string,
): FastifyReply {
  return reply
    .header(
      "content-type",
      format === "xlsx"
        ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        : "text/csv; charset=utf-8",
    )
    .header("content-disposition", `attachment; filename="${name}"`)
    .send(body);
}
