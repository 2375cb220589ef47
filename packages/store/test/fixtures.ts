import type { QcFinding, SettlementListUpload } from "../src/index.js";

let seq = 0;

/** A stored-upload fixture: plausible summary columns and an envelope that records which copy it is. */
export function upload(
  setlId: string,
  opts: {
    hospital?: string;
    period?: string;
    findings?: QcFinding[];
    drg?: string;
    groupStatus?: "OK" | "AMBIGUOUS" | "UNGROUPABLE" | "CHECK_FAILED";
    tag?: string;
  } = {},
): SettlementListUpload {
  const n = ++seq;
  const period = opts.period ?? "2024-03";
  const tag = opts.tag ?? `copy-${n}`;
  return {
    list: {
      setl_id: setlId,
      mdtrt_id: `MD${setlId}`,
      hospital_code: opts.hospital ?? "H21010100001",
      hospital_name: "沈阳市第一人民医院",
      medcasno: `BA${n}`,
      patient_key: "a".repeat(64),
      gend: "1",
      age_years: 45,
      age_days: null,
      adm_date: `${period}-01`,
      dscg_date: `${period}-10`,
      setl_begn_date: `${period}-01`,
      setl_end_date: `${period}-10`,
      period,
      los: 9,
      dscg_caty: "A03",
      dscg_way: "1",
      chfpdr_code: "D001",
      chfpdr_name: "赵主任",
      days_rinp_flag_31: "1",
      insuplc: "210102",
      principal_dx: "K35.800",
      principal_oprn: "47.0100",
      total_fee_fen: 1_234_567,
      fund_pay_fen: 987_654,
      personal_pay_fen: 246_913,
      infno: "4101",
      msgid: `MSG${n}`,
      scheme_id: "demo",
      group_status: opts.groupStatus ?? "OK",
      drg: opts.drg ?? "GB25",
      drg_name: "阑尾切除术",
      mdc: "G",
      adrg: "GB2",
      message: { infno: "4101", input: { setlinfo: { setl_id: setlId, note: "中文 ✓", tag } } },
    },
    findings: opts.findings ?? [],
  };
}

export const ERROR: QcFinding = {
  ruleId: "QC-REQ-001",
  severity: "error",
  field: "setlinfo.medcasno",
  message: "病案号为必填项",
};
export const WARNING: QcFinding = {
  ruleId: "QC-DATE-008",
  severity: "warning",
  field: "setlinfo.dcla_time",
  message: "申报时间晚于结算结束日期 8 天",
};
