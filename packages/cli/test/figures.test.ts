/**
 * Every figure agrees everywhere (issue 15): on a small demo region, settled and audited as
 * `yibao serve --demo` does it,
 * 1. every hospital of the region is listed, one without stays with zeros;
 * 2. 试分组's payment estimate of a stored stay equals what settlement paid for it, to the fen;
 * 3. each headline figure is the same in the overview, the API that serves it elsewhere, the
 *    drill-down and the Excel export.
 */

import { consoleDb } from "@yibao/console";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import type { YibaoApp } from "@yibao/server";
import type { Store } from "@yibao/store";
import { generateRegion } from "@yibao/synth";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DemoPlatform,
  type ExportColumn,
  exportRows as exportRowsOf,
  getJson,
  openDemoPlatform,
  type Session,
  signIn as signInAs,
  WEB_DIST,
} from "./demo-platform.js";

const YEAR = 2025;
const REGION = { stays: 1500, seed: 7, from: `${YEAR}-01-01`, to: `${YEAR}-12-31` } as const;

let platform: DemoPlatform;
let store: Store;
let app: YibaoApp;
let regionHospitals: number;

const signIn = (username: string) => signInAs(platform.app, username);
const get = <T>(s: Session, url: string) => getJson<T>(platform.app, s, url);

beforeAll(async () => {
  platform = await openDemoPlatform({
    region: { ...REGION, today: new Date(`${YEAR + 1}-01-15T00:00:00Z`) },
    console: { webDist: WEB_DIST, refreshDelayMs: 50, checkIntervalMs: 0 },
  });
  ({ store, app } = platform);
  regionHospitals = platform.region.hospitals;
}, 300_000);

