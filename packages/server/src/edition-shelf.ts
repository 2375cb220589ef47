/**
 * 规则版本册 (a shelf of dated editions of one regional table): the editions given at start (built in,
 * or the region pack's) and those the bureau published since (the store's `published_edition`, with
 * who, when and why). A published edition is read with the same validator as a pack's, never edited
 * afterwards, and takes effect today or later (`checkNewEdition`), so nothing already checked, paid
 * or audited would be judged differently. Every process reads the published editions again within a
 * second of a change ({@link EditionShelf.refreshIfStale}), so several servers on one database agree.
 * The QC rules and targets (`QcEditionBook`) and the audit's rule and knowledge bases each keep one.
 */
import { canonicalJson, checkNewEdition, type EditionStamp } from "@yibao/kernel";
import { shanghaiDate } from "@yibao/kernel/calendar";
import {
  listPublishedEditions,
  type PublishedEdition,
  publishEdition,
  publishedEditionsKey,
  type StoreTables,
} from "@yibao/store";
import type { Kysely } from "kysely";
import { HttpError } from "./errors.js";

/** Where an edition came from: built in, the region pack, or published by the bureau (JSON or Excel). */
export type EditionOrigin = "built-in" | "pack" | "api" | "excel";

/** Who published an edition, when and why (the audit trail); null for built-in and pack editions. */
export interface EditionProvenance {
  readonly origin: EditionOrigin;
  readonly actor: string | null;
  readonly reason: string | null;
  readonly publishedAt: string | null;
}

/** What a shelf holds: how its editions are read, named and dated. */
export interface EditionKind<E> {
  /** `published_edition.kind`, e.g. `qc-rules`. */
  readonly storeKind: string;
  /** Chinese name, for messages, e.g. 质控规则. */
  readonly name: string;
  /** The edition as accepted from its input form (parsed JSON), or every problem in Chinese. */
  readonly read: (raw: unknown) => { edition?: E; problems: readonly string[] };
  /** Its id, version and first day in force. */
  readonly stamp: (edition: E) => EditionStamp;
}

/** What publishing gave: written, already there, or refused with the reasons. */
export type PublishOutcome<E> =
  | { readonly status: "created" | "unchanged"; readonly edition: E }
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

/**
 * A shelf of one table's editions (an interface, so that the type is structural: a test compiled from
 * the sources and a package compiled from `dist` see the same type).
 */
export interface EditionShelf<E> {
  readonly kind: EditionKind<E>;
  /** Every edition: the base ones, then the published ones. */
  readonly all: readonly E[];
  /** Where `edition` (one of this shelf's, by id and version) came from, and who published it. */
  provenance(edition: E): EditionProvenance;
  /** Reads the published editions again when they changed; throws when a stored one no longer validates. */
  load(): Promise<void>;
  /** {@link load} when the last check is older than `maxAgeMs`; a failure keeps what was read. */
  refreshIfStale(maxAgeMs?: number): Promise<void>;
  /** Publishes a new edition from its input form (kept as given). */
  publish(raw: unknown, meta: PublishMeta, today?: string): Promise<PublishOutcome<E>>;
}

/** A shelf of `kind` holding `base` (non-empty, from the region pack or built in) and the published editions. */
export function createEditionShelf<E>(
  db: Kysely<StoreTables>,
  kind: EditionKind<E>,
  base: readonly E[],
  baseOrigin: "built-in" | "pack",
): EditionShelf<E> {
  return new Shelf(db, kind, base, baseOrigin);
}

class Shelf<E> implements EditionShelf<E> {
  readonly kind: EditionKind<E>;
  readonly #db: Kysely<StoreTables>;
  readonly #base: readonly E[];
  readonly #baseOrigin: EditionOrigin;
  #published: readonly PublishedEdition[] = [];
  #all: readonly E[];
  #key = "";
  #checkedAt = Number.NEGATIVE_INFINITY;

  /** `base`: the editions given at start (non-empty), from the region pack or built in. */
  constructor(
    db: Kysely<StoreTables>,
    kind: EditionKind<E>,
    base: readonly E[],
    baseOrigin: "built-in" | "pack",
  ) {
    this.kind = kind;
    this.#db = db;
    this.#base = base;
    this.#baseOrigin = baseOrigin;
    this.#all = base;
  }

  /** Every edition: the base ones, then the published ones. */
  get all(): readonly E[] {
    return this.#all;
  }

