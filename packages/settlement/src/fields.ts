/**
 * The fields of interface 4101/4101A (医保结算清单上传) as data: wire name, domain name, Chinese
 * label, type (C/N/D/T, money as M), length, code table and whether the field is required.
 * Source: `specs/settlement-list.md` (表154–表160). Parsing, checking and writing messages are all
 * driven by these tables, so a field is described in exactly one place.
 */

/**
 * Field types of the interface:
 * - `C` text of at most `len` characters;
 * - `N` number with at most `len` digits in all, `dec` of them decimals;
 * - `M` money (N16,2) held as integer fen (分);
 * - `D` date `yyyy-MM-dd`; `T` date-time `yyyy-MM-dd HH:mm:ss`.
 */
export type FieldKind = "C" | "N" | "M" | "D" | "T";

/** Whether a field must be filled: in every list (`always`) or only in a full 4101 list (`4101`). */
export type Requirement = "always" | "4101";

/** One field of the interface (接口字段). */
export interface FieldSpec {
  /** The interface's own name, e.g. `setl_id`. */
  readonly wire: string;
  /** The camelCase name in the domain object, e.g. `setlId`. */
  readonly key: string;
  /** Chinese name (中文名称). */
  readonly label: string;
  readonly kind: FieldKind;
  /** C: maximum length; N: maximum number of digits. */
  readonly len?: number;
  /** N: number of decimals allowed. */
  readonly dec?: number;
  /** Name of the code table (代码表) the value must come from. */
  readonly dict?: string;
  /** Separator when several codes are joined in one value (e.g. 转科科别 `A03→A04`). */
  readonly joinedBy?: string;
  readonly req?: Requirement;
}

/** Transactions (交易编号): the full list with payments and fee items, or the list without them. */
export type Infno = "4101" | "4101A";
export const INFNOS: readonly Infno[] = ["4101", "4101A"];

