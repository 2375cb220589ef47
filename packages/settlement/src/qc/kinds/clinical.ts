/**
 * Clinical-logic checks (临床逻辑质控) a bureau runs on every list: codes not allowed as principal
 * diagnosis, an injury or poisoning without its external cause, a diagnosis coded twice, a surgery
 * without an anaesthesia method, ICU / ventilator / nursing time longer than the stay, and fields a
 * bureau requires whatever the interface says. The ranges, fields and limits are rule parameters.
 */

import { clockSeconds, dayNumber } from "@yibao/kernel/calendar";
import type { QcRuleSet } from "../../rules.js";
import { showValue } from "../../template.js";
import type { QcCheckKindModule } from "../kind.js";
import {
  bad,
  effectiveCode,
  infoValue,
  inRanges,
  optNumParam,
  rangesParam,
  setlinfoRef,
  skipped,
  strArrayParam,
  strParam,
} from "../params.js";
import { diagnosisConversions, emit, procedureConversions, type Run, WESTERN_DIAG_TYPE } from "../run.js";

/** The insurance code of every western diagnosis (mapped where a mapping exists), by list index. */
function westernCodes(run: Run): (string | null)[] {
  const conv = diagnosisConversions(run);
  return run.list.diagnoses.map((d, i) =>
    d.diagType === WESTERN_DIAG_TYPE ? effectiveCode(conv[i] ?? null, d.diagCode) : null,
  );
}

/** 主要诊断不得使用的编码: the principal diagnosis lies in one of `ranges` (e.g. Z37 分娩结局). */
export const principalNotAllowedKind: QcCheckKindModule = {
  kind: "principalNotAllowed",
  params: ["ranges"],
  compile: (r) => {
    const ranges = rangesParam(r.rule, "ranges");
    return (run) => {
      const p = run.facts.principal;
      if (p === undefined || p.diagCode === null) return;
      const code = effectiveCode(
        diagnosisConversions(run)[run.list.diagnoses.indexOf(p)] ?? null,
        p.diagCode,
      );
      const range = code === null ? undefined : inRanges(code, ranges);
      if (range !== undefined) {
        emit(run, r, `diseinfo[${p.position}].diag_code`, {
          value: showValue(p.diagCode),
          name: p.diagName ?? "",
          range: range.text,
        });
      }
    };
  },
};

/**
 * Whether the enabled `principalNotAllowed` rules of a rule set refuse a code as principal diagnosis
 * (主要诊断不得使用), for producers of lists that must pass intake (the synthetic region).
 */
export function refusedAsPrincipal(ruleSet: QcRuleSet): (code: string) => boolean {
  const ranges = ruleSet.rules
    .filter((rule) => rule.check === "principalNotAllowed" && rule.enabled !== false)
    .flatMap((rule) => rangesParam(rule, "ranges"));
  return (code) => inRanges(code, ranges) !== undefined;
}

/**
 * 损伤中毒缺外部原因: the principal diagnosis lies in `ranges` (损伤、中毒, S00–T98) and no western
 * diagnosis of the list lies in `causeRanges` (外部原因, V01–Y98).
 */
export const externalCauseMissingKind: QcCheckKindModule = {
  kind: "externalCauseMissing",
  params: ["ranges", "causeRanges"],
  compile: (r) => {
    const ranges = rangesParam(r.rule, "ranges");
    const causes = rangesParam(r.rule, "causeRanges");
    return (run) => {
      const p = run.facts.principal;
      if (p === undefined || p.diagCode === null) return;
      const codes = westernCodes(run);
      const principal = codes[run.list.diagnoses.indexOf(p)] ?? null;
      const range = principal === null ? undefined : inRanges(principal, ranges);
      if (range === undefined) return;
      for (const c of codes) if (c !== null && inRanges(c, causes) !== undefined) return;
      emit(run, r, `diseinfo[${p.position}].diag_code`, {
        value: showValue(p.diagCode),
        name: p.diagName ?? "",
        range: range.text,
        causeRange: causes.map((c) => c.text).join("、"),
      });
    };
  },
};

/** 重复诊断: one insurance code given twice among the western diagnoses (reported on the second). */
export const duplicateDiagnosisKind: QcCheckKindModule = {
  kind: "duplicateDiagnosis",
  params: [],
  compile: (r) => (run) => {
    const codes = westernCodes(run);
    const first = new Map<string, number>();
    codes.forEach((c, i) => {
      if (c === null) return;
      const d = run.list.diagnoses[i];
      if (d === undefined) return;
      const seen = first.get(c);
      if (seen === undefined) first.set(c, d.position);
      else emit(run, r, `diseinfo[${d.position}].diag_code`, { value: showValue(d.diagCode), first: seen });
    });
  },
};

/**
 * 手术缺麻醉方式: a procedure whose insurance code lies in `procedureRanges` (ICD-9-CM-3 chapters,
 * two digits: 00–86 are operations, 87–99 other procedures) has no 麻醉方式 (anst_way).
 */
