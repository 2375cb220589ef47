/**
 * A route's access policy (访问策略). Every route of the application declares one in its own route
 * options (`config: routeAccess(…)`); the server refuses to start with a route that has none, and
 * the access layer (`identity/access.ts`) decides on the policy of the route Fastify matched.
 */
import { HOSPITAL_SCOPES, type HospitalScope } from "@yibao/kernel/enums";
import { ROLES, type Role } from "./identity/tables.js";

/** The platform's roles: 医保局, 医院, 审核员, 管理员. */
export const PLATFORM_ROLES: readonly Role[] = ROLES;
export type PlatformRole = Role;

/** How a hospital account is held to its own data (医院数据范围): the kernel's `HospitalScope`. */
export { HOSPITAL_SCOPES, type HospitalScope } from "@yibao/kernel/enums";

export interface RouteAccess {
  /** Roles allowed; `public` routes need no credentials (sign-in, health, the web pages). */
  readonly roles: readonly Role[] | "public";
  readonly scope: HospitalScope;
  /** Operation-log name of a change (state-changing requests are logged with it). */
  readonly action?: string;
  /**
   * 机构接口: callable by a hospital information system with a signed request and its institution's
   * API key (as a hospital account of that institution). Routes without it are closed to API keys.
   */
  readonly machine?: boolean;
  /** Open to a signed-in user whose generated password must be changed first (who am I, sign out, change it). */
  readonly beforePasswordChange?: boolean;
}

export interface RouteAccessOptions {
  readonly action?: string;
  readonly machine?: boolean;
  readonly beforePasswordChange?: boolean;
}

/** The route options' `config` carrying the policy. */
export function routeAccess(
  roles: readonly Role[] | "public",
  scope: HospitalScope,
  actionOrOptions?: string | RouteAccessOptions,
): { access: RouteAccess } {
  const o: RouteAccessOptions =
    typeof actionOrOptions === "string" ? { action: actionOrOptions } : (actionOrOptions ?? {});
  return {
    access: {
      roles,
      scope,
      ...(o.action ? { action: o.action } : {}),
      ...(o.machine ? { machine: true } : {}),
      ...(o.beforePasswordChange ? { beforePasswordChange: true } : {}),
    },
  };
}

/** A public route (no credentials): health, sign-in, the web console's static pages. */
export const PUBLIC_ROUTE = routeAccess("public", "none");

/** Why a declared policy is malformed, or null. */
export function policyProblem(access: unknown): string | null {
  if (access === null || typeof access !== "object") return "未声明访问策略（config.access）";
  const a = access as Partial<RouteAccess>;
  if (a.roles !== "public") {
    if (!Array.isArray(a.roles) || a.roles.length === 0) return "访问策略的角色列表为空";
    for (const r of a.roles) if (!ROLES.includes(r)) return `访问策略中的角色不存在：${String(r)}`;
  }
  if (!HOSPITAL_SCOPES.includes(a.scope as HospitalScope))
    return `访问策略的医院范围不合法：${String(a.scope)}`;
  return null;
}
