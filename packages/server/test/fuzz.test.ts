/** Malformed bodies never get a 5xx: random JSON, mutated envelopes and random bytes. */
import fc from "fast-check";
import { afterAll, beforeAll, describe, it } from "vitest";
import { sampleSettlementMessage } from "../src/index.js";
import { type TestServer, testServer } from "./helpers.js";

/** Replaces one value somewhere in a JSON tree with an arbitrary JSON value. */
function mutate(tree: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0 || tree === null || typeof tree !== "object") return replacement;
  const entries = Array.isArray(tree) ? tree.map((v, i) => [i, v] as const) : Object.entries(tree);
  if (entries.length === 0) return replacement;
  const [head, ...rest] = path;
  const pick = (head ?? 0) % entries.length;
  const copy: Record<string | number, unknown> = Array.isArray(tree) ? [...tree] : { ...tree };
  const [key, value] = entries[pick] as readonly [string | number, unknown];
  copy[key] = mutate(value, rest, replacement);
  return copy;
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

  it("mutated envelopes get a 200 or 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(30),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.boolean(),
        async (n, path, value, asArray) => {
          const m = mutate(sampleSettlementMessage(n, { prefix: "FZ" }), path, value);
          await postRaw(JSON.stringify(asArray ? [m, sampleSettlementMessage(n + 1, { prefix: "FZ" })] : m));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("arbitrary JSON values and arbitrary text get a 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 200 })), async (payload) => {
        await postRaw(payload);
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
          await postRaw(whole.slice(0, cut), contentType);
        },
      ),
      { numRuns: 80 },
    );
  });
});
