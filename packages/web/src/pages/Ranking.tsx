/** 医院排名: every hospital's indicators; click a row for the drill-down. */
import { useState } from "react";
import { api, type Meta, qs, type SchemeCmi, type Values } from "../api";
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
import { formatValue } from "../format";
import { navigate } from "../router";
import { indicatorColumns } from "./indicatorColumns";

type Row = Values & { hospital: string; name: string; cmiBySchemes: SchemeCmi[] };

/** A hospital's CMI: one line per scheme where several schemes grouped its lists of the range. */
function cmiCell(r: Row) {
  if (r.cmiBySchemes.length <= 1) return formatValue("statistic", r.cmi ?? null, 4);
  return (
    <span data-testid="ranking-cmi-by-schemes">
      {r.cmiBySchemes.map((b) => (
        <div key={b.schemeId}>
          {b.schemeName}：{formatValue("statistic", b.cmi, 4)}
        </div>
      ))}
    </span>
  );
}

export function RankingPage({ meta }: { meta: Meta }) {
  const [range, setRange] = useState<PeriodRange>({ periodFrom: "", periodTo: "" });
  const path = `/api/v1/console/ranking${qs({ ...range })}`;
  const [data, error] = useLoad(() => api.get<{ rows: Row[] }>(path), [path]);
  const columns: Column<Row>[] = [
    { key: "hospital", title: "医院编码" },
    { key: "name", title: "医院名称" },
    ...indicatorColumns<Row>(meta).map((c) => (c.key === "cmi" ? { ...c, render: cmiCell } : c)),
  ];
  const rows = data?.rows ?? [];
  const sorted = [...rows].sort((a, b) => (b.cmi ?? 0) - (a.cmi ?? 0));
  return (
    <div>
      <div className="page-title">
        <h1>医院排名</h1>
        <PeriodPicker periods={meta.periods} value={range} onChange={setRange} />
      </div>
      <ErrorNote error={error} />
      <Card title="CMI 排名">
        <Chart
          height={Math.max(200, sorted.length * 28 + 60)}
          option={{
            tooltip: { trigger: "axis" },
            grid: { left: 160 },
            xAxis: { type: "value", scale: true },
            yAxis: { type: "category", inverse: true, data: sorted.map((r) => r.name) },
            series: [{ name: "CMI", type: "bar", data: sorted.map((r) => r.cmi) }],
          }}
        />
      </Card>
      <Card title="医院指标（点击行查看科室、医师、病组）">
        <DataTable
          testId="ranking-table"
          loading={data === null && error === null}
          columns={columns}
          rows={rows}
          rowKey={(r) => r.hospital}
          exportPath={path}
          exportName="医院排名"
          onRowClick={(r) => navigate(`/hospitals/${encodeURIComponent(r.hospital)}`)}
        />
      </Card>
    </div>
  );
}
