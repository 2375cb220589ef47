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
});
