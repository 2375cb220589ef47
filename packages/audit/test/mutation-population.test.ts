/**
 * Tests written against the surviving mutants of detect-population.ts (issue 16, docs/mutation.md):
 * the order of a person's stays, what makes two stays "the same illness" under each relation, the
 * window and hospital conditions, the merged stay, the findings' messages and evidence, and patient
 * selection by period at its limits. Expected values are written by hand (day 19 500 = 2023-05-23;
 * ES35 weight 0.52, 4581.72 元; HC25 weight 1.26).
 */
import { describe, expect, it } from "vitest";
import type { AuditContext } from "../src/context.js";
import { detectPatientSelection, detectReadmissions, staysByPerson } from "../src/detect-population.js";
import type { AuditStay } from "../src/model.js";
import { context, stay, withCheck } from "./helpers.js";

describe("staysByPerson", () => {
  it("orders each person's stays by admission day, then by id", () => {
    const a = stay({ id: "B", diagnoses: ["J15.902"], cost: 1, person: "P", adm: 19_510 });
    const b = stay({ id: "A", diagnoses: ["J15.902"], cost: 1, person: "P", adm: 19_510 });
    const c = stay({ id: "C", diagnoses: ["J15.902"], cost: 1, person: "P", adm: 19_500 });
    const d = stay({ id: "D", diagnoses: ["J15.902"], cost: 1, person: "Q", adm: 19_400 });
    const m = staysByPerson([a, b, d, c]);
    expect([...m.keys()]).toEqual(["P", "Q"]);
    expect(m.get("P")?.map((s) => s.id)).toEqual(["C", "A", "B"]);
    expect(
      staysByPerson([b, a, c])
        .get("P")
        ?.map((s) => s.id),
    ).toEqual(["C", "A", "B"]);
    expect(m.get("Q")?.map((s) => s.id)).toEqual(["D"]);
  });
});