/** 表154 结算清单信息 (setlinfo). */
export const SETLINFO_FIELDS = [
  { wire: "mdtrt_id", key: "mdtrtId", label: "就诊ID", kind: "C", len: 30, req: "always" },
  { wire: "setl_id", key: "setlId", label: "结算ID", kind: "C", len: 30, req: "always" },
  {
    wire: "fixmedins_name",
    key: "fixmedinsName",
    label: "定点医药机构名称",
    kind: "C",
    len: 200,
    req: "always",
  },
  {
    wire: "fixmedins_code",
    key: "fixmedinsCode",
    label: "定点医药机构编号",
    kind: "C",
    len: 12,
    req: "always",
  },
  { wire: "hi_setl_lv", key: "hiSetlLv", label: "医保结算等级", kind: "C", len: 3, dict: "hi_setl_lv" },
  { wire: "hi_no", key: "hiNo", label: "医保编号", kind: "C", len: 30 },
  { wire: "medcasno", key: "medcasno", label: "病案号", kind: "C", len: 40, req: "always" },
  { wire: "dcla_time", key: "dclaTime", label: "申报时间", kind: "T" },
  { wire: "psn_name", key: "psnName", label: "人员姓名", kind: "C", len: 50, req: "always" },
  { wire: "gend", key: "gend", label: "性别", kind: "C", len: 6, dict: "gend", req: "always" },
  { wire: "brdy", key: "brdy", label: "出生日期", kind: "D", req: "always" },
  { wire: "age", key: "age", label: "年龄(岁)", kind: "N", len: 4, dec: 1 },
  { wire: "nwb_age", key: "nwbAge", label: "年龄不足1周岁的年龄(天)", kind: "N", len: 3, dec: 0 },
  { wire: "ntly", key: "ntly", label: "国籍", kind: "C", len: 40, dict: "ntly", req: "always" },
  { wire: "naty", key: "naty", label: "民族", kind: "C", len: 6, dict: "naty", req: "always" },
  {
    wire: "patn_cert_type",
    key: "patnCertType",
    label: "证件类别",
    kind: "C",
    len: 6,
    dict: "patn_cert_type",
    req: "always",
  },
  { wire: "certno", key: "certno", label: "证件号码", kind: "C", len: 50, req: "always" },
  { wire: "prfs", key: "prfs", label: "职业", kind: "C", len: 6, dict: "prfs", req: "always" },
  { wire: "curr_addr", key: "currAddr", label: "现住址", kind: "C", len: 200 },
  { wire: "emp_name", key: "empName", label: "单位名称", kind: "C", len: 200 },
  { wire: "emp_addr", key: "empAddr", label: "单位地址", kind: "C", len: 200 },
  { wire: "emp_tel", key: "empTel", label: "单位电话", kind: "C", len: 50 },
  { wire: "poscode", key: "poscode", label: "邮编", kind: "C", len: 6 },
  { wire: "coner_name", key: "conerName", label: "联系人姓名", kind: "C", len: 50, req: "always" },
  {
    wire: "patn_rlts",
    key: "patnRlts",
    label: "与患者关系",
    kind: "C",
    len: 6,
    dict: "patn_rlts",
    req: "always",
  },
  { wire: "coner_addr", key: "conerAddr", label: "联系人地址", kind: "C", len: 200, req: "always" },
  { wire: "coner_tel", key: "conerTel", label: "联系人电话", kind: "C", len: 50, req: "always" },
  { wire: "hi_type", key: "hiType", label: "医保类型", kind: "C", len: 3, dict: "hi_type", req: "always" },
  { wire: "insuplc", key: "insuplc", label: "参保地", kind: "C", len: 6, req: "always" },
  { wire: "sp_psn_type", key: "spPsnType", label: "特殊人员类型", kind: "C", len: 6, dict: "sp_psn_type" },
  {
    wire: "nwb_adm_type",
    key: "nwbAdmType",
    label: "新生儿入院类型",
    kind: "C",
    len: 6,
    dict: "nwb_adm_type",
  },
  { wire: "nwb_bir_wt", key: "nwbBirWt", label: "新生儿出生体重(克)", kind: "N", len: 6, dec: 2 },
  { wire: "nwb_adm_wt", key: "nwbAdmWt", label: "新生儿入院体重(克)", kind: "N", len: 6, dec: 2 },
  { wire: "opsp_diag_caty", key: "opspDiagCaty", label: "门诊慢特病诊断科别", kind: "C", len: 50 },
  { wire: "opsp_mdtrt_date", key: "opspMdtrtDate", label: "门诊慢特病就诊日期", kind: "D" },
  {
    wire: "ipt_med_type",
    key: "iptMedType",
    label: "住院医疗类型",
    kind: "C",
    len: 6,
    dict: "ipt_med_type",
    req: "always",
  },
  { wire: "adm_way", key: "admWay", label: "入院途径", kind: "C", len: 6, dict: "adm_way" },
  { wire: "trt_type", key: "trtType", label: "治疗类别", kind: "C", len: 6, dict: "trt_type" },
  { wire: "adm_time", key: "admTime", label: "入院时间", kind: "T", req: "always" },
  { wire: "adm_caty", key: "admCaty", label: "入院科别", kind: "C", len: 20, dict: "caty", req: "always" },
  {
    wire: "refldept_dept",
    key: "refldeptDept",
    label: "转科科别",
    kind: "C",
    len: 100,
    dict: "caty",
    joinedBy: "→",
  },
  { wire: "dscg_time", key: "dscgTime", label: "出院时间", kind: "T", req: "always" },
  { wire: "dscg_caty", key: "dscgCaty", label: "出院科别", kind: "C", len: 20, dict: "caty", req: "always" },
  { wire: "act_ipt_days", key: "actIptDays", label: "实际住院天数", kind: "N", len: 3, dec: 0 },
  { wire: "otp_wm_dise", key: "otpWmDise", label: "门(急)诊西医诊断", kind: "C", len: 100 },
  { wire: "wm_dise_code", key: "wmDiseCode", label: "门(急)诊西医诊断代码", kind: "C", len: 20 },
  { wire: "otp_tcm_dise", key: "otpTcmDise", label: "门(急)诊中医诊断", kind: "C", len: 100 },
  { wire: "tcm_dise_code", key: "tcmDiseCode", label: "门(急)诊中医诊断代码", kind: "C", len: 20 },
  { wire: "diag_code_cnt", key: "diagCodeCnt", label: "诊断代码计数", kind: "N", len: 3, dec: 0 },
  {
    wire: "oprn_oprt_code_cnt",
    key: "oprnOprtCodeCnt",
    label: "手术操作代码计数",
    kind: "N",
    len: 3,
    dec: 0,
  },
  { wire: "vent_used_dura", key: "ventUsedDura", label: "呼吸机使用时长", kind: "C", len: 10 },
  {
    wire: "pwcry_bfadm_coma_dura",
    key: "pwcryBfadmComaDura",
    label: "颅脑损伤患者入院前昏迷时长",
    kind: "C",
    len: 10,
  },
  {
    wire: "pwcry_afadm_coma_dura",
    key: "pwcryAfadmComaDura",
    label: "颅脑损伤患者入院后昏迷时长",
    kind: "C",
    len: 10,
  },
  { wire: "spga_nurscare_days", key: "spgaNurscareDays", label: "特级护理天数", kind: "N", len: 3, dec: 0 },
  { wire: "lv1_nurscare_days", key: "lv1NurscareDays", label: "一级护理天数", kind: "N", len: 3, dec: 0 },
  { wire: "scd_nurscare_days", key: "scdNurscareDays", label: "二级护理天数", kind: "N", len: 3, dec: 0 },
  { wire: "lv3_nurscare_days", key: "lv3NurscareDays", label: "三级护理天数", kind: "N", len: 3, dec: 0 },
  { wire: "dscg_way", key: "dscgWay", label: "离院方式", kind: "C", len: 6, dict: "dscg_way" },
  { wire: "acp_medins_name", key: "acpMedinsName", label: "拟接收机构名称", kind: "C", len: 200 },
  { wire: "acp_optins_code", key: "acpOptinsCode", label: "拟接收机构代码", kind: "C", len: 30 },
  { wire: "bill_code", key: "billCode", label: "票据代码", kind: "C", len: 30, req: "always" },
  { wire: "bill_no", key: "billNo", label: "票据号码", kind: "C", len: 30, req: "always" },
  { wire: "biz_sn", key: "bizSn", label: "业务流水号", kind: "C", len: 30, req: "always" },
  {
    wire: "days_rinp_flag_31",
    key: "daysRinpFlag31",
    label: "出院31天内再住院计划标志",
    kind: "C",
    len: 6,
    dict: "days_rinp_flag_31",
  },
  { wire: "days_rinp_pup_31", key: "daysRinpPup31", label: "出院31天内再住院目的", kind: "C", len: 200 },
  { wire: "chfpdr_name", key: "chfpdrName", label: "主诊医师姓名", kind: "C", len: 50 },
  { wire: "chfpdr_code", key: "chfpdrCode", label: "主诊医师代码", kind: "C", len: 30 },
  { wire: "setl_begn_date", key: "setlBegnDate", label: "结算开始日期", kind: "D", req: "always" },
  { wire: "setl_end_date", key: "setlEndDate", label: "结算结束日期", kind: "D", req: "always" },
  { wire: "psn_selfpay", key: "psnSelfpay", label: "个人自付", kind: "M", req: "4101" },
  { wire: "psn_ownpay", key: "psnOwnpay", label: "个人自费", kind: "M", req: "4101" },
  { wire: "acct_pay", key: "acctPay", label: "个人账户支出", kind: "M", req: "4101" },
  { wire: "psn_cashpay", key: "psnCashpay", label: "个人现金支付", kind: "M", req: "4101" },
  {
    wire: "hi_paymtd",
    key: "hiPaymtd",
    label: "医保支付方式",
    kind: "C",
    len: 6,
    dict: "hi_paymtd",
    req: "always",
  },
  { wire: "hsorg", key: "hsorg", label: "医保机构", kind: "C", len: 200 },
  { wire: "hsorg_opter", key: "hsorgOpter", label: "医保机构经办人", kind: "C", len: 50 },
  {
    wire: "medins_fill_dept",
    key: "medinsFillDept",
    label: "医疗机构填报部门",
    kind: "C",
    len: 100,
    req: "always",
  },
  {
    wire: "medins_fill_psn",
    key: "medinsFillPsn",
    label: "医疗机构填报人",
    kind: "C",
    len: 50,
    req: "always",
  },
] as const satisfies readonly FieldSpec[];

