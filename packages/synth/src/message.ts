/**
 * Rendering a stay draft into a 4101 settlement list (结算清单报文) and its ground truth.
 */
import type { GroupResult } from "@yibao/grouper";
import type { DayFormatter } from "./calendar.js";
import type { PatientFacts } from "./clinical.js";
import { type FeeItem, type MoneySplit, settle } from "./costs.js";
import type { RegionProfile } from "./profile.js";
import type { Rng } from "./random.js";
import type { Hospital, Person, Physician } from "./region.js";
import type { DiseInfo, IcuInfo, OprnInfo, SettlementMessage, StayTruth } from "./types.js";

/** 输血品种 (bld_cat) codes of the national table: 1 红细胞, 3 血浆. */
const BLOOD_RED_CELLS = "1";
const BLOOD_PLASMA = "3";

/** Everything about one list before it is rendered. Money in fen, days as day numbers. */
export interface StayDraft {
  hospital: Hospital;
  departmentCode: string;
  physician: Physician;
  anaesthetist: Physician;
  person: Person;
  facts: PatientFacts;
  /** Codes written on the list. */
  diagnoses: string[];
  procedures: string[];
  /** True clinical codes. */
  trueDiagnoses: readonly string[];
  trueProcedures: readonly string[];
  intendedDrg: string;
  expectedCostFen: number;
  admDay: number;
  los: number;
  admMinute: number;
  dscgMinute: number;
  uploadLagDays: number;
  items: FeeItem[];
  admWay: string;
  dscgWay: string;
  /** 出院31天内再住院计划: flag "2" with a purpose when planned. */
  readmissionPlanned: boolean;
  readmissionPurpose: string;
  /** This list is itself the planned readmission. */
  plannedReadmission: boolean;
  icuHours: number;
  ventHours: number;
  transfusionUnits: number;
  /** 起付线减半: not the person's first admission this year. */
  repeatInYear: boolean;
  accountShare: number;
  episode: number;
  /** Admission-condition codes of secondaries (adm_cond_type), parallel to diagnoses[1..]. */
  secondaryOnset: string[];
  /** Care given was only exams, labs and oral drugs (low-indication admission). */
  oralOnly?: boolean;
  /** Covered amounts billed as 全自费, by category (cost shifting). */
  shiftedOwnPay?: Record<string, number>;
  /** Exams and labs done as outpatient before admission instead of in the stay (fen). */
  outpatientShiftedFen?: number;
}

const yuan = (fen: number): number => fen / 100;

function dura(hours: number): string {
  const h = Math.max(0, Math.round(hours));
  return `${Math.floor(h / 24)}/${h % 24}/0`;
}

/** Ids of a list: serial-based, unique across the stream. */
export interface ListIds {
  readonly serial: number;
  readonly suffix: string;
}

/** Renders a draft into the 4101 message, with its money split and truth. */

/**
 * The external cause a coder adds to an injury or poisoning (损伤、中毒 S00–T98 as principal needs a
 * V01–Y98 code among the other diagnoses): a fall on the same level for injuries, an accidental
 * poisoning by drugs for T36–T65, surgery as the cause of a complication for T80–T88. Null when the
 * principal is no injury or a cause is already coded.
 */
/** The diagnoses with the external cause a coder adds (right after the principal), if one is due. */
export function withExternalCause(diagnoses: readonly string[]): string[] {
  const cause = externalCauseFor(diagnoses);
  return cause === null ? [...diagnoses] : [diagnoses[0] as string, cause, ...diagnoses.slice(1)];
}

export function externalCauseFor(diagnoses: readonly string[]): string | null {
  const principal = diagnoses[0] ?? "";
  const cat = principal.slice(0, 3);
  if (!(cat >= "S00" && cat <= "T98")) return null;
  for (const c of diagnoses) if (c.slice(0, 3) >= "V01" && c.slice(0, 3) <= "Y98") return null;
  if (cat >= "T36" && cat <= "T65") return "X44.x00";
  if (cat >= "T80" && cat <= "T88") return "Y83.200";
  return "W01.x00";
}

