/**
 * Versioned region data (版本化的地方政策数据) and the errors of this package.
 *
 * Every policy, weight table and benefit policy carries `id`, `version`, `effectiveFrom` and an
 * optional `effectiveTo`, both ISO dates (`YYYY-MM-DD`) and both INCLUSIVE. The version in force
 * on a date is the one whose interval contains it; when several do, the latest `effectiveFrom`.
 */
import { isIsoDate } from "@yibao/kernel/calendar";

export { dayNumber, isIsoDate } from "@yibao/kernel/calendar";

/** Header of every versioned data set (版本信息). */
export interface Versioned {
  readonly id: string;
  readonly version: string;
  /** 生效日期 (inclusive). */
  readonly effectiveFrom: string;
  /** 失效日期 (inclusive); null or absent: open-ended. */
  readonly effectiveTo?: string | null;
}

/**
 * Invalid policy/table data (政策数据错误): names the data set, the field path and the rule.
 * Message in Chinese.
 */
export class PolicyDataError extends Error {
  override name = "PolicyDataError";
  constructor(
    readonly dataset: string,
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${dataset}：字段 ${field}：${rule}`);
  }
}

/**
 * A stay that cannot be settled (结算错误): names the record, the field and the rule; batch
 * callers catch it per record and carry on.
 */
export class SettlementError extends Error {
  override name = "SettlementError";
  constructor(
    readonly record: string,
    readonly field: string,
    readonly rule: string,
  ) {
    super(`病例 ${record}：字段 ${field}：${rule}`);
  }
}

/** True when the versioned item is in force on `date` (inclusive bounds). */
export function isEffectiveOn(item: Versioned, date: string): boolean {
  return item.effectiveFrom <= date && (item.effectiveTo == null || date <= item.effectiveTo);
}

/**
 * Picks the version in force on `date` (按日期选取生效版本): the one whose interval contains the
 * date, the latest `effectiveFrom` when several do; undefined when none does.
 */
export function selectEffective<T extends Versioned>(items: readonly T[], date: string): T | undefined {
  let best: T | undefined;
  for (const it of items) {
    if (isEffectiveOn(it, date) && (best === undefined || it.effectiveFrom > best.effectiveFrom)) best = it;
  }
  return best;
}

/** Validates the versioned header of raw data; throws `PolicyDataError`. */
export function readVersioned(raw: Record<string, unknown>, dataset: string): Versioned {
  const id = raw.id;
  const version = raw.version;
  if (typeof id !== "string" || id.length === 0) throw new PolicyDataError(dataset, "id", "须为非空字符串");
  if (typeof version !== "string" || version.length === 0) {
    throw new PolicyDataError(dataset, "version", "须为非空字符串");
  }
  if (!isIsoDate(raw.effectiveFrom)) {
    throw new PolicyDataError(dataset, "effectiveFrom", "须为 YYYY-MM-DD 格式的日期");
  }
  const to = raw.effectiveTo;
  if (to != null && !isIsoDate(to)) throw new PolicyDataError(dataset, "effectiveTo", "须为日期或 null");
  if (to != null && (to as string) < raw.effectiveFrom) {
    throw new PolicyDataError(dataset, "effectiveTo", "失效日期早于生效日期");
  }
  return {
    id,
    version,
    effectiveFrom: raw.effectiveFrom,
    effectiveTo: (to as string | null | undefined) ?? null,
  };
}
