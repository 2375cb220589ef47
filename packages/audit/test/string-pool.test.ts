/**
 * 字符串池: a read converts a year of stays with one pool, so each repeated code, date and name is held
 * once. The pooled stay must equal the unpooled one field for field, and the pool must hand back the
 * first copy it saw.
 */
import { readFileSync } from "node:fs";
import { parseSettlementMessage } from "@yibao/settlement";
import { describe, expect, it } from "vitest";
import { auditStayFromList, StringPool } from "../src/stay.js";
import { scheme } from "./helpers.js";

function list() {
  const url = new URL("../../settlement/test/fixtures/4101-appendicitis.json", import.meta.url);
  // A fresh parse each time: every string a distinct object, as rows read from a database are.
  const parsed = parseSettlementMessage(JSON.parse(readFileSync(url, "utf8"))).list;
  if (parsed === undefined) throw new Error("the fixture parses");
  return parsed;
}

describe("StringPool", () => {
  it("returns the first copy of a string and passes null through", () => {
    const pool = new StringPool();
    const first = ["2024", "03", "04"].join("-");
    const second = ["2024-03", "04"].join("-");
    expect(pool.get(first)).toBe(first);
    expect(pool.get(second)).toBe(first);
    expect(pool.orNull(null)).toBeNull();
    expect(pool.size).toBe(1);
  });

  // String identity cannot be observed in JavaScript: the pool's size shows what went through it.
  it("a pooled stay equals the unpooled one, and a second stay adds no string to the pool", () => {
    const pool = new StringPool();
    const plain = auditStayFromList(list(), { scheme });
    const a = auditStayFromList(list(), { scheme, strings: pool });
    const b = auditStayFromList(list(), { scheme, strings: pool });
    expect(a).toEqual(plain);
    expect(b).toEqual(plain);
    // Dates, times, hospital, level, department, physician, codes and fee categories are pooled.
    expect(pool.size).toBeGreaterThan(5);
    const held = pool.size;
    auditStayFromList(list(), { scheme, strings: pool });
    expect(pool.size).toBe(held);
  });
});
