import { describe, expect, it } from "vitest";
import {
  ahpWeights,
  alertLevel,
  dropCorrelated,
  kMeans,
  type PhysicianIndicators,
  profilePhysicians,
  quantile,
  standardize,
} from "../src/profiling.js";

describe("physician profiling math", () => {
  it("k-means separates a known two-cluster set deterministically", () => {
    const pts = [
      [0, 0],
      [0.2, 0.1],
      [0.1, 0.3],
      [10, 10],
      [10.2, 9.9],
      [9.8, 10.1],
    ];
    const r = kMeans(pts, 2);
    expect(new Set(r.labels.slice(0, 3)).size).toBe(1);
    expect(new Set(r.labels.slice(3)).size).toBe(1);
    expect(r.labels[0]).not.toBe(r.labels[3]);
    expect(kMeans(pts, 2).labels).toEqual(r.labels);
  });
  it("AHP: a consistent matrix has CR 0; Saaty's textbook matrix has CR ≈ 0.0 and known weights", () => {
    const consistent = [
      [1, 2, 4],
      [1 / 2, 1, 2],
      [1 / 4, 1 / 2, 1],
    ];
    const a = ahpWeights(consistent);
    expect(a.cr).toBeCloseTo(0, 6);
    expect(a.weights.map((w) => Number(w.toFixed(4)))).toEqual([0.5714, 0.2857, 0.1429]);
    const m = [
      [1, 3, 5],
      [1 / 3, 1, 3],
      [1 / 5, 1 / 3, 1],
    ];
    const b = ahpWeights(m);
    expect(b.lambdaMax).toBeCloseTo(3.0385, 3);
    expect(b.cr).toBeCloseTo(0.0332, 3);
    expect(b.consistent).toBe(true);
    const bad = [
      [1, 9, 1 / 9],
      [1 / 9, 1, 9],
      [9, 1 / 9, 1],
    ];
    expect(ahpWeights(bad).consistent).toBe(false);
    expect(() =>
      ahpWeights([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(/倒数/);
  });
  it("drops the less relevant of two correlated indicators", () => {
    const x = [1, 2, 3, 4, 5, 6];
    const y = [2, 4.1, 6, 8.2, 10, 12];
    const z = [1, 0, 1, 1, 0, 1];
    expect(dropCorrelated([x, y, z], [1, 0, 2])).toEqual([1, 2]);
    expect(dropCorrelated([x, y, z], [0, 1, 2])).toEqual([0, 2]);
  });
  it("standardizes to mean 0 and sd 1, and alerts by quartile", () => {
    const z = standardize([[1], [2], [3], [4]]).map((r) => r[0] as number);
    expect(z.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 10);
    expect(z.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 10);
    const s = [1, 2, 3, 4, 5];
    expect(quantile(s, 0.25)).toBe(2);
    expect(alertLevel(4.5, 2, 4)).toBe("红色");
    expect(alertLevel(3, 2, 4)).toBe("橙色");
    expect(alertLevel(1, 2, 4)).toBe("黄色");
  });
  it("puts the physician with the most suspicious indicators first", () => {
    const base = {
      cmi: 1,
      avgCost: 8000,
      avgLos: 7,
      costIndex: 1,
      ownPayShare: 0.05,
      readmissionRate: 0.02,
      findingRate: 0.02,
    };
    const input: PhysicianIndicators[] = Array.from({ length: 12 }, (_, i) => ({
      physician: `D${i}`,
      cases: 50,
      values: {
        ...base,
        avgCost: 8000 + i * 37,
        avgLos: 7 + (i % 3) * 0.3,
        findingRate: 0.02 + (i % 4) * 0.005,
        cmi: 1 + (i % 5) * 0.02,
      },
    }));
    input.push({
      physician: "DX",
      cases: 50,
      values: { ...base, findingRate: 0.3, readmissionRate: 0.15, costIndex: 1.6 },
    });
    const r = profilePhysicians(input);
    expect(r.ahp.consistent).toBe(true);
    expect(r.watchList[0]).toBe("DX");
    expect(r.profiles.find((p) => p.physician === "DX")?.alert).toBe("红色");
  });
});
