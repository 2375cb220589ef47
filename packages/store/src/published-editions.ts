/**
 * 规则版本发布记录 (published editions): the dated editions of regional rule tables that the bureau
 * publishes through the API or an Excel import, kept with who published them, when and why. An area
 * validates an edition with its own rules and `checkNewEdition` (@yibao/kernel) before it calls
 * {@link publishEdition}; this module only keeps them, and never updates one.
 */
import { type Kysely, sql } from "kysely";
import type { StoreTables } from "./schema.js";

/** A published edition as stored. */
export interface PublishedEdition {
  readonly seq: number;
  readonly kind: string;
  readonly id: string;
  readonly version: string;
  readonly effectiveDate: string;
  readonly data: unknown;
  readonly content: string;
  readonly source: string;
  readonly actor: string;
  readonly reason: string;
  /** ISO instant of publication. */
  readonly publishedAt: string;
}

/** A new edition to keep. */
export interface NewPublishedEdition {
  readonly kind: string;
  readonly id: string;
  readonly version: string;
  readonly effectiveDate: string;
  readonly data: unknown;
  readonly content: string;
  readonly source: "api" | "excel";
  readonly actor: string;
  readonly reason: string;
}

/** The published editions of `kind`, by effective date. */
export async function listPublishedEditions(
  db: Kysely<StoreTables>,
  kind: string,
): Promise<PublishedEdition[]> {
  const rows = await db
    .selectFrom("published_edition")
    .selectAll()
    .where("kind", "=", kind)
    .orderBy("effective_date")
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    kind: r.kind,
    id: r.edition_id,
    version: r.version,
    effectiveDate: r.effective_date,
    data: r.data,
    content: r.content,
    source: r.source,
    actor: r.actor,
    reason: r.reason,
    publishedAt: new Date(r.published_at).toISOString(),
  }));
}

/**
 * A key that changes whenever an edition of one of `kinds` is published (how many there are and the
 * last sequence number): a process compares it to know whether its copy is current.
 */
export async function publishedEditionsKey(
  db: Kysely<StoreTables>,
  kinds: readonly string[],
): Promise<string> {
  const r = await sql<{ n: string | number; last: string | number | null }>`SELECT count(*) AS n,
    max(seq) AS last FROM published_edition WHERE kind = ANY(${[...kinds]}::text[])`.execute(db);
  const row = r.rows[0];
  return `${Number(row?.n ?? 0)}:${Number(row?.last ?? 0)}`;
}

/**
 * Keeps `edition`. Returns false, writing nothing, when its id and version or its effective date are
 * already taken for its kind (another process published first: the caller reads again and reports it).
 */
export async function publishEdition(
  db: Kysely<StoreTables>,
  edition: NewPublishedEdition,
): Promise<boolean> {
  const r = await db
    .insertInto("published_edition")
    .values({
      kind: edition.kind,
      edition_id: edition.id,
      version: edition.version,
      effective_date: edition.effectiveDate,
      data: JSON.stringify(edition.data),
      content: edition.content,
      source: edition.source,
      actor: edition.actor,
      reason: edition.reason,
    })
    .onConflict((oc) => oc.doNothing())
    .returning("seq")
    .executeTakeFirst();
  return r !== undefined;
}
