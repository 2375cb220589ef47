/**
 * 质控规则与质控目标的版本册 (the QC editions a server checks lists by): the built-in or region-pack
 * editions given at start, and the editions the bureau published since through the API or an Excel
 * import (kept in the store's `published_edition`, with who, when and why). A published edition is
 * validated exactly as a pack's is, never edited afterwards, and takes effect today or later, so no
 * list already checked would be checked differently. Every process reads the published editions
 * again within a second of a change, so several servers on one database agree.
 */
import { canonicalJson, checkNewEdition } from "@yibao/kernel";
import { shanghaiDate } from "@yibao/kernel/calendar";
import {
  checkQcRuleEdition,
  DEFAULT_QC_RULES,
  DEFAULT_QC_TARGETS,
  type QcEditions,
  type QcRuleSet,
  type QcTargetSet,
  validateQcTargetSet,
} from "@yibao/settlement";
import {
  listPublishedEditions,
  type PublishedEdition,
  publishEdition,
  publishedEditionsKey,
  type StoreTables,
} from "@yibao/store";
import type { Kysely } from "kysely";

/** The two QC tables a bureau publishes editions of, and their kind in `published_edition`. */
export const QC_EDITION_KINDS = { rules: "qc-rules", targets: "qc-targets" } as const;
export type QcEditionKind = keyof typeof QC_EDITION_KINDS;
/** Chinese names of the kinds, for messages. */
export const QC_EDITION_NAMES: Readonly<Record<QcEditionKind, string>> = {
  rules: "质控规则",
  targets: "质控目标",
};

/** Where an edition came from: built in, the region pack, or published by the bureau (JSON or Excel). */
export type EditionOrigin = "built-in" | "pack" | "api" | "excel";

/** Who published an edition, when and why (the audit trail); null for built-in and pack editions. */
export interface EditionProvenance {
  readonly origin: EditionOrigin;
  readonly actor: string | null;
  readonly reason: string | null;
  readonly publishedAt: string | null;
}

type QcEdition = QcRuleSet | QcTargetSet;

/** A QC edition as given (parsed JSON): the edition as accepted, or every problem in Chinese. */
export function readQcEdition(
  kind: QcEditionKind,
  raw: unknown,
): { edition?: QcEdition; problems: string[] } {
  if (kind === "rules") {
    const r = checkQcRuleEdition(raw);
    return r.ruleSet
      ? { edition: r.ruleSet, problems: [] }
      : { problems: r.problems.map((p) => (r.label ? `${r.label}：${p}` : p)) };
  }
  const t = validateQcTargetSet(raw);
  return t.set ? { edition: t.set, problems: [] } : { problems: t.problems };
}

/** What publishing gave: written, already there, or refused with the reasons. */
export type PublishOutcome =
  | { readonly status: "created" | "unchanged"; readonly edition: QcEdition }
  | {
      readonly status: "invalid" | "refused" | "released" | "dateTaken";
      readonly problems: readonly string[];
    };

/** Who publishes, why, and how the edition arrived. */
export interface PublishMeta {
  readonly actor: string;
  readonly reason: string;
  readonly source: "api" | "excel";
}

export class QcEditionBook {
  readonly #db: Kysely<StoreTables>;
  readonly #base: { readonly rules: readonly QcRuleSet[]; readonly targets: readonly QcTargetSet[] };
  readonly #baseOrigin: Readonly<Record<QcEditionKind, EditionOrigin>>;
  #published: Readonly<Record<QcEditionKind, readonly PublishedEdition[]>> = { rules: [], targets: [] };
  #rules: readonly QcRuleSet[];
  #targets: readonly QcTargetSet[];
  #key = "";
  #checkedAt = Number.NEGATIVE_INFINITY;

