/**
 * A DIP payment policy built from a calibrated DIP catalogue (由病种目录生成 DIP 付费政策): each group's
 * points (病种分值) are the catalogue's score from the region's history, rounded to four decimals, and
 * its standard cost (病种标准费用) per hospital level is the group's regional average cost × the level's
 * factor (等级系数), rounded to the fen. The rest of the policy (deviation multiples, budget basis,
 * coefficients, prepayment) comes from the template as written. The result is an ordinary DIP policy,
 * checked by the payment core's parser and saved as a new edition; nothing refers back to the catalogue
 * at settlement time.
 */
import {
  divRound,
  type Fen,
  formatYuan,
  mulPpm,
  PolicyDataError,
  parseDipPaymentPolicy,
  parseRatio,
  parseYuan,
} from "@yibao/payment";
import type { Store } from "@yibao/store";
import { getVersion, PaymentInputError, type StoredVersion, saveVersion } from "./repo.js";

/** What the template names: the catalogue and each level's factor on the regional average cost. */
export interface DipPolicyTemplate {
  readonly fromCatalogue: { readonly id: string; readonly version: string };
  /** 等级系数 of the standard cost, e.g. {三级: "1.0", 二级: "0.9"}. */
  readonly levelFactors: Readonly<Record<string, string>>;
}

interface CatalogueGroupData {
  readonly key?: unknown;
  readonly avgCost?: unknown;
  readonly score?: unknown;
}

/** What building the policy left out: groups without points or cost in the catalogue. */
export interface DipPolicyBuild {
  readonly data: Record<string, unknown>;
  readonly groups: number;
  readonly skipped: readonly string[];
}

/**
 * Fills a template's `groupPoints` and `standardCost` from the stored catalogue it names; throws a
 * PaymentInputError naming the field when the template or catalogue is unusable, and PolicyDataError
 * (from the core's parser) when the resulting policy is not valid.
 */
export async function buildDipPolicyFromCatalogue(store: Store, template: unknown): Promise<DipPolicyBuild> {
  if (typeof template !== "object" || template === null || Array.isArray(template))
    throw new PaymentInputError("DIP 付费政策模板：应为对象");
  const t = template as Record<string, unknown>;
  const from = t.fromCatalogue as { id?: unknown; version?: unknown } | undefined;
  if (typeof from?.id !== "string" || typeof from.version !== "string")
    throw new PaymentInputError("fromCatalogue：须为 {id, version}（已保存的 DIP 病种目录）");
  const factorsRaw = t.levelFactors;
  if (typeof factorsRaw !== "object" || factorsRaw === null || Object.keys(factorsRaw).length === 0)
    throw new PaymentInputError("levelFactors：须为 {医院等级: 系数}，至少一级");
  const factors = new Map<string, number>();
  for (const [level, v] of Object.entries(factorsRaw as Record<string, unknown>)) {
    let ppm: number;
    try {
      if (typeof v !== "string" && typeof v !== "number") throw new Error("应为十进制数");
      ppm = parseRatio(v);
    } catch (e) {
      throw new PaymentInputError(`levelFactors.${level}：${(e as Error).message}`);
    }
    if (ppm <= 0) throw new PaymentInputError(`levelFactors.${level}：等级系数须为正数`);
    factors.set(level, ppm);
  }
  const catalogue: StoredVersion | undefined = await getVersion(store, "dip", from.id, from.version);
  if (catalogue === undefined)
    throw new PaymentInputError(`DIP 病种目录 ${from.id}@${from.version} 不存在`, "NOT_FOUND");
  const groups = ((catalogue.data as { groups?: unknown }).groups ?? []) as CatalogueGroupData[];
  const groupPoints: Record<string, string> = {};
  const standardCost: Record<string, Record<string, string>> = {};
  for (const level of factors.keys()) standardCost[level] = {};
  const skipped: string[] = [];
  for (const g of groups) {
    if (typeof g.key !== "string" || typeof g.score !== "string" || typeof g.avgCost !== "string") continue;
    // Score in micro-points → points to four decimals (ten-thousandths), half away from zero.
    const tenThousandths = divRound(parseRatio(g.score), 100);
    const avg: Fen = parseYuan(g.avgCost);
    if (tenThousandths <= 0 || avg <= 0) {
      skipped.push(g.key);
      continue;
    }
    groupPoints[g.key] = (tenThousandths / 10_000).toFixed(4);
    for (const [level, ppm] of factors) {
      const cost = mulPpm(avg, ppm);
      (standardCost[level] as Record<string, string>)[g.key] = formatYuan(cost > 0 ? cost : 1);
    }
  }
  const { fromCatalogue: _from, levelFactors: _factors, ...rest } = t;
  const data = {
    ...rest,
    groupPoints,
    standardCost,
    sources: [`DIP 病种目录 ${from.id}@${from.version}`, ...((rest.sources as string[] | undefined) ?? [])],
  };
  parseDipPaymentPolicy(data);
  return { data, groups: Object.keys(groupPoints).length, skipped };
}

/** Builds the policy from its catalogue and saves it as a new edition. */
export async function saveDipPolicyFromCatalogue(
  store: Store,
  template: unknown,
  actor: string,
): Promise<{ saved: StoredVersion; groups: number; skipped: readonly string[] }> {
  const b = await buildDipPolicyFromCatalogue(store, template);
  try {
    const saved = await saveVersion(store, "dipPolicy", b.data, { actor });
    return { saved: { ...saved, data: undefined }, groups: b.groups, skipped: b.skipped };
  } catch (e) {
    if (e instanceof PolicyDataError) throw new PaymentInputError(e.message);
    throw e;
  }
}
