/** Shared pieces: sortable, filterable table with Excel export; ECharts chart; period filter; messages. */
import * as echarts from "echarts";
import { type ReactNode, useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import type { Meta } from "./api";
import { dateTime, formatValue, type Kind } from "./format";
import { navigate } from "./router";

export interface Column<R> {
  key: string;
  title: string;
  kind?: Kind;
  digits?: number;
  render?: (row: R) => ReactNode;
  /** Value for sorting/filtering when `key` is not a plain field (the export reads the field `key`). */
  value?: (row: R) => unknown;
  /** Code → Chinese label, for the page and the export alike (e.g. `accepted` → 已接收). */
  labels?: Readonly<Record<string, string>>;
  /** The field holds an instant (ISO text): shown and exported in local time. */
  time?: boolean;
}

function cell<R>(row: R, c: Column<R>): unknown {
  if (c.value) return c.value(row);
  const v = (row as Record<string, unknown>)[c.key];
  if (c.labels && (typeof v === "string" || typeof v === "number")) return c.labels[String(v)] ?? v;
  if (c.time && typeof v === "string") return dateTime(v);
  return v;
}

export interface DataTableProps<R> {
  columns: Column<R>[];
  rows: R[];
  /** GET endpoint the rows came from: the Excel export requests it again on the server. */
  exportPath?: string;
  exportName?: string;
  onRowClick?: (row: R) => void;
  rowKey: (row: R) => string;
  pageSize?: number;
  testId?: string;
  /** The rows are still being loaded: the empty table says 加载中… instead of 暂无数据. */
  loading?: boolean;
}

/** The rows that contain the filter text in any column, sorted by one column (nulls last). */
function filterAndSort<R>(
  rows: readonly R[],
  columns: readonly Column<R>[],
  filter: string,
  sortKey: string | null,
  desc: boolean,
): R[] {
  const f = filter.trim().toLowerCase();
  const out = f
    ? rows.filter((r) =>
        columns.some((c) => {
          const v = cell(r, c);
          return v !== null && v !== undefined && String(v).toLowerCase().includes(f);
        }),
      )
    : rows.slice();
  const col = columns.find((c) => c.key === sortKey);
  if (!col) return out;
  return out.sort((a, b) => {
    const x = cell(a, col);
    const y = cell(b, col);
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    const cmp =
      typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
    return desc ? -cmp : cmp;
  });
}

/** The server-side Excel export of the table's endpoint, with the table's columns and labels. */
function exportHrefOf<R>(props: DataTableProps<R>): string | null {
  if (!props.exportPath) return null;
  const columns = props.columns.map((c) => ({
    key: c.key,
    title: c.title,
    kind: c.time
      ? "datetime"
      : c.kind === "money" || c.kind === "ratio" || c.kind === "count" || c.kind === "number"
        ? c.kind
        : "text",
    ...(c.labels ? { labels: c.labels } : {}),
  }));
  const query = new URLSearchParams({
    path: props.exportPath,
    filename: props.exportName ?? "导出",
    columns: JSON.stringify(columns),
  });
  return `/api/v1/console/export?${query.toString()}`;
}

function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  return (
    <div className="pager">
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>
        上一页
      </button>
      <span>
        第 {page + 1} / {pages} 页
      </span>
      <button type="button" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>
        下一页
      </button>
    </div>
  );
}

/** 可排序、可筛选、可导出 Excel 的表格. */
export function DataTable<R>(props: DataTableProps<R>) {
  const { columns, rows } = props;
  const [sortKey, setSortKey] = useState<string | null>(null);
  const [desc, setDesc] = useState(true);
  const [filter, setFilter] = useState("");
  const [page, setPage] = useState(0);
  const pageSize = props.pageSize ?? 50;
  const shown = useMemo(
    () => filterAndSort(rows, columns, filter, sortKey, desc),
    [rows, columns, filter, sortKey, desc],
  );
  const pages = Math.max(1, Math.ceil(shown.length / pageSize));
  const current = shown.slice(page * pageSize, page * pageSize + pageSize);
  const exportHref = exportHrefOf(props);
  return (
    <div className="table-box" data-testid={props.testId}>
      <div className="table-tools">
        <input
          placeholder="筛选（任意列包含）"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            setPage(0);
          }}
        />
        <span className="muted">
          共 {shown.length.toLocaleString("zh-CN")} 行
          {filter ? `（筛选自 ${rows.length.toLocaleString("zh-CN")} 行）` : ""}
        </span>
        {exportHref && (
          <a className="button" href={exportHref} download>
            导出 Excel
          </a>
        )}
      </div>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.key}
                  onClick={() => {
                    if (sortKey === c.key) setDesc(!desc);
                    else {
                      setSortKey(c.key);
                      setDesc(true);
                    }
                  }}
                  className={c.kind && c.kind !== "text" ? "num" : ""}
                  title="点击排序"
                >
                  {c.title}
                  {sortKey === c.key ? (desc ? " ▼" : " ▲") : ""}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {current.map((r) => (
              <tr
                key={props.rowKey(r)}
                onClick={props.onRowClick ? () => props.onRowClick?.(r) : undefined}
                className={props.onRowClick ? "clickable" : ""}
              >
                {columns.map((c) => (
                  <td key={c.key} className={c.kind && c.kind !== "text" ? "num" : ""}>
                    {c.render ? c.render(r) : formatValue(c.kind ?? "text", cell(r, c), c.digits)}
                  </td>
                ))}
              </tr>
            ))}
            {current.length === 0 && (
              <tr className="empty-row">
                <td colSpan={columns.length} className="muted">
                  {props.loading ? "加载中…" : "暂无数据"}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {pages > 1 && <Pager page={page} pages={pages} onPage={setPage} />}
    </div>
  );
}