/** 表155 基金支付信息 (payinfo). */
export const PAYINFO_FIELDS = [
  {
    wire: "fund_pay_type",
    key: "fundPayType",
    label: "基金支付类型",
    kind: "C",
    len: 6,
    dict: "fund_pay_type",
    req: "always",
  },
  { wire: "fund_payamt", key: "fundPayamt", label: "基金支付金额", kind: "M", req: "always" },
] as const satisfies readonly FieldSpec[];

/** 表156 门诊慢特病诊断信息 (opspdiseinfo). */
export const OPSPDISEINFO_FIELDS = [
  { wire: "diag_name", key: "diagName", label: "诊断名称", kind: "C", len: 100, req: "always" },
  { wire: "diag_code", key: "diagCode", label: "诊断代码", kind: "C", len: 30, req: "always" },
  { wire: "oprn_oprt_name", key: "oprnOprtName", label: "手术操作名称", kind: "C", len: 500 },
  { wire: "oprn_oprt_code", key: "oprnOprtCode", label: "手术操作代码", kind: "C", len: 30 },
] as const satisfies readonly FieldSpec[];

/** 表157 住院诊断信息 (diseinfo). */
export const DISEINFO_FIELDS = [
  {
    wire: "diag_type",
    key: "diagType",
    label: "诊断类别",
    kind: "C",
    len: 3,
    dict: "diag_type",
    req: "always",
  },
  { wire: "diag_code", key: "diagCode", label: "诊断代码", kind: "C", len: 20, req: "always" },
  { wire: "diag_name", key: "diagName", label: "诊断名称", kind: "C", len: 100, req: "always" },
  { wire: "adm_cond_type", key: "admCondType", label: "入院病情", kind: "C", len: 3, dict: "adm_cond_type" },
  {
    wire: "maindiag_flag",
    key: "maindiagFlag",
    label: "主诊断标志",
    kind: "C",
    len: 3,
    dict: "maindiag_flag",
    req: "always",
  },
] as const satisfies readonly FieldSpec[];

