/**
 * 两库的版本册 (the audit's rule base and knowledge base editions a server audits by): the built-in
 * and region-pack editions, and those the bureau published since through the API, one
 * `EditionShelf` each (validated by the audit core's own readers, never edited once published, in
 * force from today or later, kept with who, when and why).
 */
import { type KnowledgeBase, type RuleBase, readKnowledgeBase, readRuleBase } from "@yibao/audit";
import { createEditionShelf, type EditionKind, type EditionShelf } from "@yibao/server";
import type { StoreTables } from "@yibao/store";
import type { Kysely } from "kysely";
import { type AuditLibraries, STARTER_LIBRARIES } from "./context.js";

const stamp = (e: RuleBase | KnowledgeBase) => ({
  id: e.id,
  version: e.version,
  effectiveDate: e.effectiveFrom,
});

/** 审核规则库: the rules, their parameters and the response deadline. */
export const RULE_BASE_EDITIONS: EditionKind<RuleBase> = {
  storeKind: "audit-rules",
  name: "审核规则库",
  read(raw) {
    const r = readRuleBase(raw);
    return r.value ? { edition: r.value, problems: [] } : { problems: r.problems };
  },
  stamp,
};

/** 审核知识库: item and drug knowledge, diagnosis restrictions, exclusive pairs, payment limits. */
export const KNOWLEDGE_BASE_EDITIONS: EditionKind<KnowledgeBase> = {
  storeKind: "audit-knowledge",
  name: "审核知识库",
  read(raw) {
    const r = readKnowledgeBase(raw);
    return r.value ? { edition: r.value, problems: [] } : { problems: r.problems };
  },
  stamp,
};

export class AuditLibraryBook {
  readonly rulesShelf: EditionShelf<RuleBase>;
  readonly knowledgeShelf: EditionShelf<KnowledgeBase>;
  #libraries: AuditLibraries | null = null;

  /** `base`: the built-in editions with a region pack's (default: the built-in ones). */
  constructor(db: Kysely<StoreTables>, base: AuditLibraries = STARTER_LIBRARIES, fromPack = false) {
    const origin = fromPack ? "pack" : "built-in";
    this.rulesShelf = createEditionShelf(db, RULE_BASE_EDITIONS, base.ruleBases, origin);
    this.knowledgeShelf = createEditionShelf(db, KNOWLEDGE_BASE_EDITIONS, base.knowledgeBases, origin);
  }

  /** The editions as libraries; the same object until an edition is published. */
  get libraries(): AuditLibraries {
    const ruleBases = this.rulesShelf.all;
    const knowledgeBases = this.knowledgeShelf.all;
    if (this.#libraries?.ruleBases !== ruleBases || this.#libraries.knowledgeBases !== knowledgeBases)
      this.#libraries = { ruleBases, knowledgeBases };
    return this.#libraries;
  }

  /** Reads the published editions again when they changed. */
  async load(): Promise<void> {
    await this.rulesShelf.load();
    await this.knowledgeShelf.load();
  }

  /** {@link load} when the last check is older than `maxAgeMs`; a failure keeps what was read. */
  async refreshIfStale(maxAgeMs = 1000): Promise<void> {
    await this.rulesShelf.refreshIfStale(maxAgeMs);
    await this.knowledgeShelf.refreshIfStale(maxAgeMs);
  }
}

/** The libraries to audit by from the command line: the pack's (or built-in) and the published ones. */
export async function publishedLibraries(
  db: Kysely<StoreTables>,
  base: AuditLibraries | null,
): Promise<AuditLibraries> {
  const book = new AuditLibraryBook(db, base ?? STARTER_LIBRARIES, base !== null);
  await book.load();
  return book.libraries;
}
