/**
 * @yibao/console: the web console's server side — the console's read APIs (indicators, lists, QC
 * findings, appeals, accounts and the operation log for administrators, Excel export) and the built
 * SPA — as plugins for `buildServer({ plugins })`. Identity, sessions and access control are the
 * server core's (`@yibao/server`).
 *
 * Wiring: open the store with the identity migrations and `consoleMigrations`, call
 * `ensureDemoAccounts` (print what it returns), then pass `consolePlugins({ store })` to
 * `buildServer`/`startServer`.
 */
import {
  type DemoAccount,
  ensureDemoAccounts as ensureDemo,
  identityDb,
  type ServerPlugin,
} from "@yibao/server";
import type { Store } from "@yibao/store";
import { CubeRefresher } from "./cube.js";
import { consoleRoutes, type WhatIfEstimator } from "./routes.js";
import { consoleDb } from "./schema.js";
import { type ConsoleSources, checkSources, NO_SOURCES } from "./sources.js";
import { spaPlugin } from "./spa.js";

export * from "./cube.js";
export * from "./indicator-sql.js";
export * from "./migrations.js";
export * from "./routes.js";
export * from "./schema.js";
export * from "./sources.js";
export * from "./spa.js";

export interface ConsolePluginOptions {
  readonly store: Store;
  /** Built SPA directory (default packages/web/dist). */
  readonly webDist?: string;
  /** Delay between an upload and the indicator refresh (ms, default 1500). */
  readonly refreshDelayMs?: number;
  /** How often to check for lists stored another way (ms, default 60 s; 0 = never). */
  readonly checkIntervalMs?: number;
  /** 试分组's payment estimate (the payment area's settlement); none without it. */
  readonly estimate?: WhatIfEstimator;
  /** The areas whose published views feed the figures (default none: the lists' own figures only). */
  readonly sources?: ConsoleSources;
}

/** The console's plugins: the console API and the SPA. */
export function consolePlugins(options: ConsolePluginOptions): ServerPlugin[] {
  const db = consoleDb(options.store);
  const sources = options.sources ?? NO_SOURCES;
  const refresher = new CubeRefresher(db, sources, options.refreshDelayMs ?? 1500);
  const interval = options.checkIntervalMs ?? 60_000;
  return [
    {
      name: "console-api",
      prefix: "/api/v1/console",
      plugin: async (app) => {
        await checkSources(db, sources);
        await refresher.check();
        const onLists = () => refresher.markDirty();
        app.yibao.events.on("listsChanged", onLists);
        let timer: NodeJS.Timeout | null = null;
        if (interval > 0) {
          timer = setInterval(() => {
            refresher.check().catch((err) => app.log.error({ err }, "指标汇总刷新失败"));
          }, interval);
          timer.unref();
        }
        app.addHook("onClose", async () => {
          app.yibao.events.off("listsChanged", onLists);
          if (timer) clearInterval(timer);
          await refresher.close();
        });
        await app.register(
          consoleRoutes({
            db,
            identity: identityDb(options.store),
            storeDb: options.store.db,
            refresher,
            sources,
            estimate: options.estimate,
          }),
        );
      },
    },
    { name: "console-web", plugin: spaPlugin(options.webDist) },
  ];
}

/**
 * Creates the missing demo accounts; returns them with their passwords, to be printed once (only hashes
 * are stored; generated passwords must be changed at first sign-in).
 */
export function ensureDemoAccounts(
  store: Store,
  options: Parameters<typeof ensureDemo>[1] = {},
): Promise<DemoAccount[]> {
  return ensureDemo(identityDb(store), options);
}