describe("readmission findings: message, evidence and pricing", () => {
  it("a split admission: both stays, merged into one ES35 stay, 4581.72 元", () => {
    const ctx = context();
    const a = stay({ id: "SA1", diagnoses: ["J15.902"], cost: 300_000, person: "PS", adm: 19_500, los: 4 });
    const b = stay({ id: "SA2", diagnoses: ["J15.902"], cost: 300_000, person: "PS", adm: 19_510, los: 3 });
    const [f, ...rest] = detectReadmissions(staysByPerson([a, b]), ctx);
    expect(rest).toEqual([]);
    expect(f?.id).toBe("DRG-01:SA1+SA2");
    expect(f?.ruleId).toBe("DRG-01");
    expect(f?.stayIds).toEqual(["SA1", "SA2"]);
    expect(f?.hospitalId).toBe("H1");
    expect(f?.physicianCode).toBe("D1");
    expect(f?.personId).toBe("PS");
    expect(f?.message).toBe(
      "疑似分解住院：出院 6 天后因同一疾病再次入院，合并为一次住院（ES35）结算基金多支付 4581.72 元",
    );
    expect(f?.evidence).toEqual([
      {
        text: "第一次住院 2023-05-23 至 2023-05-27（4 天，ES35，权重 0.52，主要诊断 J15.902），未申报 31 日内计划再入院",
        fields: {
          stay: "SA1",
          drg: "ES35",
          admission: "2023-05-23",
          discharge: "2023-05-27",
          planned: false,
        },
      },
      {
        text: "第二次住院 2023-06-02 至 2023-06-05（3 天，ES35，权重 0.52，主要诊断 J15.902），间隔 6 天",
        fields: { stay: "SA2", drg: "ES35", admission: "2023-06-02", discharge: "2023-06-05", gapDays: 6 },
      },
    ]);
    expect(f?.pricing?.corrected.map((c) => c.drg)).toEqual(["ES35"]);
    expect(f?.fundLoss).toBe(458_172);
  });

  it("a DRG without a weight is named without one; a finding in two hospitals is not priced", () => {
    const ctx = withCheck(context(), "split_admission", { sameHospital: false });
    const a = stay({ id: "NW1", diagnoses: ["E11.900"], cost: 300_000, person: "PN", adm: 19_500, los: 4 });
    const b = stay({
      id: "NW2",
      diagnoses: ["E11.900"],
      cost: 300_000,
      person: "PN",
      adm: 19_504,
      los: 2,
      hospital: "H2",
    });
    const [f, ...rest] = detectReadmissions(staysByPerson([a, b]), ctx);
    expect(rest).toEqual([]);
    expect(f?.hospitalId).toBe("H2");
    expect(f?.message).toBe("疑似分解住院：出院 0 天后因同一疾病再次入院");
    expect(f?.evidence[0]?.text).toBe(
      "第一次住院 2023-05-23 至 2023-05-27（4 天，KS15，主要诊断 E11.900），未申报 31 日内计划再入院",
    );
    expect(f?.evidence[1]?.text).toBe(
      "第二次住院 2023-05-27 至 2023-05-29（2 天，KS15，主要诊断 E11.900），间隔 0 天",
    );
    expect(f?.pricing).toBeNull();
    expect(f?.fundLoss).toBe(0);
    // The same two stays with the starter rule (same hospital only): nothing.
    expect(detectReadmissions(staysByPerson([a, b]), context())).toEqual([]);
  });

  it("an unpriceable merged stay in one hospital: the merge is not named", () => {
    const ctx = context();
    const a = stay({ id: "UP1", diagnoses: ["E11.900"], cost: 300_000, person: "PU", adm: 19_500, los: 4 });
    const b = stay({ id: "UP2", diagnoses: ["E11.900"], cost: 300_000, person: "PU", adm: 19_505, los: 2 });
    const [f] = detectReadmissions(staysByPerson([a, b]), ctx);
    expect(f?.message).toBe("疑似分解住院：出院 1 天后因同一疾病再次入院");
    expect(f?.pricing).toBeNull();
  });

  it("overlapping stays (the second admitted before the first discharge) are not readmissions", () => {
    const ctx = context();
    const a = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "PO", adm: 19_500, los: 4 });
    const b = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "PO", adm: 19_503, los: 4 });
    expect(detectReadmissions(staysByPerson([a, b]), ctx)).toEqual([]);
  });

  it("a repeated admission: the merged stay's principal is the operated stay's", () => {
    const ctx = context();
    // J20.900 (ES35, no CC) then an operated K81.002 (HC25): merged under K81.002 with 51.2300 → HC25;
    // ES35 4581.72 + HC25 11102.39 paid, HC25 11102.39 due: 4581.72 元.
    const a = stay({ id: "RA1", diagnoses: ["J20.900"], cost: 300_000, person: "PR", adm: 19_500, los: 4 });
    const b = stay({
      id: "RA2",
      diagnoses: ["K81.002"],
      procedures: ["51.2300"],
      cost: 1_000_000,
      person: "PR",
      adm: 19_510,
      los: 5,
    });
    expect(b.group.drg).toBe("HC25");
    const [f, ...rest] = detectReadmissions(staysByPerson([a, b]), ctx);
    expect(rest).toEqual([]);
    expect(f?.violation).toBe("repeated_admission");
    expect(f?.id).toBe("DRG-02:RA1+RA2");
    expect(f?.pricing?.corrected[0]?.drg).toBe("HC25");
    expect(f?.message).toBe(
      "疑似重复住院：出院 6 天后以不同诊断再次入院，合并为一次住院（HC25）结算基金多支付 4581.72 元",
    );
    expect(f?.evidence[1]?.text).toBe(
      "第二次住院 2023-06-02 至 2023-06-07（5 天，HC25，权重 1.26，主要诊断 K81.002），间隔 6 天",
    );
    expect(f?.fundLoss).toBe(458_172);
  });

  it("repeated admissions: another hospital counts only when the rule does not ask for the same one", () => {
    const a = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "PH", adm: 19_500, los: 4 });
    const b = stay({
      diagnoses: ["I63.903"],
      cost: 800_000,
      person: "PH",
      adm: 19_506,
      los: 4,
      hospital: "H2",
    });
    expect(detectReadmissions(staysByPerson([a, b]), context())).toEqual([]);
    const loose = withCheck(context(), "repeated_admission", { sameHospital: false });
    const f = detectReadmissions(staysByPerson([a, b]), loose);
    expect(f.map((x) => x.violation)).toEqual(["repeated_admission"]);
    expect(f[0]?.message).toBe("疑似重复住院：出院 2 天后以不同诊断再次入院");
  });

  it("with neither rule enabled nothing is found; with only repeated, a same-illness readmission is not repeated", () => {
    const a = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "PE", adm: 19_500, los: 4 });
    const b = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "PE", adm: 19_506, los: 4 });
    const none = withCheck(withCheck(context(), "split_admission", null), "repeated_admission", null);
    expect(detectReadmissions(staysByPerson([a, b]), none)).toEqual([]);
    const onlyRepeated = withCheck(context(), "split_admission", null);
    expect(detectReadmissions(staysByPerson([a, b]), onlyRepeated)).toEqual([]);
    const c = stay({ diagnoses: ["I63.903"], cost: 800_000, person: "PE2", adm: 19_500, los: 4 });
    const d = stay({ diagnoses: ["J15.902"], cost: 300_000, person: "PE2", adm: 19_506, los: 4 });
    expect(detectReadmissions(staysByPerson([c, d]), onlyRepeated).map((x) => x.violation)).toEqual([
      "repeated_admission",
    ]);
    const onlySplit = withCheck(context(), "repeated_admission", null);
    expect(detectReadmissions(staysByPerson([c, d]), onlySplit)).toEqual([]);
  });
});

