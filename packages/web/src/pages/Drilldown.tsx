/** 医院下钻: one hospital by department, physician or DRG, with surplus/loss charts. */
import { useState } from "react";
import { api, type Meta, qs, type Values } from "../api";
import {
  Card,
  Chart,
  type Column,
  DataTable,
  ErrorNote,
  PeriodPicker,
  type PeriodRange,
  useLoad,
} from "../components";
import { navigate } from "../router";
import { indicatorColumns } from "./indicatorColumns";

type Row = Values & { key: string; label: string };
const DIMS = [
  { id: "dept", name: "按科室" },
  { id: "physician", name: "按医师" },
  { id: "drg", name: "按病组" },
  { id: "period", name: "按月份" },
] as const;

export function DrilldownPage({ meta, hospital }: { meta: Meta; hospital: string }) {
  const [dim, setDim] = useState<(typeof DIMS)[number]["id"]>("dept");
  const [range, setRange] = useState<PeriodRange>({ periodFrom: "", periodTo: "" });
  const path = `/api/v1/console/breakdown${qs({ hospital, dim, ...range })}`;
  const [data, error] = useLoad(() => api.get<{ rows: Row[] }>(path), [path]);
  const name = meta.hospitals.find((h) => h.code === hospital)?.name ?? hospital;
  const dimName = { dept: "科室", physician: "医师", drg: "病组", period: "月份" }[dim];
  const columns: Column<Row>[] = [
    { key: "key", title: `${dimName}代码` },
    { key: "label", title: `${dimName}名称` },
    ...indicatorColumns<Row>(meta),
  ];
  const rows = data?.rows ?? [];
  const bySurplus = [...rows].sort((a, b) => (a.surplusFen ?? 0) - (b.surplusFen ?? 0)).slice(0, 30);
  return (
    <div>
      <div className="page-title">
        <h1>
          {name} <small className="muted">{hospital}</small>
        </h1>
        <PeriodPicker periods={meta.periods} value={range} onChange={setRange} />
      </div>
      <div className="tabs" role="tablist">
        {DIMS.map((d) => (
          <button
            type="button"
            key={d.id}
            role="tab"
            className={d.id === dim ? "active" : ""}
            onClick={() => setDim(d.id)}
          >
            {d.name}
          </button>
        ))}
        <button type="button" onClick={() => navigate(`/lists?hospital=${encodeURIComponent(hospital)}`)}>
          查看清单
        </button>
      </div>
      <ErrorNote error={error} />
      <Card title={`${dimName}结余/超支（元；已结算的按实际结算，未结算的按权重×费率预估）`}>
        <Chart
          testId="surplus-chart"
          height={Math.max(220, bySurplus.length * 24 + 60)}
          option={{
            tooltip: { trigger: "axis" },
            grid: { left: 200 },
            xAxis: { type: "value" },
            yAxis: { type: "category", data: bySurplus.map((r) => r.label || r.key) },
            series: [
              {
                name: "结余/超支",
                type: "bar",
                data: bySurplus.map((r) => ({
                  value: ((r.surplusFen ?? 0) / 100).toFixed(2),
                  itemStyle: { color: (r.surplusFen ?? 0) >= 0 ? "#3a9d5d" : "#d9534f" },
                })),
              },
            ],
          }}
        />
      </Card>
      <Card title={`${dimName}指标`}>
        <DataTable
          testId="drilldown-table"
          loading={data === null && error === null}
          columns={columns}
          rows={rows}
          rowKey={(r) => r.key}
          exportPath={path}
          exportName={`${name}-${dimName}`}
        />
      </Card>
    </div>
  );
}
