/** 上传清单 and 试分组: paste or choose a 4101 JSON message; upload stores it, what-if only groups it. */
import { useState } from "react";
import { api } from "../api";
import { Card, ErrorNote } from "../components";
import { GROUP_STATUS, yuan } from "../format";
import { navigate } from "../router";

interface Finding {
  ruleId: string;
  severity: string;
  field: string;
  message: string;
}
interface Group {
  drg: string;
  drgName: string;
  status: string;
}
interface ListResult {
  setl_id: string | null;
  accepted: boolean;
  message: string;
  findings: Finding[];
  group: Group | null;
}
interface WhatIf {
  setlId: string | null;
  accepted: boolean;
  findings: Finding[];
  group: Group | null;
  estimate: {
    policyId: string;
    policyVersion: string;
    weightsId: string;
    weightsVersion: string;
    categoryName: string;
    /** 特殊病例 (e.g. 死亡病例), also when the family is paid as a DRG stay; null when none. */
    specialCaseName?: string | null;
    rw: number | null;
    baseRateFen: number;
    coefficient: number;
    standardFen: number | null;
    paymentFen: number;
    totalFeeFen: number;
    surplusFen: number;
  } | null;
  estimateProblem: string | null;
}

function MessageInput({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const [fileName, setFileName] = useState<string | null>(null);
  return (
    <div className="message-input">
      <textarea
        aria-label="4101 报文"
        placeholder='粘贴 4101/4101A 报文 JSON：{"infno":"4101","input":{"setlinfo":{…},…}}，上传时也可以是数组'
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={14}
      />
      {/* The browser's own file button speaks the browser's language ("Choose File"): it is hidden
          (still focusable) behind a Chinese one. */}
      <div className="file">
        或选择 JSON 文件：
        <label className="button file-button">
          选择文件
          <input
            className="visually-hidden"
            type="file"
            accept=".json,application/json"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              setFileName(f?.name ?? null);
              if (f) onChange(await f.text());
            }}
          />
        </label>
        <span className="muted file-name">{fileName ?? "未选择文件"}</span>
      </div>
    </div>
  );
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error("报文不是合法的 JSON");
  }
}

function Findings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return <p>质控通过，无问题。</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>规则</th>
          <th>严重程度</th>
          <th>字段</th>
          <th>说明</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a response shown as it came, never reordered or edited; one rule can fire twice, so the position is part of the key
          <tr key={`${f.ruleId}-${i}`}>
            <td>{f.ruleId}</td>
            <td>{f.severity === "error" ? "错误（拒收）" : "警告"}</td>
            <td>{f.field}</td>
            <td>{f.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function UploadPage() {
  const [text, setText] = useState("");
  const [results, setResults] = useState<ListResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    setResults(null);
    try {
      const body = parse(text);
      const r = await api.post<ListResult | { results: ListResult[] }>("/api/v1/settlement-lists", body);
      setResults("results" in r ? r.results : [r]);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div>
      <div className="page-title">
        <h1>上传结算清单</h1>
      </div>
      <Card title="4101 报文">
        <MessageInput value={text} onChange={setText} />
        <button type="button" className="primary" onClick={submit}>
          上传
        </button>
      </Card>
      <ErrorNote error={error} />
      {results?.map((r, i) => (
        <Card
          // biome-ignore lint/suspicious/noArrayIndexKey: a response shown as it came, never reordered or edited; a batch may hold one setl_id twice (or none), so the position is part of the key
          key={`${r.setl_id}-${i}`}
          title={`清单 ${r.setl_id ?? "（无结算ID）"}：${r.accepted ? "已接收" : "已拒收"}`}
        >
          <p data-testid="upload-result">
            {r.message}
            {r.group && (
              <>
                ；分组结果：<b>{r.group.drg}</b> {r.group.drgName}（
                {GROUP_STATUS[r.group.status] ?? r.group.status}）
              </>
            )}
          </p>
          <Findings findings={r.findings} />
          {r.setl_id && r.accepted && (
            <button type="button" onClick={() => navigate(`/lists/${encodeURIComponent(r.setl_id ?? "")}`)}>
              查看清单
            </button>
          )}
        </Card>
      ))}
    </div>
  );
}

export function WhatIfPage() {
  const [text, setText] = useState("");
  const [result, setResult] = useState<WhatIf | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    setResult(null);
    try {
      setResult(await api.post<WhatIf>("/api/v1/console/what-if", parse(text)));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div>
      <div className="page-title">
        <h1>试分组（上传前预检，不保存）</h1>
      </div>
      <Card title="4101 报文">
        <MessageInput value={text} onChange={setText} />
        <button type="button" className="primary" onClick={submit}>
          质控并分组
        </button>
      </Card>
      <ErrorNote error={error} />
      {result && (
        <Card title={`预检结果：${result.accepted ? "可以上传" : "将被拒收"}`}>
          <p data-testid="whatif-group">
            分组：<b>{result.group?.drg ?? "—"}</b> {result.group?.drgName ?? ""}
            {result.group ? `（${GROUP_STATUS[result.group.status] ?? result.group.status}）` : ""}
          </p>
          {result.estimate && (
            <p data-testid="whatif-estimate">
              按支付政策 {result.estimate.policyId}（版本 {result.estimate.policyVersion}）、权重表{" "}
              {result.estimate.weightsId}（版本 {result.estimate.weightsVersion}）试算：
              {result.estimate.rw !== null && result.estimate.standardFen !== null
                ? `权重 ${result.estimate.rw.toFixed(4)} × 费率 ${yuan(result.estimate.baseRateFen)} 元${
                    result.estimate.coefficient !== 1 ? ` × 系数 ${result.estimate.coefficient}` : ""
                  } = 支付标准 ${yuan(result.estimate.standardFen)} 元；`
                : ""}
              结算类别 {result.estimate.categoryName}
              {result.estimate.specialCaseName &&
              result.estimate.specialCaseName !== result.estimate.categoryName
                ? `（特殊病例：${result.estimate.specialCaseName}）`
                : ""}
              ，预估病组支付 {yuan(result.estimate.paymentFen)} 元；总费用 {yuan(result.estimate.totalFeeFen)}{" "}
              元；预估
              {result.estimate.surplusFen >= 0 ? "结余" : "超支"} {yuan(Math.abs(result.estimate.surplusFen))}{" "}
              元
            </p>
          )}
          {result.estimateProblem && <p className="muted">无法试算支付：{result.estimateProblem}</p>}
          <Findings findings={result.findings} />
        </Card>
      )}
    </div>
  );
}