  /** Where `edition` (one of this shelf's, by id and version) came from, and who published it. */
  provenance(edition: E): EditionProvenance {
    const s = this.kind.stamp(edition);
    const p = this.#published.find((e) => e.id === s.id && e.version === s.version);
    if (p === undefined) return { origin: this.#baseOrigin, actor: null, reason: null, publishedAt: null };
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
    const key = await publishedEditionsKey(this.#db, [this.kind.storeKind]);
    this.#checkedAt = Date.now();
    if (key === this.#key) return;
    const published = await listPublishedEditions(this.#db, this.kind.storeKind);
    const editions = published.map((p) => {
      const r = this.kind.read(p.data);
      if (r.edition === undefined)
        throw new Error(
          `已发布的${this.kind.name}版本 ${p.id}@${p.version} 未通过校验：${r.problems.join("；")}`,
        );
      return r.edition;
    });
    this.#published = published;
    this.#all = [...this.#base, ...editions];
    this.#key = key;
  }

  /**
   * {@link load} when the last check is older than `maxAgeMs`. A failure (the database unreachable)
   * keeps the editions already read: work goes on by what was in force a moment ago.
   */
  async refreshIfStale(maxAgeMs = 1000): Promise<void> {
    if (Date.now() - this.#checkedAt < maxAgeMs) return;
    this.#checkedAt = Date.now();
    await this.load().catch(() => undefined);
  }

  /**
   * Publishes a new edition from its input form `raw`: read as a pack's would be, then checked
   * against every edition known (never an edit of a released one, today or later, one per date).
   * `raw` is what is kept, so that it is read again by the same validator.
   */
  async publish(
    raw: unknown,
    meta: PublishMeta,
    today: string = shanghaiDate(Date.now()),
  ): Promise<PublishOutcome<E>> {
    const read = this.kind.read(raw);
    if (read.edition === undefined) return { status: "invalid", problems: read.problems };
    const edition = read.edition;
    const stamp = this.kind.stamp(edition);
    const candidate = { ...stamp, content: canonicalJson(edition) };
    for (let attempt = 0; attempt < 2; attempt++) {
      await this.load();
      const known = this.#all.map((e) => ({ ...this.kind.stamp(e), content: canonicalJson(e) }));
      const check = checkNewEdition(known, candidate, today);
      if (check.kind === "unchanged") return { status: "unchanged", edition };
      if (check.kind !== "new") return { status: check.kind, problems: check.problems };
      const written = await publishEdition(this.#db, {
        kind: this.kind.storeKind,
        ...stamp,
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

/** The user publishing (the principal the access layer authenticated). */
export function publisherOf(request: { principal?: { username: string } | null }): string {
  const p = request.principal;
  if (!p) throw new HttpError("UNAUTHENTICATED", "未登录或会话已过期，请重新登录");
  return p.username;
}

/**
 * A publication's outcome as a reply: 201 written, 200 already there (nothing written); a refusal is
 * thrown as 400 `INVALID_EDITION`, 409 `VERSION_EXISTS` or 409 `EDITION_DATE_TAKEN` with every problem
 * (`mapProblems` may place them, e.g. by Excel row).
 */
export function publicationReply<E>(
  shelf: EditionShelf<E>,
  outcome: PublishOutcome<E>,
  mapProblems: (p: readonly string[]) => string[] = (p) => [...p],
): { statusCode: 200 | 201; body: { status: string; message: string; edition: EditionStamp } } {
  const name = shelf.kind.name;
  if ("edition" in outcome) {
    const e = shelf.kind.stamp(outcome.edition);
    const label = `${name}版本 ${e.id}@${e.version}`;
    return {
      statusCode: outcome.status === "created" ? 201 : 200,
      body: {
        status: outcome.status,
        message:
          outcome.status === "created"
            ? `${label} 已发布，${e.effectiveDate} 起生效`
            : `${label} 已发布过，内容相同，未重复发布`,
        edition: { id: e.id, version: e.version, effectiveDate: e.effectiveDate },
      },
    };
  }
  const problems = mapProblems(outcome.problems);
  const details = problems.map((message) => ({ field: "edition", message }));
  const code =
    outcome.status === "released"
      ? "VERSION_EXISTS"
      : outcome.status === "dateTaken"
        ? "EDITION_DATE_TAKEN"
        : "INVALID_EDITION";
  throw new HttpError(code, `${name}版本未发布：${problems[0] ?? "不合法"}`, details);
}
