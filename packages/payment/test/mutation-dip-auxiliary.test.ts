/**
 * The DIP auxiliary catalogue (辅助目录) at its edges, against the mutants of dip-auxiliary.ts
 * (docs/mutation.md): every refusal of `parseDipAuxiliary` with its field and rule, the CCI by the
 * longest prefix with a more specific one superseding a broader one, the severity level at its `atLeast`
 * and one below, and age bands at their limits. Expected values by hand from the policy data written here.
 */
import { describe, expect, it } from "vitest";
import { type DipAuxiliary, dipAdjustment, dipCci, parseDipAuxiliary } from "../src/dip-auxiliary.js";

const DS = "测试DIP政策";
const refusal = (raw: unknown) => {
  try {
    parseDipAuxiliary(raw, DS);
  } catch (e) {
    return (e as Error).message;
  }
  return "accepted";
};
const OK_LEVELS = [{ atLeast: 2, factor: "1.1" }];
const cci = (weights: unknown, levels: unknown = OK_LEVELS) => ({ cci: { weights, levels } });

describe("parseDipAuxiliary refuses, naming the field and the rule", () => {
  it("nothing is no catalogue; a non-object is refused", () => {
    expect(parseDipAuxiliary(undefined, DS)).toBeNull();
    expect(parseDipAuxiliary(null, DS)).toBeNull();
    for (const v of [[], "x", 3]) expect(refusal(v)).toBe(`${DS}：字段 auxiliary：应为对象`);
    expect(refusal({ cci: [] })).toBe(`${DS}：字段 auxiliary.cci：应为对象`);
    expect(refusal({ cci: { levels: OK_LEVELS } })).toBe(`${DS}：字段 auxiliary.cci.weights：应为对象`);
    expect(refusal({ cci: { weights: null, levels: OK_LEVELS } })).toBe(
      `${DS}：字段 auxiliary.cci.weights：应为对象`,
    );
  });

  it("a weight's prefix: a letter then 1–9 of digits, letters or dots, the whole key", () => {
    expect(refusal(cci({ E1: 1 }))).toBe("accepted");
    expect(refusal(cci({ "E11.234567": 1 }))).toBe("accepted");
    for (const bad of ["E", "E11.2345678", "1E11", "E11 ", " E11", "E1-1"])
      expect(refusal(cci({ [bad]: 1 })), bad).toBe(
        `${DS}：字段 auxiliary.cci.weights.${bad}：应为诊断编码前缀`,
      );
  });

  it("a weight is an integer from 1 to 6", () => {
    for (const w of [1, 6]) expect(refusal(cci({ E11: w }))).toBe("accepted");
    for (const w of [0, 7, 1.5, "2", null])
      expect(refusal(cci({ E11: w })), String(w)).toBe(
        `${DS}：字段 auxiliary.cci.weights.E11：权重应为 1–6 的整数`,
      );
  });

  it("levels: at least one, each an object with an integer atLeast ≥ 1, increasing, and a positive factor", () => {
    const at = (levels: unknown) => refusal(cci({ E11: 2 }, levels));
    expect(refusal({ cci: { weights: { E11: 2 } } })).toBe(
      `${DS}：字段 auxiliary.cci.levels：至少一个严重程度分级`,
    );
    expect(at({})).toBe(`${DS}：字段 auxiliary.cci.levels：至少一个严重程度分级`);
    expect(at([])).toBe(`${DS}：字段 auxiliary.cci.levels：至少一个严重程度分级`);
    expect(at(["x"])).toBe(`${DS}：字段 auxiliary.cci.levels[0]：应为对象`);
    for (const a of [0, 1.5, "2", undefined])
      expect(at([{ atLeast: a, factor: "1.1" }]), String(a)).toBe(
        `${DS}：字段 auxiliary.cci.levels[0].atLeast：应为不小于 1 的整数`,
      );
    expect(at([{ atLeast: 1, factor: "1.1" }])).toBe("accepted");
    expect(
      at([
        { atLeast: 2, factor: "1.1" },
        { atLeast: 2, factor: "1.2" },
      ]),
    ).toBe(`${DS}：字段 auxiliary.cci.levels[1].atLeast：分级须按 CCI 递增`);
    expect(
      at([
        { atLeast: 2, factor: "1.1" },
        { atLeast: 3, factor: 1.2 },
      ]),
    ).toBe("accepted");
    expect(at([{ atLeast: 2, factor: "0" }])).toBe(
      `${DS}：字段 auxiliary.cci.levels[0].factor：校正系数应为正数`,
    );
    expect(at([{ atLeast: 2, factor: null }])).toBe(
      `${DS}：字段 auxiliary.cci.levels[0].factor：应为十进制数`,
    );
    expect(at([{ atLeast: 2, factor: "1,1" }])).toMatch(
      /^测试DIP政策：字段 auxiliary\.cci\.levels\[0\]\.factor：.+/,
    );
  });

  it("age bands: an array of objects with exactly one of under / atLeast, 0–150 whole years, and a factor", () => {
    const age = (bands: unknown) => refusal({ age: bands });
    expect(age({})).toBe(`${DS}：字段 auxiliary.age：应为年龄分段数组`);
    expect(age([3])).toBe(`${DS}：字段 auxiliary.age[0]：应为对象`);
    expect(age([{ factor: "1.2" }])).toBe(`${DS}：字段 auxiliary.age[0]：须且只须给出 under 或 atLeast 之一`);
    expect(age([{ under: 6, atLeast: 80, factor: "1.2" }])).toBe(
      `${DS}：字段 auxiliary.age[0]：须且只须给出 under 或 atLeast 之一`,
    );
    for (const y of [0, 150]) {
      expect(age([{ under: y, factor: "1.2" }])).toBe("accepted");
      expect(age([{ atLeast: y, factor: "1.2" }])).toBe("accepted");
    }
    for (const y of [-1, 151, 6.5, "6"]) {
      expect(age([{ under: y, factor: "1.2" }]), String(y)).toBe(
        `${DS}：字段 auxiliary.age[0].under：应为 0–150 的整数岁`,
      );
      expect(age([{ atLeast: y, factor: "1.2" }]), String(y)).toBe(
        `${DS}：字段 auxiliary.age[0].atLeast：应为 0–150 的整数岁`,
      );
    }
    expect(age([{ under: 6, factor: "-1" }])).toMatch(/auxiliary\.age\[0\]\.factor：/);
  });

  it("reads the catalogue: prefixes upper-cased, levels and bands in order", () => {
    const a = parseDipAuxiliary(
      {
        cci: {
          weights: { e11: 1, "E11.2": 2 },
          levels: [
            { atLeast: 2, factor: "1.1" },
            { atLeast: 4, factor: "1.25" },
          ],
        },
        age: [
          { under: 6, factor: "1.2" },
          { atLeast: 80, factor: "1.1" },
        ],
      },
      DS,
    );
    expect(a).toEqual({
      cciWeights: new Map([
        ["E11", 1],
        ["E11.2", 2],
      ]),
      cciLevels: [
        { atLeast: 2, factor: 1_100_000 },
        { atLeast: 4, factor: 1_250_000 },
      ],
      ageBands: [
        { under: 6, factor: 1_200_000 },
        { atLeast: 80, factor: 1_100_000 },
      ],
    });
    expect(parseDipAuxiliary({}, DS)).toEqual({ cciWeights: new Map(), cciLevels: [], ageBands: [] });
  });
});