// size: one 4101 message literal, its setlinfo field by field in the order of the wire spec; splitting it would scatter one record
export function renderStay(
  d: StayDraft,
  ids: ListIds,
  names: { dxName(code: string): string; pxName(code: string): string },
  profile: RegionProfile,
  fmt: DayFormatter,
  group: GroupResult,
  rng: Rng,
): { message: SettlementMessage; truth: StayTruth; money: MoneySplit } {
  const h = d.hospital;
  const p = d.person;
  const dscgDay = d.admDay + d.los;
  const money = settle(profile, d.items, p, h.level, d.repeatInYear, d.accountShare);
  const serial = String(ids.serial).padStart(10, "0");
  const uploadDay = dscgDay + d.uploadLagDays;
  const uploadMinute =
    d.uploadLagDays === 0 ? Math.min(1439, d.dscgMinute + 30 + (ids.serial % 120)) : 480 + (ids.serial % 600);
  const ageYears = d.facts.ageYears;
  const admCaty = d.departmentCode;
  // 呼吸机使用时长 within the stay, as the ICU's time is (a split admission shortens the stay it was drawn for).
  const stayMinutes = dscgDay * 1440 + d.dscgMinute - (d.admDay * 1440 + d.admMinute);
  const ventHours = Math.min(d.ventHours, Math.floor((stayMinutes - 60) / 60));

  const diseinfo = diagnosisInfo(d, names);
  const oprninfo = procedureInfo(d, ids, names, fmt);
  const { icuinfo, icuDays } = icuInfoOf(d, fmt, dscgDay);
  const rest = d.los - icuDays;
  const lv1 = Math.min(rest, Math.round(rest * (d.expectedCostFen > 2_000_000 ? 0.5 : 0.2)));
  const lv3 = Math.min(rest - lv1, Math.floor((rest - lv1) * 0.3));
  const newborn = ageYears === 0;
  const opter = `${profile.insuranceAgency.slice(0, 2)}经办${(ids.serial % 20) + 1}号`;
  const message: SettlementMessage = {
    infno: "4101",
    msgid: `${h.code}${fmt.compact(uploadDay, uploadMinute)}${String(ids.serial % 10000).padStart(4, "0")}`,
    input: {
      setlinfo: {
        mdtrt_id: `MD${h.code.slice(1)}${serial}${ids.suffix}`,
        setl_id: `ST${h.code.slice(1)}${serial}${ids.suffix}`,
        fixmedins_name: h.name,
        fixmedins_code: h.code,
        hi_setl_lv: h.level,
        hi_no: p.hiNo,
        medcasno: `${(p.id * 7919 + Number(h.code.slice(-5))) % 100_000_000}`.padStart(8, "0"),
        dcla_time: fmt.time(uploadDay, uploadMinute, ids.serial % 60),
        psn_name: p.name,
        gend: p.sex,
        brdy: p.birthDate,
        age: newborn ? null : ageYears,
        nwb_age: newborn ? (d.facts.ageDays ?? 0) : null,
        ntly: "CHN",
        naty: "01",
        patn_cert_type: "01",
        certno: p.certno,
        prfs: p.occupation,
        curr_addr: p.address,
        emp_name: p.employer,
        emp_addr: p.employer ? `${profile.regionName}${profile.streets[p.id % profile.streets.length]}` : "",
        emp_tel: "",
        poscode: `${profile.regionCode.slice(0, 4)}00`,
        coner_name: p.contactName,
        patn_rlts: p.contactRelation,
        coner_addr: p.address,
        coner_tel: p.contactPhone,
        hi_type: p.insuranceType,
        insuplc: profile.regionCode,
        sp_psn_type: p.assisted ? "1" : "",
        nwb_adm_type: newborn ? "1" : "",
        nwb_bir_wt: newborn ? d.facts.birthWeight : null,
        nwb_adm_wt: newborn ? d.facts.birthWeight : null,
        opsp_diag_caty: "",
        opsp_mdtrt_date: "",
        ipt_med_type: "1",
        adm_way: d.admWay,
        trt_type: h.type === "中医" ? "3" : "1",
        adm_time: fmt.time(d.admDay, d.admMinute),
        adm_caty: admCaty,
        refldept_dept: "",
        dscg_time: fmt.time(dscgDay, d.dscgMinute),
        dscg_caty: admCaty,
        act_ipt_days: d.los,
        otp_wm_dise: diseinfo[0]?.diag_name ?? "",
        wm_dise_code: d.diagnoses[0] ?? "",
        otp_tcm_dise: "",
        tcm_dise_code: "",
        diag_code_cnt: diseinfo.length,
        oprn_oprt_code_cnt: oprninfo.length,
        vent_used_dura: ventHours > 0 ? dura(ventHours) : "",
        pwcry_bfadm_coma_dura: "",
        pwcry_afadm_coma_dura: "",
        spga_nurscare_days: icuDays,
        lv1_nurscare_days: lv1,
        scd_nurscare_days: rest - lv1 - lv3,
        lv3_nurscare_days: lv3,
        dscg_way: d.dscgWay,
        acp_medins_name: d.dscgWay === "2" || d.dscgWay === "3" ? `${profile.regionName}第一人民医院` : "",
        acp_optins_code: "",
        bill_code: `${profile.regionCode}01`,
        bill_no: serial,
        biz_sn: `BZ${serial}${ids.suffix}`,
        days_rinp_flag_31: d.readmissionPlanned ? "2" : "1",
        days_rinp_pup_31: d.readmissionPlanned ? d.readmissionPurpose : "",
        chfpdr_name: d.physician.name,
        chfpdr_code: d.physician.code,
        setl_begn_date: fmt.day(d.admDay),
        setl_end_date: fmt.day(dscgDay),
        psn_selfpay: yuan(money.selfPayFen),
        psn_ownpay: yuan(money.ownPayFen),
        acct_pay: yuan(money.accountPayFen),
        psn_cashpay: yuan(money.cashPayFen),
        hi_paymtd: "4",
        hsorg: profile.insuranceAgency,
        hsorg_opter: opter,
        medins_fill_dept: "病案室",
        medins_fill_psn: `病案编码员${(ids.serial % 7) + 1}`,
      },
      payinfo: money.funds.map((f) => ({ fund_pay_type: f.fundType, fund_payamt: yuan(f.amountFen) })),
      opspdiseinfo: [],
      diseinfo,
      iteminfo: d.items.map((i) => ({
        med_chrgitm: i.category,
        amt: yuan(i.amountFen),
        claa_sumfee: yuan(i.classAFen),
        clab_amt: yuan(i.classBFen),
        fulamt_ownpay_amt: yuan(i.ownPayFen),
        oth_amt: yuan(i.otherFen),
      })),
      oprninfo,
      icuinfo,
      bldinfo:
        d.transfusionUnits > 0
          ? [
              {
                bld_cat: rng.chance(0.8) ? BLOOD_RED_CELLS : BLOOD_PLASMA,
                bld_amt: d.transfusionUnits,
                bld_unt: "U",
              },
            ]
          : [],
    },
  };
  const truth = truthOf(d, money, group, fmt, dscgDay);
  return { message, truth, money };
}

