/**
 * The payment commands cover DIP with `--method dip` (issue 14): `settle` prepays the months of the DIP
 * hospitals, `clear` clears their year, `calibrate` builds the DIP catalogue only. Figures as hand-worked
 * in dip-payment.test.ts: June 2025 prepaid 30,924.00 (H1) + 38,295.00 (H2) = 69,219.00 (printed 69219.00); the year
 * cleared on a 95,250.00 budget at 150 元/分 leaves 3,436.00 and 4,255.00 still due.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@yibao/store";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerPaymentCommands } from "../src/cli.js";
import { paymentMigrations } from "../src/migrations.js";
import { getVersion, savePaymentHospitals, saveVersion } from "../src/repo.js";
import { H1, H2, H3, POLICY_DATA, storeExampleLists } from "./dip-lists.js";

let dir: string;

async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    out.push(String(s));
    return true;
  });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => {
    err.push(String(s));
    return true;
  });
  const program = new Command().exitOverride();
  registerPaymentCommands(program);
  process.exitCode = undefined;
  try {
    await program.parseAsync(["node", "yibao", "payment", ...args, "--data-dir", dir]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out: out.join(""), err: err.join(""), code };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "yibao-dip-cli-"));
  const store = await openStore({ dataDir: dir, migrations: paymentMigrations });
  try {
    await storeExampleLists(store);
    await savePaymentHospitals(store, [
      { hospitalCode: H1, level: "三级", benefitClass: null, paymentMethod: "dip" },
      { hospitalCode: H2, level: "二级", benefitClass: null, paymentMethod: "dip" },
      { hospitalCode: H3, level: "三级", benefitClass: null },
    ]);
    await saveVersion(
      store,
      "dipPolicy",
      {
        ...POLICY_DATA,
        id: "dip-cli",
        coefficients: { byLevel: { 三级: "1.0", 二级: "0.9" } },
        prepayment: { pointValue: "150", ratio: "0.9" },
      },
      { actor: "test" },
    );
  } finally {
    await store.close();
  }
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("payment commands with --method dip", () => {
  it("settle --method dip prepays each month of the range (June: 69,219.00; May: no list)", async () => {
    const r = await cli("settle", "--method", "dip", "--period", "2025-05..2025-06");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("2025-06 DIP 月度预付（dip-cli@2025");
    expect(r.out).toContain("预付合计 69219.00 元");
    expect(r.out).toContain("2025-05 DIP 月度预付");
  });

  it("clear --method dip clears the year net of the prepayments (3,436.00 and 4,255.00 still due)", async () => {
    const r = await cli("clear", "--method", "dip", "--year", "2025", "--budget", "95250");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("清算应付 3436.00 元");
    expect(r.out).toContain("清算应付 4255.00 元");
  });

  it("calibrate --method dip stores the DIP catalogue only, no DRG weight table", async () => {
    const r = await cli(
      "calibrate",
      "--method",
      "dip",
      "--period",
      "2025-06",
      "--id",
      "cat",
      "--version",
      "1",
      "--effective-from",
      "2026-01-01",
      "--core-min-cases",
      "1",
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/已保存 DIP 病种目录 cat@1：8 例，\d+ 个病种/);
    const store = await openStore({ dataDir: dir, migrations: paymentMigrations });
    try {
      expect((await getVersion(store, "dip", "cat", "1"))?.id).toBe("cat");
      expect(await getVersion(store, "weights", "cat", "1")).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("an unknown method is refused by name with exit code 2", async () => {
    const r = await cli("settle", "--method", "fee", "--period", "2025-06");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--method：须为 drg 或 dip（收到「fee」）");
    const c = await cli(
      "calibrate",
      "--method",
      "dip",
      "--period",
      "2025-06",
      "--id",
      "c",
      "--version",
      "2",
      "--effective-from",
      "2026-01-01",
      "--core-min-cases",
      "0",
    );
    expect([c.code, c.err.includes("--core-min-cases：须为正整数")]).toEqual([2, true]);
  });
});
