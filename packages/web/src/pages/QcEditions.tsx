/**
 * 质控规则与质控目标的版本 on 地区配置: every edition with its audit trail (where it came from, who
 * published it, when in China time, and why), each rule edition's Excel, and for the bureau and
 * administrators the form that publishes a new rule edition from such a workbook. A released edition
 * is never edited: a change is a new version with a new effective date, today or later.
 */
import { Card, type Column, DataTable } from "../components";
import { chinaDateTime } from "../format";
import { type ExcelTable, mayPublishEditions, PublishFromExcel } from "./ExcelPublish";

/** Where an edition came from. */
export type QcEditionOrigin = "built-in" | "pack" | "api" | "excel";

export interface QcEdition {
  id: string;
  version: string;
  effectiveDate: string;
  source: string | null;
  size: number;
  inForce: boolean;
  origin: QcEditionOrigin;
  /** Who published it (a username); null for the built-in and the region pack's editions. */
  actor: string | null;
  reason: string | null;
  /** When it was published (an instant, ISO text); null for the built-in and pack editions. */
  publishedAt: string | null;
}

export const ORIGINS: Readonly<Record<QcEditionOrigin, string>> = {
  "built-in": "内置",
  pack: "地区配置包",
  api: "接口发布",
  excel: "Excel 导入",
};

/** Whether an edition is the one in force today, one still to come, or one a later edition replaced. */
export function inForceText(e: { inForce: boolean }, effectiveDate: string, today: string): string {
  if (e.inForce) return "现行";
  return effectiveDate > today ? "否（待生效）" : "否（已被取代）";
}

/** The Excel of a rule edition (one row per rule, Chinese headers): what the publish form reads back. */
export function ruleEditionExcelPath(e: { id: string; version: string }): string {
  return `/api/v1/qc/editions/rules/${encodeURIComponent(e.id)}/${encodeURIComponent(e.version)}/export`;
}

function editionColumns(kind: "rules" | "targets", today: string): Column<QcEdition>[] {
  const columns: Column<QcEdition>[] = [
    { key: "id", title: "版本编号" },
    { key: "version", title: "版本号" },
    { key: "effectiveDate", title: "生效日期" },
    { key: "size", title: kind === "rules" ? "规则数" : "目标数", kind: "count" },
    { key: "inForce", title: "是否现行", value: (r) => inForceText(r, r.effectiveDate, today) },
    { key: "origin", title: "来源", labels: ORIGINS },
    {
      key: "source",
      title: "依据",
      render: (r) => (r.source ? <span className="cell-wrap">{r.source}</span> : "—"),
    },
    ...publicationColumns<QcEdition>(),
  ];
  if (kind === "rules") columns.push(excelColumn(ruleEditionExcelPath));
  return columns;
}

/** What an edition's audit trail shows: who published it, when (China time) and why. */
interface Published {
  actor: string | null;
  reason: string | null;
  publishedAt: string | null;
}

/** The audit-trail columns of an edition table: 发布人, 发布时间, 发布原因. */
export function publicationColumns<T extends Published>(): Column<T>[] {
  return [
    { key: "actor", title: "发布人" },
    {
      key: "publishedAt",
      title: "发布时间",
      value: (r) => (r.publishedAt ? chinaDateTime(r.publishedAt) : null),
    },
    {
      key: "reason",
      title: "发布原因",
      render: (r) => (r.reason ? <span className="cell-wrap">{r.reason}</span> : "—"),
    },
  ];
}

/** The 操作 column: the edition's table as Excel. */
export function excelColumn<T>(path: (row: T) => string): Column<T> {
  return {
    key: "excel",
    title: "操作",
    render: (r) => (
      <a className="button" href={path(r)} download>
        下载 Excel
      </a>
    ),
  };
}

/** 质控规则版本 or 质控目标版本: oldest first, as the server lists them. */
export function QcEditionTable({
  kind,
  editions,
  today,
  loading,
}: {
  kind: "rules" | "targets";
  editions: QcEdition[];
  today: string;
  loading: boolean;
}) {
  return (
    <Card title={kind === "rules" ? "质控规则版本" : "质控目标版本"}>
      <DataTable
        testId={kind === "rules" ? "region-qc-rules" : "region-qc-targets"}
        loading={loading}
        columns={editionColumns(kind, today)}
        rows={editions}
        rowKey={(r) => `${r.id}@${r.version}`}
      />
    </Card>
  );
}

/** Who may publish an edition (the server refuses anyone else too). */
export const mayPublishQc = mayPublishEditions;

const QC_RULES_TABLE: ExcelTable = {
  name: "质控规则",
  table: "质控规则表",
  idLabel: "规则集编号",
  importPath: "/api/v1/qc/editions/rules/import",
  testId: "qc-publish",
  hint: "上传质控规则表（Excel，每行一条规则；可先在上表「下载 Excel」取得现行版本再修改）。新版本自生效日期起用于出院日期在该日及以后的清单；已发布的版本不能修改，只能发布新版本。",
  reasonPlaceholder: "如：依据市医保局 2026 年第 3 号文件，增加参保地校验",
};

/**
 * 发布质控规则新版本 (bureau and administrators): an .xlsx rule table (as the 下载 Excel of an edition
 * gives it), the rule set's id (prefilled with today's edition's), a version, an effective date and
 * the reason, sent to the import route.
 */
export function PublishQcRules(props: { today: string; inForceId: string; onPublished: () => void }) {
  return <PublishFromExcel table={QC_RULES_TABLE} {...props} />;
}
