/**
 * The error catalogue (错误码目录, issue 11): every code an error reply of the API can carry, with its
 * HTTP status and a Chinese title saying what it means. The per-call message (which record, which
 * field) stays where the error is raised; the status is never chosen there but read from here, so a
 * code always means one status. `docs/errors.md` is generated from this table
 * (`npm run docs:errors -w packages/server`) and a test checks that it matches.
 */

/** An HTTP status an error reply may have. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 416 | 422 | 429 | 500 | 503;

export interface ErrorEntry {
  readonly status: ErrorStatus;
  /** What the code means, in Chinese, for the API documentation. */
  readonly title: string;
}

export const ERROR_CATALOGUE = {
  // 400: the request itself is wrong
  BAD_REQUEST: { status: 400, title: "请求无效（框架拒绝的其他请求）" },
  INVALID_REQUEST: { status: 400, title: "请求格式或参数不正确（含 JSON Schema 校验失败，附字段明细）" },
  INVALID_JSON: { status: 400, title: "请求体不是合法的 JSON" },
  EMPTY_BODY: { status: 400, title: "请求体为空，应为 JSON" },
  INVALID_CONTENT_LENGTH: { status: 400, title: "Content-Length 与请求体长度不符" },
  INVALID_CONTENT_TYPE: { status: 400, title: "Content-Type 不合法" },
  INVALID_URL: { status: 400, title: "请求路径不是合法的 URL 编码" },
  INVALID_VALUE: { status: 400, title: "请求中的数据超出数据库允许的范围或格式（如数值过大、日期不存在）" },
  INVALID_PARAMETER: { status: 400, title: "查询参数或路径参数含有不允许的字符" },
  BODY_TOO_DEEP: { status: 400, title: "请求体 JSON 嵌套过深" },
  INVALID_TEXT: { status: 400, title: "请求体字段含有不允许的字符" },
  INVALID_CODE_TYPE: { status: 400, title: "编码字段不是字符串（JSON 文本）" },
  INVALID_MESSAGE: { status: 400, title: "结算清单报文结构不正确" },
  INVALID_UPLOAD_TIME: { status: 400, title: "历史清单的上传时间不合法" },
  INVALID_EXPIRY: { status: 400, title: "接口密钥的有效期超出允许范围" },
  INVALID_NAME: { status: 400, title: "未填写接口密钥名称/用途" },
  UNKNOWN_HOSPITAL: { status: 400, title: "医院（定点医药机构）不存在" },
  INVALID_PASSWORD: { status: 400, title: "原密码不正确" },
  WEAK_PASSWORD: { status: 400, title: "新密码不符合密码规则" },
  INVALID_INPUT: { status: 400, title: "支付与清算的输入不正确" },
  INVALID_POLICY_DATA: { status: 400, title: "支付政策、权重表等版本化数据不合法" },
  PAYMENT_INPUT: { status: 400, title: "审核所需的支付输入不正确" },
  AUDIT_INPUT: { status: 400, title: "审核无法进行：缺少所需的输入" },
  NO_RULE_BASE: { status: 400, title: "该日期没有生效的审核规则库" },
  NO_KNOWLEDGE_BASE: { status: 400, title: "该日期没有生效的审核知识库" },
  WEIGHTS_NOT_FOUND: { status: 400, title: "支付政策没有可用的病组权重表" },
  NO_HISTORY: { status: 400, title: "所选期间没有已接收的结算清单，无法测算" },
  NO_CLEARING_RULES: { status: 400, title: "支付政策没有年终清算规则" },
  NOTHING_SETTLED: { status: 400, title: "该年没有已结算的病例，无法清算" },
  INVALID_EDITION: { status: 400, title: "规则版本不合法（附每条问题），或生效日期早于今天" },
  INVALID_WORKBOOK: { status: 400, title: "上传的 Excel 工作簿无法读取或缺少所需的列" },
  // 401: who is calling is not established
  UNAUTHENTICATED: { status: 401, title: "未登录或会话已过期" },
  LOGIN_FAILED: { status: 401, title: "用户名或密码不正确（或账号不可用）" },
  SIGNATURE_HEADERS: { status: 401, title: "接口签名请求头缺失或重复" },
  BAD_TIMESTAMP: { status: 401, title: "签名时间戳格式不正确" },
  BAD_NONCE: { status: 401, title: "签名 nonce 格式不正确" },
  BAD_CONTENT_SHA256: { status: 401, title: "请求体摘要（X-Yibao-Content-SHA256）格式不正确" },
  UNKNOWN_KEY: { status: 401, title: "接口密钥不存在" },
  KEY_REVOKED: { status: 401, title: "接口密钥已吊销" },
  KEY_EXPIRED: { status: 401, title: "接口密钥已过期" },
  KEY_HOSPITAL_GONE: { status: 401, title: "接口密钥所属医院已不存在" },
  TIMESTAMP_OUT_OF_RANGE: { status: 401, title: "签名时间戳超出允许的时钟偏差" },
  KEY_UNVERIFIABLE: { status: 401, title: "接口密钥无法校验（服务器缺少密钥材料）" },
  BAD_SIGNATURE: { status: 401, title: "签名不正确" },
  NONCE_REPLAYED: { status: 401, title: "nonce 已使用过（疑似重放）" },
  BODY_DIGEST_MISMATCH: { status: 401, title: "请求体与其声明的摘要不一致" },
  // 403: known caller, not allowed
  FORBIDDEN: { status: 403, title: "无权访问或执行该操作" },
  CSRF: { status: 403, title: "缺少有效的防跨站令牌或请求来源不一致" },
  PASSWORD_CHANGE_REQUIRED: { status: 403, title: "初始密码须先修改" },
  NO_HOSPITAL: { status: 403, title: "医院账号未绑定定点医药机构" },
  // 404: not there
  NOT_FOUND: { status: 404, title: "接口或记录不存在" },
  FINDING_NOT_FOUND: { status: 404, title: "审核发现不存在" },
  NO_PROFILE: { status: 404, title: "该期尚无医师画像" },
  POLICY_NOT_FOUND: { status: 404, title: "没有（生效的）支付政策" },
  NOT_CLEARED: { status: 404, title: "该年尚未清算" },
  // 409: the state of the data does not allow it
  CONFLICT: { status: 409, title: "与现有数据冲突（如重名、重复提交）" },
  ALREADY_REVOKED: { status: 409, title: "接口密钥已吊销" },
  VERSION_EXISTS: { status: 409, title: "该版本已存在，版本一经保存不可修改" },
  EDITION_DATE_TAKEN: { status: 409, title: "该生效日期已有另一个规则版本" },
  NOT_SETTLED: { status: 409, title: "结算清单尚未结算" },
  NO_NORMS: { status: 409, title: "尚无已接收的结算清单，无法建立事前审核的常模" },
  INVALID_TRANSITION: { status: 409, title: "审核发现当前状态下不能执行该操作" },
  SPECIAL_CASE_QUOTA_EXCEEDED: { status: 409, title: "医院的特病单议申请已达支付政策规定的限额" },
  NEW_TECH_EXCLUSION_QUOTA_EXCEEDED: { status: 409, title: "医院的新技术除外已达支付政策规定的比例上限" },
  // 413, 415, 416: the body or the range cannot be taken
  BODY_TOO_LARGE: { status: 413, title: "请求体过大" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "不支持的内容类型，应为 application/json" },
  RANGE_NOT_SATISFIABLE: { status: 416, title: "请求的范围无法满足" },
  // 422: well-formed, but the rules cannot compute it
  SETTLEMENT_ERROR: { status: 422, title: "无法按结算规则计算" },
  SPECIAL_CASE_NOT_ELIGIBLE: { status: 422, title: "病例不符合所申请的特病单议条件" },
  SPECIAL_CASE_DEADLINE_PASSED: { status: 422, title: "已超过特病单议的申请期限" },
  NEW_TECH_EXCLUSION_NOT_ELIGIBLE: { status: 422, title: "病例不符合新技术除外的申请条件" },
  // 429: too many attempts
  TOO_MANY_LOGINS: { status: 429, title: "登录尝试过于频繁" },
  // 5xx: the server's side
  INTERNAL_ERROR: { status: 500, title: "服务器内部错误" },
  STORE_UNAVAILABLE: { status: 503, title: "数据库暂不可用，可稍后重试" },
  STARTING: { status: 503, title: "平台正在启动，可稍后重试" },
  STARTUP_FAILED: { status: 503, title: "平台启动失败" },
} as const satisfies Readonly<Record<string, ErrorEntry>>;

