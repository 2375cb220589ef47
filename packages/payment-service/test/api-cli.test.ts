import { buildServer, identityMigrations, type YibaoApp } from "@yibao/server";
import { openStore, type Store } from "@yibao/store";
import { Command } from "commander";
import ExcelJS from "exceljs";
import type { InjectOptions } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signIn, withHeaders } from "../../server/test/helpers.js";
import { registerPaymentCommands } from "../src/cli.js";
import { ensureDemoPayment } from "../src/demo.js";
import { paymentMigrations } from "../src/migrations.js";
import { paymentPlugin } from "../src/plugin.js";
import { demoScheme, fillRegion } from "./helpers.js";

let store: Store;
let app: YibaoApp;

beforeAll(async () => {
  store = await openStore({ memory: true, migrations: [...identityMigrations, ...paymentMigrations] });
  const scheme = await demoScheme();
  await fillRegion(store, scheme, 400, 11);
  await ensureDemoPayment({ store, scheme });
  const raw = await buildServer({ store, scheme, plugins: [paymentPlugin()] });
  app = withHeaders(raw, await signIn(raw, store, "bureau"));
});
afterAll(async () => {
  await app?.close();
  await store?.close();
});

const P = "/api/v1/payment";

describe("payment API", () => {
  it("lists and reads settlements with filters and paging", async () => {
    const r = await app.inject({ method: "GET", url: `${P}/settlements?period=2023-05&pageSize=5` });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.items.length).toBeLessThanOrEqual(5);
    expect(body.total).toBeGreaterThan(0);
    const one = await app.inject({ method: "GET", url: `${P}/settlements/${body.items[0].setlId}` });
    expect(one.statusCode).toBe(200);
    expect(one.json().current.period).toBe("2023-05");
    expect((await app.inject({ method: "GET", url: `${P}/settlements/NOPE` })).statusCode).toBe(404);
  });

  it("answers bad input with 4xx and a Chinese message, never 500", async () => {
    const bad = [
      { method: "POST", url: `${P}/settle`, payload: { period: "2023-13" } },
      { method: "POST", url: `${P}/settle`, payload: { period: "2023-05", periodTo: "2023-01" } },
      {
        method: "POST",
        url: `${P}/policies`,
        payload: { data: { id: "x", version: "1", effectiveFrom: "2023-01-01", method: "rate" } },
      },
      { method: "POST", url: `${P}/benefit-policies`, payload: { data: [] } },
      { method: "POST", url: `${P}/clearing`, payload: { year: 2023, budget: "-5" } },
      { method: "POST", url: `${P}/clearing`, payload: { year: 2031, budget: "100.00" } },
      { method: "POST", url: `${P}/special-cases`, payload: { setlId: "NOPE", reason: "x" } },
      {
        method: "POST",
        url: `${P}/calibrate`,
        payload: {
          periodFrom: "2030-01",
          periodTo: "2030-02",
          id: "w",
          version: "9",
          effectiveFrom: "2030-01-01",
        },
      },
      { method: "GET", url: `${P}/clearing/2031` },
      { method: "GET", url: `${P}/clearing/2023/export?format=pdf` },
      { method: "GET", url: `${P}/settlements?pageSize=0` },
    ] as const;
    for (const b of bad) {
      const r = await app.inject(b as InjectOptions);
      expect(r.statusCode, `${b.method} ${b.url} ${r.body}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, `${b.method} ${b.url} ${r.body}`).toBeLessThan(500);
      expect(r.json().message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it("stores a policy version, clears a year and exports the statements", async () => {
    const list = await app.inject({ method: "GET", url: `${P}/policies` });
    const pol = list.json().items[0];
    const full = (await app.inject({ method: "GET", url: `${P}/policies/${pol.id}/${pol.version}` })).json();
    const created = await app.inject({
      method: "POST",
      url: `${P}/policies`,
      payload: { data: { ...full.data, version: "2024", effectiveFrom: "2024-01-01" } },
    });
    expect(created.statusCode).toBe(201);
    const dup = await app.inject({
      method: "POST",
      url: `${P}/policies`,
      payload: { data: { ...full.data, version: "2024", effectiveFrom: "2024-01-01" } },
    });
    expect(dup.statusCode).toBe(409);
    const ded = await app.inject({
      method: "POST",
      url: `${P}/audit-deductions`,
      payload: {
        items: [
          { hospital: "H32990200137", year: 2023, amount: "1000.50", reason: "分解住院", findingId: "A-1" },
        ],
      },
    });
    expect(ded.statusCode).toBe(201);
    const ghost = await app.inject({
      method: "POST",
      url: `${P}/audit-deductions`,
      payload: { items: [{ hospital: "H00000000000", year: 2023, amount: "1.00", reason: "不存在的医院" }] },
    });
    expect(ghost.statusCode).toBe(400);
    expect(ghost.json().message).toContain("H00000000000 不存在");
    const c = await app.inject({
      method: "POST",
      url: `${P}/clearing`,
      payload: { year: 2023, budget: "5000000.00" },
    });
    expect(c.statusCode, c.body).toBe(201);
    // The demo policy's budget is the fund's: the patients' share is added before sharing by points.
    const cleared = c.json() as {
      budgetBasis: string;
      pool: number;
      totals: { payment: number; patientShare: number };
    };
    expect(cleared.budgetBasis).toBe("fund");
    expect(cleared.pool).toBe(500_000_000 + cleared.totals.patientShare);
    expect(cleared.totals.payment).toBe(cleared.pool);
    const g = await app.inject({ method: "GET", url: `${P}/clearing/2023` });
    expect(g.json().hospitals.length).toBe(c.json().hospitals.length);
    const csv = await app.inject({ method: "GET", url: `${P}/clearing/2023/export?format=csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain("清算后应得(元)");
    expect(csv.body).toMatch(new RegExp(`合计,,\\d+,[\\d.]+,[\\d.]+,${(cleared.pool / 100).toFixed(2)},`));
    const xlsx = await app.inject({ method: "GET", url: `${P}/clearing/2023/export?format=xlsx` });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");
  });

  it("the clearing workbook names each hospital beside its code and holds points as numbers", async () => {
    const g = (await app.inject({ method: "GET", url: `${P}/clearing/2023` })).json() as {
      hospitals: { hospitalId: string; points: string; cases: number }[];
    };
    const names = await sql<{ code: string; name: string }>`SELECT code, name FROM hospital`.execute(
      store.db,
    );
    const nameOf = new Map(names.rows.map((r) => [r.code, r.name]));
    const xlsx = await app.inject({ method: "GET", url: `${P}/clearing/2023/export?format=xlsx` });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect((ws.getRow(2).values as unknown[]).slice(1, 5)).toEqual([
      "定点医疗机构编号",
      "定点医疗机构名称",
      "病例数",
      "总点数",
    ]);
    for (const [i, h] of g.hospitals.entries()) {
      const row = ws.getRow(3 + i);
      expect(row.getCell(1).value).toBe(h.hospitalId);
      expect(row.getCell(2).value).toBe(nameOf.get(h.hospitalId));
      expect(String(row.getCell(2).value)).not.toBe("");
      expect(row.getCell(3).value).toBe(h.cases);
      expect(row.getCell(4).type).toBe(ExcelJS.ValueType.Number);
      // micro-points → points: 6 decimals, e.g. "123456789" → 123.456789
      expect(row.getCell(4).value).toBe(Number(h.points) / 1_000_000);
    }
    expect(ws.getRow(3 + g.hospitals.length).getCell(1).value).toBe("合计");
  });

  it("GET /seed-002 reproduces the five fund losses", async () => {
    const r = await app.inject({ method: "GET", url: `${P}/seed-002` });
    expect(r.statusCode).toBe(200);
    expect(r.json().allMatch).toBe(true);
  });
});

describe("CLI", () => {
  it("examples seed-002 prints the five fund losses and exits 0", async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    const program = new Command().exitOverride();
    registerPaymentCommands(program);
    process.exitCode = undefined;
    try {
      await program.parseAsync(["node", "yibao", "examples", "seed-002", "--dir", "examples/seed-002"]);
    } finally {
      spy.mockRestore();
    }
    const text = out.join("");
    for (const v of ["7225.02", "3260.07", "2467.08", "6112.21", "3961.95"]) expect(text).toContain(v);
    expect(process.exitCode ?? 0).toBe(0);
  });

  it("examples seed-002 on an empty directory exits non-zero", async () => {
    const program = new Command().exitOverride();
    registerPaymentCommands(program);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await program.parseAsync([
        "node",
        "yibao",
        "examples",
        "seed-002",
        "--dir",
        "packages/payment-service/src",
      ]);
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
  });
});
