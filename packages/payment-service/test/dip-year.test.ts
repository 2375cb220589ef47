/**
 * DIP year settlement from the stored lists (settleDipYearFromStore): the worked example
 * (examples/dip) stored as accepted settlement lists and reproduced exactly.
 *
 * The lists are the generated 4101 messages (`sampleSettlementMessage`) through the intake preparer,
 * their cost and patient share then set to the example's figures. Template n % 10 fixes the
 * diagnosis and procedure, so the DIP key (诊断类目+亚目 | 治疗方式) of each stay is:
 *   n % 10 = 1: J18.900, no procedure        → `J18.9|保守治疗`  = group A (50 points)
 *   n % 10 = 2: K80.000x002 + 51.2300         → `K80.0|51.2300`   = group B (100 points)
 *   n % 10 = 4: J44.100, no procedure        → `J44.1|保守治疗`  = group C (200 points)
 *   n % 10 = 5: I63.900, no procedure        → `I63.9|保守治疗`  : not priced by the policy
 *
 * Worked by hand (the same figures `yibao examples dip` prints):
 * H1 三级, coefficient 1.0 (standards A 5,000 / B 10,000 / C 20,000 元):
 *   A 5,200:  5,200 ÷ 5,000 = 1.04, normal                          →  50 points
 *   B 25,000: 25,000 ÷ 10,000 = 2.5 ≥ 2, very high: 100 × (2.5 − 1) → 150 points
 *   C 8,000:  8,000 ÷ 20,000 = 0.4 ≤ 0.5, very low: 200 × 0.4       →  80 points
 *   H1 = 280 points
 * H2 二级, coefficient 0.9 (standards A 4,500 / B 9,000 / C 18,000 元):
 *   A 4,000:  0.89, normal: 50 × 0.9                                  →  45 points
 *   B 9,500:  1.06, normal: 100 × 0.9                                 →  90 points
 *   C 40,000: 40,000 ÷ 18,000 = 20/9 ≥ 2, very high:
 *             200 × (20/9 − 1) = 2,200/9; × 0.9                       → 220 points
 *   H2 = 355 points
 * Total 635 points; 点值 = 95,250 ÷ 635 = 150.00 元/分.
 * H1: payment 280 × 150 = 42,000.00; patients 1,040 + 5,000 + 1,600 = 7,640; fund 34,360.00
 *     stays 7,500 / 22,500 / 12,000
 * H2: payment 355 × 150 = 53,250.00; patients 800 + 1,900 + 8,000 = 10,700; fund 42,550.00
 *     stays 6,750 / 13,500 / 33,000
 */
import { join } from "node:path";
import { formatRational, formatYuan, parseDipPaymentPolicy, parseYuan } from "@yibao/payment";
import { openStore, type Store } from "@yibao/store";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerPaymentCommands } from "../src/cli.js";
import { formatDipExample, runDipExample } from "../src/dip-example.js";
import {
  dipYearStatement,
  formatDipYear,
  parseDipHospitals,
  readDipHospitalsFile,
  readDipPolicyFile,
  settleDipYearFromStore,
} from "../src/dip-year.js";
import { paymentMigrations } from "../src/migrations.js";
import { PaymentInputError } from "../src/repo.js";
import { toCsv } from "../src/statements.js";
import { H1, H2, POLICY_DATA, storeExampleLists } from "./dip-lists.js";

const policy = parseDipPaymentPolicy(POLICY_DATA);

const hospitals = [
  { code: H1, level: "三级", coefficient: 1_000_000 },
  { code: H2, level: "二级", coefficient: 900_000 },
];

let store: Store;

beforeAll(async () => {
  store = await openStore({ memory: true, migrations: paymentMigrations });
  await storeExampleLists(store);
});
afterAll(async () => store?.close());

