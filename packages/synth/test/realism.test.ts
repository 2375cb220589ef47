import type { DrgScheme } from "@yibao/grouper";
import { describe, expect, it } from "vitest";
import { generateRegion } from "../src/generate.js";
import { regionSummary } from "../src/summary.js";
import { demoScheme, hasShared, nationalScheme } from "./shared.js";

function summarise(scheme: DrgScheme, stays: number) {
  const region = generateRegion({ seed: 2023, stays, scheme, inject: { rate: 0.05 } });
  const list = [...region.stays()];
  return { region, list, summary: regionSummary(list) };
}

describe("a realistic region", () => {
  it.skipIf(!hasShared)(
    "national scheme: ≥ 95% of regular lists grouped, a wide spread of DRGs",
    async () => {
      const { region, list, summary } = summarise(await nationalScheme(), 6000);
      expect(region.clinical.adrgs.length).toBeGreaterThan(360);
      expect(summary.regularGroupedShare).toBeGreaterThanOrEqual(0.95);
      expect(summary.regularIntendedShare).toBeGreaterThanOrEqual(0.9);
      expect(Object.keys(summary.byDrg).length).toBeGreaterThan(250);
      expect(Object.keys(summary.byMdc).length).toBeGreaterThanOrEqual(24);
      // Medical groups (R–Z second letter) outnumber surgical ones (A–H).
      let medical = 0;
      let surgical = 0;
      for (const s of list) {
        const letter = s.truth.group.drg[1] ?? "";
        if (letter >= "R") medical++;
        else if (letter >= "A" && letter <= "H") surgical++;
      }
      expect(medical).toBeGreaterThan(surgical * 1.5);
      // Skewed frequencies: the most common DRG is far above the median one.
      const counts = Object.values(summary.byDrg).sort((a, b) => b - a);
      expect(counts[0] as number).toBeGreaterThan((counts[Math.floor(counts.length / 2)] as number) * 10);
      // Newborns and deliveries exist, with consistent patients.
      const newborns = list.filter((s) => s.truth.group.mdc === "P");
      expect(newborns.length).toBeGreaterThan(10);
      for (const s of newborns) {
        expect(s.message.input.setlinfo.nwb_age).not.toBeNull();
        expect(s.message.input.setlinfo.nwb_bir_wt).toBeGreaterThan(0);
      }
      const deliveries = list.filter((s) => s.truth.group.mdc === "O");
      expect(deliveries.length).toBeGreaterThan(50);
      for (const s of deliveries) expect(s.message.input.setlinfo.gend).toBe("2");
    },
  );

  it("demo scheme: repeat admissions, all levels, skewed costs, stay length follows cost", async () => {
    const { list, summary } = summarise(await demoScheme(), 4000);
    expect(summary.regularGroupedShare).toBeGreaterThanOrEqual(0.95);
    expect(summary.repeatPersons).toBeGreaterThan(200);
    expect(summary.persons).toBeLessThan(summary.stays);
    expect(Object.keys(summary.byLevel).sort()).toEqual(["1", "2", "3"]);
    expect(summary.byLevel["3"] as number).toBeGreaterThan(summary.byLevel["1"] as number);
    expect(summary.plannedReadmissions).toBeGreaterThan(0);
    for (const s of list.filter((x) => x.truth.plannedReadmission)) expect(s.label).toBeNull();
    // Lognormal costs: mean above median.
    const totals = list.map((s) => s.truth.totalFen).sort((a, b) => a - b);
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
    expect(mean).toBeGreaterThan(totals[Math.floor(totals.length / 2)] as number);
    // Within a DRG, longer stays cost more (positive rank correlation on the commonest group).
    const top = Object.entries(summary.byDrg).sort((a, b) => b[1] - a[1])[0]?.[0];
    const inTop = list.filter((s) => s.truth.group.drg === top && !s.label);
    const cheap = inTop.filter((s) => s.truth.totalFen < s.truth.expectedCostFen * 0.7);
    const dear = inTop.filter((s) => s.truth.totalFen > s.truth.expectedCostFen * 1.4);
    const avg = (xs: typeof inTop) => xs.reduce((a, s) => a + s.truth.los, 0) / Math.max(1, xs.length);
    expect(avg(dear)).toBeGreaterThan(avg(cheap));
    // Persons never have overlapping stays.
    const byPerson = new Map<number, [string, string][]>();
    for (const s of list) {
      const arr = byPerson.get(s.truth.personId) ?? [];
      arr.push([s.truth.admDate, s.truth.dscgDate]);
      byPerson.set(s.truth.personId, arr);
    }
    for (const stays of byPerson.values()) {
      stays.sort();
      for (let i = 1; i < stays.length; i++) {
        expect((stays[i] as [string, string])[0] >= (stays[i - 1] as [string, string])[1]).toBe(true);
      }
    }
  });

  it("demo scheme: deaths are rare outside complicated groups, so 低风险组死亡率 is well under 1%", async () => {
    const region = generateRegion({ seed: 2026, stays: 20_000, scheme: await demoScheme() });
    const byDrg = new Map<string, { cases: number; deaths: number }>();
    for (const s of region.stays()) {
      const drg = s.truth.group.drg;
      if (drg === "0000" || drg.endsWith("QY")) continue;
      const a = byDrg.get(drg) ?? { cases: 0, deaths: 0 };
      a.cases++;
      if (s.message.input.setlinfo.dscg_way === "5") a.deaths++;
      byDrg.set(drg, a);
    }
    // 低风险组 as docs/indicators.md §5 defines it, computed here by hand: among groups with deaths,
    // log mortality more than one standard deviation below the mean.
    const logs = [...byDrg]
      .filter(([, a]) => a.deaths > 0)
      .map(([drg, a]) => ({ drg, x: Math.log(a.deaths / a.cases) }));
    expect(logs.length).toBeGreaterThan(5);
    const mean = logs.reduce((t, l) => t + l.x, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((t, l) => t + (l.x - mean) ** 2, 0) / logs.length);
    const low = logs
      .filter((l) => l.x < mean - sd - 1e-9)
      .map((l) => byDrg.get(l.drg) as { cases: number; deaths: number });
    expect(low.length).toBeGreaterThan(0);
    const rate = low.reduce((t, a) => t + a.deaths, 0) / low.reduce((t, a) => t + a.cases, 0);
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThan(0.005);
    // Mortality differs between groups by far more than sampling noise around one flat rate.
    const rates = logs.map((l) => Math.exp(l.x));
    expect(Math.max(...rates) / Math.min(...rates)).toBeGreaterThan(10);
  });
});
