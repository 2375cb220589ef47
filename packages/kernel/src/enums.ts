/**
 * Shared enumerations with their Chinese names (枚举与中文名称). Each list is the one definition;
 * its type is derived from it, so a value cannot be added to one without the other.
 */

/**
 * 违规类型: the nine DRG violation types of the DRG irregularity typology (分解住院, 重复住院, 选择患者,
 * 低指征住院, 低码高编 in its two forms, 高码低编, 转嫁费用, 有意歧义, 违规收费跃迁档次) and item rules.
 */
export const VIOLATION_TYPES = [
  "split_admission",
  "repeated_admission",
  "patient_selection",
  "low_indication",
  "upcoding_secondary",
  "upcoding_principal",
  "downcoding_outlier",
  "cost_shifting",
  "qy_ambiguity",
  "tier_crossing",
  "item_rule",
] as const;
export type ViolationType = (typeof VIOLATION_TYPES)[number];

/** Chinese names of the violation types (违规类型名称). 低码高编 covers 升级诊断, 虚假诊断 and 多编诊断. */
export const VIOLATION_TYPE_NAMES: Readonly<Record<ViolationType, string>> = {
  split_admission: "分解住院",
  repeated_admission: "重复住院",
  patient_selection: "选择患者（推诿重症）",
  low_indication: "低指征住院",
  upcoding_secondary: "低码高编（虚假/多编次要诊断）",
  upcoding_principal: "低码高编（升级主要诊断）",
  downcoding_outlier: "高码低编（进入高倍率）",
  cost_shifting: "转嫁费用",
  qy_ambiguity: "有意歧义（QY）",
  tier_crossing: "违规收费跃迁结算档次",
  item_rule: "项目规则（政策/管理/医疗类）",
};

/** True when `v` is a violation type. */
export function isViolationType(v: unknown): v is ViolationType {
  return typeof v === "string" && (VIOLATION_TYPES as readonly string[]).includes(v);
}

/** 角色: 医保局 bureau, 医院 hospital, 审核员 reviewer, 管理员 admin. */
export const ROLES = ["bureau", "hospital", "reviewer", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  bureau: "医保局",
  hospital: "医院",
  reviewer: "审核员",
  admin: "管理员",
};

/**
 * How a hospital account is held to its own data (医院数据范围) on a route: `query` forces the
 * `hospital` query parameter, `setlId` checks the list named by `:setlId`, `envelopes` every posted
 * envelope's institution, `handler` leaves it to the handler, `none` when the route reads no
 * hospital's data.
 */
export const HOSPITAL_SCOPES = ["query", "setlId", "envelopes", "handler", "none"] as const;
export type HospitalScope = (typeof HOSPITAL_SCOPES)[number];
export const HOSPITAL_SCOPE_NAMES: Readonly<Record<HospitalScope, string>> = {
  query: "按查询参数 hospital 限定本院",
  setlId: "按结算ID核对所属医院",
  envelopes: "按报文定点医药机构核对",
  handler: "由处理程序限定",
  none: "不涉及医院数据",
};

/** 分组状态 of a settlement list. */
export const GROUP_STATUSES = ["OK", "AMBIGUOUS", "UNGROUPABLE", "CHECK_FAILED"] as const;
export type GroupStatusCode = (typeof GROUP_STATUSES)[number];
export const GROUP_STATUS_NAMES: Readonly<Record<GroupStatusCode, string>> = {
  OK: "正常入组",
  AMBIGUOUS: "歧义组(QY)",
  UNGROUPABLE: "未入组(0000)",
  CHECK_FAILED: "校验未通过(0000)",
};

/** 清单状态: accepted (已接收) or refused at intake (已拒收). */
export const LIST_STATUSES = ["accepted", "refused"] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];
export const LIST_STATUS_NAMES: Readonly<Record<ListStatus, string>> = {
  accepted: "已接收",
  refused: "已拒收",
};

/** 申诉状态 of a hospital's appeal. */
export const APPEAL_STATUSES = ["pending", "accepted", "rejected"] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];
export const APPEAL_STATUS_NAMES: Readonly<Record<AppealStatus, string>> = {
  pending: "待审核",
  accepted: "申诉成立",
  rejected: "申诉驳回",
};