/** 诊断信息: the diagnoses, with the external cause (损伤中毒外部原因) right after the principal. */
function diagnosisInfo(
  d: StayDraft,
  names: { dxName(code: string): string; pxName(code: string): string },
): DiseInfo[] {
  const diseinfo: DiseInfo[] = d.diagnoses.map((code, i) => ({
    diag_type: "1",
    diag_code: code,
    diag_name: names.dxName(code),
    adm_cond_type: i === 0 ? "1" : (d.secondaryOnset[i - 1] ?? "1"),
    maindiag_flag: i === 0 ? "1" : "0",
  }));
  const cause = externalCauseFor(d.diagnoses);
  if (cause !== null) {
    // Right after the principal, so that the other diagnoses keep their order.
    diseinfo.splice(1, 0, {
      diag_type: "1",
      diag_code: cause,
      diag_name: names.dxName(cause),
      adm_cond_type: "1",
      maindiag_flag: "0",
    });
  }
  return diseinfo;
}

/** 手术操作信息: the procedures with their dates, operators and anaesthesia. */
function procedureInfo(
  d: StayDraft,
  ids: ListIds,
  names: { dxName(code: string): string; pxName(code: string): string },
  fmt: DayFormatter,
): OprnInfo[] {
  return d.procedures.map((code, i) => {
    const day =
      d.admDay +
      Math.min(d.los, 1 + (i === 0 ? Math.floor(d.los / 3) : (i + ids.serial) % Math.max(1, d.los)));
    const major = i === 0 && d.anaesthetist !== d.physician;
    return {
      oprn_oprt_type: i === 0 ? "1" : "2",
      oprn_oprt_name: names.pxName(code),
      oprn_oprt_code: code,
      oprn_oprt_date: fmt.day(day),
      anst_way: major ? "1" : "3",
      oper_dr_name: d.physician.name,
      oper_dr_code: d.physician.code,
      anst_dr_name: major ? d.anaesthetist.name : "",
      anst_dr_code: major ? d.anaesthetist.code : "",
    };
  });
}

