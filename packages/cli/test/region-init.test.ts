/**
 * A new city from an empty directory (issue 12): `yibao region init` writes the built-in editions as
 * the pack's files, renamed and dated; the pack passes `region check`, takes a hospital whose class
 * is in its benefit policy, and starts a server. A directory that is not empty is refused.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { STARTER_RULE_BASE } from "@yibao/audit";
import { DEFAULT_QC_RULES } from "@yibao/settlement";
import { afterEach, describe, expect, it } from "vitest";
import { describeRegionPack, loadRegionPack } from "../src/region.js";
import { serve } from "../src/serve-command.js";

const REPO = resolve(import.meta.dirname, "../../..");
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

describe("yibao region init", () => {
  it("writes a pack that checks clean, takes the city's hospitals and starts a server", async () => {
    const dir = join(tmp("yibao-init-"), "jiangzhou");
    const out = execFileSync(
      process.execPath,
      [
        resolve(REPO, "bin/yibao.js"),
        "region",
        "init",
        dir,
        "--id",
        "jiangzhou",
        "--name",
        "江州市",
        "--from",
        "2026-01-01",
        "--pooling-region",
        "320800",
      ],
      { encoding: "utf8" },
    );
    expect(out).toContain("已生成地区配置包");
    expect(JSON.parse(readFileSync(join(dir, "region.json"), "utf8"))).toEqual({
      id: "jiangzhou",
      name: "江州市",
      poolingRegion: "320800",
    });
    const rules = JSON.parse(readFileSync(join(dir, "qc-rules.json"), "utf8")) as {
      id: string;
      effectiveDate: string;
    };
    expect(rules).toMatchObject({ id: "jiangzhou-qc", effectiveDate: "2026-01-01" });
    expect(readFileSync(join(dir, "README.md"), "utf8")).toContain("# 江州市地区配置包");
    const clean = loadRegionPack(dir);
    expect(clean.problems).toEqual([]);
    // The city's hospitals, one line each; the class must be one of the pack's benefit classes.
    appendFileSync(
      join(dir, "hospitals.tsv"),
      "H001\t江州市人民医院\t三级\t三级综合\nH002\t江州市二院\t二级\t无此类别\n",
    );
    const withHospitals = loadRegionPack(dir);
    expect(withHospitals.problems).toEqual([
      `${join(dir, "hospitals.tsv")} 第 3 行（H002）：benefit_class「无此类别」不是配置包待遇政策中的起付线类别`,
    ]);
    writeFileSync(
      join(dir, "hospitals.tsv"),
      "code\tname\tlevel\tbenefit_class\nH001\t江州市人民医院\t三级\t三级综合\n",
    );
    const pack = loadRegionPack(dir);
    expect(pack.problems).toEqual([]);
    expect(pack.audit?.ruleBases.map((b) => b.id)).toEqual([STARTER_RULE_BASE.id, "jiangzhou-rules"]);
    const lines: string[] = [];
    const server = await serve({
      port: 0,
      host: "127.0.0.1",
      dataDir: tmp("yibao-init-data-"),
      region: dir,
      log: (l) => lines.push(l),
    });
    await server.close();
    expect(lines.join("\n")).toContain(
      "地区配置包支付数据：新发布 1 个版本，已发布未变 0 个；医院新增 1 家、更新 0 家",
    );
    expect(lines.join("\n")).toContain("地区：江州市（jiangzhou，统筹区编码 320800）");
  }, 120_000);

  it("the shipped demo region pack (regions/demo) holds the built-in editions and checks clean", () => {
    const demo = resolve(REPO, "regions/demo");
    const r = spawnSync(process.execPath, [resolve(REPO, "bin/yibao.js"), "region", "check", demo], {
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("地区：演示地区（demo）");
    expect(r.stdout).toContain("校验通过");
    // The built-in editions are the pack's files, read by the packages (no TypeScript copy of them).
    const file = (name: string) => JSON.parse(readFileSync(join(demo, name), "utf8"));
    expect(file("qc-rules.json")).toEqual(JSON.parse(JSON.stringify(DEFAULT_QC_RULES)));
    expect(file("audit-rules.json")).toEqual(JSON.parse(JSON.stringify(STARTER_RULE_BASE)));
    expect(file("audit-rules.json").rules).toHaveLength(17);
    expect(file("qc-rules.json").rules.find((x: { id: string }) => x.id === "QC-TIME-001").params).toEqual({
      deadlineDays: 8,
    });
    // A copy whose split-admission window is edited under the same version: a released edition edited.
    const copy = join(tmp("yibao-demo-copy-"), "demo");
    cpSync(demo, copy, { recursive: true });
    const rules = file("audit-rules.json");
    rules.rules[0].check.windowDays = 10;
    writeFileSync(join(copy, "audit-rules.json"), JSON.stringify(rules));
    expect(loadRegionPack(copy).problems).toEqual([
      "audit-rules.json：starter@2024.2 与内置版本同号而内容不同：已发布的版本不可修改，请使用新版本号",
    ]);
    // The same change as a new version from a date is the region's own edition.
    writeFileSync(
      join(copy, "audit-rules.json"),
      JSON.stringify({ ...rules, version: "2026.1", effectiveFrom: "2026-01-01" }),
    );
    const edited = loadRegionPack(copy);
    expect(edited.problems).toEqual([]);
    expect(edited.audit?.ruleBases.map((b) => `${b.id}@${b.version}`)).toEqual([
      "starter@2024.2",
      "starter@2026.1",
    ]);
  });

  it("names every problem of region.json by file and JSON path", () => {
    const dir = tmp("yibao-region-info-");
    const file = join(dir, "region.json");
    writeFileSync(file, JSON.stringify({ id: "Jiang Zhou", name: " ", poolingRegion: 320800, zone: "UTC" }));
    expect(loadRegionPack(dir).problems).toEqual([
      `${file} $.zone：未知字段`,
      `${file} $.id：应为小写字母、数字或连字符（至多 40 个），实际为 "Jiang Zhou"`,
      `${file} $.name：应为 1–50 个字的统筹区名称，实际为 " "`,
      `${file} $.poolingRegion：应为 6 位统筹区编码（行政区划代码），实际为 320800`,
    ]);
    writeFileSync(file, "[]");
    expect(loadRegionPack(dir).problems).toEqual([
      `${file}：应为对象 {"id": 地区标识, "name": 统筹区名称, "poolingRegion": 统筹区编码}`,
    ]);
    writeFileSync(file, JSON.stringify({ id: "jz", name: "江州市" }));
    const ok = loadRegionPack(dir);
    expect([ok.problems, ok.region]).toEqual([[], { id: "jz", name: "江州市", poolingRegion: null }]);
    expect(describeRegionPack(ok)).toContain("地区：江州市（jz）");
  });

  it("refuses a directory that is not empty, and a bad id or date", () => {
    const dir = tmp("yibao-init-full-");
    writeFileSync(join(dir, "notes.txt"), "已有文件");
    const run = (args: string[]) =>
      spawnSync(process.execPath, [resolve(REPO, "bin/yibao.js"), "region", "init", ...args], {
        encoding: "utf8",
      });
    const full = run([dir, "--id", "x", "--name", "某市", "--from", "2026-01-01"]);
    expect(full.status).toBe(2);
    expect(full.stderr).toContain("不为空");
    expect(
      run([join(dir, "new"), "--id", "Bad Id", "--name", "某市", "--from", "2026-01-01"]).stderr,
    ).toContain("--id");
    expect(run([join(dir, "new2"), "--id", "ok", "--name", "某市", "--from", "2026/01/01"]).stderr).toContain(
      "--from",
    );
    expect(
      run([
        join(dir, "new3"),
        "--id",
        "ok",
        "--name",
        "某市",
        "--from",
        "2026-01-01",
        "--pooling-region",
        "3208",
      ]).stderr,
    ).toContain("--pooling-region：须为 6 位统筹区编码（收到「3208」）");
  });
});
