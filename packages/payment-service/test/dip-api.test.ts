/**
 * The DIP payment API (issue 14) with each role: the bureau saves the policy, prepays a month and
 * clears the year; a hospital account sees its own statement row, stays and export and nothing of
 * another hospital's, whatever it asks; bad input is a 4xx with a Chinese message, never a 5xx.
 * Figures as hand-worked in dip-payment.test.ts.
 */
import { buildServer, identityMigrations, type YibaoApp } from "@yibao/server";
import { openStore, type Store } from "@yibao/store";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, withHeaders } from "../../server/test/helpers.js";
import { paymentMigrations } from "../src/migrations.js";
import { paymentPlugin } from "../src/plugin.js";
import { savePaymentHospitals } from "../src/repo.js";
import { H1, H2, H3, POLICY_DATA, storeExampleLists } from "./dip-lists.js";
import { demoScheme } from "./helpers.js";

const P = "/api/v1/payment";
const POLICY = {
  ...POLICY_DATA,
  id: "dip-api",
  version: "2025",
  coefficients: { byLevel: { 三级: "1.0", 二级: "0.9" } },
  prepayment: { pointValue: "150", ratio: "0.9" },
};

let store: Store;
let raw: YibaoApp;
let bureau: YibaoApp;
let hospital: YibaoApp;
let reviewer: YibaoApp;

beforeAll(async () => {
  store = await openStore({ memory: true, migrations: [...identityMigrations, ...paymentMigrations] });
  await storeExampleLists(store);
  await savePaymentHospitals(store, [
    { hospitalCode: H1, level: "三级", benefitClass: null, paymentMethod: "dip" },
    { hospitalCode: H2, level: "二级", benefitClass: null, paymentMethod: "dip" },
    { hospitalCode: H3, level: "三级", benefitClass: null },
  ]);
  raw = await buildServer({ store, scheme: await demoScheme(), plugins: [paymentPlugin()] });
  bureau = withHeaders(raw, await signIn(raw, store, "bureau"));
  hospital = withHeaders(raw, await signIn(raw, store, "hospital", H1));
  reviewer = withHeaders(raw, await signIn(raw, store, "reviewer"));
});
afterAll(async () => {
  await raw?.close();
  await store?.close();
});

