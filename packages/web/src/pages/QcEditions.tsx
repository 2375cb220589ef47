/**
 * 质控规则与质控目标的版本 on 地区配置: every edition with its audit trail (where it came from, who
 * published it, when in China time, and why), each rule edition's Excel, and for the bureau and
 * administrators the form that publishes a new rule edition from such a workbook. A released edition
 * is never edited: a change is a new version with a new effective date, today or later.
 */
import { useState } from "react";
import { ApiError, api, type Meta } from "../api";
import { Card, type Column, DataTable } from "../components";
import { addDays, chinaDateTime } from "../format";

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

const ORIGINS: Readonly<Record<QcEditionOrigin, string>> = {
  "built-in": "内置",
  pack: "地区配置包",
  api: "接口发布",
  excel: "Excel 导入",
};

/** Whether an edition is the one in force today, one still to come, or one a later edition replaced. */
function inForceText(e: QcEdition, today: string): string {
  if (e.inForce) return "现行";
  return e.effectiveDate > today ? "否（待生效）" : "否（已被取代）";
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
    { key: "inForce", title: "是否现行", value: (r) => inForceText(r, today) },
    { key: "origin", title: "来源", labels: ORIGINS },
    {
      key: "source",
      title: "依据",
      render: (r) => (r.source ? <span className="cell-wrap">{r.source}</span> : "—"),
    },
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
  if (kind === "rules")
    columns.push({
      key: "excel",
      title: "操作",
      render: (r) => (
        <a className="button" href={ruleEditionExcelPath(r)} download>
          下载 Excel
        </a>
      ),
    });
  return columns;
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
export function mayPublishQc(meta: Meta): boolean {
  return meta.user.role === "bureau" || meta.user.role === "admin";
}

/** The largest workbook the server takes (8 MiB before base64). */
const MAX_WORKBOOK_BYTES = 8 * 1024 * 1024;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface ImportReply {
  status: "created" | "unchanged";
  message: string;
  edition: { id: string; version: string; effectiveDate: string };
  rules: number;
}

/** A published edition's news, or a refusal with every problem the server named. */
export type Outcome = { ok: true; text: string } | { ok: false; message: string; problems: string[] };

/** A file's bytes as base64 (FileReader: the data URL without its `data:…;base64,` head). */
export function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () => reject(new Error(`无法读取文件「${file.name}」`));
    reader.readAsDataURL(file);
  });
}

interface PublishFields {
  file: File | null;
  id: string;
  version: string;
  effectiveDate: string;
  reason: string;
}

/** What is wrong with the form before it is sent, in Chinese; null when nothing is. */
function formProblem(f: PublishFields, today: string): string | null {
  if (!f.file) return "请选择质控规则表（Excel 文件，.xlsx）";
  if (!/\.xlsx$/i.test(f.file.name)) return `「${f.file.name}」不是 .xlsx 文件，请选择 Excel 工作簿`;
  if (f.file.size > MAX_WORKBOOK_BYTES) return "文件超过 8 MB，请确认选择的是质控规则表";
  if (!f.version.trim()) return "请填写版本号";
  if (!DATE.test(f.effectiveDate)) return "请选择生效日期";
  if (f.effectiveDate < today) return `生效日期不能早于今天（${today}）：已发生的结算不因新版本而改变`;
  if (!f.reason.trim()) return "请填写发布原因（记入版本记录）";
  return null;
}

/** Sends the form to the import route: what to tell the user, and whether a new edition was written. */
async function publishRules(
  fields: PublishFields,
  today: string,
): Promise<{ outcome: Outcome; created: boolean }> {
  const problem = formProblem(fields, today);
  if (problem !== null || fields.file === null)
    return { outcome: { ok: false, message: problem ?? "", problems: [] }, created: false };
  try {
    const id = fields.id.trim();
    const r = await api.post<ImportReply>("/api/v1/qc/editions/rules/import", {
      ...(id ? { id } : {}),
      version: fields.version.trim(),
      effectiveDate: fields.effectiveDate,
      reason: fields.reason.trim(),
      file: await base64Of(fields.file),
    });
    const name = `${r.edition.id}@${r.edition.version}`;
    if (r.status === "created")
      return {
        outcome: {
          ok: true,
          text: `已发布：质控规则版本 ${name}（${r.rules} 条规则），${r.edition.effectiveDate} 起生效`,
        },
        created: true,
      };
    return {
      outcome: { ok: true, text: `质控规则版本 ${name} 已发布过，内容相同，未重复发布` },
      created: false,
    };
  } catch (err) {
    const problems = err instanceof ApiError ? err.details.map((d) => d.message) : [];
    return { outcome: { ok: false, message: (err as Error).message, problems }, created: false };
  }
}

