/**
 * The bureau's forms of 医院主数据 (bureau and administrators only; the server refuses anyone else too):
 * 发布新版本 from an uploaded .xlsx (as 下载 Excel gives it) and 修改单家医院, one hospital's level, benefit
 * class and payment method as a new edition from a date. A released edition is never edited: each is a
 * new edition from today or later (China time); the server checks every row and names every problem by
 * its row and column, which the form lists.
 */
import { useState } from "react";
import { ApiError, api, type ErrorDetail, type Meta } from "../api";
import { Card } from "../components";
import { addDays } from "../format";
import { base64Of, type Outcome, OutcomeNote } from "./ExcelPublish";

export const HOSPITALS_API = "/api/v1/payment/hospitals";

/** 医院等级 the server takes (HOSPITAL_LEVELS of the payment service). */
export const LEVELS = ["一级", "二级", "三级"] as const;

/** Who may publish an edition (the server refuses anyone else too). */
export function mayEditHospitals(meta: Meta): boolean {
  return meta.user.role === "bureau" || meta.user.role === "admin";
}

/** What the server answers a saved (or unchanged) edition. */
interface EditionReply {
  effectiveFrom: string;
  changed: number;
  unchanged: number;
  added: string[];
}

/** The largest workbook the server takes (its limit is 8,000,000 characters of base64). */
const MAX_WORKBOOK_BYTES = 6_000_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const COLUMN_NAMES: Readonly<Record<string, string>> = {
  code: "医院编码",
  name: "医院名称",
  level: "医院等级",
  benefitClass: "起付线类别",
  paymentMethod: "支付方式",
};

/** Where a problem is, in Chinese: an Excel line and column as the server names it, or a form field. */
function fieldName(field: string): string {
  if (field === "file") return "文件";
  if (field === "effectiveFrom") return "生效日期";
  if (field === "rows") return "医院";
  const json = /^rows\[\d+\]\.(\w+)$/.exec(field);
  if (json?.[1]) return COLUMN_NAMES[json[1]] ?? json[1];
  return field;
}

/** A refusal: every problem the server listed (where, then the rule), or its message alone. */
function refusal(err: unknown): Outcome {
  const details: readonly ErrorDetail[] = err instanceof ApiError ? err.details : [];
  if (details.length === 0) return { ok: false, message: (err as Error).message, problems: [] };
  return {
    ok: false,
    message: "医院主数据版本未保存，未写入任何数据",
    problems: details.map((d) => `${fieldName(d.field)}：${d.message}`),
  };
}

/** What an edition did, as the server counted it. */
function publishedText(r: EditionReply): string {
  if (r.changed === 0)
    return `未发布新版本：${r.unchanged} 家医院与 ${r.effectiveFrom} 起现行的医院主数据相同，无变更`;
  const added = r.added.length > 0 ? `（其中新增医院 ${r.added.join("、")}）` : "";
  return `已发布：${r.changed} 家医院变更${added}，${r.unchanged} 家未变，${r.effectiveFrom} 起生效`;
}

/** The date and reason every edition needs; null when they are fine. */
function headerProblem(effectiveFrom: string, reason: string, today: string): string | null {
  if (!DATE.test(effectiveFrom)) return "请选择生效日期";
  if (effectiveFrom < today)
    return `生效日期不能早于今天（${today}，北京时间）：已发布的医院主数据不可修改，变更只能从今天或以后生效`;
  if (!reason.trim()) return "请填写变更原因（记入版本记录）";
  return null;
}

/** Sends an edition; what to tell the user. */
async function send(path: string, body: Record<string, unknown>): Promise<Outcome> {
  try {
    return { ok: true, text: publishedText(await api.post<EditionReply>(path, body)) };
  } catch (err) {
    return refusal(err);
  }
}

function DateAndReason({
  prefix,
  today,
  effectiveFrom,
  reason,
  onChange,
}: {
  prefix: string;
  today: string;
  effectiveFrom: string;
  reason: string;
  onChange: (patch: { effectiveFrom?: string; reason?: string }) => void;
}) {
  return (
    <>
      <label htmlFor={`${prefix}-date`}>生效日期</label>
      <input
        id={`${prefix}-date`}
        name="effectiveFrom"
        type="date"
        min={today}
        value={effectiveFrom}
        onChange={(e) => onChange({ effectiveFrom: e.target.value })}
      />
      <label htmlFor={`${prefix}-reason`}>变更原因</label>
      <textarea
        id={`${prefix}-reason`}
        name="reason"
        maxLength={500}
        rows={2}
        placeholder="如：依据市医保局 2026 年第 5 号文件，调整医院等级"
        value={reason}
        onChange={(e) => onChange({ reason: e.target.value })}
      />
    </>
  );
}

function SubmitButton({ busy }: { busy: boolean }) {
  return (
    <div className="actions">
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "发布中…" : "发布新版本"}
      </button>
    </div>
  );
}

/** Runs a form's request once at a time: busy while it is under way, then its outcome. */
function useSubmit(run: () => Promise<Outcome>, onDone: (outcome: Outcome) => void) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setOutcome(null);
    setBusy(true);
    const r = await run();
    setBusy(false);
    setOutcome(r);
    onDone(r);
  };
  return { busy, outcome, submit };
}

function fileProblem(file: File | null): string | null {
  if (!file) return "请选择医院主数据表（Excel 文件，.xlsx）";
  if (!/\.xlsx$/i.test(file.name)) return `「${file.name}」不是 .xlsx 文件，请选择 Excel 工作簿`;
  if (file.size > MAX_WORKBOOK_BYTES) return "文件超过 6 MB，请确认选择的是医院主数据表";
  return null;
}

