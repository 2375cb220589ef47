/**
 * An operation log entry's detail in Chinese (操作日志详情): 「标签：值」 pairs, money in 元 from fen,
 * changes as 「原值 → 新值」. The log keeps the detail as recorded (JSON); this is how people read it, in
 * the console and in its Excel export alike.
 */

function yuan(fen: number): string {
  return (fen / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Labels of the operation log's detail fields (操作日志详情). */
const DETAIL_LABELS: Record<string, string> = {
  setlId: "结算清单",
  setlIds: "结算清单",
  findingId: "审核发现",
  hospitalCode: "医院",
  hospital: "医院",
  period: "期号",
  year: "年度",
  drg: "DRG",
  runId: "运行批次",
  policy: "支付政策",
  reason: "理由",
  decision: "决定",
  status: "状态",
  clearingId: "清算",
  amountFen: "金额(元)",
  budgetFen: "年度预算(元)",
  deductionFen: "扣款(元)",
  deductionsFen: "审核扣款(元)",
  settledFen: "清算后应得(元)",
  fundDueFen: "基金应付(元)",
  prepaidFen: "已预拨(元)",
  balanceDueFen: "清算应补/应退(元)",
  specialReviewFen: "特病单议追加(元)",
  fundPaymentFen: "基金支付(元)",
  points: "点数",
  totalPoints: "总点数",
  pointValueYuan: "点值(元/点)",
  cases: "病例数",
  hospitals: "变动医院",
  items: "明细",
  added: "新增",
  before: "原",
  after: "现",
  rows: "行数",
  path: "数据源",
  committed: "已保存",
  stored: "已保存",
  userId: "账号编号",
  username: "用户名",
  disabled: "已停用",
  appealId: "申诉编号",
  applicationId: "特病单议申请编号",
  criterion: "申请条件",
  figure: "依据",
  seq: "质控结果序号",
  ruleId: "规则编号",
  keyId: "接口密钥",
  historyImport: "历史清单导入",
  lists: "清单数",
  count: "清单数",
  uploadTimeSources: "原始上传时间来源",
  file: "文件中的上传时间",
  stated: "指定的上传日期",
  statedUploadedAt: "指定的上传日期",
  outcomes: "结果",
  inserted: "新接收",
  replaced: "替换",
  refused_kept: "拒收（保留原版本）",
  refused_foreign: "拒收（他院清单）",
};

const DETAIL_STATES: Record<string, string> = {
  open: "待处理",
  appealed: "医院已申诉",
  upheld: "复核维持",
  overturned: "复核撤销",
  deducted: "已清算扣款",
  closed: "已结案",
};

/** A QC appeal's decision (审核申诉); an audit decision's values are the states above. */
const DETAIL_DECISIONS: Record<string, string> = {
  accepted: "申诉成立",
  rejected: "申诉驳回",
};

function detailValue(key: string, v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number" && key.endsWith("Fen")) return yuan(v);
  if (typeof v === "boolean") return v ? "是" : "否";
  if (typeof v === "string") {
    if (key === "status") return DETAIL_STATES[v] ?? v;
    return key === "decision" ? (DETAIL_DECISIONS[v] ?? DETAIL_STATES[v] ?? v) : v;
  }
  if (typeof v === "number") return v.toLocaleString("zh-CN");
  if (Array.isArray(v)) return v.map((x) => detailValue(key, x)).join("、");
  const o = v as Record<string, unknown>;
  if ("before" in o && "after" in o && Object.keys(o).length === 2) {
    return `${detailValue(key, o.before)} → ${detailValue(key, o.after)}`;
  }
  return `（${describeDetail(o)}）`;
}

/** An operation log entry's detail in Chinese: 「标签：值」 pairs, money in 元, before → after. */
export function describeDetail(detail: unknown): string {
  if (detail === null || typeof detail !== "object") return detail == null ? "—" : String(detail);
  const parts = Object.entries(detail as Record<string, unknown>).map(
    ([k, v]) => `${DETAIL_LABELS[k] ?? k}：${detailValue(k, v)}`,
  );
  return parts.length === 0 ? "—" : parts.join("；");
}
