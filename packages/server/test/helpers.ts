/**
 * Test servers on both engines: PGlite in memory, and the real PostgreSQL server
 * (`YIBAO_TEST_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/test) in a fresh schema that
 * is dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import type { DrgScheme } from "@yibao/grouper";
import { loadSchemeDir, resolveSchemeDir } from "@yibao/grouper/load";
import { dropSchema, openStore, type Store } from "@yibao/store";
import type { InjectOptions } from "fastify";
import {
  type BuildServerOptions,
  buildServer,
  createUser,
  identityDb,
  identityMigrations,
  type Role,
  type YibaoApp,
} from "../src/index.js";

export const TEST_DATABASE_URL =
  process.env.YIBAO_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

let schemePromise: Promise<DrgScheme> | undefined;
/** The bundled demo scheme. */
export function demoScheme(): Promise<DrgScheme> {
  schemePromise ??= loadSchemeDir(resolveSchemeDir(null, {}));
  return schemePromise;
}

export interface TestServer {
  /** The app, its requests signed in as a bureau (医保局) account. */
  readonly app: YibaoApp;
  /** The app as it is, for requests with no credentials or credentials of their own. */
  readonly raw: YibaoApp;
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
      ? await openStore({ memory: true, migrations: identityMigrations })
      : await openStore({
          databaseUrl: TEST_DATABASE_URL,
          schema,
          poolSize: 6,
          migrations: identityMigrations,
        });
  // Every test account signs in from 127.0.0.1: the per-address limit is raised unless a test sets it.
  const app = await buildServer({
    store,
    scheme,
    ...extra,
    sessionPolicy: { loginsPerAddress: 1000, ...extra.sessionPolicy },
  });
  const bureau = await signIn(app, store, "bureau");
  return {
    app: withHeaders(app, bureau),
    raw: app,
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

/** A signed-in caller's headers: the session cookie and its CSRF token. */
export type AuthHeaders = Readonly<Record<string, string>>;

/**
 * Creates an account of `role` (of `hospitalCode` for a hospital) with a random password and signs it
 * in through the real sign-in route; returns the headers its requests carry.
 */
export async function signIn(
  app: YibaoApp,
  store: Store,
  role: Role,
  hospitalCode: string | null = null,
): Promise<AuthHeaders> {
  const username = `${role}-${randomBytes(4).toString("hex")}`;
  const password = `Pw-${randomBytes(12).toString("base64url")}-7q`;
  await createUser(identityDb(store), { username, displayName: username, role, hospitalCode, password });
  const r = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { username, password } });
  if (r.statusCode !== 200) throw new Error(`sign-in failed: ${r.statusCode} ${r.body}`);
  const cookie = String(r.headers["set-cookie"]).split(";")[0] ?? "";
  return { cookie, "x-csrf-token": (r.json() as { csrfToken: string }).csrfToken };
}

/** The app whose `inject` sends `headers` with every request (a request's own headers win). */
export function withHeaders(app: YibaoApp, headers: AuthHeaders): YibaoApp {
  return new Proxy(app, {
    get(target, prop) {
      if (prop === "inject") {
        return (opts: InjectOptions) =>
          target.inject({
            ...opts,
            headers: { ...headers, ...((opts as { headers?: Record<string, string> }).headers ?? {}) },
          });
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