describe("DIP payment API", () => {
  it("the bureau saves the policy, prepays June and clears 2025 (hand-worked figures)", async () => {
    const saved = await bureau.inject({
      method: "POST",
      url: `${P}/dip-policies`,
      payload: { data: POLICY },
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const list = await hospital.inject({ method: "GET", url: `${P}/dip-policies` });
    expect(list.json().items.map((v: { id: string }) => v.id)).toEqual(["dip-api"]);
    const pre = await bureau.inject({
      method: "POST",
      url: `${P}/dip-prepayments`,
      payload: { period: "2025-06" },
    });
    expect(pre.statusCode, pre.body).toBe(201);
    expect(pre.json().totalPrepaymentFen).toBe(6_921_900);
    const c = await bureau.inject({
      method: "POST",
      url: `${P}/dip-clearing`,
      payload: { year: 2025, budget: "95250.00" },
    });
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().pointValueYuan).toBe("150.000000");
    expect(c.json().hospitals.map((h: { balanceDueFen: number }) => h.balanceDueFen)).toEqual([
      343_600, 425_500,
    ]);
    expect((await bureau.inject({ method: "GET", url: `${P}/dip-clearing` })).json().years).toEqual([2025]);
  });

  it("a hospital sees its own row, stays, prepayments and export, never another hospital's", async () => {
    const own = await hospital.inject({ method: "GET", url: `${P}/dip-clearing/2025` });
    expect(own.statusCode).toBe(200);
    expect(own.json().pointValueYuan).toBe("150.000000");
    expect(own.json().hospitals.map((h: { hospitalCode: string }) => h.hospitalCode)).toEqual([H1]);
    for (const url of [
      `${P}/dip-clearing/2025?hospital=${H2}`,
      `${P}/dip-clearing/2025/stays?hospital=${H2}`,
      `${P}/dip-prepayments/2025?hospital=${H2}`,
      `${P}/dip-clearing/2025/export?format=csv&hospital=${H2}`,
    ]) {
      const r = await hospital.inject({ method: "GET", url });
      expect(r.body, url).not.toContain("HB00000000");
      expect(r.statusCode, url).toBe(403);
    }
    const stays = await hospital.inject({ method: "GET", url: `${P}/dip-clearing/2025/stays` });
    expect(stays.json().items.map((s: { setlId: string }) => s.setlId)).toEqual([
      "HA0000000001",
      "HA0000000002",
      "HA0000000004",
    ]);
    const pre = await hospital.inject({ method: "GET", url: `${P}/dip-prepayments/2025` });
    expect(pre.json().items.map((p: { hospitalCode: string }) => p.hospitalCode)).toEqual([H1]);
    const csv = await hospital.inject({ method: "GET", url: `${P}/dip-clearing/2025/export?format=csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(
      `${H1},合计,,3 例,38200.00,,280.000000,42000.00,7640.00,34360.00,30924.00,3436.00`,
    );
    expect(csv.body).not.toContain(H2);
    const xlsx = await bureau.inject({ method: "GET", url: `${P}/dip-clearing/2025/export` });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
  });

  it("only the bureau runs and saves: a hospital and a reviewer are refused and nothing changes", async () => {
    for (const [who, app] of [
      ["hospital", hospital],
      ["reviewer", reviewer],
    ] as const) {
      for (const [url, payload] of [
        [`${P}/dip-clearing`, { year: 2025, budget: "1.00" }],
        [`${P}/dip-prepayments`, { period: "2025-06" }],
        [`${P}/dip-policies`, { data: { ...POLICY, version: "x" } }],
      ] as const) {
        const r = await app.inject({ method: "POST", url, payload });
        expect(r.statusCode, `${who} ${url}`).toBe(403);
      }
    }
    const c = await bureau.inject({ method: "GET", url: `${P}/dip-clearing/2025` });
    expect(c.json().pointValueYuan).toBe("150.000000");
  });

  it("answers bad input with a 4xx and a Chinese message, never a 5xx", async () => {
    const bad: InjectOptions[] = [
      { method: "POST", url: `${P}/dip-clearing`, payload: { year: 2025, budget: "-5" } },
      { method: "POST", url: `${P}/dip-clearing`, payload: { year: "2025", budget: 5 } },
      { method: "POST", url: `${P}/dip-clearing`, payload: { year: 2031, budget: "100.00" } },
      {
        method: "POST",
        url: `${P}/dip-clearing`,
        payload: { year: 2025, budget: "100.00", policy: { id: "dip-api", version: "9" } },
      },
      { method: "POST", url: `${P}/dip-prepayments`, payload: { period: "2025-13" } },
      { method: "POST", url: `${P}/dip-prepayments`, payload: { period: "2024-06" } },
      {
        method: "POST",
        url: `${P}/dip-policies`,
        payload: { data: { ...POLICY, version: "b", veryLowAtMost: "2" } },
      },
      { method: "POST", url: `${P}/dip-policies`, payload: { data: POLICY } },
      { method: "GET", url: `${P}/dip-clearing/2031` },
      { method: "GET", url: `${P}/dip-clearing/2031/export` },
      { method: "GET", url: `${P}/dip-clearing/2025/stays?pageSize=0` },
      { method: "GET", url: `${P}/dip-clearing/2025%2F..%2F2024` },
    ];
    for (const b of bad) {
      const r = await bureau.inject(b);
      expect(r.statusCode, `${b.method} ${b.url} ${r.body}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, `${b.method} ${b.url} ${r.body}`).toBeLessThan(500);
      expect(r.json().message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
});
