/** A real console server on in-memory PGlite with the demo scheme, stored sample lists and demo accounts. */
import type { DrgScheme } from "@yibao/grouper";
import { loadSchemeDir, resolveSchemeDir } from "@yibao/grouper/load";
import {
  buildServer,
  identityMigrations,
  type ServerPlugin,
  sampleSettlementMessage,
  type YibaoApp,
} from "@yibao/server";
import { type NamedMigration, openStore, type Store } from "@yibao/store";
import {
  consoleMigrations,
  consolePlugins,
  ensureDemoAccounts,
  NO_SOURCES,
  refreshCube,
} from "../src/index.js";
import { consoleDb } from "../src/schema.js";

export const HOSPITALS = [
  { code: "H21010200001", name: "沈阳市第一人民医院" },
  { code: "H21010200002", name: "沈阳市第二人民医院" },
  { code: "H21010200003", name: "沈阳市中心医院" },
] as const;

export const PASSWORDS: Readonly<Record<string, string>> = {
  admin: "ops-chief-2024",
  bureau: "fund-office-2024",
  reviewer: "review-pass-2024",
  hospital: "hosp1-pass-2024",
  hospital2: "hosp2-pass-2024",
};

let schemePromise: Promise<DrgScheme> | undefined;
export function demoScheme(): Promise<DrgScheme> {
  schemePromise ??= loadSchemeDir(resolveSchemeDir(null, {}));
  return schemePromise;
}

/** The n-th sample list of hospital i, settled `daysAgo`-ish days before today. */
export function sampleList(n: number, hospitalIndex: number, today?: string): Record<string, unknown> {
  const h = HOSPITALS[hospitalIndex % HOSPITALS.length];
  if (h === undefined) throw new RangeError(`没有第 ${hospitalIndex} 家样例医院`);
  return sampleSettlementMessage(n, {
    hospitalCode: h.code,
    hospitalName: h.name,
    prefix: `S${hospitalIndex}`,
    ...(today ? { today } : {}),
  });
}

export interface ConsoleTestServer {
  readonly app: YibaoApp;
  readonly store: Store;
  close(): Promise<void>;
}

/** Another area's tables and API beside the console's (e.g. the payment service's). */
export interface ExtraArea {
  readonly migrations: readonly NamedMigration[];
  readonly plugins: readonly ServerPlugin[];
}

/**
 * Stores `listsPerHospital` lists for each hospital (over a few months), builds the server (with
 * `extra`'s migrations and plugins when given).
 */
export async function consoleTestServer(
  listsPerHospital = 20,
  webDist?: string,
  extra?: ExtraArea,
): Promise<ConsoleTestServer> {
  const scheme = await demoScheme();
  const store = await openStore({
    memory: true,
    migrations: [...identityMigrations, ...consoleMigrations, ...(extra?.migrations ?? [])],
  });
  const app0 = await buildServer({ store, scheme });
  // Store the lists through the real intake path (parse, QC, group, save).
  const months = ["2025-01-20", "2025-02-20", "2025-03-20"];
  const uploads = [];
  for (let h = 0; h < HOSPITALS.length; h++) {
    for (let n = 0; n < listsPerHospital; n++) {
      const envelope = sampleList(n, h, months[n % months.length]);
      const prepared = app0.yibao.prepareList(envelope, new Date(`${months[n % months.length]}T10:00:00Z`));
      if (prepared.upload) uploads.push(prepared.upload);
    }
  }
  await store.saveSettlementLists(uploads);
  await app0.close();
  await ensureDemoAccounts(store, {
    hospitalCodes: [HOSPITALS[0].code, HOSPITALS[1].code],
    passwords: PASSWORDS,
  });
  await refreshCube(consoleDb(store), NO_SOURCES);
  const app = await buildServer({
    store,
    scheme,
    plugins: [
      ...consolePlugins({
        store,
        refreshDelayMs: 50,
        checkIntervalMs: 0,
        ...(webDist ? { webDist } : {}),
      }),
      ...(extra?.plugins ?? []),
    ],
  });
  return {
    app,
    store,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

export async function signIn(app: YibaoApp, username: string): Promise<Session> {
  const res = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { username, password: PASSWORDS[username] },
  });
  if (res.statusCode !== 200) throw new Error(`登录失败 ${username}: ${res.statusCode} ${res.body}`);
  const setCookie = String(res.headers["set-cookie"]);
  return { cookie: setCookie.split(";")[0] ?? "", csrf: (res.json() as { csrfToken: string }).csrfToken };
}
