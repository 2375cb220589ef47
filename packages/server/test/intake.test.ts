/**
 * Intake under bad input: no save failure escapes as an unhandled rejection, bad text and absurd
 * values refuse only their own list (stored as refused, the field and rule named), and structurally
 * hopeless bodies are a 400 naming the problem. Never a 5xx.
 */
import type { SaveOutcome, SettlementListUpload } from "@yibao/store";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ingestLists, type ListResult, type PreparedList, sampleSettlementMessage } from "../src/index.js";
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
