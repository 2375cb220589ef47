/** 账号管理 and 操作日志. */
import { useState } from "react";
import { api, type Meta } from "../api";
import { Card, type Column, DataTable, ErrorNote, useLoad } from "../components";

interface UserRow {
  id: number;
  username: string;
  displayName: string;
  role: string;
  hospitalCode: string | null;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

const ROLE_NAME = new Map([
  ["bureau", "医保局"],
  ["hospital", "医院"],
  ["reviewer", "审核员"],
  ["admin", "管理员"],
]);

/** 新建账号: user name, name, role, the hospital of a hospital account, and an initial password. */
function NewUserForm({
  meta,
  onCreated,
  onMessage,
}: {
  meta: Meta;
  onCreated: () => void;
  onMessage: (m: string | null) => void;
}) {
  const [form, setForm] = useState({
    username: "",
    displayName: "",
    role: "hospital",
    hospitalCode: "",
    password: "",
  });
  const create = async () => {
    onMessage(null);
    try {
      await api.post("/api/v1/console/users", {
        ...form,
        ...(form.role === "hospital" ? {} : { hospitalCode: undefined }),
      });
      onMessage(`已创建账号 ${form.username}`);
      onCreated();
    } catch (e) {
      onMessage((e as Error).message);
    }
  };
  return (
    <Card title="新建账号">
      <div className="filters">
        <input
          placeholder="用户名"
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
        />
        <input
          placeholder="姓名/名称"
          value={form.displayName}
          onChange={(e) => setForm({ ...form, displayName: e.target.value })}
        />
        <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
          {[...ROLE_NAME].map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        {form.role === "hospital" && (
          <select
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
        )}
        <input
          type="password"
          placeholder="初始密码（≥12位，大小写字母、数字、符号至少三类）"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <button type="button" className="primary" onClick={create}>
          创建
        </button>
      </div>
    </Card>
  );
}

export function UsersPage({ meta }: { meta: Meta }) {
  const [data, error, reload] = useLoad(() => api.get<{ rows: UserRow[] }>("/api/v1/console/users"), []);
  const [message, setMessage] = useState<string | null>(null);
  const resetPassword = async (u: UserRow) => {
    if (!window.confirm(`为账号 ${u.username} 生成新密码？其现有登录会话将全部结束。`)) return;
    setMessage(null);
    try {
      const r = await api.post<{ username: string; password: string }>(
        `/api/v1/console/users/${u.id}/password`,
      );
      setMessage(
        `已重置账号 ${r.username} 的密码。新密码（只显示这一次，请妥善转交）：${r.password}；登录后须先修改。`,
      );
      reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const toggle = async (u: UserRow) => {
    try {
      await api.post(`/api/v1/console/users/${u.id}/status`, { disabled: !u.disabled });
      reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const columns: Column<UserRow>[] = [
    { key: "id", title: "编号", kind: "count" },
    { key: "username", title: "用户名" },
    { key: "displayName", title: "姓名/名称" },
    { key: "role", title: "角色", labels: Object.fromEntries(ROLE_NAME) },
    { key: "hospitalCode", title: "所属医院" },
    {
      key: "disabled",
      title: "状态",
      value: (r) => (r.disabled ? "已停用" : r.mustChangePassword ? "待修改初始密码" : "正常"),
    },
    { key: "createdAt", title: "创建时间", time: true },
    {
      key: "actions",
      title: "操作",
      render: (r) =>
        r.id === meta.user.id ? (
          "—"
        ) : (
          <>
            <button type="button" onClick={() => toggle(r)}>
              {r.disabled ? "启用" : "停用"}
            </button>{" "}
            <button type="button" onClick={() => resetPassword(r)}>
              重置密码
            </button>
          </>
        ),
    },
  ];
  return (
    <div>
      <div className="page-title">
        <h1>账号管理</h1>
      </div>
      <ErrorNote error={error} />
      {message && <div className="note">{message}</div>}
      <NewUserForm meta={meta} onCreated={reload} onMessage={setMessage} />
      <Card title="账号列表">
        <DataTable
          columns={columns}
          loading={data === null && error === null}
          rows={data?.rows ?? []}
          rowKey={(r) => String(r.id)}
          exportPath="/api/v1/console/users"
          exportName="账号"
        />
      </Card>
    </div>
  );
}

interface LogRow {
  id: number;
  at: string;
  username: string;
  role: string;
  roleName: string;
  hospital_code: string | null;
  action: string;
  target: string;
  detail: unknown;
  detailText: string;
  status_code: number | null;
  ip: string;
}

export function OplogPage() {
  const path = "/api/v1/console/oplog?limit=1000";
  const [data, error] = useLoad(() => api.get<{ rows: LogRow[] }>(path), []);
  const columns: Column<LogRow>[] = [
    { key: "at", title: "时间", time: true },
    { key: "username", title: "用户" },
    { key: "roleName", title: "角色" },
    { key: "hospital_code", title: "医院" },
    { key: "action", title: "操作" },
    { key: "target", title: "对象" },
    { key: "detailText", title: "详情" },
    {
      key: "status_code",
      title: "结果",
      value: (r) => (r.status_code === null ? "—" : r.status_code < 400 ? "成功" : `失败(${r.status_code})`),
    },
    { key: "ip", title: "来源IP" },
  ];
  return (
    <div>
      <div className="page-title">
        <h1>操作日志</h1>
      </div>
      <ErrorNote error={error} />
      <Card title="最近 1000 条">
        <DataTable
          testId="oplog-table"
          loading={data === null && error === null}
          columns={columns}
          rows={data?.rows ?? []}
          rowKey={(r) => String(r.id)}
          exportPath={path}
          exportName="操作日志"
        />
      </Card>
    </div>
  );
}
