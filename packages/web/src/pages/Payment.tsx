/**
 * 付费: special-case review (特病单议) and year-end clearing statements (年终清算). Surplus or loss by
 * department, physician and DRG is on the drill-down page, from the indicator cubes.
 */
import { useState } from "react";
import { api, type Meta, qs } from "../api";
import {
  Card,
  Chart,
  type Column,
  DataTable,
  ErrorNote,
  HospitalSelect,
  ListLink,
  useLoad,
} from "../components";
import { yuan } from "../format";
import { PendingApplications } from "./SpecialApplications";

interface Settlement {
  setlId: string;
  hospitalCode: string;
  period: string;
  drg: string;
  category: string;
  outlier: string;
  standardFen: number | null;
  specialReviewFen: number;
  drgPaymentFen: number;
  totalCostFen: number;
  fundPaymentFen: number;
  balanceFen: number;
}

interface SpecialCase {
  id: number;
  setlId: string;
  hospitalCode: string;
  amountFen: number | null;
  reason: string;
  approvedBy: string;
  approvedAt: string;
  revoked: boolean;
  decision: "approved" | "rejected";
}

/** Micro-points (百万分之一点, as the payment API keeps points) → points for display. */
const points = (micro: string) =>
  (Number(micro) / 1_000_000).toLocaleString("zh-CN", { maximumFractionDigits: 2 });

/** Yuan as typed by a person (at most two decimals) → the API's yuan string, or null when invalid. */
function yuanInput(v: string): string | null {
  const t = v.trim().replace(/,/g, "");
  return /^\d{1,13}(\.\d{1,2})?$/.test(t) ? t : null;
}

const hospitalName = (meta: Meta, code: string) => meta.hospitals.find((h) => h.code === code)?.name ?? code;

/**
 * 特病单议: the high-cost outliers not yet decided are the candidates; a reviewer approves (an addition
 * that re-settles the stay) or rejects one, and it moves to the decided cases.
 */
/** 待审核的高倍率病例: the columns of the candidate table. */
function candidateColumns(meta: Meta): Column<Settlement>[] {
  return [
    { key: "setlId", title: "结算ID", render: (r) => <ListLink setlId={r.setlId} /> },
    { key: "hospitalCode", title: "医院", value: (r) => hospitalName(meta, r.hospitalCode) },
    { key: "period", title: "期号" },
    { key: "drg", title: "病组" },
    { key: "standardFen", title: "支付标准（元）", kind: "money" },
    { key: "totalCostFen", title: "总费用（元）", kind: "money" },
    { key: "drgPaymentFen", title: "病组支付（元）", kind: "money" },
    { key: "specialReviewFen", title: "已追加（元）", kind: "money" },
    { key: "balanceFen", title: "结余/超支（元）", kind: "money" },
  ];
}

/** 已审核的特病单议: the columns of the decisions table. */
function decisionColumns(meta: Meta): Column<SpecialCase>[] {
  return [
    { key: "id", title: "编号", kind: "count" },
    { key: "setlId", title: "结算ID", render: (r) => <ListLink setlId={r.setlId} /> },
    { key: "hospitalCode", title: "医院", value: (r) => hospitalName(meta, r.hospitalCode) },
    { key: "decision", title: "审核结果", labels: { approved: "核准", rejected: "驳回" } },
    {
      key: "amountFen",
      title: "核准追加（元）",
      value: (r) =>
        r.decision === "rejected" ? "—" : r.amountFen === null ? "按政策补足" : yuan(r.amountFen),
    },
    { key: "reason", title: "理由" },
    { key: "approvedBy", title: "审核人" },
    { key: "approvedAt", title: "审核时间", value: (r) => new Date(r.approvedAt).toLocaleString("zh-CN") },
  ];
}

