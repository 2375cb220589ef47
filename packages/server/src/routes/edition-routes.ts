/**
 * The routes of one shelf of dated editions ({@link EditionShelf}), mounted by each area that lets the
 * bureau publish a regional table (QC rules and targets, the audit's rule and knowledge bases):
 * - `GET {path}/:id/:version`: one edition whole, with who published it, when and why (any role);
 * - `POST {path}` (医保局、管理员): a new edition as JSON `{edition, reason}`: 201 published, 200 when
 *   the same edition is already there (nothing written), 400/409 with every problem when refused.
 * Each publication is also written to the operation log (the route's action). A table kept as an Excel
 * workbook (QC rules, the audit rule base) adds an export and an import route with the pieces below.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { Type } from "typebox";
import { type EditionShelf, publicationReply, publisherOf } from "../edition-shelf.js";
import { HttpError } from "../errors.js";
import { DATE_PATTERN } from "../query-schemas.js";
import { PLATFORM_ROLES, type PlatformRole, routeAccess } from "../route-access.js";

/** Who may publish an edition: the bureau and the administrator. */
export const EDITION_PUBLISHERS: readonly PlatformRole[] = ["bureau", "admin"];

const Id = Type.String({ minLength: 1, maxLength: 64 });
/** 发布原因: required, kept with the edition. */
export const PublicationReason = Type.String({
  minLength: 1,
  maxLength: 500,
  description: "发布原因（记入版本记录）",
});
export const EditionParams = Type.Object({ id: Id, version: Id }, { additionalProperties: false });

/** Up to 8 MiB of workbook, base64-encoded. */
const MAX_WORKBOOK_BASE64 = Math.ceil((8 * 1024 * 1024) / 3) * 4;

/**
 * The fields of an Excel import's body: the edition's id (else the workbook's 「版本」 sheet's), its
 * version, first day in force, the reason, and the workbook as base64.
 */
export const EDITION_IMPORT_FIELDS = {
  id: Type.Optional(Id),
  version: Id,
  effectiveDate: Type.String({ pattern: DATE_PATTERN }),
  reason: PublicationReason,
  file: Type.String({
    minLength: 4,
    maxLength: MAX_WORKBOOK_BASE64,
    pattern: "^[A-Za-z0-9+/]*={0,2}$",
    description: "Excel 工作簿（.xlsx）的 Base64 编码",
  }),
};

/** Sends a workbook as a download named `name` (`fallback`: the ASCII name for old clients). */
export function sendWorkbook(reply: FastifyReply, fallback: string, name: string, bytes: Buffer) {
  return reply
    .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    .header(
      "content-disposition",
      `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .send(bytes);
}

/** A workbook refused before validation (400 `INVALID_WORKBOOK`), every problem listed. */
export function workbookRefused(table: string, problems: readonly string[]): HttpError {
  return new HttpError(
    "INVALID_WORKBOOK",
    `${table}未导入：${problems[0] ?? "工作簿不合法"}`,
    problems.map((message) => ({ field: "file", message })),
  );
}
const PublishBody = Type.Object(
  {
    edition: Type.Record(Type.String(), Type.Unknown(), {
      description: "版本内容：与地区配置包中的格式相同",
    }),
    reason: PublicationReason,
  },
  { additionalProperties: false },
);

/** The edition of `shelf` with this id and version, or a 404 naming it. */
export function findEdition<E>(shelf: EditionShelf<E>, id: string, version: string): E {
  const e = shelf.all.find((x) => {
    const s = shelf.kind.stamp(x);
    return s.id === id && s.version === version;
  });
  if (e === undefined) throw new HttpError("NOT_FOUND", `${shelf.kind.name}版本 ${id}@${version} 不存在`);
  return e;
}

/** Mounts the read and publish routes of `shelf` at `path` (relative to the caller's prefix). */
export function editionRoutes<E>(app: FastifyInstance, path: string, shelf: EditionShelf<E>): void {
  app.get(
    `${path}/:id/:version`,
    { config: routeAccess(PLATFORM_ROLES, "none"), schema: { params: EditionParams } },
    async (request) => {
      const p = request.params as { id: string; version: string };
      const edition = findEdition(shelf, p.id, p.version);
      return { edition, provenance: shelf.provenance(edition) };
    },
  );
  app.post(
    path,
    {
      config: routeAccess(EDITION_PUBLISHERS, "none", { action: `发布${shelf.kind.name}版本` }),
      schema: { body: PublishBody },
    },
    async (request, reply) => {
      const b = request.body as { edition: Record<string, unknown>; reason: string };
      const outcome = await shelf.publish(b.edition, {
        actor: publisherOf(request),
        reason: b.reason,
        source: "api",
      });
      const r = publicationReply(shelf, outcome);
      return reply.status(r.statusCode).send(r.body);
    },
  );
}