describe("DIP year settlement from the stored lists", () => {
  it("reproduces the worked example exactly, the same figures as `yibao examples dip`", async () => {
    const r = await settleDipYearFromStore(store, {
      year: 2025,
      policy,
      budgetFen: parseYuan("95250.00"),
      hospitals,
      pageSize: 2,
    });
    const s = r.settlement;
    expect(r.lists).toBe(7);
    expect(formatRational({ num: s.pointValue.num, den: s.pointValue.den * 100n }, 2)).toBe("150.00");
    const summary = s.hospitals.map((h) => ({
      hospital: h.hospital,
      points: formatRational(h.points, 4),
      payment: formatYuan(h.paymentFen),
      fund: formatYuan(h.fundFen),
      stays: h.stayPaymentsFen.map(formatYuan),
      types: h.stays.map((p) => p.caseType),
    }));
    expect(summary).toEqual([
      {
        hospital: H1,
        points: "280.0000",
        payment: "42000.00",
        fund: "34360.00",
        stays: ["7500.00", "22500.00", "12000.00"],
        types: ["normal", "veryHigh", "veryLow"],
      },
      {
        hospital: H2,
        points: "355.0000",
        payment: "53250.00",
        fund: "42550.00",
        stays: ["6750.00", "13500.00", "33000.00"],
        types: ["normal", "normal", "veryHigh"],
      },
    ]);
    // The same figures as the example command (examples/dip, groups A/B/C).
    const example = await runDipExample(join(import.meta.dirname, "../../../examples/dip"));
    const exampleJson = JSON.parse(formatDipExample(example).split("\n").at(-1) as string);
    const storeJson = JSON.parse(formatDipYear(r).split("\n").at(-1) as string);
    expect(storeJson.pointValue).toBe(exampleJson.pointValue);
    expect(storeJson.hospitals.map((h: Record<string, string>) => [h.points, h.payment, h.fund])).toEqual(
      exampleJson.hospitals.map((h: Record<string, string>) => [h.points, h.payment, h.fund]),
    );
  });

  it("reports a stay in an unpriced group per hospital and leaves out hospitals not named", async () => {
    const r = await settleDipYearFromStore(store, {
      year: 2025,
      policy,
      budgetFen: parseYuan("95250.00"),
      hospitals,
    });
    expect(r.unpriced).toEqual([
      { hospital: H1, count: 1, setlIds: ["HA0000000005"], keys: new Map([["I63.9|保守治疗", 1]]) },
    ]);
    expect(r.refused).toEqual([]);
    expect(r.settlement.hospitals.map((h) => h.hospital)).toEqual([H1, H2]);
    expect(r.settlement.hospitals.flatMap((h) => h.stays.map((p) => p.stay.id))).not.toContain(
      "HC0000000021",
    );
    const report = formatDipYear(r);
    expect(report).toContain("未结算 1 例");
    expect(report).toContain("HA0000000005");
    expect(JSON.parse(report.split("\n").at(-1) as string).unpriced).toEqual([
      { hospital: H1, count: 1, setlIds: ["HA0000000005"] },
    ]);
  });

  it("groups by a caller's groupOf (the example's A/B/C) with the same result", async () => {
    const example = parseDipPaymentPolicy(
      JSON.parse(
        await (await import("node:fs/promises")).readFile(
          join(import.meta.dirname, "../../../examples/dip/policy.json"),
          "utf8",
        ),
      ),
    );
    const byKey: Record<string, string> = { J18: "A", K80: "B", J44: "C" };
    const r = await settleDipYearFromStore(store, {
      year: 2025,
      policy: example,
      budgetFen: parseYuan("95250.00"),
      hospitals,
      groupOf: (s) => byKey[s.principalDiagnosis.slice(0, 3)] ?? null,
    });
    expect(r.settlement.hospitals.map((h) => formatYuan(h.paymentFen))).toEqual(["42000.00", "53250.00"]);
    expect(r.unpriced.map((u) => [u.hospital, u.count])).toEqual([[H1, 1]]);
  });

  it("has a statement with one row per stay that sums to each hospital's figures", async () => {
    const r = await settleDipYearFromStore(store, {
      year: 2025,
      policy,
      budgetFen: parseYuan("95250.00"),
      hospitals,
    });
    const t = dipYearStatement(r);
    expect(t.rows).toHaveLength(8);
    expect(t.rows[1]).toEqual([
      H1,
      "HA0000000002",
      "K80.0|51.2300",
      "费用极高病例",
      2_500_000,
      1_000_000,
      "150.000000",
      2_250_000,
      500_000,
      1_750_000,
    ]);
    expect(t.rows[3]?.slice(0, 2)).toEqual([H1, "合计"]);
    expect(t.rows[3]?.slice(6)).toEqual(["280.000000", 4_200_000, 764_000, 3_436_000]);
    expect(t.title).toContain("点值 150.000000 元/分");
    expect(toCsv(t)).toContain("H21010200002,合计,,3 例,53500.00,,355.000000,53250.00,10700.00,42550.00");
  });

  it("reports stays the core refuses (no standard cost for the level) and DIP hospitals without lists", async () => {
    const data = {
      ...POLICY_DATA,
      standardCost: {
        三级: POLICY_DATA.standardCost.三级,
        二级: { "J18.9|保守治疗": "4500.00", "K80.0|51.2300": "9000.00" },
      },
    };
    const r = await settleDipYearFromStore(store, {
      year: 2025,
      policy: parseDipPaymentPolicy(data),
      budgetFen: parseYuan("95250.00"),
      hospitals: [...hospitals, { code: "H21010200009", level: "二级", coefficient: 1_000_000 }],
    });
    expect(r.refused.map((e) => e.message)).toEqual([expect.stringContaining("J44.1|保守治疗")]);
    expect(r.withoutLists).toEqual(["H21010200009"]);
    // H2's refused stay is out of the pool: 280 + 45 + 90 = 415 points share the budget.
    expect(r.settlement.hospitals.map((h) => formatRational(h.points, 4))).toEqual(["280.0000", "135.0000"]);
    expect(r.settlement.hospitals.reduce((n, h) => n + h.paymentFen, 0)).toBe(parseYuan("95250.00"));
    const report = formatDipYear(r);
    expect(report).toContain("未结算：");
    expect(report).toContain("没有已接收结算清单的 DIP 机构：H21010200009");
  });

  it("names the field of a bad input", async () => {
    await expect(
      settleDipYearFromStore(store, {
        year: 2025,
        policy,
        budgetFen: 1,
        hospitals: [{ code: H1, level: "一级", coefficient: 1_000_000 }],
      }),
    ).rejects.toThrow(/hospitals\[0\]\.level/);
  });
});