/** 表158 收费项目信息 (iteminfo). */
export const ITEMINFO_FIELDS = [
  {
    wire: "med_chrgitm",
    key: "medChrgitm",
    label: "医疗收费项目类别",
    kind: "C",
    len: 6,
    dict: "med_chrgitm",
    req: "always",
  },
  { wire: "amt", key: "amt", label: "金额", kind: "M", req: "always" },
  { wire: "claa_sumfee", key: "claaSumfee", label: "甲类费用合计", kind: "M", req: "always" },
  { wire: "clab_amt", key: "clabAmt", label: "乙类金额", kind: "M", req: "always" },
  { wire: "fulamt_ownpay_amt", key: "fulamtOwnpayAmt", label: "全自费金额", kind: "M", req: "always" },
  { wire: "oth_amt", key: "othAmt", label: "其他金额", kind: "M", req: "always" },
] as const satisfies readonly FieldSpec[];

/** 表159 手术操作信息 (oprninfo). */
export const OPRNINFO_FIELDS = [
  {
    wire: "oprn_oprt_type",
    key: "oprnOprtType",
    label: "手术操作类别",
    kind: "C",
    len: 3,
    dict: "oprn_oprt_type",
    req: "always",
  },
  { wire: "oprn_oprt_name", key: "oprnOprtName", label: "手术操作名称", kind: "C", len: 500, req: "always" },
  { wire: "oprn_oprt_code", key: "oprnOprtCode", label: "手术操作代码", kind: "C", len: 30, req: "always" },
  { wire: "oprn_oprt_date", key: "oprnOprtDate", label: "手术操作日期", kind: "D", req: "always" },
  { wire: "anst_way", key: "anstWay", label: "麻醉方式", kind: "C", len: 6, dict: "anst_way" },
  { wire: "oper_dr_name", key: "operDrName", label: "术者医师姓名", kind: "C", len: 50, req: "always" },
  { wire: "oper_dr_code", key: "operDrCode", label: "术者医师代码", kind: "C", len: 30, req: "always" },
  { wire: "anst_dr_name", key: "anstDrName", label: "麻醉医师姓名", kind: "C", len: 50 },
  { wire: "anst_dr_code", key: "anstDrCode", label: "麻醉医师代码", kind: "C", len: 30 },
  { wire: "oprn_oprt_begntime", key: "oprnOprtBegntime", label: "手术操作开始时间", kind: "T" },
  { wire: "oprn_oprt_endtime", key: "oprnOprtEndtime", label: "手术操作结束时间", kind: "T" },
  { wire: "anst_begntime", key: "anstBegntime", label: "麻醉开始时间", kind: "T" },
  { wire: "anst_endtime", key: "anstEndtime", label: "麻醉结束时间", kind: "T" },
] as const satisfies readonly FieldSpec[];