/**
 * 发布新版本（Excel 导入）: an .xlsx of hospitals (医院编码、医院名称、医院等级、起付线类别、支付方式), the
 * effective date (tomorrow by default, today at the earliest) and the reason, sent to the import route.
 */
export function ImportHospitals({ today, onPublished }: { today: string; onPublished: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [header, setHeader] = useState({ effectiveFrom: addDays(today, 1), reason: "" });
  // The file input is remounted (cleared) after a publication.
  const [fileInput, setFileInput] = useState(0);
  const { busy, outcome, submit } = useSubmit(
    async () => {
      const problem = fileProblem(file) ?? headerProblem(header.effectiveFrom, header.reason, today);
      if (problem !== null || file === null) return { ok: false, message: problem ?? "", problems: [] };
      return send(`${HOSPITALS_API}/import`, {
        effectiveFrom: header.effectiveFrom,
        reason: header.reason.trim(),
        file: await base64Of(file),
      });
    },
    (r) => {
      if (!r.ok) return;
      setFile(null);
      setHeader((h) => ({ ...h, reason: "" }));
      setFileInput((n) => n + 1);
      onPublished();
    },
  );
  return (
    <Card title="发布新版本（Excel 导入）">
      <p className="hint">
        上传医院主数据表（Excel，每行一家医院；可先在上表「下载
        Excel」取得所选日期的数据再修改）。与生效日期起现行数据相同的医院不产生新版本；任何一行有问题则整表不导入。已发布的版本不能修改，只能发布新版本。
      </p>
      <form className="publish-form" data-testid="hospital-import-form" onSubmit={submit} noValidate>
        <span>医院主数据表</span>
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
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </label>
          <span className="muted file-name">{file?.name ?? "未选择文件"}</span>
        </div>
        <DateAndReason
          prefix="hospital-import"
          today={today}
          effectiveFrom={header.effectiveFrom}
          reason={header.reason}
          onChange={(patch) => setHeader((h) => ({ ...h, ...patch }))}
        />
        <SubmitButton busy={busy} />
      </form>
      <OutcomeNote outcome={outcome} testId="hospital-import" />
    </Card>
  );
}

/** A hospital's master data as the edit form starts from (the row shown in the table). */
export interface EditableHospital {
  code: string;
  name: string | null;
  level: string;
  benefitClass: string | null;
  paymentMethod: "DRG" | "DIP";
}

/**
 * 修改单家医院: one hospital's level, benefit class and payment method as a new edition from a date,
 * prefilled with the row chosen in the table; `classes` are the 起付线类别 the table shows.
 */
export function EditHospital({
  hospital,
  classes,
  today,
  onPublished,
}: {
  hospital: EditableHospital;
  classes: readonly string[];
  today: string;
  onPublished: () => void;
}) {
  const [row, setRow] = useState({
    level: hospital.level,
    benefitClass: hospital.benefitClass ?? "",
    paymentMethod: hospital.paymentMethod,
  });
  const [header, setHeader] = useState({ effectiveFrom: addDays(today, 1), reason: "" });
  const { busy, outcome, submit } = useSubmit(
    async () => {
      const problem = headerProblem(header.effectiveFrom, header.reason, today);
      if (problem !== null) return { ok: false, message: problem, problems: [] };
      return send(`${HOSPITALS_API}/editions`, {
        effectiveFrom: header.effectiveFrom,
        reason: header.reason.trim(),
        rows: [{ code: hospital.code, ...row, benefitClass: row.benefitClass.trim() || null }],
      });
    },
    (r) => {
      if (!r.ok) return;
      setHeader((h) => ({ ...h, reason: "" }));
      onPublished();
    },
  );
  const levels: readonly string[] = LEVELS.includes(hospital.level as (typeof LEVELS)[number])
    ? LEVELS
    : [...LEVELS, hospital.level];
  return (
    <Card title={`修改单家医院：${hospital.name ?? hospital.code}（${hospital.code}）`}>
      <form className="publish-form" data-testid="hospital-edit-form" onSubmit={submit} noValidate>
        <label htmlFor="hospital-edit-level">医院等级</label>
        <select
          id="hospital-edit-level"
          name="level"
          value={row.level}
          onChange={(e) => setRow((r) => ({ ...r, level: e.target.value }))}
        >
          {levels.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        <label htmlFor="hospital-edit-class">起付线类别</label>
        <input
          id="hospital-edit-class"
          name="benefitClass"
          list="hospital-edit-classes"
          maxLength={60}
          placeholder="不填则无起付线类别"
          value={row.benefitClass}
          onChange={(e) => setRow((r) => ({ ...r, benefitClass: e.target.value }))}
        />
        <datalist id="hospital-edit-classes">
          {classes.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <label htmlFor="hospital-edit-method">支付方式</label>
        <select
          id="hospital-edit-method"
          name="paymentMethod"
          value={row.paymentMethod}
          onChange={(e) => setRow((r) => ({ ...r, paymentMethod: e.target.value as "DRG" | "DIP" }))}
        >
          <option value="DRG">DRG</option>
          <option value="DIP">DIP</option>
        </select>
        <DateAndReason
          prefix="hospital-edit"
          today={today}
          effectiveFrom={header.effectiveFrom}
          reason={header.reason}
          onChange={(patch) => setHeader((h) => ({ ...h, ...patch }))}
        />
        <SubmitButton busy={busy} />
      </form>
      <OutcomeNote outcome={outcome} testId="hospital-edit" />
    </Card>
  );
}
