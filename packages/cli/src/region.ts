/**
 * 地区配置包 (region pack): a directory holding the region's QC rule editions
 * (`qc-rules.json`) and QC target editions (`qc-targets.json`), each file one edition or an array of
 * dated editions. Every edition is validated at load — shape, check kinds, each rule's parameters
 * (compiled once), unique effective dates — and every problem names the file, the edition and the
 * JSON path, in Chinese. A file that is absent leaves the built-in editions in force. The payment
 * part (weight tables, payment and benefit policies, hospitals) is read by `region-payment.ts`, the
 * grouping schemes by date (`schemes.json`) by `@yibao/server`'s `region-schemes.ts`.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { type AuditLibraries, describeAuditLibraries, loadAuditLibraries } from "@yibao/audit-service";
import type { SchemeCalendar } from "@yibao/grouper";
import type { PaymentRegionData } from "@yibao/payment-service";
import {
  describeRegionInfo,
  describeRegionSchemes,
  openRegionSchemes,
  type RegionInfo,
  type RegionSchemes,
  readJsonEditions,
  readRegionInfo,
  readRegionSchemes,
} from "@yibao/server";
import {
  checkQcRuleEdition,
  type QcEditions,
  type QcRuleSet,
  type QcTargetSet,
  validateQcTargetSet,
} from "@yibao/settlement";
import { describeRegionPayment, loadRegionPayment } from "./region-payment.js";

export const QC_RULES_FILE = "qc-rules.json";
export const QC_TARGETS_FILE = "qc-targets.json";

/** A region pack's QC editions as loaded, with every problem found. */
export interface RegionQc {
  readonly dir: string;
  readonly qc: Partial<QcEditions>;
  readonly problems: string[];
}

function checkDates(
  file: string,
  editions: readonly { effectiveDate: string; version: string }[],
  problems: string[],
) {
  const seen = new Map<string, string>();
  for (const e of editions) {
    const other = seen.get(e.effectiveDate);
    if (other !== undefined)
      problems.push(
        `${file}：版本 ${other} 与 ${e.version} 的生效日期同为 ${e.effectiveDate}，无法确定哪一版生效`,
      );
    seen.set(e.effectiveDate, e.version);
  }
}

/** Loads and validates the QC editions of the region pack in `dir`. */
export function loadRegionQc(dir: string): RegionQc {
  const root = resolve(dir);
  const problems: string[] = [];
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    return { dir: root, qc: {}, problems: [`地区配置目录不存在：${root}`] };
  }
  const qc: { rules?: QcRuleSet[]; targets?: QcTargetSet[] } = {};
  const rulesFile = join(root, QC_RULES_FILE);
  const rawRules = readJsonEditions(rulesFile, problems);
  if (rawRules) {
    const rules: QcRuleSet[] = [];
    rawRules.forEach((raw, i) => {
      const where = `${rulesFile} 第 ${i + 1} 版`;
      const v = checkQcRuleEdition(raw);
      if (v.ruleSet) rules.push(v.ruleSet);
      else for (const p of v.problems) problems.push(`${where}${v.label ? `（${v.label}）` : ""}：${p}`);
    });
    if (rawRules.length === 0) problems.push(`${rulesFile}：没有任何规则版本`);
    checkDates(rulesFile, rules, problems);
    qc.rules = rules;
  }
  const targetsFile = join(root, QC_TARGETS_FILE);
  const rawTargets = readJsonEditions(targetsFile, problems);
  if (rawTargets) {
    const targets: QcTargetSet[] = [];
    rawTargets.forEach((raw, i) => {
      const v = validateQcTargetSet(raw);
      if (v.set) targets.push(v.set);
      else for (const p of v.problems) problems.push(`${targetsFile} 第 ${i + 1} 版：${p}`);
    });
    if (rawTargets.length === 0) problems.push(`${targetsFile}：没有任何目标版本`);
    checkDates(targetsFile, targets, problems);
    qc.targets = targets;
  }
  return { dir: root, qc, problems };
}

/** The QC lines of `yibao region check`: each edition in force from its date. */
function regionQcLines(r: RegionQc): string[] {
  const lines: string[] = [];
  const rules = r.qc.rules;
  if (rules === undefined) lines.push(`质控规则：未提供 ${QC_RULES_FILE}，使用内置版本`);
  else
    for (const e of [...rules].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : 1)))
      lines.push(`质控规则 ${e.id}@${e.version}：${e.effectiveDate} 起生效，${e.rules.length} 条规则`);
  const targets = r.qc.targets;
  if (targets === undefined) lines.push(`质控目标：未提供 ${QC_TARGETS_FILE}，使用内置版本`);
  else
    for (const e of [...targets].sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : 1)))
      lines.push(`质控目标 ${e.id}@${e.version}：${e.effectiveDate} 起生效，${e.targets.length} 项目标`);
  return lines;
}

/** A whole region pack as loaded: its QC editions, its payment data, its audit libraries, every problem found. */
export interface RegionPack extends RegionQc {
  /** 地区信息 (`region.json`); null when the pack has none. */
  readonly region: RegionInfo | null;
  readonly payment: PaymentRegionData | null;
  /** The built-in rule and knowledge bases with the pack's editions; null when the pack has none. */
  readonly audit: AuditLibraries | null;
  /** `schemes.json` as read; null when the pack has none. */
  readonly schemes: RegionSchemes | null;
  /** The schemes by date once loaded ({@link openRegionPack}); null before, or without `schemes.json`. */
  readonly calendar?: SchemeCalendar | null;
}

/** Loads and validates the region pack in `dir`, except the schemes' own files ({@link openRegionPack}). */
export function loadRegionPack(dir: string): RegionPack {
  const q = loadRegionQc(dir);
  if (!existsSync(q.dir) || !statSync(q.dir).isDirectory())
    return { ...q, region: null, payment: null, audit: null, schemes: null };
  const problems = [...q.problems];
  const region = readRegionInfo(q.dir, problems);
  const payment = loadRegionPayment(q.dir, problems);
  const audit = loadAuditLibraries(q.dir, problems);
  const schemes = readRegionSchemes(q.dir, problems);
  return { ...q, region, payment, audit, schemes, problems };
}

/** Loads and validates the whole region pack in `dir`, its grouping schemes included. */
export async function openRegionPack(dir: string): Promise<RegionPack> {
  const r = loadRegionPack(dir);
  if (r.schemes === null) return { ...r, calendar: null };
  const problems = [...r.problems];
  const calendar = await openRegionSchemes(r.schemes, problems);
  return { ...r, calendar, problems };
}

/** The report of `yibao region check`: each edition in force from its date, the payment data, then the problems. */
export function describeRegionPack(r: RegionPack): string {
  const lines = [`地区配置：${r.dir}`];
  if (!existsSync(r.dir)) return `${[...lines, ...r.problems].join("\n")}\n`;
  lines.push(...describeRegionInfo(r.region));
  lines.push(...describeRegionSchemes(r.schemes, r.calendar ?? null));
  lines.push(...regionQcLines(r), ...describeRegionPayment(r.payment), ...describeAuditLibraries(r.audit));
  lines.push(r.problems.length === 0 ? "校验通过" : `发现 ${r.problems.length} 处问题：`);
  for (const p of r.problems) lines.push(`  ${p}`);
  return `${lines.join("\n")}\n`;
}
