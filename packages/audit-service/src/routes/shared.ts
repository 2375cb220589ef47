/**
 * What the audit API's resources share: the acting user, the mapping of domain errors to the error
 * catalogue, the parameter schemas, and the per-server state the resources hand to each other
 * (the rule libraries in force and the pre-upload check's cached context).
 */
import type { Role } from "@yibao/audit";
import { WorkflowError } from "@yibao/audit";
import { HttpError } from "@yibao/server";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { type AuditLibraries, AuditServiceError } from "../context.js";
import type { AuditLibraryBook } from "../library-editions.js";
import type { precheckContextCache } from "../precheck.js";
import type { CaseActor } from "../workflow.js";

/** The state the audit resources of one server share. */
export interface AuditRouteContext {
  /** The editions in force (the book's, published ones included). */
  readonly libraries: AuditLibraries;
  /** The editions with who published them. */
  readonly book: AuditLibraryBook;
  /** The pre-upload check's context, built on first use and dropped when a run changes the norms. */
  precheck: ReturnType<typeof precheckContextCache> | null;
}

/** The acting user of a request: the principal the access layer authenticated, or null. */
export function actorOf(request: FastifyRequest): CaseActor | null {
  const u = request.principal;
  if (!u) return null;
  const wf: Role = u.role === "admin" ? "bureau" : u.role;
  return { user: u.username, role: wf, hospitalCode: wf === "hospital" ? u.hospitalCode : null };
}

/** The acting user, who must hold one of `allowed` (a hospital account must name its hospital). */
export function requireActor(request: FastifyRequest, allowed: readonly Role[]): CaseActor {
  const a = actorOf(request);
  if (a === null) throw new HttpError("UNAUTHENTICATED", "未登录或会话已过期，请重新登录");
  if (!allowed.includes(a.role)) throw new HttpError("FORBIDDEN", "当前角色无权执行该操作");
  if (a.role === "hospital" && !a.hospitalCode) {
    throw new HttpError("NO_HOSPITAL", "医院账号未绑定定点医药机构");
  }
  return a;
}

/** Turns domain errors into 4xx replies. */
export function toHttp(e: unknown): never {
  if (e instanceof HttpError) throw e;
  if (e instanceof WorkflowError) {
    const forbidden = e.reason === "forbidden";
    throw new HttpError(forbidden ? "FORBIDDEN" : "INVALID_TRANSITION", e.message);
  }
  if (e instanceof AuditServiceError) throw new HttpError(e.code, e.message);
  if (e instanceof RangeError) throw new HttpError("INVALID_REQUEST", e.message);
  if (e instanceof Error && e.name === "PaymentInputError") throw new HttpError("PAYMENT_INPUT", e.message);
  if (e instanceof Error && e.name === "SettlementError")
    throw new HttpError("SETTLEMENT_ERROR", `无法按结算规则计算该清单：${e.message}`);
  throw e;
}

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 500 }) });
