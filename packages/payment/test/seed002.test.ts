import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatYuan } from "../src/money.js";
import { parseDrgWeightTable, parsePaymentPolicy } from "../src/policy.js";
import { resettle } from "../src/resettle.js";
import { type ExampleFile, formatSeed002Report, runSeed002Examples } from "../src/seed002.js";
import { createSettlementContext } from "../src/settle.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(here, "../../../examples/seed-002");

function readExamples(): ExampleFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((name) => ({ name, content: JSON.parse(readFileSync(path.join(dir, name), "utf8")) as unknown }));
}

describe("fund-loss worked examples (examples/seed-002, 基金损失测算示例)", () => {
  const results = runSeed002Examples(readExamples());
  const byId = new Map(results.map((r) => [r.ok ? r.id : r.name, r]));
  const loss = (id: string) => {
    const r = byId.get(id);
    if (r === undefined || !r.ok) throw new Error(`example ${id} missing or failed`);
    return r;
  };

  it("ships five examples and every one settles", () => {
    expect(results).toHaveLength(5);
    for (const r of results) expect(r.ok ? "" : r.error).toBe("");
  });

  it("upcoding KD15→DA15 loses 0.82 × rate", () => {
    const r = loss("upcoding-principal-diagnosis");
    expect(formatYuan(r.fundLoss)).toBe("7225.02");
    expect(r.fundLoss).toBe((208 - 126) * 8811);
    expect(r.resettlement.original[0]?.standard).toBe(1832688);
    expect(r.resettlement.corrected[0]?.standard).toBe(1110186);
    // the patient share (Handan, 主城区二级: 800 deductible, 80%) is the same both ways
    expect(r.resettlement.originalPatient).toBe(r.resettlement.correctedPatient);
    expect(r.resettlement.originalPatient).toBe(484000);
  });

  it("false secondary diagnosis ES35→ES33 loses 0.37 × rate", () => {
    const r = loss("upcoding-false-secondary-diagnosis");
    expect(formatYuan(r.fundLoss)).toBe("3260.07");
    expect(r.fundLoss).toBe(37 * 8811);
    // second admission of the year: deductible halved to 400
    expect(r.resettlement.original[0]?.benefit?.deductible).toBe(40000);
  });

  it("irrelevant secondary diagnosis BR25→BR23 loses 0.28 × rate", () => {
    const r = loss("upcoding-irrelevant-secondary-diagnosis");
    expect(formatYuan(r.fundLoss)).toBe("2467.08");
    expect(r.fundLoss).toBe(28 * 8811);
  });

  it("downcoding HC25→HU15 into a high outlier loses 6112.21 yuan", () => {
    const r = loss("downcoding-into-high-outlier");
    expect(formatYuan(r.fundLoss)).toBe("6112.21");
    const up = r.resettlement.original[0];
    expect(up?.category).toBe("highOutlier");
    expect(up?.standard).toBe(563904); // 0.64 × 8811
    expect(up?.highThreshold).toBe(1691712); // 3 × 5639.04 < 17214.60
    expect(up?.drgPayment).toBe(1721460);
    const corr = r.resettlement.corrected[0];
    expect(corr?.category).toBe("normal");
    expect(corr?.standard).toBe(1110239); // the seed's given standard
  });

  it("intentional ambiguity at 80% loses 3961.95 yuan", () => {
    const r = loss("intentional-ambiguity-qy");
    expect(formatYuan(r.fundLoss)).toBe("3961.95");
    expect(r.resettlement.original[0]?.category).toBe("ambiguous");
    expect(r.resettlement.original[0]?.drgPayment).toBe(1412169);
  });

  it("prints a Chinese report with every loss", () => {
    const text = formatSeed002Report(results);
    for (const v of ["7225.02", "3260.07", "2467.08", "6112.21", "3961.95"]) expect(text).toContain(v);
    expect(text).toContain("合计 5 例：5 例与种子一致");
    expect(text).toContain("基金损失");
  });

  it("reports a broken file without stopping the others", () => {
    const files = readExamples();
    const broken = {
      name: "broken.json",
      content: { ...(files[0]?.content as object), policy: { id: "x" } },
    };
    const out = runSeed002Examples([broken, ...files]);
    expect(out[0]?.ok).toBe(false);
    expect(out[0]?.ok === false && out[0].error).toContain("支付政策");
    expect(out.slice(1).every((r) => r.ok && r.matches)).toBe(true);
    expect(formatSeed002Report(out)).toContain("无法结算");
  });

  it("a mismatching expectation is reported as 不一致", () => {
    const files = readExamples();
    const c = structuredClone(files[0]?.content) as { expected: { fundLoss: string } };
    c.expected.fundLoss = "1.00";
    const [r] = runSeed002Examples([{ name: "x.json", content: c }]);
    expect(r?.ok && r.matches).toBe(false);
    expect(formatSeed002Report(r ? [r] : [])).toContain("不一致");
  });

  it("upcoding loss is ΔRW × rate to the fen for any whole-yuan rate", () => {
    const content = readExamples()[0]?.content as {
      weights: unknown;
      policy: Record<string, unknown>;
      uploaded: unknown;
    };
    const weights = parseDrgWeightTable(content.weights);
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 30000 }), (rateYuan) => {
        const policy = parsePaymentPolicy({ ...content.policy, rate: String(rateYuan) });
        const ctx = createSettlementContext({
          policies: [{ policy, weights }],
          hospitals: [{ id: "H001", level: "二级" }],
        });
        const base = {
          id: "s",
          hospitalId: "H001",
          totalCost: rateYuan * 150, // 1.5 × rate: normal in both groups
          admissionDate: "2021-03-01",
          dischargeDate: "2021-03-09",
          patientShare: 100_000,
        };
        const r = resettle({ ...base, drg: "DA15" }, { ...base, drg: "KD15" }, ctx);
        expect(r.fundLoss).toBe(82 * rateYuan);
      }),
    );
  });
});
