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
import type { QcRuleSet } from "@yibao/settlement";
import { Type } from "typebox";
import { HttpError } from "../errors.js";
import { type PublishOutcome, QC_EDITION_NAMES, type QcEditionKind } from "../qc-editions.js";
import { problemsByRow, qcRulesWorkbook, readQcRulesWorkbook } from "../qc-excel.js";
import { DATE_PATTERN } from "../query-schemas.js";
import { PLATFORM_ROLES, type PlatformRole, routeAccess } from "../route-access.js";

const PUBLISHERS: readonly PlatformRole[] = ["bureau", "admin"];
const Id = Type.String({ minLength: 1, maxLength: 64 });
const Reason = Type.String({ minLength: 1, maxLength: 500, description: "发布原因（记入版本记录）" });

const EditionParams = Type.Object({ id: Id, version: Id }, { additionalProperties: false });
const PublishBody = Type.Object(
  {
    edition: Type.Record(Type.String(), Type.Unknown(), {
      description: "版本内容：与地区配置包中的格式相同",
    }),
    reason: Reason,
  },
  { additionalProperties: false },
);
/** Up to 8 MiB of workbook, base64-encoded. */
const MAX_WORKBOOK_BASE64 = Math.ceil((8 * 1024 * 1024) / 3) * 4;
const ImportBody = Type.Object(
  {
    id: Type.Optional(Id),
    version: Id,
    effectiveDate: Type.String({ pattern: DATE_PATTERN }),
    source: Type.Optional(Type.String({ maxLength: 200 })),
    reason: Reason,
    file: Type.String({
      minLength: 4,
      maxLength: MAX_WORKBOOK_BASE64,
      pattern: "^[A-Za-z0-9+/]*={0,2}$",
      description: "Excel 工作簿（.xlsx）的 Base64 编码",
    }),
  },
  { additionalProperties: false },
);

function actorOf(request: { principal?: { username: string } | null }): string {
  const p = request.principal;
  if (!p) throw new HttpError("UNAUTHENTICATED", "未登录或会话已过期，请重新登录");
  return p.username;
}

/** A publication's outcome as a reply: 201 written, 200 already there, else the refusal. */
function outcomeReply(
  kind: QcEditionKind,
  outcome: PublishOutcome,
  mapProblems = (p: readonly string[]) => [...p],
) {
  const name = QC_EDITION_NAMES[kind];
  if ("edition" in outcome) {
    const e = outcome.edition;
    return {
      statusCode: outcome.status === "created" ? 201 : 200,
      body: {
        status: outcome.status,
        message:
          outcome.status === "created"
            ? `${name}版本 ${e.id}@${e.version} 已发布，${e.effectiveDate} 起生效`
            : `${name}版本 ${e.id}@${e.version} 已发布过，内容相同，未重复发布`,
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

export const qcEditionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const book = app.yibao.qcEditions;
  const find = (kind: QcEditionKind, id: string, version: string) => {
    const e = (kind === "rules" ? book.rules : book.targets).find(
      (x) => x.id === id && x.version === version,
    );
    if (e === undefined)
      throw new HttpError("NOT_FOUND", `${QC_EDITION_NAMES[kind]}版本 ${id}@${version} 不存在`);
    return e;
  };

  // Static paths per kind (no `:kind` parameter): a wrong kind is a plain 404.
  for (const kind of ["rules", "targets"] as const) {
    app.get(
      `/editions/${kind}/:id/:version`,
      { config: routeAccess(PLATFORM_ROLES, "none"), schema: { params: EditionParams } },
      async (request) => {
        const { id, version } = request.params;
        const edition = find(kind, id, version);
        return { edition, provenance: book.provenance(kind, edition) };
      },
    );

    app.post(
      `/editions/${kind}`,
      {
        config: routeAccess(PUBLISHERS, "none", { action: `发布${QC_EDITION_NAMES[kind]}版本` }),
        schema: { body: PublishBody },
      },
      async (request, reply) => {
        const outcome = await book.publish(kind, request.body.edition, {
          actor: actorOf(request),
          reason: request.body.reason,
          source: "api",
        });
        const r = outcomeReply(kind, outcome);
        return reply.status(r.statusCode).send(r.body);
      },
    );
  }

  app.get(
    "/editions/rules/:id/:version/export",
    {
      config: routeAccess(PLATFORM_ROLES, "none"),
      schema: { params: Type.Object({ id: Id, version: Id }, { additionalProperties: false }) },
    },
    async (request, reply) => {
      const e = find("rules", request.params.id, request.params.version) as QcRuleSet;
      const name = `质控规则_${e.id}_${e.version}.xlsx`;
      return reply
        .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .header(
          "content-disposition",
          `attachment; filename="qc-rules.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .send(await qcRulesWorkbook(e));
    },
  );

  app.post(
    "/editions/rules/import",
    { config: routeAccess(PUBLISHERS, "none", { action: "导入质控规则版本" }), schema: { body: ImportBody } },
    async (request, reply) => {
      const b = request.body;
      const sheet = await readQcRulesWorkbook(Buffer.from(b.file, "base64"));
      if (sheet.problems.length > 0)
        throw new HttpError(
          "INVALID_WORKBOOK",
          `质控规则表未导入：${sheet.problems[0]}`,
          sheet.problems.map((message) => ({ field: "file", message })),
        );
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
      const outcome = await book.publish("rules", raw, {
        actor: actorOf(request),
        reason: b.reason,
        source: "excel",
      });
      const r = outcomeReply("rules", outcome, (p) => problemsByRow(p, sheet.rows));
      return reply.status(r.statusCode).send({ ...r.body, rules: sheet.rules.length });
    },
  );
};