/** 重症监护信息 and the ICU days (特级护理天数). */
function icuInfoOf(
  d: StayDraft,
  fmt: DayFormatter,
  dscgDay: number,
): { icuinfo: IcuInfo[]; icuDays: number } {
  const icuinfo: IcuInfo[] = [];
  let icuDays = 0;
  if (d.icuHours > 0) {
    const inMinute = d.admMinute + 60;
    const start = d.admDay * 1440 + inMinute;
    const end = Math.min(start + Math.round(d.icuHours * 60), dscgDay * 1440 + d.dscgMinute - 60);
    const hours = Math.max(1, Math.floor((end - start) / 60));
    icuDays = Math.min(d.los, Math.ceil(hours / 24));
    icuinfo.push({
      scs_cutd_ward_type: d.facts.ageYears === 0 ? "2" : "7",
      scs_cutd_inpool_time: fmt.time(Math.floor(start / 1440), start % 1440),
      scs_cutd_exit_time: fmt.time(Math.floor(end / 1440), end % 1440),
      scs_cutd_sum_dura: dura(hours),
    });
  }
  return { icuinfo, icuDays };
}

/** What the generator knows about the stay beyond its list (the labels' ground truth). */
function truthOf(
  d: StayDraft,
  money: MoneySplit,
  group: GroupResult,
  fmt: DayFormatter,
  dscgDay: number,
): StayTruth {
  const h = d.hospital;
  const p = d.person;
  let fund = 0;
  for (const f of money.funds) fund += f.amountFen;
  return {
    personId: p.id,
    hospitalCode: h.code,
    departmentCode: d.departmentCode,
    physicianCode: d.physician.code,
    intendedDrg: d.intendedDrg,
    group: { status: group.status, drg: group.drg, mdc: group.mdc, adrg: group.adrg },
    diagnoses: withExternalCause(d.trueDiagnoses),
    procedures: d.trueProcedures,
    totalFen: money.totalFen,
    fundFen: fund,
    personalFen: money.selfPayFen + money.ownPayFen,
    expectedCostFen: d.expectedCostFen,
    admDate: fmt.day(d.admDay),
    dscgDate: fmt.day(dscgDay),
    los: d.los,
    episode: d.episode,
    plannedReadmission: d.plannedReadmission,
  };
}
