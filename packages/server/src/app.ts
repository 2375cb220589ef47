/**
 * The HTTP application (HTTP 接口服务): Fastify with TypeBox schemas, one plugin per area. Identity and
 * access control are part of the core: every route declares its policy, and nothing is served to a
 * caller the policy does not admit. Other areas (payment, audit, the web console) add themselves as
 * plugins through `buildServer`'s `plugins` option and reach the store and scheme through `app.yibao`.
 */

import { EventEmitter } from "node:events";
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import { type DrgScheme, SchemeCalendar } from "@yibao/grouper";
import type { QcEditions, QcRuleSet, QcTargetSet } from "@yibao/settlement";
import type { Store } from "@yibao/store";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from "fastify";
import { installErrorHandlers, sendError } from "./errors.js";
import { type Authenticator, installAccessControl } from "./identity/access.js";
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from "./identity/accounts.js";
import { apiKeyRoutes } from "./identity/api-key-routes.js";
import { type ApiKeyConfig, createApiKeys } from "./identity/api-keys.js";
import { authRoutes } from "./identity/auth-routes.js";
import { identityDb } from "./identity/tables.js";
import { installInputGuard } from "./input-guard.js";
import { createListPreparer, type PrepareList } from "./intake.js";
import { createQcEditionBook, type QcEditionBook } from "./qc-editions.js";
import { type Readiness, readyNow } from "./readiness.js";
import type { RegionInfo } from "./region-info.js";
import { healthRoutes } from "./routes/health.js";
import { qcRoutes } from "./routes/qc.js";
import { settlementListRoutes } from "./routes/settlement-lists.js";

/** What every route can use (`app.yibao`). */
export interface ServerContext {
  readonly store: Store;
  /** The scheme in force today (the one the console names and estimates by). */
  readonly scheme: DrgScheme;
  /** The region's schemes by date (分组方案切换): each list is grouped by the one in force on its date. */
  readonly schemes: SchemeCalendar;
  /** Parse → QC → group for one 4101/4101A envelope. */
  readonly prepareList: PrepareList;
  /** Most lists accepted in one POST. */
  readonly maxListsPerRequest: number;
  /** The session policy (idle and absolute expiry, lock-out). */
  readonly sessionPolicy: SessionPolicy;
  /** Intake events: `listsChanged` after lists were stored (projections such as the console's cubes follow it). */
  readonly events: EventEmitter<ServerEvents>;
  /** Start-up readiness: API routes answer 503 `STARTING` until it is `ready`. */
  readonly readiness: Readiness;
  /** The region's QC target editions (质控目标), the default edition when the region gives none. */
  readonly qcTargets: readonly QcTargetSet[];
  /** The region's QC rule editions (质控规则), the built-in edition when the region gives none. */
  readonly qcRules: readonly QcRuleSet[];
  /** Both, with the editions the bureau published since start and who published them. */
  readonly qcEditions: QcEditionBook;
  /** 地区信息 of the region pack (`region.json`); null when the deployment has none. */
  readonly region: RegionInfo | null;
}

/** What the core announces to other areas. */
export interface ServerEvents {
  listsChanged: [{ readonly count: number }];
}

declare module "fastify" {
  interface FastifyInstance {
    yibao: ServerContext;
  }
}

/** The Fastify instance type of this server (TypeBox type provider). */
export type YibaoApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A plugin of one area, registered after the built-in ones. */
export interface ServerPlugin {
  readonly name: string;
  readonly plugin: FastifyPluginAsync;
  /** URL prefix, e.g. `/api/v1/payment`. */
  readonly prefix?: string;
}

export interface BuildServerOptions {
  readonly store: Store;
  readonly scheme: DrgScheme;
  /**
   * The region's schemes by date (a region pack's `schemes.json`); default: `scheme` on every date.
   * `scheme` should be the one of them in force today.
   */
  readonly schemes?: SchemeCalendar;
  /** Pino logger options, or false (default in tests) for none. */
  readonly logger?: FastifyServerOptions["logger"];
  /** Largest request body in bytes (default 32 MiB). */
  readonly bodyLimit?: number;
  /** Most lists in one POST (default 2,000). */
  readonly maxListsPerRequest?: number;
  /** Replaces the default parse → QC → group step. */
  readonly prepareList?: PrepareList;
  /**
   * The region's QC editions (a region pack's `qc-rules.json` and `qc-targets.json`): each list is
   * checked by the rule edition in force on its discharge date. Default: the built-in editions.
   */
  readonly qc?: Partial<QcEditions>;
  /** 地区信息 of the region pack (`region.json`). */
  readonly region?: RegionInfo | null;
  /** Further areas' plugins. */
  readonly plugins?: readonly ServerPlugin[];
  /** Session policy overrides (idle and absolute expiry, lock-out). */
  readonly sessionPolicy?: Partial<SessionPolicy>;
  /** Always mark the session cookie `Secure` (default: env YIBAO_SECURE_COOKIE=1; else only over TLS). */
  readonly secureCookie?: boolean;
  /**
   * Trust `X-Forwarded-*` from these proxies (Fastify `trustProxy`: addresses, CIDRs, or a hop count)
   * so that the client's address and TLS are known behind a reverse proxy. Default: env
   * YIBAO_TRUST_PROXY, else none.
   */
  readonly trustProxy?: string | number;
  /**
   * Further ways of authenticating, tried after the built-in one for institutions' API keys
   * (signed requests with `X-Yibao-Key-Id`).
   */
  readonly authenticators?: readonly Authenticator[];
  /**
   * The institutions' API keys: the master key their secrets are derived from (default env
   * YIBAO_MASTER_KEY, else `master.key` in YIBAO_DATA_DIR, created on first use) and the accepted
   * clock difference of signed requests.
   */
  readonly apiKeys?: ApiKeyConfig;
  /** Start-up readiness shared with whoever warms the server up (default: ready at once). */
  readonly readiness?: Readiness;
}

