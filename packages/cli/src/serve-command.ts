/**
 * `yibao serve` (and `npm start`): the HTTP API and web console on PostgreSQL (`DATABASE_URL`) or
 * embedded PGlite (`YIBAO_DATA_DIR`, default `./data`), with the scheme resolved as everywhere else.
 */
import { resolveSchemeDir } from "@yibao/grouper/load";
import { type ServerPlugin, startServer } from "@yibao/server";

export interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly scheme?: string;
  readonly dataDir?: string;
  readonly databaseUrl?: string;
  readonly plugins?: readonly ServerPlugin[];
}

export async function serve(o: ServeOptions): Promise<void> {
  const server = await startServer({
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.host !== undefined ? { host: o.host } : {}),
    schemeDir: resolveSchemeDir(o.scheme),
    store: {
      ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
      ...(o.dataDir ? { dataDir: o.dataDir } : {}),
    },
    ...(o.plugins ? { plugins: o.plugins } : {}),
  });
  process.stdout.write(`医保平台已启动：${server.url}\n`);
  const stop = async () => {
    process.stdout.write("正在停止……\n");
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
