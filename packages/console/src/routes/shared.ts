/**
 * What the console's route modules share: the options they are built with, the access policy
 * helper, the period checks and query schemas, and number and path formatting.
 */
import { HttpError, type IdentityDb, type RouteAccess, routeAccess, type ServerContext } from "@yibao/server";
import { PERIOD_PATTERN } from "@yibao/server/query-schemas";
import type { SettlementListData, StoreDatabase } from "@yibao/store";
import type { Kysely } from "kysely";
import { Type } from "typebox";
import type { CubeRefresher } from "../cube.js";
import { type ConsoleDb, ROLES, type Role } from "../schema.js";
import type { ConsoleSources } from "../sources.js";

/**
 * 试分组's payment estimate of a list that is not stored: the payment area's settlement code with
 * the policy, weight table and rate in force (see @yibao/payment-service `estimateListPayment`).
 */
export interface WhatIfEstimate {
  readonly policyId: string;
  readonly policyVersion: string;
  readonly weightsId: string;
  readonly weightsVersion: string;
  readonly category: string;
  readonly categoryName: string;
  /** 特殊病例 family that decided the settlement (also when paid as DRG), and its Chinese name; null when none. */
  readonly specialCase?: string | null;
  readonly specialCaseName?: string | null;
  readonly rw: number | null;
  readonly baseRateFen: number;
  readonly coefficient: number;
  readonly standardFen: number | null;
  readonly paymentFen: number;
  readonly totalFeeFen: number;
  readonly surplusFen: number;
}
export type WhatIfEstimator = (list: SettlementListData) => Promise<WhatIfEstimate | null>;

export interface ConsoleRouteOptions {
  readonly db: ConsoleDb;
  /** The same connection typed with the server's identity tables, read only through its functions. */
  readonly identity: IdentityDb;
  /** The same connection typed with the store's tables, read only through its functions. */
  readonly storeDb: Kysely<StoreDatabase>;
  readonly refresher: CubeRefresher;
  /** The areas whose published views feed the figures (CMI, 结余, 审核发现, 追回). */
  readonly sources: ConsoleSources;
  /** Settles a what-if list; without it (no payment area) 试分组 gives no estimate. */
  readonly estimate?: WhatIfEstimator | undefined;
}

/** Every role of the console. */
export const ALL: readonly Role[] = ROLES;

/**
 * A route's access policy (`config.access`): who may call it, how its hospital scope is checked and
 * the action the operation log records.
 */
export function access(roles: readonly Role[], scope: RouteAccess["scope"], action?: string) {
  return routeAccess(roles, scope, action);
}

export const Period = Type.Optional(Type.String({ pattern: PERIOD_PATTERN }));
export const Hospital = Type.Optional(Type.String({ minLength: 1, maxLength: 30 }));
export const Digits = (max: number) => Type.Optional(Type.String({ pattern: `^[0-9]{1,${max}}$` }));
/** A numeric id in a path (`/appeals/:id`, `/users/:id`). */
export const IdParams = Type.Object({ id: Type.String({ pattern: "^[0-9]{1,9}$" }) });

export const ScopedPeriod = Type.Object(
  { hospital: Hospital, periodFrom: Period, periodTo: Period },
  { additionalProperties: false },
);

export function checkRange(q: { periodFrom?: string | undefined; periodTo?: string | undefined }) {
  if (q.periodFrom && q.periodTo && q.periodFrom > q.periodTo) {
    throw new HttpError("INVALID_REQUEST", `起始期号（${q.periodFrom}）晚于截止期号（${q.periodTo}）`);
  }
}

/** The region's schemes by date, as the server holds them. */
type Schemes = ServerContext["schemes"];

/**
 * A scheme's name as the console shows it: its name, marked as a demo once (its name may already say
 * so), as the web's `schemeLabel` does; a scheme the calendar no longer has, by its id.
 */
export function schemeLabel(scheme: { name: string; demo: boolean }): string {
  return scheme.demo && !scheme.name.includes("演示") ? `${scheme.name}（演示方案）` : scheme.name;
}
export function schemeNameOf(schemes: Schemes, id: string): string {
  const scheme = schemes.byId(id);
  return scheme ? schemeLabel(scheme) : id;
}

/** Position of a scheme in the calendar (oldest first); one it no longer has comes last. */
export function schemeOrder(schemes: Schemes, id: string): number {
  const i = schemes.editions.findIndex((e) => e.scheme.id === id);
  return i < 0 ? schemes.editions.length : i;
}

export const fmtInt = (n: number) => n.toLocaleString("zh-CN");
export const fmtYuan = (fen: number) =>
  (fen / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * A request path as people read it: percent-encoded UTF-8 (`%E5%8C%BB`) decoded, each sequence on its
 * own so that one malformed sequence leaves only itself as it was.
 */
export function readablePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
