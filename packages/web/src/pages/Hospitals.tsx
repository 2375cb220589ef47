/**
 * 医院主数据: each hospital's level (医院等级), benefit class (起付线类别) and payment method (支付方式) in
 * force on a chosen date (today in China by default), with the edition each row comes from; a click on a
 * hospital shows its every edition with where it came from, who saved it, why and when (China time). The
 * bureau and administrators also download the chosen date's Excel, publish a new edition from such a
 * workbook and change one hospital from a date (HospitalForms.tsx). A hospital account sees its own row.
 */
import { useMemo, useState } from "react";
import { api, type Meta, qs } from "../api";
import { Card, type Column, DataTable, ErrorNote, useLoad } from "../components";
import { chinaDateTime, chinaToday } from "../format";
import { EditHospital, HOSPITALS_API, ImportHospitals, mayEditHospitals } from "./HospitalForms";

/** Where an edition came from. */
type HospitalSource = "pack" | "api" | "excel";

interface HospitalRow {
  code: string;
  name: string | null;
  level: string;
  benefitClass: string | null;
  paymentMethod: "DRG" | "DIP";
  effectiveFrom: string;
  /** In force since always (the first data of the region, before any dated edition). */
  sinceAlways: boolean;
  editionId: number;
  source: HospitalSource;
  actor: string;
  createdAt: string;
}

interface HistoryItem {
  editionId: number;
  effectiveFrom: string;
  sinceAlways: boolean;
  level: string;
  benefitClass: string | null;
  paymentMethod: "DRG" | "DIP";
  actor: string;
  reason: string;
  source: HospitalSource;
  createdAt: string;
  superseded: boolean;
  inForceToday: boolean;
}

const SOURCES: Readonly<Record<HospitalSource, string>> = {
  pack: "地区配置包",
  api: "接口",
  excel: "Excel 导入",
};
/** Who saved an edition when it was not a person: the demo, a region pack. */
const ACTORS: Readonly<Record<string, string>> = { demo: "演示数据", region: "地区配置包" };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const effectiveText = (r: { effectiveFrom: string; sinceAlways: boolean }) =>
  r.sinceAlways ? "自始有效" : r.effectiveFrom;
const actorText = (r: { actor: string }) => ACTORS[r.actor] ?? r.actor;

const rowColumns: Column<HospitalRow>[] = [
  { key: "code", title: "编码" },
  { key: "name", title: "名称" },
  { key: "level", title: "等级" },
  { key: "benefitClass", title: "起付线类别" },
  { key: "paymentMethod", title: "支付方式" },
  { key: "effectiveFrom", title: "生效日期", value: effectiveText },
  { key: "source", title: "来源", labels: SOURCES },
  { key: "actor", title: "发布人", value: actorText },
];

/** Whether an edition is today's, still to come, or one a later edition replaced. */
function statusText(e: HistoryItem, today: string): string {
  if (e.superseded) return "已被同日版本取代";
  if (e.inForceToday) return "现行";
  return e.effectiveFrom > today ? "待生效" : "已被取代";
}

function historyColumns(today: string): Column<HistoryItem>[] {
  return [
    { key: "effectiveFrom", title: "生效日期", value: effectiveText },
    { key: "level", title: "等级" },
    { key: "benefitClass", title: "起付线类别" },
    { key: "paymentMethod", title: "支付方式" },
    { key: "status", title: "状态", value: (r) => statusText(r, today) },
    { key: "source", title: "来源", labels: SOURCES },
    { key: "actor", title: "操作人", value: actorText },
    {
      key: "reason",
      title: "原因",
      render: (r) => (r.reason ? <span className="cell-wrap">{r.reason}</span> : "—"),
    },
    { key: "createdAt", title: "时间", value: (r) => (r.createdAt ? chinaDateTime(r.createdAt) : null) },
  ];
}

/** One hospital's editions, oldest effective date first (as the server lists them). */
function HospitalHistory({ code, today, version }: { code: string; today: string; version: number }) {
  const [data, error] = useLoad(
    () =>
      api.get<{ code: string; name: string | null; items: HistoryItem[] }>(
        `${HOSPITALS_API}/${encodeURIComponent(code)}/history`,
      ),
    [code, version],
  );
  const name = data?.name ?? code;
  return (
    <Card title={`版本记录：${name}（${code}）`}>
      <ErrorNote error={error} />
      <DataTable
        testId="hospital-history"
        loading={data === null && error === null}
        columns={historyColumns(today)}
        rows={data?.code === code ? data.items : []}
        rowKey={(r) => String(r.editionId)}
      />
    </Card>
  );
}

/** The date picker of the table: a complete date only (a half-typed one is not asked for). */
function DatePicker({ value, onChange }: { value: string; onChange: (date: string) => void }) {
  return (
    <label className="inline-form">
      日期
      <input
        type="date"
        name="on"
        aria-label="日期"
        value={value}
        onChange={(e) => {
          if (DATE.test(e.target.value)) onChange(e.target.value);
        }}
      />
    </label>
  );
}

export function HospitalsPage({ meta }: { meta: Meta }) {
  const today = useMemo(() => chinaToday(), []);
  const [on, setOn] = useState(today);
  const [selected, setSelected] = useState<string | null>(null);
  // Bumped after a publication: the table and the history are asked again.
  const [version, setVersion] = useState(0);
  const [data, error] = useLoad(
    () => api.get<{ on: string; items: HospitalRow[] }>(`${HOSPITALS_API}${qs({ on })}`),
    [on, version],
  );
  const rows = data?.on === on ? data.items : [];
  const editor = mayEditHospitals(meta);
  const chosen = rows.find((r) => r.code === selected) ?? null;
  const classes = useMemo(
    () => [...new Set(rows.flatMap((r) => (r.benefitClass ? [r.benefitClass] : [])))].sort(),
    [rows],
  );
  const published = () => setVersion((v) => v + 1);
  const exportHref = `${HOSPITALS_API}/export${qs({ on })}`;
  return (
    <div>
      <div className="page-title">
        <h1>医院主数据</h1>
        <span className="muted">
          今日 {today}（北京时间）：医院等级、起付线类别与支付方式按生效日期适用，已发布的版本不再修改
        </span>
      </div>
      <ErrorNote error={error} />
      <Card
        title={`${on} 现行的医院主数据`}
        extra={
          <span className="filters">
            <DatePicker value={on} onChange={setOn} />
            {editor && (
              <a className="button" href={exportHref} download data-testid="hospital-export">
                下载 Excel
              </a>
            )}
          </span>
        }
      >
        <p className="hint">点击一家医院查看其全部版本记录{editor ? "，或修改该医院" : ""}。</p>
        <DataTable
          testId="hospital-rows"
          loading={data?.on !== on && error === null}
          columns={rowColumns}
          rows={rows}
          rowKey={(r) => r.code}
          onRowClick={(r) => setSelected(r.code)}
        />
      </Card>
      {selected && <HospitalHistory code={selected} today={today} version={version} />}
      {editor && chosen && (
        <EditHospital
          key={`${chosen.code}@${chosen.editionId}`}
          hospital={chosen}
          classes={classes}
          today={today}
          onPublished={published}
        />
      )}
      {editor && <ImportHospitals today={today} onPublished={published} />}
    </div>
  );
}
