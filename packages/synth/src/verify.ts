/**
 * 结构一致性检查: checks a generated list against the rules the generator promises, without the
 * settlement package: counts match the lists, fee items add up, fund + personal = total, dates
 * are ordered, codes exist in the scheme's dictionaries, sex and age fit obstetric and newborn
 * principal diagnoses, and the certno is valid and matches the birth date and sex.
 */
import type { DrgScheme, Predicate } from "@yibao/grouper";
import { parseFen } from "@yibao/kernel/money";
import { ageInYears, parseDay } from "./calendar.js";
import { DEFAULT_PROFILE, type RegionProfile } from "./profile.js";
import { isValidCertno } from "./region.js";
import type { SettlementMessage } from "./types.js";

/** Yuan (a JSON number, as the generator writes it) to fen; null when not a non-negative amount with ≤ 2 decimals. */
export function toFen(yuan: unknown): number | null {
  return typeof yuan === "number" ? parseFen(yuan) : null;
}

function pdxLists(p: Predicate): string[] {
  if ("pdxIn" in p) return [p.pdxIn];
  if ("all" in p) return p.all.flatMap(pdxLists);
  return [];
}

const listCache = new WeakMap<DrgScheme, Map<string, Set<string>>>();

/** Principal diagnoses of the MDCs with the given letters (e.g. the obstetric MDC O). */
function mdcPdx(scheme: DrgScheme, letters: readonly string[]): Set<string> {
  let byKey = listCache.get(scheme);
  if (!byKey) {
    byKey = new Map();
    listCache.set(scheme, byKey);
  }
  const key = letters.join(",");
  let set = byKey.get(key);
  if (!set) {
    set = new Set();
    for (const m of scheme.source.mdcs) {
      if (!letters.includes(m.code)) continue;
      for (const l of pdxLists(m.when)) for (const c of scheme.source.lists[l] ?? []) set.add(c);
    }
    byKey.set(key, set);
  }
  return set;
}

const FUND_TYPES = new Set([
  "310100",
  "310200",
  "320100",
  "330100",
  "340100",
  "390100",
  "390200",
  "510100",
  "610100",
]);

function minutes(t: string): number {
  // `yyyy-MM-dd HH:mm:ss` → minutes since epoch.
  return parseDay(t.slice(0, 10)) * 1440 + Number(t.slice(11, 13)) * 60 + Number(t.slice(14, 16));
}

