import { describe, expect, it } from "vitest";
import { generateRegion } from "../src/generate.js";
import { demoScheme } from "./shared.js";

const fen = (yuan: number) => Math.round(yuan * 100);

describe("detail charges (费用明细)", () => {
  it("add up per category to the list's iteminfo, self-pay lines to 全自费, to the fen", async () => {
    const scheme = await demoScheme();
    let lists = 0;
    for (const s of generateRegion({ seed: 9, stays: 1500, scheme, inject: { rate: 0.2 } }).stays()) {
      lists++;
      const amount = new Map<string, number>();
      const own = new Map<string, number>();
      const adm = s.message.input.setlinfo.adm_time.slice(0, 10);
      const dscg = s.message.input.setlinfo.dscg_time.slice(0, 10);
      for (const d of s.details) {
        expect(Math.round(d.quantity * d.unitPrice)).toBe(d.amount);
        expect(d.quantity).toBeGreaterThan(0);
        expect(d.date >= adm && d.date <= dscg, `${d.date} ${adm} ${dscg}`).toBe(true);
        amount.set(d.category, (amount.get(d.category) ?? 0) + d.amount);
        own.set(d.category, (own.get(d.category) ?? 0) + d.ownPayAmount);
      }
      for (const i of s.message.input.iteminfo) {
        expect(amount.get(i.med_chrgitm) ?? 0).toBe(fen(i.amt));
        expect(own.get(i.med_chrgitm) ?? 0).toBe(fen(i.fulamt_ownpay_amt));
      }
      expect(amount.size).toBe(s.message.input.iteminfo.filter((i) => i.amt > 0).length);
      expect(s.outpatientBeforeAdmission).toBeGreaterThanOrEqual(0);
    }
    expect(lists).toBe(1500);
  });

  it("are deterministic and leave the 4101 messages as without details", async () => {
    const scheme = await demoScheme();
    const a = [...generateRegion({ seed: 3, stays: 300, scheme, inject: { rate: 0.1 } }).stays()];
    const b = [...generateRegion({ seed: 3, stays: 300, scheme, inject: { rate: 0.1 } }).stays()];
    expect(JSON.stringify(a.map((s) => s.details))).toBe(JSON.stringify(b.map((s) => s.details)));
    expect(a.map((s) => s.outpatientBeforeAdmission)).toEqual(b.map((s) => s.outpatientBeforeAdmission));
    for (const s of a) expect(Object.keys(s.message.input)).not.toContain("details");
  });

  it("give an injected secondary diagnosis no supporting item, and low-indication stays only oral drugs", async () => {
    const scheme = await demoScheme();
    let upcoded = 0;
    let low = 0;
    for (const s of generateRegion({ seed: 4, stays: 3000, scheme, inject: { rate: 0.2 } }).stays()) {
      const l = s.label;
      if (l?.violation === "upcoding_secondary") {
        upcoded++;
        expect(s.truth.diagnoses).not.toContain(l.detail.addedDiagnosis);
      }
      if (l?.violation === "low_indication") {
        low++;
        for (const d of s.details) {
          expect(["01", "02", "03", "04", "07", "09"]).toContain(d.category);
          if (d.category === "09") expect(d.name).not.toMatch(/注射/);
        }
      }
    }
    expect(upcoded).toBeGreaterThan(10);
    expect(low).toBeGreaterThan(10);
  });
});
