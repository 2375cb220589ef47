import type { DrgScheme } from "@yibao/grouper";
import { describe, expect, it } from "vitest";
import { generateRegion } from "../src/generate.js";
import type { SettlementMessage } from "../src/types.js";
import { checkSettlementList, toFen } from "../src/verify.js";
import { demoScheme, hasShared, nationalScheme } from "./shared.js";

function allProblems(scheme: DrgScheme, seed: number, stays: number) {
  const r = generateRegion({ seed, stays, scheme, inject: { rate: 0.15 } });
  const problems: string[] = [];
  let lists = 0;
  for (const s of r.stays()) {
    const messages = [s.message, ...(s.label?.honest.map((h) => h.message) ?? [])];
    for (const m of messages) {
      lists++;
      for (const p of checkSettlementList(m, scheme)) problems.push(`${m.input.setlinfo.setl_id}: ${p}`);
    }
    // Truth agrees with the message's money.
    const total = s.message.input.iteminfo.reduce((a, i) => a + (toFen(i.amt) ?? Number.NaN), 0);
    if (total !== s.truth.totalFen) problems.push(`${s.index}: truth total`);
    const fund = s.message.input.payinfo.reduce((a, p) => a + (toFen(p.fund_payamt) ?? Number.NaN), 0);
    if (fund !== s.truth.fundFen || fund + s.truth.personalFen !== total)
      problems.push(`${s.index}: truth fund`);
  }
  return { problems, lists };
}

describe("every generated list is structurally consistent", () => {
  it("demo scheme: uploaded lists and honest twins", async () => {
    const { problems, lists } = allProblems(await demoScheme(), 11, 3000);
    expect(lists).toBeGreaterThan(3000);
    expect(problems).toEqual([]);
  });

  it.skipIf(!hasShared)("national CHS-DRG 1.1 scheme", async () => {
    const { problems } = allProblems(await nationalScheme(), 12, 3000);
    expect(problems).toEqual([]);
  });

  it("the checker notices broken lists", async () => {
    const scheme = await demoScheme();
    const [s] = generateRegion({ seed: 3, stays: 1, scheme }).stays();
    const good = (s as { message: SettlementMessage }).message;
    expect(checkSettlementList(good, scheme)).toEqual([]);
    const clone = (): SettlementMessage => structuredClone(good);
    const m1 = clone();
    (m1.input.iteminfo[0] as { amt: number }).amt += 0.01;
    expect(checkSettlementList(m1, scheme).join()).toMatch(/amt/);
    const m2 = clone();
    m2.input.setlinfo.psn_selfpay += 1;
    expect(checkSettlementList(m2, scheme).join()).toMatch(/总费用/);
    const m3 = clone();
    m3.input.setlinfo.diag_code_cnt += 1;
    expect(checkSettlementList(m3, scheme).join()).toMatch(/diag_code_cnt/);
    const m4 = clone();
    m4.input.setlinfo.act_ipt_days += 1;
    expect(checkSettlementList(m4, scheme).join()).toMatch(/实际住院天数/);
    const m5 = clone();
    (m5.input.diseinfo[0] as { diag_code: string }).diag_code = "X99.999";
    expect(checkSettlementList(m5, scheme).join()).toMatch(/字典/);
    const m6 = clone();
    m6.input.setlinfo.gend = m6.input.setlinfo.gend === "1" ? "2" : "1";
    expect(checkSettlementList(m6, scheme).join()).toMatch(/性别/);
  });
});
