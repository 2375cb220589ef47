/**
 * 地区配置: the rule and policy editions this region runs on — grouping schemes, QC rules and targets, the audit's rule and
 * knowledge bases, payment policies, weight tables and benefit policies — each with its effective
 * date, the one in force today marked, and the QC and audit rules of the editions in force. The QC
 * and audit editions show who published each, when and why; the bureau and administrators publish a
 * new QC rule edition (QcEditions.tsx) or audit rule base edition (AuditEditions.tsx) here from an
 * Excel rule table.
 */
import { api, type Meta, type SchemeEdition } from "../api";
import { Card, type Column, DataTable, ErrorNote, useLoad } from "../components";
import { schemeLabel } from "../format";
import { AUDIT_RULES_TABLE, type AuditEdition, AuditEditionTable } from "./AuditEditions";
import { mayPublishEditions, PublishFromExcel } from "./ExcelPublish";
import { mayPublishQc, PublishQcRules, type QcEdition, QcEditionTable } from "./QcEditions";

interface QcEditions {
  today: string;
  rules: QcEdition[];
  targets: QcEdition[];
  rulesInForce: {
    id: string;
    categoryName: string;
    severity: string;
    enabled: boolean;
    description: string | null;
    message: string;
  }[];
}
interface AuditRules {
  date: string;
  editions: { ruleBases: AuditEdition[]; knowledgeBases: AuditEdition[] };
  ruleBase: {
    rules: {
      id: string;
      name: string;
      category: string;
      outcome: string;
      enabled: boolean;
      check: { kind: string };
      description: string;
    }[];
  };
}
interface PaymentVersion {
  id: string;
  version: string;
  name: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  createdBy: string;
}

/** Who published a version when it was not a person: the demo, a region pack, the command line. */
const PUBLISHERS = { demo: "演示数据", region: "地区配置包", cli: "命令行", system: "系统" };
const SEVERITY = { error: "错误（不予结算）", warning: "提示" };

/** An edition's identity as written everywhere in the platform: id@version. */
const editionOf = (r: { id: string; version: string }) => `${r.id}@${r.version}`;

/** Which date of a list decides its scheme. */
const SCHEME_BASIS = { discharge: "按出院日期", settlement: "按结算日期" };
/** The effective date of a region's only scheme (`SchemeCalendar.single`): in force on every date. */
const ALWAYS = "0001-01-01";

/** 分组方案: each edition, its effective date, the date that decides a list's scheme, today's marked. */
function SchemeEditions({ meta }: { meta: Meta }) {
  const columns: Column<SchemeEdition>[] = [
    { key: "id", title: "方案标识" },
    { key: "name", title: "名称", value: schemeLabel },
    {
      key: "effectiveDate",
      title: "生效日期",
      value: (r) => (r.effectiveDate <= ALWAYS ? "—" : r.effectiveDate),
    },
    { key: "basis", title: "适用依据", value: () => SCHEME_BASIS[meta.schemeDateBasis] },
    { key: "inForce", title: "状态", value: (r) => (r.inForce ? "现行" : "") },
  ];
  return (
    <Card title="分组方案">
      <DataTable testId="region-schemes" columns={columns} rows={meta.schemes} rowKey={(r) => r.id} />
    </Card>
  );
}

const paymentColumns: Column<PaymentVersion>[] = [
  { key: "id", title: "版本标识", value: editionOf },
  { key: "name", title: "名称" },
  { key: "effectiveFrom", title: "生效日期" },
  { key: "effectiveTo", title: "失效日期", value: (r) => r.effectiveTo ?? "长期" },
  { key: "createdBy", title: "发布人", labels: PUBLISHERS },
];

/** One kind of payment data's versions, newest effective date first. */
function PaymentVersions({ title, path, testId }: { title: string; path: string; testId: string }) {
  const [data, error] = useLoad(() => api.get<{ items: PaymentVersion[] }>(path), [path]);
  return (
    <Card title={title}>
      <ErrorNote error={error} />
      <DataTable
        testId={testId}
        loading={data === null && error === null}
        columns={paymentColumns}
        rows={data?.items ?? []}
        rowKey={(r) => `${r.id}@${r.version}`}
      />
    </Card>
  );
}

export function RegionPage({ meta }: { meta: Meta }) {
  const [qc, qcError, reloadQc] = useLoad(() => api.get<QcEditions>("/api/v1/qc/editions"), []);
  const [audit, auditError, reloadAudit] = useLoad(() => api.get<AuditRules>("/api/v1/audit/rules"), []);
  return (
    <div>
      <div className="page-title">
        <h1>地区配置</h1>
        {qc && (
          <span className="muted">今日 {qc.today}：各类规则与政策按生效日期适用，已发布的版本不再修改</span>
        )}
      </div>
      <ErrorNote error={qcError ?? auditError} />
      <SchemeEditions meta={meta} />
      <QcEditionTable
        kind="rules"
        editions={qc?.rules ?? []}
        today={qc?.today ?? ""}
        loading={qc === null && qcError === null}
      />
      {qc && mayPublishQc(meta) && (
        <PublishQcRules
          today={qc.today}
          inForceId={qc.rules.find((e) => e.inForce)?.id ?? ""}
          onPublished={reloadQc}
        />
      )}
      <Card title="现行质控规则">
        <DataTable
          testId="region-qc-rules-in-force"
          loading={qc === null && qcError === null}
          columns={[
            { key: "id", title: "规则编号" },
            { key: "categoryName", title: "类别" },
            { key: "severity", title: "处理", labels: SEVERITY },
            { key: "enabled", title: "启用", value: (r) => (r.enabled ? "是" : "否") },
            { key: "message", title: "说明", value: (r) => r.description ?? r.message },
          ]}
          rows={qc?.rulesInForce ?? []}
          rowKey={(r) => r.id}
        />
      </Card>
      <QcEditionTable
        kind="targets"
        editions={qc?.targets ?? []}
        today={qc?.today ?? ""}
        loading={qc === null && qcError === null}
      />
      <AuditEditionTable
        kind="ruleBases"
        editions={audit?.editions.ruleBases ?? []}
        today={audit?.date ?? ""}
        loading={audit === null && auditError === null}
      />
      {audit && mayPublishEditions(meta) && (
        <PublishFromExcel
          table={AUDIT_RULES_TABLE}
          today={audit.date}
          inForceId={audit.editions.ruleBases.find((e) => e.inForce)?.id ?? ""}
          onPublished={reloadAudit}
        />
      )}
      <AuditEditionTable
        kind="knowledgeBases"
        editions={audit?.editions.knowledgeBases ?? []}
        today={audit?.date ?? ""}
        loading={audit === null && auditError === null}
      />
      <Card title="现行审核规则">
        <DataTable
          testId="region-audit-rules"
          loading={audit === null && auditError === null}
          columns={[
            { key: "id", title: "规则编号" },
            { key: "name", title: "名称" },
            { key: "category", title: "类别" },
            { key: "outcome", title: "结论" },
            { key: "enabled", title: "启用", value: (r) => (r.enabled ? "是" : "否") },
            { key: "description", title: "说明" },
          ]}
          rows={audit?.ruleBase.rules ?? []}
          rowKey={(r) => r.id}
        />
      </Card>
      <PaymentVersions title="支付政策版本" path="/api/v1/payment/policies" testId="region-policies" />
      <PaymentVersions title="病组权重表版本" path="/api/v1/payment/weight-tables" testId="region-weights" />
      <PaymentVersions
        title="待遇政策版本"
        path="/api/v1/payment/benefit-policies"
        testId="region-benefits"
      />
    </div>
  );
}
