/**
 * 分组方案切换 in the console (issue 12): a region that moves from scheme demo-a to demo-b on
 * 2025-07-01 (by discharge date). The lists name the scheme that grouped each, the meta lists both
 * editions with today's marked, and CMI is reported per scheme where a range mixes them — one
 * scheme's relative weights do not measure the other's groups. The settlements are a stand-in for
 * the payment area's published view, with relative weights chosen by hand.
 */
import { buildScheme, type DrgScheme, SchemeCalendar } from "@yibao/grouper";
import { DEMO_SCHEME_DIR, readSchemeFiles } from "@yibao/grouper/load";
import { buildServer, identityMigrations, type YibaoApp } from "@yibao/server";
import { openStore, type Store } from "@yibao/store";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  consoleMigrations,
  consolePlugins,
  ensureDemoAccounts,
  queryIndicators,
  refreshCube,
} from "../src/index.js";
import { consoleDb } from "../src/schema.js";
import { DATA_ROWS, launchChromium, requireChromium } from "./browser.js";
import { HOSPITALS, PASSWORDS, type Session, sampleList, signIn } from "./helpers.js";

const PAYMENT = { payment: true, audit: false } as const;
/** The second edition's name: not the demo's, so the console marks it 演示方案 itself. */
const B_NAME = "CHS-DRG 1.1 测试版";
const A_LABEL = "演示方案（非真实支付方案）";
const B_LABEL = `${B_NAME}（演示方案）`;

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * The stays: [sample n, hospital, discharge date, RW settled]. Hospital 0 has two stays each side of
 * the switch; hospital 1 one after it.
 */
const STAYS = [
  [0, 0, "2025-06-30", 1.5],
  [1, 0, "2025-06-12", 0.9],
  [2, 0, "2025-07-01", 2.0],
  [3, 0, "2025-07-20", 1.0],
  [4, 1, "2025-07-01", 0.7],
] as const;

/** Sample list n of a hospital, discharged (and settled) on `day`: the sample ends 1 + n % 5 days before its upload. */
function listDischargedOn(n: number, hospital: number, day: string) {
  const upload = addDays(day, 1 + (n % 5));
  return { envelope: sampleList(n, hospital, upload), at: new Date(`${upload}T10:00:00Z`) };
}

let store: Store;
let app: YibaoApp;
let bureau: Session;
let schemes: { a: DrgScheme; b: DrgScheme };
const setlIds: string[] = [];

beforeAll(async () => {
  const files = await readSchemeFiles(DEMO_SCHEME_DIR);
  const a = buildScheme(files, "demo-a");
  const b = buildScheme(
    { ...files, schemeJson: JSON.stringify({ ...JSON.parse(files.schemeJson), name: B_NAME }) },
    "demo-b",
  );
  schemes = { a, b };
  const calendar = new SchemeCalendar([
    { scheme: a, effectiveDate: "2025-01-01" },
    { scheme: b, effectiveDate: "2025-07-01" },
  ]);
  store = await openStore({ memory: true, migrations: [...identityMigrations, ...consoleMigrations] });
  // The payment area's published views, as stand-ins holding what the console reads.
  await sql`CREATE TABLE payment_settled_stay (setl_id text, list_version integer, hospital_code text,
    drg_payment_fen bigint, total_cost_fen bigint, outlier text, rw_ppm bigint, weights_id text,
    weights_version text, policy_id text, policy_version text, policy_method text, policy_rate text)`.execute(
    store.db,
  );
  await sql`CREATE VIEW payment_latest_run AS SELECT 1::bigint AS run_id`.execute(store.db);
  await sql`CREATE TABLE payment_recovered_by_finding (finding_id text, amount_fen text)`.execute(store.db);
  // The lists go through the real intake, which groups each by the scheme in force on its discharge date.
  const intake = await buildServer({ store, scheme: b, schemes: calendar, logger: false });
  const uploads = [];
  for (const [n, h, day] of STAYS) {
    const { envelope, at } = listDischargedOn(n, h, day);
    const prepared = intake.yibao.prepareList(envelope, at);
    if (!prepared.upload) throw new Error(`样例清单 ${n} 未能入库`);
    uploads.push(prepared.upload);
  }
  await store.saveSettlementLists(uploads);
  await intake.close();
  const stored = await sql<{ setl_id: string; version: number; hospital_code: string; dscg_date: string }>`
    SELECT setl_id, version, hospital_code, to_char(dscg_date, 'YYYY-MM-DD') AS dscg_date
    FROM settlement_list ORDER BY setl_id`.execute(store.db);
  for (const [n, h, day, rw] of STAYS) {
    const l = stored.rows.find((r) => r.setl_id === `S${h}${String(n).padStart(10, "0")}`);
    if (!l || l.dscg_date !== day)
      throw new Error(`样例清单 ${n} 的出院日期不是 ${day}：${JSON.stringify(l)}`);
    setlIds.push(l.setl_id);
    await sql`INSERT INTO payment_settled_stay VALUES (${l.setl_id}, ${l.version}, ${l.hospital_code},
      100000, 90000, 'normal', ${Math.round(rw * 1e6)}, 'w', '1', 'p', '1', 'rate', '10000')`.execute(
      store.db,
    );
  }
  await ensureDemoAccounts(store, { hospitalCodes: [HOSPITALS[0].code], passwords: PASSWORDS });
  await refreshCube(consoleDb(store), PAYMENT);
  app = await buildServer({
    store,
    scheme: b,
    schemes: calendar,
    region: { id: "jiangzhou", name: "江州市", poolingRegion: "320800" },
    logger: false,
    plugins: consolePlugins({ store, sources: PAYMENT, checkIntervalMs: 0 }),
  });
  bureau = await signIn(app, "bureau");
});