/** Every problem found in one list, in Chinese; empty when the list is consistent. */
export function checkSettlementList(
  message: SettlementMessage,
  scheme: DrgScheme,
  profile: RegionProfile = DEFAULT_PROFILE,
): string[] {
  const problems: string[] = [];
  const bad = (m: string) => problems.push(m);
  const { setlinfo: s, payinfo, diseinfo, iteminfo, oprninfo, icuinfo } = message.input;
  if (message.infno !== "4101") bad(`infno 应为 4101：${message.infno}`);
  if (s.diag_code_cnt !== diseinfo.length)
    bad(`diag_code_cnt ${s.diag_code_cnt} ≠ 诊断条数 ${diseinfo.length}`);
  if (s.oprn_oprt_code_cnt !== oprninfo.length)
    bad(`oprn_oprt_code_cnt ${s.oprn_oprt_code_cnt} ≠ 手术条数 ${oprninfo.length}`);
  const mains = diseinfo.filter((d) => d.maindiag_flag === "1");
  if (mains.length !== 1 || diseinfo[0]?.maindiag_flag !== "1") bad("应恰有一个主要诊断且排在第一位");
  for (const d of diseinfo) if (!scheme.diagnoses.has(d.diag_code)) bad(`诊断编码不在字典中：${d.diag_code}`);
  for (const o of oprninfo)
    if (!scheme.procedures.has(o.oprn_oprt_code)) bad(`手术操作编码不在字典中：${o.oprn_oprt_code}`);
  if (new Set(diseinfo.map((d) => d.diag_code)).size !== diseinfo.length) bad("诊断编码重复");
  if (oprninfo.length > 0 && oprninfo[0]?.oprn_oprt_type !== "1") bad("主要手术操作应排在第一位");

  // Money.
  let total = 0;
  for (const i of iteminfo) {
    const amt = toFen(i.amt);
    const a = toFen(i.claa_sumfee);
    const b = toFen(i.clab_amt);
    const own = toFen(i.fulamt_ownpay_amt);
    const oth = toFen(i.oth_amt);
    if (amt === null || a === null || b === null || own === null || oth === null) {
      bad(`收费项目 ${i.med_chrgitm} 金额格式错误`);
      continue;
    }
    if (amt !== a + b + own + oth) bad(`收费项目 ${i.med_chrgitm}：amt ≠ 甲类+乙类+全自费+其他`);
    total += amt;
  }
  let fund = 0;
  for (const p of payinfo) {
    const v = toFen(p.fund_payamt);
    if (v === null) bad(`基金支付 ${p.fund_pay_type} 金额格式错误`);
    else fund += v;
    if (!FUND_TYPES.has(p.fund_pay_type)) bad(`未知的基金支付类型：${p.fund_pay_type}`);
  }
  const selfpay = toFen(s.psn_selfpay);
  const ownpay = toFen(s.psn_ownpay);
  const acct = toFen(s.acct_pay);
  const cash = toFen(s.psn_cashpay);
  if (selfpay === null || ownpay === null || acct === null || cash === null) bad("个人支付金额格式错误");
  else {
    if (fund + selfpay + ownpay !== total)
      bad(`基金支付 + 个人自付 + 个人自费 (${fund + selfpay + ownpay}) ≠ 总费用 (${total})（分）`);
    if (acct + cash !== selfpay + ownpay) bad("个人账户支出 + 个人现金支付 ≠ 个人自付 + 个人自费");
  }

  // Dates.
  const adm = minutes(s.adm_time);
  const dscg = minutes(s.dscg_time);
  const admDay = parseDay(s.adm_time.slice(0, 10));
  const dscgDay = parseDay(s.dscg_time.slice(0, 10));
  if (dscg <= adm) bad("出院时间应晚于入院时间");
  if (s.act_ipt_days !== dscgDay - admDay) bad(`实际住院天数 ${s.act_ipt_days} 与出入院日期不符`);
  if (s.setl_begn_date !== s.adm_time.slice(0, 10) || s.setl_end_date !== s.dscg_time.slice(0, 10))
    bad("结算起止日期与出入院日期不符");
  const dcla = minutes(s.dcla_time);
  if (dcla < dscg) bad("申报时间早于出院时间");
  if (parseDay(s.dcla_time.slice(0, 10)) - parseDay(s.setl_end_date) > 8) bad("申报时间晚于结算后 8 天");
  for (const o of oprninfo) {
    const d = parseDay(o.oprn_oprt_date);
    if (d < admDay || d > dscgDay) bad(`手术日期 ${o.oprn_oprt_date} 不在住院期间`);
  }
  for (const i of icuinfo) {
    if (minutes(i.scs_cutd_inpool_time) < adm || minutes(i.scs_cutd_exit_time) > dscg)
      bad("重症监护时间不在住院期间");
  }
  const nursing = s.spga_nurscare_days + s.lv1_nurscare_days + s.scd_nurscare_days + s.lv3_nurscare_days;
  if (nursing !== s.act_ipt_days) bad(`护理天数合计 ${nursing} ≠ 实际住院天数 ${s.act_ipt_days}`);

  // Person.
  if (!isValidCertno(s.certno)) bad(`身份证号校验位错误：${s.certno}`);
  else {
    if (s.certno.slice(6, 14) !== s.brdy.replaceAll("-", "")) bad("身份证号出生日期与出生日期不符");
    if (Number(s.certno[16]) % 2 !== (s.gend === "1" ? 1 : 0)) bad("身份证号性别位与性别不符");
  }
  const birth = parseDay(s.brdy);
  const age = ageInYears(birth, admDay);
  if (age >= 1) {
    if (s.age !== age) bad(`年龄 ${s.age} 与出生日期不符（应为 ${age}）`);
  } else {
    if (s.nwb_age !== admDay - birth) bad(`新生儿日龄 ${s.nwb_age} 与出生日期不符`);
    if (!(typeof s.nwb_bir_wt === "number" && s.nwb_bir_wt > 0)) bad("新生儿缺少出生体重");
  }
  const pdx = diseinfo[0]?.diag_code ?? "";
  // A principal diagnosis of a sex-specific MDC (O/N female, M male) needs a matching sex and age;
  // codes listed under MDCs of both sexes (e.g. 假两性畸形) allow either.
  const rules = Object.entries(profile.sexSpecificMdcs).filter(([mdc]) => mdcPdx(scheme, [mdc]).has(pdx));
  if (rules.length > 0) {
    const fit = rules.filter(([, r]) => r.sex === s.gend);
    if (fit.length === 0) bad(`主要诊断 ${pdx} 属于 MDC${rules.map(([m]) => m).join("/")}，性别不符`);
    else if (!fit.some(([, r]) => age >= r.minAge && age <= r.maxAge)) {
      bad(`主要诊断 ${pdx} 属于 MDC${fit.map(([m]) => m).join("/")}，年龄 ${age} 岁不在适用范围`);
    }
  }
  if (mdcPdx(scheme, profile.newbornMdcs).has(pdx) && age !== 0) bad(`新生儿主要诊断 ${pdx}，年龄应为 0 岁`);
  return problems;
}
