/**
 * The grouping contract: what goes into the DRG grouper and what comes out.
 * Field names follow `schemes/README.md` (the input format of the labelled vectors).
 */

import type { GroupStatusCode } from "@yibao/kernel/enums";

/** 性别: "1" male, "2" female, "" missing. */
export type Sex = "1" | "2" | "";

/**
 * 分组病例: one inpatient stay as the grouper sees it, already mapped to insurance codes.
 * `diagnoses[0]` is the principal diagnosis (主要诊断), `procedures[0]` the principal
 * procedure (主要手术操作).
 */
export interface GroupingRecord {
  readonly id: string;
  readonly sex: Sex;
  /** 年龄(岁). */
  readonly ageYears: number | null;
  /** 年龄不足1周岁的天数: set only for patients under one year. */
  readonly ageDays: number | null;
  /** 新生儿出生体重 in grams. */
  readonly birthWeight: number | null;
  /** 出院科别. */
  readonly dept: string;
  /** 住院天数 (length of stay). */
  readonly los: number;
  /** 离院方式 (code table dscg_way). */
  readonly dischargeWay: string;
  readonly diagnoses: readonly string[];
  readonly procedures: readonly string[];
}

/**
 * 分组状态:
 * - `OK`: grouped into a DRG (入组);
 * - `AMBIGUOUS`: an ambiguous group `xQY` (歧义组);
 * - `UNGROUPABLE`: no group matched, DRG `0000` (未入组);
 * - `CHECK_FAILED`: the record failed the pre-grouping checks, DRG `0000` (数据校验未通过).
 */
export type GroupStatus = GroupStatusCode;

/** The DRG code of records that could not be grouped. */
export const UNGROUPED_DRG = "0000";

/** One step of the explanation of a grouping result (分组依据), in Chinese. */
export interface GroupReason {
  /** What stage the reason belongs to. */
  readonly stage: "check" | "mdc" | "adrg" | "drg" | "cc" | "qy";
  /** The code this step is about (MDC letter, ADRG or DRG code, a diagnosis code), if any. */
  readonly code?: string;
  readonly message: string;
}

/** 分组结果. */
export interface GroupResult {
  readonly id: string;
  readonly status: GroupStatus;
  /** 主要诊断大类 (MDC letter), null when no MDC matched. */
  readonly mdc: string | null;
  /** 核心疾病诊断相关组 (ADRG code), null when none matched (also for QY results). */
  readonly adrg: string | null;
  /** DRG code, `xQY` for ambiguous results or `0000`. */
  readonly drg: string;
  /** DRG name in Chinese. */
  readonly drgName: string;
  /** 分组依据: present when the caller asked for an explanation. */
  readonly reasons?: readonly GroupReason[];
}
