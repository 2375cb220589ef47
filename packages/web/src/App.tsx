/** The console shell: sign-in, role menus, page routing. */
import { type ReactNode, useCallback, useEffect, useState } from "react";
import { ApiError, api, type Meta, setCsrfToken } from "./api";
import { ErrorNote } from "./components";
import { schemeLabel, userLabel } from "./format";
import { OplogPage, UsersPage } from "./pages/Admin";
import { ApiKeysPage } from "./pages/ApiKeys";
import { AppealsPage } from "./pages/Appeals";
import { AuditPage } from "./pages/Audit";
import { DipClearingPage } from "./pages/DipClearing";
import { DrilldownPage } from "./pages/Drilldown";
import { HospitalsPage } from "./pages/Hospitals";
import { ListDetailPage, ListsPage } from "./pages/Lists";
import { OverviewPage } from "./pages/Overview";
import { ClearingPage, SpecialCasesPage } from "./pages/Payment";
import { PhysiciansPage } from "./pages/Physicians";
import { QcPage } from "./pages/Qc";
import { RankingPage } from "./pages/Ranking";
import { RegionPage } from "./pages/Region";
import { HospitalSpecialCasePage } from "./pages/SpecialApplications";
import { UploadPage, WhatIfPage } from "./pages/Upload";
import { navigate, usePath } from "./router";

interface MenuItem {
  path: string;
  label: string;
}

function menu(meta: Meta): MenuItem[] {
  const own = meta.user.hospitalCode ?? "";
  switch (meta.user.role) {
    case "hospital":
      return [
        { path: "/overview", label: "本院概览" },
        { path: "/lists", label: "本院清单" },
        { path: `/hospitals/${own}`, label: "科室与医师结余" },
        { path: "/qc", label: "质控问题" },
        { path: "/upload", label: "上传清单" },
        { path: "/what-if", label: "试分组" },
        { path: "/audit", label: "审核发现与申诉" },
        { path: "/appeals", label: "质控申诉" },
        { path: "/special-cases", label: "特病单议申请" },
        { path: "/clearing", label: "年终清算单" },
        { path: "/dip-clearing", label: "DIP 清算单" },
        { path: "/region", label: "地区配置" },
        { path: "/hospital-data", label: "医院主数据" },
      ];
    case "reviewer":
      return [
        { path: "/audit", label: "审核队列" },
        { path: "/physicians", label: "医师画像" },
        { path: "/appeals", label: "质控申诉" },
        { path: "/overview", label: "区域概览" },
        { path: "/ranking", label: "医院排名" },
        { path: "/qc", label: "质控问题" },
        { path: "/lists", label: "清单查询" },
        { path: "/special-cases", label: "特病单议" },
        { path: "/region", label: "地区配置" },
        { path: "/hospital-data", label: "医院主数据" },
      ];
    case "admin":
      return [
        { path: "/users", label: "账号管理" },
        { path: "/oplog", label: "操作日志" },
        { path: "/api-keys", label: "机构接口密钥" },
        { path: "/overview", label: "区域概览" },
        { path: "/ranking", label: "医院排名" },
        { path: "/lists", label: "清单查询" },
        { path: "/physicians", label: "医师画像" },
        { path: "/region", label: "地区配置" },
        { path: "/hospital-data", label: "医院主数据" },
      ];
    default:
      return [
        { path: "/overview", label: "区域概览" },
        { path: "/ranking", label: "医院排名" },
        { path: "/qc", label: "质控问题" },
        { path: "/lists", label: "清单查询" },
        { path: "/audit", label: "智能审核" },
        { path: "/physicians", label: "医师画像" },
        { path: "/appeals", label: "质控申诉" },
        { path: "/special-cases", label: "特病单议" },
        { path: "/clearing", label: "年终清算" },
        { path: "/dip-clearing", label: "DIP 清算" },
        { path: "/what-if", label: "试分组" },
        { path: "/oplog", label: "操作日志" },
        { path: "/api-keys", label: "机构接口密钥" },
        { path: "/region", label: "地区配置" },
        { path: "/hospital-data", label: "医院主数据" },
      ];
  }
}

function page(path: string, meta: Meta): ReactNode {
  const hospital = path.match(/^\/hospitals\/([^/]+)$/);
  if (hospital?.[1])
    return <DrilldownPage key={hospital[1]} meta={meta} hospital={decodeURIComponent(hospital[1])} />;
  const list = path.match(/^\/lists\/([^/]+)$/);
  if (list?.[1]) return <ListDetailPage meta={meta} setlId={decodeURIComponent(list[1])} />;
  switch (path) {
    case "/overview":
      return <OverviewPage meta={meta} />;
    case "/ranking":
      return <RankingPage meta={meta} />;
    case "/qc":
      return <QcPage meta={meta} />;
    case "/lists":
      return <ListsPage key={location.search} meta={meta} />;
    case "/upload":
      return <UploadPage />;
    case "/what-if":
      return <WhatIfPage />;
    case "/appeals":
      return <AppealsPage meta={meta} />;
    case "/users":
      return <UsersPage meta={meta} />;
    case "/oplog":
      return <OplogPage />;
    case "/api-keys":
      return <ApiKeysPage meta={meta} />;
    case "/audit":
      return <AuditPage meta={meta} />;
    case "/physicians":
      // The bureau's and its reviewers' view (the API refuses a hospital account too).
      return meta.user.role === "hospital" ? null : <PhysiciansPage meta={meta} />;
    case "/special-cases":
      return meta.user.role === "hospital" ? (
        <HospitalSpecialCasePage meta={meta} />
      ) : (
        <SpecialCasesPage meta={meta} />
      );
    case "/clearing":
      return <ClearingPage meta={meta} />;
    case "/dip-clearing":
      return <DipClearingPage meta={meta} />;
    case "/region":
      return <RegionPage meta={meta} />;
    case "/hospital-data":
      return <HospitalsPage meta={meta} />;
    default:
      return null;
  }
}

