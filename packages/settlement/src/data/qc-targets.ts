import type { QcTargetSet } from "../qc-targets.js";
import { validateQcTargetSet } from "../qc-targets.js";

/**
 * 质控目标 (default edition): Shenyang's targets for the settlement lists of every hospital — upload
 * rate at least 95%, and under 0.3% of accepted lists in 0000 (seed 001, 沈阳市 DRG 结算清单质控). A
 * region publishes its own edition (same shape), validated by `validateQcTargetSet`.
 */
/** The default edition as a region pack writes it (`qc-targets.json`). */
export const DEFAULT_QC_TARGETS_DATA = {
  id: "settlement-list-qc-targets",
  version: "2024.1",
  effectiveDate: "2024-01-01",
  source: "沈阳市 DRG 付费结算清单质控：清单上传率不低于 95%，0000 组病例占比低于 0.3%",
  targets: [
    { indicator: "uploadRate", comparison: ">=", value: "95%" },
    { indicator: "ungroupedShare", comparison: "<", value: "0.3%" },
  ],
};

const checked = validateQcTargetSet(DEFAULT_QC_TARGETS_DATA);
if (!checked.set) throw new Error(`默认质控目标无效：${checked.problems.join("；")}`);

export const DEFAULT_QC_TARGETS: QcTargetSet = checked.set;