afterAll(async () => {
  await app?.close();
  await store?.close();
});

async function get<T>(url: string): Promise<T> {
  const res = await app.inject({ url, headers: { cookie: bureau.cookie } });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res.json() as T;
}

interface SchemeCmi {
  schemeId: string;
  schemeName: string;
  cases: number;
  cmi: number | null;
}

describe("分组方案切换 in the console", () => {
  it("the list table and the list detail name the scheme that grouped each list", async () => {
    const lists = await get<{
      rows: { setlId: string; schemeId: string; schemeName: string; drgName: string }[];
    }>("/api/v1/console/lists?limit=100");
    const byId = new Map(lists.rows.map((r) => [r.setlId, r]));
    const want = ["demo-a", "demo-a", "demo-b", "demo-b", "demo-b"];
    expect(setlIds.map((id) => byId.get(id)?.schemeId)).toEqual(want);
    // The day before the switch → demo-a, on the switch date → demo-b, each by its display name.
    expect(byId.get(setlIds[0] as string)?.schemeName).toBe(A_LABEL);
    expect(byId.get(setlIds[2] as string)?.schemeName).toBe(B_LABEL);
    for (const [i, id] of setlIds.entries()) {
      const d = await get<{ list: { scheme_id: string }; scheme: { id: string; name: string } }>(
        `/api/v1/console/lists/${id}`,
      );
      expect(d.scheme).toEqual({ id: want[i], name: want[i] === "demo-a" ? A_LABEL : B_LABEL });
      expect(d.list.scheme_id).toBe(want[i]);
    }
  });

  it("the meta lists both editions, the one in force today marked, and the date basis", async () => {
    const meta = await get<{
      scheme: { id: string };
      schemes: { id: string; name: string; demo: boolean; effectiveDate: string; inForce: boolean }[];
      schemeDateBasis: string;
      region: unknown;
    }>("/api/v1/console/meta");
    expect(meta.scheme.id).toBe("demo-b");
    expect(meta.region).toEqual({ id: "jiangzhou", name: "江州市", poolingRegion: "320800" });
    expect(meta.schemes).toEqual([
      { id: "demo-a", name: schemes.a.name, demo: true, effectiveDate: "2025-01-01", inForce: false },
      { id: "demo-b", name: B_NAME, demo: true, effectiveDate: "2025-07-01", inForce: true },
    ]);
    expect(meta.schemeDateBasis).toBe("discharge");
  });

  it("CMI is reported per scheme where a range mixes them, one entry where it does not", async () => {
    // demo-a: (1.5 + 0.9) / 2 = 1.2; demo-b: (2.0 + 1.0 + 0.7) / 3 = 1.2333…; mixed: 6.1 / 5 = 1.22.
    const all = await get<{ values: { cmi: number }; cmiBySchemes: SchemeCmi[] }>(
      "/api/v1/console/overview?periodFrom=2025-06&periodTo=2025-07",
    );
    expect(all.cmiBySchemes.map((s) => [s.schemeId, s.schemeName, s.cases])).toEqual([
      ["demo-a", A_LABEL, 2],
      ["demo-b", B_LABEL, 3],
    ]);
    expect(all.cmiBySchemes[0]?.cmi).toBeCloseTo(1.2, 9);
    expect(all.cmiBySchemes[1]?.cmi).toBeCloseTo(3.7 / 3, 9);
    expect(all.values.cmi).toBeCloseTo(1.22, 9);
    // One hospital: demo-a (1.5 + 0.9) / 2 = 1.2, demo-b (2.0 + 1.0) / 2 = 1.5.
    const h0 = await get<{ cmiBySchemes: SchemeCmi[] }>(
      `/api/v1/console/overview?hospital=${HOSPITALS[0].code}`,
    );
    expect(h0.cmiBySchemes.map((s) => [s.schemeId, s.cases, Number(s.cmi?.toFixed(9))])).toEqual([
      ["demo-a", 2, 1.2],
      ["demo-b", 2, 1.5],
    ]);
    // July alone: one scheme, one entry, equal to the overall CMI.
    const july = await get<{ values: { cmi: number }; cmiBySchemes: SchemeCmi[] }>(
      "/api/v1/console/overview?periodFrom=2025-07&periodTo=2025-07",
    );
    expect(july.cmiBySchemes.map((s) => s.schemeId)).toEqual(["demo-b"]);
    expect(july.cmiBySchemes[0]?.cmi).toBeCloseTo(3.7 / 3, 9);
    expect(july.values.cmi).toBeCloseTo(3.7 / 3, 9);
  });

  it("the ranking reports each hospital's CMI per scheme", async () => {
    const ranking = await get<{
      rows: { hospital: string; cmi: number | null; cmiBySchemes: SchemeCmi[] }[];
    }>("/api/v1/console/ranking");
    const by = new Map(ranking.rows.map((r) => [r.hospital, r]));
    expect(by.get(HOSPITALS[0].code)?.cmiBySchemes.map((s) => [s.schemeId, s.cases])).toEqual([
      ["demo-a", 2],
      ["demo-b", 2],
    ]);
    expect(by.get(HOSPITALS[0].code)?.cmi).toBeCloseTo(5.4 / 4, 9);
    expect(by.get(HOSPITALS[1].code)?.cmiBySchemes).toEqual([
      { schemeId: "demo-b", schemeName: B_LABEL, cases: 1, cmi: 0.7 },
    ]);
  });
});

