/** 指标: the overview (totals, trend and where the figures come from), the hospitals' ranking and the drill-down. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { emptyCounts, indicatorValues } from "@yibao/indicators";
import { departmentName } from "@yibao/server";
import { listHospitals } from "@yibao/store";
import { sql } from "kysely";
import { Type } from "typebox";
import { cubeState } from "../cube.js";
import { type Dimension, type IndicatorQuery, queryCmiBySchemes, queryIndicators } from "../indicator-sql.js";
import type { ConsoleDb } from "../schema.js";
import type { ConsoleSources } from "../sources.js";
import {
  ALL,
  access,
  type ConsoleRouteOptions,
  checkRange,
  fmtInt,
  fmtYuan,
  Hospital,
  Period,
  ScopedPeriod,
  schemeNameOf,
  schemeOrder,
} from "./shared.js";

/**
 * Where the overview's figures come from, in words: the weight tables and payment policies (with
 * their rate) that settled the stays in view, and the audit findings with what was recovered.
 */
async function figureNotes(
  db: ConsoleDb,
  sources: ConsoleSources,
  q: { hospital?: string | undefined; periodFrom?: string | undefined; periodTo?: string | undefined },
  counts: { paidCases: number; cases: number; auditFindings: number; recoveredFen: number } | null,
): Promise<string[]> {
  const notes: string[] = [];
  if (sources.payment) {
    const used = await sql<{
      weights_id: string;
      weights_version: string;
      policy_id: string;
      policy_version: string;
      method: string | null;
      rate: string | null;
      n: number;
    }>`SELECT ss.weights_id, ss.weights_version, ss.policy_id, ss.policy_version, ss.policy_method AS method,
        ss.policy_rate AS rate, count(*)::int AS n
      FROM payment_settled_stay ss
      JOIN settlement_list l ON l.setl_id = ss.setl_id AND l.version = ss.list_version AND l.status = 'accepted'
      WHERE (${q.hospital ?? null}::text IS NULL OR ss.hospital_code = ${q.hospital ?? null})
        AND (${q.periodFrom ?? null}::text IS NULL OR l.period >= ${q.periodFrom ?? null})
        AND (${q.periodTo ?? null}::text IS NULL OR l.period <= ${q.periodTo ?? null})
      GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY n DESC, 1, 2, 3, 4`.execute(db);
    if (used.rows.length === 0) notes.push("所选范围尚无结算：CMI 与结余/超支在按期结算后显示");
    else {
      const parts = used.rows.map((u) => {
        const rate =
          u.rate === null
            ? ""
            : `，${u.method === "point" ? "测算费率" : "费率"} ${fmtYuan(Math.round(Number(u.rate) * 100))} 元`;
        return `权重表 ${u.weights_id}（版本 ${u.weights_version}）、支付政策 ${u.policy_id}（版本 ${u.policy_version}${rate}）${fmtInt(u.n)} 例`;
      });
      const unsettled = (counts?.cases ?? 0) - (counts?.paidCases ?? 0);
      notes.push(
        `CMI 与结余/超支按结算所用的权重与支付计算：${parts.join("；")}${
          unsettled > 0 ? `；尚未结算 ${fmtInt(unsettled)} 例不计入` : ""
        }`,
      );
    }
  } else notes.push("未接入支付结算：不显示 CMI 与结余/超支");
  if (sources.audit && counts) {
    notes.push(
      `审核发现问题数与追回金额来自智能审核：所选范围发现问题 ${fmtInt(counts.auditFindings)} 条，已扣款追回 ${fmtYuan(counts.recoveredFen)} 元`,
    );
  } else if (!sources.audit) notes.push("未接入智能审核：审核发现问题数与追回金额为 0");
  return notes;
}

/** One scheme's CMI as the API reports it: the scheme, its weighted stays and their CMI. */
export interface SchemeCmi {
  readonly schemeId: string;
  readonly schemeName: string;
  /** Settled stays with a relative weight (the CMI's denominator). */
  readonly cases: number;
  readonly cmi: number | null;
}

/**
 * CMI per grouping scheme for each row of `q.dims` (keyed by the dimensions' values joined by `|`),
 * schemes in calendar order. One scheme's relative weights do not measure another's groups, so where
 * two schemes grouped a row's lists the pages show one CMI per scheme instead of a mixed one.
 */
