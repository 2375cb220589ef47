import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
// The built module: its worker pool loads the compiled worker file beside it.
import { groupFile } from "@yibao/cli/group-command";
import { recordOf } from "@yibao/cli/group-core";
import { groupVerdict } from "@yibao/cli/program";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, "../../..");
const SHARED = resolve(process.env.YIBAO_SHARED_DIR ?? resolve(REPO, "../shared"));
const NATIONAL = resolve(SHARED, "schemes/chs-drg-1.1");

interface Vector {
  input: Record<string, unknown>;
  expected: { status: string; drg: string };
}
let vectors: Vector[];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "yibao-cli-"));
  vectors = readFileSync(resolve(NATIONAL, "vectors.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .slice(0, 3000)
    .map((l) => JSON.parse(l) as Vector);
});

const jsonl = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;

describe("yibao group", () => {
  it("groups JSONL in input order with worker threads, one object per line, errors in place", async () => {
    const input = join(dir, "in.jsonl");
    const lines = vectors.map((v) => JSON.stringify(v.input));
    lines.splice(10, 0, "{not json");
    lines.splice(20, 0, JSON.stringify({ id: "bad", sex: "1", diagnoses: [1, 2] }));
    lines.splice(30, 0, "   ");
    writeFileSync(input, `${lines.join("\n")}\n`);
    const output = join(dir, "out.jsonl");
    const summary = await groupFile({
      schemeDir: NATIONAL,
      input,
      output,
      explain: false,
      mapCodes: false,
      threads: 2,
      progress: false,
    });
    expect(summary.records).toBe(vectors.length + 2);
    expect(summary.errors).toBe(2);
    const out = readFileSync(output, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(out.length).toBe(vectors.length + 2);
    expect(out[10]).toEqual({ line: 11, error: expect.stringContaining("第 11 行：不是合法的 JSON") });
    expect(out[20]).toMatchObject({ line: 21, id: "bad", error: expect.stringContaining("字段 diagnoses") });
    const results = out.filter((o) => !("error" in o));
    results.forEach((r, i) => {
      const v = vectors[i] as Vector;
      expect(r.id).toBe(v.input.id);
      expect([r.status, r.drg]).toEqual([v.expected.status, v.expected.drg]);
      expect(Object.keys(r)).toEqual(["id", "status", "mdc", "adrg", "drg", "drgName"]);
    });
  });

  it("works through the yibao command, CSV in and Excel out, with explanations", async () => {
    const csv = join(dir, "in.csv");
    const sample = vectors.slice(0, 50);
    const header = "病例ID,性别,年龄,日龄,出生体重,科室,住院天数,离院方式,诊断编码,手术操作编码";
    const body = sample.map((v) => {
      const r = v.input as Record<string, unknown>;
      const cell = (x: unknown) => (x === null ? "" : String(x));
      return [
        r.id,
        r.sex,
        cell(r.ageYears),
        cell(r.ageDays),
        cell(r.birthWeight),
        r.dept,
        r.los,
        r.dischargeWay,
        (r.diagnoses as string[]).join("|"),
        (r.procedures as string[]).join("|"),
      ].join(",");
    });
    writeFileSync(csv, `${header}\n${body.join("\n")}\n`);
    const xlsx = join(dir, "out.xlsx");
    const { stderr } = await run(
      process.execPath,
      [
        resolve(REPO, "bin/yibao.js"),
        "group",
        "--scheme",
        NATIONAL,
        "--input",
        csv,
        "--output",
        xlsx,
        "--explain",
      ],
      { env: { ...process.env, YIBAO_SCHEME_DIR: "" } },
    );
    expect(stderr).toContain("已处理 50 条");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const ws = wb.getWorksheet("分组结果");
    expect(ws?.getRow(1).getCell(6).value).toBe("DRG");
    sample.forEach((v, i) => {
      const row = ws?.getRow(i + 2);
      expect(row?.getCell(2).value).toBe(v.input.id);
      expect(row?.getCell(3).value).toBe(v.expected.status);
      expect(row?.getCell(6).value).toBe(v.expected.drg);
      expect(String(row?.getCell(11).value ?? "")).not.toBe("");
    });
  });

  it("reads Excel and writes CSV; a bad number cell is reported, not coerced", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("病例");
    ws.addRow(["id", "sex", "ageYears", "los", "diagnoses", "procedures"]);
    ws.addRow(["A1", "2", 40, 5, "J15.902", ""]);
    ws.addRow(["A2", "1", "四十", 5, "J15.902", ""]);
    ws.addRow(["A3", 1, 56, 7, "K81.002", "51.2300"]);
    const xlsx = join(dir, "in.xlsx");
    await wb.xlsx.writeFile(xlsx);
    const csvOut = join(dir, "out.csv");
    await groupFile({
      schemeDir: resolve(REPO, "packages/grouper/demo-scheme"),
      input: xlsx,
      output: csvOut,
      explain: false,
      mapCodes: false,
      threads: 0,
      progress: false,
    });
    const rows = parse(readFileSync(csvOut, "utf8"), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((r) => [r.行号, r.病例ID, r.DRG])).toEqual([
      ["2", "A1", "ES35"],
      ["3", "A2", ""],
      ["4", "A3", "HC25"],
    ]);
    expect(rows[1]?.错误).toContain("字段 ageYears");
  });

  it("maps codes of other versions when asked, and reports each conversion", async () => {
    const input = join(dir, "map.jsonl");
    writeFileSync(
      input,
      jsonl([
        { id: "M1", sex: "1", ageYears: 30, diagnoses: ["K35.900", "X00.000"], procedures: ["47.0100"] },
      ]),
    );
    const output = join(dir, "map.out.jsonl");
    await groupFile({
      schemeDir: resolve(REPO, "packages/grouper/demo-scheme"),
      input,
      output,
      explain: false,
      mapCodes: true,
      threads: 1,
      progress: false,
    });
    const [r] = readFileSync(output, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(r).toMatchObject({
      id: "M1",
      drg: "GD15",
      codeChanges: [{ field: "diagnoses", index: 0, from: "K35.900", to: "K35.800x001" }],
      unmappedCodes: ["X00.000"],
    });
  });

  it("groups the labelled vectors file as shipped ({input, expected} lines): each line's input, exit 0", async () => {
    // The first 3,000 lines of ../shared/schemes/chs-drg-1.1/vectors.jsonl, byte for byte.
    const input = join(dir, "vectors.jsonl");
    const shipped = readFileSync(resolve(NATIONAL, "vectors.jsonl"), "utf8").split("\n").slice(0, 3000);
    writeFileSync(input, `${shipped.join("\n")}\n`);
    const output = join(dir, "vectors.out.jsonl");
    const { stderr } = await run(
      process.execPath,
      [
        resolve(REPO, "bin/yibao.js"),
        "group",
        "--scheme",
        NATIONAL,
        "--input",
        input,
        "--output",
        output,
        "--threads",
        "1",
      ],
      { env: { ...process.env, YIBAO_SCHEME_DIR: "" } },
    );
    expect(stderr).toContain(`已处理 ${vectors.length} 条（其中错误 0 条）`);
    expect(stderr).not.toContain("失败");
    const out = readFileSync(output, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(out.length).toBe(vectors.length);
    out.forEach((r, i) => {
      const v = vectors[i] as Vector;
      expect([r.id, r.status, r.drg]).toEqual([v.input.id, v.expected.status, v.expected.drg]);
    });
  });

  it("unwraps only {input} or {input, expected}; any other key keeps the line as a record", () => {
    const record = { id: "A", sex: "1", diagnoses: ["K35.800x001"] };
    expect(recordOf({ input: record, expected: { drg: "GD15" } })).toBe(record);
    expect(recordOf({ input: record })).toBe(record);
    const other = { input: record, id: "B" };
    expect(recordOf(other)).toBe(other);
    const notObject = { input: "text" };
    expect(recordOf(notObject)).toBe(notObject);
    expect(recordOf(record)).toBe(record);
  });

  it("a run where every line failed exits 1 and says so in Chinese; a run where some failed exits 0 with the count", async () => {
    const bad = join(dir, "all-bad.jsonl");
    writeFileSync(bad, jsonl([{ id: "x", sex: "9" }, { foo: 1 }, { id: "y", diagnoses: "K35" }]));
    const failed = await run(
      process.execPath,
      [
        resolve(REPO, "bin/yibao.js"),
        "group",
        "--input",
        bad,
        "--output",
        join(dir, "all-bad.out.jsonl"),
        "--threads",
        "0",
      ],
      { env: { ...process.env, YIBAO_SCHEME_DIR: "" } },
    ).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("失败：全部 3 条记录都有错误，没有得到任何分组结果");

    const some = join(dir, "some-bad.jsonl");
    writeFileSync(some, jsonl([vectors[0]?.input, { foo: 1 }, vectors[1]?.input]));
    const { stderr } = await run(
      process.execPath,
      [
        resolve(REPO, "bin/yibao.js"),
        "group",
        "--scheme",
        NATIONAL,
        "--input",
        some,
        "--output",
        join(dir, "some-bad.out.jsonl"),
        "--threads",
        "0",
      ],
      { env: { ...process.env, YIBAO_SCHEME_DIR: "" } },
    );
    expect(stderr).toContain("已处理 3 条（其中错误 1 条）");
    expect(stderr).toContain("注意：1 条记录有错误，未分组");

    expect(groupVerdict({ records: 0, errors: 0 }, "o.jsonl").exitCode).toBe(1);
    expect(groupVerdict({ records: 5, errors: 5 }, "o.jsonl").exitCode).toBe(1);
    expect(groupVerdict({ records: 5, errors: 4 }, "o.jsonl")).toMatchObject({ exitCode: 0 });
    expect(groupVerdict({ records: 5, errors: 0 }, "o.jsonl")).toEqual({ exitCode: 0, message: "" });
  });

  it("groups with a scheme that uses the new conditions (issue 12): the same through the fast path's fallback and --explain", async () => {
    // The demo scheme with a Changzhou-style ES37 (death or transfer) before ES3's severity split,
    // ES33 only up to 10 days (Beijing-style) and the newborn check off.
    const demo = resolve(REPO, "packages/grouper/demo-scheme");
    const scheme = join(dir, "vocab-scheme");
    mkdirSync(scheme, { recursive: true });
    for (const f of readdirSync(demo)) if (f.endsWith(".tsv")) copyFileSync(join(demo, f), join(scheme, f));
    const source = JSON.parse(readFileSync(join(demo, "scheme.json"), "utf8"));
    source.checks = { newbornBirthWeight: false };
    const es3 = source.adrgs.find((a: { code: string }) => a.code === "ES3");
    es3.drgs = ["ES37", ...es3.drgs];
    source.drgs.push({
      code: "ES37",
      name: "呼吸系统感染/炎症，死亡或转院",
      adrg: "ES3",
      when: { dischargeWay: ["2", "5"] },
    });
    const es33 = source.drgs.find((d: { code: string }) => d.code === "ES33");
    es33.when = { all: [{ hasCcOrMcc: true }, { los: { max: 10 } }] };
    writeFileSync(join(scheme, "scheme.json"), JSON.stringify(source));
    const base = { sex: "1", ageYears: 70, ageDays: null, birthWeight: null, dept: "", procedures: [] };
    const records = [
      { ...base, id: "death", los: 3, dischargeWay: "5", diagnoses: ["J15.902", "I25.901"] },
      { ...base, id: "cc-10", los: 10, dischargeWay: "1", diagnoses: ["J15.902", "I25.901"] },
      { ...base, id: "cc-11", los: 11, dischargeWay: "1", diagnoses: ["J15.902", "I25.901"] },
      { ...base, id: "cc-missing", los: null, dischargeWay: "1", diagnoses: ["J15.902", "I25.901"] },
      { ...base, id: "alone", los: 4, dischargeWay: "4", diagnoses: ["J15.902"] },
    ];
    // ES31 needs an MCC, ES33 fails beyond 10 days or without a length of stay: ES35 (always).
    const expected = { death: "ES37", "cc-10": "ES33", "cc-11": "ES35", "cc-missing": "ES35", alone: "ES35" };
    const check = await run(process.execPath, [resolve(REPO, "bin/yibao.js"), "scheme", "check", scheme]);
    expect(check.stdout).toContain("新生儿出生体重校验：已关闭");
    expect(check.stdout).toContain("校验通过");
    const input = join(dir, "vocab.jsonl");
    writeFileSync(input, jsonl(records));
    for (const explain of [false, true]) {
      const output = join(dir, `vocab-out-${explain}.jsonl`);
      const args = [
        resolve(REPO, "bin/yibao.js"),
        "group",
        "--scheme",
        scheme,
        "--input",
        input,
        "--output",
        output,
      ];
      await run(process.execPath, explain ? [...args, "--explain"] : args, {
        env: { ...process.env, YIBAO_SCHEME_DIR: "" },
      });
      const rows = readFileSync(output, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as { id: string; drg: string; reasons?: { message: string }[] });
      expect(Object.fromEntries(rows.map((r) => [r.id, r.drg]))).toEqual(expected);
      if (explain) {
        const why = (id: string) =>
          (rows.find((r) => r.id === id)?.reasons ?? []).map((x) => x.message).join("；");
        expect(why("death")).toContain("离院方式为 2 医嘱转院 或 5 死亡（本例 5 死亡）");
        expect(why("cc-10")).toContain("住院天数 ≤ 10 天（本例 10 天）");
      }
    }
  });
});
