/**
 * 审核规则库与知识库的版本 on 地区配置: every edition with its audit trail (where it came from, who
 * published it, when in China time, and why), each rule base's Excel, and for the bureau and
 * administrators the form that publishes a new rule base edition from such a workbook. A released
 * edition is never edited: a change is a new version with a new effective date, today or later.
 */
import { Card, type Column, DataTable } from "../components";
import type { ExcelTable } from "./ExcelPublish";
import { excelColumn, inForceText, ORIGINS, publicationColumns, type QcEditionOrigin } from "./QcEditions";

/** A rule base (`rules`, `enabled`) or knowledge base (`items`) edition as `/api/v1/audit/rules` lists it. */
export interface AuditEdition {
  id: string;
  version: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  inForce: boolean;
  rules?: number;
  enabled?: number;
  items?: number;
  origin: QcEditionOrigin;
  /** Who published it (a username); null for the built-in and the region pack's editions. */
  actor: string | null;
  reason: string | null;
  /** When it was published (an instant, ISO text); null for the built-in and pack editions. */
  publishedAt: string | null;
}

/** The Excel of a rule base edition (one row per rule, Chinese headers): what the publish form reads back. */
export function ruleBaseExcelPath(e: { id: string; version: string }): string {
  return `/api/v1/audit/rule-bases/${encodeURIComponent(e.id)}/${encodeURIComponent(e.version)}/export`;
}

type Kind = "ruleBases" | "knowledgeBases";

function columns(kind: Kind, today: string): Column<AuditEdition>[] {
  const cols: Column<AuditEdition>[] = [
    // Named as messages name an edition (id@version): an id alone may read as an English word.
    { key: "id", title: "版本编号", value: (r) => `${r.id}@${r.version}` },
    { key: "version", title: "版本号" },
    { key: "effectiveFrom", title: "生效日期" },
    { key: "effectiveTo", title: "失效日期", value: (r) => r.effectiveTo ?? "长期" },
    kind === "ruleBases"
      ? { key: "rules", title: "规则", value: (r) => `${r.enabled ?? 0}/${r.rules ?? 0} 条启用` }
      : { key: "items", title: "项目数", kind: "count" },
    { key: "inForce", title: "是否现行", value: (r) => inForceText(r, r.effectiveFrom, today) },
    { key: "origin", title: "来源", labels: ORIGINS },
    ...publicationColumns<AuditEdition>(),
  ];
  if (kind === "ruleBases") cols.push(excelColumn(ruleBaseExcelPath));
  return cols;
}

/** 审核规则库版本 or 审核知识库版本: oldest first, as the server lists them. */
export function AuditEditionTable({
  kind,
  editions,
  today,
  loading,
}: {
  kind: Kind;
  editions: AuditEdition[];
  today: string;
  loading: boolean;
}) {
  return (
    <Card title={kind === "ruleBases" ? "审核规则库版本" : "审核知识库版本"}>
      <DataTable
        testId={kind === "ruleBases" ? "region-audit-rule-bases" : "region-audit-knowledge-bases"}
        loading={loading}
        columns={columns(kind, today)}
        rows={editions}
        rowKey={(r) => `${r.id}@${r.version}`}
      />
    </Card>
  );
}

/** The audit rule table as a workbook, for the publish form. */
export const AUDIT_RULES_TABLE: ExcelTable = {
  name: "审核规则库",
  table: "审核规则表",
  idLabel: "规则库编号",
  importPath: "/api/v1/audit/rule-bases/import",
  testId: "audit-publish",
  hint: "上传审核规则表（Excel，每行一条规则，参数为 JSON；可先在上表「下载 Excel」取得现行版本再修改）。新版本自生效日期起用于审核；已发布的版本不能修改，只能发布新版本。",
  reasonPlaceholder: "如：依据市医保局 2026 年第 3 号文件，分解住院间隔改为 10 日",
};
