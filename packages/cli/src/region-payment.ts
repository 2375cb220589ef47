/**
 * 地区配置包 (region pack), its payment part: weight tables (`weight-tables.json`), payment policies
 * (`payment-policy.json`) and benefit policies (`benefit-policy.json`), each file one edition or an
 * array of dated editions, and the hospitals' master data (`hospitals.tsv`: code, name, level,
 * benefit class). Every edition is checked by the payment core's own parser; every problem names the
 * file and the edition or line, in Chinese. A file that is absent adds nothing.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  checkPaymentEdition,
  HOSPITAL_LEVELS,
  type PaymentHospital,
  type PaymentRegionData,
  type VersionedKind,
} from "@yibao/payment-service";
import { readJsonEditions } from "@yibao/server";

export const PAYMENT_REGION_FILES: Readonly<Record<"weights" | "policy" | "benefit" | "dipPolicy", string>> =
  {
    weights: "weight-tables.json",
    policy: "payment-policy.json",
    benefit: "benefit-policy.json",
    dipPolicy: "dip-policy.json",
  };
export const HOSPITALS_FILE = "hospitals.tsv";
/** The columns of `hospitals.tsv`, in this order, on its first line. */
export const HOSPITAL_COLUMNS = ["code", "name", "level", "benefit_class"] as const;
/** The optional fifth column: 支付方式 `DRG` (default when empty) or `DIP`. */
export const PAYMENT_METHOD_COLUMN = "payment_method";

function checkedEditions(
  dir: string,
  kind: VersionedKind & keyof typeof PAYMENT_REGION_FILES,
  problems: string[],
) {
  const file = join(dir, PAYMENT_REGION_FILES[kind]);
  const editions = readJsonEditions(file, problems) ?? [];
  if (existsSync(file) && editions.length === 0 && problems.every((p) => !p.startsWith(`${file}：`)))
    problems.push(`${file}：没有任何版本`);
  const seen = new Set<string>();
  editions.forEach((e, i) => {
    const c = checkPaymentEdition(kind, e);
    if (c.problem !== null) problems.push(`${file} 第 ${i + 1} 版（${c.label}）：${c.problem}`);
    else if (seen.has(c.label)) problems.push(`${file} 第 ${i + 1} 版：${c.label} 重复`);
    seen.add(c.label);
  });
  return editions;
}

/** The deductible classes (起付线类别) the pack's benefit policies know. */
function benefitClasses(benefits: readonly unknown[]): Set<string> {
  const out = new Set<string>();
  for (const b of benefits) {
    const classes = (b as { classes?: unknown }).classes;
    if (!Array.isArray(classes)) continue;
    for (const c of classes) {
      const name = (c as { class?: unknown }).class;
      if (typeof name === "string") out.add(name);
    }
  }
  return out;
}

/** Reads `hospitals.tsv`: a header line naming the columns, then one hospital per line. */
function readHospitals(
  file: string,
  classes: ReadonlySet<string> | null,
  problems: string[],
): PaymentHospital[] | null {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, "utf8")
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/);
  const header = (lines[0] ?? "").split("\t").map((x) => x.trim());
  const withMethod = [...HOSPITAL_COLUMNS, PAYMENT_METHOD_COLUMN];
  const columns = header.length === withMethod.length ? withMethod : [...HOSPITAL_COLUMNS];
  if (header.join("\t") !== columns.join("\t")) {
    problems.push(
      `${file} 第 1 行：表头须为 ${HOSPITAL_COLUMNS.join("<Tab>")}，可再加 <Tab>${PAYMENT_METHOD_COLUMN}（收到「${lines[0] ?? ""}」）`,
    );
    return [];
  }
  const out: PaymentHospital[] = [];
  const seen = new Map<string, number>();
  lines.slice(1).forEach((line, i) => {
    const n = i + 2;
    if (line.trim() === "") return;
    const cells = line.split("\t").map((x) => x.trim());
    if (cells.length !== columns.length) {
      problems.push(`${file} 第 ${n} 行：应有 ${columns.length} 列，实有 ${cells.length} 列`);
      return;
    }
    const [code = "", , level = "", benefitClass = "", method = ""] = cells;
    const where = `${file} 第 ${n} 行（${code || "无编码"}）`;
    if (!/^[A-Za-z0-9]{1,30}$/.test(code)) problems.push(`${where}：code 须为 1–30 位字母或数字`);
    const first = seen.get(code);
    if (first !== undefined) problems.push(`${where}：医院编码与第 ${first} 行重复`);
    seen.set(code, n);
    if (!HOSPITAL_LEVELS.includes(level))
      problems.push(`${where}：level 须为 ${HOSPITAL_LEVELS.join("、")} 之一（收到「${level}」）`);
    if (benefitClass !== "" && classes !== null && !classes.has(benefitClass))
      problems.push(`${where}：benefit_class「${benefitClass}」不是配置包待遇政策中的起付线类别`);
    const paymentMethod = method.toUpperCase() === "DIP" ? "dip" : "drg";
    if (method !== "" && method.toUpperCase() !== "DIP" && method.toUpperCase() !== "DRG")
      problems.push(`${where}：payment_method 须为 DRG 或 DIP（收到「${method}」）`);
    out.push({
      hospitalCode: code,
      level,
      benefitClass: benefitClass === "" ? null : benefitClass,
      // Without the column the hospital's method is not given (a new hospital is paid by DRG).
      ...(columns.length > HOSPITAL_COLUMNS.length ? { paymentMethod } : {}),
    });
  });
  return out;
}

/** Loads and validates the payment part of the region pack in `dir` (null when it has none of its files). */
export function loadRegionPayment(dir: string, problems: string[]): PaymentRegionData | null {
  const present = [...Object.values(PAYMENT_REGION_FILES), HOSPITALS_FILE].some((f) =>
    existsSync(join(dir, f)),
  );
  if (!present) return null;
  const weights = checkedEditions(dir, "weights", problems);
  const policies = checkedEditions(dir, "policy", problems);
  const benefits = checkedEditions(dir, "benefit", problems);
  const dipPolicies = checkedEditions(dir, "dipPolicy", problems);
  const classes = benefits.length > 0 ? benefitClasses(benefits) : null;
  const hospitals = readHospitals(join(dir, HOSPITALS_FILE), classes, problems) ?? [];
  return { weights, policies, benefits, dipPolicies, hospitals };
}

/** The lines of `yibao region check` for the payment part. */
export function describeRegionPayment(p: PaymentRegionData | null): string[] {
  if (p === null)
    return ["支付数据：未提供（权重表、支付政策、待遇政策与医院信息以数据库中已发布的版本为准）"];
  const lines: string[] = [];
  const each = (kind: VersionedKind, editions: readonly unknown[]) => {
    for (const e of editions) {
      const c = checkPaymentEdition(kind, e);
      const from = (e as { effectiveFrom?: unknown }).effectiveFrom;
      lines.push(`${c.label}：${typeof from === "string" ? `${from} 起生效` : "生效日期未给出"}`);
    }
  };
  each("weights", p.weights);
  each("policy", p.policies);
  each("benefit", p.benefits);
  each("dipPolicy", p.dipPolicies ?? []);
  const dip = p.hospitals.filter((h) => h.paymentMethod === "dip").length;
  lines.push(
    `医院：${p.hospitals.length} 家（${HOSPITALS_FILE}）${dip > 0 ? `，其中按 DIP 付费 ${dip} 家` : ""}`,
  );
  return lines;
}