/** A form's outcome: `{testId}-result`, or `{testId}-error` with its list `{testId}-problems`. */
export function OutcomeNote({
  outcome,
  testId = "qc-publish",
}: {
  outcome: Outcome | null;
  testId?: string;
}) {
  if (!outcome) return null;
  if (outcome.ok)
    return (
      <div className="note" role="status" data-testid={`${testId}-result`}>
        {outcome.text}
      </div>
    );
  return (
    <div className="error" role="alert" data-testid={`${testId}-error`}>
      <div>{outcome.message}</div>
      {outcome.problems.length > 0 && (
        <>
          <div>共 {outcome.problems.length} 个问题：</div>
          <ul className="problems" data-testid={`${testId}-problems`}>
            {outcome.problems.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the server's list shown as it came, never reordered; two problems may read alike
              <li key={i}>{p}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/**
 * 发布质控规则新版本 (bureau and administrators): an .xlsx rule table (as the 下载 Excel of an edition
 * gives it), the rule set's id (prefilled with today's edition's), a version, an effective date (today
 * or later in China time, tomorrow by default) and the reason, sent to the import route.
 */
export function PublishQcRules({
  today,
  inForceId,
  onPublished,
}: {
  today: string;
  inForceId: string;
  onPublished: () => void;
}) {
  const [fields, setFields] = useState<PublishFields>({
    file: null,
    id: inForceId,
    version: "",
    effectiveDate: addDays(today, 1),
    reason: "",
  });
  // The file input is remounted (cleared) after a publication.
  const [fileInput, setFileInput] = useState(0);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const set = (patch: Partial<PublishFields>) => setFields((f) => ({ ...f, ...patch }));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setOutcome(null);
    setBusy(true);
    const r = await publishRules(fields, today);
    setBusy(false);
    setOutcome(r.outcome);
    if (r.created) {
      set({ file: null, version: "", reason: "" });
      setFileInput((n) => n + 1);
    }
    if (r.outcome.ok) onPublished();
  };

  return (
    <Card title="发布质控规则新版本">
      <p className="hint">
        上传质控规则表（Excel，每行一条规则；可先在上表「下载
        Excel」取得现行版本再修改）。新版本自生效日期起用于出院日期在该日及以后的清单；已发布的版本不能修改，只能发布新版本。
      </p>
      <form className="publish-form" data-testid="qc-publish-form" onSubmit={submit} noValidate>
        <span>质控规则表</span>
        <div className="file">
          {/* The browser's own file button speaks the browser's language: hidden behind a Chinese one. */}
          <label className="button file-button">
            选择文件
            <input
              key={fileInput}
              className="visually-hidden"
              type="file"
              name="workbook"
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => set({ file: e.target.files?.[0] ?? null })}
            />
          </label>
          <span className="muted file-name">{fields.file?.name ?? "未选择文件"}</span>
        </div>
        <label htmlFor="qc-publish-id">规则集编号</label>
        <input
          id="qc-publish-id"
          name="id"
          maxLength={64}
          placeholder="不填则取工作簿「版本」表中的编号"
          value={fields.id}
          onChange={(e) => set({ id: e.target.value })}
        />
        <label htmlFor="qc-publish-version">版本号</label>
        <input
          id="qc-publish-version"
          name="version"
          maxLength={64}
          placeholder="如 2026B"
          value={fields.version}
          onChange={(e) => set({ version: e.target.value })}
        />
        <label htmlFor="qc-publish-date">生效日期</label>
        <input
          id="qc-publish-date"
          name="effectiveDate"
          type="date"
          min={today}
          value={fields.effectiveDate}
          onChange={(e) => set({ effectiveDate: e.target.value })}
        />
        <label htmlFor="qc-publish-reason">发布原因</label>
        <textarea
          id="qc-publish-reason"
          name="reason"
          maxLength={500}
          rows={2}
          placeholder="如：依据市医保局 2026 年第 3 号文件，增加参保地校验"
          value={fields.reason}
          onChange={(e) => set({ reason: e.target.value })}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "发布中…" : "发布新版本"}
          </button>
        </div>
      </form>
      <OutcomeNote outcome={outcome} />
    </Card>
  );
}