afterAll(async () => {
  await platform?.close();
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

type Values = Record<string, number | null>;
interface Overview {
  values: Values;
  counts: Record<string, number>;
  notes: string[];
}
interface Row {
  hospital: string;
  [key: string]: number | string | null;
}

const sum = (rows: readonly Record<string, unknown>[], key: string) =>
  rows.reduce((a, r) => a + Number(r[key] ?? 0), 0);

/** The rows of an Excel export of a console table, keyed by column key. */
const exportRows = (s: Session, path: string, columns: ExportColumn[]) =>
  exportRowsOf(platform.app, s, path, columns);

/** Every current settlement through the payment API (pages of 1,000). */
async function allSettlements(s: Session, hospital?: string) {
  const items: { rwPpm: number | null; drgPaymentFen: number; totalCostFen: number; hospitalCode: string }[] =
    [];
  for (let page = 1; ; page++) {
    const j = await get<{ total: number; items: typeof items }>(
      s,
      `/api/v1/payment/settlements?pageSize=1000&page=${page}${hospital ? `&hospital=${hospital}` : ""}`,
    );
    items.push(...j.items);
    if (items.length >= j.total || j.items.length === 0) return items;
  }
}

describe("every headline figure agrees", () => {
  it("in the overview, the other APIs, the drill-down and the Excel export", async () => {
    const bureau = await signIn("bureau");
    const hospital = await signIn("hospital");
    // Recovered amounts: the hospital accepts two of its findings, the bureau deducts them.
    const own = await get<{ items: { findingId: string; status: string; deductionFen: number }[] }>(
      hospital,
      "/api/v1/audit/findings?status=open&limit=1000",
    );
    const toDeduct = own.items.filter((f) => f.deductionFen > 0).slice(0, 2);
    expect(toDeduct).toHaveLength(2);
    for (const f of toDeduct) {
      for (const [s, action] of [
        [hospital, "accept"],
        [bureau, "deduct"],
      ] as const) {
        const res = await app.inject({
          method: "POST",
          url: `/api/v1/audit/findings/${encodeURIComponent(f.findingId)}/${action}`,
          headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
          payload: {},
        });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    const refreshed = await app.inject({
      method: "POST",
      url: "/api/v1/console/cube/refresh",
      headers: { cookie: bureau.cookie, "x-csrf-token": bureau.csrf },
    });
    expect(refreshed.statusCode, refreshed.body).toBe(200);

    const overview = await get<Overview>(bureau, "/api/v1/console/overview");
    const v = overview.values;
    const qc = await get<{ total: Record<string, number> }>(bureau, "/api/v1/qc/indicators");
    const meta = await get<{ hospitals: unknown[] }>(bureau, "/api/v1/console/meta");
    const ranking = (await get<{ rows: Row[] }>(bureau, "/api/v1/console/ranking")).rows;
    const byPeriod = (await get<{ rows: Row[] }>(bureau, "/api/v1/console/breakdown?dim=period")).rows;
    const byDrg = (await get<{ rows: Row[] }>(bureau, "/api/v1/console/breakdown?dim=drg")).rows;
    const lists = await get<{ total: number }>(bureau, "/api/v1/console/lists?limit=1");
    const findings = await get<{ total: number }>(bureau, "/api/v1/audit/findings?limit=1");
    const deducted = await get<{ items: { deductionFen: number }[] }>(
      bureau,
      "/api/v1/audit/findings?status=deducted&limit=1000",
    );
    const settlements = await allSettlements(bureau);
    const excel = await exportRows(bureau, "/api/v1/console/ranking", [
      { key: "hospital", title: "医院编码" },
      { key: "cases", title: "病例数", kind: "number" },
      { key: "groupedCases", title: "入组病例数", kind: "number" },
      { key: "auditFindings", title: "审核发现问题数", kind: "number" },
      { key: "recoveredFen", title: "追回金额", kind: "money" },
      { key: "fundPayFen", title: "统筹基金支付", kind: "money" },
      { key: "cmi", title: "CMI", kind: "number" },
    ]);

    // Hospitals: the region's, as start-up reports them.
    expect(meta.hospitals.length).toBe(regionHospitals);
    expect(ranking.length).toBe(regionHospitals);
    expect(excel.length).toBe(regionHospitals);
    // Lists (all uploaded, refused included) and cases (accepted lists).
    expect(overview.counts.qcChecked).toBe(qc.total.lists);
    expect(lists.total).toBe(qc.total.lists);
    expect(v.cases).toBe(qc.total.accepted);
    for (const rows of [ranking, byPeriod, byDrg, excel]) expect(sum(rows, "cases")).toBe(v.cases);
    // 入组率.
    expect(v.groupingRate).toBeCloseTo(qc.total.groupingRate as number, 12);
    for (const rows of [ranking, byPeriod, excel])
      expect(sum(rows, "groupedCases") / sum(rows, "cases")).toBeCloseTo(v.groupingRate as number, 12);
    // Audit findings and what was recovered for them.
    expect(v.auditFindings).toBe(findings.total);
    for (const rows of [ranking, byPeriod, byDrg, excel])
      expect(sum(rows, "auditFindings")).toBe(findings.total);
    const recovered = sum(deducted.items, "deductionFen");
    expect(recovered).toBeGreaterThan(0);
    expect(v.recoveredFen).toBe(recovered);
    for (const rows of [ranking, byPeriod, byDrg, excel]) expect(sum(rows, "recoveredFen")).toBe(recovered);
    // 统筹基金支付 of the accepted lists.
    const fund = await sql<{ f: string }>`SELECT sum(fund_pay_fen)::text AS f FROM settlement_list
      WHERE status = 'accepted'`.execute(consoleDb(store));
    expect(v.fundPayFen).toBe(Number(fund.rows[0]?.f));
    for (const rows of [ranking, byPeriod, byDrg, excel]) expect(sum(rows, "fundPayFen")).toBe(v.fundPayFen);
    // CMI and surplus: what settlement used and paid.
    expect(settlements.length).toBe(v.cases);
    const weighted = settlements.filter((x) => x.rwPpm !== null);
    const cmi = sum(weighted, "rwPpm") / 1e6 / weighted.length;
    expect(v.cmi).toBeCloseTo(cmi, 9);
    expect(v.surplusFen).toBe(sum(settlements, "drgPaymentFen") - sum(settlements, "totalCostFen"));
    for (const r of ranking) {
      const mine = weighted.filter((x) => x.hospitalCode === r.hospital);
      if (mine.length === 0) expect(r.cmi).toBeNull();
      else expect(r.cmi).toBeCloseTo(sum(mine, "rwPpm") / 1e6 / mine.length, 9);
      const e = excel.find((x) => x.hospital === r.hospital);
      expect(e?.cmi ?? null).toBe(r.cmi);
    }
    // The drill-down of a hospital (departments, physicians) adds up to its ranking row.
    const busiest = [...ranking].sort((a, b) => Number(b.auditFindings) - Number(a.auditFindings))[0] as Row;
    for (const dim of ["dept", "physician", "drg"]) {
      const rows = (
        await get<{ rows: Row[] }>(
          bureau,
          `/api/v1/console/breakdown?hospital=${busiest.hospital}&dim=${dim}`,
        )
      ).rows;
      for (const k of ["cases", "auditFindings", "recoveredFen", "fundPayFen", "groupedCases"])
        expect(sum(rows, k), `${dim} ${k}`).toBe(busiest[k]);
    }
    // The notes name what the figures come from, not a placeholder.
    const notes = overview.notes.join("\n");
    expect(notes).not.toContain("尚未接入");
    expect(notes).not.toContain("尚未加载");
    expect(notes).toContain("demo-weights");
    expect(notes).toContain("demo-rate");
    expect(notes).toContain(`发现问题 ${findings.total.toLocaleString("zh-CN")} 条`);

    // A hospital sees the same figures for itself as the bureau sees for it.
    const mine = await get<Overview>(hospital, "/api/v1/console/overview");
    const code = (await get<{ user: { hospitalCode: string } }>(hospital, "/api/v1/console/meta")).user
      .hospitalCode;
    const row = ranking.find((r) => r.hospital === code);
    for (const k of [
      "cases",
      "auditFindings",
      "recoveredFen",
      "fundPayFen",
      "cmi",
      "groupingRate",
      "surplusFen",
    ])
      expect(mine.values[k], k).toBe(row?.[k]);
    const hf = await get<{ total: number }>(hospital, "/api/v1/audit/findings?limit=1");
    expect(mine.values.auditFindings).toBe(hf.total);

    // A period range: findings by the finding's own period, as the audit queue filters them.
    const range = "periodFrom=2025-03&periodTo=2025-05";
    const part = await get<Overview>(bureau, `/api/v1/console/overview?${range}`);
    const partFindings = await get<{ total: number }>(bureau, `/api/v1/audit/findings?limit=1&${range}`);
    const partQc = await get<{ total: Record<string, number> }>(bureau, `/api/v1/qc/indicators?${range}`);
    expect(part.values.auditFindings).toBe(partFindings.total);
    expect(part.values.cases).toBe(partQc.total.accepted);
    expect(part.values.groupingRate).toBeCloseTo(partQc.total.groupingRate as number, 12);
  });
});
