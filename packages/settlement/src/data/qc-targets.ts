import { createRequire } from "node:module";
import type { QcTargetSet } from "../qc-targets.js";
import { validateQcTargetSet } from "../qc-targets.js";

/**
 * 质控目标 (default edition): Shenyang's targets for the settlement lists of every hospital — upload
 * rate at least 95%, and under 0.3% of accepted lists in 0000 (seed 001, 沈阳市 DRG 结算清单质控). A
 * region publishes its own edition (same shape), validated by `validateQcTargetSet`.
 */
/** The default edition as a region pack writes it: `qc-targets.json` of the demo region pack. */
export const DEFAULT_QC_TARGETS_DATA: Readonly<Record<string, unknown>> = createRequire(import.meta.url)(
  "@yibao/region-demo/qc-targets.json",
);

const checked = validateQcTargetSet(DEFAULT_QC_TARGETS_DATA);
if (!checked.set) throw new Error(`默认质控目标无效：${checked.problems.join("；")}`);

export const DEFAULT_QC_TARGETS: QcTargetSet = checked.set;