/** 核准/驳回特病单议 of the selected high outlier: an amount (or the policy's top-up) and a reason. */
function SpecialCaseDecision({
  meta,
  selected,
  onDecided,
  onCancel,
  onMessage,
}: {
  meta: Meta;
  selected: Settlement;
  onDecided: (done: string) => void;
  onCancel: () => void;
  onMessage: (m: string | null) => void;
}) {
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  /** Posts a decision on the selected case. */
  const decide = async (url: string, body: Record<string, unknown>, done: string) => {
    onMessage(null);
    try {
      await api.post(url, { setlId: selected.setlId, ...body });
      onDecided(done);
    } catch (e) {
      onMessage((e as Error).message);
    }
  };
  const approve = async () => {
    const yuanValue = amount.trim() === "" ? null : yuanInput(amount);
    if (amount.trim() !== "" && yuanValue === null) {
      onMessage("追加金额须为元金额，最多两位小数");
      return;
    }
    await decide(
      "/api/v1/payment/special-cases",
      { amount: yuanValue, reason },
      `已核准 ${selected.setlId} 的特病单议，并已重新结算`,
    );
  };
  const reject = () =>
    decide(
      "/api/v1/payment/special-cases/reject",
      { reason },
      `已驳回 ${selected.setlId} 的特病单议，按原结算支付`,
    );
  return (
    <Card title={`核准特病单议：${selected.setlId}`}>
      <p>
        {hospitalName(meta, selected.hospitalCode)}，病组 {selected.drg}，总费用 {yuan(selected.totalCostFen)}{" "}
        元，病组支付 {yuan(selected.drgPaymentFen)} 元。
      </p>
      <div className="inline-form">
        <input
          aria-label="追加金额"
          placeholder="追加金额（元，留空按政策补足）"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
        />
        <input
          aria-label="审核理由"
          placeholder="审核理由（必填）"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button type="button" className="primary" disabled={reason.trim() === ""} onClick={approve}>
          核准
        </button>
        <button type="button" disabled={reason.trim() === ""} onClick={reject}>
          驳回
        </button>
        <button type="button" onClick={onCancel}>
          取消
        </button>
      </div>
    </Card>
  );
}

