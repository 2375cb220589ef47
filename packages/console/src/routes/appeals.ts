/** 申诉: a hospital's appeal against a QC finding, the appeals in view, and the reviewer's decision. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { HttpError, requirePrincipal } from "@yibao/server";
import { Type } from "typebox";
import { ALL, access, type ConsoleRouteOptions, Hospital, IdParams } from "./shared.js";

const AppealQuery = Type.Object(
  {
    hospital: Hospital,
    status: Type.Optional(
      Type.Union([Type.Literal("pending"), Type.Literal("accepted"), Type.Literal("rejected")]),
    ),
  },
  { additionalProperties: false },
);

const AppealBody = Type.Object(
  {
    setlId: Type.String({ minLength: 1, maxLength: 30 }),
    seq: Type.Integer({ minimum: 0, maximum: 9999 }),
    reason: Type.String({ minLength: 2, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

const DecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal("accepted"), Type.Literal("rejected")]),
    comment: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export function appealRoutes(options: Pick<ConsoleRouteOptions, "db">): FastifyPluginAsyncTypebox {
  const { db } = options;
  return async (app) => {
    app.get(
      "/appeals",
      { config: access(ALL, "query"), schema: { querystring: AppealQuery } },
      async (request) => {
        let query = db.selectFrom("console_appeal").selectAll().orderBy("id", "desc").limit(2000);
        if (request.query.hospital) query = query.where("hospital_code", "=", request.query.hospital);
        if (request.query.status) query = query.where("status", "=", request.query.status);
        return { rows: await query.execute() };
      },
    );

    app.post(
      "/appeals",
      { config: access(["hospital"], "handler", "提交申诉"), schema: { body: AppealBody } },
      async (request, reply) => {
        const user = requirePrincipal(request);
        const b = request.body;
        const finding = await db
          .selectFrom("qc_finding as f")
          .innerJoin("settlement_list as s", (j) =>
            j.onRef("s.setl_id", "=", "f.setl_id").onRef("s.version", "=", "f.version"),
          )
          .select(["f.setl_id", "f.version", "f.seq", "f.rule_id", "f.message", "s.hospital_code"])
          .where("f.setl_id", "=", b.setlId)
          .where("f.seq", "=", b.seq)
          .executeTakeFirst();
        if (!finding || finding.hospital_code !== user.hospitalCode) {
          throw new HttpError("NOT_FOUND", `未找到本院清单 ${b.setlId} 的第 ${b.seq + 1} 条质控结果`);
        }
        const inserted = await db
          .insertInto("console_appeal")
          .values({
            setl_id: finding.setl_id,
            version: finding.version,
            seq: finding.seq,
            rule_id: finding.rule_id,
            finding_message: finding.message,
            hospital_code: finding.hospital_code,
            reason: b.reason,
            status: "pending",
            filed_by: user.username,
            filed_at: new Date(),
            decided_by: null,
            decided_at: null,
            decision_comment: null,
          })
          .onConflict((oc) => oc.columns(["setl_id", "version", "seq"]).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!inserted) throw new HttpError("CONFLICT", "该质控结果已提交过申诉");
        request.oplogDetail = {
          appealId: inserted.id,
          setlId: b.setlId,
          seq: b.seq,
          ruleId: finding.rule_id,
        };
        return reply.status(201).send(inserted);
      },
    );

    app.post(
      "/appeals/:id/decision",
      {
        config: access(["reviewer", "bureau"], "none", "审核申诉"),
        schema: { params: IdParams, body: DecisionBody },
      },
      async (request) => {
        const id = Number(request.params.id);
        const updated = await db
          .updateTable("console_appeal")
          .set({
            status: request.body.decision,
            decided_by: requirePrincipal(request).username,
            decided_at: new Date(),
            decision_comment: request.body.comment,
          })
          .where("id", "=", id)
          .where("status", "=", "pending")
          .returningAll()
          .executeTakeFirst();
        if (!updated) {
          const exists = await db
            .selectFrom("console_appeal")
            .select("status")
            .where("id", "=", id)
            .executeTakeFirst();
          if (!exists) throw new HttpError("NOT_FOUND", `申诉不存在：${id}`);
          throw new HttpError("CONFLICT", "该申诉已审核，不能重复审核");
        }
        request.oplogDetail = { appealId: id, decision: request.body.decision, setlId: updated.setl_id };
        return updated;
      },
    );
  };
}
