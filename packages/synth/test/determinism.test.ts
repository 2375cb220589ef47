import { describe, expect, it } from "vitest";
import { generateRegion } from "../src/generate.js";
import { demoScheme } from "./shared.js";

function take<T>(it: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const x of it) {
    out.push(x);
    if (out.length >= n) break;
  }
  return out;
}

describe("determinism", () => {
  it("the same seed gives identical regions and lists, honest twins included", async () => {
    const scheme = await demoScheme();
    const a = generateRegion({ seed: 42, stays: 400, scheme, inject: { rate: 0.1 } });
    const b = generateRegion({ seed: 42, stays: 400, scheme, inject: { rate: 0.1 } });
    expect(JSON.stringify(a.hospitals)).toBe(JSON.stringify(b.hospitals));
    expect(JSON.stringify(a.physicians)).toBe(JSON.stringify(b.physicians));
    const sa = [...a.stays()];
    const sb = [...b.stays()];
    expect(sa).toHaveLength(400);
    expect(JSON.stringify(sa)).toBe(JSON.stringify(sb));
    // Iterating the same region again replays the same stream.
    expect(JSON.stringify([...a.stays()])).toBe(JSON.stringify(sa));
    expect(a.population.person(17)).toEqual(b.population.person(17));
  });

  it("different seeds give different lists", async () => {
    const scheme = await demoScheme();
    const a = take(generateRegion({ seed: 1, stays: 50, scheme }).stays(), 50);
    const b = take(generateRegion({ seed: 2, stays: 50, scheme }).stays(), 50);
    const key = (s: (typeof a)[number]) =>
      `${s.message.input.setlinfo.certno}|${s.truth.group.drg}|${s.truth.totalFen}`;
    const same = a.filter((s, i) => key(s) === key(b[i] as (typeof b)[number])).length;
    expect(same).toBeLessThan(5);
  });

  it("string and number seeds both work and differ", async () => {
    const scheme = await demoScheme();
    const a = take(generateRegion({ seed: "江州", stays: 20, scheme }).stays(), 20);
    const b = take(generateRegion({ seed: 7, stays: 20, scheme }).stays(), 20);
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
  });

  it("produces exactly the requested number of lists within the period", async () => {
    const scheme = await demoScheme();
    const r = generateRegion({
      seed: 5,
      stays: 777,
      scheme,
      from: "2024-03-01",
      to: "2024-05-31",
      inject: { rate: 0.2 },
    });
    const stays = [...r.stays()];
    expect(stays).toHaveLength(777);
    expect(stays.map((s) => s.index)).toEqual(stays.map((_, i) => i));
    for (const s of stays) {
      expect(s.truth.admDate >= "2024-03-01").toBe(true);
      expect(s.truth.dscgDate <= "2024-05-31").toBe(true);
    }
    expect(new Set(stays.map((s) => s.message.input.setlinfo.setl_id)).size).toBe(777);
  });

  it("rejects bad options with Chinese messages", async () => {
    const scheme = await demoScheme();
    expect(() => generateRegion({ seed: 1, stays: -1, scheme })).toThrow(/病例数/);
    expect(() => generateRegion({ seed: 1, stays: 1, scheme, from: "2023-02-30" })).toThrow(/日期不存在/);
    expect(() => generateRegion({ seed: 1, stays: 1, scheme, inject: { rate: 2 } })).toThrow(/注入比例/);
  });
});
