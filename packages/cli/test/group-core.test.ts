import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { groupChunk, groupLine, rowToJson } from "@yibao/cli/group-core";
import type { DrgScheme } from "@yibao/grouper";
import { loadSchemeDir } from "@yibao/grouper/load";
import { beforeAll, describe, expect, it } from "vitest";

const REPO = resolve(import.meta.dirname, "../../..");
const SHARED = resolve(process.env.YIBAO_SHARED_DIR ?? resolve(REPO, "../shared"));
const NATIONAL = resolve(SHARED, "schemes/chs-drg-1.1");
const PLAIN = { explain: false, mapCodes: false };

let scheme: DrgScheme;
let inputs: Record<string, unknown>[];

beforeAll(async () => {
  scheme = await loadSchemeDir(NATIONAL);
  inputs = readFileSync(resolve(NATIONAL, "vectors.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .slice(0, 4000)
    .map((l) => (JSON.parse(l) as { input: Record<string, unknown> }).input);
});

/** Line variants that the byte reader must either read exactly as JSON.parse does or decline. */
function variants(r: Record<string, unknown>, i: number): string[] {
  const json = JSON.stringify(r);
  const spaced = JSON.stringify(r, null, 1).replace(/\n/g, " ");
  const reordered = JSON.stringify(Object.fromEntries(Object.entries(r).reverse()));
  const { dept: _dept, los: _los, dischargeWay: _way, ageDays: _days, ...minimal } = r;
  return [
    json,
    spaced,
    `\t${reordered}\r`,
    JSON.stringify(minimal),
    json.replace('"id":"', '"id":"\\u0041'),
    json.replace('"id":"', '"id":"病例'),
    json.replace('"dept":""', '"dept":"心内科"'),
    json.replace('"dept":""', '"dept":"a\\"b"'),
    json.replace(/"los":(\d+)/, '"los":$1.0'),
    json.replace(/"los":(\d+)/, '"los":$1e0'),
    json.replace(/"los":\d+/, '"los":-0'),
    json.replace(/"los":\d+/, '"los":0012'),
    json.replace(/"los":\d+/, '"los":12345678901'),
    json.replace(/"los":\d+/, '"los":null'),
    json.replace(/"ageYears":(\d+|null)/, `"ageYears":${i % 160}`),
    json.replace(/"birthWeight":(\d+|null)/, `"birthWeight":${i % 3 === 0 ? "2500.5" : i % 7}`),
    json.replace(/"sex":"."/, `"sex":"${["", "1", "2", "3", "12"][i % 5]}"`),
    json.replace(/"sex":"."/, '"sex":1'),
    json.replace("}", ',"extra":[1,{"a":null}]}'),
    json.replace("}", `,"id":"dup${i}"}`),
    json.replace('"diagnoses":[', '"diagnoses":["",'),
    json.replace('"diagnoses":[', '"diagnoses":[1,'),
    json.replace(/"procedures":\[[^\]]*\]/, '"procedures":null'),
    json.replace('"diagnoses":[', '"diagnoses":[ "Ä01.000",'),
    `${json} x`,
    json.slice(0, json.length - 1),
    // The reader finds line ends itself: a line cut inside a string, or two objects on one line.
    json.slice(0, json.indexOf('"diagnoses":["') + 15),
    `${json}${json}`,
    `${json} \r`,
    `\uFEFF${json}`,
    " \t ",
    "",
    "\u00a0",
    "[1,2]",
    "null",
  ];
}

describe("grouping a chunk of JSONL bytes", () => {
  it("writes exactly what the general path writes, line for line, for plain and unusual lines alike", () => {
    const lines = inputs.flatMap((r, i) => variants(r, i));
    const expected: string[] = [];
    let errors = 0;
    lines.forEach((text, i) => {
      if (text.trim() === "") return;
      const row = groupLine(scheme, text, 10 + i, PLAIN);
      if ("error" in row) errors++;
      expected.push(`${rowToJson(row)}\n`);
    });
    const bytes = new TextEncoder().encode(lines.join("\n"));
    const out = groupChunk(scheme, { bytes, firstLine: 10 }, PLAIN, "jsonl");
    expect(out.records).toBe(expected.length);
    expect(out.errors).toBe(errors);
    const got = new TextDecoder().decode(out.jsonl).split(/(?<=\n)/);
    expect(got.length).toBe(expected.length);
    const diff = got.findIndex((g, i) => g !== expected[i]);
    expect(diff >= 0 ? [got[diff], expected[diff]] : []).toEqual([]);
  });

  it("numbers table rows by their own line numbers", () => {
    const text = ["{not json", JSON.stringify(inputs[0])].join("\n");
    const out = groupChunk(
      scheme,
      { bytes: new TextEncoder().encode(text), firstLine: 7, lineNumbers: [7, 9] },
      PLAIN,
      "cells",
    );
    expect(out.cells?.map((c) => c[0])).toEqual([7, 9]);
    expect(out.errors).toBe(1);
  });
});
