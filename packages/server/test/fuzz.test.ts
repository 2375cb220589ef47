/** Malformed bodies never get a 5xx: random JSON, mutated envelopes and random bytes. */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleSettlementMessage } from "../src/index.js";
import { type TestServer, testServer } from "./helpers.js";

/** Replaces one value somewhere in a JSON tree with an arbitrary JSON value. */
function mutate(tree: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0 || tree === null || typeof tree !== "object") return replacement;
  const entries = Array.isArray(tree) ? tree.map((v, i) => [i, v] as const) : Object.entries(tree);
  if (entries.length === 0) return replacement;
  const [head, ...rest] = path;
  const pick = (head ?? 0) % entries.length;
  const [key, value] = entries[pick] as readonly [string | number, unknown];
  const changed = mutate(value, rest, replacement);
  if (Array.isArray(tree)) {
    const copy: unknown[] = [...tree];
    copy[key as number] = changed;
    return copy;
  }
  return { ...(tree as Record<string, unknown>), [key]: changed };
}

describe("fuzzing the upload endpoint", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await testServer("pglite");
  });
  afterAll(async () => {
    await t?.close();
  });

  const postRaw = async (payload: string, contentType = "application/json") => {
    const r = await t.app.inject({
      method: "POST",
      url: "/api/v1/settlement-lists",
      headers: { "content-type": contentType },
      payload,
    });
    if (r.statusCode >= 500) throw new Error(`${r.statusCode} for ${payload.slice(0, 200)}: ${r.body}`);
    return r;
  };

  /** A 4xx with the error shape of errors.ts: a code and a Chinese message. */
  const expectRefused = (r: { statusCode: number; body: string }, payload: string) => {
    expect(r.statusCode, payload.slice(0, 200)).toBeGreaterThanOrEqual(400);
    expect(r.statusCode, payload.slice(0, 200)).toBeLessThan(500);
    const e = JSON.parse(r.body);
    expect(typeof e.code).toBe("string");
    expect(e.message).toMatch(/[\u4e00-\u9fff]/);
  };

  /**
   * A 200 answers every list: a batch counts each one (accepted + refused = count), a single list
   * gets its own result with an accepted flag.
   */
  const expectAnswered = (r: { statusCode: number; body: string }, sent: unknown) => {
    expect(r.statusCode).toBe(200);
    const b = JSON.parse(r.body);
    if (Array.isArray(sent)) {
      expect(b.count).toBe(sent.length);
      expect(b.results).toHaveLength(sent.length);
      expect(b.accepted + b.refused).toBe(sent.length);
    } else {
      expect(typeof b.accepted).toBe("boolean");
    }
    return b;
  };

  it("mutated envelopes get a 200 that answers every list, or a 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(30),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.boolean(),
        async (n, path, value, asArray) => {
          const m = mutate(sampleSettlementMessage(n, { prefix: "FZ" }), path, value);
          const sent = asArray ? [m, sampleSettlementMessage(n + 1, { prefix: "FZ" })] : m;
          const payload = JSON.stringify(sent);
          const r = await postRaw(payload);
          if (r.statusCode === 200) expectAnswered(r, sent);
          else expectRefused(r, payload);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("arbitrary JSON values and arbitrary text get a 4xx, or a 200 that accepts none of the lists", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 200 })), async (payload) => {
        const r = await postRaw(payload);
        if (r.statusCode === 200) expect(expectAnswered(r, JSON.parse(payload)).accepted).toBe(0);
        else expectRefused(r, payload);
      }),
      { numRuns: 150 },
    );
  });

  it("truncated messages and odd content types get a 4xx", async () => {
    const whole = JSON.stringify([sampleSettlementMessage(1), sampleSettlementMessage(2)]);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(whole.length - 1),
        fc.constantFrom(
          "application/json",
          "text/plain",
          "application/x-www-form-urlencoded",
          "application/json; charset=gbk",
        ),
        async (cut, contentType) => {
          const payload = whole.slice(0, cut);
          expectRefused(await postRaw(payload, contentType), payload);
        },
      ),
      { numRuns: 80 },
    );
  });
});
