/**
 * The worked examples of fund loss under DRG (九类违规情形基金损失测算示例: for each violation type a
 * stay, its group as uploaded and as corrected, and the fund loss in 元 or as a multiple of the rate) as runnable
 * data: each example file holds the weights and policy used, the hospital, the stay as uploaded
 * and as corrected, and the expected fund loss. `runSeed002Examples` settles both ways;
 * `formatSeed002Report` prints the result in Chinese. Pure: the caller reads the files.
 */
import { BenefitPolicySet, parseBenefitPolicy } from "./benefit.js";
import { HANDAN_RESIDENTS_2021 } from "./data/handan-2021.js";
import { type Fen, formatRatio, formatYuan } from "./money.js";
import { parseDrgWeightTable, parsePaymentPolicy } from "./policy.js";
import { Reader } from "./read.js";
import { type Resettlement, resettle } from "./resettle.js";
import { CATEGORY_NAMES, createSettlementContext, type StaySettlement } from "./settle.js";
import { parseHospital, parseStay } from "./wire.js";

/** Benefit policies shipped with the package, by `id@version` (随包提供的待遇政策). */
export const SHIPPED_BENEFIT_POLICIES: Readonly<Record<string, unknown>> = {
  "handan-residents@2021": HANDAN_RESIDENTS_2021,
};

/** An example file as read by the caller: its name and its parsed JSON content. */
export interface ExampleFile {
  readonly name: string;
  readonly content: unknown;
}

/** The result of one example (示例结算结果). */
export type Seed002Result =
  | {
      readonly ok: true;
      readonly name: string;
      readonly id: string;
      readonly title: string;
      readonly violation: string;
      readonly source: string;
      readonly formula: string;
      readonly resettlement: Resettlement;
      readonly fundLoss: Fen;
      readonly expectedFundLoss: Fen;
      /** True when the computed fund loss equals the expected one to the fen. */
      readonly matches: boolean;
    }
  | { readonly ok: false; readonly name: string; readonly error: string };

function stays(r: Reader, v: unknown, field: string) {
  if (Array.isArray(v)) return v.map((s, i) => parseStay(s, `${r.dataset} ${field}[${i}]`));
  return [parseStay(v, `${r.dataset} ${field}`)];
}

/** Settles one example file both ways (运行单个示例). Throws on malformed data. */
export function runSeed002Example(file: ExampleFile): Seed002Result {
  const r = new Reader(`示例 ${file.name}`);
  const raw = r.object(file.content, "(根)");
  const weights = parseDrgWeightTable(raw.weights);
  const policy = parsePaymentPolicy(raw.policy);
  let benefit: BenefitPolicySet | undefined;
  if (raw.benefit != null) {
    let data: unknown = raw.benefit;
    if (typeof data === "string") {
      data = SHIPPED_BENEFIT_POLICIES[data];
      if (data === undefined) r.fail("benefit", `没有随包提供的待遇政策「${raw.benefit}」`);
    }
    benefit = new BenefitPolicySet([parseBenefitPolicy(data as unknown)]);
  }
  const hospitals = r
    .array(raw.hospitals, "hospitals")
    .map((h, i) => parseHospital(h, `${r.dataset} hospitals[${i}]`));
  const ctx = createSettlementContext({
    policies: [{ policy, weights }],
    hospitals,
    ...(benefit ? { benefit } : {}),
  });
  const expected = r.object(raw.expected, "expected");
  const expectedFundLoss = r.yuan(expected.fundLoss, "expected.fundLoss", true);
  const result = resettle(stays(r, raw.uploaded, "uploaded"), stays(r, raw.corrected, "corrected"), ctx);
  return {
    ok: true,
    name: file.name,
    id: r.string(raw.id, "id"),
    title: r.string(raw.title, "title"),
    violation: typeof raw.violation === "string" ? raw.violation : "",
    source: typeof raw.source === "string" ? raw.source : "",
    formula: typeof expected.formula === "string" ? expected.formula : "",
    resettlement: result,
    fundLoss: result.fundLoss,
    expectedFundLoss,
    matches: result.fundLoss === expectedFundLoss,
  };
}

/**
 * Runs every example file (运行种子 002 示例): one result per file, in the given order; a file that
 * cannot be read or settled yields `{ ok: false, error }` and the others go on.
 */
export function runSeed002Examples(files: readonly ExampleFile[]): Seed002Result[] {
  return files.map((f) => {
    try {
      return runSeed002Example(f);
    } catch (e) {
      return { ok: false, name: f.name, error: e instanceof Error ? e.message : String(e) };
    }
  });
}

function line(label: string, s: StaySettlement): string {
  const parts = [`  ${label}  病组 ${s.drg}`, `类别 ${CATEGORY_NAMES[s.category]}`];
  if (s.rw !== null) parts.push(`权重 ${formatRatio(s.rw, 2)}`);
  if (s.standard !== null) parts.push(`支付标准 ${formatYuan(s.standard)} 元`);
  if (s.highThreshold !== null && s.category !== "normal")
    parts.push(`高倍率界值 ${formatYuan(s.highThreshold)} 元`);
  parts.push(
    `总费用 ${formatYuan(s.totalCost)} 元`,
    `病组支付 ${formatYuan(s.drgPayment)} 元`,
    `个人负担 ${formatYuan(s.patientShare)} 元`,
    `基金支付 ${formatYuan(s.fundPayment)} 元`,
  );
  return parts.join("，");
}

/** Formats the example results as a Chinese report (示例报告). */
export function formatSeed002Report(results: readonly Seed002Result[]): string {
  const out: string[] = [
    "种子 002 DRG 违规情形基金损失示例：每例按上传与按更正各结算一次，基金损失 = 按上传基金支付 − 按更正基金支付。",
    "",
  ];
  let ok = 0;
  results.forEach((res, i) => {
    if (!res.ok) {
      out.push(`【${i + 1}】${res.name}：无法结算：${res.error}`, "");
      return;
    }
    if (res.matches) ok++;
    out.push(
      `【${i + 1}】${res.violation ? `${res.violation}：` : ""}${res.title}${res.source ? `（${res.source}）` : ""}`,
    );
    for (const s of res.resettlement.original) out.push(line("按上传", s));
    for (const s of res.resettlement.corrected) out.push(line("按更正", s));
    out.push(
      `  基金损失 ${formatYuan(res.fundLoss)} 元；预期 ${formatYuan(res.expectedFundLoss)} 元${res.formula ? `（${res.formula}）` : ""}；${res.matches ? "一致" : "不一致"}`,
      "",
    );
  });
  out.push(`合计 ${results.length} 例：${ok} 例与种子一致，${results.length - ok} 例不一致或无法结算。`);
  return out.join("\n");
}
