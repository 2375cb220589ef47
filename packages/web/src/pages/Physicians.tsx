/**
 * 医师画像: the physician profile of an audited period (the Shanghai model: standardised indicators,
 * correlated ones dropped, k-means clusters, AHP weights, and red/orange/yellow alerts for the
 * physicians of the suspect cluster only). The period picker offers the periods that have a profile,
 * the latest audit first, and any other month or range of months; a period without a profile says
 * so in the API's words.
 */
import { type ReactNode, useState } from "react";
import { ApiError, api, type Meta } from "../api";
import { Card, Chart, type Column, DataTable, ErrorNote, useLoad } from "../components";
import { chinaDateTime, formatValue } from "../format";

type Alert = "红色" | "橙色" | "黄色";
const ALERTS: readonly Alert[] = ["红色", "橙色", "黄色"];
const ALERT_CLASS: Record<Alert, string> = { 红色: "red", 橙色: "orange", 黄色: "yellow" };
const ALERT_COLOR: Record<Alert, string> = { 红色: "#c0392b", 橙色: "#e67e22", 黄色: "#d4ac0d" };

interface ProfileRow {
  physician: string;
  cases: number;
  values: Record<string, number>;
  cluster: number;
  score: number;
  alert: Alert | null;
  rank: number;
  watch: boolean;
}

interface ProfileModel {
  kept: string[];
  dropped: string[];
  weights: Record<string, number>;
  clusters: number;
  suspiciousCluster: number;
  alertQuartiles: [number, number];
  cr: number;
}

interface Profile {
  period: string;
  physicians: number;
  alerts: Record<Alert, number>;
  watchList: string[];
  model: ProfileModel | null;
  profiles: ProfileRow[];
}

interface ProfilePeriod {
  period: string;
  physicians: number;
  auditedAt: string | null;
}

/** A period's profile, or the API's message that it has none. */
type Loaded = { period: string; profile: Profile } | { period: string; none: string };

/** How each indicator is shown: as the console shows the indicator of the same kind. */
const INDICATOR_FORMAT: Record<
  string,
  { kind: "statistic" | "money" | "ratio"; digits?: number; unit?: string }
> = {
  cmi: { kind: "statistic", digits: 4 },
  // The profile keeps the average cost in 元 (the stays' fen / 100): the column converts back to fen.
  avgCost: { kind: "money", unit: "元" },
  avgLos: { kind: "statistic", digits: 2, unit: "天" },
  costIndex: { kind: "statistic", digits: 4 },
  ownPayShare: { kind: "ratio" },
  readmissionRate: { kind: "ratio" },
  findingRate: { kind: "ratio" },
};

/** The indicator's value in the unit its format expects (money in fen). */
function indicatorValue(id: string, v: number | undefined): number | null {
  if (v === undefined || !Number.isFinite(v)) return null;
  return INDICATOR_FORMAT[id]?.kind === "money" ? Math.round(v * 100) : v;
}

/** `2025-01..2025-06` as 2025-01 至 2025-06. */
function periodText(period: string): string {
  return period.replace("..", " 至 ");
}

/** The first and last month of a period (a month or a range). */
function monthsOf(period: string): [string, string] {
  const [from = "", to] = period.split("..");
  return [from, to ?? from];
}

function rangeOf(from: string, to: string): string {
  return from === to ? from : `${from}..${to}`;
}

/** 簇 1, 簇 2, …: the model numbers its clusters from 0. */
function clusterName(c: number): string {
  return `簇 ${c + 1}`;
}

function AlertBadge({ alert }: { alert: Alert | null }) {
  if (alert === null) return <span className="muted">—</span>;
  return <span className={`alert-badge ${ALERT_CLASS[alert]}`}>{alert}</span>;
}