describe("DIP input files (dip-clear)", () => {
  it("names the field of a bad policy and of a bad hospital", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(join(tmpdir(), "dip-"));
    const bad = join(dir, "policy.json");
    await writeFile(
      bad,
      JSON.stringify({
        id: "x",
        version: "1",
        effectiveFrom: "2025-01-01",
        groupPoints: { A: "50" },
        standardCost: { 三级: { A: "abc" } },
        veryHighAtLeast: "2",
        veryLowAtMost: "0.5",
        budgetBasis: "totalCost",
      }),
    );
    const err = await readDipPolicyFile(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentInputError);
    expect((err as Error).message).toContain("standardCost.三级.A");
    expect(() => parseDipHospitals([{ code: "H1", level: "三级", coefficient: "x" }])).toThrow(
      /hospitals\[0\]\.coefficient/,
    );
    const year = await readDipHospitalsFile(join(import.meta.dirname, "../../../examples/dip/year.json"));
    expect(year).toEqual([
      { code: "H1", level: "三级", coefficient: 1_000_000 },
      { code: "H2", level: "二级", coefficient: 900_000 },
    ]);
  });
});

describe("yibao payment dip-clear", () => {
  it("prints the example's figures from a stored year, JSON last, and writes the per-stay statement", async () => {
    const { mkdtemp, readFile, rm, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(join(tmpdir(), "dip-cli-"));
    const dataDir = join(dir, "data");
    const disk = await openStore({ dataDir, migrations: paymentMigrations });
    try {
      await storeExampleLists(disk);
    } finally {
      await disk.close();
    }
    const policyFile = join(dir, "policy.json");
    await writeFile(policyFile, JSON.stringify(POLICY_DATA));
    const hospitalsFile = join(dir, "hospitals.json");
    await writeFile(
      hospitalsFile,
      JSON.stringify([
        { code: H1, level: "三级", coefficient: "1.0" },
        { code: H2, level: "二级", coefficient: "0.9" },
      ]),
    );
    const csv = join(dir, "dip.csv");
    const run = async (args: string[]): Promise<{ out: string; code: number }> => {
      const out: string[] = [];
      const o = vi.spyOn(process.stdout, "write").mockImplementation((x: string | Uint8Array) => {
        out.push(String(x));
        return true;
      });
      const e = vi.spyOn(process.stderr, "write").mockImplementation((x: string | Uint8Array) => {
        out.push(String(x));
        return true;
      });
      const program = new Command().exitOverride();
      registerPaymentCommands(program);
      process.exitCode = undefined;
      try {
        await program.parseAsync(["node", "yibao", "payment", "dip-clear", "--data-dir", dataDir, ...args]);
      } finally {
        o.mockRestore();
        e.mockRestore();
      }
      const code = Number(process.exitCode ?? 0);
      process.exitCode = undefined;
      return { out: out.join(""), code };
    };
    const ok = await run([
      "--year",
      "2025",
      "--policy",
      policyFile,
      "--hospitals",
      hospitalsFile,
      "--budget",
      "95250",
      "--output",
      csv,
    ]);
    expect(ok.code).toBe(0);
    const last = JSON.parse(ok.out.trim().split("\n").at(-1) as string);
    expect(last.pointValue).toBe("150.00");
    expect(last.hospitals.map((h: Record<string, string>) => [h.points, h.payment, h.fund])).toEqual([
      ["280.0000", "42000.00", "34360.00"],
      ["355.0000", "53250.00", "42550.00"],
    ]);
    expect(ok.out).toContain("点值 150.00 元/分");
    expect(ok.out).toContain("基金应支付 34360.00 元");
    const text = await readFile(csv, "utf8");
    expect(text.trim().split("\n")).toHaveLength(9);
    expect(text).toContain("HA0000000002,K80.0|51.2300,费用极高病例,25000.00,10000.00,150.000000,22500.00");
    const bad = await run([
      "--year",
      "2025",
      "--policy",
      hospitalsFile,
      "--hospitals",
      hospitalsFile,
      "--budget",
      "95250",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain("字段 id");
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});
