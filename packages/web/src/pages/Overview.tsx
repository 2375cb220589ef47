/** 区域概览 / 本院概览: key indicators, monthly trend, hospital comparison. */
import { useState } from "react";
import { api, type Meta, qs, type SchemeCmi, type Values } from "../api";
import { Card, Chart, ErrorNote, PeriodPicker, type PeriodRange, useLoad } from "../components";
import { formatValue, ownHospitalName } from "../format";

interface Overview {
  values: Values | null;
  /** CMI per grouping scheme: more than one where several schemes grouped the range's lists. */
  cmiBySchemes: SchemeCmi[];
  trend: { period: string; values: Values }[];
  notes: string[];
  cube: { refreshedAt: string } | null;
}

const KPIS = [
  "cases",
  "cmi",
  "cei",
  "tei",
  "avgCostFen",
  "avgLos",
  "outOfPocketShare",
  "groupingRate",
  "ungroupedShare",
  "readmission30Rate",
  "surplusFen",
  "auditFindings",
  "recoveredFen",
];

/** The hospital chart: room for the legend above the bars, and the height of one hospital's row (px). */
const HOSPITAL_CHART_TOP = 40;
const HOSPITAL_ROW = 34;

/**
 * 关键指标: one tile per indicator, its formula in the tooltip. Where several schemes grouped the
 * range's lists the CMI tile shows one line per scheme (their weights are not comparable), not a
 * mixed CMI.
 */
function Kpis({ meta, values, bySchemes }: { meta: Meta; values: Values | null; bySchemes: SchemeCmi[] }) {
  const defs = new Map(meta.indicators.map((d) => [d.id, d]));
  return (
    <div className="kpis" data-testid="kpis">
      {KPIS.map((id) => {
        const d = defs.get(id);
        if (!d) return null;
        return (
          <div className="kpi" key={id} title={d.formula}>
            <div className="kpi-name">{d.name}</div>
            {id === "cmi" && bySchemes.length > 1 ? (
              <div className="kpi-schemes" data-testid="cmi-by-schemes">
                {bySchemes.map((b) => (
                  <div key={b.schemeId}>
                    <small>{b.schemeName}</small> {formatValue(d.kind, b.cmi)}
                    <small>（{b.cases.toLocaleString("zh-CN")} 例）</small>
                  </div>
                ))}
              </div>
            ) : (
              <div className="kpi-value">
                {formatValue(d.kind, values?.[id] ?? null)}
                {d.unit && d.kind !== "ratio" ? <small> {d.unit}</small> : null}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** 月度趋势: cases and CMI, average cost and length of stay, month by month. */
function TrendCharts({ trend }: { trend: Overview["trend"] }) {
  return (
    <div className="grid2">
      <Card title="月度病例数与 CMI">
        <Chart
          testId="trend-chart"
          option={{
            tooltip: { trigger: "axis" },
            legend: { data: ["病例数", "CMI"] },
            xAxis: { type: "category", data: trend.map((t) => t.period) },
            yAxis: [
              { type: "value", name: "病例数" },
              { type: "value", name: "CMI", scale: true },
            ],
            series: [
              { name: "病例数", type: "bar", data: trend.map((t) => t.values.cases) },
              {
                name: "CMI",
                type: "line",
                yAxisIndex: 1,
                data: trend.map((t) => t.values.cmi),
              },
            ],
          }}
        />
      </Card>
      <Card title="次均费用与平均住院日">
        <Chart
          option={{
            tooltip: { trigger: "axis" },
            legend: { data: ["次均费用(元)", "平均住院日"] },
            xAxis: { type: "category", data: trend.map((t) => t.period) },
            yAxis: [
              { type: "value", name: "元" },
              { type: "value", name: "天" },
            ],
            series: [
              {
                name: "次均费用(元)",
                type: "line",
                data: trend.map((t) => ((t.values.avgCostFen ?? 0) / 100).toFixed(2)),
              },
              {
                name: "平均住院日",
                type: "line",
                yAxisIndex: 1,
                data: trend.map((t) => t.values.avgLos),
              },
            ],
          }}
        />
      </Card>
    </div>
  );
}

export function OverviewPage({ meta }: { meta: Meta }) {
  const [range, setRange] = useState<PeriodRange>({ periodFrom: "", periodTo: "" });
  const [data, error] = useLoad(
    () => api.get<Overview>(`/api/v1/console/overview${qs({ ...range })}`),
    [range],
  );
  const [ranking] = useLoad(
    () => api.get<{ rows: (Values & { name: string })[] }>(`/api/v1/console/ranking${qs({ ...range })}`),
    [range],
  );
  const hospitalView = meta.user.role === "hospital";
  const ownName = ownHospitalName(meta);
  return (
    <div>
      <div className="page-title">
        <h1>{hospitalView ? `本院概览${ownName ? `：${ownName}` : ""}` : "区域概览"}</h1>
        <PeriodPicker periods={meta.periods} value={range} onChange={setRange} />
      </div>
      <ErrorNote error={error} />
      <Kpis meta={meta} values={data?.values ?? null} bySchemes={data?.cmiBySchemes ?? []} />
      {data?.notes.map((n) => (
        <p className="muted" key={n}>
          ※ {n}
        </p>
      ))}
      <TrendCharts trend={data?.trend ?? []} />
      {!hospitalView && (
        <Card title="各医院 CMI 与费用消耗指数">
          {/* One row per hospital, its whole name on the left; the legend above the bars. */}
          <Chart
            testId="hospital-chart"
            renderer="svg"
            height={HOSPITAL_CHART_TOP + HOSPITAL_ROW * Math.max(ranking?.rows.length ?? 0, 4)}
            option={{
              tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
              legend: { type: "scroll", top: 0, data: ["CMI", "费用消耗指数", "时间消耗指数"] },
              grid: { top: HOSPITAL_CHART_TOP, left: 8, right: 24, bottom: 8, containLabel: true },
              yAxis: {
                type: "category",
                inverse: true,
                data: ranking?.rows.map((r) => r.name) ?? [],
                axisLabel: { interval: 0 },
              },
              xAxis: { type: "value" },
              series: [
                { name: "CMI", type: "bar", data: ranking?.rows.map((r) => r.cmi) ?? [] },
                { name: "费用消耗指数", type: "bar", data: ranking?.rows.map((r) => r.cei) ?? [] },
                { name: "时间消耗指数", type: "bar", data: ranking?.rows.map((r) => r.tei) ?? [] },
              ],
            }}
          />
        </Card>
      )}
      {data?.cube && (
        <p className="muted">指标汇总更新于 {new Date(data.cube.refreshedAt).toLocaleString("zh-CN")}</p>
      )}
    </div>
  );
}