/** 表160 重症监护信息 (icuinfo). */
export const ICUINFO_FIELDS = [
  {
    wire: "scs_cutd_ward_type",
    key: "scsCutdWardType",
    label: "重症监护病房类型",
    kind: "C",
    len: 6,
    dict: "scs_cutd_ward_type",
    req: "always",
  },
  {
    wire: "scs_cutd_inpool_time",
    key: "scsCutdInpoolTime",
    label: "重症监护进入时间",
    kind: "T",
    req: "always",
  },
  { wire: "scs_cutd_exit_time", key: "scsCutdExitTime", label: "重症监护退出时间", kind: "T", req: "always" },
  {
    wire: "scs_cutd_sum_dura",
    key: "scsCutdSumDura",
    label: "重症监护合计时长",
    kind: "C",
    len: 10,
    req: "always",
  },
] as const satisfies readonly FieldSpec[];

/** 输血信息 (bldinfo). */
export const BLDINFO_FIELDS = [
  { wire: "bld_cat", key: "bldCat", label: "输血品种", kind: "C", len: 6, dict: "bld_cat", req: "always" },
  { wire: "bld_amt", key: "bldAmt", label: "输血量", kind: "N", len: 10, dec: 2, req: "always" },
  { wire: "bld_unt", key: "bldUnt", label: "输血计量单位", kind: "C", len: 10, req: "always" },
] as const satisfies readonly FieldSpec[];

/** The list sections of `input` (清单明细节点), in wire order. */
export const SECTIONS = [
  { wire: "payinfo", key: "fundPayments", label: "基金支付信息", fields: PAYINFO_FIELDS, req: "4101" },
  {
    wire: "opspdiseinfo",
    key: "outpatientSpecialDiseases",
    label: "门诊慢特病诊断信息",
    fields: OPSPDISEINFO_FIELDS,
  },
  { wire: "diseinfo", key: "diagnoses", label: "住院诊断信息", fields: DISEINFO_FIELDS, req: "always" },
  { wire: "iteminfo", key: "feeItems", label: "收费项目信息", fields: ITEMINFO_FIELDS, req: "4101" },
  { wire: "oprninfo", key: "procedures", label: "手术操作信息", fields: OPRNINFO_FIELDS },
  { wire: "icuinfo", key: "icuStays", label: "重症监护信息", fields: ICUINFO_FIELDS },
  { wire: "bldinfo", key: "transfusions", label: "输血信息", fields: BLDINFO_FIELDS },
] as const satisfies readonly {
  wire: string;
  key: string;
  label: string;
  fields: readonly FieldSpec[];
  req?: Requirement;
}[];

/** A section of the message: `setlinfo` or one of the list sections. */
export type SectionName = "setlinfo" | (typeof SECTIONS)[number]["wire"];

/** The field specs of each section by wire name. */
export const FIELDS_BY_SECTION: Readonly<Record<SectionName, readonly FieldSpec[]>> = {
  setlinfo: SETLINFO_FIELDS,
  payinfo: PAYINFO_FIELDS,
  opspdiseinfo: OPSPDISEINFO_FIELDS,
  diseinfo: DISEINFO_FIELDS,
  iteminfo: ITEMINFO_FIELDS,
  oprninfo: OPRNINFO_FIELDS,
  icuinfo: ICUINFO_FIELDS,
  bldinfo: BLDINFO_FIELDS,
};

/** The field spec of a wire path such as `setlinfo.brdy` or `diseinfo.diag_code` (no index). */
export function fieldSpec(path: string): FieldSpec | undefined {
  const dot = path.indexOf(".");
  if (dot < 0) return undefined;
  const section = path.slice(0, dot) as SectionName;
  const wire = path.slice(dot + 1);
  const fields = Object.hasOwn(FIELDS_BY_SECTION, section) ? FIELDS_BY_SECTION[section] : undefined;
  return fields?.find((f) => f.wire === wire);
}
