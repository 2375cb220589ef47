import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkSettlementMessage,
  parseSettlementMessage,
  type QcFinding,
  toGroupingRecord,
  toWireMessage,
} from "../src/index.js";
import { context, type Msg, newbornMessage, validMessage } from "./helpers.js";

const RULE_ID = /^QC-[A-Z]+-\d{3}$/;

function wellFormed(findings: readonly QcFinding[]): void {
  for (const f of findings) {
    expect(f.ruleId).toMatch(RULE_ID);
    expect(typeof f.field).toBe("string");
    expect(f.field.length).toBeGreaterThan(0);
    expect(f.message.length).toBeGreaterThan(0);
    expect(["error", "warning"]).toContain(f.severity);
  }
}

/** Every path (as key lists) of a JSON value. */
function paths(
  v: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) for (const [i, x] of v.entries()) paths(x, [...prefix, i], out);
  else if (typeof v === "object" && v !== null)
    for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

const TEMPLATE_PATHS = [...paths(validMessage()), ...paths(newbornMessage())].filter((p) => p.length > 0);

type Mutation = { path: number; kind: "set" | "delete"; value: unknown };

function applyMutation(m: Msg, mu: Mutation): void {
  const path = TEMPLATE_PATHS[mu.path % TEMPLATE_PATHS.length] as (string | number)[];
  let o = m;
  for (let i = 0; i < path.length - 1; i++) {
    if (typeof o !== "object" || o === null) return;
    o = o[path[i] as string];
  }
  if (typeof o !== "object" || o === null) return;
  const last = path[path.length - 1] as string;
  if (mu.kind === "delete") delete o[last];
  else o[last] = mu.value;
}

const nastyValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    "",
    " ",
    "0",
    "-1",
    "1e999",
    "1.005",
    "NaN",
    "2024-02-30",
    "2024-03-04 25:00:00",
    "toString",
    "__proto__",
  ),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -0, 1e21, 0.1, Math.PI),
  fc.string({ maxLength: 600 }),
);

const mutation = fc.record({
  path: fc.nat(),
  kind: fc.constantFrom<"set" | "delete">("set", "set", "delete"),
  value: nastyValue,
});

describe("malformed input never throws", () => {
  it("random JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const r = checkSettlementMessage(json, context());
        wellFormed(r.findings);
        if (r.list === undefined) expect(r.accepted).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("random envelopes with random sections", () => {
    const section = fc.oneof(
      fc.jsonValue(),
      fc.array(fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue())),
    );
    fc.assert(
      fc.property(
        fc.record({
          infno: fc.oneof(fc.constantFrom("4101", "4101A", 4101), fc.jsonValue()),
          input: fc.record({
            setlinfo: fc.oneof(fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue()), fc.jsonValue()),
            diseinfo: section,
            oprninfo: section,
            iteminfo: section,
            payinfo: section,
          }),
        }),
        (json) => {
          const r = checkSettlementMessage(json, context());
          wellFormed(r.findings);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("random mutations of valid messages: findings are well formed, lists group and serialize", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.constantFrom<"bureau" | "hospital">("bureau", "hospital"),
        (newborn, mutations, mode) => {
          const m = newborn ? newbornMessage() : validMessage();
          for (const mu of mutations) applyMutation(m, mu);
          const r = checkSettlementMessage(m, context({ mode }));
          wellFormed(r.findings);
          expect(r.accepted).toBe(!r.findings.some((f) => f.severity === "error"));
          if (r.list) {
            const rec = toGroupingRecord(r.list, context().codes);
            expect(["1", "2", ""]).toContain(rec.sex);
            // What was read can be written back and read again without new problems.
            const again = parseSettlementMessage(JSON.parse(JSON.stringify(toWireMessage(r.list))));
            expect(again.findings).toEqual([]);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
