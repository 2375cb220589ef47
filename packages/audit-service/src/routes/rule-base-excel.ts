/**
 * 审核规则表的 Excel 导入导出, under /api/v1/audit:
 * - `GET /rule-bases/:id/:version/export` (any platform role, as the edition's JSON is): a rule base
 *   edition as an Excel workbook, one row per rule;
 * - `POST /rule-bases/import` (医保局、管理员): a new rule base edition from such a workbook, published
 *   through the same shelf as a JSON edition (validated by `readRuleBase`, today or later, never an
 *   edit of a released version, kept with who, when and why, its origin recorded as Excel). Every
 *   problem names its row and column; any problem refuses the whole edition.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { RuleBase } from "@yibao/audit";
import {
  EDITION_IMPORT_FIELDS,
  EDITION_PUBLISHERS,
  EditionParams,
  type EditionShelf,
  findEdition,
  HttpError,
  PLATFORM_ROLES,
  publicationReply,
  publisherOf,
  routeAccess,
  sendWorkbook,
  workbookRefused,
} from "@yibao/server";
import { Type } from "typebox";
import { placeRuleBaseProblems, readRuleBaseWorkbook, ruleBaseWorkbook } from "../rule-excel.js";

const ImportBody = Type.Object(EDITION_IMPORT_FIELDS, { additionalProperties: false });
const TABLE = "审核规则表";

/** The export and import routes of the rule base editions on `shelf`. */
export function ruleBaseExcelRoutes(shelf: EditionShelf<RuleBase>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/rule-bases/:id/:version/export",
      { config: routeAccess(PLATFORM_ROLES, "none"), schema: { params: EditionParams } },
      async (request, reply) => {
        const e = findEdition(shelf, request.params.id, request.params.version);
        const name = `审核规则库_${e.id}_${e.version}.xlsx`;
        return sendWorkbook(reply, "audit-rules.xlsx", name, await ruleBaseWorkbook(e));
      },
    );

    app.post(
      "/rule-bases/import",
      {
        config: routeAccess(EDITION_PUBLISHERS, "none", { action: "导入审核规则库版本" }),
        schema: { body: ImportBody },
      },
      async (request, reply) => {
        const b = request.body;
        const sheet = await readRuleBaseWorkbook(Buffer.from(b.file, "base64"));
        // The file itself unreadable, a column missing, no rule: nothing to validate.
        if (sheet.rules.length === 0) throw workbookRefused(TABLE, sheet.problems);
        const id = b.id ?? sheet.id;
        if (!id)
          throw new HttpError(
            "INVALID_EDITION",
            `${TABLE}未导入：请填写规则库编号（id），工作簿的「版本」表中也没有`,
          );
        const raw = {
          id,
          region: sheet.region,
          version: b.version,
          effectiveFrom: b.effectiveDate,
          // A new edition is open-ended: a later one takes over from its own date.
          effectiveTo: null,
          rules: sheet.rules,
          ...(sheet.response ? { response: sheet.response } : {}),
        };
        // A cell the sheet could not read: every problem of the workbook at once, the validator's too.
        if (sheet.problems.length > 0)
          throw workbookRefused(TABLE, placeRuleBaseProblems(shelf.kind.read(raw).problems, sheet));
        const outcome = await shelf.publish(raw, {
          actor: publisherOf(request),
          reason: b.reason,
          source: "excel",
        });
        const r = publicationReply(shelf, outcome, (p) =>
          // Problems of the sheet's rows are placed on it; the date and version checks stay as they are.
          placeRuleBaseProblems(p, sheet),
        );
        return reply.status(r.statusCode).send({ ...r.body, rules: sheet.rules.length });
      },
    );
  };
}