/** A code of the catalogue; any other string is a compile error where a code is expected. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The codes whose status is `S`, e.g. `CodeWithStatus<401>`. */
export type CodeWithStatus<S extends ErrorStatus> = {
  [C in ErrorCode]: (typeof ERROR_CATALOGUE)[C]["status"] extends S ? C : never;
}[ErrorCode];

/** The HTTP status of a code. */
export function statusOf(code: ErrorCode): ErrorStatus {
  return ERROR_CATALOGUE[code].status;
}

/** Whether a string (e.g. a code read from another reply) is a code of the catalogue. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERROR_CATALOGUE, code);
}

/** The general code for a status, for errors that come with a status but no code of ours. */
const GENERAL: Readonly<Partial<Record<number, ErrorCode>>> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "BODY_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  416: "RANGE_NOT_SATISFIABLE",
  503: "STORE_UNAVAILABLE",
};

/** The code for a status that came without one: its general code, else BAD_REQUEST (4xx) or INTERNAL_ERROR. */
export function codeForStatus(status: number): ErrorCode {
  return GENERAL[status] ?? (status >= 400 && status < 500 ? "BAD_REQUEST" : "INTERNAL_ERROR");
}

/** The body of every error reply. */
export interface ErrorBody {
  readonly statusCode: number;
  /** Machine-readable code of the catalogue, e.g. `INVALID_JSON`. */
  readonly code: ErrorCode;
  /** Chinese message for people. */
  readonly message: string;
  /** Field-level problems, when there are any. */
  readonly details?: readonly { readonly field: string; readonly message: string }[];
}

/** The body of an error reply with this code (its status from the catalogue). */
export function errorBody(code: ErrorCode, message: string, details?: ErrorBody["details"]): ErrorBody {
  return { statusCode: statusOf(code), code, message, ...(details ? { details } : {}) };
}

/** The catalogue as a Markdown document (`docs/errors.md`). */
export function errorCatalogueMarkdown(): string {
  const rows = Object.entries(ERROR_CATALOGUE).map(
    ([code, e]) => `| \`${code}\` | ${e.status} | ${e.title.replaceAll("|", "\\|")} |`,
  );
  return [
    "# 错误码目录（Error codes）",
    "",
    "<!-- Generated from packages/server/src/error-catalogue.ts by `npm run docs:errors -w packages/server`; do not edit by hand. -->",
    "",
    "Every error reply of the API is JSON `{ statusCode, code, message, details? }`: `code` is one of the",
    "codes below and always comes with the status listed here; `message` is the Chinese message for this",
    "request (which record, which field); `details`, when present, lists field-level problems.",
    "",
    `${rows.length} codes.`,
    "",
    "| code | HTTP status | 含义 |",
    "|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
