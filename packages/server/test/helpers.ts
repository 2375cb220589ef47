/**
 * Test servers on both engines: PGlite in memory, and the real PostgreSQL server
 * (`YIBAO_TEST_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/test) in a fresh schema that
 * is dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import type { DrgScheme } from "@yibao/grouper";
import { loadSchemeDir, resolveSchemeDir } from "@yibao/grouper/load";
import { dropSchema, openStore, type Store } from "@yibao/store";
import { type BuildServerOptions, buildServer, type YibaoApp } from "../src/index.js";

export const TEST_DATABASE_URL =
  process.env.YIBAO_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

let schemePromise: Promise<DrgScheme> | undefined;
/** The bundled demo scheme. */
export function demoScheme(): Promise<DrgScheme> {
  schemePromise ??= loadSchemeDir(resolveSchemeDir(null, {}));
  return schemePromise;
}

export interface TestServer {
  readonly app: YibaoApp;
  readonly store: Store;
  close(): Promise<void>;
}

export type EngineName = "pglite" | "postgres";
export const ENGINE_NAMES: readonly EngineName[] = ["pglite", "postgres"];

export async function testServer(
  engine: EngineName,
  extra: Partial<Omit<BuildServerOptions, "store" | "scheme">> = {},
): Promise<TestServer> {
  const scheme = await demoScheme();
  const schema = `test_srv_${process.pid}_${randomBytes(5).toString("hex")}`;
  const store =
    engine === "pglite"
      ? await openStore({ memory: true })
      : await openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 6 });
  const app = await buildServer({ store, scheme, ...extra });
  return {
    app,
    store,
    async close() {
      await app.close();
      await store.close();
      if (engine === "postgres") {
        await dropSchema(TEST_DATABASE_URL, schema);
      }
    },
  };
}
