/**
 * 智能审核: the audit findings (审核发现) with their case workflow. A hospital appeals a finding with
 * its evidence or accepts it; a reviewer upholds or overturns an appeal; the bureau turns upheld
 * findings into deductions at the year-end clearing. Each finding shows both settlements (as
 * uploaded and as corrected) side by side, and the full trail of who did what when.
 */
import { useState } from "react";
import { api, type Meta, qs } from "../api";
import {
  Card,
  type Column,
  DataTable,
  ErrorNote,
  HospitalSelect,
  ListLink,
  PeriodPicker,
  type PeriodRange,
  useLoad,
} from "../components";
import { dateTime, yuan } from "../format";

interface AuditMeta {
  violationTypes: Record<string, string>;
  caseStates: Record<string, string>;
  outcomes: string[];
  settlementCategories: Record<string, string>;
}

interface FindingRow {
  findingId: string;
  period: string;
  hospitalCode: string;
  physicianCode: string | null;
  setlIds: string[];
  ruleId: string;
  ruleName: string;
  category: string;
  violation: string;
  violationName: string;
  outcome: string;
  message: string;
  fundLossFen: number;
  deductionFen: number;
  status: string;
  statusName: string;
  /** 说明期限: the last day to appeal or accept an open 可疑 finding; null when none applies. */
  responseDeadline: string | null;
}

/** One stay's settlement as the audit priced it (原结算 / 重新结算), money in fen. */
interface PricedSettlement {
  id: string;
  drg: string;
  category: string;
  standard: number | null;
  drgPayment: number;
  totalCost: number;
  patientShare: number;
  fundPayment: number;
}

interface TrailEvent {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  from: string;
  to: string;
  note: string;
  evidence: { title: string; content: string }[] | null;
}

/** The stored finding row (snake_case, as the audit API returns it). */
interface FindingDetail {
  finding: {
    finding_id: string;
    period: string;
    hospital_code: string;
    physician_code: string | null;
    setl_ids: string[];
    rule_id: string;
    rule_name: string;
    category: string;
    outcome: string;
    message: string;
    evidence: { text: string }[] | null;
    fund_loss_fen: number;
    deduction_fen: number;
    status: string;
    statusName: string;
    violationName: string;
  };
  settlements: { original: PricedSettlement[] | null; corrected: PricedSettlement[] | null } | null;
  trail: TrailEvent[];
}

const ROLE_NAMES: Record<string, string> = {
  hospital: "医院",
  reviewer: "审核员",
  bureau: "医保局",
  system: "系统",
};

