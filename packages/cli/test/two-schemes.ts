/**
 * Two editions of the demo scheme for the scheme-switch tests (分组方案切换), and lists to group by
 * them: `demo-old` as shipped, `demo-new` where 脑缺血性疾患 (BR2) is one group, BR21, whatever the
 * complications — so a BR25 stay of the old scheme is BR21 under the new one.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO_SCHEME_DIR } from "@yibao/grouper/load";
import { sampleSettlementMessage } from "@yibao/server";
import { expect } from "vitest";

/**
 * The demo scheme twice: `demo-old` as shipped, and `demo-new` where 脑缺血性疾患 (BR2) is one group,
 * BR21, whatever the complications (so a BR23/BR25 stay of the old scheme is BR21 under the new).
 */
export function writeSchemes(dir: string): void {
  cpSync(DEMO_SCHEME_DIR, join(dir, "schemes", "demo-old"), { recursive: true });
  const next = join(dir, "schemes", "demo-new");
  cpSync(DEMO_SCHEME_DIR, next, { recursive: true });
  const s = JSON.parse(readFileSync(join(next, "scheme.json"), "utf8"));
  s.name = "演示方案（新版）";
  s.drgs = s.drgs.filter((d: { code: string }) => d.code !== "BR23" && d.code !== "BR25");
  for (const d of s.drgs) if (d.code === "BR21") d.when = { always: true };
  for (const a of s.adrgs) if (a.code === "BR2") a.drgs = ["BR21"];
  writeFileSync(join(next, "scheme.json"), JSON.stringify(s));
}

/**
 * The 脑梗死 sample (template 5 of `sampleSettlementMessage`, n = 5 + 10k) discharged on `dscg` at
 * 10:00 and settled that day; `setlEnd` moves the settlement date alone.
 */
export function stroke(k: number, dscg: string, setlEnd?: string): Record<string, unknown> {
  const n = 5 + 10 * k;
  const today = new Date(Date.parse(`${dscg}T00:00:00Z`) + (1 + (n % 5)) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const m = sampleSettlementMessage(n, { today, prefix: `S${dscg.replaceAll("-", "")}-` });
  const info = (m as { input: { setlinfo: Record<string, unknown> } }).input.setlinfo;
  expect(String(info.dscg_time).slice(0, 10)).toBe(dscg);
  if (setlEnd) info.setl_end_date = setlEnd;
  return m;
}

/** Uploaded the morning after settlement, well within the 8-day deadline. */
export function at(m: Record<string, unknown>): Date {
  const end = String((m as { input: { setlinfo: { setl_end_date: string } } }).input.setlinfo.setl_end_date);
  return new Date(Date.parse(`${end}T09:00:00+08:00`) + 86_400_000);
}

/** The 肺炎 sample (template 1, n = 1 + 10k) discharged on `dscg`: grouped alike by both editions. */
export function pneumonia(k: number, dscg: string): Record<string, unknown> {
  const n = 1 + 10 * k;
  const today = new Date(Date.parse(`${dscg}T00:00:00Z`) + (1 + (n % 5)) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return sampleSettlementMessage(n, { today, prefix: `P${dscg.replaceAll("-", "")}-` });
}
