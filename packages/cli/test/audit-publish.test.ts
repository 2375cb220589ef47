/**
 * The bureau publishes audit rule base and knowledge base editions through the API (issue 12 item 4):
 * read by the audit core's own readers, dated today or later, never an edit of a released one, kept
 * with who, when and why; the audit API and the command line audit by them from their date.
 */
import { STARTER_KNOWLEDGE_BASE, STARTER_RULE_BASE } from "@yibao/audit";
import { librariesAt, publishedLibraries } from "@yibao/audit-service";
import { addDays, shanghaiDate } from "@yibao/kernel/calendar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DemoPlatform,
  getJson,
  openDemoPlatform,
  postAs,
  type Session,
  signIn,
} from "./demo-platform.js";

const TODAY = shanghaiDate(Date.now());
const YESTERDAY = addDays(TODAY, -1);
const TOMORROW = addDays(TODAY, 1);

/** The built-in rules as the city's edition, the split-admission window shortened from its default. */
function cityRules(version: string, effectiveFrom: string, windowDays = 10) {
  return {
    ...STARTER_RULE_BASE,
    id: "city-rules",
    version,
    effectiveFrom,
    effectiveTo: null,
    rules: STARTER_RULE_BASE.rules.map((r) =>
      r.check.kind === "split_admission" ? { ...r, check: { ...r.check, windowDays } } : r,
    ),
  };
}

let p: DemoPlatform;
let bureau: Session;
beforeAll(async () => {
  p = await openDemoPlatform({
    region: { stays: 40, seed: 3, from: "2025-01-01", to: "2025-01-31" },
    payment: false,
    audit: false,
    cube: false,
  });
  bureau = await signIn(p.app, "bureau");
}, 120_000);
afterAll(async () => p?.close());

const publish = (path: string, body: unknown, s = bureau) => postAs(p.app, s, `/api/v1/audit/${path}`, body);

describe("publishing an audit rule base edition", () => {
  it("from today: in force on today's date, not on yesterday's; with who published it and why", async () => {
    const back = await publish("rule-bases", { edition: cityRules("Y", YESTERDAY), reason: "测试" });
    expect(back.statusCode).toBe(400);
    expect(back.json().message).toContain(`早于今天 ${TODAY}`);
    const r = await publish("rule-bases", {
      edition: cityRules("2026B", TODAY),
      reason: "分解住院间隔改为 10 天",
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ edition: { id: "city-rules", version: "2026B", effectiveDate: TODAY } });

    type Rules = {
      ruleBase: { id: string; rules: { check: { kind: string; windowDays?: number } }[] };
      editions: {
        ruleBases: {
          id: string;
          inForce: boolean;
          origin: string;
          actor: string | null;
          reason: string | null;
        }[];
      };
    };
    const window = (x: Rules) =>
      x.ruleBase.rules.find((r) => r.check.kind === "split_admission")?.check.windowDays;
    const today = await getJson<Rules>(p.app, bureau, `/api/v1/audit/rules?date=${TODAY}`);
    expect(today.ruleBase.id).toBe("city-rules");
    expect(window(today)).toBe(10);
    expect(today.editions.ruleBases.map((b) => [b.id, b.inForce, b.origin])).toEqual([
      [STARTER_RULE_BASE.id, false, "built-in"],
      ["city-rules", true, "api"],
    ]);
    expect(today.editions.ruleBases[1]).toMatchObject({ actor: "bureau", reason: "分解住院间隔改为 10 天" });
    const yesterday = await getJson<Rules>(p.app, bureau, `/api/v1/audit/rules?date=${YESTERDAY}`);
    expect(yesterday.ruleBase.id).toBe(STARTER_RULE_BASE.id);
    expect(window(yesterday)).not.toBe(10);
  });

  it("the command line audits by it too (the published editions read from the database)", async () => {
    const libraries = await publishedLibraries(p.store.db, null);
    expect(librariesAt(TODAY, libraries).rules.id).toBe("city-rules");
    expect(librariesAt(YESTERDAY, libraries).rules.id).toBe(STARTER_RULE_BASE.id);
  });

  it("a repeat is 200 and writes nothing; an edit of the released version is 409; a bad rule is named", async () => {
    expect(
      (await publish("rule-bases", { edition: cityRules("2026B", TODAY), reason: "重复" })).statusCode,
    ).toBe(200);
    const edit = await publish("rule-bases", { edition: cityRules("2026B", TODAY, 12), reason: "改动" });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe("VERSION_EXISTS");
    const bad = await publish("rule-bases", { edition: cityRules("2026C", TOMORROW, -1), reason: "负数" });
    expect(bad.statusCode).toBe(400);
    const split = STARTER_RULE_BASE.rules.findIndex((r) => r.check.kind === "split_admission");
    const id = STARTER_RULE_BASE.rules[split]?.id;
    const details = (bad.json().details as { message: string }[]).map((d) => d.message);
    expect(details).toContain(`规则库.rules.${split}.check（${id}）.windowDays：不能小于 0`);
    const rows = await p.store.db.selectFrom("published_edition").select(["kind", "version"]).execute();
    expect(rows).toEqual([{ kind: "audit-rules", version: "2026B" }]);
  });

  it("a hospital or a reviewer may read the editions, not publish them", async () => {
    for (const user of ["hospital", "reviewer"]) {
      const s = await signIn(p.app, user);
      const r = await publish("rule-bases", { edition: cityRules(`X-${user}`, TOMORROW), reason: "越权" }, s);
      expect(r.statusCode).toBe(403);
      const one = await getJson<{ provenance: { origin: string } }>(
        p.app,
        s,
        "/api/v1/audit/rule-bases/city-rules/2026B",
      );
      expect(one.provenance.origin).toBe("api");
    }
  });
});

describe("publishing an audit knowledge base edition", () => {
  it("is read by the knowledge base's schema: a bad field is named; a good edition is in force from its date", async () => {
    const edition = (version: string, sex: string) => ({
      ...STARTER_KNOWLEDGE_BASE,
      id: "city-knowledge",
      version,
      effectiveFrom: TOMORROW,
      effectiveTo: null,
      diagnosisRestrictions: [{ prefix: "O80", name: "正常分娩", sex }],
    });
    const bad = await publish("knowledge-bases", { edition: edition("K1", "3"), reason: "测试" });
    expect(bad.statusCode).toBe(400);
    expect((bad.json().details as { message: string }[])[0]?.message).toContain(
      "知识库.diagnosisRestrictions.0.sex",
    );
    const good = await publish("knowledge-bases", { edition: edition("K1", "2"), reason: "增加限女性诊断" });
    expect(good.statusCode).toBe(201);
    const at = async (date: string) =>
      (await getJson<{ knowledgeBase: { id: string } }>(p.app, bureau, `/api/v1/audit/rules?date=${date}`))
        .knowledgeBase.id;
    expect(await at(TODAY)).toBe(STARTER_KNOWLEDGE_BASE.id);
    expect(await at(TOMORROW)).toBe("city-knowledge");
  });
});
