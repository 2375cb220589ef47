/**
 * 清单质控指标: GET /api/v1/qc/indicators?hospital&period|periodFrom&periodTo — the indicators of the
 * range, a row per hospital and period, and the QC targets in force (质控目标) judged on the whole
 * range and on each row, with an alert (预警) for every target a row misses.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { shanghaiDate } from "@yibao/kernel/calendar";
import { editionOn, judgeQcTargets, QC_CATEGORY_NAMES } from "@yibao/settlement";
import { Type } from "typebox";
import type { EditionProvenance } from "../edition-shelf.js";
import { PLATFORM_ROLES, routeAccess } from "../route-access.js";
import { qcEditionRoutes } from "./qc-editions.js";
import { PERIOD_PATTERN, periodRange } from "./query.js";

const IndicatorQuery = Type.Object(
  {
    hospital: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    period: Type.Optional(Type.String({ pattern: PERIOD_PATTERN })),
    periodFrom: Type.Optional(Type.String({ pattern: PERIOD_PATTERN })),
    periodTo: Type.Optional(Type.String({ pattern: PERIOD_PATTERN })),
  },
  { additionalProperties: false },
);

/** What a message template's variables stand for (a finding fills them in). */
const PLACEHOLDER_ZH: Readonly<Record<string, string>> = {
  field: "字段",
  label: "字段名称",
  value: "取值",
  format: "格式",
  expected: "应有取值",
  max: "上限",
  min: "下限",
  count: "数量",
  date: "日期",
  name: "名称",
  diagnosis: "诊断",
  age: "年龄",
};

/**
 * An edition as listed: its identity, date and size, whether it is the one in force today, and where
 * it came from (built in, the region pack, or published by whom, when and why).
 */
function editionSummary<E extends { id: string; version: string; effectiveDate: string; source?: string }>(
  editions: readonly E[],
  today: string,
  size: (e: E) => number,
  provenance: (e: E) => EditionProvenance,
) {
  const current = editionOn(editions, today);
  return [...editions]
    .sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : 1))
    .map((e) => ({
      id: e.id,
      version: e.version,
      effectiveDate: e.effectiveDate,
      source: e.source ?? null,
      size: size(e),
      inForce: e === current,
      ...provenance(e),
    }));
}

export const qcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(qcEditionRoutes);
  // The region's QC rule and target editions (质控规则与质控目标的版本), and the rules of the edition in
  // force today (China Standard Time): what a hospital's lists are checked by.
  app.get("/editions", { config: routeAccess(PLATFORM_ROLES, "none") }, async () => {
    const today = shanghaiDate(Date.now());
    const rules = editionOn(app.yibao.qcEditions.rules, today);
    const book = app.yibao.qcEditions;
    return {
      today,
      rules: editionSummary(
        book.rules,
        today,
        (e) => e.rules.length,
        (e) => book.rulesShelf.provenance(e),
      ),
      targets: editionSummary(
        book.targets,
        today,
        (e) => e.targets.length,
        (e) => book.targetsShelf.provenance(e),
      ),
      rulesInForce: rules.rules.map((r) => ({
        id: r.id,
        check: r.check,
        category: r.category,
        categoryName: QC_CATEGORY_NAMES[r.category],
        severity: r.severity,
        enabled: r.enabled !== false,
        description: r.description ?? null,
        // The message as a reader sees it: its variables as what they stand for, not their names.
        message: r.message.replace(
          /\{(\w+)\}/g,
          (_, name: string) => `〈${PLACEHOLDER_ZH[name] ?? "参数"}〉`,
        ),
      })),
    };
  });

  app.get(
    "/indicators",
    { config: routeAccess(PLATFORM_ROLES, "query"), schema: { querystring: IndicatorQuery } },
    async (request) => {
      const q = request.query;
      const report = await app.yibao.store.qcIndicators({
        ...(q.hospital !== undefined ? { hospital: q.hospital } : {}),
        ...periodRange(q),
      });
      // The targets in force at the end of the range asked for (today when it is open-ended); the
      // comparison with effective dates is textual, so "-31" stands for the last day of any month.
      const end = q.periodTo ?? q.period;
      const set = editionOn(app.yibao.qcTargets, end ? `${end}-31` : new Date().toISOString().slice(0, 10));
      return {
        ...report,
        targets: {
          id: set.id,
          version: set.version,
          effectiveDate: set.effectiveDate,
          source: set.source,
          total: judgeQcTargets(report.total, set),
          alerts: report.rows.flatMap((r) =>
            judgeQcTargets(r, set)
              .filter((v) => v.met === false)
              .map((v) => ({ hospitalCode: r.hospitalCode, period: r.period, ...v })),
          ),
        },
      };
    },
  );
};
