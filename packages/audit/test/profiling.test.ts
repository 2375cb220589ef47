import { describe, expect, it } from "vitest";
import { STARTER_RULE_BASE } from "../src/data/starter-rules.js";
import {
  ahpWeights,
  alertLevel,
  clusterCount,
  DEFAULT_PROFILING_CONFIG,
  dropCorrelated,
  kMeans,
  type PhysicianIndicators,
  profilePhysicians,
  profilingConfigOf,
  quantile,
  standardize,
} from "../src/profiling.js";
import { readRuleBase } from "../src/rule-data.js";

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

describe("the Shanghai model's suspect cluster (seed 001: alerts for the 疑点医生簇 only)", () => {
  const ordinary = (i: number): PhysicianIndicators => ({
    physician: `N${String(i).padStart(2, "0")}`,
    cases: 40,
    values: {
      cmi: 0.9 + (i % 5) * 0.05,
      avgCost: 7000 + (i % 7) * 400,
      avgLos: 6 + (i % 4) * 0.5,
      costIndex: 0.9 + (i % 6) * 0.04,
      ownPayShare: 0.04 + (i % 3) * 0.01,
      readmissionRate: 0.01 + (i % 4) * 0.005,
      findingRate: 0.01 + (i % 5) * 0.004,
    },
  });
  const suspect = (i: number): PhysicianIndicators => ({
    physician: `S${i}`,
    cases: 40,
    values: {
      cmi: 0.8,
      avgCost: 12_000 + i,
      avgLos: 9,
      costIndex: 1.6 + i * 0.001,
      ownPayShare: 0.12,
      readmissionRate: 0.12,
      findingRate: 0.3 + i * 0.001,
    },
  });
  const input = [...Array.from({ length: 15 }, (_, i) => ordinary(i)), ...[0, 1, 2, 3, 4].map(suspect)];

  it("20 physicians, 5 per cluster at least: 4 clusters; the five planted suspects are the suspect cluster", () => {
    const r = profilePhysicians(input);
    expect(r.clusters).toBe(4);
    const suspects = r.profiles.filter((p) => p.cluster === r.suspiciousCluster).map((p) => p.physician);
    expect(suspects.sort()).toEqual(["S0", "S1", "S2", "S3", "S4"]);
  });

  it("only the suspect cluster is graded, by its own quartiles: of five scores, 2 red, 2 orange, 1 yellow", () => {
    const r = profilePhysicians(input);
    for (const p of r.profiles) expect(p.alert === null, p.physician).toBe(p.cluster !== r.suspiciousCluster);
    const graded = r.profiles.filter((p) => p.alert !== null).sort((a, b) => a.score - b.score);
    // Type-7 quartiles of five sorted scores sit on the 2nd and 4th: yellow, orange, orange, red, red.
    expect(graded.map((p) => p.alert)).toEqual(["黄色", "橙色", "橙色", "红色", "红色"]);
    expect(r.alertQuartiles).toEqual([graded[1]?.score, graded[3]?.score]);
    expect(r.watchList).toEqual([graded[4]?.physician, graded[3]?.physician]);
  });

  it("the cluster count: at most `clusters`, at least 5 physicians a cluster on average, never below one", () => {
    const config = DEFAULT_PROFILING_CONFIG;
    expect(config.clusters).toBe(15);
    expect(clusterCount(74, config)).toBe(14);
    expect(clusterCount(75, config)).toBe(15);
    expect(clusterCount(76, config)).toBe(15);
    expect(clusterCount(9, config)).toBe(1);
    expect(clusterCount(10, config)).toBe(2);
    expect(clusterCount(4, config)).toBe(1);
    expect(clusterCount(40, profilingConfigOf({ clusters: 3 }))).toBe(3);
    expect(clusterCount(40, profilingConfigOf({ minPhysiciansPerCluster: 20 }))).toBe(2);
  });

  it("one cluster grades everyone: the whole population's quartiles", () => {
    const r = profilePhysicians(input, profilingConfigOf({ clusters: 1 }));
    expect(r.clusters).toBe(1);
    expect(r.profiles.every((p) => p.alert !== null)).toBe(true);
    expect(r.profiles.filter((p) => p.alert === "红色")).toHaveLength(5);
  });

  it("a rule base sets the parameters as data, checked at load", () => {
    const ok = readRuleBase({
      ...STARTER_RULE_BASE,
      profiling: { clusters: 15, minPhysiciansPerCluster: 5 },
    });
    expect(ok.problems).toEqual([]);
    const bad = readRuleBase({ ...STARTER_RULE_BASE, profiling: { clusters: 0, maxAbsCorrelation: 1.5 } });
    expect(bad.problems.join("\n")).toMatch(/profiling\.clusters/);
    expect(bad.problems.join("\n")).toMatch(/profiling\.maxAbsCorrelation/);
  });
});