describe("region baselines per scheme (费用消耗指数)", () => {
  it("compares a stay's cost with its own scheme's group, not with the same code of the other edition", async () => {
    // BR21 under demo-a: H1 one stay of 30,000, H2 one of 30,000 → baseline 30,000 yuan. Under demo-b:
    // H1 one stay of 10,000, H2 three of 30,000 in all → baseline 10,000. Per scheme every stay costs its
    // baseline: CEI 1 for both hospitals. By code alone the baseline would be 100,000 / 6 = 16,666.67 and
    // H1's CEI (30,000 / 16,666.67 + 10,000 / 16,666.67) / 2 = 1.2.
    const cell = (hospital: string, scheme: string, cases: number, costYuan: number) => sql`
      INSERT INTO console_cube_hd (hospital_code, period, drg, group_status, scheme_id, lists, cases,
        total_cost_fen, fund_pay_fen, personal_pay_fen, los_sum, deaths, alive, readm14, readm30)
      VALUES (${hospital}, '2024-01', 'BR21', 'OK', ${scheme}, ${cases}, ${cases}, ${costYuan * 100}, 0, 0,
        ${cases * 10}, 0, ${cases}, 0, 0)`;
    const db = consoleDb(store);
    for (const c of [
      cell("CEI-H1", "demo-a", 1, 30_000),
      cell("CEI-H2", "demo-a", 1, 30_000),
      cell("CEI-H1", "demo-b", 1, 10_000),
      cell("CEI-H2", "demo-b", 3, 30_000),
    ])
      await c.execute(db);
    const rows = await queryIndicators(db, {
      dims: ["hospital"],
      periodFrom: "2024-01",
      periodTo: "2024-01",
    });
    expect(rows.map((r) => [r.keys.hospital, r.counts.ceiCases, r.values.cei])).toEqual([
      ["CEI-H1", 2, 1],
      ["CEI-H2", 4, 1],
    ]);
    await sql`DELETE FROM console_cube_hd WHERE period = '2024-01'`.execute(db);
  });
});

describe("分组方案切换 in Chromium", () => {
  it("地区配置 lists both schemes, 清单 names each list's, the overview shows one CMI per scheme", async () => {
    requireChromium();
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ locale: "zh-CN" });
      await page.goto(`${base}/`);
      await page.fill("input[name=username]", "bureau");
      await page.fill("input[name=password]", PASSWORDS.bureau ?? "");
      await page.click("button[type=submit]");
      const cmi = page.getByTestId("cmi-by-schemes");
      await cmi.waitFor();
      await expect(page.getByTestId("brand").textContent()).resolves.toBe("江州市医保平台");
      const lines = (await cmi.locator("> div").allInnerTexts()).map((t) => t.replace(/\s+/g, " "));
      expect(lines).toEqual([`${A_LABEL} 1.2000（2 例）`, `${B_LABEL} 1.2333（3 例）`]);
      await page.click("nav >> text=地区配置");
      const region = page.getByTestId("region-schemes").locator(DATA_ROWS);
      await region.first().waitFor();
      const rows = (await region.allInnerTexts()).map((t) => t.split("\t").map((c) => c.trim()));
      expect(rows).toEqual([
        ["demo-a", A_LABEL, "2025-01-01", "按出院日期", "—"],
        ["demo-b", B_LABEL, "2025-07-01", "按出院日期", "现行"],
      ]);
      await page.goto(`${base}/lists/${setlIds[0]}`);
      await expect(page.getByTestId("list-scheme").textContent()).resolves.toBe(A_LABEL);
      await page.goto(`${base}/lists/${setlIds[2]}`);
      await expect(page.getByTestId("list-scheme").textContent()).resolves.toBe(B_LABEL);
    } finally {
      await browser.close();
    }
  });
});