export function SpecialCasesPage({ meta }: { meta: Meta }) {
  const canApprove = meta.user.role === "reviewer" || meta.user.role === "bureau";
  const [hospital, setHospital] = useState("");
  const [period, setPeriod] = useState("");
  const candidatesPath = `/api/v1/payment/settlements${qs({ outlier: "high", review: "pending", hospital, period, pageSize: 500 })}`;
  const [candidates, error, reloadCandidates] = useLoad(
    () => api.get<{ total: number; items: Settlement[] }>(candidatesPath),
    [candidatesPath],
  );
  const approvalsPath = `/api/v1/payment/special-cases${qs({ hospital })}`;
  const [approvals, approvalsError, reloadApprovals] = useLoad(
    () => api.get<{ items: SpecialCase[] }>(approvalsPath),
    [approvalsPath],
  );
  const [selected, setSelected] = useState<Settlement | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const decided = (done: string) => {
    setMessage(done);
    setSelected(null);
    reloadCandidates();
    reloadApprovals();
  };
  const columns = candidateColumns(meta);
  const approvalColumns = decisionColumns(meta);
  return (
    <div>
      <div className="page-title">
        <h1>特病单议</h1>
        <span className="filters">
          <HospitalSelect meta={meta} value={hospital} onChange={setHospital} />
          <select aria-label="期号" value={period} onChange={(e) => setPeriod(e.target.value)}>
            <option value="">全部期号</option>
            {meta.periods.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </span>
      </div>
      <p className="muted">
        医院对符合支付政策条件的本院病例提交特病单议申请，待审核的申请连同符合条件的依据列在下方；审核人也可直接对高倍率病例核准或驳回。核准后按支付政策追加支付（点数法下折算为点数），并立即重新结算该病例；驳回则按原结算支付。已审核的病例移至下方“已审核的特病单议”。
      </p>
      <ErrorNote error={error ?? approvalsError} />
      {message && <div className="note">{message}</div>}
      {selected && canApprove && (
        <SpecialCaseDecision
          key={selected.setlId}
          meta={meta}
          selected={selected}
          onDecided={decided}
          onCancel={() => setSelected(null)}
          onMessage={setMessage}
        />
      )}
      <PendingApplications
        meta={meta}
        hospital={hospital}
        canDecide={canApprove}
        onDecided={(m) => {
          setMessage(m);
          reloadCandidates();
          reloadApprovals();
        }}
      />
      <Card
        title={`待审核的高倍率病例（共 ${(candidates?.total ?? 0).toLocaleString("zh-CN")} 例）${canApprove ? "：点击一行审核特病单议" : ""}`}
      >
        <DataTable
          testId="special-candidates"
          loading={candidates === null && error === null}
          columns={columns}
          rows={candidates?.items ?? []}
          rowKey={(r) => r.setlId}
          {...(canApprove ? { onRowClick: (r: Settlement) => setSelected(r) } : {})}
          exportPath={candidatesPath}
          exportName="待审核的高倍率病例"
        />
      </Card>
      <Card title="已审核的特病单议">
        <DataTable
          testId="special-approvals"
          loading={approvals === null && approvalsError === null}
          columns={approvalColumns}
          rows={approvals?.items ?? []}
          rowKey={(r) => String(r.id)}
          exportPath={approvalsPath}
          exportName="特病单议"
        />
      </Card>
    </div>
  );
}

interface ClearingHospital {
  hospitalId: string;
  cases: number;
  points: string;
  payment: number;
  totalCost: number;
  balance: number;
  surplusRetained: number;
  primaryCareSurplus: number;
  assessment: number;
  regionalReward: number;
  overspendBorne: number;
  overspendCovered: number;
  deductions: number;
  deductionReasons: string[];
  patientShare: number;
  fundDue: number;
  prepaid: number;
  balanceDue: number;
}

interface Clearing {
  year: number;
  runId: number;
  policy: { id: string; version: string };
  budget: number;
  /** What the budget covers, and what was shared out by points (the budget, plus patients' share for a fund budget). */
  budgetBasis: "fund" | "totalPayment";
  pool: number;
  totalPoints: string;
  pointValueYuan: string;
  clearedAt: string;
  hospitals: ClearingHospital[];
}

/** The clearing statement's columns: what the hospital is paid or owes at clearing first, in sight without scrolling. */
function clearingColumns(meta: Meta): Column<ClearingHospital>[] {
  return [
    { key: "hospitalId", title: "医院", value: (r) => hospitalName(meta, r.hospitalId) },
    { key: "balanceDue", title: "清算应补(+)/应退(−)（元）", kind: "money" },
    { key: "cases", title: "病例数", kind: "count" },
    {
      key: "points",
      title: "总点数",
      value: (r) => Number(r.points) / 1_000_000,
      render: (r) => points(r.points),
    },
    { key: "payment", title: "按点值支付（元）", kind: "money" },
    { key: "totalCost", title: "总费用（元）", kind: "money" },
    { key: "balance", title: "结余/超支（元）", kind: "money" },
    { key: "surplusRetained", title: "结余留用（元）", kind: "money" },
    { key: "primaryCareSurplus", title: "基层病种结余不予留用（元）", kind: "money" },
    {
      key: "assessment",
      title: "年终考核系数",
      value: (r) => r.assessment / 1_000_000,
      kind: "number",
      digits: 2,
    },
    { key: "regionalReward", title: "结余共享奖励（元）", kind: "money" },
    { key: "overspendCovered", title: "超支医保分担（元）", kind: "money" },
    { key: "overspendBorne", title: "超支医院承担（元）", kind: "money" },
    { key: "deductions", title: "审核扣款（元）", kind: "money" },
    { key: "fundDue", title: "基金应付（元）", kind: "money" },
    { key: "prepaid", title: "已预付（元）", kind: "money" },
  ];
}

/**
 * The bureau's clearing form: the year's budget, typed in or filled in on request (it sums the
 * year's settlements) from what was prepaid, in the basis the policy names (the fund's prepayments
 * for a fund budget, with the patients' share for a total).
 */
function ClearingForm(props: {
  year: string;
  cleared: boolean;
  onMessage: (m: string | null) => void;
  onCleared: () => void;
}) {
  const { year, onMessage } = props;
  const [budget, setBudget] = useState("");
  const fillPrepaid = async () => {
    onMessage(null);
    try {
      const p = await api.get<{
        stays: number;
        fundPaymentFen: number;
        patientShareFen: number;
        budgetBasis: "fund" | "totalPayment" | null;
        proposedBudgetFen: number;
      }>(`/api/v1/payment/clearing/${year}/prepaid`);
      setBudget((p.proposedBudgetFen / 100).toFixed(2));
      const basis =
        p.budgetBasis === "fund"
          ? "预算口径为统筹基金，按基金预付填入"
          : `预算口径为医保支付总额，按基金预付 ${yuan(p.fundPaymentFen)} 元与个人负担 ${yuan(p.patientShareFen)} 元之和填入`;
      onMessage(
        `${year} 年已结算 ${p.stays.toLocaleString("zh-CN")} 例，基金预付 ${yuan(p.fundPaymentFen)} 元；${basis}`,
      );
    } catch (e) {
      onMessage((e as Error).message);
    }
  };
  const clear = async () => {
    const b = yuanInput(budget);
    if (b === null) {
      onMessage("年度预算须为元金额，最多两位小数");
      return;
    }
    onMessage(null);
    try {
      await api.post("/api/v1/payment/clearing", { year: Number(year), budget: b });
      onMessage(`${year} 年清算完成`);
      props.onCleared();
    } catch (e) {
      onMessage((e as Error).message);
    }
  };
  return (
    <Card title={props.cleared ? "重新清算" : "执行清算"}>
      <div className="inline-form">
        <input
          aria-label="年度预算"
          placeholder="年度预算（元）"
          value={budget}
          onChange={(e) => setBudget(e.target.value)}
          style={{ minWidth: 240 }}
        />
        <button type="button" onClick={fillPrepaid}>
          按年度预付填入
        </button>
        <button type="button" className="primary" disabled={budget.trim() === ""} onClick={clear}>
          按点数法清算 {year} 年
        </button>
      </div>
    </Card>
  );
}

/** The year's figures: the budget in its basis, what was shared out by points, the points and the point value. */
function ClearingKpis({ data }: { data: Clearing }) {
  return (
    <div className="kpis" data-testid="clearing-kpis">
      <div className="kpi">
        <div className="kpi-name">
          {data.budgetBasis === "fund" ? "年度统筹基金预算（元）" : "年度医保支付总额预算（元）"}
        </div>
        <div className="kpi-value">{yuan(data.budget)}</div>
      </div>
      <div className="kpi">
        <div className="kpi-name">按点数分配（元）</div>
        <div className="kpi-value">{yuan(data.pool)}</div>
      </div>
      <div className="kpi">
        <div className="kpi-name">总点数</div>
        <div className="kpi-value">{points(data.totalPoints)}</div>
      </div>
      <div className="kpi">
        <div className="kpi-name">点值（元/点）</div>
        <div className="kpi-value">{data.pointValueYuan}</div>
      </div>
      <div className="kpi">
        <div className="kpi-name">支付政策</div>
        <div className="kpi-value">
          <small>
            {data.policy.id}@{data.policy.version}
          </small>
        </div>
      </div>
    </div>
  );
}

/** Each hospital's amount due (green) or owed back (red) at clearing. */
function ClearingChart({ meta, rows }: { meta: Meta; rows: ClearingHospital[] }) {
  return (
    <Card title="各医院清算应补/应退（元）">
      <Chart
        testId="clearing-chart"
        height={Math.max(240, rows.length * 22 + 60)}
        option={{
          tooltip: { trigger: "axis" },
          grid: { left: 200 },
          xAxis: { type: "value" },
          yAxis: {
            type: "category",
            data: rows.map((r) => hospitalName(meta, r.hospitalId)),
            axisLabel: { interval: 0 },
          },
          series: [
            {
              type: "bar",
              name: "应补/应退",
              data: rows.map((r) => ({
                value: (r.balanceDue / 100).toFixed(2),
                itemStyle: { color: r.balanceDue >= 0 ? "#3a9d5d" : "#d9534f" },
              })),
            },
          ],
        }}
      />
    </Card>
  );
}

/** 年终清算: the year's point value and each hospital's statement; the bureau runs the clearing. */
export function ClearingPage({ meta }: { meta: Meta }) {
  const years = [...new Set(meta.periods.map((p) => p.slice(0, 4)))].sort().reverse();
  const [year, setYear] = useState(years[0] ?? String(new Date().getFullYear() - 1));
  const [message, setMessage] = useState<string | null>(null);
  const path = `/api/v1/payment/clearing/${year}`;
  // Only a cleared year's statements are asked for: a year not cleared yet is no failed request.
  const [data, error, reload] = useLoad(async () => {
    const cleared = await api.get<{ years: { year: number }[] }>("/api/v1/payment/clearing");
    return cleared.years.some((y) => String(y.year) === year) ? api.get<Clearing>(path) : null;
  }, [path]);
  const canClear = meta.user.role === "bureau" || meta.user.role === "admin";
  const rows = data?.hospitals ?? [];
  return (
    <div>
      <div className="page-title">
        <h1>年终清算</h1>
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
      {canClear && (
        <ClearingForm year={year} cleared={Boolean(data)} onMessage={setMessage} onCleared={reload} />
      )}
      {data === null && <p className="muted">{year} 年尚未清算。</p>}
      {data && (
        <>
          <ClearingKpis data={data} />
          {rows.length > 1 && <ClearingChart meta={meta} rows={rows} />}
          <Card
            title="清算单"
            extra={
              <a className="button" href={`${path}/export?format=xlsx`} data-testid="clearing-export">
                下载清算单（Excel）
              </a>
            }
          >
            <DataTable
              testId="clearing-table"
              loading={data === null && error === null}
              columns={clearingColumns(meta)}
              rows={rows}
              rowKey={(r) => r.hospitalId}
            />
          </Card>
        </>
      )}
    </div>
  );
}