async function cmiBySchemes(
  db: ConsoleDb,
  schemes: Parameters<typeof schemeNameOf>[0],
  q: IndicatorQuery,
): Promise<Map<string, SchemeCmi[]>> {
  const rows = await queryCmiBySchemes(db, q);
  const out = new Map<string, SchemeCmi[]>();
  for (const r of rows) {
    const key = q.dims.map((d) => r.keys[d] ?? "").join("|");
    const list = out.get(key) ?? [];
    list.push({
      schemeId: r.schemeId,
      schemeName: schemeNameOf(schemes, r.schemeId),
      cases: r.weightedCases,
      cmi: r.cmi,
    });
    out.set(key, list);
  }
  for (const list of out.values())
    list.sort((a, b) => schemeOrder(schemes, a.schemeId) - schemeOrder(schemes, b.schemeId));
  return out;
}

const BreakdownQuery = Type.Object(
  {
    hospital: Hospital,
    periodFrom: Period,
    periodTo: Period,
    dim: Type.Union([
      Type.Literal("dept"),
      Type.Literal("physician"),
      Type.Literal("drg"),
      Type.Literal("period"),
    ]),
  },
  { additionalProperties: false },
);

export function indicatorRoutes(
  options: Pick<ConsoleRouteOptions, "db" | "storeDb" | "sources">,
): FastifyPluginAsyncTypebox {
  const { db, storeDb } = options;
  return async (app) => {
    app.get(
      "/overview",
      { config: access(ALL, "query"), schema: { querystring: ScopedPeriod } },
      async (request) => {
        const q = request.query;
        checkRange(q);
        const [[total], trend, state, bySchemes] = await Promise.all([
          queryIndicators(db, { dims: [], ...q }),
          queryIndicators(db, { dims: ["period"], ...q }),
          cubeState(db),
          cmiBySchemes(db, app.yibao.schemes, { dims: [], ...q }),
        ]);
        return {
          hospital: q.hospital ?? null,
          values: total?.values ?? null,
          counts: total?.counts ?? null,
          cmiBySchemes: bySchemes.get("") ?? [],
          trend: trend.map((r) => ({ period: r.keys.period?.trim(), values: r.values })),
          cube: state,
          notes: await figureNotes(db, options.sources, q, total?.counts ?? null),
        };
      },
    );

    app.get(
      "/ranking",
      { config: access(ALL, "query"), schema: { querystring: ScopedPeriod } },
      async (request) => {
        const q = request.query;
        checkRange(q);
        const [found, hospitals, bySchemes] = await Promise.all([
          queryIndicators(db, { dims: ["hospital"], ...q }),
          listHospitals(storeDb, { code: q.hospital }),
          cmiBySchemes(db, app.yibao.schemes, { dims: ["hospital"], ...q }),
        ]);
        const names = new Map(hospitals.map((h) => [h.code, h]));
        // Every registered hospital is listed, one without stays in the range with zeros.
        const seen = new Set(found.map((r) => r.keys.hospital));
        const zero = indicatorValues(emptyCounts());
        const rows = [
          ...found,
          ...hospitals
            .filter((h) => !seen.has(h.code))
            .map((h) => ({ keys: { hospital: h.code }, values: zero })),
        ].sort((a, b) => ((a.keys.hospital ?? "") < (b.keys.hospital ?? "") ? -1 : 1));
        return {
          rows: rows.map((r) => {
            const code = r.keys.hospital ?? "";
            return {
              hospital: code,
              name: names.get(code)?.name ?? code,
              level: names.get(code)?.level ?? null,
              ...r.values,
              cmiBySchemes: bySchemes.get(code) ?? [],
            };
          }),
        };
      },
    );

    app.get(
      "/breakdown",
      { config: access(ALL, "query"), schema: { querystring: BreakdownQuery } },
      async (request) => {
        const q = request.query;
        checkRange(q);
        const dims: Dimension[] = q.dim === "drg" || q.dim === "period" ? [q.dim] : [q.dim];
        const rows = await queryIndicators(db, {
          dims,
          hospital: q.hospital,
          periodFrom: q.periodFrom,
          periodTo: q.periodTo,
        });
        return {
          hospital: q.hospital ?? null,
          dim: q.dim,
          rows: rows.map((r) => {
            const key = (r.keys[q.dim] ?? "").trim();
            const label =
              key === "" && q.dim !== "period"
                ? "（未关联清单的审核发现）"
                : q.dim === "drg"
                  ? (app.yibao.schemes.drgName(key) ?? (key === "0000" ? "未入组" : key))
                  : q.dim === "physician"
                    ? r.physicianName || key
                    : q.dim === "dept"
                      ? (departmentName(key) ?? key)
                      : key;
            return { key, label, ...r.values };
          }),
        };
      },
    );
  };
}
