/**
 * 质控规则与质控目标的版本册 (the QC editions a server checks lists by): the built-in or region-pack
 * editions given at start, and the editions the bureau published since through the API or an Excel
 * import, one {@link EditionShelf} each. A published edition is validated exactly as a pack's is,
 * never edited afterwards, and takes effect today or later, so no list already checked would be
 * checked differently.
 */
import {
  checkQcRuleEdition,
  DEFAULT_QC_RULES,
  DEFAULT_QC_TARGETS,
  type QcEditions,
  type QcRuleSet,
  type QcTargetSet,
  validateQcTargetSet,
} from "@yibao/settlement";
import type { StoreTables } from "@yibao/store";
import type { Kysely } from "kysely";
import { createEditionShelf, type EditionKind, type EditionShelf } from "./edition-shelf.js";

/** The two QC tables a bureau publishes editions of. */
export type QcEditionKind = "rules" | "targets";
/** Chinese names of the kinds, for messages. */
export const QC_EDITION_NAMES: Readonly<Record<QcEditionKind, string>> = {
  rules: "质控规则",
  targets: "质控目标",
};

const stamp = (e: QcRuleSet | QcTargetSet) => ({
  id: e.id,
  version: e.version,
  effectiveDate: e.effectiveDate,
});

/** 质控规则: shape and check kinds, then every rule's parameters compiled in both modes. */
export const QC_RULE_EDITIONS: EditionKind<QcRuleSet> = {
  storeKind: "qc-rules",
  name: QC_EDITION_NAMES.rules,
  read(raw) {
    const r = checkQcRuleEdition(raw);
    return r.ruleSet
      ? { edition: r.ruleSet, problems: [] }
      : { problems: r.problems.map((p) => (r.label ? `${r.label}：${p}` : p)) };
  },
  stamp,
};

/** 质控目标: indicators, comparisons and ratios. */
export const QC_TARGET_EDITIONS: EditionKind<QcTargetSet> = {
  storeKind: "qc-targets",
  name: QC_EDITION_NAMES.targets,
  read(raw) {
    const t = validateQcTargetSet(raw);
    return t.set ? { edition: t.set, problems: [] } : { problems: t.problems };
  },
  stamp,
};

/** The QC rule and target editions of a server: two shelves. */
export interface QcEditionBook {
  readonly rulesShelf: EditionShelf<QcRuleSet>;
  readonly targetsShelf: EditionShelf<QcTargetSet>;
  /** The rule editions in force by date: the base ones, then the published ones. */
  readonly rules: readonly QcRuleSet[];
  /** The target editions in force by date. */
  readonly targets: readonly QcTargetSet[];
  /** Reads the published editions of both tables again when they changed. */
  load(): Promise<void>;
  /** {@link load} when the last check is older than `maxAgeMs`; a failure keeps what was read. */
  refreshIfStale(maxAgeMs?: number): Promise<void>;
}

/** `base`: the region pack's editions (either list may be absent or empty: the built-in one is used). */
export function createQcEditionBook(db: Kysely<StoreTables>, base?: Partial<QcEditions>): QcEditionBook {
  const rulesShelf = base?.rules?.length
    ? createEditionShelf(db, QC_RULE_EDITIONS, base.rules, "pack")
    : createEditionShelf(db, QC_RULE_EDITIONS, [DEFAULT_QC_RULES], "built-in");
  const targetsShelf = base?.targets?.length
    ? createEditionShelf(db, QC_TARGET_EDITIONS, base.targets, "pack")
    : createEditionShelf(db, QC_TARGET_EDITIONS, [DEFAULT_QC_TARGETS], "built-in");
  return {
    rulesShelf,
    targetsShelf,
    get rules() {
      return rulesShelf.all;
    },
    get targets() {
      return targetsShelf.all;
    },
    async load() {
      await rulesShelf.load();
      await targetsShelf.load();
    },
    async refreshIfStale(maxAgeMs = 1000) {
      await rulesShelf.refreshIfStale(maxAgeMs);
      await targetsShelf.refreshIfStale(maxAgeMs);
    },
  };
}
