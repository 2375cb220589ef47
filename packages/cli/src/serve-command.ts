/**
 * `yibao serve` (and `npm start`): the HTTP API and web console on PostgreSQL (`DATABASE_URL`) or
 * embedded PGlite (`YIBAO_DATA_DIR`, default `./data`), with the scheme resolved as everywhere else.
 * With `--demo`, an empty store is first filled with the synthetic demo region.
 */
import { resolveSchemeDir } from "@yibao/grouper/load";
import { type ServerPlugin, startServer } from "@yibao/server";
import type { NamedMigration, Store } from "@yibao/store";
import { type DemoRegionOptions, loadDemoRegion } from "./demo-region.js";

export interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly scheme?: string;
  readonly dataDir?: string;
  readonly databaseUrl?: string;
  readonly plugins?: readonly ServerPlugin[] | ((store: Store) => readonly ServerPlugin[]);
  readonly migrations?: readonly NamedMigration[];
  /** Load the demo region into an empty store before serving. */
  readonly demo?: DemoRegionOptions | false;
  readonly log?: (line: string) => void;
}

export async function serve(o: ServeOptions): Promise<{ url: string; close(): Promise<void> }> {
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const server = await startServer({
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.host !== undefined ? { host: o.host } : {}),
    schemeDir: resolveSchemeDir(o.scheme),
    store: {
      ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
      ...(o.dataDir ? { dataDir: o.dataDir } : {}),
      ...(o.migrations ? { migrations: o.migrations } : {}),
    },
    ...(o.plugins ? { plugins: o.plugins } : {}),
    beforeListen: async (app) => {
      if (!o.demo) return;
      const { store, scheme } = app.yibao;
      let shown = 0;
      const r = await loadDemoRegion(store, scheme, {
        ...o.demo,
        onProgress: (done, total) => {
          if (done - shown >= total / 10 || done === total) {
            shown = done;
            log(`正在载入演示地区：${done}/${total}`);
          }
        },
      });
      if (r.skipped) log(`数据库中已有 ${r.lists} 份结算清单，不再载入演示地区`);
      else {
        log(
          `已载入演示地区（${scheme.demo ? "演示方案" : scheme.name}）：${r.hospitals} 家医院，${r.lists} 份结算清单（入院 ${r.from} 至 ${r.to}），接收 ${r.accepted} 份`,
        );
      }
    },
  });
  log(`医保平台已启动：${server.url}`);
  return server;
}

/** Runs until SIGINT/SIGTERM, then closes cleanly. */
export function closeOnSignals(server: { close(): Promise<void> }): void {
  const stop = async () => {
    process.stdout.write("正在停止……\n");
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
