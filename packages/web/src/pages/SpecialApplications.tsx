/**
 * 特病单议申请 (issue 14): a hospital chooses one of its settled stays, the criterion it claims and its
 * reason, and follows its applications (withdrawing a pending one); the reviewer's 特病单议 page lists
 * the pending applications with the figures that made each stay eligible and approves or rejects them.
 * 新技术除外 is the second kind of application on the same pages: the hospital chooses the kind, the
 * 预检 shows the filed new technology, the cost against the bar and the 3‰ quota; approval takes the
 * stay out of DRG payment (paid by actual cost).
 */
import { useState } from "react";
import { api, type Meta, qs } from "../api";
import { Card, type Column, DataTable, ErrorNote, ListLink, useLoad } from "../components";
import { yuan } from "../format";

export interface Application {
  id: number;
  kind: string;
  setlId: string;
  hospitalCode: string;
  period: string;
  criterion: string;
  newTechCode: string | null;
  reason: string;
  figures: { figure?: string };
  submittedBy: string;
  submittedAt: string;
  status: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  amountFen: number | null;
  drg: string | null;
  totalCostFen: number | null;
  standardFen: number | null;
  drgPaymentFen: number | null;
  fundPaymentFen: number | null;
}

interface Stay {
  setlId: string;
  period: string;
  drg: string;
  outlier: string;
  standardFen: number | null;
  totalCostFen: number;
  drgPaymentFen: number;
  balanceFen: number;
}

export const CRITERION_NAMES: Readonly<Record<string, string>> = {
  highCost: "费用超过病组支付标准倍数",
  icu: "重症监护时间长",
  longStay: "住院时间长",
  newTech: "应用新技术",
};

export const APPLICATION_STATUS: Readonly<Record<string, string>> = {
  pending: "待审核",
  approved: "已核准",
  rejected: "已驳回",
  withdrawn: "已撤回",
};

export const KIND_NAMES: Readonly<Record<string, string>> = {
  specialReview: "特病单议",
  newTechExclusion: "新技术除外",
};

const APPLICATIONS = "/api/v1/payment/special-case-applications";
const EXCLUSIONS = "/api/v1/payment/new-tech-exclusions";
/** Where an application of a kind is withdrawn and decided. */
const pathOf = (kind: string) => (kind === "newTechExclusion" ? EXCLUSIONS : APPLICATIONS);

const hospitalName = (meta: Meta, code: string) => meta.hospitals.find((h) => h.code === code)?.name ?? code;

/** The columns every application table shows (the hospital's and the reviewer's). */
function applicationColumns(meta: Meta): Column<Application>[] {
  return [
    { key: "id", title: "编号", kind: "count" },
    { key: "setlId", title: "结算ID", render: (r) => <ListLink setlId={r.setlId} /> },
    { key: "hospitalCode", title: "医院", value: (r) => hospitalName(meta, r.hospitalCode) },
    { key: "status", title: "状态", labels: APPLICATION_STATUS },
    { key: "kind", title: "类别", labels: KIND_NAMES },
    { key: "criterion", title: "申请条件", labels: CRITERION_NAMES },
    { key: "figure", title: "符合条件的依据", value: (r) => r.figures.figure ?? "—" },
    { key: "reason", title: "申请理由" },
    { key: "totalCostFen", title: "总费用（元）", kind: "money" },
    { key: "drgPaymentFen", title: "病组支付（元）", kind: "money" },
    { key: "submittedAt", title: "申请时间", time: true },
    { key: "decisionReason", title: "审核意见" },
    {
      key: "amountFen",
      title: "核准追加（元）",
      value: (r) =>
        r.status !== "approved"
          ? "—"
          : r.kind === "newTechExclusion"
            ? "按实际费用"
            : r.amountFen === null
              ? "按政策补足"
              : yuan(r.amountFen),
    },
  ];
}

interface Assessment {
  criteria: {
    criterion: string;
    name: string;
    open: boolean;
    eligible: boolean;
    figure: string;
    newTechCode?: string;
  }[];
  deadline: { date: string; late: boolean } | null;
  quota: { scopeName: string; share: string; cases: number; quota: number; used: number } | null;
  application: { id: number; status: string } | null;
}

