import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ListResult, sampleSettlementMessage } from "../src/index.js";
import { ENGINE_NAMES, type TestServer, testServer } from "./helpers.js";

type Envelope = {
  infno: string;
  input: {
    setlinfo: Record<string, unknown>;
    diseinfo: [Record<string, unknown>, ...Record<string, unknown>[]];
  };
};
const sample = (n: number, prefix = "A") => sampleSettlementMessage(n, { prefix }) as unknown as Envelope;

for (const engine of ENGINE_NAMES) {
  describe(`settlement-list API on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await testServer(engine, { bodyLimit: 256 * 1024, maxListsPerRequest: 50 });
    });
    afterAll(async () => {
      await t?.close();
    });
    const post = (payload: unknown) =>
      t.app.inject({ method: "POST", url: "/api/v1/settlement-lists", payload: payload as object });

    it("reports health with the database engine and scheme id", async () => {
      const r = await t.app.inject({ method: "GET", url: "/healthz" });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ status: "ok", database: engine, scheme: { id: "demo-scheme" } });
    });

    it("accepts one valid list, groups it and stores it", async () => {
      const r = await post(sample(0));
      expect(r.statusCode).toBe(200);
      const body = r.json() as ListResult;
      expect(body).toMatchObject({
        setl_id: "A0000000000",
        accepted: true,
        stored: true,
        outcome: "inserted",
        version: 1,
        findings: [],
        group: { drg: "GD15", status: "OK" },
      });
      const got = await t.app.inject({ method: "GET", url: "/api/v1/settlement-lists/A0000000000" });
      expect(got.statusCode).toBe(200);
      const detail = got.json();
      expect(detail.list.drg).toBe("GD15");
      expect(detail.list.message).toEqual(sample(0));
      expect(detail.list.hospital_code).toBe("H21010200001");
      expect(detail.list.total_fee_fen).toBeGreaterThan(0);
    });

    it("refuses a list with QC errors, naming rule, field and message, and keeps it as refused", async () => {
      const m = sample(1);
      m.input.setlinfo.gend = "7";
      m.input.diseinfo[0].maindiag_flag = "0";
      const r = await post(m);
      expect(r.statusCode).toBe(200);
      const body = r.json() as ListResult;
      expect(body.accepted).toBe(false);
      expect(body.stored).toBe(true);
      const fields = body.findings.filter((f) => f.severity === "error").map((f) => f.field);
      expect(fields).toContain("setlinfo.gend");
      for (const f of body.findings) {
        expect(f.ruleId).toMatch(/^QC-/);
        expect(f.message).toMatch(/[\u4e00-\u9fff]/);
      }
      const d = (await t.app.inject({ method: "GET", url: "/api/v1/settlement-lists/A0000000001" })).json();
      expect(d.list.status).toBe("refused");
      expect(d.findings.length).toBe(body.findings.length);
    });

    it("replaces on re-upload and shows the history; a refused re-upload keeps the accepted version", async () => {
      await post(sample(2));
      const second = sample(2);
      second.input.setlinfo.medcasno = "BA-CHANGED";
      const r2 = (await post(second)).json() as ListResult;
      expect(r2).toMatchObject({ accepted: true, outcome: "replaced", version: 2 });
      const bad = sample(2);
      bad.input.setlinfo.gend = "7";
      const r3 = (await post(bad)).json() as ListResult;
      expect(r3).toMatchObject({ accepted: false, outcome: "refused_kept", version: 2 });
      expect(r3.message).toContain("第 2 版保持有效");
      const d = (await t.app.inject({ method: "GET", url: "/api/v1/settlement-lists/A0000000002" })).json();
      expect(d.list.medcasno).toBe("BA-CHANGED");
      expect(d.history.map((h: { version: number }) => h.version)).toEqual([1]);
      expect(d.refusedUploads).toHaveLength(1);
    });

    it("answers an array with one outcome per list; bad elements do not stop the others", async () => {
      const bad = sample(4);
      bad.input.setlinfo.setl_end_date = "2024-13-45";
      const r = await post([sample(3), "not a list", { infno: "4101" }, bad, sample(5)]);
      expect(r.statusCode).toBe(200);
      const body = r.json() as { count: number; accepted: number; results: ListResult[] };
      expect(body.count).toBe(5);
      expect(body.results.map((x) => x.accepted)).toEqual([true, false, false, false, true]);
      expect(body.results[1]).toMatchObject({ setl_id: null, stored: false, envelopeInvalid: true });
      expect(body.results[1]?.findings.length).toBeGreaterThan(0);
      expect(body.results[3]?.findings.some((f) => f.field === "setlinfo.setl_end_date")).toBe(true);
    });

    it("gives clear Chinese 4xx errors for malformed JSON, wrong types, oversize bodies and unknown routes", async () => {
      const badJson = await t.app.inject({
        method: "POST",
        url: "/api/v1/settlement-lists",
        headers: { "content-type": "application/json" },
        payload: '{"infno": "4101", "input": {',
      });
      expect(badJson.statusCode).toBe(400);
      expect(badJson.json()).toMatchObject({ code: "INVALID_JSON", message: "请求体不是合法的 JSON" });

      const wrongType = await post(42);
      expect(wrongType.statusCode).toBe(400);
      expect(wrongType.json().message).toMatch(/请求格式不正确/);

      const notEnvelope = await post({ infno: "4101", input: "x" });
      expect(notEnvelope.statusCode).toBe(400);
      expect(notEnvelope.json().code).toBe("INVALID_MESSAGE");

      const tooMany = await post(Array.from({ length: 51 }, (_, i) => sample(100 + i)));
      expect(tooMany.statusCode).toBe(400);

      const big = await t.app.inject({
        method: "POST",
        url: "/api/v1/settlement-lists",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ infno: "4101", input: { setlinfo: { x: "y".repeat(300 * 1024) } } }),
      });
      expect(big.statusCode).toBe(413);
      expect(big.json().message).toBe("请求体过大");

      const text = await t.app.inject({
        method: "POST",
        url: "/api/v1/settlement-lists",
        headers: { "content-type": "text/plain" },
        payload: "hello",
      });
      // Fastify reads text/plain as a string, which the body schema refuses.
      expect(text.statusCode).toBe(400);
      expect(text.json().message).toMatch(/请求格式不正确/);

      const proto = await t.app.inject({
        method: "POST",
        url: "/api/v1/settlement-lists",
        headers: { "content-type": "application/json" },
        payload: '{"__proto__": {"x": 1}, "infno": "4101"}',
      });
      expect(proto.statusCode).toBe(400);

      const missing = await t.app.inject({ method: "GET", url: "/api/v1/settlement-lists/NOPE" });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().message).toContain("结算清单不存在");
      const route = await t.app.inject({ method: "GET", url: "/api/v1/nothing" });
      expect(route.statusCode).toBe(404);
    });

    it("queries lists by hospital, period, status and DRG with paging", async () => {
      const other = sampleSettlementMessage(7, { prefix: "B", hospitalCode: "H21010200099" });
      await post([other, sampleSettlementMessage(8, { prefix: "B", hospitalCode: "H21010200099" })]);
      const byHospital = await t.app.inject({
        method: "GET",
        url: "/api/v1/settlement-lists?hospital=H21010200099",
      });
      expect(byHospital.statusCode).toBe(200);
      expect(byHospital.json().total).toBe(2);
      const setlEnd = (other as unknown as Envelope).input.setlinfo.setl_end_date as string;
      const period = setlEnd.slice(0, 7);
      const q = await t.app.inject({
        method: "GET",
        url: `/api/v1/settlement-lists?hospital=H21010200099&periodFrom=${period}&periodTo=${period}&status=accepted&drg=IC25&limit=1`,
      });
      expect(q.json().items.map((i: { setl_id: string }) => i.setl_id)).toEqual(["B0000000007"]);
      const badPeriod = await t.app.inject({ method: "GET", url: "/api/v1/settlement-lists?period=2024-13" });
      expect(badPeriod.statusCode).toBe(400);
      expect(badPeriod.json().message).toMatch(/查询参数/);
      const badLimit = await t.app.inject({ method: "GET", url: "/api/v1/settlement-lists?limit=abc" });
      expect(badLimit.statusCode).toBe(400);
      const refused = await t.app.inject({ method: "GET", url: "/api/v1/settlement-lists?status=refused" });
      expect(refused.json().items.every((i: { status: string }) => i.status === "refused")).toBe(true);
    });

    it("computes QC indicators for a hospital", async () => {
      const h = "H21010200077";
      const lists = Array.from({ length: 10 }, (_, i) =>
        sampleSettlementMessage(i, { prefix: "C", hospitalCode: h }),
      );
      (lists[0] as unknown as Envelope).input.setlinfo.gend = "7";
      await post(lists);
      const r = await t.app.inject({ method: "GET", url: `/api/v1/qc/indicators?hospital=${h}` });
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.total.lists).toBe(10);
      expect(body.total.accepted).toBe(9);
      expect(body.total.qcPassRate).toBeCloseTo(0.9);
      // Sample 3 (acute MI with a stent) does not group in the demo scheme.
      expect(body.total.ungrouped).toBe(1);
      expect(body.total.ungroupedShare).toBeCloseTo(1 / 9);
      expect(body.findingsByRule.length).toBeGreaterThan(0);
      // The QC targets in force (seed 001): 1 of 9 accepted lists in 0000 = 11.1%, not under 0.3%:
      // an alert for the hospital's period; no settled count was reported, so no upload-rate verdict.
      const targets = body.targets as {
        version: string;
        total: { indicator: string; met: boolean | null; message: string }[];
        alerts: { hospitalCode: string; indicator: string; message: string }[];
      };
      expect(targets.version).toBe("2024.1");
      expect(targets.total.map((v) => [v.indicator, v.met])).toEqual([
        ["uploadRate", null],
        ["ungroupedShare", false],
      ]);
      expect(targets.total[1]?.message).toBe("0000 组占比 11.11%（1/9），目标低于 0.3%：未达标");
      expect(targets.alerts.map((a) => [a.hospitalCode, a.indicator])).toEqual([[h, "ungroupedShare"]]);
      const bad = await t.app.inject({
        method: "GET",
        url: `/api/v1/qc/indicators?period=2024-01&periodFrom=2024-01`,
      });
      expect(bad.statusCode).toBe(400);
    });
  });
}
