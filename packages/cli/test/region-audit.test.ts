/**
 * A region pack's audit part (issue 12): rule base and knowledge base editions in `audit-rules.json`
 * and `knowledge.json`, read with the audit core's schemas (each problem named by file, edition and
 * field), kept beside the built-in editions so a pack edition decides only from its own date.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STARTER_KNOWLEDGE_BASE, STARTER_RULE_BASE } from "@yibao/audit";
import { auditPeriod, loadAuditLibraries } from "@yibao/audit-service";
import { buildServer, sampleSettlementMessage } from "@yibao/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { platformPlugins } from "../src/platform.js";
import { describeRegionPack, loadRegionPack } from "../src/region.js";
import { type DemoPlatform, getJson, openDemoPlatform, postAs, signIn } from "./demo-platform.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function pack(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "yibao-region-audit-"));
  dirs.push(dir);
  for (const [name, data] of Object.entries(files))
    writeFileSync(join(dir, name), typeof data === "string" ? data : JSON.stringify(data, null, 2));
  return dir;
}

/** The built-in rules as a pack edition from 2025-07-01, every rule switched off. */
const ALL_OFF = {
  ...STARTER_RULE_BASE,
  id: "pack-rules",
  version: "2025H2",
  effectiveFrom: "2025-07-01",
  rules: STARTER_RULE_BASE.rules.map((r) => ({ ...r, enabled: false })),
};

describe("region pack: audit rule and knowledge editions at load", () => {
  it("the built-in bases read back from JSON without a problem, and are the built-ins themselves", () => {
    const r = loadRegionPack(
      pack({ "audit-rules.json": STARTER_RULE_BASE, "knowledge.json": STARTER_KNOWLEDGE_BASE }),
    );
    expect(r.problems).toEqual([]);
    // Same id, version and content as the built-in: one edition, not the same one twice.
    expect(r.audit?.ruleBases).toEqual([STARTER_RULE_BASE]);
    expect(r.audit?.knowledgeBases).toEqual([STARTER_KNOWLEDGE_BASE]);
    expect(describeRegionPack(r)).toContain(
      "审核规则库 starter@2024.2：2020-01-01 起生效，17 条启用（内置）",
    );
  });

  it("names the file, the edition, the rule and the field of every problem", () => {
    const [first, second] = STARTER_RULE_BASE.rules;
    if (first === undefined || second === undefined) throw new Error("starter rules");
    const split = STARTER_RULE_BASE.rules.find((r) => r.check.kind === "split_admission");
    if (split === undefined) throw new Error("no split-admission rule");
    const bad = {
      ...ALL_OFF,
      rules: [
        { ...first, check: { kind: "no_such_check" } },
        { ...split, check: { ...split.check, windowDays: -1 } },
        { ...second, outcome: "可能" },
      ],
    };
    const twice = { ...ALL_OFF, version: "dup", rules: [first, first] };
    const knowledge = {
      ...STARTER_KNOWLEDGE_BASE,
      diagnosisRestrictions: [{ prefix: "O80", name: "正常分娩", sex: "3" }],
    };
    const dir = pack({ "audit-rules.json": [bad, twice], "knowledge.json": knowledge });
    const problems: string[] = [];
    expect(loadAuditLibraries(dir, problems)).not.toBeNull();
    const file = join(dir, "audit-rules.json");
    const text = problems.join("\n");
    expect(text).toContain(
      `${file} 第 1 版：规则库.rules.0.check.kind：取值应为以下之一：“split_admission”、“repeated_admission”`,
    );
    expect(text).toContain(`${file} 第 1 版：规则库.rules.1.check（${split.id}）.windowDays：不能小于 0`);
    expect(text).toContain(`${file} 第 1 版：规则库.rules.2.outcome：`);
    expect(text).toContain(`${file} 第 2 版：规则库 pack-rules：规则编号 ${first.id} 重复`);
    expect(text).toContain(`${join(dir, "knowledge.json")} 第 1 版：知识库.diagnosisRestrictions.0.sex：`);
    expect(problems).toHaveLength(5);
    const broken: string[] = [];
    loadAuditLibraries(pack({ "knowledge.json": "{ not json" }), broken);
    expect(broken[0]).toMatch(/knowledge\.json：不是合法的 JSON/);
    expect(loadAuditLibraries(pack({}), [])).toBeNull();
  });
});