function SettlementSide({
  title,
  stays,
  categories,
}: {
  title: string;
  stays: PricedSettlement[] | null;
  categories: Record<string, string>;
}) {
  if (!stays || stays.length === 0) return null;
  const sum = (f: (x: PricedSettlement) => number) => stays.reduce((n, x) => n + f(x), 0);
  const rows: [string, string][] = [
    ["病组", stays.map((x) => x.drg).join("、")],
    ["结算类别", stays.map((x) => categories[x.category] ?? x.category).join("、")],
    ["支付标准（元）", stays.map((x) => (x.standard == null ? "—" : yuan(x.standard))).join("、")],
    ["病组支付（元）", yuan(sum((x) => x.drgPayment))],
    ["总费用（元）", yuan(sum((x) => x.totalCost))],
    ["个人负担（元）", yuan(sum((x) => x.patientShare))],
    ["基金支付（元）", yuan(sum((x) => x.fundPayment))],
  ];
  return (
    <div>
      <h3>
        {title}
        {stays.length > 1 ? `（${stays.length} 次住院）` : ""}
      </h3>
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function FindingFacts({ f }: { f: FindingDetail["finding"] }) {
  return (
    <dl className="facts" data-testid="finding-facts">
      <div>
        <dt>违规类型</dt>
        <dd>{f.violationName}</dd>
      </div>
      <div>
        <dt>规则</dt>
        <dd>
          {f.rule_id} {f.rule_name}（{f.category}，{f.outcome}）
        </dd>
      </div>
      <div>
        <dt>医院 / 期号</dt>
        <dd>
          {f.hospital_code} / {f.period}
        </dd>
      </div>
      <div>
        <dt>结算清单</dt>
        <dd>
          {f.setl_ids.map((sid) => (
            <span key={sid}>
              <ListLink setlId={sid} />{" "}
            </span>
          ))}
        </dd>
      </div>
      <div className="wide">
        <dt>审核意见</dt>
        <dd>{f.message}</dd>
      </div>
      <div className="wide">
        <dt>证据</dt>
        <dd>
          {(f.evidence ?? []).map((e) => (
            <div key={e.text}>{e.text}</div>
          ))}
        </dd>
      </div>
      <div>
        <dt>基金损失 / 拟扣款（元）</dt>
        <dd>
          {yuan(f.fund_loss_fen)} / {yuan(f.deduction_fen)}
        </dd>
      </div>
    </dl>
  );
}

/** 操作留痕: every step of the case, who took it in which role, and the material filed. */
function CaseTrail({ trail, names }: { trail: TrailEvent[]; names: AuditMeta | null }) {
  return (
    <table data-testid="finding-trail">
      <thead>
        <tr>
          <th>时间</th>
          <th>操作人</th>
          <th>角色</th>
          <th>状态变化</th>
          <th>说明</th>
        </tr>
      </thead>
      <tbody>
        {trail.map((t) => (
          <tr key={t.seq}>
            <td>{dateTime(t.at)}</td>
            <td>{t.actor}</td>
            <td>{ROLE_NAMES[t.role] ?? t.role}</td>
            <td>
              {names?.caseStates[t.from] ?? t.from} → {names?.caseStates[t.to] ?? t.to}
            </td>
            <td>
              {t.note}
              {t.evidence?.map((e) => (
                <div key={e.title} className="muted">
                  材料「{e.title}」：{e.content}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A case action: the path under the finding, its body, and what to say when it is done. */
type CaseAct = (url: string, body: unknown, done: string) => Promise<boolean>;

/** What the signed-in role may do with the finding in its state: appeal/accept, decide, or deduct. */
function CaseActions({ role, status, act }: { role: string; status: string; act: CaseAct }) {
  const [text, setText] = useState("");
  const [evidence, setEvidence] = useState("");
  const run = async (url: string, body: unknown, done: string) => {
    if (await act(url, body, done)) {
      setText("");
      setEvidence("");
    }
  };
  if (role === "hospital" && status === "open") {
    return (
      <div className="message-input">
        <textarea
          aria-label="申诉理由"
          placeholder="申诉理由（如：该诊断有病历记载与检查支持）"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <textarea
          aria-label="申诉材料"
          placeholder="申诉材料（病历摘要、检查报告等，可选）"
          value={evidence}
          onChange={(e) => setEvidence(e.target.value)}
        />
        <button
          type="button"
          className="primary"
          disabled={text.trim() === ""}
          onClick={() =>
            run(
              "appeal",
              {
                statement: text,
                evidence: evidence.trim() ? [{ title: "申诉材料", content: evidence }] : [],
              },
              "已提交申诉，等待审核员复核",
            )
          }
        >
          提交申诉
        </button>{" "}
        <button type="button" onClick={() => run("accept", {}, "已认可审核结果")}>
          认可审核结果
        </button>
      </div>
    );
  }
  if (role === "reviewer" && status === "appealed") {
    return (
      <div className="message-input">
        <textarea
          aria-label="复核意见"
          placeholder="复核意见"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button
          type="button"
          className="primary"
          disabled={text.trim() === ""}
          onClick={() => run("decision", { decision: "upheld", reason: text }, "已维持审核结果")}
        >
          维持（申诉不成立）
        </button>{" "}
        <button
          type="button"
          disabled={text.trim() === ""}
          onClick={() => run("decision", { decision: "overturned", reason: text }, "已撤销审核结果")}
        >
          撤销（申诉成立）
        </button>
      </div>
    );
  }
  if ((role === "bureau" || role === "admin") && status === "upheld") {
    return (
      <button
        type="button"
        className="primary"
        onClick={() => run("deduct", {}, "已登记扣款，将在年终清算中扣除")}
      >
        登记扣款
      </button>
    );
  }
  return null;
}

function FindingPanel({
  meta,
  id,
  names,
  onChanged,
}: {
  meta: Meta;
  id: string;
  names: AuditMeta | null;
  onChanged: () => void;
}) {
  const path = `/api/v1/audit/findings/${encodeURIComponent(id)}`;
  const [data, error, reload] = useLoad(() => api.get<FindingDetail>(path), [path]);
  const [message, setMessage] = useState<string | null>(null);
  const act: CaseAct = async (url, body, done) => {
    setMessage(null);
    try {
      await api.post(`${path}/${url}`, body);
      setMessage(done);
      reload();
      onChanged();
      return true;
    } catch (e) {
      setMessage((e as Error).message);
      return false;
    }
  };
  if (error) return <ErrorNote error={error} />;
  if (!data) return <div className="loading">加载中……</div>;
  const f = data.finding;
  const s = data.settlements;
  const categories = names?.settlementCategories ?? {};
  return (
    <Card title={`审核发现 ${f.finding_id}`} extra={<span className="muted">{f.statusName}</span>}>
      <FindingFacts f={f} />
      {s && (s.original || s.corrected) && (
        <div className="grid2" data-testid="finding-settlements">
          <SettlementSide title="按上传结算" stays={s.original} categories={categories} />
          <SettlementSide title="按更正重新结算" stays={s.corrected} categories={categories} />
        </div>
      )}
      <h3>操作留痕</h3>
      <CaseTrail trail={data.trail} names={names} />
      {message && <div className="note">{message}</div>}
      <CaseActions key={`${f.finding_id}:${f.status}`} role={meta.user.role} status={f.status} act={act} />
    </Card>
  );
}

export function AuditPage({ meta }: { meta: Meta }) {
  const role = meta.user.role;
  const [type, setType] = useState("");
  const [status, setStatus] = useState(role === "reviewer" ? "appealed" : role === "hospital" ? "open" : "");
  const [outcome, setOutcome] = useState("");
  const [hospital, setHospital] = useState("");
  const [range, setRange] = useState<PeriodRange>({ periodFrom: "", periodTo: "" });
  const [selected, setSelected] = useState<string | null>(null);
  const [names] = useLoad(() => api.get<AuditMeta>("/api/v1/audit/meta"), []);
  const path = `/api/v1/audit/findings${qs({ type, status, outcome, hospital, ...range, limit: 1000 })}`;
  const [data, error, reload] = useLoad(
    () => api.get<{ total: number; totalFundLossFen: number; items: FindingRow[] }>(path),
    [path],
  );
  const columns: Column<FindingRow>[] = [
    { key: "period", title: "期号" },
    ...(role === "hospital" ? [] : [{ key: "hospitalCode", title: "医院" }]),
    { key: "violationName", title: "违规类型" },
    { key: "setlIds", title: "结算清单", value: (r) => r.setlIds.join(" ") },
    { key: "outcome", title: "结论" },
    { key: "message", title: "审核意见" },
    { key: "fundLossFen", title: "基金损失（元）", kind: "money" },
    { key: "physicianCode", title: "医师" },
    { key: "statusName", title: "状态" },
    { key: "responseDeadline", title: "说明期限", value: (r) => r.responseDeadline ?? "—" },
  ];
  return (
    <div>
      <div className="page-title">
        <h1>{role === "hospital" ? "审核发现与申诉" : "智能审核队列"}</h1>
        <PeriodPicker periods={meta.periods} value={range} onChange={setRange} />
      </div>
      <div className="filters">
        <select aria-label="违规类型" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">全部违规类型</option>
          {Object.entries(names?.violationTypes ?? {}).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <select aria-label="案件状态" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">全部状态</option>
          {Object.entries(names?.caseStates ?? {}).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <select aria-label="审核结论" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          <option value="">明确违规与可疑</option>
          {(names?.outcomes ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <HospitalSelect meta={meta} value={hospital} onChange={setHospital} />
      </div>
      <ErrorNote error={error} />
      {data && (
        <p className="muted" data-testid="audit-summary">
          共 {data.total.toLocaleString("zh-CN")} 条审核发现，基金损失合计 {yuan(data.totalFundLossFen)} 元
          {data.total > data.items.length ? `（显示前 ${data.items.length} 条）` : ""}
        </p>
      )}
      {selected && <FindingPanel key={selected} meta={meta} id={selected} names={names} onChanged={reload} />}
      <Card title="审核发现">
        <DataTable
          testId="audit-table"
          loading={data === null && error === null}
          columns={columns}
          rows={data?.items ?? []}
          rowKey={(r) => r.findingId}
          onRowClick={(r) => setSelected(r.findingId)}
          exportPath={path}
          exportName="审核发现"
        />
      </Card>
    </div>
  );
}
