/** 试分组 (what-if, nothing stored): QC, grouping and the payment estimate of a list that is not stored. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { access, type ConsoleRouteOptions, type WhatIfEstimate } from "./shared.js";

export function whatIfRoutes(options: Pick<ConsoleRouteOptions, "estimate">): FastifyPluginAsyncTypebox {
  const { estimate: estimator } = options;
  return async (app) => {
    app.post(
      "/what-if",
      {
        config: access(["hospital", "bureau", "reviewer", "admin"], "envelopes", "试分组（不保存）"),
        schema: { body: Type.Object({}, { additionalProperties: true }) },
      },
      async (request) => {
        const prepared = app.yibao.prepareList(request.body, new Date());
        const findings = prepared.findings.map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          field: f.field,
          message: f.message,
        }));
        const accepted = !prepared.envelopeInvalid && !findings.some((f) => f.severity === "error");
        // What settlement would pay: the payment area's own code, the policy and weights in force.
        let estimate: WhatIfEstimate | null = null;
        let estimateProblem: string | null = null;
        const drg = prepared.group?.drg;
        // Also for a list QC would refuse (late, say): the card says so beside the estimate.
        if (estimator && prepared.upload && prepared.group) {
          try {
            estimate = await estimator(prepared.upload.list);
          } catch (e) {
            // A stay settlement cannot settle (no policy in force on its date, DRG not in the weights).
            estimateProblem = e instanceof Error ? e.message : String(e);
          }
        }
        request.oplogDetail = { setlId: prepared.setlId, drg: drg ?? null };
        return {
          setlId: prepared.setlId,
          accepted,
          envelopeInvalid: prepared.envelopeInvalid,
          findings,
          group: prepared.group,
          estimate,
          estimateProblem,
        };
      },
    );
  };
}
