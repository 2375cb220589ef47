/**
 * Starting the server from the environment: PORT (default 3000), HOST (default 127.0.0.1: only this
 * machine; set HOST=0.0.0.0, or a reverse proxy, to serve others),
 * DATABASE_URL or YIBAO_DATA_DIR, YIBAO_SCHEME_DIR.
 */
import { loadSchemeDir, resolveSchemeDir } from "@yibao/grouper/load";
import { type OpenStoreOptions, openStore, type Store } from "@yibao/store";
import { buildServer, type ServerPlugin, type YibaoApp } from "./app.js";
import { installProcessSafetyNet } from "./safety-net.js";

export interface StartServerOptions {
  readonly port?: number;
  readonly host?: string;
  readonly schemeDir?: string;
  readonly store?: OpenStoreOptions;
  /** Further areas' plugins, or a function building them from the opened store. */
  readonly plugins?: readonly ServerPlugin[] | ((store: Store) => readonly ServerPlugin[]);
  /** Pino log level (default `info`, env LOG_LEVEL). */
  readonly logLevel?: string;
  /** Runs after the app is built and before it listens (e.g. loading the demo region). */
  readonly beforeListen?: (app: YibaoApp) => Promise<void>;
}

export interface RunningServer {
  readonly app: YibaoApp;
  /** `http://host:port`. */
  readonly url: string;
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
  const scheme = await loadSchemeDir(resolveSchemeDir(options.schemeDir, env));
  const store = await openStore(options.store ?? {}, env);
  try {
    const app = await buildServer({
      store,
      scheme,
      logger: { level: options.logLevel ?? env.LOG_LEVEL ?? "info" },
      // The API keys' master key file lives beside the data (PGlite's directory when one is given).
      ...(options.store?.dataDir ? { apiKeys: { dataDir: options.store.dataDir } } : {}),
      ...(options.plugins
        ? { plugins: typeof options.plugins === "function" ? options.plugins(store) : options.plugins }
        : {}),
    });
    installProcessSafetyNet(app.log);
    await options.beforeListen?.(app);
    const url = await app.listen({ port, host });
    app.log.info(
      { database: store.engine, location: store.location, scheme: scheme.id },
      "医保结算清单服务已启动",
    );
    return {
      app,
      url,
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