describe("the same illness (sameIllness) under each relation", () => {
  const kinds = (ctx: AuditContext, x: AuditStay, y: AuditStay) =>
    detectReadmissions(staysByPerson([x, y]), ctx).map((f) => f.violation);
  let n = 0;
  const pair = (
    first: { diagnoses: string[]; procedures?: string[] },
    second: { diagnoses: string[]; procedures?: string[] },
  ): [AuditStay, AuditStay] => {
    const person = `SI${++n}`;
    return [
      stay({ ...first, cost: 300_000, person, adm: 19_500, los: 4 }),
      stay({ ...second, cost: 300_000, person, adm: 19_506, los: 4 }),
    ];
  };
  const principal = context();
  const category = withCheck(context(), "split_admission", { relation: "category" });
  const mdc = withCheck(context(), "split_admission", { relation: "mdc" });

  it("same ADRG, different principal (J15.902, J20.900 in ES3): the same illness under principal and category", () => {
    const [a, b] = pair({ diagnoses: ["J15.902"] }, { diagnoses: ["J20.900"] });
    expect(kinds(principal, a, b)).toEqual(["split_admission"]);
    expect(kinds(category, a, b)).toEqual(["split_admission"]);
  });
  it("same principal, another ADRG (K81.002 in HU1 and, operated, in HC1): the same illness under principal", () => {
    const [a, b] = pair({ diagnoses: ["K81.002"] }, { diagnoses: ["K81.002"], procedures: ["51.2300"] });
    expect(a.group.adrg).not.toBe(b.group.adrg);
    expect(kinds(principal, a, b)).toEqual(["split_admission"]);
  });
  it("same category I25, another principal and ADRG: the same illness under category only", () => {
    const [a, b] = pair({ diagnoses: ["I25.901"] }, { diagnoses: ["I25.103"], procedures: ["36.0700"] });
    expect(a.group.adrg).toBe("FR4");
    expect(b.group.adrg).toBe("FM1");
    expect(kinds(principal, a, b)).toEqual(["repeated_admission"]);
    expect(kinds(category, a, b)).toEqual(["split_admission"]);
    // Same MDC F: the same illness under mdc too.
    expect(kinds(mdc, a, b)).toEqual(["split_admission"]);
  });
  it("same MDC E, other ADRG (ES3, ET2): the same illness under mdc only", () => {
    const [a, b] = pair({ diagnoses: ["J15.902"] }, { diagnoses: ["J44.100"] });
    expect(kinds(principal, a, b)).toEqual(["repeated_admission"]);
    expect(kinds(category, a, b)).toEqual(["repeated_admission"]);
    expect(kinds(mdc, a, b)).toEqual(["split_admission"]);
    const [c, d] = pair({ diagnoses: ["J15.902"] }, { diagnoses: ["I63.903"] });
    expect(kinds(mdc, c, d)).toEqual(["repeated_admission"]);
  });
  it("two ungroupable stays (no MDC, no ADRG) of different principals are not the same illness", () => {
    const [a, b] = pair({ diagnoses: ["D25.900"] }, { diagnoses: ["E78.500"] });
    expect(a.group.mdc).toBeNull();
    expect(a.group.adrg).toBeNull();
    expect(kinds(mdc, a, b)).toEqual(["repeated_admission"]);
    expect(kinds(principal, a, b)).toEqual(["repeated_admission"]);
    expect(kinds(category, a, b)).toEqual(["repeated_admission"]);
  });
  it("stays without diagnoses are not the same illness", () => {
    // In two hospitals (rules that do not ask for the same one), so that nothing is merged.
    const anywhere = withCheck(
      withCheck(context(), "split_admission", { sameHospital: false }),
      "repeated_admission",
      { sameHospital: false },
    );
    const [a, b] = pair({ diagnoses: ["D25.900"] }, { diagnoses: ["D25.900"] });
    const other = { ...b, hospitalId: "H2" };
    const empty = (s: AuditStay): AuditStay => ({ ...s, record: { ...s.record, diagnoses: [] } });
    expect(kinds(anywhere, empty(a), empty(other))).toEqual(["repeated_admission"]);
    expect(kinds(anywhere, empty(a), other)).toEqual(["repeated_admission"]);
    expect(kinds(anywhere, a, empty(other))).toEqual(["repeated_admission"]);
    expect(kinds(anywhere, a, other)).toEqual(["split_admission"]);
  });
});