  /** `base`: the region pack's editions (either list may be absent or empty: the built-in one is used). */
  constructor(db: Kysely<StoreTables>, base?: Partial<QcEditions>) {
    this.#db = db;
    const rules = base?.rules?.length ? base.rules : [DEFAULT_QC_RULES];
    const targets = base?.targets?.length ? base.targets : [DEFAULT_QC_TARGETS];
    this.#base = { rules, targets };
    this.#baseOrigin = {
      rules: base?.rules?.length ? "pack" : "built-in",
      targets: base?.targets?.length ? "pack" : "built-in",
    };
    this.#rules = rules;
    this.#targets = targets;
  }

  /** The rule editions in force by date: the base ones, then the published ones. */
  get rules(): readonly QcRuleSet[] {
    return this.#rules;
  }

  /** The target editions in force by date. */
  get targets(): readonly QcTargetSet[] {
    return this.#targets;
  }

  /** Where `edition` (one of this book's) came from, and who published it. */
  provenance(kind: QcEditionKind, edition: { id: string; version: string }): EditionProvenance {
    const p = this.#published[kind].find((e) => e.id === edition.id && e.version === edition.version);
    if (p === undefined)
      return { origin: this.#baseOrigin[kind], actor: null, reason: null, publishedAt: null };
    return {
      origin: p.source === "excel" ? "excel" : "api",
      actor: p.actor,
      reason: p.reason,
      publishedAt: p.publishedAt,
    };
  }

  /**
   * Reads the published editions again when they changed. Throws when a stored edition no longer
   * passes validation (a code change refused what was accepted), naming it.
   */
  async load(): Promise<void> {
    const key = await publishedEditionsKey(this.#db, Object.values(QC_EDITION_KINDS));
    this.#checkedAt = Date.now();
    if (key === this.#key) return;
    const published = {
      rules: await listPublishedEditions(this.#db, QC_EDITION_KINDS.rules),
      targets: await listPublishedEditions(this.#db, QC_EDITION_KINDS.targets),
    };
    const read = (kind: QcEditionKind) =>
      published[kind].map((p) => {
        const r = readQcEdition(kind, p.data);
        if (!r.edition)
          throw new Error(
            `已发布的${QC_EDITION_NAMES[kind]}版本 ${p.id}@${p.version} 未通过校验：${r.problems.join("；")}`,
          );
        return r.edition;
      });
    const rules = read("rules") as QcRuleSet[];
    const targets = read("targets") as QcTargetSet[];
    this.#published = published;
    this.#rules = [...this.#base.rules, ...rules];
    this.#targets = [...this.#base.targets, ...targets];
    this.#key = key;
  }

  /**
   * {@link load} when the last check is older than `maxAgeMs`. A failure (the database unreachable)
   * keeps the editions already read: the lists are still checked, by what was in force a moment ago.
   */
  async refreshIfStale(maxAgeMs = 1000): Promise<void> {
    if (Date.now() - this.#checkedAt < maxAgeMs) return;
    this.#checkedAt = Date.now();
    await this.load().catch(() => undefined);
  }

  /**
   * Publishes a new edition of `kind`: validated as a pack's would be, then checked against every
   * edition known (`checkNewEdition`: never an edit of a released one, today or later, one per date).
   */
  async publish(
    kind: QcEditionKind,
    raw: unknown,
    meta: PublishMeta,
    today: string = shanghaiDate(Date.now()),
  ): Promise<PublishOutcome> {
    const read = readQcEdition(kind, raw);
    if (!read.edition) return { status: "invalid", problems: read.problems };
    const edition = read.edition;
    const candidate = { ...stampOf(edition), content: canonicalJson(edition) };
    for (let attempt = 0; attempt < 2; attempt++) {
      await this.load();
      const known = (kind === "rules" ? this.#rules : this.#targets).map((e) => ({
        ...stampOf(e),
        content: canonicalJson(e),
      }));
      const check = checkNewEdition(known, candidate, today);
      if (check.kind === "unchanged") return { status: "unchanged", edition };
      if (check.kind !== "new") return { status: check.kind, problems: check.problems };
      const written = await publishEdition(this.#db, {
        kind: QC_EDITION_KINDS[kind],
        ...stampOf(edition),
        // As given: a target edition's validated form (ratios in ppm) is not its input form.
        data: raw,
        content: candidate.content,
        ...meta,
      });
      if (written) {
        await this.load();
        return { status: "created", edition };
      }
      // Another process took the version or the date in between: read again and say which.
    }
    return {
      status: "dateTaken",
      problems: ["另一个请求同时发布了同一版本或同一生效日期的版本，请刷新后重试"],
    };
  }
}

function stampOf(e: QcEdition): { id: string; version: string; effectiveDate: string } {
  return { id: e.id, version: e.version, effectiveDate: e.effectiveDate };
}
