import { describe, expect, it } from "vitest";
import { groupRecord } from "../src/group.js";
import { DEMO_SCHEME_DIR, loadSchemeDir, resolveSchemeDir } from "../src/load.js";
import type { GroupingRecord } from "../src/types.js";

const base: GroupingRecord = {
  id: "demo",
  sex: "1",
  ageYears: 56,
  ageDays: null,
  birthWeight: null,
  dept: "",
  los: 8,
  dischargeWay: "1",
  diagnoses: [],
  procedures: [],
};
const rec = (diagnoses: string[], procedures: string[] = [], extra: Partial<GroupingRecord> = {}) => ({
  ...base,
  ...extra,
  diagnoses,
  procedures,
});

describe("the bundled demo scheme", () => {
  it("is labelled as a demo and resolves when nothing else is configured", async () => {
    expect(resolveSchemeDir(undefined, {})).toBe(DEMO_SCHEME_DIR);
    expect(resolveSchemeDir(undefined, { YIBAO_SCHEME_DIR: "/x/y" })).toBe("/x/y");
    expect(resolveSchemeDir("/a", { YIBAO_SCHEME_DIR: "/x/y" })).toBe("/a");
    const s = await loadSchemeDir(DEMO_SCHEME_DIR);
    expect(s.demo).toBe(true);
    expect(s.name).toContain("演示");
  });

  // The fund-loss worked examples (`examples/seed-002`), grouped as uploaded and as corrected.
  it.each([
    [
      "KD15: thyroid cancer, total thyroidectomy + radical neck dissection",
      rec(["C73.x00"], ["06.4x00", "40.4000"]),
      "KD15",
    ],
    [
      "DA15: neck cancer, radical neck dissection + total thyroidectomy",
      rec(["C76.002"], ["40.4000", "06.4x00"]),
      "DA15",
    ],
    ["ES35: community-acquired pneumonia alone", rec(["J15.902"]), "ES35"],
    ["ES33: pneumonia + coronary heart disease (CC)", rec(["J15.902", "I25.901"]), "ES33"],
    ["BR25: haemorrhagic infarction alone", rec(["I63.903"]), "BR25"],
    ["BR23: haemorrhagic infarction + hepatic haemangiomatosis (CC)", rec(["I63.903", "K76.401"]), "BR23"],
    [
      "HC25: acute suppurative cholecystitis + laparoscopic cholecystectomy",
      rec(["K81.002"], ["51.2300"]),
      "HC25",
    ],
    ["HU15: acute suppurative cholecystitis, no procedure", rec(["K81.002"]), "HU15"],
  ])("%s", async (_label, record, drg) => {
    const s = await loadSchemeDir(DEMO_SCHEME_DIR);
    const r = groupRecord(s, record);
    expect(r.status).toBe("OK");
    expect(r.drg).toBe(drg);
  });

  it("sends haemorrhagic infarction + acupotomy to the ambiguous group BQY (有意歧义, as in the fund-loss examples)", async () => {
    const s = await loadSchemeDir(DEMO_SCHEME_DIR);
    const r = groupRecord(s, rec(["I63.903"], ["17.96100"]), { explain: true });
    expect(r.status).toBe("AMBIGUOUS");
    expect(r.drg).toBe("BQY");
    expect(r.reasons?.some((x) => x.stage === "qy")).toBe(true);
  });

  it("explains excluded CCs: a CC in the principal diagnosis's own exclusion table does not count", async () => {
    const s = await loadSchemeDir(DEMO_SCHEME_DIR);
    // I21.900 (MCC) shares exclusion table 93 with the principal I25.901.
    const r = groupRecord(s, rec(["I25.901", "I21.900"]), { explain: true });
    expect(r.drg).toBe("FR45");
    expect(r.reasons?.find((x) => x.code === "I21.900")?.message).toContain("不计入");
    const r2 = groupRecord(s, rec(["I25.901", "N19.x03"]), { explain: true });
    expect(r2.drg).toBe("FR41");
    expect(r2.reasons?.find((x) => x.code === "N19.x03")?.message).toContain("计入");
  });
});
