/**
 * 机构接口密钥 (bureau and administrators): the keys hospital information systems sign their requests
 * with. Issuing shows the secret once; revoking asks for confirmation.
 */
import { useState } from "react";
import { api, type Meta, qs } from "../api";
import { Card, type Column, DataTable, ErrorNote, HospitalSelect, useLoad } from "../components";
import { dateTime } from "../format";

interface ApiKeyRow {
  keyId: string;
  hospitalCode: string;
  hospitalName: string | null;
  name: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
  status: "active" | "revoked" | "expired";
}

interface Issued {
  keyId: string;
  secret: string;
  hospitalCode: string;
  name: string;
  expiresAt: string;
}

const STATUS: Record<ApiKeyRow["status"], string> = { active: "有效", revoked: "已吊销", expired: "已过期" };
const MAX_DAYS = 1095;

/** The secret just issued, shown this once with a copy button. */
function IssuedSecret({
  meta,
  issued,
  onClose,
  onMessage,
}: {
  meta: Meta;
  issued: Issued;
  onClose: () => void;
  onMessage: (m: string) => void;
}) {
  const [copied, setCopied] = useState(false);
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      onMessage("浏览器不允许自动复制，请选中密钥后手动复制");
    }
  };
  return (
    <div className="note secret-once" data-testid="issued-secret" role="status">
      <strong>
        已签发密钥。密钥只显示这一次，请立即复制并妥善保存到医院信息系统中，关闭后无法再次查看。
      </strong>
      <dl>
        <dt>医院</dt>
        <dd>{meta.hospitals.find((h) => h.code === issued.hospitalCode)?.name ?? issued.hospitalCode}</dd>
        <dt>密钥编号（X-Yibao-Key-Id）</dt>
        <dd>
          <code data-testid="issued-key-id">{issued.keyId}</code>
        </dd>
        <dt>密钥</dt>
        <dd>
          <code data-testid="issued-secret-value">{issued.secret}</code>{" "}
          <button type="button" onClick={() => copy(issued.secret)}>
            {copied ? "已复制" : "复制密钥"}
          </button>
        </dd>
        <dt>有效期至</dt>
        <dd>{dateTime(issued.expiresAt)}</dd>
      </dl>
      <button type="button" className="primary" onClick={onClose}>
        我已保存，关闭
      </button>
    </div>
  );
}

/** 签发密钥: hospital, purpose and days, checked before they are sent. */
function IssueForm({
  meta,
  onIssued,
  onMessage,
}: {
  meta: Meta;
  onIssued: (issued: Issued) => void;
  onMessage: (m: string | null) => void;
}) {
  const [form, setForm] = useState({ hospitalCode: "", name: "", days: "365" });
  const issue = async () => {
    onMessage(null);
    const days = Number(form.days);
    if (!form.hospitalCode) return onMessage("请选择医院");
    if (!form.name.trim()) return onMessage("请填写名称/用途");
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)
      return onMessage(`有效期须为 1–${MAX_DAYS} 天（最长 3 年）`);
    try {
      const r = await api.post<Issued>("/api/v1/api-keys", {
        hospitalCode: form.hospitalCode,
        name: form.name.trim(),
        expiresInDays: days,
      });
      setForm({ ...form, name: "" });
      onIssued(r);
    } catch (e) {
      onMessage((e as Error).message);
    }
  };
  return (
    <Card title="签发密钥">
      <div className="filters">
        <select
          aria-label="签发给医院"
          name="hospitalCode"
          value={form.hospitalCode}
          onChange={(e) => setForm({ ...form, hospitalCode: e.target.value })}
        >
          <option value="">选择医院</option>
          {meta.hospitals.map((h) => (
            <option key={h.code} value={h.code}>
              {h.name}
            </option>
          ))}
        </select>
        <input
          name="keyName"
          placeholder="名称/用途（如：HIS 清单上传）"
          maxLength={60}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <label>
          有效期（天）
          <input
            name="expiresInDays"
            type="number"
            min={1}
            max={MAX_DAYS}
            value={form.days}
            onChange={(e) => setForm({ ...form, days: e.target.value })}
          />
        </label>
        <button type="button" className="primary" onClick={issue}>
          签发
        </button>
      </div>
    </Card>
  );
}

function keyColumns(revoke: (k: ApiKeyRow) => void): Column<ApiKeyRow>[] {
  return [
    { key: "keyId", title: "密钥编号" },
    { key: "hospital", title: "医院", value: (r) => r.hospitalName ?? r.hospitalCode },
    { key: "name", title: "名称/用途" },
    { key: "status", title: "状态", labels: STATUS },
    { key: "createdBy", title: "签发人" },
    { key: "createdAt", title: "签发时间", time: true },
    { key: "expiresAt", title: "有效期至", time: true },
    {
      key: "lastUsedAt",
      title: "最近使用",
      value: (r) => (r.lastUsedAt ? dateTime(r.lastUsedAt) : "从未使用"),
    },
    {
      key: "revokedAt",
      title: "吊销",
      value: (r) => (r.revokedAt ? `${dateTime(r.revokedAt)}（${r.revokedBy ?? ""}）` : "—"),
    },
    {
      key: "actions",
      title: "操作",
      render: (r) =>
        r.status === "revoked" ? (
          "—"
        ) : (
          <button type="button" onClick={() => revoke(r)}>
            吊销
          </button>
        ),
    },
  ];
}

export function ApiKeysPage({ meta }: { meta: Meta }) {
  const [hospital, setHospital] = useState("");
  const [data, error, reload] = useLoad(
    () => api.get<{ rows: ApiKeyRow[] }>(`/api/v1/api-keys${qs({ hospital })}`),
    [hospital],
  );
  const [issued, setIssued] = useState<Issued | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const revoke = async (k: ApiKeyRow) => {
    const ok = window.confirm(
      `确定吊销密钥 ${k.keyId}（${k.hospitalName ?? k.hospitalCode}，${k.name}）？\n吊销后，使用该密钥的系统将立即无法调用接口，且不能恢复。`,
    );
    if (!ok) return;
    setMessage(null);
    try {
      await api.post(`/api/v1/api-keys/${encodeURIComponent(k.keyId)}/revoke`);
      setMessage(`已吊销密钥 ${k.keyId}`);
      reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };

  return (
    <div>
      <div className="page-title">
        <h1>机构接口密钥</h1>
      </div>
      <p className="hint">
        医院信息系统以本院的接口密钥签名调用清单上传、清单查询与事前提醒接口（签名方法见项目
        README「机构接口签名」）。 密钥只在签发时显示一次，服务器不保存密钥本身；遗失请吊销后重新签发。
      </p>
      <ErrorNote error={error} />
      {message && <div className="note">{message}</div>}
      {issued && (
        <IssuedSecret
          key={issued.keyId}
          meta={meta}
          issued={issued}
          onClose={() => setIssued(null)}
          onMessage={setMessage}
        />
      )}
      <IssueForm
        meta={meta}
        onIssued={(r) => {
          setIssued(r);
          reload();
        }}
        onMessage={setMessage}
      />
      <Card title="密钥列表" extra={<HospitalSelect meta={meta} value={hospital} onChange={setHospital} />}>
        <DataTable
          testId="api-keys-table"
          columns={keyColumns(revoke)}
          loading={data === null && error === null}
          rows={data?.rows ?? []}
          rowKey={(r) => r.keyId}
        />
      </Card>
    </div>
  );
}