export const anaesthesiaMethodKind: QcCheckKindModule = {
  kind: "anaesthesiaMethod",
  params: ["procedureRanges"],
  compile: (r) => {
    const ranges = strArrayParam(r.rule, "procedureRanges").map((text) => {
      const [from, to = from] = text.split("-") as [string, string?];
      if (!/^[0-9]{2}$/.test(from) || !/^[0-9]{2}$/.test(to) || from > to)
        bad(r.rule, "procedureRanges", "两位章节范围（如 00-86）");
      return { from, to, text };
    });
    return (run) => {
      const conv = procedureConversions(run);
      run.list.procedures.forEach((p, i) => {
        const code = effectiveCode(conv[i] ?? null, p.oprnOprtCode);
        if (code === null || (p.anstWay !== null && p.anstWay !== "")) return;
        const chapter = code.slice(0, 2);
        const range = ranges.find((x) => chapter >= x.from && chapter <= x.to);
        const path = `oprninfo[${p.position}].anst_way`;
        if (range !== undefined && !skipped(run, path)) {
          emit(run, r, path, {
            value: showValue(p.oprnOprtCode),
            name: p.oprnOprtName ?? "",
            range: range.text,
          });
        }
      });
    };
  },
};

/** Minutes of a `天/小时/分钟` duration (e.g. `1/13/24`), null when it is not one. */
export function durationMinutes(text: string): number | null {
  const m = /^([0-9]{1,4})\/([0-9]{1,2})\/([0-9]{1,2})$/.exec(text.trim());
  if (m === null) return null;
  const [d, h, min] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (h > 23 || min > 59) return null;
  return (d * 24 + h) * 60 + min;
}

function minutesText(total: number): string {
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  return `${d} 天 ${h} 小时 ${total % 60} 分钟`;
}

/** Minutes from admission to discharge (`yyyy-MM-dd HH:mm:ss` each), null without both or when negative. */
function stayMinutes(admTime: string | null, dscgTime: string | null): number | null {
  if (admTime === null || dscgTime === null) return null;
  const a = clockSeconds(admTime.slice(11, 19));
  const b = clockSeconds(dscgTime.slice(11, 19));
  if (a === null || b === null) return null;
  const seconds = (dayNumber(dscgTime) - dayNumber(admTime)) * 86_400 + b - a;
  return seconds < 0 ? null : Math.round(seconds / 60);
}

/**
 * 时长超过住院时间: the ICU stays' total (icuinfo scs_cutd_sum_dura, summed), or a `天/小时/分钟`
 * field of setlinfo (e.g. vent_used_dura), is longer than 入院时间 → 出院时间. Exactly the stay's
 * length passes; one minute more does not. Lists without both times are left to the date rules.
 */
export const durationWithinStayKind: QcCheckKindModule = {
  kind: "durationWithinStay",
  params: ["field"],
  compile: (r) => {
    const path = strParam(r.rule, "field");
    const icu = path === "icuinfo.scs_cutd_sum_dura";
    const ref = icu ? null : setlinfoRef(r.rule, path);
    if (ref !== null && ref.spec.kind !== "C") bad(r.rule, "field", "时长字段（天/小时/分钟）");
    return (run) => {
      const stay = stayMinutes(run.list.info.admTime, run.list.info.dscgTime);
      if (stay === null) return;
      let total = 0;
      let label = "";
      if (ref === null) {
        label = "重症监护合计时长";
        for (const s of run.list.icuStays) {
          const m = s.scsCutdSumDura === null ? null : durationMinutes(s.scsCutdSumDura);
          if (m !== null) total += m;
        }
      } else {
        const v = infoValue(run.list, ref);
        const m = typeof v === "string" ? durationMinutes(v) : null;
        if (m === null) return;
        total = m;
        label = ref.spec.label;
      }
      if (total > stay) {
        emit(run, r, ref === null ? "icuinfo" : ref.path, {
          label,
          value: minutesText(total),
          stay: minutesText(stay),
        });
      }
    };
  },
};

/**
 * 护理天数超过住院天数: the sum of the `fields` (特级/一级/二级/三级护理天数) exceeds 实际住院天数
 * (act_ipt_days, else 出院日期 − 入院日期) plus `toleranceDays` (default 0).
 */
export const daysWithinStayKind: QcCheckKindModule = {
  kind: "daysWithinStay",
  params: ["fields", "toleranceDays"],
  compile: (r) => {
    const refs = strArrayParam(r.rule, "fields").map((p) => setlinfoRef(r.rule, p));
    for (const ref of refs) if (ref.spec.kind !== "N") bad(r.rule, "fields", "天数字段");
    const tolerance = optNumParam(r.rule, "toleranceDays") ?? 0;
    if (!Number.isInteger(tolerance) || tolerance < 0) bad(r.rule, "toleranceDays", "非负整数");
    return (run) => {
      const f = run.facts;
      const los =
        run.list.info.actIptDays ?? (f.admDay !== null && f.dscgDay !== null ? f.dscgDay - f.admDay : null);
      if (los === null) return;
      let sum = 0;
      for (const ref of refs) {
        const v = infoValue(run.list, ref);
        if (typeof v === "number") sum += v;
      }
      if (sum > los + tolerance) {
        emit(run, r, refs[0]?.path ?? "setlinfo", {
          labels: refs.map((x) => x.spec.label).join("、"),
          value: sum,
          los,
        });
      }
    };
  },
};

/** 必填（医保部门要求）: fields of setlinfo a bureau requires although the interface leaves them optional. */
export const requiredByRuleKind: QcCheckKindModule = {
  kind: "requiredByRule",
  params: ["fields"],
  compile: (r) => {
    const refs = strArrayParam(r.rule, "fields").map((p) => setlinfoRef(r.rule, p));
    return (run) => {
      for (const ref of refs) {
        const v = infoValue(run.list, ref);
        if ((v === null || v === "") && !skipped(run, ref.path))
          emit(run, r, ref.path, { label: ref.spec.label });
      }
    };
  },
};