describe("region pack: an audit rule edition from mid-year", () => {
  let platform: DemoPlatform;
  beforeAll(async () => {
    platform = await openDemoPlatform({
      region: {
        stays: 1500,
        seed: 7,
        from: "2025-01-01",
        to: "2025-12-31",
        today: new Date("2026-01-15T00:00:00Z"),
        injectRate: 0.1,
      },
      audit: false,
      cube: false,
    });
  }, 240_000);
  afterAll(async () => {
    await platform?.close();
  });

  it("changes the findings of the periods from its date only", async () => {
    const libraries = loadAuditLibraries(pack({ "audit-rules.json": ALL_OFF }), []);
    if (libraries === null) throw new Error("no libraries");
    const { store, scheme } = platform;
    const run = (period: string, withPack: boolean) =>
      auditPeriod({ store, scheme, period, actor: "test", ...(withPack ? { libraries } : {}) });
    const marchBuiltIn = await run("2025-03", false);
    const augustBuiltIn = await run("2025-08", false);
    expect(marchBuiltIn.findings).toBeGreaterThan(0);
    expect(augustBuiltIn.findings).toBeGreaterThan(0);
    // Before 2025-07-01 the built-in edition is in force: the same findings.
    expect((await run("2025-03", true)).findings).toBe(marchBuiltIn.findings);
    // From 2025-07-01 the pack's edition, every rule off: no finding at all.
    expect((await run("2025-08", true)).findings).toBe(0);
  }, 240_000);

  it("a pack edition brings the charge rule families (频次、内涵、串换、违规支付) to the pre-upload check", async () => {
    const extra = (id: string, name: string, kind: string, outcome: "明确违规" | "可疑") => ({
      ...STARTER_RULE_BASE.rules[0],
      id,
      name,
      category: outcome === "明确违规" ? "政策类" : "管理类",
      outcome,
      violation: "item_rule",
      // A pre-upload check runs the rules of stage 事前 only.
      stages: ["事前", "事中", "事后"],
      check: { kind },
      description: name,
      basis: "地区规则",
    });
    const rules = {
      ...ALL_OFF,
      rules: [
        ...ALL_OFF.rules,
        extra("ZC-07", "超限定频次", "frequency_limit", "明确违规"),
        extra("ZC-08", "项目内涵重复收费", "bundled_items", "明确违规"),
        extra("GL-01", "串换项目", "item_substitution", "可疑"),
        extra("ZC-09", "违规支付", "fund_paid_self_pay", "明确违规"),
      ],
    };
    const knowledge = {
      ...STARTER_KNOWLEDGE_BASE,
      id: "pack-knowledge",
      version: "2025H2",
      effectiveFrom: "2025-07-01",
      frequencyLimits: [{ name: "血型鉴定", codes: ["260000001"], text: "每次住院限 1 次", maxUnits: 1 }],
      bundles: [
        {
          name: "特级护理内涵",
          text: "特级护理含吸痰护理",
          bundle: { codes: ["120100002"] },
          components: { codes: ["120400006"] },
        },
      ],
      substitutions: [
        {
          name: "种植牙串换牙拔除术",
          text: "种植牙不属医保支付范围",
          billed: { codes: ["310516001"] },
          markers: { prefixes: ["C1404"] },
          actual: "种植牙",
          scope: "day",
        },
      ],
    };
    const problems: string[] = [];
    const libraries = loadAuditLibraries(
      pack({ "audit-rules.json": rules, "knowledge.json": knowledge }),
      problems,
    );
    expect(problems).toEqual([]);
    const detail = (code: string, amount: number, lv: string, ownPay = 0, date = "2025-12-20") => ({
      code,
      name: `项目${code}`,
      category: "05",
      date,
      quantity: 1,
      unitPrice: amount,
      amount,
      chrgitmLv: lv,
      ownPayAmount: ownPay,
    });
    // Worked by hand: 血型鉴定 twice at 20.00 → 20.00; 吸痰护理 15.00 beside 特级护理 → 15.00;
    // 牙拔除术 80.00 (20.00 own pay) beside an implant → 60.00; a 丙类 line 50.00 with 30.00 own pay → 20.00.
    const details = [
      detail("260000001", 2_000, "01", 0, "2025-12-19"),
      detail("260000001", 2_000, "01"),
      detail("120100002", 12_000, "01"),
      detail("120400006", 1_500, "01"),
      detail("C14040001", 300_000, "03", 300_000),
      detail("310516001", 8_000, "02", 2_000),
      detail("X0001", 5_000, "03", 3_000),
    ];
    const message = sampleSettlementMessage(3, { prefix: "PC", today: "2025-12-28" });
    const { store, scheme } = platform;
    const hitsWith = async (libs: typeof libraries) => {
      const app = await buildServer({
        store,
        scheme,
        logger: false,
        plugins: platformPlugins(store, { checkIntervalMs: 0 }, libs ?? undefined),
      });
      try {
        const s = await signIn(app, "bureau");
        const r = await postAs(app, s, "/api/v1/audit/precheck", { message, details });
        expect(r.statusCode, r.body).toBe(200);
        return r.json() as {
          hits: { ruleId: string; outcome: string; evidence: { fields: Record<string, unknown> }[] }[];
          intercept: boolean;
        };
      } finally {
        await app.close();
      }
    };
    const withPack = await hitsWith(libraries);
    const byRule = new Map(withPack.hits.map((h) => [h.ruleId, h]));
    expect([...byRule.keys()].sort()).toEqual(["GL-01", "ZC-07", "ZC-08", "ZC-09"]);
    expect(byRule.get("ZC-07")?.evidence[0]?.fields.coveredAmount).toBe(2_000);
    expect(byRule.get("ZC-08")?.evidence[0]?.fields.coveredAmount).toBe(1_500);
    expect(byRule.get("GL-01")?.evidence[0]?.fields.coveredAmount).toBe(6_000);
    expect(byRule.get("GL-01")?.outcome).toBe("可疑");
    expect(byRule.get("ZC-09")?.evidence[0]?.fields.fundCharged).toBe(2_000);
    expect(withPack.intercept).toBe(true);
    // The built-in edition has none of these rules: the same list and details raise none of them.
    const builtIn = await hitsWith(null);
    expect(builtIn.hits.filter((h) => ["GL-01", "ZC-07", "ZC-08", "ZC-09"].includes(h.ruleId))).toEqual([]);
  }, 120_000);

  it("the stored physician profile grades the suspect cluster only (医师画像)", async () => {
    const { store, scheme } = platform;
    await auditPeriod({ store, scheme, period: "2025", actor: "test" });
    const app = await buildServer({
      store,
      scheme,
      logger: false,
      plugins: platformPlugins(store, { checkIntervalMs: 0 }),
    });
    try {
      const s = await signIn(app, "bureau");
      const p = await getJson<{
        physicians: number;
        alerts: Record<string, number>;
        watchList: string[];
        model: { clusters: number; suspiciousCluster: number; alertQuartiles: [number, number] };
        profiles: { physician: string; cluster: number; score: number; alert: string | null }[];
      }>(app, s, "/api/v1/audit/physicians/profile?period=2025-01..2025-12");
      expect(p.physicians).toBeGreaterThanOrEqual(10);
      // At most 15 clusters, at least 5 physicians a cluster on average (the defaults).
      expect(p.model.clusters).toBe(Math.max(1, Math.min(15, Math.floor(p.physicians / 5))));
      const suspects = p.profiles.filter((x) => x.cluster === p.model.suspiciousCluster);
      expect(suspects.length).toBeGreaterThan(0);
      for (const x of p.profiles)
        expect(x.alert !== null, x.physician).toBe(x.cluster === p.model.suspiciousCluster);
      const [q1, q3] = p.model.alertQuartiles;
      for (const x of suspects)
        expect(x.alert, x.physician).toBe(x.score >= q3 ? "红色" : x.score >= q1 ? "橙色" : "黄色");
      const count = (a: string) => suspects.filter((x) => x.alert === a).length;
      expect(p.alerts).toEqual({ 红色: count("红色"), 橙色: count("橙色"), 黄色: count("黄色") });
      expect(new Set(p.watchList)).toEqual(
        new Set(suspects.filter((x) => x.alert === "红色").map((x) => x.physician)),
      );
    } finally {
      await app.close();
    }
  }, 120_000);

  it("the audit API lists the editions and marks the one in force on the date asked", async () => {
    const libraries = loadAuditLibraries(pack({ "audit-rules.json": ALL_OFF }), []);
    if (libraries === null) throw new Error("no libraries");
    const { store, scheme } = platform;
    const app = await buildServer({
      store,
      scheme,
      logger: false,
      plugins: platformPlugins(store, { checkIntervalMs: 0 }, libraries),
    });
    try {
      const s = await signIn(app, "hospital");
      const at = async (date: string) =>
        getJson<{
          editions: { ruleBases: { id: string; inForce: boolean; enabled: number }[] };
          ruleBase: { id: string };
        }>(app, s, `/api/v1/audit/rules?date=${date}`);
      const june = await at("2025-06-30");
      expect(june.ruleBase.id).toBe(STARTER_RULE_BASE.id);
      expect(june.editions.ruleBases.map((b) => [b.id, b.inForce])).toEqual([
        [STARTER_RULE_BASE.id, true],
        ["pack-rules", false],
      ]);
      const july = await at("2025-07-01");
      expect(july.ruleBase.id).toBe("pack-rules");
      expect(july.editions.ruleBases.map((b) => [b.id, b.inForce, b.enabled])).toEqual([
        [STARTER_RULE_BASE.id, false, STARTER_RULE_BASE.rules.filter((r) => r.enabled).length],
        ["pack-rules", true, 0],
      ]);
    } finally {
      await app.close();
    }
  });
});
