/**
 * Intake under bad input: no save failure escapes as an unhandled rejection, bad text and absurd
 * values refuse only their own list (stored as refused, the field and rule named), and structurally
 * hopeless bodies are a 400 naming the problem. Never a 5xx.
 */
import type { SaveOutcome, SettlementListUpload } from "@yibao/store";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ingestLists,
  type ListResult,
  type PreparedList,
  parameterProblem,
  sampleSettlementMessage,
} from "../src/index.js";
import { ENGINE_NAMES, type TestServer, testServer } from "./helpers.js";

describe("ingestLists", () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on("unhandledRejection", onUnhandled);
  });
  afterEach(() => {
    process.off("unhandledRejection", onUnhandled);
  });

  it("lets no failed save escape, even one that fails before the saves ahead of it finish", async () => {
    const n = 2000;
    const store = {
      submitSettlementList(u: SettlementListUpload): Promise<SaveOutcome> {
        const i = Number(u.list.setl_id);
        if (i === 1000) return Promise.reject(new Error("invalid byte sequence for encoding UTF8: 0x00"));
        return new Promise((resolve) =>
          setTimeout(
            () => resolve({ setlId: u.list.setl_id, outcome: "inserted", status: "accepted", version: 1 }),
            20,
          ),
        );
      },
    };
    const prepareList = (e: unknown): PreparedList => ({
      setlId: String(e),
      findings: [],
      group: null,
      upload: { list: { setl_id: String(e) } as SettlementListUpload["list"], findings: [] },
      envelopeInvalid: false,
    });
    const envelopes = Array.from({ length: n }, (_, i) => i);
    const results = await ingestLists(
      { store, prepareList },
      envelopes,
      new Date(),
      pino({ level: "silent" }),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
    expect(results).toHaveLength(n);
    expect(results[1000]).toMatchObject({ stored: false, storeError: true });
    expect(results.filter((r) => r.accepted)).toHaveLength(n - 1);
  });
});

describe("parameterProblem", () => {
  it("names the parameter holding U+0000 or an unpaired surrogate, in a value, an array or a name", () => {
    expect(parameterProblem({ a: "ok", b: "x\u0000" })).toEqual({
      name: "b",
      problem: "含有不允许的字符（U+0000 空字符）",
    });
    expect(parameterProblem({ a: ["ok", "\ud800"] })?.name).toBe("a");
    expect(parameterProblem({ a: "\udc00x" })?.problem).toContain("U+DC00");
    expect(parameterProblem({ "k\u0000": "1" })?.problem).toContain("名称");
    expect(parameterProblem({ a: "😀", b: "正常" })).toBeNull();
    expect(parameterProblem(undefined)).toBeNull();
  });
});

type Envelope = {
  infno: string;
  input: {
    setlinfo: Record<string, unknown>;
    /** A sample list has a diagnosis and an item at least. */
    diseinfo: [Record<string, unknown>, ...Record<string, unknown>[]];
    iteminfo: [Record<string, unknown>, ...Record<string, unknown>[]];
  };
};
const sample = (n: number, prefix: string) => sampleSettlementMessage(n, { prefix }) as unknown as Envelope;