function trustProxyOption(
  value: string | number | undefined,
): boolean | string | ((address: string, hop: number) => boolean) {
  if (value === undefined || value === "") return false;
  if (typeof value === "number" || /^[0-9]+$/.test(value)) {
    const hops = Number(value);
    return (_address: string, hop: number) => hop < hops;
  }
  return value;
}

/** Built-in areas, registered in this order before `options.plugins`. */
export const BUILTIN_PLUGINS: readonly ServerPlugin[] = [
  { name: "health", plugin: healthRoutes },
  // the sign-in routes are added by buildServer (they need its session policy)
  { name: "settlement-lists", plugin: settlementListRoutes, prefix: "/api/v1/settlement-lists" },
  { name: "qc", plugin: qcRoutes, prefix: "/api/v1/qc" },
];

/** Builds the application (not listening); tests drive it with `app.inject`. */
export async function buildServer(options: BuildServerOptions): Promise<YibaoApp> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 32 * 1024 * 1024,
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    return503OnClosing: true,
    keepAliveTimeout: 65_000,
    trustProxy: trustProxyOption(options.trustProxy ?? process.env.YIBAO_TRUST_PROXY),
    // A path that is not valid percent-encoded UTF-8 (e.g. `%ED%A0%80`, a lone surrogate) never reaches
    // the router's default English answer.
    frameworkErrors: (err, _request, reply) =>
      err.code === "FST_ERR_BAD_URL"
        ? sendError(
            reply as FastifyReply,
            "INVALID_URL",
            "请求路径不是合法的 URL 编码（含无法解码为 UTF-8 的 %xx 序列）",
          )
        : sendError(reply as FastifyReply, "BAD_REQUEST", "请求无效"),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  installErrorHandlers(app);
  installInputGuard(app);
  const sessionPolicy = { ...DEFAULT_SESSION_POLICY, ...options.sessionPolicy };
  const schemes = options.schemes ?? SchemeCalendar.single(options.scheme);
  const qcEditions = createQcEditionBook(options.store.db, options.qc);
  await qcEditions.load();
  app.decorate("yibao", {
    store: options.store,
    scheme: options.scheme,
    schemes,
    prepareList: options.prepareList ?? createListPreparer(schemes, () => qcEditions.rules),
    maxListsPerRequest: options.maxListsPerRequest ?? 2000,
    sessionPolicy,
    events: new EventEmitter<ServerEvents>(),
    readiness: options.readiness ?? readyNow(),
    region: options.region ?? null,
    get qcTargets() {
      return qcEditions.targets;
    },
    get qcRules() {
      return qcEditions.rules;
    },
    qcEditions,
  } satisfies ServerContext);
  // Editions published by another process are taken up within a second (one small query at most).
  app.addHook("onRequest", async () => {
    await qcEditions.refreshIfStale();
  });
  const db = identityDb(options.store);
  await db
    .selectFrom("console_user")
    .select("id")
    .limit(1)
    .execute()
    .catch((e: unknown) => {
      throw new Error(
        `数据库缺少账号与会话表：打开数据库时须包含 identityMigrations（@yibao/server）（${(e as Error).message}）`,
      );
    });
  // Every deployment accepts signed requests of hospital systems (on `machine` routes only).
  const apiKeys = createApiKeys(db, options.apiKeys);
  await installAccessControl(app, {
    db,
    sessionPolicy,
    authenticators: [apiKeys.authenticator, ...(options.authenticators ?? [])],
  });
  apiKeys.installBodyDigest(app);
  await app.register(
    authRoutes({
      db,
      sessionPolicy,
      secureCookie: options.secureCookie ?? process.env.YIBAO_SECURE_COOKIE === "1",
    }),
    { prefix: "/api/v1/auth" },
  );
  await app.register(apiKeyRoutes({ apiKeys }), { prefix: "/api/v1/api-keys" });
  for (const p of [...BUILTIN_PLUGINS, ...(options.plugins ?? [])]) {
    await app.register(p.plugin, p.prefix ? { prefix: p.prefix } : {});
  }
  await app.ready();
  return app;
}
