/**
 * 质控规则版本的发布 (publishing QC editions), under /api/v1/qc:
 * - `GET /editions/rules|targets/:id/:version`: one edition whole, with who published it (any platform
 *   role);
 * - `POST /editions/rules|targets` (医保局、管理员): a new rule or target edition as JSON;
 * - `GET /editions/rules/:id/:version/export`: a rule edition as an Excel workbook;
 * - `POST /editions/rules/import` (医保局、管理员): a new rule edition from such a workbook.
 * A new edition is validated as a region pack's is, takes effect today or later (China Standard
 * Time), and never replaces a released one: the same version with the same content is answered 200
 * and writes nothing, with other content 409. Each publication is kept with who, when and why, and
 * written to the operation log.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { publicationReply, publisherOf } from "../edition-shelf.js";
import { HttpError } from "../errors.js";
import { problemsByRow } from "../excel-table.js";
import { qcRulesWorkbook, readQcRulesWorkbook } from "../qc-excel.js";
import { PLATFORM_ROLES, routeAccess } from "../route-access.js";
import {
  EDITION_IMPORT_FIELDS,
  EDITION_PUBLISHERS,
  EditionParams,
  editionRoutes,
  findEdition,
  sendWorkbook,
  workbookRefused,
} from "./edition-routes.js";

const ImportBody = Type.Object(
  { ...EDITION_IMPORT_FIELDS, source: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export const qcEditionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const book = app.yibao.qcEditions;
  editionRoutes(app, "/editions/rules", book.rulesShelf);
  editionRoutes(app, "/editions/targets", book.targetsShelf);

  app.get(
    "/editions/rules/:id/:version/export",
    {
      config: routeAccess(PLATFORM_ROLES, "none"),
      schema: { params: EditionParams },
    },
    async (request, reply) => {
      const e = findEdition(book.rulesShelf, request.params.id, request.params.version);
      const name = `质控规则_${e.id}_${e.version}.xlsx`;
      return sendWorkbook(reply, "qc-rules.xlsx", name, await qcRulesWorkbook(e));
    },
  );

  app.post(
    "/editions/rules/import",
    {
      config: routeAccess(EDITION_PUBLISHERS, "none", { action: "导入质控规则版本" }),
      schema: { body: ImportBody },
    },
    async (request, reply) => {
      const b = request.body;
      const sheet = await readQcRulesWorkbook(Buffer.from(b.file, "base64"));
      if (sheet.problems.length > 0) throw workbookRefused("质控规则表", sheet.problems);
      const id = b.id ?? sheet.id;
      if (!id)
        throw new HttpError(
          "INVALID_EDITION",
          "质控规则表未导入：请填写规则集编号（id），工作簿的「版本」表中也没有",
        );
      const source = b.source ?? sheet.source;
      const raw = {
        id,
        version: b.version,
        effectiveDate: b.effectiveDate,
        ...(source ? { source } : {}),
        rules: sheet.rules,
      };
      const outcome = await book.rulesShelf.publish(raw, {
        actor: publisherOf(request),
        reason: b.reason,
        source: "excel",
      });
      const r = publicationReply(book.rulesShelf, outcome, (p) => problemsByRow(p, sheet.rows));
      return reply.status(r.statusCode).send({ ...r.body, rules: sheet.rules.length });
    },
  );
};
