/**
 * 从 Excel 发布新版本 (bureau and administrators): the form shared by the regional rule tables kept as
 * workbooks (QC rules, the audit rule base). An .xlsx table (as the 下载 Excel of an edition gives
 * it), the edition's id (prefilled with today's edition's), a version, an effective date (today or
 * later in China time, tomorrow by default) and the reason, sent to the table's import route; the
 * reply's problems are listed as the server named them (by row and column).
 */
import { useState } from "react";
import { ApiError, api, type Meta } from "../api";
import { Card } from "../components";
import { addDays } from "../format";

/** Who may publish an edition (the server refuses anyone else too). */
export function mayPublishEditions(meta: Meta): boolean {
  return meta.user.role === "bureau" || meta.user.role === "admin";
}

/** What differs between the tables: names, the import route, the form's test ids. */
export interface ExcelTable {
  /** The edition's Chinese name, e.g. 质控规则 (质控规则版本 …). */
  readonly name: string;
  /** The workbook's name, e.g. 质控规则表. */
  readonly table: string;
  /** The label of the edition's id, e.g. 规则集编号. */
  readonly idLabel: string;
  /** The import route (POST). */
  readonly importPath: string;
  /** Prefix of the form's test ids and element ids, e.g. `qc-publish`. */
  readonly testId: string;
  readonly hint: string;
  readonly reasonPlaceholder: string;
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
function formProblem(t: ExcelTable, f: PublishFields, today: string): string | null {
  if (!f.file) return `请选择${t.table}（Excel 文件，.xlsx）`;
  if (!/\.xlsx$/i.test(f.file.name)) return `「${f.file.name}」不是 .xlsx 文件，请选择 Excel 工作簿`;
  if (f.file.size > MAX_WORKBOOK_BYTES) return `文件超过 8 MB，请确认选择的是${t.table}`;
  if (!f.version.trim()) return "请填写版本号";
  if (!DATE.test(f.effectiveDate)) return "请选择生效日期";
  if (f.effectiveDate < today) return `生效日期不能早于今天（${today}）：已发生的结算不因新版本而改变`;
  if (!f.reason.trim()) return "请填写发布原因（记入版本记录）";
  return null;
}

/** Sends the form to the import route: what to tell the user, and whether a new edition was written. */
async function publish(
  t: ExcelTable,
  fields: PublishFields,
  today: string,
): Promise<{ outcome: Outcome; created: boolean }> {
  const problem = formProblem(t, fields, today);
  if (problem !== null || fields.file === null)
    return { outcome: { ok: false, message: problem ?? "", problems: [] }, created: false };
  try {
    const id = fields.id.trim();
    const r = await api.post<ImportReply>(t.importPath, {
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
          text: `已发布：${t.name}版本 ${name}（${r.rules} 条规则），${r.edition.effectiveDate} 起生效`,
        },
        created: true,
      };
    return {
      outcome: { ok: true, text: `${t.name}版本 ${name} 已发布过，内容相同，未重复发布` },
      created: false,
    };
  } catch (err) {
    const problems = err instanceof ApiError ? err.details.map((d) => d.message) : [];
    return { outcome: { ok: false, message: (err as Error).message, problems }, created: false };
  }
}

export function OutcomeNote({ outcome, testId }: { outcome: Outcome | null; testId: string }) {
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

/** 发布{name}新版本: the form of `table`, its outcome below it. */
export function PublishFromExcel({
  table,
  today,
  inForceId,
  onPublished,
}: {
  table: ExcelTable;
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
  const id = (field: string) => `${table.testId}-${field}`;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setOutcome(null);
    setBusy(true);
    const r = await publish(table, fields, today);
    setBusy(false);
    setOutcome(r.outcome);
    if (r.created) {
      set({ file: null, version: "", reason: "" });
      setFileInput((n) => n + 1);
    }
    if (r.outcome.ok) onPublished();
  };

  return (
    <Card title={`发布${table.name}新版本`}>
      <p className="hint">{table.hint}</p>
      <form className="publish-form" data-testid={`${table.testId}-form`} onSubmit={submit} noValidate>
        <span>{table.table}</span>
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
        <label htmlFor={id("id")}>{table.idLabel}</label>
        <input
          id={id("id")}
          name="id"
          maxLength={64}
          placeholder="不填则取工作簿「版本」表中的编号"
          value={fields.id}
          onChange={(e) => set({ id: e.target.value })}
        />
        <label htmlFor={id("version")}>版本号</label>
        <input
          id={id("version")}
          name="version"
          maxLength={64}
          placeholder="如 2026B"
          value={fields.version}
          onChange={(e) => set({ version: e.target.value })}
        />
        <label htmlFor={id("date")}>生效日期</label>
        <input
          id={id("date")}
          name="effectiveDate"
          type="date"
          min={today}
          value={fields.effectiveDate}
          onChange={(e) => set({ effectiveDate: e.target.value })}
        />
        <label htmlFor={id("reason")}>发布原因</label>
        <textarea
          id={id("reason")}
          name="reason"
          maxLength={500}
          rows={2}
          placeholder={table.reasonPlaceholder}
          value={fields.reason}
          onChange={(e) => set({ reason: e.target.value })}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "发布中…" : "发布新版本"}
          </button>
        </div>
      </form>
      <OutcomeNote outcome={outcome} testId={table.testId} />
    </Card>
  );
}
