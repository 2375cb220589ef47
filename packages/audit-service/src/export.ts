/** 审核发现导出 (export of findings) to Excel or CSV with Chinese headers. */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Store } from "@yibao/store";
import ExcelJS from "exceljs";
import { allFindings, type FindingSummary } from "./queries.js";

/** Columns of the export: header (Chinese) and value. */
export const EXPORT_COLUMNS: readonly {
  readonly header: string;
  readonly value: (f: FindingSummary) => string | number;
}[] = [
  { header: "发现编号", value: (f) => f.findingId },
  { header: "结算期号", value: (f) => f.period },
  { header: "定点医疗机构编码", value: (f) => f.hospitalCode },
  { header: "主诊医师代码", value: (f) => f.physicianCode ?? "" },
  { header: "结算ID", value: (f) => f.setlIds.join("；") },
  { header: "规则编号", value: (f) => f.ruleId },
  { header: "规则名称", value: (f) => f.ruleName },
  { header: "规则类别", value: (f) => f.category },
  { header: "违规类型", value: (f) => f.violationName },
  { header: "审核结论", value: (f) => f.outcome },
  { header: "审核意见", value: (f) => f.message },
  { header: "基金损失（元）", value: (f) => f.fundLossFen / 100 },
  { header: "拟扣款（元）", value: (f) => f.deductionFen / 100 },
  { header: "案件状态", value: (f) => f.statusName },
];

function csvCell(v: string | number): string {
  const s = typeof v === "number" ? v.toFixed(2) : v;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Writes the findings of `from`..`to` to `file` (.xlsx or .csv, by extension); returns the count. */
export async function exportFindings(
  store: Store,
  file: string,
  from: string,
  to: string,
  hospital?: string,
): Promise<number> {
  let n = 0;
  if (file.toLowerCase().endsWith(".xlsx")) {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
    const ws = wb.addWorksheet("审核发现");
    ws.columns = EXPORT_COLUMNS.map((c) => ({
      header: c.header,
      width: Math.max(12, c.header.length * 2 + 2),
    }));
    for await (const f of allFindings(store, from, to, hospital)) {
      ws.addRow(EXPORT_COLUMNS.map((c) => c.value(f))).commit();
      n++;
    }
    ws.commit();
    await wb.commit();
    return n;
  }
  if (!file.toLowerCase().endsWith(".csv"))
    throw new RangeError(`--output：导出文件须以 .xlsx 或 .csv 结尾（收到「${file}」）`);
  const out = createWriteStream(file, "utf8");
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, "drain");
  };
  await write(`\uFEFF${EXPORT_COLUMNS.map((c) => csvCell(c.header)).join(",")}\r\n`);
  for await (const f of allFindings(store, from, to, hospital)) {
    await write(`${EXPORT_COLUMNS.map((c) => csvCell(c.value(f))).join(",")}\r\n`);
    n++;
  }
  out.end();
  await once(out, "finish");
  return n;
}
