/**
 * 清单上传率 (the settlement-list upload rate): the platform's one definition (issue 12), used by the QC
 * indicators of the settlement package, the store's QC indicators and the indicator catalogue alike.
 *
 *   清单上传率 = 收到的结算清单数 ÷ 应上传清单数
 *
 * - numerator: the distinct lists (setl_id) received for the hospital and period, accepted or refused
 *   by QC — a list that arrived, whatever QC then said of it;
 * - denominator: the inpatient settlements that should each have a list (应上传清单数, reported by the
 *   settlement system; in the indicator catalogue, the counted stays);
 * - undefined (null) when the denominator is unknown or zero.
 *
 * Why this one: with it the three QC rates form a chain that counts each failure once — upload rate
 * (did the list arrive) × QC pass rate (accepted ÷ received) = accepted ÷ expected; a list refused by QC
 * (a late one included: QC-TIME-001 refuses a list uploaded more than 8 days after its settlement ended,
 * judged by its original upload time for a history import) lowers the QC pass rate, not the upload
 * rate. And every area can compute it from what it holds: the store counts received lists and keeps
 * 应上传清单数, the indicator cubes count stays with a list.
 */

/** The indicator's id, Chinese name and formula (the catalogue and the docs show this text). */
export const UPLOAD_RATE = {
  id: "uploadRate",
  name: "清单上传率",
  formula: "收到的结算清单数（含质控未通过的）÷ 应上传清单数（应有结算清单的住院结算数）",
} as const;

/** 清单上传率 = received ÷ expected; null when `expected` is unknown (null) or zero. */
export function uploadRate(received: number, expected: number | null): number | null {
  return expected === null || expected === 0 ? null : received / expected;
}
