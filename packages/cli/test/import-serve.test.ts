import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { importLists } from "@yibao/cli/import-command";
import { DEMO_SCHEME_DIR } from "@yibao/grouper/load";
import { sampleSettlementMessage } from "@yibao/server";
import { openStore } from "@yibao/store";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";

const REPO = resolve(import.meta.dirname, "../../..");
const dir = mkdtempSync(join(tmpdir(), "yibao-import-"));
type Envelope = { infno: string; input: Record<string, unknown> & { setlinfo: Record<string, unknown> } };
const sample = (n: number) => sampleSettlementMessage(n) as unknown as Envelope;

describe("yibao import", () => {
  it("imports JSONL, CSV and Excel through QC and grouping, keeps going past bad rows, and re-uploads replace", async () => {
    const dataDir = join(dir, "db");
    const jsonl = join(dir, "lists.jsonl");
    const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify(sample(i)));
    lines.splice(7, 0, "{broken");
    lines.push(JSON.stringify(sample(3)));
    const bad = sample(100);
    bad.input.setlinfo.gend = "7"; // not in the gend code table: refused by QC, stored as refused
    lines.push(JSON.stringify(bad));
    writeFileSync(jsonl, `${lines.join("\n")}\n`);
    const report = join(dir, "report.jsonl");
    const a = await importLists({
      input: jsonl,
      schemeDir: DEMO_SCHEME_DIR,
      store: { dataDir },
      report,
      progress: false,
    });
    expect(a).toMatchObject({ read: 43, inserted: 40, replaced: 1, refused: 1, invalid: 1 });
    const rows = readFileSync(report, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.find((r) => r.setlId === bad.input.setlinfo.setl_id)).toMatchObject({
      outcome: "refused",
      findings: expect.stringContaining("setlinfo.gend"),
    });

    // CSV: setlinfo fields as columns, lists as JSON arrays.
    const csvRows = [40, 41].map((n) => {
      const { setlinfo, ...lists } = sample(n).input;
      return {
        infno: "4101",
        ...setlinfo,
        ...Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, JSON.stringify(v)])),
      };
    });
    const csv = join(dir, "lists.csv");
    writeFileSync(csv, stringify(csvRows, { header: true }));
    expect(
      await importLists({ input: csv, schemeDir: DEMO_SCHEME_DIR, store: { dataDir }, progress: false }),
    ).toMatchObject({
      read: 2,
      inserted: 2,
    });

    // Excel: a setlinfo sheet and one sheet per list type keyed by setl_id.
    const wb = new ExcelJS.Workbook();
    const msgs = [42, 43].map(sample);
    const setl = wb.addWorksheet("setlinfo");
    const keys = Object.keys(msgs[0]?.input.setlinfo ?? {});
    setl.addRow(keys);
    for (const m of msgs) setl.addRow(keys.map((k) => (m.input.setlinfo[k] ?? null) as ExcelJS.CellValue));
    for (const name of ["payinfo", "diseinfo", "iteminfo", "oprninfo"]) {
      const ws = wb.addWorksheet(name);
      const rows = msgs.flatMap((m) =>
        ((m.input[name] as Record<string, unknown>[]) ?? []).map((r) => ({
          setl_id: m.input.setlinfo.setl_id,
          ...r,
        })),
      );
      const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      ws.addRow(cols);
      for (const r of rows) ws.addRow(cols.map((c) => (r[c as keyof typeof r] ?? null) as ExcelJS.CellValue));
    }
    const xlsx = join(dir, "lists.xlsx");
    await wb.xlsx.writeFile(xlsx);
    expect(
      await importLists({ input: xlsx, schemeDir: DEMO_SCHEME_DIR, store: { dataDir }, progress: false }),
    ).toMatchObject({ read: 2, inserted: 2, refused: 0 });

    const store = await openStore({ dataDir });
    try {
      const page = await store.listSettlementLists({ limit: 1000 });
      expect(page.total).toBe(45);
      const detail = await store.getSettlementList(String(sample(3).input.setlinfo.setl_id));
      expect(detail?.history.length).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe("yibao serve", () => {
  it("serves the API on the port it is given", async () => {
    const child = spawn(
      process.execPath,
      [
        resolve(REPO, "bin/yibao.js"),
        "serve",
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--data-dir",
        join(dir, "serve-db"),
      ],
      { env: { ...process.env, LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /医保平台已启动：(\S+)/.exec(out);
          if (m) ok(m[1] as string);
        });
        child.once("exit", (code) => fail(new Error(`serve exited ${code}`)));
      });
      const res = await fetch(`${url}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("with --demo opens the port at once, answers 503 STARTING while the demo is prepared, keeps the JSON log out of the terminal", async () => {
    const dataDir = join(dir, "serve-demo-db");
    const child = spawn(
      process.execPath,
      [
        resolve(REPO, "bin/yibao.js"),
        "serve",
        "--demo",
        "--demo-stays",
        "300",
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--data-dir",
        dataDir,
      ],
      { env: { ...process.env, LOG_LEVEL: "info", LOG_FILE: "" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    const seen = (re: RegExp) =>
      new Promise<RegExpExecArray>((ok, fail) => {
        const look = () => {
          const m = re.exec(out);
          if (m) {
            child.stdout.off("data", look);
            ok(m);
          }
        };
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          look();
        });
        look();
        child.once("exit", (code) => fail(new Error(`serve exited ${code}: ${out}`)));
      });
    try {
      const url = (await seen(/医保平台已启动：(\S+)/))[1] as string;
      // Before the demo is ready the API answers 503 STARTING, after it the routes answer as usual.
      const early = await fetch(`${url}/api/v1/auth/me`);
      if (!/演示数据已就绪/.test(out)) {
        expect(early.status).toBe(503);
        expect(((await early.json()) as { code: string }).code).toBe("STARTING");
      }
      await seen(/演示数据已就绪/);
      await seen(/管理员/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/api/v1/auth/me`)).status).toBe(401);
      // The terminal shows the Chinese lines only; the request log is JSON in the data directory.
      expect(out).not.toMatch(/"level":/);
      const logFile = join(dataDir, "server.log");
      expect(existsSync(logFile)).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(readFileSync(logFile, "utf8")).toMatch(/"url":"\/api\/v1\/auth\/me"/);
    } finally {
      child.kill("SIGTERM");
    }
  }, 120_000);
});