describe("patient selection (选择患者) by period", () => {
  // Half-year periods: 2023-06-30 ends period 4046 (2023年1月起), 2023-07-01 starts 4047.
  // 2023-06-30 is day 19 538.
  const rule = {
    periodMonths: 6,
    highWeightRw: 1.26,
    elderlyAge: 65,
    minCases: 4,
    maxRelativeDrop: 0.49,
  };
  let n = 0;
  const hc25 = (age: number, dischargeDay: number, hospital = "H1") =>
    stay({
      id: `PSH${++n}`,
      diagnoses: ["K81.002"],
      procedures: ["51.2300"],
      cost: 1_000_000,
      age,
      adm: dischargeDay - 7,
      hospital,
    });
  const es35 = (age: number, dischargeDay: number, hospital = "H1") =>
    stay({ id: `PSE${++n}`, diagnoses: ["J15.902"], cost: 300_000, age, adm: dischargeDay - 7, hospital });
  const JUN30 = 19_538;
  const JUL1 = 19_539;
  /** Previous half: 2 of 4 HC25 (RW 1.26), 2 of 4 aged 65; current: 1 of 4 HC25, none aged 65. */
  const stays = (hospital = "H1", prevDay = JUN30, curDay = JUL1) => [
    hc25(40, curDay, hospital),
    es35(64, curDay, hospital),
    es35(64, curDay, hospital),
    es35(64, curDay, hospital),
    hc25(65, prevDay, hospital),
    hc25(40, prevDay, hospital),
    es35(65, prevDay, hospital),
    es35(64, prevDay, hospital),
  ];
  const ctxWith = (over: Partial<typeof rule> = {}) =>
    withCheck(context(), "patient_selection", { ...rule, ...over });

  it("finds the drop of the high-weight share (50% → 25%) and of the elderly share (50% → 0%)", () => {
    const f = detectPatientSelection(stays(), ctxWith());
    expect(f.map((x) => x.id)).toEqual(["DRG-03:H1:4047:high", "DRG-03:H1:4047:elderly"]);
    expect(f[0]?.message).toBe("疑似选择患者：高权重（RW≥1.26）病例占比由 50.0% 降至 25.0%（下降 50%）");
    expect(f[0]?.evidence).toEqual([
      {
        text: "2023年1月起6个月：4 例，其中高权重（RW≥1.26）病例 2 例；2023年7月起6个月：4 例，其中 1 例",
        fields: { indicator: "high", previousCases: 4, previous: 2, currentCases: 4, current: 1 },
      },
    ]);
    expect(f[1]?.message).toBe("疑似选择患者：65岁及以上患者占比由 50.0% 降至 0.0%（下降 100%）");
    expect(f[1]?.evidence[0]?.text).toBe(
      "2023年1月起6个月：4 例，其中65岁及以上患者 2 例；2023年7月起6个月：4 例，其中 0 例",
    );
    expect(f[0]?.stayIds).toEqual([]);
    expect(f[0]?.hospitalId).toBe("H1");
    expect(f[0]?.pricing).toBeNull();
    expect(f[0]?.fundLoss).toBe(0);
  });
  it("a drop of exactly the limit is not a finding (0.5 is not more than 0.5)", () => {
    const f = detectPatientSelection(stays(), ctxWith({ maxRelativeDrop: 0.5 }));
    expect(f.map((x) => x.id)).toEqual(["DRG-03:H1:4047:elderly"]);
  });
  it("RW exactly at the limit counts as high weight; just above it does not", () => {
    expect(detectPatientSelection(stays(), ctxWith({ highWeightRw: 1.27 })).map((x) => x.id)).toEqual([
      "DRG-03:H1:4047:elderly",
    ]);
  });
  it("age exactly at the limit counts as elderly; the limit one year up leaves no elderly", () => {
    expect(detectPatientSelection(stays(), ctxWith({ elderlyAge: 66 })).map((x) => x.id)).toEqual([
      "DRG-03:H1:4047:high",
    ]);
  });
  it("both periods need at least minCases stays", () => {
    expect(detectPatientSelection(stays(), ctxWith({ minCases: 5 }))).toEqual([]);
    const s = stays();
    // One more previous stay: 5 previous, 4 current.
    expect(detectPatientSelection([...s, es35(30, JUN30)], ctxWith({ minCases: 5 }))).toEqual([]);
    // One more current stay: 4 previous, 5 current.
    expect(detectPatientSelection([...s, es35(30, JUL1)], ctxWith({ minCases: 5 }))).toEqual([]);
  });
  it("stays that could not be grouped are not counted", () => {
    const s = stays();
    const ungrouped = stay({ diagnoses: ["D25.900"], cost: 300_000, age: 80, adm: JUL1 - 7 });
    expect(ungrouped.group.status).not.toBe("OK");
    // Counted, the current period would have 5 cases and one aged 80: 20% instead of 0%.
    const f = detectPatientSelection([...s, ungrouped, ungrouped, ungrouped], ctxWith());
    expect(f[1]?.message).toBe("疑似选择患者：65岁及以上患者占比由 50.0% 降至 0.0%（下降 100%）");
  });
  it("periods that do not follow each other are not compared", () => {
    // 2024-01-01 (day 19 723) is in period 4048.
    expect(detectPatientSelection(stays("H1", JUN30, 19_723), ctxWith())).toEqual([]);
  });
  it("a hospital without a high-weight or elderly case before has no drop", () => {
    const s = [...stays()].map((x) => ({ ...x, record: { ...x.record, ageYears: 20 } }));
    expect(detectPatientSelection(s, ctxWith()).map((x) => x.id)).toEqual(["DRG-03:H1:4047:high"]);
  });
  it("hospitals are reported in code order, periods compared in time order", () => {
    const h2 = stays("H2");
    const h1 = stays("H1");
    // The current period's stays first: the periods must still be compared old → new.
    const f = detectPatientSelection([...h2, ...h1], ctxWith());
    expect(f.map((x) => x.id)).toEqual([
      "DRG-03:H1:4047:high",
      "DRG-03:H1:4047:elderly",
      "DRG-03:H2:4047:high",
      "DRG-03:H2:4047:elderly",
    ]);
  });
  it("month boundaries: 2023-12-31 is still period 4047, 2024-01-01 period 4048", () => {
    // Previous 2023-07-01 .. current 2023-12-31: one period; nothing to compare.
    expect(detectPatientSelection(stays("H1", JUL1, 19_722), ctxWith())).toEqual([]);
    const f = detectPatientSelection(stays("H1", 19_722, 19_723), ctxWith());
    expect(f.map((x) => x.id)).toEqual(["DRG-03:H1:4048:high", "DRG-03:H1:4048:elderly"]);
    expect(f[0]?.evidence[0]?.text).toBe(
      "2023年7月起6个月：4 例，其中高权重（RW≥1.26）病例 2 例；2024年1月起6个月：4 例，其中 1 例",
    );
  });
  it("the starter rule (200 cases per half-year) finds nothing in eight stays; a disabled rule nothing at all", () => {
    expect(detectPatientSelection(stays(), context())).toEqual([]);
    expect(detectPatientSelection(stays(), withCheck(context(), "patient_selection", null))).toEqual([]);
  });
});
