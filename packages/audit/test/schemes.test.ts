/**
 * Several schemes side by side (分组方案切换): a stay is checked under the scheme that grouped it, not
 * under the one in force at the end of the range audited. The new scheme here makes 脑缺血性疾患 (BR2)
 * one group (BR21); the seed-002 有意歧义 example was grouped by the old one and must be corrected to
 * the old one's BR25 and priced 3,961.95 yuan as before.
 */
import { buildScheme, SchemeCalendar } from "@yibao/grouper";
import { DEMO_SCHEME_DIR, readSchemeFiles } from "@yibao/grouper/load";
import { describe, expect, it } from "vitest";
import { runAudit } from "../src/audit.js";
import { schemeOf, stayContext } from "../src/context.js";
import { learnNorms, learnNormsByScheme, learnNormsWithSchemes } from "../src/norms.js";
import { context, scheme, stay } from "./helpers.js";

const files = await readSchemeFiles(DEMO_SCHEME_DIR);
const next = JSON.parse(files.schemeJson);
next.drgs = next.drgs.filter((d: { code: string }) => d.code !== "BR23" && d.code !== "BR25");
for (const d of next.drgs) if (d.code === "BR21") d.when = { always: true };
for (const a of next.adrgs) if (a.code === "BR2") a.drgs = ["BR21"];
const newScheme = buildScheme({ ...files, schemeJson: JSON.stringify(next) }, "demo-new");
const calendar = new SchemeCalendar([
  { scheme, effectiveDate: "2020-01-01" },
  { scheme: newScheme, effectiveDate: "2030-01-01" },
]);

describe("the audit checks each stay under its own scheme", () => {
  const base = context();
  const ctx = { ...base, scheme: newScheme, schemes: calendar };

  it("picks the stay's scheme by the id it names; an unknown or absent id keeps the context's", () => {
    const s = stay({ diagnoses: ["I63.903"], cost: 800_000 });
    expect(schemeOf(ctx, { ...s, schemeId: scheme.id })).toBe(scheme);
    expect(schemeOf(ctx, { ...s, schemeId: "demo-new" })).toBe(newScheme);
    expect(schemeOf(ctx, { ...s, schemeId: "chs-drg-9" })).toBe(newScheme);
    expect(schemeOf(ctx, s)).toBe(newScheme);
    expect(stayContext(ctx, { ...s, schemeId: scheme.id }).scheme).toBe(scheme);
    expect(stayContext(ctx, s)).toBe(ctx);
    // One context per scheme, not one per stay.
    expect(stayContext(ctx, { ...s, schemeId: scheme.id })).toBe(
      stayContext(ctx, { ...s, schemeId: scheme.id }),
    );
  });

  it("corrects an old-scheme 有意歧义 stay to the old scheme's group (BR25, 3,961.95 yuan)", () => {
    const s = {
      ...stay({ diagnoses: ["I63.903"], procedures: ["17.96100"], cost: 1_765_211 }),
      schemeId: scheme.id,
    };
    expect(s.group.drg).toBe("BQY");
    const [f] = runAudit([s], ctx).findings;
    expect(f?.violation).toBe("qy_ambiguity");
    expect(f?.pricing?.corrected[0]?.drg).toBe("BR25");
    expect(f?.fundLoss).toBe(396_195);
    // Checked under the new scheme instead it would go to BR21, which the weight table does not
    // price: no finding, and the run goes on (it used to stop on the unpriced group).
    const other = runAudit([{ ...s, schemeId: "demo-new" }, s], ctx);
    expect(other.findings.map((x) => [x.stayIds[0], x.pricing?.corrected[0]?.drg])).toEqual([[s.id, "BR25"]]);
  });

  it("compares a stay with the norms of its own scheme's stays: the same code of another edition is not its group", () => {
    // BR21 in the old scheme (with MCC) costs about 20,000 yuan; in the new one (every BR2 stay) 10,000.
    const old = [1_900_000, 2_000_000, 2_100_000].map((cost, i) => ({
      ...stay({ id: `O${i}`, diagnoses: ["I63.903"], cost }),
      group: { status: "OK" as const, drg: "BR21", mdc: "B", adrg: "BR2" },
      schemeId: scheme.id,
    }));
    const young = [900_000, 1_000_000, 1_100_000, 1_000_000].map((cost, i) => ({
      ...stay({ id: `N${i}`, diagnoses: ["I63.903"], cost }),
      group: { status: "OK" as const, drg: "BR21", mdc: "B", adrg: "BR2" },
      schemeId: "demo-new",
    }));
    const all = [...old, ...young];
    const mixed = learnNorms(all);
    // Mixed (all within the trim, median 11,000 × / ÷ 2.5): (19,000 + 20,000 + 21,000 + 9,000 + 10,000
    // + 11,000 + 10,000) / 7 = 14,285.714… yuan.
    expect(mixed.drgs.get("BR21")?.meanCost).toBe(1_428_571);
    const apart = learnNormsByScheme(all);
    const withApart = { ...ctx, norms: mixed, ...(apart ? { normsByScheme: apart } : {}) };
    expect(stayContext(withApart, young[0] as (typeof young)[number]).norms.drgs.get("BR21")?.meanCost).toBe(
      1_000_000,
    );
    expect(stayContext(withApart, old[0] as (typeof old)[number]).norms.drgs.get("BR21")?.meanCost).toBe(
      2_000_000,
    );
    // A scheme no stay of the history was grouped by has no norms (its detectors abstain), not the mix.
    const only = learnNormsByScheme(old);
    const ctxOld = { ...ctx, norms: learnNorms(old), ...(only ? { normsByScheme: only } : {}) };
    expect(stayContext(ctxOld, young[0] as (typeof young)[number]).norms.drgs.size).toBe(0);
    // Learnt once: two schemes give the mix and each apart; one scheme's stays give one set of norms.
    const both = learnNormsWithSchemes(all);
    expect(both.norms.drgs.get("BR21")?.meanCost).toBe(1_428_571);
    expect(both.byScheme?.get("demo-new")?.drgs.get("BR21")?.meanCost).toBe(1_000_000);
    const one = learnNormsWithSchemes(old);
    expect(one.norms.drgs.get("BR21")?.meanCost).toBe(2_000_000);
    expect(one.byScheme?.get(scheme.id)).toBe(one.norms);
    // Stays that name no scheme (one scheme): no split, the context itself.
    const plain = all.map(({ schemeId: _, ...rest }) => rest);
    expect(learnNormsByScheme(plain)).toBeUndefined();
  });
});