/** 画像期号: the periods with a profile, or any month or range of the console's months. */
function ProfilePicker({
  months,
  listed,
  value,
  onChange,
}: {
  months: string[];
  listed: ProfilePeriod[];
  value: string;
  onChange: (period: string) => void;
}) {
  const [from, to] = value ? monthsOf(value) : ["", ""];
  const known = listed.some((p) => p.period === value);
  const allMonths = [...new Set([...months, from, to].filter(Boolean))].sort();
  return (
    <span className="period-picker" data-testid="profile-picker">
      画像期号
      <select aria-label="画像期号" value={known ? value : ""} onChange={(e) => onChange(e.target.value)}>
        {!known && <option value="">{listed.length ? "（其他期号）" : "（尚无医师画像）"}</option>}
        {listed.map((p) => (
          <option key={p.period} value={p.period}>
            {periodText(p.period)}（{p.physicians} 名医师）
          </option>
        ))}
      </select>
      统计期
      <select
        aria-label="起始期号"
        value={from}
        onChange={(e) => onChange(rangeOf(e.target.value, to && to >= e.target.value ? to : e.target.value))}
      >
        {!from && <option value="">请选择</option>}
        {allMonths.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      至
      <select
        aria-label="截止期号"
        value={to}
        onChange={(e) =>
          onChange(rangeOf(from && from <= e.target.value ? from : e.target.value, e.target.value))
        }
      >
        {!to && <option value="">请选择</option>}
        {allMonths.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
    </span>
  );
}

function Kpi({ name, value, testId }: { name: string; value: ReactNode; testId: string }) {
  return (
    <div className="kpi" data-testid={testId}>
      <div className="kpi-name">{name}</div>
      <div className="kpi-value">{value}</div>
    </div>
  );
}

/** 画像概况: who was profiled, the clusters, the alerts, and the model's weights. */
function ProfileSummary({ profile, names }: { profile: Profile; names: Record<string, string> }) {
  const m = profile.model;
  const suspects = m ? profile.profiles.filter((p) => p.cluster === m.suspiciousCluster).length : 0;
  const name = (id: string) => names[id] ?? id;
  return (
    <Card title="画像概况">
      <div className="kpis" data-testid="profile-summary">
        <Kpi testId="profile-physicians" name="画像医师数" value={formatValue("count", profile.physicians)} />
        <Kpi testId="profile-clusters" name="聚类数" value={m ? formatValue("count", m.clusters) : "—"} />
        <Kpi
          testId="profile-suspect"
          name="疑点医生簇"
          value={
            m ? (
              <>
                {clusterName(m.suspiciousCluster)}
                <small>（{suspects} 名医师）</small>
              </>
            ) : (
              "—"
            )
          }
        />
        {ALERTS.map((a) => (
          <Kpi
            key={a}
            testId={`profile-alert-${ALERT_CLASS[a]}`}
            name={`${a}预警`}
            value={
              <span style={{ color: ALERT_COLOR[a] }}>{formatValue("count", profile.alerts[a] ?? 0)}</span>
            }
          />
        ))}
        <Kpi
          testId="profile-cr"
          name="判断矩阵一致性比率 CR"
          value={m ? formatValue("statistic", m.cr) : "—"}
        />
      </div>
      {m && (
        <dl className="facts" data-testid="profile-model">
          <div className="wide">
            <dt>AHP 权重</dt>
            <dd data-testid="profile-weights">
              {m.kept.map((k) => `${name(k)} ${formatValue("ratio", m.weights[k] ?? null, 1)}`).join("，")}
            </dd>
          </div>
          <div className="wide">
            <dt>剔除指标</dt>
            <dd>
              <span data-testid="profile-dropped">
                {m.dropped.length ? m.dropped.map(name).join("，") : "无"}
              </span>
              <span className="muted">（与入模指标相关，|r| &gt; 0.4）</span>
            </dd>
          </div>
          <div className="wide">
            <dt>预警分界</dt>
            <dd>
              疑点医生簇得分四分位数 Q1 = {formatValue("statistic", m.alertQuartiles[0])}，Q3 ={" "}
              {formatValue("statistic", m.alertQuartiles[1])}：不低于 Q3 为红色预警，不低于 Q1
              为橙色，其余为黄色
            </dd>
          </div>
        </dl>
      )}
    </Card>
  );
}

/** The columns of the physicians' table: rank, code, cases, cluster, score, alert, then the indicators. */
function profileColumns(
  names: Record<string, string>,
  ids: string[],
  suspect: number | null,
): Column<ProfileRow>[] {
  return [
    { key: "rank", title: "排名", kind: "count" },
    { key: "physician", title: "医师编码" },
    { key: "cases", title: "病例数", kind: "count" },
    {
      key: "cluster",
      title: "聚类",
      value: (r) => clusterName(r.cluster),
      render: (r) =>
        r.cluster === suspect ? (
          <>
            {clusterName(r.cluster)} <span className="suspect-tag">疑点医生簇</span>
          </>
        ) : (
          clusterName(r.cluster)
        ),
    },
    { key: "score", title: "综合得分", kind: "statistic", digits: 4 },
    {
      key: "alert",
      title: "预警级别",
      value: (r) => r.alert,
      render: (r) => <AlertBadge alert={r.alert} />,
    },
    ...ids.map((id): Column<ProfileRow> => {
      const f = INDICATOR_FORMAT[id] ?? { kind: "statistic" as const };
      const name = names[id] ?? id;
      return {
        key: id,
        title: f.unit ? `${name}(${f.unit})` : name,
        kind: f.kind,
        ...(f.digits !== undefined ? { digits: f.digits } : {}),
        value: (r) => indicatorValue(id, r.values[id]),
      };
    }),
  ];
}

/** 重点关注名单: the red-alert physicians, the one to look at first on top. */
function WatchList({ profile }: { profile: Profile }) {
  const byCode = new Map(profile.profiles.map((p) => [p.physician, p]));
  const rows = profile.watchList.flatMap((code, i) => {
    const p = byCode.get(code);
    return p ? [{ ...p, order: i + 1 }] : [];
  });
  const columns: Column<ProfileRow & { order: number }>[] = [
    { key: "order", title: "关注顺序", kind: "count" },
    { key: "physician", title: "医师编码" },
    { key: "rank", title: "排名", kind: "count" },
    { key: "score", title: "综合得分", kind: "statistic", digits: 4 },
    { key: "cases", title: "病例数", kind: "count" },
    { key: "alert", title: "预警级别", value: (r) => r.alert, render: (r) => <AlertBadge alert={r.alert} /> },
  ];
  return (
    <Card title="重点关注名单">
      {rows.length === 0 ? (
        <p className="muted" data-testid="watch-list-empty">
          本期没有红色预警医师
        </p>
      ) : (
        <DataTable testId="watch-list" columns={columns} rows={rows} rowKey={(r) => r.physician} />
      )}
    </Card>
  );
}

/** 各聚类医师综合得分: one point per physician, the suspect cluster's coloured by alert. */
function ProfileChart({ profile }: { profile: Profile }) {
  const m = profile.model;
  const clusters = m?.clusters ?? 1 + Math.max(0, ...profile.profiles.map((p) => p.cluster));
  const point = (p: ProfileRow) => ({ value: [clusterName(p.cluster), p.score], name: p.physician });
  const others = profile.profiles.filter((p) => p.alert === null);
  const series = [
    {
      name: "其他簇",
      type: "scatter",
      itemStyle: { color: "#8a9bb0" },
      data: others.map(point),
    },
    ...ALERTS.map((a) => ({
      name: `疑点医生簇·${a}预警`,
      type: "scatter",
      symbolSize: 12,
      itemStyle: { color: ALERT_COLOR[a] },
      data: profile.profiles.filter((p) => p.alert === a).map(point),
    })),
  ];
  return (
    <Card title="综合得分分布">
      <Chart
        testId="profile-chart"
        renderer="svg"
        height={360}
        option={{
          title: { text: "各聚类医师综合得分", left: "center", textStyle: { fontSize: 14 } },
          tooltip: {
            trigger: "item",
            formatter: (p: { name: string; value: [string, number]; seriesName: string }) =>
              `医师 ${p.name}<br/>${p.value[0]}，综合得分 ${p.value[1].toFixed(4)}<br/>${p.seriesName}`,
          },
          legend: { bottom: 0 },
          grid: { top: 56, left: 60, right: 24, bottom: 64 },
          xAxis: {
            type: "category",
            axisLine: { onZero: false },
            data: Array.from({ length: clusters }, (_, c) => clusterName(c)),
          },
          yAxis: { type: "value", name: "综合得分", scale: true },
          series,
        }}
      />
    </Card>
  );
}

/** Loads the profile of `period`; the API's 404 (NO_PROFILE) becomes the message shown. */
async function loadProfile(period: string): Promise<Loaded | null> {
  if (!period) return null;
  try {
    const profile = await api.get<Profile>(
      `/api/v1/audit/physicians/profile?period=${encodeURIComponent(period)}`,
    );
    return { period, profile };
  } catch (e) {
    if (e instanceof ApiError && e.code === "NO_PROFILE") return { period, none: e.message };
    throw e;
  }
}

export function PhysiciansPage({ meta }: { meta: Meta }) {
  const [picked, setPicked] = useState<string | null>(null);
  const [listed, listError] = useLoad(
    () => api.get<{ items: ProfilePeriod[] }>("/api/v1/audit/physicians/profile/periods"),
    [],
  );
  const [auditMeta] = useLoad(
    () => api.get<{ profileIndicators: Record<string, string> }>("/api/v1/audit/meta"),
    [],
  );
  // The latest audited period with a profile until the user picks another.
  const period = picked ?? listed?.items[0]?.period ?? "";
  const [loaded, error] = useLoad(() => loadProfile(period), [period]);
  const names = auditMeta?.profileIndicators ?? {};
  const current = loaded?.period === period ? loaded : null;
  const profile = current && "profile" in current ? current.profile : null;
  const ids = Object.keys(INDICATOR_FORMAT);
  const latest = listed?.items.find((p) => p.period === period);
  return (
    <div>
      <div className="page-title">
        <h1>医师画像</h1>
        <ProfilePicker
          months={meta.periods}
          listed={listed?.items ?? []}
          value={period}
          onChange={setPicked}
        />
      </div>
      <ErrorNote error={listError ?? error} />
      {listed && listed.items.length === 0 && !period && (
        <div className="note" data-testid="no-profile">
          尚无医师画像：医师画像随智能审核生成，请先运行审核，或选择统计期查看
        </div>
      )}
      {current && "none" in current && (
        <div className="note" data-testid="no-profile">
          {current.none}
        </div>
      )}
      {(period ? !current : !listed) && !error && !listError && <div className="loading">加载中…</div>}
      {profile && (
        <>
          <p className="muted" data-testid="profile-period">
            期号 {periodText(profile.period)}
            {latest?.auditedAt ? `，审核完成于 ${chinaDateTime(latest.auditedAt)}` : ""}
          </p>
          <ProfileSummary profile={profile} names={names} />
          <WatchList profile={profile} />
          <ProfileChart profile={profile} />
          <Card title="医师画像明细">
            <DataTable
              testId="profile-table"
              columns={profileColumns(names, ids, profile.model?.suspiciousCluster ?? null)}
              rows={profile.profiles}
              rowKey={(r) => r.physician}
            />
          </Card>
        </>
      )}
    </div>
  );
}