for (const engine of ENGINE_NAMES) {
  describe(`bad input on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await testServer(engine);
    });
    afterAll(async () => {
      await t?.close();
    });

    // Small helpers, so that a session cookie can be added in one place later.
    const postRaw = (payload: string) =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/settlement-lists",
        headers: { "content-type": "application/json" },
        payload,
      });
    const post = (payload: unknown) => postRaw(JSON.stringify(payload));
    const get = (url: string) => t.app.inject({ method: "GET", url });
    const detail = async (setlId: string) => {
      const r = await get(`/api/v1/settlement-lists/${encodeURIComponent(setlId)}`);
      expect(r.statusCode).toBe(200);
      return r.json();
    };

    /** The one refused list of a batch: its QC finding names the field and rule, and it is stored as refused. */
    async function expectRefusedAlone(
      results: ListResult[],
      index: number,
      ruleId: string,
      field: string,
    ): Promise<void> {
      const r = results[index] as ListResult;
      expect(r).toMatchObject({ accepted: false, stored: true });
      expect(r.findings).toContainEqual(expect.objectContaining({ ruleId, field, severity: "error" }));
      results.forEach((x, i) => {
        if (i !== index) expect(x.accepted).toBe(true);
      });
      const d = await detail(r.setl_id as string);
      expect(d.list.status).toBe("refused");
      expect(
        d.findings.some((f: { ruleId: string; field: string }) => f.ruleId === ruleId && f.field === field),
      ).toBe(true);
    }

    it("U+0000 in list 1,001 of 2,000 refuses that list alone; it is stored as refused with its text escaped", async () => {
      const lists = Array.from({ length: 2000 }, (_, i) => sample(i, "NUL"));
      (lists[1000] as Envelope).input.setlinfo.psn_name = "张\u0000三";
      const r = await post(lists);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ count: 2000, accepted: 1999, refused: 1 });
      await expectRefusedAlone(r.json().results, 1000, "QC-FMT-008", "setlinfo.psn_name");
      const d = await detail("NUL0000001000");
      expect(JSON.parse(d.list.message.escapedJson)).toEqual(lists[1000]);
      expect(d.list.message.note).toMatch(/U\+0000/);
    });

    it("lone surrogates in a value and in a field name refuse the list, naming each", async () => {
      const lists = [sample(0, "SUR"), sample(1, "SUR"), sample(2, "SUR")];
      (lists[1] as Envelope).input.diseinfo[0].diag_name = "肺\ud800炎";
      (lists[1] as Envelope).input.setlinfo["k\udc00"] = "x";
      const r = await post(lists);
      expect(r.statusCode).toBe(200);
      await expectRefusedAlone(r.json().results, 1, "QC-FMT-008", "diseinfo[0].diag_name");
      expect(r.json().results[1].findings.map((f: { field: string }) => f.field)).toContain(
        "setlinfo.k\\udc00",
      );
      const d = await detail("SUR0000000001");
      expect(JSON.parse(d.list.message.escapedJson)).toEqual(lists[1]);
    });

    it("a setl_id with U+0000 cannot key a list: refused and not stored, the rest of the batch goes on", async () => {
      const lists = [sample(0, "KEY"), sample(1, "KEY")];
      (lists[0] as Envelope).input.setlinfo.setl_id = "KEY\u00000";
      const r = await post(lists);
      expect(r.statusCode).toBe(200);
      const [bad, good] = r.json().results as ListResult[];
      expect(bad).toMatchObject({ accepted: false, stored: false });
      expect(bad?.message).toMatch(/结算ID/);
      expect(bad?.findings).toContainEqual(
        expect.objectContaining({ ruleId: "QC-FMT-008", field: "setlinfo.setl_id" }),
      );
      expect(good?.accepted).toBe(true);
    });

    it("amounts as an object, 1e400 or beyond 2^53 refuse their list, naming the field", async () => {
      const lists = [0, 1, 2, 3, 4].map((n) => sample(n, "AMT"));
      (lists[0] as Envelope).input.iteminfo[0].amt = { yuan: 1 };
      (lists[1] as Envelope).input.iteminfo[0].amt = "@1e400@";
      (lists[2] as Envelope).input.iteminfo[0].amt = 9e15;
      (lists[3] as Envelope).input.setlinfo.extra_fen = 2 ** 60;
      const text = JSON.stringify(lists).replace('"@1e400@"', "1e400");
      const r = await postRaw(text);
      expect(r.statusCode).toBe(200);
      const results = r.json().results as ListResult[];
      expect(results.map((x) => x.accepted)).toEqual([false, false, false, false, true]);
      expect(results.map((x) => x.stored)).toEqual([true, true, true, true, true]);
      const has = (i: number, ruleId: string, field: string) =>
        expect(results[i]?.findings).toContainEqual(
          expect.objectContaining({ ruleId, field, severity: "error" }),
        );
      has(0, "QC-FMT-004", "iteminfo[0].amt");
      has(1, "QC-FMT-009", "iteminfo[0].amt");
      has(2, "QC-FMT-004", "iteminfo[0].amt");
      has(3, "QC-FMT-009", "setlinfo.extra_fen");
      for (const i of [0, 1, 2, 3]) expect((await detail(`AMT000000000${i}`)).list.status).toBe("refused");
    });

    it("JSON nested 10,000 or 100,000 deep is a 400 naming the problem", async () => {
      for (const depth of [10_000, 100_000]) {
        const inList = JSON.stringify([sample(0, "DEEP")]).replace(
          '"setlinfo":{',
          `"setlinfo":{"x":${"[".repeat(depth)}${"]".repeat(depth)},`,
        );
        for (const payload of [
          inList,
          `${"[".repeat(depth)}${"]".repeat(depth)}`,
          `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
        ]) {
          const r = await postRaw(payload);
          expect(r.statusCode).toBe(400);
          expect(r.json()).toMatchObject({ code: "BODY_TOO_DEEP" });
          expect(r.json().message).toMatch(/嵌套过深/);
        }
      }
      expect((await get("/api/v1/settlement-lists/DEEP0000000000")).statusCode).toBe(404);
    });

    it("U+0000, lone surrogates, offset=1e20 and periods 0000-01..9999-12 in parameters are a 400 naming the parameter", async () => {
      const cases: [string, string][] = [
        ["/api/v1/settlement-lists?hospital=a%00b", "hospital"],
        ["/api/v1/settlement-lists?offset=1e20", "offset"],
        ["/api/v1/settlement-lists?limit=1e20", "limit"],
        ["/api/v1/settlement-lists?period=0000-01", "period"],
        ["/api/v1/settlement-lists?periodFrom=0000-01&periodTo=2024-01", "periodFrom"],
        ["/api/v1/settlement-lists?periodTo=9999-12", "periodTo"],
        ["/api/v1/settlement-lists/a%00b", "setlId"],
        ["/api/v1/qc/indicators?hospital=a%00b", "hospital"],
        ["/api/v1/qc/indicators?hospital=%00", "hospital"],
        ["/api/v1/qc/indicators?periodFrom=0000-01", "periodFrom"],
        ["/api/v1/qc/indicators?periodTo=9999-12", "periodTo"],
        ["/api/v1/qc/indicators?period=9999-12", "period"],
      ];
      for (const [url, name] of cases) {
        const r = await get(url);
        expect(r.statusCode, url).toBe(400);
        expect(r.json().message, url).toContain(name);
        expect(r.json().message, url).toMatch(/[\u4e00-\u9fff]/);
        expect(r.json().message, url).not.toMatch(/must /);
      }
      // Fastify keeps a query value that is not UTF-8 (a lone surrogate's bytes) as the literal text.
      const literal = await get("/api/v1/settlement-lists?drg=%ED%A0%80");
      expect(literal.statusCode).toBe(200);
      expect(literal.json().total).toBe(0);
      const badPath = await get("/api/v1/settlement-lists/%ED%A0%80");
      expect(badPath.statusCode).toBe(400);
      expect(badPath.json().message).toMatch(/URL/);
      expect((await get("/api/v1/settlement-lists?periodFrom=1900-01&periodTo=2199-12")).statusCode).toBe(
        200,
      );
    });
  });
}
