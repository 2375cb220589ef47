/**
 * A route's access policy (访问策略), declared by each area's routes in `config.access` and enforced
 * by the console's access layer (`@yibao/console` `RouteAccess`): who may call it, how a hospital
 * account is scoped, and the operation-log name of a change.
 */

/** The platform's roles: 医保局, 医院, 审核员, 管理员. */
export const PLATFORM_ROLES = ["bureau", "hospital", "reviewer", "admin"] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/**
 * How a hospital account is held to its own data: `query` forces the `hospital` query parameter,
 * `setlId` checks the list named by `:setlId`, `envelopes` every posted envelope's institution,
 * `handler` leaves it to the handler, `none` when the route reads no hospital's data.
 */
export type HospitalScope = "query" | "setlId" | "envelopes" | "handler" | "none";

/** The route options' `config` carrying the policy. */
export function routeAccess(roles: readonly PlatformRole[], scope: HospitalScope, action?: string): object {
  return { access: { roles, scope, ...(action ? { action } : {}) } };
}
