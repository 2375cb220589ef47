/**
 * Quality-control defects (质控缺陷) of a demo region: the mistakes real hospitals make when they
 * upload settlement lists — a late upload, a required field left empty, a code that is not a 医保版
 * code, money that does not balance. The region's generator writes clean lists; a few percent of them
 * are then spoiled here, each with one labelled defect, so that the bureau's intake (parse → QC →
 * group) finds them as it would find a hospital's: the console's 质控问题 and 质控申诉 pages then
 * have something to show. Which list gets which defect depends only on the seed and the list's
 * `setl_id` (the same region always has the same defects); the clean lists are not touched.
 */
import { addDays } from "@yibao/kernel/calendar";
import { hash32, Rng, unitHash } from "./random.js";
import type { SettlementMessage } from "./types.js";

/**
 * The defects, each with the QC rule the intake reports it under and whether that rule refuses the
 * list (an `error` rule) or accepts it with a warning.
 */
export const QC_DEFECTS = {
  /** 超期上传: declared 9–20 days after 结算结束日期 (the deadline is 8 days). */
  late_upload: { ruleId: "QC-TIME-001", refused: true, name: "超期上传" },
  /** 必填项缺失: 联系人电话, 病案号 or 票据号码 left empty. */
  missing_field: { ruleId: "QC-REQ-001", refused: true, name: "必填项缺失" },
  /** 编码错误: the principal diagnosis written as a code outside the 医保版 dictionary. */
  bad_code: { ruleId: "QC-CODE-002", refused: true, name: "诊断编码错误" },
  /** 费用总额不平: 个人现金支付 (and 个人自付 with it) higher than the fees leave. */
  fee_total: { ruleId: "QC-FEE-002", refused: true, name: "费用总额不平" },
  /** 个人负担不平: 个人自付 written higher than 个人账户 + 个人现金 (a warning, the list is accepted). */
  personal_share: { ruleId: "QC-FEE-003", refused: false, name: "个人负担不平" },
} as const;

export type QcDefectKind = keyof typeof QC_DEFECTS;

/**
 * Each defect's share of all lists (the demo's default): 2.8% of lists carry a defect, 2.2% are
 * refused, 0.6% accepted with a warning.
 */
export const DEFAULT_QC_DEFECT_SHARES: Readonly<Record<QcDefectKind, number>> = {
  late_upload: 0.008,
  missing_field: 0.005,
  bad_code: 0.005,
  fee_total: 0.004,
  personal_share: 0.006,
};

/** Salt of the defect draw, apart from every other draw of the generator. */
const DEFECT_SALT = 0x51c0de;

/** The defect list `setlId` of a region of `seed` gets, or null (most lists). */
export function qcDefectOf(
  seed: number,
  setlId: string,
  shares: Readonly<Record<QcDefectKind, number>> = DEFAULT_QC_DEFECT_SHARES,
): QcDefectKind | null {
  let u = unitHash(setlId, (DEFECT_SALT ^ seed) >>> 0);
  for (const kind of Object.keys(QC_DEFECTS) as QcDefectKind[]) {
    const share = shares[kind];
    if (u < share) return kind;
    u -= share;
  }
  return null;
}

const round2 = (yuan: number): number => Math.round(yuan * 100) / 100;

/** Fields a coder leaves empty (all required in every list). */
const MISSING = ["coner_tel", "medcasno", "bill_no"] as const;

/**
 * A copy of `message` with the defect `kind` written into it; `seed` chooses the details (how many
 * days late, which field, how much money). The original message is not changed.
 */
export function withQcDefect(
  message: SettlementMessage,
  kind: QcDefectKind,
  seed: number,
): SettlementMessage {
  const m = structuredClone(message);
  const info = m.input.setlinfo;
  const rng = new Rng((seed ^ DEFECT_SALT) >>> 0, hash32(info.setl_id));
  switch (kind) {
    case "late_upload": {
      const clock = info.dcla_time.length >= 19 ? info.dcla_time.slice(11, 19) : "10:00:00";
      info.dcla_time = `${addDays(info.setl_end_date, rng.range(9, 20))} ${clock}`;
      break;
    }
    case "missing_field":
      info[MISSING[rng.int(MISSING.length)] ?? "coner_tel"] = "";
      break;
    case "bad_code": {
      const principal = m.input.diseinfo.find((d) => d.maindiag_flag === "1") ?? m.input.diseinfo[0];
      // A clinical-version suffix the 医保版 dictionary does not have (e.g. K35.800x001 → K35.800x991).
      if (principal) principal.diag_code = `${principal.diag_code.slice(0, 7)}x99${rng.range(1, 9)}`;
      break;
    }
    case "fee_total": {
      const extra = rng.range(1, 50) * 10;
      info.psn_cashpay = round2(info.psn_cashpay + extra);
      info.psn_selfpay = round2(info.psn_selfpay + extra);
      break;
    }
    case "personal_share":
      info.psn_selfpay = round2(info.psn_selfpay + rng.range(1, 30) * 10);
      break;
  }
  return m;
}