/** 申请前预检 of the chosen stay: each criterion met or not, the deadline and the quota taken. */
function AssessmentNote({ a }: { a: Assessment }) {
  return (
    <div className="muted">
      <ul>
        {a.criteria.map((c) => (
          <li key={c.criterion}>
            {c.name}：{!c.open ? "未开放" : c.eligible ? "符合" : "不符合"}（{c.figure}）
          </li>
        ))}
      </ul>
      <p>
        {a.deadline === null
          ? "申请期限：支付政策未设申请期限。"
          : `申请截止日期：${a.deadline.date}${a.deadline.late ? "（已逾期）" : ""}。`}
        {a.quota === null
          ? "申请限额：支付政策未设限额。"
          : `申请限额：本院 ${a.quota.scopeName}已结算病例 ${a.quota.cases} 例 × ${a.quota.share}（向下取整）= ${a.quota.quota} 例，已申请 ${a.quota.used} 例。`}
        {a.application !== null &&
          `该病例已提交申请（编号 ${a.application.id}，${APPLICATION_STATUS[a.application.status] ?? ""}）。`}
      </p>
    </div>
  );
}

/** The application form for the stay the hospital chose. */
function ApplicationForm({
  stay,
  onDone,
  onCancel,
}: {
  stay: Stay;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [criterion, setCriterion] = useState("highCost");
  const [code, setCode] = useState("");
  const [assessment, assessmentError] = useLoad(async () => {
    const a = await api.get<Assessment>(`${APPLICATIONS}/assessment${qs({ setlId: stay.setlId })}`);
    const met = a.criteria.find((c) => c.eligible);
    if (met) {
      setCriterion(met.criterion);
      if (met.newTechCode) setCode(met.newTechCode);
    }
    return a;
  }, [stay.setlId]);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    try {
      await api.post(APPLICATIONS, {
        setlId: stay.setlId,
        criterion,
        reason,
        ...(criterion === "newTech" ? { newTechCode: code.trim() } : {}),
      });
      onDone(`已提交 ${stay.setlId} 的特病单议申请，等待审核`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const ready = reason.trim().length >= 2 && (criterion !== "newTech" || code.trim() !== "");
  return (
    <Card title={`申请特病单议：${stay.setlId}`}>
      <p>
        病组 {stay.drg}，支付标准 {yuan(stay.standardFen)} 元，总费用 {yuan(stay.totalCostFen)} 元，病组支付{" "}
        {yuan(stay.drgPaymentFen)} 元。
      </p>
      {assessment && <AssessmentNote a={assessment} />}
      <ErrorNote error={error ?? assessmentError} />
      <div className="inline-form">
        <select aria-label="申请条件" value={criterion} onChange={(e) => setCriterion(e.target.value)}>
          {Object.entries(CRITERION_NAMES).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        {criterion === "newTech" && (
          <input
            aria-label="新技术项目编码"
            placeholder="新技术项目编码（医保部门备案）"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        )}
      </div>
      <textarea
        aria-label="申请理由"
        placeholder="申请理由及依据（病情、诊疗经过、费用构成等，必填）"
        rows={3}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="inline-form">
        <button type="button" className="primary" disabled={!ready} onClick={submit}>
          提交申请
        </button>
        <button type="button" onClick={onCancel}>
          取消
        </button>
      </div>
    </Card>
  );
}

interface ExclusionAssessment {
  eligible: boolean;
  figure: string;
  values: { newTechCode?: string | null };
  quota: { scopeName: string; share: string; cases: number; quota: number; used: number };
  application: { id: number; kind: string; status: string } | null;
}

/** The 新技术除外 form for the stay the hospital chose, with its 预检. */
function ExclusionForm({
  stay,
  onDone,
  onCancel,
}: {
  stay: Stay;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [code, setCode] = useState("");
  const [a, assessmentError] = useLoad(async () => {
    const r = await api.get<ExclusionAssessment>(`${EXCLUSIONS}/assessment${qs({ setlId: stay.setlId })}`);
    if (r.values.newTechCode) setCode(r.values.newTechCode);
    return r;
  }, [stay.setlId]);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    try {
      await api.post(EXCLUSIONS, {
        setlId: stay.setlId,
        reason,
        ...(code.trim() !== "" ? { newTechCode: code.trim() } : {}),
      });
      onDone(`已提交 ${stay.setlId} 的新技术除外申请，等待审核`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Card title={`申请新技术除外：${stay.setlId}`}>
      <p>
        病组 {stay.drg}，支付标准 {yuan(stay.standardFen)} 元，总费用 {yuan(stay.totalCostFen)} 元，病组支付{" "}
        {yuan(stay.drgPaymentFen)} 元。核准后该病例退出 DRG 付费，按实际费用结算（点数法折算成点数）。
      </p>
      {a && (
        <p className="muted">
          {a.eligible ? "符合" : "不符合"}（{a.figure}）。新技术除外比例上限：本院 {a.quota.scopeName}
          已结算病例 {a.quota.cases} 例 × {a.quota.share}（向下取整）= {a.quota.quota} 例，已申请{" "}
          {a.quota.used} 例。
          {a.application !== null &&
            `该病例已提交${KIND_NAMES[a.application.kind] ?? ""}申请（编号 ${a.application.id}，${APPLICATION_STATUS[a.application.status] ?? ""}）。`}
        </p>
      )}
      <ErrorNote error={error ?? assessmentError} />
      <div className="inline-form">
        <input
          aria-label="新技术项目编码"
          placeholder="新技术项目编码（医保部门备案）"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </div>
      <textarea
        aria-label="申请理由"
        placeholder="申请理由及依据（应用的新技术、费用构成等，必填）"
        rows={3}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="inline-form">
        <button type="button" className="primary" disabled={reason.trim().length < 2} onClick={submit}>
          提交申请
        </button>
        <button type="button" onClick={onCancel}>
          取消
        </button>
      </div>
    </Card>
  );
}

/** 特病单议申请 of a hospital: its stays not yet decided, the form, and its applications. */
export function HospitalSpecialCasePage({ meta }: { meta: Meta }) {
  const [outlier, setOutlier] = useState("high");
  const staysPath = `/api/v1/payment/settlements${qs({ outlier, review: "pending", pageSize: 500 })}`;
  const [stays, staysError] = useLoad(
    () => api.get<{ total: number; items: Stay[] }>(staysPath),
    [staysPath],
  );
  const [apps, appsError, reloadApps] = useLoad(() => api.get<{ items: Application[] }>(APPLICATIONS), []);
  const [selected, setSelected] = useState<Stay | null>(null);
  const [kind, setKind] = useState("specialReview");
  const [message, setMessage] = useState<string | null>(null);
  const done = (m: string) => {
    setMessage(m);
    setSelected(null);
    reloadApps();
  };
  const withdraw = async (r: Application) => {
    setMessage(null);
    try {
      await api.post(`${pathOf(r.kind)}/${r.id}/withdraw`, {});
      done(`已撤回${KIND_NAMES[r.kind] ?? ""}申请 ${r.id}`);
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const stayColumns: Column<Stay>[] = [
    { key: "setlId", title: "结算ID", render: (r) => <ListLink setlId={r.setlId} /> },
    { key: "period", title: "期号" },
    { key: "drg", title: "病组" },
    { key: "outlier", title: "病例类型", labels: { high: "高倍率", low: "低倍率", none: "正常" } },
    { key: "standardFen", title: "支付标准（元）", kind: "money" },
    { key: "totalCostFen", title: "总费用（元）", kind: "money" },
    { key: "drgPaymentFen", title: "病组支付（元）", kind: "money" },
    { key: "balanceFen", title: "结余/超支（元）", kind: "money" },
  ];
  const appColumns: Column<Application>[] = [
    ...applicationColumns(meta),
    {
      key: "actions",
      title: "操作",
      render: (r) =>
        r.status === "pending" ? (
          <button type="button" onClick={() => withdraw(r)}>
            撤回
          </button>
        ) : (
          "—"
        ),
    },
  ];
  return (
    <div>
      <div className="page-title">
        <h1>特病单议申请</h1>
        <select aria-label="申请类别" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="specialReview">特病单议</option>
          <option value="newTechExclusion">新技术除外</option>
        </select>
        <select aria-label="病例范围" value={outlier} onChange={(e) => setOutlier(e.target.value)}>
          <option value="high">高倍率病例</option>
          <option value="">全部已结算病例</option>
        </select>
      </div>
      <p className="muted">
        本院已结算的病例符合支付政策规定的条件（费用达到病组支付标准的规定倍数、重症监护或住院时间超过规定天数、应用已备案的新技术）时，可在申请期限内申请特病单议；每年申请数不超过政策规定的本院病例数比例。提交后由医保部门审核，核准后重新结算该病例。
        应用已备案新技术的极高费用病例，可改选「新技术除外」申请退出 DRG
        付费，按实际费用结算；每年不超过本院病例数的 3‰（以支付政策为准）。
      </p>
      <ErrorNote error={staysError ?? appsError} />
      {message && <div className="note">{message}</div>}
      {selected && kind === "specialReview" && (
        <ApplicationForm
          key={selected.setlId}
          stay={selected}
          onDone={done}
          onCancel={() => setSelected(null)}
        />
      )}
      {selected && kind === "newTechExclusion" && (
        <ExclusionForm
          key={selected.setlId}
          stay={selected}
          onDone={done}
          onCancel={() => setSelected(null)}
        />
      )}
      <Card
        title={`可申请的本院病例（共 ${(stays?.total ?? 0).toLocaleString("zh-CN")} 例）：点击一行填写申请`}
      >
        <DataTable
          testId="special-stays"
          loading={stays === null && staysError === null}
          columns={stayColumns}
          rows={stays?.items ?? []}
          rowKey={(r) => r.setlId}
          onRowClick={(r) => setSelected(r)}
        />
      </Card>
      <Card title="本院的特病单议与新技术除外申请">
        <DataTable
          testId="special-applications"
          loading={apps === null && appsError === null}
          columns={appColumns}
          rows={apps?.items ?? []}
          rowKey={(r) => String(r.id)}
          exportPath={APPLICATIONS}
          exportName="特病单议申请"
        />
      </Card>
    </div>
  );
}

/** The reviewer's decision on a pending application: an amount (or the policy's top-up) and a reason. */
function ApplicationDecision({
  meta,
  app,
  onDone,
  onCancel,
}: {
  meta: Meta;
  app: Application;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const exclusion = app.kind === "newTechExclusion";
  const name = KIND_NAMES[app.kind] ?? "";
  const decide = async (decision: "approved" | "rejected") => {
    setError(null);
    const t = exclusion ? "" : amount.trim().replace(/,/g, "");
    if (decision === "approved" && t !== "" && !/^\d{1,13}(\.\d{1,2})?$/.test(t)) {
      setError("追加金额须为元金额，最多两位小数");
      return;
    }
    try {
      await api.post(`${pathOf(app.kind)}/${app.id}/decision`, {
        decision,
        reason,
        ...(decision === "approved" && t !== "" ? { amount: t } : {}),
      });
      onDone(
        decision === "approved"
          ? `已核准 ${app.setlId} 的${name}申请，并已重新结算${exclusion ? "（退出 DRG，按实际费用）" : ""}`
          : `已驳回 ${app.setlId} 的${name}申请，按原结算支付`,
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Card title={`审核${name}申请 ${app.id}：${app.setlId}`}>
      <p>
        {hospitalName(meta, app.hospitalCode)}，病组 {app.drg ?? "—"}，
        {exclusion ? "申请新技术除外" : `按「${CRITERION_NAMES[app.criterion]}」申请`}：
        {app.figures.figure ?? "—"}。申请理由：{app.reason}
        {exclusion && "核准后该病例退出 DRG 付费，按实际费用结算；结算时仍受本院病例数比例上限约束。"}
      </p>
      <ErrorNote error={error} />
      <div className="inline-form">
        {!exclusion && (
          <input
            aria-label="追加金额"
            placeholder="追加金额（元，留空按政策补足）"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
        )}
        <input
          aria-label="审核意见"
          placeholder="审核意见（必填）"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button
          type="button"
          className="primary"
          disabled={reason.trim() === ""}
          onClick={() => decide("approved")}
        >
          核准
        </button>
        <button type="button" disabled={reason.trim() === ""} onClick={() => decide("rejected")}>
          驳回
        </button>
        <button type="button" onClick={onCancel}>
          取消
        </button>
      </div>
    </Card>
  );
}

/** 待审核的特病单议申请 on the reviewer's 特病单议 page (of the hospital chosen there, if any). */
export function PendingApplications({
  meta,
  hospital,
  canDecide,
  onDecided,
}: {
  meta: Meta;
  hospital: string;
  canDecide: boolean;
  onDecided: (message: string) => void;
}) {
  const path = `${APPLICATIONS}${qs({ status: "pending", hospital })}`;
  const [data, error, reload] = useLoad(() => api.get<{ items: Application[] }>(path), [path]);
  const [selected, setSelected] = useState<Application | null>(null);
  const done = (m: string) => {
    setSelected(null);
    reload();
    onDecided(m);
  };
  return (
    <>
      <ErrorNote error={error} />
      {selected && canDecide && (
        <ApplicationDecision
          key={selected.id}
          meta={meta}
          app={selected}
          onDone={done}
          onCancel={() => setSelected(null)}
        />
      )}
      <Card
        title={`待审核的特病单议与新技术除外申请（共 ${(data?.items.length ?? 0).toLocaleString("zh-CN")} 件）${canDecide ? "：点击一行审核" : ""}`}
      >
        <DataTable
          testId="special-pending-applications"
          loading={data === null && error === null}
          columns={applicationColumns(meta)}
          rows={data?.items ?? []}
          rowKey={(r) => String(r.id)}
          {...(canDecide ? { onRowClick: (r: Application) => setSelected(r) } : {})}
          exportPath={path}
          exportName="待审核的特病单议申请"
        />
      </Card>
    </>
  );
}
