import { SEX_FEMALE, SEX_MALE } from "@yibao/kernel/sex";
import type { QcRuleSet } from "../rules.js";

/**
 * 结算清单质控规则 (default edition): the national filling rules (医疗保障基金结算清单填写规范)
 * and Shenyang's intake practice for settlement-list QC (沈阳市结算清单质控: code version, data format,
 * code range, identifiers, completeness; upload within 8 days of settlement; non-national codes are not paid).
 * Every threshold, code range and message here is data; operators publish their own edition.
 */
export const DEFAULT_QC_RULES: QcRuleSet = {
  id: "settlement-list-qc",
  version: "2024.1",
  effectiveDate: "2024-01-01",
  source: "医疗保障基金结算清单填写规范；沈阳市结算清单质控实践（种子文档 001 第 387–701 行）",
  rules: [
    // ---- 报文结构 -------------------------------------------------------------------------
    {
      id: "QC-MSG-001",
      check: "message",
      category: "structure",
      severity: "error",
      message: "报文结构错误（{field}）：{detail}",
      description: "报文应为含交易编号与结算清单信息（input.setlinfo）的对象",
    },
    {
      id: "QC-MSG-002",
      check: "infno",
      category: "structure",
      severity: "error",
      message: "交易编号应为 4101 或 4101A，实际为「{value}」",
    },
    {
      id: "QC-MSG-003",
      check: "sectionType",
      category: "structure",
      severity: "error",
      message: "{label}（{field}）应为{expected}，实际为{actual}",
      description: "明细节点应为对象数组",
    },
    // ---- 数据格式 -------------------------------------------------------------------------
    {
      id: "QC-FMT-001",
      check: "jsonType",
      category: "format",
      severity: "error",
      message: "{label}（{field}）应为{expected}，实际为{actual}",
    },
    {
      id: "QC-FMT-002",
      check: "length",
      category: "format",
      severity: "error",
      message: "{label}（{field}）长度 {length} 超过最大长度 {max}：「{value}」",
    },
    {
      id: "QC-FMT-003",
      check: "number",
      category: "format",
      severity: "error",
      message:
        "{label}（{field}）应为不超过 {intDigits} 位整数、{decimals} 位小数的非负数值，实际为「{value}」",
    },
    {
      id: "QC-FMT-004",
      check: "money",
      category: "format",
      severity: "error",
      message: "{label}（{field}）应为非负金额（元，最多 2 位小数），实际为「{value}」",
    },
    {
      id: "QC-FMT-005",
      check: "date",
      category: "format",
      severity: "error",
      message: "{label}（{field}）应为日期 yyyy-MM-dd，实际为「{value}」",
    },
    {
      id: "QC-FMT-006",
      check: "datetime",
      category: "format",
      severity: "error",
      message: "{label}（{field}）应为日期时间 yyyy-MM-dd HH:mm:ss，实际为「{value}」",
    },
    {
      id: "QC-FMT-007",
      check: "pattern",
      category: "format",
      severity: "error",
      message: "{label}（{field}）格式应为{format}，实际为「{value}」",
      params: {
        checks: [
          {
            fields: [
              "setlinfo.vent_used_dura",
              "setlinfo.pwcry_bfadm_coma_dura",
              "setlinfo.pwcry_afadm_coma_dura",
              "icuinfo.scs_cutd_sum_dura",
            ],
            regex: "^\\d{1,3}/([01]?\\d|2[0-3])/[0-5]?\\d$",
            format: "“天/小时/分钟”（如 1/13/24）",
          },
          { fields: ["setlinfo.insuplc"], regex: "^\\d{6}$", format: "6 位行政区划代码" },
          {
            fields: ["setlinfo.fixmedins_code"],
            regex: "^H\\d{11}$",
            format: "H 加 11 位数字的定点医疗机构编码",
          },
        ],
      },
    },
    {
      id: "QC-FMT-008",
      check: "text",
      category: "format",
      severity: "error",
      message: "{field} 含有不允许的字符（{problem}），数据库无法如实保存：「{value}」",
      description:
        "文本（含字段名）不得含 U+0000 空字符或不成对的 UTF-16 代理项：此类文本无法如实保存，清单以转义形式存为拒收",
    },
    {
      id: "QC-FMT-009",
      check: "range",
      category: "format",
      severity: "error",
      message: "{field} 的数值超出可如实保存的范围（{problem}）：「{value}」",
      description: "数值应为有限值且不超过 ±9007199254740991；金额合计同样不得超出",
    },
    {
      id: "QC-MSG-004",
      check: "depth",
      category: "structure",
      severity: "error",
      message: "报文结构错误（{field}）：嵌套超过 {max} 层",
      description: "结算清单报文的嵌套层数有限，过深的报文无法处理",
    },
    // ---- 完整性 ---------------------------------------------------------------------------
    {
      id: "QC-REQ-001",
      check: "required",
      category: "required",
      severity: "error",
      message: "{label}（{field}）为必填项，未填写",
    },
    {
      id: "QC-REQ-002",
      check: "required4101",
      category: "required",
      severity: "error",
      message: "4101 结算清单中{label}（{field}）为必填项，未填写",
      description: "基金支付信息、收费项目信息及个人支付金额仅在 4101 中必填，4101A 不要求",
    },
    {
      id: "QC-REQ-003",
      check: "ageRequired",
      category: "required",
      severity: "error",
      message: "患者入院时{condition}，{label}（{field}）必须填写",
      description: "年满 1 周岁填写年龄(岁)，不足 1 周岁填写年龄(天)",
    },
    {
      id: "QC-REQ-004",
      check: "conditionalRequired",
      category: "required",
      severity: "error",
      message: "{whenLabel}为「{whenValue}」（{whenName}）时，{label}（{field}）必须填写",
      params: { when: "setlinfo.dscg_way", in: ["2", "3"], require: ["setlinfo.acp_medins_name"] },
    },
    // ---- 代码范围 -------------------------------------------------------------------------
    {
      id: "QC-DICT-001",
      check: "codeTable",
      category: "codeTable",
      severity: "error",
      message: "{label}（{field}）的值「{value}」不在代码表「{tableName}」（{table}）中",
    },
    // ---- 编码版本 -------------------------------------------------------------------------
    {
      id: "QC-CODE-001",
      check: "diagnosisMapped",
      category: "coding",
      // 清单使用非国家贯标编码不予结算 (Shenyang): a code that only maps to the national one is refused.
      // A region that converts instead publishes this rule with severity "warning".
      severity: "error",
      message:
        "诊断代码「{value}」不是国家医保版编码（按版本映射对应「{mapped}」{name}），不予结算：请以医保版编码重新上传",
      params: { diagTypes: ["1"] },
    },
    {
      id: "QC-CODE-002",
      check: "diagnosisUnmapped",
      category: "coding",
      severity: "error",
      message: "诊断代码「{value}」不是国家医保版编码，也无法映射为医保版编码，不予结算",
      params: { diagTypes: ["1"] },
    },
    {
      id: "QC-CODE-003",
      check: "procedureMapped",
      category: "coding",
      severity: "error",
      message:
        "手术操作代码「{value}」不是国家医保版编码（按版本映射对应「{mapped}」{name}），不予结算：请以医保版编码重新上传",
    },
    {
      id: "QC-CODE-004",
      check: "procedureUnmapped",
      category: "coding",
      severity: "error",
      message: "手术操作代码「{value}」不是国家医保版编码，也无法映射为医保版编码，不予结算",
    },
    // ---- 诊断逻辑 -------------------------------------------------------------------------
    {
      id: "QC-DX-001",
      check: "principalDiagnosisCount",
      category: "diagnosis",
      severity: "error",
      message: "西医诊断中主要诊断（maindiag_flag=1）应有且只有 1 个，实际 {count} 个",
      params: { diagTypes: ["1"] },
    },
    {
      id: "QC-DX-002",
      check: "asteriskPrincipal",
      category: "diagnosis",
      severity: "error",
      message: "主要诊断「{value}」是星号编码（临床表现），不能单独作为主要诊断",
    },
    {
      id: "QC-DX-003",
      check: "principalNotAllowed",
      category: "diagnosis",
      severity: "error",
      message: "主要诊断「{value}」（{name}）属于损伤和中毒的外部原因编码（{range}），不能作为主要诊断",
      params: { ranges: ["V01-Y98"] },
    },
    // sexSpecificDiagnosis: `params.sex` is the sex that is FLAGGED (GB/T 2261.1: 1 男, 2 女), so a
    // 女性专用 range flags SEX_MALE and a 男性专用 range SEX_FEMALE (see @yibao/kernel/sex).
    {
      id: "QC-DX-004",
      check: "sexSpecificDiagnosis",
      category: "diagnosis",
      severity: "error",
      message: "诊断「{value}」（{name}）为{kind}编码（{range}），与患者性别「{sexName}」不符",
      params: { sex: SEX_MALE, kind: "女性专用", ranges: ["O00-O9A", "N70-N98", "C51-C58", "D25-D28"] },
    },
    {
      id: "QC-DX-005",
      check: "sexSpecificDiagnosis",
      category: "diagnosis",
      severity: "error",
      message: "诊断「{value}」（{name}）为{kind}编码（{range}），与患者性别「{sexName}」不符",
      params: { sex: SEX_FEMALE, kind: "男性专用", ranges: ["N40-N51", "C60-C63", "D29"] },
    },
    {
      id: "QC-DX-006",
      check: "ageSpecificDiagnosis",
      category: "diagnosis",
      severity: "error",
      message: "诊断「{value}」（{name}）为{kind}编码（{range}），患者入院时年龄 {age}，超出适用年龄 {limit}",
      params: { kind: "新生儿（围生期）", ranges: ["P00-P96"], maxAgeDays: 365 },
    },
    // ---- 手术操作逻辑 ---------------------------------------------------------------------
    {
      id: "QC-OPR-001",
      check: "principalProcedure",
      category: "procedure",
      severity: "error",
      message: "主要手术操作（手术操作类别「{principalType}」）应有且只有 1 条并排在第一位：{detail}",
      params: { principalType: "1" },
    },
    // ---- 临床逻辑 -------------------------------------------------------------------------
    {
      id: "QC-DX-007",
      check: "principalNotAllowed",
      category: "diagnosis",
      severity: "error",
      message: "主要诊断「{value}」（{name}）为分娩结局编码（{range}），只能作为其他诊断，不能作为主要诊断",
      params: { ranges: ["Z37"] },
    },
    {
      id: "QC-DX-008",
      check: "externalCauseMissing",
      category: "diagnosis",
      severity: "error",
      message:
        "主要诊断「{value}」（{name}）为损伤、中毒（{range}），其他诊断中缺少损伤和中毒的外部原因编码（{causeRange}）",
      params: { ranges: ["S00-T98"], causeRanges: ["V01-Y98"] },
    },
    {
      id: "QC-DX-009",
      check: "duplicateDiagnosis",
      category: "diagnosis",
      severity: "error",
      message: "诊断「{value}」重复填写（第 {first} 条已填写同一编码）",
    },
    {
      id: "QC-DX-010",
      check: "principalProcedureMismatch",
      category: "diagnosis",
      // 清单重点质控内容：主要诊断与主要手术匹配性 (seed 001): a warning the hospital reviews; the list is
      // paid in its ambiguous group at the policy's ratio.
      severity: "warning",
      message:
        "主要手术操作「{value}」（{procedureName}）与主要诊断「{diagnosis}」（{diagnosisName}）不匹配，病例进入歧义组 {drg}（{drgName}）：请核对主要诊断与主要手术操作的选择",
    },
    {
      id: "QC-OPR-002",
      check: "anaesthesiaMethod",
      category: "procedure",
      severity: "error",
      message: "手术「{value}」（{name}）属于手术章节（{range}），未填写麻醉方式",
      params: { procedureRanges: ["00-86"] },
    },
    {
      id: "QC-CLN-001",
      check: "durationWithinStay",
      category: "date",
      severity: "error",
      message: "{label} {value} 超过住院时长 {stay}",
      params: { field: "icuinfo.scs_cutd_sum_dura" },
    },
    {
      id: "QC-CLN-002",
      check: "durationWithinStay",
      category: "date",
      severity: "error",
      message: "{label} {value} 超过住院时长 {stay}",
      params: { field: "setlinfo.vent_used_dura" },
    },
    {
      id: "QC-CLN-003",
      check: "daysWithinStay",
      category: "date",
      severity: "error",
      message: "{labels}合计 {value} 天，超过实际住院天数 {los} 天",
      params: {
        fields: [
          "setlinfo.spga_nurscare_days",
          "setlinfo.lv1_nurscare_days",
          "setlinfo.scd_nurscare_days",
          "setlinfo.lv3_nurscare_days",
        ],
        toleranceDays: 0,
      },
    },
    {
      id: "QC-CLN-004",
      check: "conditionalRequired",
      category: "required",
      severity: "error",
      message: "{whenLabel}为「{whenValue}」（{whenName}）时，{label}（{field}）必须填写",
      params: { when: "setlinfo.days_rinp_flag_31", in: ["2"], require: ["setlinfo.days_rinp_pup_31"] },
    },
    {
      id: "QC-CLN-005",
      check: "requiredByRule",
      category: "required",
      severity: "error",
      message: "{label}（{field}）未填写，医保结算要求必填",
      params: { fields: ["setlinfo.dscg_way"] },
    },
    // ---- 计数一致性 -----------------------------------------------------------------------
    {
      id: "QC-CNT-001",
      check: "diagnosisCount",
      category: "count",
      severity: "error",
      message: "诊断代码计数 {value} 与住院诊断信息条数 {count} 不符",
    },
    {
      id: "QC-CNT-002",
      check: "procedureCount",
      category: "count",
      severity: "error",
      message: "手术操作代码计数 {value} 与手术操作信息条数 {count} 不符",
    },
    // ---- 日期逻辑 -------------------------------------------------------------------------
    {
      id: "QC-DATE-001",
      check: "dateOrder",
      category: "date",
      severity: "error",
      message: "{aLabel}「{a}」晚于{bLabel}「{b}」",
      params: {
        pairs: [
          ["setlinfo.brdy", "setlinfo.adm_time"],
          ["setlinfo.adm_time", "setlinfo.dscg_time"],
        ],
      },
    },
    {
      id: "QC-DATE-002",
      check: "dateOrder",
      category: "date",
      severity: "error",
      message: "{aLabel}「{a}」晚于{bLabel}「{b}」",
      params: { pairs: [["setlinfo.setl_begn_date", "setlinfo.setl_end_date"]] },
    },
    {
      id: "QC-DATE-003",
      check: "actualStayDays",
      category: "date",
      severity: "error",
      message: "实际住院天数 {value} 天与入院日期 {adm}、出院日期 {dscg} 计算的 {expected} 天不符",
      params: { sameDayDays: 1, toleranceDays: 0 },
      description: "实际住院天数 = 出院日期 − 入院日期，入出院同一天计 1 天",
    },
    {
      id: "QC-DATE-004",
      check: "notAfterUpload",
      category: "date",
      severity: "error",
      message: "{label}（{field}）「{value}」晚于上传日期 {today}",
      params: {
        fields: ["setlinfo.brdy", "setlinfo.adm_time", "setlinfo.dscg_time", "setlinfo.setl_end_date"],
      },
    },
    {
      id: "QC-DATE-005",
      check: "procedureDateInStay",
      category: "date",
      severity: "warning",
      message: "手术操作日期「{value}」不在住院期间（{adm} 至 {dscg}）内",
    },
    // ---- 年龄逻辑 -------------------------------------------------------------------------
    {
      id: "QC-AGE-001",
      check: "ageYears",
      category: "age",
      severity: "error",
      message: "年龄 {value} 岁与出生日期 {brdy} 推算的入院时年龄 {expected} 周岁不符",
      description: "接受按入院日期或出院日期计算的周岁",
    },
    {
      id: "QC-AGE-002",
      check: "ageDays",
      category: "age",
      severity: "error",
      message: "不足 1 周岁的年龄 {value} 天与出生日期 {brdy} 推算的入院时日龄 {expected} 天不符",
      params: { toleranceDays: 1 },
    },
    // ---- 新生儿 ---------------------------------------------------------------------------
    {
      id: "QC-NWB-001",
      check: "newbornWeightRequired",
      category: "newborn",
      severity: "error",
      message: "患者入院时日龄 {days} 天（不超过 {max} 天，新生儿），{label}（{field}）必须填写",
      params: { maxAgeDays: 28, fields: ["setlinfo.nwb_bir_wt"] },
    },
    {
      id: "QC-NWB-002",
      check: "newbornWeightRange",
      category: "newborn",
      severity: "warning",
      message: "{label}（{field}）{value} 克不在合理范围 {min}–{max} 克内",
      params: { minGrams: 300, maxGrams: 8000, fields: ["setlinfo.nwb_bir_wt", "setlinfo.nwb_adm_wt"] },
    },
    // ---- 费用平衡 -------------------------------------------------------------------------
    {
      id: "QC-FEE-001",
      check: "itemSum",
      category: "fee",
      severity: "error",
      message: "收费项目「{category}」金额 {amt} 元 ≠ 甲类 {a} + 乙类 {b} + 全自费 {c} + 其他 {d} = {sum} 元",
    },
    {
      id: "QC-FEE-002",
      check: "moneyIdentity",
      category: "fee",
      severity: "error",
      message: "{left} ≠ {right}，相差 {diff} 元",
      params: {
        left: ["fee_total"],
        right: ["fund_total", "acct_pay", "psn_cashpay"],
        excludeFundPayTypes: ["310200"],
        toleranceFen: 0,
        field: "payinfo",
      },
      description:
        "医疗费用总额 = 基金支付合计（不含与个人账户支出重复的 310200）+ 个人账户支出 + 个人现金支付",
    },
    {
      id: "QC-FEE-003",
      check: "moneyIdentity",
      category: "fee",
      severity: "warning",
      message: "{left} ≠ {right}，相差 {diff} 元",
      params: {
        left: ["psn_selfpay", "psn_ownpay"],
        right: ["acct_pay", "psn_cashpay"],
        toleranceFen: 0,
        field: "setlinfo.psn_cashpay",
      },
      description: "个人负担：个人自付 + 个人自费 = 个人账户支出 + 个人现金支付",
    },
    // ---- 上传时限 -------------------------------------------------------------------------
    {
      id: "QC-TIME-001",
      check: "uploadDeadline",
      category: "deadline",
      severity: "error",
      message:
        "结算结束日期 {value} 至上传日期 {today} 已过 {days} 天，超过 {deadline} 天的上传时限，不予接收",
      params: { deadlineDays: 8 },
    },
    {
      id: "QC-TIME-002",
      check: "uploadDeadlineNear",
      category: "deadline",
      severity: "warning",
      modes: ["hospital"],
      message: "结算结束日期 {value} 后 {deadline} 天内须上传（截止 {due}），仅剩 {left} 天",
      params: { deadlineDays: 8, warnDaysBefore: 2 },
    },
    // ---- 数据标识 -------------------------------------------------------------------------
    {
      id: "QC-ID-001",
      check: "idCardChecksum",
      category: "identity",
      severity: "error",
      message: "证件类别为居民身份证，证件号码「{value}」不是有效的 18 位公民身份号码（{reason}）",
      params: { certTypes: ["01"] },
    },
    {
      id: "QC-ID-002",
      check: "idCardConsistency",
      category: "identity",
      severity: "warning",
      message: "公民身份号码「{certno}」中的{label}「{idValue}」与清单填写的「{value}」不符",
      params: { certTypes: ["01"] },
    },
  ],
};
