/** 申诉: hospitals follow their appeals; reviewers decide the pending ones (审核队列). */
import { useState } from "react";
import { api, type Meta, qs } from "../api";
import { Card, type Column, DataTable, ErrorNote, ListLink, useLoad } from "../components";
import { APPEAL_STATUS } from "../format";

interface Appeal {
  id: number;
  setl_id: string;
  seq: number;
  rule_id: string;
  finding_message: string;
  hospital_code: string;
  reason: string;
  status: string;
  filed_by: string;
  filed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_comment: string | null;
}

export function AppealsPage({ meta }: { meta: Meta }) {
  const [status, setStatus] = useState(meta.user.role === "reviewer" ? "pending" : "");
  const path = `/api/v1/console/appeals${qs({ status })}`;
  const [data, error, reload] = useLoad(() => api.get<{ rows: Appeal[] }>(path), [path]);
  const [comment, setComment] = useState<Record<number, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const canDecide = meta.user.role === "reviewer" || meta.user.role === "bureau";
  const decide = async (id: number, decision: "accepted" | "rejected") => {
    setMessage(null);
    try {
      await api.post(`/api/v1/console/appeals/${id}/decision`, { decision, comment: comment[id] ?? "" });
      setMessage(`申诉 ${id} 已${decision === "accepted" ? "判定成立" : "驳回"}`);
      reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const columns: Column<Appeal>[] = [
    { key: "id", title: "编号", kind: "count" },
    {
      key: "setl_id",
      title: "结算ID",
      render: (r) => <ListLink setlId={r.setl_id} />,
    },
    { key: "hospital_code", title: "医院" },
    { key: "rule_id", title: "规则" },
    // The decision first, where it is seen without scrolling the table.
    { key: "status", title: "状态", labels: APPEAL_STATUS },
    { key: "decision_comment", title: "审核意见" },
    { key: "finding_message", title: "质控问题" },
    { key: "reason", title: "申诉理由" },
    { key: "filed_at", title: "提交时间", time: true },
    { key: "decided_by", title: "审核人" },
    ...(canDecide
      ? [
          {
            key: "actions",
            title: "操作",
            render: (r: Appeal) =>
              r.status === "pending" ? (
                <span className="inline-form">
                  <input
                    placeholder="审核意见"
                    value={comment[r.id] ?? ""}
                    onChange={(e) => setComment({ ...comment, [r.id]: e.target.value })}
                  />
                  <button type="button" onClick={() => decide(r.id, "accepted")}>
                    申诉成立
                  </button>
                  <button type="button" onClick={() => decide(r.id, "rejected")}>
                    驳回
                  </button>
                </span>
              ) : (
                "—"
              ),
          } satisfies Column<Appeal>,
        ]
      : []),
  ];
  return (
    <div>
      <div className="page-title">
        <h1>{canDecide ? "审核队列与申诉" : "申诉"}</h1>
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label="申诉状态">
          <option value="">全部</option>
          {Object.entries(APPEAL_STATUS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={error} />
      {message && <div className="note">{message}</div>}
      {meta.user.role === "hospital" && (
        <p className="muted">在“本院清单”中打开一份清单，可对其质控问题提交申诉。</p>
      )}
      <Card title="申诉列表">
        <DataTable
          testId="appeals-table"
          loading={data === null && error === null}
          columns={columns}
          rows={data?.rows ?? []}
          rowKey={(r) => String(r.id)}
          exportPath={path}
          exportName="申诉"
        />
      </Card>
    </div>
  );
}
