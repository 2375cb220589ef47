/** 质控问题: findings by rule, with a chart and the lists behind each rule. */
import { useState } from "react";
import { api, type Meta, qs } from "../api";
import {
  Card,
  Chart,
  type Column,
  DataTable,
  ErrorNote,
  HospitalSelect,
  PeriodPicker,
  type PeriodRange,
  useLoad,
} from "../components";
import { navigate } from "../router";

interface Row {
  ruleId: string;
  severity: string;
  message: string;
  findings: number;
  lists: number;
  hospitals: number;
}

interface TargetVerdict {
  indicator: string;
  name: string;
  target: string;
  comparison: string;
  actual: number | null;
  met: boolean | null;
  message: string;
}

interface TargetReport {
  targets: {
    version: string;
    source: string;
    total: TargetVerdict[];
    alerts: (TargetVerdict & { hospitalCode: string; period: string })[];
  };
}

const VERDICT = (met: boolean | null) => (met === null ? "无数据" : met ? "达标" : "未达标");

/** 质控目标与预警: the targets in force judged on the selection, and every hospital-month that misses one. */
function QcTargetsCard({ meta, query }: { meta: Meta; query: string }) {
  const path = `/api/v1/qc/indicators${query}`;
  const [data, error] = useLoad(() => api.get<TargetReport>(path), [path]);
  const name = (code: string) => meta.hospitals.find((h) => h.code === code)?.name ?? code;
  const t = data?.targets;
  return (
    <Card title="质控目标与预警" extra={t ? <span className="muted">目标版本 {t.version}</span> : null}>
      <ErrorNote error={error} />
      {t && (
        <>
          <ul className="verdicts" data-testid="qc-targets">
            {t.total.map((v) => (
              <li key={v.indicator} className={v.met === false ? "alert" : ""}>
                <strong>{VERDICT(v.met)}</strong> {v.message}
              </li>
            ))}
          </ul>
          <p className="hint">{t.source}</p>
          <DataTable
            testId="qc-alerts"
            columns={[
              { key: "hospital", title: "医院", value: (r) => name(r.hospitalCode) },
              { key: "period", title: "期号" },
              { key: "name", title: "指标" },
              { key: "message", title: "预警" },
            ]}
            rows={t.alerts}
            rowKey={(r) => `${r.hospitalCode}|${r.period}|${r.indicator}`}
            pageSize={10}
          />
        </>
      )}
    </Card>
  );
}

export function QcPage({ meta }: { meta: Meta }) {
  const [range, setRange] = useState<PeriodRange>({ periodFrom: "", periodTo: "" });
  const [hospital, setHospital] = useState("");
  const path = `/api/v1/console/qc/rules${qs({ ...range, hospital })}`;
  const [data, error] = useLoad(() => api.get<{ rows: Row[] }>(path), [path]);
  const rows = data?.rows ?? [];
  const columns: Column<Row>[] = [
    { key: "ruleId", title: "规则编号" },
    { key: "severity", title: "严重程度", labels: { error: "错误（拒收）", warning: "警告" } },
    { key: "message", title: "问题示例" },
    { key: "findings", title: "问题数", kind: "count" },
    { key: "lists", title: "涉及清单数", kind: "count" },
    { key: "hospitals", title: "涉及医院数", kind: "count" },
  ];
  return (
    <div>
      <div className="page-title">
        <h1>质控问题</h1>
        <HospitalSelect meta={meta} value={hospital} onChange={setHospital} />
        <PeriodPicker periods={meta.periods} value={range} onChange={setRange} />
      </div>
      <ErrorNote error={error} />
      <QcTargetsCard meta={meta} query={qs({ ...range, hospital })} />
      <Card title="按规则统计">
        <Chart
          option={{
            tooltip: { trigger: "axis" },
            xAxis: {
              type: "category",
              data: rows.slice(0, 20).map((r) => r.ruleId),
              axisLabel: { rotate: 30 },
            },
            yAxis: { type: "value" },
            series: [{ name: "问题数", type: "bar", data: rows.slice(0, 20).map((r) => r.findings) }],
          }}
        />
        <DataTable
          testId="qc-table"
          loading={data === null && error === null}
          columns={columns}
          rows={rows}
          rowKey={(r) => `${r.ruleId}|${r.severity}`}
          exportPath={path}
          exportName="质控问题"
          onRowClick={(r) => navigate(`/lists${qs({ ruleId: r.ruleId, hospital })}`)}
        />
      </Card>
    </div>
  );
}
