import { resolve } from "node:path";
import { loadDemoRegion } from "@yibao/cli/demo-region";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { createListPreparer } from "@yibao/server";
import { openStore } from "@yibao/store";
import { generateRegion } from "@yibao/synth";
import { describe, expect, it } from "vitest";

const SHARED = resolve(process.env.YIBAO_SHARED_DIR ?? resolve(import.meta.dirname, "../../../../shared"));

describe("the synthetic region meets the real intake", () => {
  it.each([
    ["demo scheme", DEMO_SCHEME_DIR],
    ["national CHS-DRG 1.1", resolve(SHARED, "schemes/chs-drg-1.1")],
  ])(
    "every generated list (%s), honest or injected, passes intake QC without a finding",
    async (_label, dir) => {
      const scheme = await loadSchemeDir(dir);
      const prepare = createListPreparer(scheme);
      const region = generateRegion({
        seed: 7,
        stays: 1500,
        scheme,
        from: "2025-01-01",
        to: "2025-12-31",
        inject: { rate: 0.1 },
      });
      const problems: string[] = [];
      for (const s of region.stays()) {
        const info = s.message.input.setlinfo;
        const p = prepare(s.message, new Date(info.dcla_time.replace(" ", "T")));
        for (const f of p.findings) problems.push(`${info.setl_id} ${f.ruleId} ${f.field}: ${f.message}`);
      }
      expect(problems.slice(0, 5)).toEqual([]);
    },
  );

  it("loads the demo region into an empty store once, every list accepted, with the expected counts", async () => {
    const store = await openStore({ memory: true });
    try {
      const scheme = await loadSchemeDir(DEMO_SCHEME_DIR);
      const first = await loadDemoRegion(store, scheme, { stays: 600, today: new Date("2026-11-22") });
      expect(first).toMatchObject({
        skipped: false,
        lists: 600,
        accepted: 600,
        from: "2025-01-01",
        to: "2025-12-31",
      });
      const again = await loadDemoRegion(store, scheme, { stays: 600 });
      expect(again.skipped).toBe(true);
      const qc = await store.qcIndicators();
      expect(qc.total.lists).toBe(600);
      expect(qc.total.uploadRate).toBe(1);
    } finally {
      await store.close();
    }
  });
});