/** An ECharts chart that resizes with its box. */
export function Chart({
  option,
  height = 320,
  testId,
  renderer = "canvas",
}: {
  option: echarts.EChartsCoreOption;
  height?: number;
  testId?: string;
  /** `svg` draws the labels as text elements (readable by the browser tests). */
  renderer?: "canvas" | "svg";
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    chart.current = echarts.init(ref.current, undefined, { renderer });
    const resize = () => chart.current?.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      chart.current?.dispose();
      chart.current = null;
    };
  }, [renderer]);
  // A chart whose height follows its data (e.g. one bar row per hospital) is resized with it.
  useEffect(() => {
    chart.current?.resize({ height });
  }, [height]);
  const empty = isEmptyChart(option);
  useEffect(() => {
    if (empty) chart.current?.clear();
    else chart.current?.setOption(option, true);
  }, [option, empty]);
  return (
    <div className="chart-box" style={{ height }}>
      <div ref={ref} style={{ height, width: "100%" }} data-testid={testId} />
      {empty && <div className="chart-empty">暂无数据</div>}
    </div>
  );
}

/** A chart whose every series has no data: it says 暂无数据 instead of drawing bare axes. */
function isEmptyChart(option: echarts.EChartsCoreOption): boolean {
  const raw = (option as { series?: unknown }).series;
  const series = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { data?: unknown }[];
  return series.length > 0 && series.every((x) => Array.isArray(x.data) && x.data.length === 0);
}

export interface PeriodRange {
  periodFrom: string;
  periodTo: string;
}

export function PeriodPicker({
  periods,
  value,
  onChange,
}: {
  periods: string[];
  value: PeriodRange;
  onChange: (v: PeriodRange) => void;
}) {
  return (
    <span className="period-picker">
      统计期
      <select value={value.periodFrom} onChange={(e) => onChange({ ...value, periodFrom: e.target.value })}>
        <option value="">最早</option>
        {periods.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      至
      <select value={value.periodTo} onChange={(e) => onChange({ ...value, periodTo: e.target.value })}>
        <option value="">最新</option>
        {periods.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
    </span>
  );
}

export function ErrorNote({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      {error}
    </div>
  );
}

export function Card({ title, children, extra }: { title: string; children: ReactNode; extra?: ReactNode }) {
  return (
    <section className="card">
      <header>
        <h2>{title}</h2>
        {extra}
      </header>
      {children}
    </section>
  );
}

/**
 * Loads data from `load` whenever `deps` change (or `reload` is called); returns [data, error, reload].
 * The effect runs the `load` of the latest render, never a stale closure of an earlier one.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [T | null, string | null, () => void] {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const latestLoad = useEffectEvent(() => load());
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's `deps` say when to load again, and `tick` is the reload counter (the effect needs not read it)
  useEffect(() => {
    let live = true;
    setError(null);
    latestLoad().then(
      (d) => live && setData(d),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [data, error, () => setTick((t) => t + 1)];
}

/** 医院筛选: every hospital of the region; nothing for a hospital account, which sees only its own. */
export function HospitalSelect({
  meta,
  value,
  onChange,
}: {
  meta: Meta;
  value: string;
  onChange: (hospital: string) => void;
}) {
  if (meta.user.role === "hospital") return null;
  return (
    <select aria-label="医院" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">全部医院</option>
      {meta.hospitals.map((h) => (
        <option key={h.code} value={h.code}>
          {h.name}
        </option>
      ))}
    </select>
  );
}

/** A settlement list's ID as a link to its detail page (清单详情). */
export function ListLink({ setlId }: { setlId: string }) {
  return (
    <a
      href={`/lists/${setlId}`}
      onClick={(e) => {
        e.preventDefault();
        navigate(`/lists/${encodeURIComponent(setlId)}`);
      }}
    >
      {setlId}
    </a>
  );
}
