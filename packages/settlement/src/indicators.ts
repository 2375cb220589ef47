/**
 * 清单质控指标 (QC indicators) of a hospital and period, or of any sum of them: the platform's one
 * definition of each rate, computed from counts (the store keeps the counts; the API, the console and
 * the targets all read the rates from here). Rates are fractions in [0, 1], null when their
 * denominator is zero or unknown.
 *
 *   清单上传率 uploadRate     = lists ÷ settledCount        (the kernel's definition, `@yibao/kernel/rates`)
 *   质控通过率 qcPassRate     = accepted ÷ lists
 *   入组率     groupingRate   = (grouped + ambiguous) ÷ accepted   (QY 歧义组 included)
 *   歧义组占比 ambiguousShare = ambiguous ÷ accepted
 *   0000 组占比 ungroupedShare = ungrouped ÷ accepted
 */
import { uploadRate } from "@yibao/kernel/rates";

/** The counts the QC indicators are computed from (current versions of the lists). */
export interface QcCounts {
  /** Lists received (their current versions, accepted or refused). */
  readonly lists: number;
  /** Lists that passed QC. */
  readonly accepted: number;
  /** Lists whose current version was refused by QC. */
  readonly refused: number;
  /** Refused re-uploads of lists whose accepted version stayed in force. */
  readonly refusedReuploads: number;
  /** 应上传清单数 (from the settlement system), null when unknown. */
  readonly settledCount: number | null;
  /**
   * For a sum over hospitals and periods: the lists of those whose 应上传清单数 is known, the upload
   * rate's numerator (a period with no reported count says nothing about its upload rate). Absent for
   * one hospital and period, where it is `lists`.
   */
  readonly settledLists?: number;
  /** Accepted lists grouped into a DRG (neither QY nor 0000). */
  readonly grouped: number;
  /** Accepted lists in an ambiguous group (QY). */
  readonly ambiguous: number;
  /** Accepted lists in `0000`. */
  readonly ungrouped: number;
}

/** The QC indicators with the counts they come from. */
export interface QcIndicators extends QcCounts {
  readonly uploadRate: number | null;
  readonly qcPassRate: number | null;
  readonly groupingRate: number | null;
  readonly ambiguousShare: number | null;
  readonly ungroupedShare: number | null;
}

/** A rate as the fraction it is: numerator and denominator (null when the denominator is unknown). */
export interface RateParts {
  readonly numerator: number;
  readonly denominator: number | null;
}

/** The rates of the QC indicators, each as its numerator and denominator. */
export type QcRateId = "uploadRate" | "qcPassRate" | "groupingRate" | "ambiguousShare" | "ungroupedShare";

/** Each QC rate's numerator and denominator, from the counts. */
export function qcRateParts(c: QcCounts): Readonly<Record<QcRateId, RateParts>> {
  return {
    uploadRate: { numerator: c.settledLists ?? c.lists, denominator: c.settledCount },
    qcPassRate: { numerator: c.accepted, denominator: c.lists },
    groupingRate: { numerator: c.grouped + c.ambiguous, denominator: c.accepted },
    ambiguousShare: { numerator: c.ambiguous, denominator: c.accepted },
    ungroupedShare: { numerator: c.ungrouped, denominator: c.accepted },
  };
}

const ratio = ({ numerator, denominator }: RateParts): number | null =>
  denominator === null || denominator === 0 ? null : numerator / denominator;

/** The QC indicators of the counts. */
export function qcIndicatorsOf(c: QcCounts): QcIndicators {
  const parts = qcRateParts(c);
  return {
    ...c,
    uploadRate: uploadRate(parts.uploadRate.numerator, c.settledCount),
    qcPassRate: ratio(parts.qcPassRate),
    groupingRate: ratio(parts.groupingRate),
    ambiguousShare: ratio(parts.ambiguousShare),
    ungroupedShare: ratio(parts.ungroupedShare),
  };
}
