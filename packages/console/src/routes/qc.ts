/** 质控: QC findings by rule, from the store's finding summary. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { sql } from "kysely";
import { ALL, access, type ConsoleRouteOptions, checkRange, ScopedPeriod } from "./shared.js";

export function qcRoutes(options: Pick<ConsoleRouteOptions, "db">): FastifyPluginAsyncTypebox {
  const { db } = options;
  return async (app) => {
    app.get(
      "/qc/rules",
      { config: access(ALL, "query"), schema: { querystring: ScopedPeriod } },
      async (request) => {
        const q = request.query;
        checkRange(q);
        // From the store's finding summary (kept with every upload), not the findings themselves.
        let query = db
          .selectFrom("qc_finding_count as f")
          .select([
            "f.rule_id as ruleId",
            "f.severity as severity",
            sql<string>`min(f.message) FILTER (WHERE f.findings > 0)`.as("message"),
            sql<number>`sum(f.findings)`.as("findings"),
            sql<number>`sum(f.lists)`.as("lists"),
            sql<number>`count(DISTINCT f.hospital_code) FILTER (WHERE f.findings > 0)`.as("hospitals"),
          ])
          .groupBy(["f.rule_id", "f.severity"])
          .having(sql<boolean>`sum(f.findings) > 0`)
          .orderBy("findings", "desc")
          .orderBy("f.rule_id")
          .orderBy("f.severity");
        if (q.hospital) query = query.where("f.hospital_code", "=", q.hospital);
        if (q.periodFrom) query = query.where("f.period", ">=", q.periodFrom);
        if (q.periodTo) query = query.where("f.period", "<=", q.periodTo);
        const rows = await query.execute();
        return {
          rows: rows.map((r) => ({
            ...r,
            findings: Number(r.findings),
            lists: Number(r.lists),
            hospitals: Number(r.hospitals),
          })),
        };
      },
    );
  };
}
