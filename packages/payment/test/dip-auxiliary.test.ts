/**
 * DIP 辅助目录 (severity by CCI, age) adjusting a stay's points, worked by hand. Group H: 50 points,
 * standard 5,000.00 元 (三级); every stay costs 5,000.00 元 (a normal case). Weights E11 1, E11.2 3,
 * I50 2, N18 2; levels CCI ≥ 1 → 1.1, ≥ 3 → 1.25; ages under 1 → 1.3, 80 and over → 1.1.
 */
import { describe, expect, it } from "vitest";
import { dipStayPoints, parseDipPaymentPolicy } from "../src/dip.js";
import { dipCci } from "../src/dip-auxiliary.js";

const BASE = {
  id: "aux",
  version: "1",
  effectiveFrom: "2025-01-01",
  groupPoints: { H: "50" },
  standardCost: { 三级: { H: "5000.00" } },
  veryHighAtLeast: "2",
  veryLowAtMost: "0.5",
  budgetBasis: "totalCost",
};
const AUX = {
  cci: {
    weights: { E11: 1, "E11.2": 3, I50: 2, N18: 2 },
    levels: [
      { atLeast: 1, factor: "1.1" },
      { atLeast: 3, factor: "1.25" },
    ],
  },
  age: [
    { under: 1, factor: "1.3" },
    { atLeast: 80, factor: "1.1" },
  ],
};
const policy = parseDipPaymentPolicy({ ...BASE, auxiliary: AUX });
const points = (secondaryDiagnoses: string[], ageYears: number | null, coefficient = 1_000_000) => {
  const p = dipStayPoints(
    policy,
    {
      id: "s",
      hospital: "A",
      hospitalLevel: "三级",
      group: "H",
      costFen: 500_000,
      patientPaidFen: 0,
      secondaryDiagnoses,
      ageYears,
    },
    coefficient,
  );
  return Number(p.microPoints) / 1_000_000;
};

describe("DIP 辅助目录", () => {
  it("CCI: each prefix once, the more specific one instead of the broader", () => {
    const aux = policy.auxiliary;
    if (aux === null) throw new Error("no auxiliary");
    expect(dipCci(aux, [])).toBe(0);
    expect(dipCci(aux, ["E11.900"])).toBe(1);
    expect(dipCci(aux, ["E11.200x001", "E11.900"])).toBe(3);
    expect(dipCci(aux, ["I50.900", "I50.000", "n18.500"])).toBe(4);
    expect(dipCci(aux, ["J18.900"])).toBe(0);
  });

  it("severity at the level edges: CCI 0 → 50, 1 → 55, 2 → 55, 3 → 62.5", () => {
    expect(points([], 40)).toBe(50);
    expect(points(["E11.900"], 40)).toBe(55);
    expect(points(["I50.900"], 40)).toBe(55);
    expect(points(["E11.200"], 40)).toBe(62.5);
  });

  it("age at the band edges: 0 → 65, 1 → 50, 79 → 50, 80 → 55, unknown → 50", () => {
    expect(points([], 0)).toBe(65);
    expect(points([], 1)).toBe(50);
    expect(points([], 79)).toBe(50);
    expect(points([], 80)).toBe(55);
    expect(points([], null)).toBe(50);
  });

  it("both with the hospital coefficient: 50 × 1.25 × 1.1 × 0.9 = 61.875", () => {
    expect(points(["E11.2"], 85, 900_000)).toBe(61.875);
  });

  it("a policy without 辅助目录 pays the group's points; bad data is refused with its field", () => {
    const plain = parseDipPaymentPolicy(BASE);
    expect(plain.auxiliary).toBeNull();
    const bad = (auxiliary: unknown) => () => parseDipPaymentPolicy({ ...BASE, auxiliary });
    expect(bad({ cci: { weights: { E11: 7 }, levels: [{ atLeast: 1, factor: "1.1" }] } })).toThrow(
      /auxiliary\.cci\.weights\.E11/,
    );
    expect(
      bad({
        cci: {
          weights: { E11: 1 },
          levels: [
            { atLeast: 3, factor: "1.2" },
            { atLeast: 3, factor: "1.3" },
          ],
        },
      }),
    ).toThrow(/auxiliary\.cci\.levels\[1\]\.atLeast/);
    expect(bad({ age: [{ under: 1, atLeast: 80, factor: "1.1" }] })).toThrow(/auxiliary\.age\[0\]/);
    expect(bad({ age: [{ under: 1, factor: "0" }] })).toThrow(/auxiliary\.age\[0\]\.factor/);
  });
});
