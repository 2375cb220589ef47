/**
 * Starting the server from the environment: PORT (default 3000), HOST (default 127.0.0.1: only this
 * machine; set HOST=0.0.0.0, or a reverse proxy, to serve others),
 * DATABASE_URL or YIBAO_DATA_DIR, YIBAO_SCHEME_DIR.
 */

import type { SchemeCalendar } from "@yibao/grouper";
import { loadSchemeDir, resolveSchemeDir } from "@yibao/grouper/load";
import { shanghaiDateTime } from "@yibao/kernel/calendar";
import type { QcEditions } from "@yibao/settlement";
import { type OpenStoreOptions, openStore, type Store } from "@yibao/store";
import { buildServer, type ServerPlugin, type YibaoApp } from "./app.js";
import { type Readiness, readyNow } from "./readiness.js";
import type { RegionInfo } from "./region-info.js";
import { installProcessSafetyNet } from "./safety-net.js";

export interface StartServerOptions {
  /** The region's QC editions (rules and targets in force by date); default the built-in ones. */
  readonly qc?: Partial<QcEditions>;
  /** 地区信息 of the region pack (`region.json`). */
  readonly region?: RegionInfo | null;
  readonly port?: number;
  readonly host?: string;
  readonly schemeDir?: string;
  /**
   * The region's schemes by date (a region pack's `schemes.json`); when given, `schemeDir` is not
   * read and the scheme in force today is the server's current one.
   */
  readonly schemes?: SchemeCalendar;
  readonly store?: OpenStoreOptions;
  /** Further areas' plugins, or a function building them from the opened store. */
  readonly plugins?: readonly ServerPlugin[] | ((store: Store) => readonly ServerPlugin[]);
  /** Pino log level (default `info`, env LOG_LEVEL). */
  readonly logLevel?: string;
  /** Write the JSON log to this file instead of standard output. */
  readonly logFile?: string;
  /** Runs after the app is built and before it listens. */
  readonly beforeListen?: (app: YibaoApp) => Promise<void>;
  /**
   * Runs once the port is open (e.g. loading the demo region); until it ends, API routes answer 503
   * `STARTING` with the step it last reported, and `/healthz` says `starting`.
   */
  readonly warmUp?: (app: YibaoApp, step: (text: string) => void) => Promise<void>;
}

export interface RunningServer {
  readonly app: YibaoApp;
  /** `http://host:port`. */
  readonly url: string;
  /** Settles when the warm-up has ended (at once without one); rejects with the warm-up's error. */
  readonly ready: Promise<void>;
  /** Stops accepting requests, finishes the ones in flight, flushes writes and closes the store. */
  close(): Promise<void>;
}

/** Opens the store, loads the scheme, builds the app and listens. */
export async function startServer(
  options: StartServerOptions = {},
  env = process.env,
): Promise<RunningServer> {
  const port = options.port ?? Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT 不合法：${env.PORT}`);
  const host = options.host ?? env.HOST ?? "127.0.0.1";
  const scheme = options.schemes
    ? options.schemes.on(shanghaiDateTime(new Date()))
    : await loadSchemeDir(resolveSchemeDir(options.schemeDir, env));
  const store = await openStore(options.store ?? {}, env);
  const readiness: Readiness = options.warmUp ? { state: "starting", step: "正在准备" } : readyNow();
  try {
    const app = await buildServer({
      store,
      scheme,
      ...(options.schemes ? { schemes: options.schemes } : {}),
      readiness,
      logger: {
        level: options.logLevel ?? env.LOG_LEVEL ?? "info",
        ...(options.logFile ? { file: options.logFile } : {}),
      },
      // The API keys' master key file lives beside the data (PGlite's directory when one is given).
      ...(options.store?.dataDir ? { apiKeys: { dataDir: options.store.dataDir } } : {}),
      ...(options.plugins
        ? { plugins: typeof options.plugins === "function" ? options.plugins(store) : options.plugins }
        : {}),
      ...(options.qc ? { qc: options.qc } : {}),
      ...(options.region ? { region: options.region } : {}),
    });
    installProcessSafetyNet(app.log);
    await options.beforeListen?.(app);
    const url = await app.listen({ port, host });
    app.log.info(
      { database: store.engine, location: store.location, scheme: scheme.id },
      "医保结算清单服务已启动",
    );
    const ready = options.warmUp ? warmUp(app, readiness, options.warmUp) : Promise.resolve();
    ready.catch(() => {}); // the caller may not wait for it; the failure is logged and kept in readiness
    return {
      app,
      url,
      ready,
      async close() {
        await app.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}

async function warmUp(
  app: YibaoApp,
  readiness: Readiness,
  run: NonNullable<StartServerOptions["warmUp"]>,
): Promise<void> {
  // Let the caller announce the open port before the warm-up reports its first step.
  await new Promise((resolve) => setImmediate(resolve));
  try {
    await run(app, (text) => {
      readiness.step = text;
    });
    readiness.state = "ready";
    readiness.step = "";
  } catch (e) {
    readiness.state = "failed";
    readiness.failure = (e as Error).message;
    app.log.error({ err: e }, "平台启动准备失败");
    throw e;
  }
}
