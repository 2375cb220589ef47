/**
 * The whole platform on a small demo region, as the platform tests build it: an in-memory store with
 * every area's migrations, the generated lists, the demo payment and audit, the console accounts
 * and cube, and the server with every plugin. Also the console's sign-in for those tests.
 */
import { resolve } from "node:path";
import { ensureDemoAudit } from "@yibao/audit-service";
import { type ConsolePluginOptions, consoleDb, ensureDemoAccounts, refreshCube } from "@yibao/console";
import type { DrgScheme } from "@yibao/grouper";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { ensureDemoPayment } from "@yibao/payment-service";
import { buildServer, type YibaoApp } from "@yibao/server";
import { openStore, type Store } from "@yibao/store";
import { expect } from "vitest";
import { type DemoRegionOptions, type DemoRegionResult, loadDemoRegion } from "../src/demo-region.js";
import { PLATFORM_MIGRATIONS, PLATFORM_SOURCES, platformPlugins } from "../src/platform.js";

export const REPO = resolve(import.meta.dirname, "../../..");
/** The built console (`npm run build -w packages/web`). */
export const WEB_DIST = resolve(REPO, "packages/web/dist");

/** The demo accounts' passwords in these tests (one per role, two hospitals). */
export const DEMO_PASSWORDS: Readonly<Record<string, string>> = {
  admin: "ops-chief-2025",
  bureau: "fund-office-2025",
  reviewer: "review-pass-2025",
  hospital: "hosp1-pass-2025",
  hospital2: "hosp2-pass-2025",
};

export interface DemoPlatformOptions {
  /** The demo region: lists, seed, admission year (`from`/`to`), injected share. */
  readonly region: DemoRegionOptions & { readonly stays: number; readonly seed: number };
  /** The demo year's settlement (default true) and audit (default true; needs payment). */
  readonly payment?: boolean;
  readonly audit?: boolean;
  /** Build the console's cube before the server starts (default true). */
  readonly cube?: boolean;
  /** The demo accounts' passwords (default `DEMO_PASSWORDS`). */
  readonly passwords?: Readonly<Record<string, string>>;
  /** The console's options (default: no periodic check). */
  readonly console?: Omit<ConsolePluginOptions, "store">;
}

export interface DemoPlatform {
  readonly store: Store;
  readonly scheme: DrgScheme;
  readonly region: DemoRegionResult;
  readonly app: YibaoApp;
  close(): Promise<void>;
}

/** Builds the platform on the demo scheme; `close()` stops the server and the store. */
export async function openDemoPlatform(o: DemoPlatformOptions): Promise<DemoPlatform> {
  const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);
  const store = await openStore({ memory: true, migrations: PLATFORM_MIGRATIONS });
  try {
    const region = await loadDemoRegion(store, scheme, o.region);
    if (o.payment ?? true) await ensureDemoPayment({ store, scheme });
    if (o.audit ?? o.payment ?? true) await ensureDemoAudit({ store, scheme });
    await ensureDemoAccounts(store, { passwords: o.passwords ?? DEMO_PASSWORDS });
    if (o.cube ?? true) await refreshCube(consoleDb(store), PLATFORM_SOURCES);
    const app = await buildServer({
      store,
      scheme,
      logger: false,
      plugins: platformPlugins(store, { checkIntervalMs: 0, ...o.console }),
    });
    return {
      store,
      scheme,
      region,
      app,
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

/** A signed-in console session: its cookie and CSRF token. */
export interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

/** Signs in as a demo account (or with the password given); throws with the reply on failure. */
export async function signIn(
  app: YibaoApp,
  username: string,
  password = DEMO_PASSWORDS[username],
): Promise<Session> {
  const res = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`登录失败 ${username}: ${res.statusCode} ${res.body}`);
  return {
    cookie: String(res.headers["set-cookie"]).split(";")[0] as string,
    csrf: (res.json() as { csrfToken: string }).csrfToken,
  };
}

/** GET as a session; expects 200 and returns the JSON body. */
export async function getJson<T>(app: YibaoApp, s: Session, url: string): Promise<T> {
  const res = await app.inject({ url, headers: { cookie: s.cookie } });
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  return res.json() as T;
}

/** POST as a session with its CSRF token; returns the reply whatever its status. */
export function postAs(app: YibaoApp, s: Session, url: string, payload: unknown) {
  return app.inject({
    method: "POST",
    url,
    payload: payload as Record<string, unknown>,
    headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
  });
}

/** A column of a console Excel export, as the console asks for it. */
export interface ExportColumn {
  readonly key: string;
  readonly title: string;
  readonly kind?: string;
  readonly labels?: Record<string, string>;
}

/**
 * The rows of a console Excel export of `path` (`/api/v1/console/export`), keyed by column key.
 * Columns are found by their titles (the export adds a 医院名称 column beside a hospital code); money
 * columns (`kind: "money"`), exported in yuan, come back in fen.
 */
export async function exportRows(
  app: YibaoApp,
  s: Session,
  path: string,
  columns: readonly ExportColumn[],
): Promise<Record<string, unknown>[]> {
  const res = await app.inject({
    url: `/api/v1/console/export?path=${encodeURIComponent(path)}&columns=${encodeURIComponent(JSON.stringify(columns))}`,
    headers: { cookie: s.cookie },
  });
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  const ExcelJS = (await import("exceljs")).default;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const at = new Map<string, number>();
  ws?.getRow(1).eachCell((cell, col) => at.set(String(cell.value), col));
  const out: Record<string, unknown>[] = [];
  ws?.eachRow((row, n) => {
    if (n === 1) return;
    const r: Record<string, unknown> = {};
    for (const c of columns) {
      const v = row.getCell(at.get(c.title) ?? -1).value;
      r[c.key] = c.kind === "money" && typeof v === "number" ? Math.round(v * 100) : v;
    }
    out.push(r);
  });
  return out;
}
