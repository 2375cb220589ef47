/**
 * The HTTP application (HTTP 接口服务): Fastify with TypeBox schemas, one plugin per area. Other areas
 * (payment, audit, accounts, the web console) add themselves as plugins through `buildServer`'s
 * `plugins` option and reach the store and scheme through `app.yibao`.
 */
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import type { DrgScheme } from "@yibao/grouper";
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
import { type ErrorBody, installErrorHandlers } from "./errors.js";
import { installInputGuard } from "./input-guard.js";
import { createListPreparer, type PrepareList } from "./intake.js";
import { healthRoutes } from "./routes/health.js";
import { qcRoutes } from "./routes/qc.js";
import { settlementListRoutes } from "./routes/settlement-lists.js";

/** What every route can use (`app.yibao`). */
export interface ServerContext {
  readonly store: Store;
  readonly scheme: DrgScheme;
  /** Parse → QC → group for one 4101/4101A envelope. */
  readonly prepareList: PrepareList;
  /** Most lists accepted in one POST. */
  readonly maxListsPerRequest: number;
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
  /** Pino logger options, or false (default in tests) for none. */
  readonly logger?: FastifyServerOptions["logger"];
  /** Largest request body in bytes (default 32 MiB). */
  readonly bodyLimit?: number;
  /** Most lists in one POST (default 2,000). */
  readonly maxListsPerRequest?: number;
  /** Replaces the default parse → QC → group step (e.g. other QC rule editions). */
  readonly prepareList?: PrepareList;
  /** Further areas' plugins. */
  readonly plugins?: readonly ServerPlugin[];
}

/** Built-in areas, registered in this order before `options.plugins`. */
export const BUILTIN_PLUGINS: readonly ServerPlugin[] = [
  { name: "health", plugin: healthRoutes },
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
    // A path that is not valid percent-encoded UTF-8 (e.g. `%ED%A0%80`, a lone surrogate) never reaches
    // the router's default English answer.
    frameworkErrors: (err, _request, reply) => {
      const body: ErrorBody =
        err.code === "FST_ERR_BAD_URL"
          ? {
              statusCode: 400,
              code: "INVALID_URL",
              message: "请求路径不是合法的 URL 编码（含无法解码为 UTF-8 的 %xx 序列）",
            }
          : { statusCode: 400, code: "BAD_REQUEST", message: "请求无效" };
      return (reply as FastifyReply).status(400).send(body);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  installErrorHandlers(app);
  installInputGuard(app);
  app.decorate("yibao", {
    store: options.store,
    scheme: options.scheme,
    prepareList: options.prepareList ?? createListPreparer(options.scheme),
    maxListsPerRequest: options.maxListsPerRequest ?? 2000,
  } satisfies ServerContext);
  for (const p of [...BUILTIN_PLUGINS, ...(options.plugins ?? [])]) {
    await app.register(p.plugin, p.prefix ? { prefix: p.prefix } : {});
  }
  await app.ready();
  return app;
}
