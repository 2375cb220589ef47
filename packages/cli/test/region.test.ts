/**
 * A region pack's QC part (issue 12): QC rules and targets as dated editions in JSON files, validated
 * at load naming the file, the edition and the path; each list checked by the rule edition in force
 * on its discharge date — so a rule of an existing kind is added without touching TypeScript, and a
 * new edition changes only the lists discharged from its date.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { createListPreparer, sampleSettlementMessage } from "@yibao/server";
import { DEFAULT_QC_RULES } from "@yibao/settlement";
import { afterEach, describe, expect, it } from "vitest";
import { describeRegionPack, loadRegionPack, loadRegionQc } from "../src/region.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function pack(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "yibao-region-"));
  dirs.push(dir);
  for (const [name, data] of Object.entries(files))
    writeFileSync(join(dir, name), typeof data === "string" ? data : JSON.stringify(data, null, 2));
  return dir;
}

const TODAY = "2026-03-20";
/** Edition B of the test region, in force from 2026-03-17: lists must name a Suzhou (3205xx) 参保地. */
const EDITION_A = { ...DEFAULT_QC_RULES, id: "test-region-qc", version: "A", effectiveDate: "2020-01-01" };
const EDITION_B = {
  ...EDITION_A,
  version: "B",
  effectiveDate: "2026-03-17",
  rules: [
    ...DEFAULT_QC_RULES.rules,
    {
      id: "QC-REGION-001",
      check: "pattern",
      category: "format",
      severity: "error",
      message: "{label}（{field}）应为本统筹区{format}，实际为「{value}」",
      params: {
        checks: [
          { fields: ["setlinfo.insuplc"], regex: "^3205\\d{2}$", format: "苏州市区划代码（3205 开头）" },
        ],
      },
    },
  ],
};

describe("region pack: QC rule and target editions", () => {
  it("a list is checked by the edition in force on its discharge date; the new rule is JSON only", async () => {
    const r = loadRegionQc(pack({ "qc-rules.json": [EDITION_A, EDITION_B] }));
    expect(r.problems).toEqual([]);
    const prepare = createListPreparer(await loadSchemeDir(DEMO_SCHEME_DIR), r.qc.rules);
    const at = new Date(`${TODAY}T10:00:00+08:00`);
    // sampleSettlementMessage(n): discharged 1 + n % 5 days before today (at 10:00), 参保地 210102.
    const outcome = (n: number) => {
      const m = sampleSettlementMessage(n, { today: TODAY });
      const p = prepare(m, at);
      const info = (m as { input: { setlinfo: { dscg_time: string } } }).input.setlinfo;
      return { dscg: info.dscg_time.slice(0, 10), rules: p.findings.map((f) => f.ruleId) };
    };
    // Discharged 2026-03-17, the edition's first day: edition B, refused by its rule.
    expect(outcome(2)).toEqual({ dscg: "2026-03-17", rules: ["QC-REGION-001"] });
    // Discharged 2026-03-16, one day before: edition A, accepted.
    expect(outcome(3)).toEqual({ dscg: "2026-03-16", rules: [] });
    // After the switch, every list; before it, none.
    expect(outcome(0).rules).toEqual(["QC-REGION-001"]);
    expect(outcome(4).rules).toEqual([]);
    const refused = prepare(sampleSettlementMessage(0, { today: TODAY }), at).findings[0];
    expect(refused?.message).toBe(
      "参保地（setlinfo.insuplc）应为本统筹区苏州市区划代码（3205 开头），实际为「210102」",
    );
  });

  it("every problem names the file, the edition and the path; nothing half-loaded is used", () => {
    const bad = pack({
      "qc-rules.json": [
        {
          ...EDITION_A,
          rules: [...EDITION_A.rules, { ...EDITION_A.rules[0], id: "QC-X-1", check: "noSuchKind" }],
        },
        {
          ...EDITION_B,
          rules: [
            ...EDITION_B.rules.slice(0, -1),
            { ...EDITION_B.rules.at(-1), params: { checks: [{ fields: ["setlinfo.insuplc"] }] } },
          ],
        },
        { ...EDITION_A, version: "C" },
      ],
      "qc-targets.json": {
        id: "t",
        version: "1",
        effectiveDate: "2026-01-01",
        source: "s",
        targets: [{ indicator: "uploadRate", comparison: ">=", value: "120%" }],
      },
    });
    const r = loadRegionQc(bad);
    const text = r.problems.join("\n");
    expect(text).toContain(`${join(bad, "qc-rules.json")} 第 1 版：rules[`);
    expect(text).toContain('未知的检查类型 "noSuchKind"');
    expect(text).toMatch(/qc-rules\.json 第 2 版（test-region-qc@B）：.*QC-REGION-001/);
    expect(text).toContain("质控目标.targets[0].value：应在 0 与 100% 之间");
    expect(r.problems.length).toBeGreaterThanOrEqual(3);
    expect(describeRegionPack(loadRegionPack(bad))).toContain(`发现 ${r.problems.length} 处问题`);
    // Two editions of one effective date: which is in force would be undecidable.
    const twice = loadRegionQc(pack({ "qc-rules.json": [EDITION_A, { ...EDITION_A, version: "A2" }] }));
    expect(twice.problems).toEqual([
      `${join(twice.dir, "qc-rules.json")}：版本 A 与 A2 的生效日期同为 2020-01-01，无法确定哪一版生效`,
    ]);
    expect(loadRegionQc(pack({ "qc-rules.json": "{ not json" })).problems[0]).toMatch(/不是合法的 JSON/);
    expect(loadRegionQc("/nonexistent/region").problems).toEqual(["地区配置目录不存在：/nonexistent/region"]);
  });

  it("a pack without a file keeps the built-in edition, and says so", () => {
    const r = loadRegionQc(pack({}));
    expect(r).toMatchObject({ qc: {}, problems: [] });
    expect(describeRegionPack({ ...r, region: null, payment: null, audit: null, schemes: null })).toContain(
      "质控规则：未提供 qc-rules.json，使用内置版本",
    );
  });
});