const AUX: DipAuxiliary = {
  cciWeights: new Map([
    ["E11", 1],
    ["E11.2", 2],
    ["I50", 2],
    ["N18", 3],
  ]),
  cciLevels: [
    { atLeast: 2, factor: 1_100_000 },
    { atLeast: 4, factor: 1_250_000 },
  ],
  ageBands: [
    { under: 6, factor: 1_200_000 },
    { atLeast: 80, factor: 1_100_000 },
  ],
};

describe("the stay's index and factors", () => {
  it("CCI: the longest weighed prefix, each once, a specific one superseding a broader one", () => {
    expect(dipCci(AUX, [])).toBe(0);
    expect(dipCci(AUX, ["E11.900"])).toBe(1);
    expect(dipCci(AUX, [" e11.201 "])).toBe(2);
    // E11.2 supersedes E11: 2, not 3; I50 twice counts once.
    expect(dipCci(AUX, ["E11.900", "E11.201", "I50.000", "I50.900"])).toBe(4);
    expect(dipCci(AUX, ["E11.201", "E11.900"])).toBe(2);
    expect(dipCci(AUX, ["J18.900"])).toBe(0);
  });

  it("severity: 1 below the first level, the level's factor from its atLeast on", () => {
    const sev = (dx: string[]) => dipAdjustment(AUX, { secondaryDiagnoses: dx }).severityFactor;
    expect(sev(["E11.900"])).toBe(1_000_000);
    expect(sev(["I50.000"])).toBe(1_100_000);
    expect(sev(["N18.500"])).toBe(1_100_000);
    expect(sev(["N18.500", "E11.900"])).toBe(1_250_000);
    expect(dipAdjustment(AUX, {})).toEqual({ cci: 0, severityFactor: 1_000_000, ageFactor: 1_000_000 });
  });

  it("age: the first band that holds, at its limits; unknown age gives 1", () => {
    const age = (ageYears: number | null | undefined) =>
      dipAdjustment(AUX, ageYears === undefined ? {} : { ageYears }).ageFactor;
    expect(age(5)).toBe(1_200_000);
    expect(age(6)).toBe(1_000_000);
    expect(age(79)).toBe(1_000_000);
    expect(age(80)).toBe(1_100_000);
    expect(age(null)).toBe(1_000_000);
    expect(age(undefined)).toBe(1_000_000);
    expect(age(Number.NaN)).toBe(1_000_000);
    const overlapping: DipAuxiliary = {
      ...AUX,
      ageBands: [{ atLeast: 60, factor: 1_050_000 }, ...AUX.ageBands],
    };
    expect(dipAdjustment(overlapping, { ageYears: 85 }).ageFactor).toBe(1_050_000);
  });
});