function Login({ onDone }: { onDone: () => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api.post<{ csrfToken: string }>("/api/v1/auth/login", { username, password });
      setCsrfToken(r.csrfToken);
      onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="login">
      <form onSubmit={submit}>
        <h1>医保 DRG/DIP 支付与智能审核平台</h1>
        <label>
          用户名
          <input
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
          />
        </label>
        <label>
          密码
          <input
            name="password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
          />
        </label>
        <ErrorNote error={error} />
        <button type="submit" className="primary">
          登录
        </button>
      </form>
    </div>
  );
}

/** 首次登录请修改密码: shown after sign-in while the password is a generated or initial one, before anything else. */
function ChangePassword({
  username,
  onDone,
  onLogout,
}: {
  username: string;
  onDone: () => void;
  onLogout: () => void;
}) {
  const [oldPassword, setOldPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (newPassword !== confirm) {
      setError("两次输入的新密码不一致");
      return;
    }
    try {
      await api.post("/api/v1/auth/password", { oldPassword, newPassword });
      onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="login">
      <form onSubmit={submit}>
        <h1>首次登录请修改密码</h1>
        <p className="note">
          账号 {username} 的密码是初始密码，修改后才能使用其他功能。新密码至少 12
          位，须包含大写字母、小写字母、数字、符号中的至少三类（16
          位及以上至少两类），不能包含用户名，不能是常见密码。
        </p>
        <label>
          原密码
          <input
            name="oldPassword"
            type="password"
            value={oldPassword}
            onChange={(e) => setOldPassword(e.target.value)}
            autoComplete="current-password"
          />
        </label>
        <label>
          新密码
          <input
            name="newPassword"
            type="password"
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
            autoComplete="new-password"
          />
        </label>
        <label>
          确认新密码
          <input
            name="confirmPassword"
            type="password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            autoComplete="new-password"
          />
        </label>
        <ErrorNote error={error} />
        <button type="submit" className="primary">
          修改密码
        </button>
        <button type="button" onClick={onLogout}>
          退出
        </button>
      </form>
    </div>
  );
}

/** How often the console asks again while the platform is still starting. */
const STARTING_POLL_MS = 2000;

export function App() {
  const path = usePath();
  const [meta, setMeta] = useState<Meta | null>(null);
  const [state, setState] = useState<"loading" | "login" | "change" | "ready">("loading");
  const [username, setUsername] = useState("");
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      // Not being signed in is an ordinary answer here (no 401 logged by the browser on every load).
      const me = await api.get<
        | { signedIn: false }
        | { signedIn: true; csrfToken: string; mustChangePassword: boolean; user: { username: string } }
      >("/api/v1/auth/session");
      if (!me.signedIn) {
        setState("login");
        return;
      }
      setCsrfToken(me.csrfToken);
      if (me.mustChangePassword) {
        // Nothing else until the password is changed (the server refuses it too).
        setUsername(me.user.username);
        setMeta(null);
        setState("change");
        return;
      }
      setMeta(await api.get<Meta>("/api/v1/console/meta"));
      setState("ready");
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setState("login");
      else if (e instanceof ApiError && e.code === "STARTING") {
        // The server listens while it prepares its data: show the step and ask again shortly.
        setError(e.message);
        setTimeout(() => void load(), STARTING_POLL_MS);
      } else setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    load();
    const onLogout = () => setState("login");
    window.addEventListener("yibao:unauthenticated", onLogout);
    return () => window.removeEventListener("yibao:unauthenticated", onLogout);
  }, [load]);
  const items = meta ? menu(meta) : [];
  useEffect(() => {
    if (state === "ready" && (path === "/" || path === "/login") && items[0]) navigate(items[0].path);
  }, [state, path, items]);
  if (state === "loading") return <div className="loading">{error ?? "加载中…"}</div>;
  const logout = async () => {
    await api.post("/api/v1/auth/logout").catch(() => {});
    setMeta(null);
    setState("login");
    navigate("/");
  };
  if (state === "change") return <ChangePassword username={username} onDone={load} onLogout={logout} />;
  if (state === "login" || !meta) return <Login onDone={load} />;
  return (
    <div className="shell">
      <aside>
        <div className="brand" data-testid="brand">
          {meta.region ? `${meta.region.name}医保平台` : "医保平台"}
        </div>
        <nav>
          {items.map((m) => (
            <a
              key={m.path}
              href={m.path}
              className={path === m.path ? "active" : ""}
              onClick={(e) => {
                e.preventDefault();
                navigate(m.path);
              }}
            >
              {m.label}
            </a>
          ))}
        </nav>
      </aside>
      <main>
        <header className="topbar">
          <span>分组方案：{schemeLabel(meta.scheme)}</span>
          <span className="user" data-testid="current-user">
            {userLabel(meta)}
          </span>
          <button type="button" onClick={logout}>
            退出
          </button>
        </header>
        <div className="content">{page(path, meta) ?? <p>页面不存在</p>}</div>
      </main>
    </div>
  );
}
