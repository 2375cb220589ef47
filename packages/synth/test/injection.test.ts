import type { DrgScheme } from "@yibao/grouper";
import { describe, expect, it } from "vitest";
import { generateRegion } from "../src/generate.js";
import type { SynthStay, InjectedViolationType as ViolationType } from "../src/types.js";
import { INJECTED_VIOLATION_TYPES as VIOLATION_TYPES } from "../src/types.js";
import { demoScheme, hasShared, nationalScheme } from "./shared.js";

function injected(scheme: DrgScheme, seed: number) {
  const region = generateRegion({ seed, stays: 3000, scheme, inject: { rate: 0.3 } });
  const byType = new Map<ViolationType, SynthStay[]>();
  const regular: SynthStay[] = [];
  for (const s of region.stays()) {
    if (!s.label) {
      regular.push(s);
      continue;
    }
    const arr = byType.get(s.label.violation) ?? [];
    arr.push(s);
    byType.set(s.label.violation, arr);
  }
  return { region, byType, regular };
}

const fen = (s: { truth: { totalFen: number } }) => s.truth.totalFen;

function checkLabels(byType: Map<ViolationType, SynthStay[]>, scheme: DrgScheme) {
  const ccLevel = (c: string) => scheme.ccLevel(c);
  for (const [type, stays] of byType) {
    for (const s of stays) {
      const l = s.label;
      if (!l) throw new Error("label");
      expect(l.violation).toBe(type);
      expect(l.setlIds).toContain(s.message.input.setlinfo.setl_id);
      expect(l.detail.description.length).toBeGreaterThan(5);
      if (type === "low_indication") expect(l.honest).toHaveLength(0);
      else expect(l.honest.length).toBe(1);
    }
  }
  const one = (t: ViolationType) => (byType.get(t) ?? []).map((s) => [s, s.label?.honest[0]] as const);
  for (const [s, h] of one("upcoding_secondary")) {
    if (!h) throw new Error("honest");
    const up = s.message.input.diseinfo.map((d) => d.diag_code);
    const honest = h.message.input.diseinfo.map((d) => d.diag_code);
    expect(up.length).toBe(honest.length + 1);
    expect(ccLevel(up[up.length - 1] as string)).toBeDefined();
    expect(s.message.input.iteminfo).toEqual(h.message.input.iteminfo);
    expect(s.truth.group.drg).not.toBe(h.truth.group.drg);
    expect(s.truth.diagnoses).toEqual(honest);
  }
  for (const [s, h] of one("upcoding_principal")) {
    expect(s.message.input.diseinfo[0]?.diag_code).not.toBe(h?.message.input.diseinfo[0]?.diag_code);
    expect(s.truth.group.drg).not.toBe(h?.truth.group.drg);
  }
  for (const [s, h] of one("downcoding_outlier")) {
    expect(s.message.input.oprninfo).toHaveLength(0);
    expect(h?.message.input.oprninfo.length).toBeGreaterThan(0);
    expect(fen(s)).toBe(h ? fen(h) : -1);
    expect(s.truth.group.status).toBe("OK");
  }
  for (const [s, h] of one("tier_crossing")) expect(fen(s)).toBeGreaterThan(h ? fen(h) : 0);
  for (const [s] of one("low_indication")) {
    expect(s.truth.los).toBeLessThanOrEqual(3);
    for (const i of s.message.input.iteminfo)
      expect(["01", "02", "03", "04", "07", "09"]).toContain(i.med_chrgitm);
  }
  for (const [s, h] of one("cost_shifting")) {
    if (!h) throw new Error("honest");
    const ownUp = s.message.input.setlinfo.psn_ownpay;
    expect(ownUp > h.message.input.setlinfo.psn_ownpay || fen(s) < fen(h)).toBe(true);
  }
  // Two lists per split/repeated case: same person, short gap, no planned-readmission flag.
  for (const t of ["split_admission", "repeated_admission"] as const) {
    const cases = new Map<string, SynthStay[]>();
    for (const s of byType.get(t) ?? [])
      cases.set(s.label?.caseId ?? "", [...(cases.get(s.label?.caseId ?? "") ?? []), s]);
    expect(cases.size).toBeGreaterThan(0);
    for (const [a, b] of cases.values()) {
      if (!a || !b) throw new Error("two lists");
      expect(a.truth.personId).toBe(b.truth.personId);
      expect(a.message.input.setlinfo.days_rinp_flag_31).toBe("1");
      const gap = (Date.parse(b.truth.admDate) - Date.parse(a.truth.dscgDate)) / 86_400_000;
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThanOrEqual(t === "split_admission" ? 3 : 7);
      const honest = a.label?.honest[0];
      expect(honest?.truth.los).toBe(
        t === "split_admission" ? a.truth.los + b.truth.los : a.truth.los + b.truth.los,
      );
      if (t === "split_admission") expect(a.truth.diagnoses[0]).toBe(b.truth.diagnoses[0]);
      else expect(a.truth.group.adrg).not.toBe(b.truth.group.adrg);
    }
  }
}

describe("injected irregular cases", () => {
  it("demo scheme (QY enabled): every type is injected, labelled, with an honest twin", async () => {
    const scheme = await demoScheme();
    const { region, byType } = injected(scheme, 9);
    expect(region.injectableTypes).toEqual(VIOLATION_TYPES);
    for (const t of VIOLATION_TYPES) expect(byType.get(t)?.length ?? 0, t).toBeGreaterThan(5);
    for (const s of byType.get("qy_ambiguity") ?? []) {
      expect(s.truth.group.status).toBe("AMBIGUOUS");
      expect(s.label?.honest[0]?.truth.group.status).toBe("OK");
    }
    checkLabels(byType, scheme);
  });

  it.skipIf(!hasShared)("national scheme (no QY): the other eight types", async () => {
    const scheme = await nationalScheme();
    const { region, byType, regular } = injected(scheme, 10);
    expect(region.injectableTypes).not.toContain("qy_ambiguity");
    for (const t of VIOLATION_TYPES.filter((x) => x !== "qy_ambiguity"))
      expect(byType.get(t)?.length ?? 0, t).toBeGreaterThan(5);
    expect(
      regular.filter((s) => s.truth.group.status === "OK").length / regular.length,
    ).toBeGreaterThanOrEqual(0.95);
    checkLabels(byType, scheme);
  });

  it("the injection rate is respected and restricted types stay restricted", async () => {
    const scheme = await demoScheme();
    const r = generateRegion({
      seed: 4,
      stays: 3000,
      scheme,
      inject: { rate: 0.1, types: ["upcoding_secondary"] },
    });
    const stays = [...r.stays()];
    const labelled = stays.filter((s) => s.label);
    expect(new Set(labelled.map((s) => s.label?.violation))).toEqual(new Set(["upcoding_secondary"]));
    expect(labelled.length / stays.length).toBeGreaterThan(0.05);
    expect(labelled.length / stays.length).toBeLessThan(0.15);
    const none = [...generateRegion({ seed: 4, stays: 500, scheme }).stays()];
    expect(none.every((s) => s.label === null)).toBe(true);
  });
});
