/** 清单查询 and one list's detail: QC findings, group, versions, appeals. */
import { useState } from "react";
import { api, type Meta, qs } from "../api";
import { Card, type Column, DataTable, ErrorNote, HospitalSelect, useLoad } from "../components";
import { APPEAL_STATUS, count, dateTime, GROUP_STATUS, LIST_STATUS, yuan } from "../format";
import { navigate } from "../router";

interface ListRow {
  setlId: string;
  hospital: string;
  hospitalName: string;
  period: string;
  dept: string;
  principalDx: string;
  drg: string;
  drgName: string;
  groupStatus: string;
  schemeName: string;
  status: string;
  totalFeeFen: number;
  los: number | null;
  errorCount: number;
  warningCount: number;
  receivedAt: string;
}

export function ListsPage({ meta }: { meta: Meta }) {
  const params = new URLSearchParams(location.search);
  const [filters, setFilters] = useState({
    hospital: params.get("hospital") ?? "",
    ruleId: params.get("ruleId") ?? "",
    status: "",
    groupStatus: "",
    hasFindings: "",
    q: "",
    drg: "",
  });
  const path = `/api/v1/console/lists${qs({ ...filters, limit: 1000 })}`;
  const [data, error] = useLoad(
    () => api.get<{ total: number; totalCapped?: boolean; rows: ListRow[] }>(path),
    [path],
  );
  const set = (k: keyof typeof filters) => (e: { target: { value: string } }) =>
    setFilters({ ...filters, [k]: e.target.value });
  const columns: Column<ListRow>[] = [
    { key: "setlId", title: "结算ID" },
    { key: "hospital", title: "医院编码" },
    { key: "hospitalName", title: "医院" },
    { key: "period", title: "期号" },
    { key: "dept", title: "出院科别" },
    { key: "principalDx", title: "主要诊断" },
    { key: "drg", title: "DRG" },
    { key: "drgName", title: "病组名称" },
    { key: "groupStatus", title: "分组状态", labels: GROUP_STATUS },
    { key: "schemeName", title: "分组方案" },
    { key: "status", title: "清单状态", labels: LIST_STATUS },
    { key: "totalFeeFen", title: "总费用(元)", kind: "money" },
    { key: "los", title: "住院天数", kind: "count" },
    { key: "errorCount", title: "错误", kind: "count" },
    { key: "warningCount", title: "警告", kind: "count" },
    { key: "receivedAt", title: "上传时间", time: true },
  ];
  return (
    <div>
      <div className="page-title">
        <h1>{meta.user.role === "hospital" ? "本院清单" : "清单查询"}</h1>
      </div>
      <div className="filters">
        <HospitalSelect
          meta={meta}
          value={filters.hospital}
          onChange={(hospital) => setFilters({ ...filters, hospital })}
        />
        <select value={filters.status} onChange={set("status")} aria-label="清单状态">
          <option value="">全部状态</option>
          <option value="accepted">已接收</option>
          <option value="refused">已拒收</option>
        </select>
        <select value={filters.groupStatus} onChange={set("groupStatus")} aria-label="分组状态">
          <option value="">全部分组状态</option>
          {Object.entries(GROUP_STATUS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <select value={filters.hasFindings} onChange={set("hasFindings")} aria-label="质控结果">
          <option value="">质控结果不限</option>
          <option value="true">有质控问题</option>
          <option value="false">无质控问题</option>
        </select>
        <input placeholder="DRG 编码" value={filters.drg} onChange={set("drg")} />
        <input placeholder="规则编号" value={filters.ruleId} onChange={set("ruleId")} />
        <input placeholder="结算ID/病案号前缀" value={filters.q} onChange={set("q")} />
      </div>
      <ErrorNote error={error} />
      <Card
        title={`清单（共 ${count(data?.total ?? 0)}${data?.totalCapped ? " 余" : ""} 份，显示最近 ${count(data?.rows.length ?? 0)} 份）`}
      >
        <DataTable
          testId="lists-table"
          loading={data === null && error === null}
          columns={columns}
          rows={data?.rows ?? []}
          rowKey={(r) => r.setlId}
          exportPath={path}
          exportName="结算清单"
          onRowClick={(r) => navigate(`/lists/${encodeURIComponent(r.setlId)}`)}
        />
      </Card>
    </div>
  );
}

interface Detail {
  list: Record<string, unknown>;
  scheme: { id: string; name: string };
  findings: { seq: number; ruleId: string; severity: string; field: string; message: string }[];
  appeals: { id: number; seq: number; status: string; reason: string; decision_comment: string | null }[];
  [k: string]: unknown;
}

/** 清单摘要: hospital, status, group and the scheme that grouped it, principal diagnosis and procedure, stay, money, version, upload times. */
function ListFacts({ c, scheme }: { c: Record<string, unknown>; scheme: Detail["scheme"] }) {
  return (
    <Card title="清单摘要">
      <dl className="facts" data-testid="list-facts">
        <dt>医院</dt>
        <dd>{String(c.hospital_name ?? "")}</dd>
        <dt>清单状态</dt>
        <dd>{LIST_STATUS[String(c.status)] ?? String(c.status)}</dd>
        <dt>DRG</dt>
        <dd data-testid="list-drg">
          {String(c.drg ?? "")} {String(c.drg_name ?? "")}（{GROUP_STATUS[String(c.group_status)] ?? ""}）
        </dd>
        <dt>分组方案</dt>
        <dd data-testid="list-scheme">{scheme.name}</dd>
        <dt>主要诊断</dt>
        <dd>{String(c.principal_dx ?? "")}</dd>
        <dt>主要手术</dt>
        <dd>{String(c.principal_oprn ?? "") || "—"}</dd>
        <dt>出院科别</dt>
        <dd>{String(c.dscg_caty ?? "")}</dd>
        <dt>住院天数</dt>
        <dd>{String(c.los ?? "—")}</dd>
        <dt>总费用</dt>
        <dd>{yuan(Number(c.total_fee_fen ?? 0))} 元</dd>
        <dt>基金支付</dt>
        <dd>{yuan(Number(c.fund_pay_fen ?? 0))} 元</dd>
        <dt>版本</dt>
        <dd>{String(c.version ?? "")}</dd>
        <dt>上传时间</dt>
        <dd>{dateTime(c.received_at)}</dd>
        {c.upload_time_source === "file" || c.upload_time_source === "stated" ? (
          <>
            <dt>原始上传时间</dt>
            <dd data-testid="original-upload-time">
              {dateTime(c.uploaded_at)}（历史清单导入，
              {c.upload_time_source === "file" ? "取自文件" : "指定日期"}；上传时限按此时间检查）
            </dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}

export function ListDetailPage({ meta, setlId }: { meta: Meta; setlId: string }) {
  const [data, error, reload] = useLoad(
    () => api.get<Detail>(`/api/v1/console/lists/${encodeURIComponent(setlId)}`),
    [setlId],
  );
  const [reason, setReason] = useState<Record<number, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const c = data?.list ?? {};
  const findings = data?.findings ?? [];
  const appealOf = (seq: number) => data?.appeals.find((a) => a.seq === seq);
  const appeal = async (seq: number) => {
    setMessage(null);
    try {
      await api.post("/api/v1/console/appeals", { setlId, seq, reason: reason[seq] ?? "" });
      setMessage("申诉已提交，等待审核员审核");
      reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  return (
    <div>
      <div className="page-title">
        <h1>结算清单 {setlId}</h1>
        <button type="button" onClick={() => history.back()}>
          返回
        </button>
      </div>
      <ErrorNote error={error} />
      {message && <div className="note">{message}</div>}
      {data && (
        <>
          <ListFacts c={c} scheme={data.scheme} />
          <Card title={`质控结果（${findings.length} 条）`}>
            <table data-testid="findings-table">
              <thead>
                <tr>
                  <th>规则</th>
                  <th>严重程度</th>
                  <th>字段</th>
                  <th>说明</th>
                  <th>申诉</th>
                </tr>
              </thead>
              <tbody>
                {findings.map((f) => {
                  const a = appealOf(f.seq);
                  return (
                    <tr key={f.seq}>
                      <td>{f.ruleId}</td>
                      <td>{f.severity === "error" ? "错误" : "警告"}</td>
                      <td>{f.field}</td>
                      <td>{f.message}</td>
                      <td>
                        {a ? (
                          <span>
                            {APPEAL_STATUS[a.status]}
                            {a.decision_comment ? `：${a.decision_comment}` : ""}
                          </span>
                        ) : meta.user.role === "hospital" ? (
                          <span className="inline-form">
                            <input
                              placeholder="申诉理由"
                              value={reason[f.seq] ?? ""}
                              onChange={(e) => setReason({ ...reason, [f.seq]: e.target.value })}
                            />
                            <button type="button" onClick={() => appeal(f.seq)}>
                              提交申诉
                            </button>
                          </span>
                        ) : (
                          "—"
                        )}
                      </td>
                    </tr>
                  );
                })}
                {findings.length === 0 && (
                  <tr>
                    <td colSpan={5} className="muted">
                      无质控问题
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </Card>
        </>
      )}
    </div>
  );
}
