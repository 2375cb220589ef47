/**
 * DIP 清算: the year's DIP clearing (清算点值, each DIP hospital's points, payment, fund due, monthly
 * prepayments and balance) with a hospital's stays behind its figures; the bureau runs the monthly
 * prepayment and the clearing. A hospital account sees its own row and stays.
 */
import { useState } from "react";
import { api, type Meta, qs } from "../api";
import { Card, type Column, DataTable, ErrorNote, useLoad } from "../components";
import { yuan } from "../format";

interface DipHospitalRow {
  hospitalCode: string;
  level: string;
  coefficient: string;
  cases: number;
  unpriced: number;
  points: string;
  totalCostFen: number;
  paymentFen: number;
  patientPaidFen: number;
  fundDueFen: number;
  prepaidFen: number;
  balanceDueFen: number;
}

interface DipClearing {
  year: number;
  policy: { id: string; version: string };
  budgetFen: number;
  poolFen: number;
  totalPoints: string;
  pointValueYuan: string;
  lists: number;
  clearedAt: string;
  hospitals: DipHospitalRow[];
}

interface DipStay {
  setlId: string;
  hospitalCode: string;
  group: string;
  caseType: "normal" | "veryHigh" | "veryLow";
  costFen: number;
  standardFen: number;
  points: string;
  paymentFen: number;
  patientPaidFen: number;
  fundFen: number;
}

const CASE_TYPES: Readonly<Record<string, string>> = {
  normal: "正常病例",
  veryHigh: "费用极高病例",
  veryLow: "费用极低病例",
};

const hospitalName = (meta: Meta, code: string) => meta.hospitals.find((h) => h.code === code)?.name ?? code;

function hospitalColumns(meta: Meta): Column<DipHospitalRow>[] {
  return [
    { key: "hospitalCode", title: "医院", value: (r) => hospitalName(meta, r.hospitalCode) },
    { key: "balanceDueFen", title: "清算应付(+)/应退(−)（元）", kind: "money" },
    { key: "level", title: "等级" },
    { key: "coefficient", title: "机构系数" },
    { key: "cases", title: "病例数", kind: "count" },
    { key: "unpriced", title: "病种无分值", kind: "count" },
    { key: "points", title: "总分值", value: (r) => Number(r.points), kind: "number", digits: 4 },
    { key: "paymentFen", title: "DIP 支付（元）", kind: "money" },
    { key: "patientPaidFen", title: "个人负担（元）", kind: "money" },
    { key: "fundDueFen", title: "基金应支付（元）", kind: "money" },
    { key: "prepaidFen", title: "月度预付（元）", kind: "money" },
  ];
}

const stayColumns: Column<DipStay>[] = [
  { key: "setlId", title: "结算清单号" },
  { key: "group", title: "病种" },
  { key: "caseType", title: "病例类型", labels: CASE_TYPES },
  { key: "costFen", title: "医疗总费用（元）", kind: "money" },
  { key: "standardFen", title: "标准费用（元）", kind: "money" },
  { key: "points", title: "病例分值", value: (r) => Number(r.points), kind: "number", digits: 4 },
  { key: "paymentFen", title: "DIP 支付（元）", kind: "money" },
  { key: "fundFen", title: "基金应支付（元）", kind: "money" },
];

/** The bureau's runs: a month's prepayment at the 预算点值, the year's clearing from its budget. */
function DipRuns(props: { year: string; onMessage: (m: string | null) => void; onDone: () => void }) {
  const { year, onMessage } = props;
  const [budget, setBudget] = useState("");
  const [month, setMonth] = useState(`${year}-01`);
  const run = async (url: string, body: unknown, done: string) => {
    onMessage(null);
    try {
      await api.post(url, body);
      onMessage(done);
      props.onDone();
    } catch (e) {
      onMessage((e as Error).message);
    }
  };
  const clear = () => {
    const b = budget.trim().replace(/,/g, "");
    if (!/^\d{1,13}(\.\d{1,2})?$/.test(b)) {
      onMessage("年度预算须为元金额，最多两位小数");
      return;
    }
    void run("/api/v1/payment/dip-clearing", { year: Number(year), budget: b }, `${year} 年 DIP 清算完成`);
  };
  return (
    <Card title="DIP 月度预付与年度清算">
      <div className="inline-form">
        <input aria-label="预付月份" type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
        <button
          type="button"
          onClick={() =>
            void run("/api/v1/payment/dip-prepayments", { period: month }, `${month} 月度预付完成`)
          }
        >
          按预算点值预付该月
        </button>
        <input
          aria-label="DIP 年度预算"
          placeholder="DIP 年度预算（元）"
          value={budget}
          onChange={(e) => setBudget(e.target.value)}
          style={{ minWidth: 220 }}
        />
        <button type="button" className="primary" disabled={budget.trim() === ""} onClick={clear}>
          按清算点值清算 {year} 年
        </button>
      </div>
    </Card>
  );
}

