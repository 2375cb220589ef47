/**
 * @yibao/console: the web console's server side — accounts, roles, sessions, the operation log, the
 * console's read APIs and the built SPA — as plugins for `buildServer({ plugins })`.
 *
 * Wiring: open the store with `migrations: consoleMigrations`, call `ensureDemoAccounts` (print what it
 * returns), then pass `consolePlugins({ store })` to `buildServer`/`startServer`.
 */
import type { ServerPlugin } from "@yibao/server";
import type { Store } from "@yibao/store";
import { accessPlugin } from "./access.js";
import {
  DEFAULT_SESSION_POLICY,
  type DemoAccount,
  ensureDemoAccounts as ensureDemo,
  type SessionPolicy,
} from "./accounts.js";
import { CubeRefresher } from "./cube.js";
import { consoleRoutes } from "./routes.js";
import { consoleDb } from "./schema.js";
import { spaPlugin } from "./spa.js";

export * from "./access.js";
export * from "./accounts.js";
export * from "./cube.js";
export * from "./indicator-sql.js";
export * from "./migrations.js";
export * from "./oplog.js";
export * from "./routes.js";
export * from "./schema.js";
export * from "./spa.js";

export interface ConsolePluginOptions {
  readonly store: Store;
  /** Built SPA directory (default packages/web/dist). */
  readonly webDist?: string;
  readonly sessionPolicy?: Partial<SessionPolicy>;
  /** Secure cookie flag (set when served over HTTPS). Default: env YIBAO_SECURE_COOKIE=1. */
  readonly secureCookie?: boolean;
  /** Delay between an upload and the indicator refresh (ms, default 1500). */
  readonly refreshDelayMs?: number;
  /** How often to check for lists stored another way (ms, default 60 s; 0 = never). */
  readonly checkIntervalMs?: number;
}

/** The console's plugins: access control (root level), the console API, the SPA. */
export function consolePlugins(options: ConsolePluginOptions): ServerPlugin[] {
  const db = consoleDb(options.store);
  const sessionPolicy = { ...DEFAULT_SESSION_POLICY, ...options.sessionPolicy };
  const refresher = new CubeRefresher(db, options.refreshDelayMs ?? 1500);
  const interval = options.checkIntervalMs ?? 60_000;
  return [
    {
      name: "console-access",
      plugin: accessPlugin({ db, sessionPolicy, onListsChanged: () => refresher.markDirty() }),
    },
    {
      name: "console-api",
      prefix: "/api/v1/console",
      plugin: async (app) => {
        await refresher.check();
        let timer: NodeJS.Timeout | null = null;
        if (interval > 0) {
          timer = setInterval(() => {
            refresher.check().catch((err) => app.log.error({ err }, "指标汇总刷新失败"));
          }, interval);
          timer.unref();
        }
        app.addHook("onClose", async () => {
          if (timer) clearInterval(timer);
          await refresher.close();
        });
        await app.register(
          consoleRoutes({
            db,
            refresher,
            sessionPolicy,
            secureCookie: options.secureCookie ?? process.env.YIBAO_SECURE_COOKIE === "1",
          }),
        );
      },
    },
    { name: "console-web", plugin: spaPlugin(options.webDist) },
  ];
}

/** Creates the missing demo accounts; returns them with their passwords (print them at start). */
export function ensureDemoAccounts(
  store: Store,
  options: { hospitalCodes?: readonly string[]; passwords?: Readonly<Record<string, string>> } = {},
): Promise<DemoAccount[]> {
  return ensureDemo(consoleDb(store), options);
}