function DipKpis({ data }: { data: DipClearing }) {
  const kpis: [string, string][] = [
    ["年度预算（元）", yuan(data.budgetFen)],
    ["按分值支付（元）", yuan(data.poolFen)],
    ["总分值", Number(data.totalPoints).toLocaleString("zh-CN", { maximumFractionDigits: 4 })],
    ["清算点值（元/分）", data.pointValueYuan],
    ["DIP 付费政策", `${data.policy.id}@${data.policy.version}`],
  ];
  return (
    <div className="kpis" data-testid="dip-kpis">
      {kpis.map(([name, value]) => (
        <div className="kpi" key={name}>
          <div className="kpi-name">{name}</div>
          <div className="kpi-value">{value}</div>
        </div>
      ))}
    </div>
  );
}

/** A hospital's stays behind its figures (the first 1,000; the export holds all). */
function DipStays({ meta, year, hospital }: { meta: Meta; year: string; hospital: string }) {
  const [data, error] = useLoad(
    () =>
      api.get<{ total: number; items: DipStay[] }>(
        `/api/v1/payment/dip-clearing/${year}/stays${qs({ hospital, pageSize: 1000 })}`,
      ),
    [year, hospital],
  );
  return (
    <Card title={`${hospitalName(meta, hospital)} 的 DIP 病例${data ? `（共 ${data.total} 例）` : ""}`}>
      <ErrorNote error={error} />
      <DataTable
        testId="dip-stays"
        loading={data === null && error === null}
        columns={stayColumns}
        rows={data?.items ?? []}
        rowKey={(r) => r.setlId}
      />
    </Card>
  );
}

/** DIP 清算: the year's DIP statement and, for a chosen hospital, its stays. */
export function DipClearingPage({ meta }: { meta: Meta }) {
  const years = [...new Set(meta.periods.map((p) => p.slice(0, 4)))].sort().reverse();
  const [year, setYear] = useState(years[0] ?? String(new Date().getFullYear() - 1));
  const [message, setMessage] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(meta.user.hospitalCode ?? null);
  const path = `/api/v1/payment/dip-clearing/${year}`;
  const [data, error, reload] = useLoad(async () => {
    const cleared = await api.get<{ years: number[] }>("/api/v1/payment/dip-clearing");
    return cleared.years.includes(Number(year)) ? api.get<DipClearing>(path) : null;
  }, [path]);
  const canRun = meta.user.role === "bureau" || meta.user.role === "admin";
  return (
    <div>
      <div className="page-title">
        <h1>DIP 清算</h1>
        <select aria-label="清算年度" value={year} onChange={(e) => setYear(e.target.value)}>
          {years.map((y) => (
            <option key={y} value={y}>
              {y} 年
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={error} />
      {message && <div className="note">{message}</div>}
      {canRun && <DipRuns year={year} onMessage={setMessage} onDone={reload} />}
      {data === null && error === null && <p className="muted">{year} 年尚未进行 DIP 清算。</p>}
      {data && (
        <>
          <DipKpis data={data} />
          <Card
            title="DIP 清算单（点击医院查看病例）"
            extra={
              <a className="button" href={`${path}/export?format=xlsx`} data-testid="dip-export">
                下载逐例明细（Excel）
              </a>
            }
          >
            <DataTable
              testId="dip-table"
              columns={hospitalColumns(meta)}
              rows={data.hospitals}
              rowKey={(r) => r.hospitalCode}
              onRowClick={(r) => setChosen(r.hospitalCode)}
            />
          </Card>
          {chosen && data.hospitals.some((h) => h.hospitalCode === chosen) && (
            <DipStays meta={meta} year={year} hospital={chosen} />
          )}
        </>
      )}
    </div>
  );
}
