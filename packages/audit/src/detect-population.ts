/**
 * Detectors that look across stays: split and repeated admissions (分解住院/重复住院) per person,
 * found with one Map keyed by person and one sort per person; patient selection (选择患者) per
 * hospital and period.
 */
import { groupRecord } from "@yibao/grouper";
import { type AuditContext, rwOf, schemeOf } from "./context.js";
import { type Finding, makeFinding } from "./finding.js";
import type { AuditStay } from "./model.js";
import { lossText, mergedStay, paymentStay, priceOrNull } from "./pricing.js";
import { ruleOf } from "./rules.js";

/** Groups stays by person (参保人), each list ordered by admission. Linear apart from the per-person sorts. */
export function staysByPerson(stays: Iterable<AuditStay>): Map<string, AuditStay[]> {
  const m = new Map<string, AuditStay[]>();
  for (const s of stays) {
    const list = m.get(s.personId);
    if (list === undefined) m.set(s.personId, [s]);
    else list.push(s);
  }
  for (const list of m.values()) {
    if (list.length > 1) list.sort((a, b) => a.admissionDay - b.admissionDay || (a.id < b.id ? -1 : 1));
  }
  return m;
}

function sameIllness(a: AuditStay, b: AuditStay, relation: "principal" | "category" | "mdc"): boolean {
  if (relation === "mdc") return a.group.mdc !== null && a.group.mdc === b.group.mdc;
  if (a.group.adrg !== null && a.group.adrg === b.group.adrg) return true;
  const pa = a.record.diagnoses[0];
  const pb = b.record.diagnoses[0];
  if (pa === undefined || pb === undefined) return false;
  return relation === "principal" ? pa === pb : pa.slice(0, 3) === pb.slice(0, 3);
}

/** The merged record of consecutive stays, principal diagnosis of the stay with procedures (else the first). */
function mergeAndGroup(ctx: AuditContext, stays: readonly AuditStay[]): string {
  const main = stays.find((s) => s.record.procedures.length > 0) ?? (stays[0] as AuditStay);
  const dx = [...new Set([main.record.diagnoses[0] as string, ...stays.flatMap((s) => s.record.diagnoses)])];
  const px = [...new Set([...main.record.procedures, ...stays.flatMap((s) => s.record.procedures)])];
  const los = stays.reduce((t, s) => t + s.los, 0);
  const g = groupRecord(schemeOf(ctx, stays[stays.length - 1] as AuditStay), {
    ...main.record,
    id: stays.map((s) => s.id).join("+"),
    diagnoses: dx,
    procedures: px,
    los,
  });
  return g.drg;
}

/** 分解住院 and 重复住院 over all stays of each person. */
export function detectReadmissions(
  byPerson: ReadonlyMap<string, readonly AuditStay[]>,
  ctx: AuditContext,
): Finding[] {
  const split = ruleOf(ctx.rules, "split_admission");
  const repeated = ruleOf(ctx.rules, "repeated_admission");
  const out: Finding[] = [];
  if (split === undefined && repeated === undefined) return out;
  for (const list of byPerson.values()) {
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1] as AuditStay;
      const b = list[i] as AuditStay;
      if (a.readmissionPlanned) continue;
      const gap = b.admissionDay - a.dischargeDay;
      if (gap < 0) continue;
      const same = sameIllness(a, b, split?.check.relation ?? "principal");
      let rule = null;
      if (
        split !== undefined &&
        same &&
        gap <= split.check.windowDays &&
        (!split.check.sameHospital || a.hospitalId === b.hospitalId)
      ) {
        rule = split;
      } else if (
        repeated !== undefined &&
        !same &&
        gap <= repeated.check.windowDays &&
        (!repeated.check.sameHospital || a.hospitalId === b.hospitalId)
      ) {
        rule = repeated;
      }
      if (rule === null) continue;
      let pricing = null;
      let mergedDrg = "";
      if (a.hospitalId === b.hospitalId) {
        mergedDrg = mergeAndGroup(ctx, [a, b]);
        // The merged group may have no weight in the policy (无权重病组): then reported unpriced.
        pricing = priceOrNull(
          [paymentStay(a), paymentStay(b)],
          [mergedStay([a, b], mergedDrg)],
          ctx.settlement,
        );
      }
      const isSplit = rule === split;
      const rwA = rwOf(ctx, a.group.drg, a.dischargeDate, a.id);
      const rwB = rwOf(ctx, b.group.drg, b.dischargeDate, b.id);
      out.push(
        makeFinding(rule, {
          stayIds: [a.id, b.id],
          hospitalId: b.hospitalId,
          physicianCode: b.physicianCode,
          personId: b.personId,
          message: `${isSplit ? "疑似分解住院" : "疑似重复住院"}：出院 ${gap} 天后${isSplit ? "因同一疾病" : "以不同诊断"}再次入院${pricing === null ? "" : `，合并为一次住院（${mergedDrg}）结算${lossText(pricing)}`}`,
          evidence: [
            {
              text: `第一次住院 ${a.admissionDate} 至 ${a.dischargeDate}（${a.los} 天，${a.group.drg}${rwA === null ? "" : `，权重 ${rwA.toFixed(2)}`}，主要诊断 ${a.record.diagnoses[0] ?? ""}），未申报 31 日内计划再入院`,
              fields: {
                stay: a.id,
                drg: a.group.drg,
                admission: a.admissionDate,
                discharge: a.dischargeDate,
                planned: a.readmissionPlanned,
              },
            },
            {
              text: `第二次住院 ${b.admissionDate} 至 ${b.dischargeDate}（${b.los} 天，${b.group.drg}${rwB === null ? "" : `，权重 ${rwB.toFixed(2)}`}，主要诊断 ${b.record.diagnoses[0] ?? ""}），间隔 ${gap} 天`,
              fields: {
                stay: b.id,
                drg: b.group.drg,
                admission: b.admissionDate,
                discharge: b.dischargeDate,
                gapDays: gap,
              },
            },
          ],
          pricing,
        }),
      );
    }
  }
  return out;
}

interface PeriodStats {
  cases: number;
  high: number;
  elderly: number;
}

/** 选择患者: drops in the high-weight or elderly share of a hospital's cases against its previous period. */
export function detectPatientSelection(stays: Iterable<AuditStay>, ctx: AuditContext): Finding[] {
  const rule = ruleOf(ctx.rules, "patient_selection");
  if (rule === undefined) return [];
  const c = rule.check;
  const byHospital = new Map<string, Map<number, PeriodStats>>();
  for (const s of stays) {
    if (s.group.status !== "OK") continue;
    const y = Number(s.dischargeDate.slice(0, 4));
    const m = Number(s.dischargeDate.slice(5, 7)) - 1;
    const period = Math.floor((y * 12 + m) / c.periodMonths);
    let h = byHospital.get(s.hospitalId);
    if (h === undefined) {
      h = new Map();
      byHospital.set(s.hospitalId, h);
    }
    let p = h.get(period);
    if (p === undefined) {
      p = { cases: 0, high: 0, elderly: 0 };
      h.set(period, p);
    }
    p.cases++;
    const rw = rwOf(ctx, s.group.drg, s.dischargeDate, s.id);
    if (rw !== null && rw >= c.highWeightRw) p.high++;
    if ((s.record.ageYears ?? 0) >= c.elderlyAge) p.elderly++;
  }
  const label = (period: number) => {
    const first = period * c.periodMonths;
    return `${Math.floor(first / 12)}年${(first % 12) + 1}月起${c.periodMonths}个月`;
  };
  const out: Finding[] = [];
  for (const [hospital, periods] of [...byHospital].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const keys = [...periods.keys()].sort((a, b) => a - b);
    for (let i = 1; i < keys.length; i++) {
      const prev = periods.get(keys[i - 1] as number) as PeriodStats;
      const cur = periods.get(keys[i] as number) as PeriodStats;
      if (keys[i] !== (keys[i - 1] as number) + 1 || prev.cases < c.minCases || cur.cases < c.minCases)
        continue;
      for (const [what, name] of [
        ["high", `高权重（RW≥${c.highWeightRw}）病例`],
        ["elderly", `${c.elderlyAge}岁及以上患者`],
      ] as const) {
        const s0 = prev[what] / prev.cases;
        const s1 = cur[what] / cur.cases;
        if (s0 <= 0 || (s0 - s1) / s0 <= c.maxRelativeDrop) continue;
        out.push(
          makeFinding(rule, {
            stayIds: [],
            hospitalId: hospital,
            key: `${hospital}:${keys[i]}:${what}`,
            message: `疑似选择患者：${name}占比由 ${(s0 * 100).toFixed(1)}% 降至 ${(s1 * 100).toFixed(1)}%（下降 ${(((s0 - s1) / s0) * 100).toFixed(0)}%）`,
            evidence: [
              {
                text: `${label(keys[i - 1] as number)}：${prev.cases} 例，其中${name} ${prev[what]} 例；${label(keys[i] as number)}：${cur.cases} 例，其中 ${cur[what]} 例`,
                fields: {
                  indicator: what,
                  previousCases: prev.cases,
                  previous: prev[what],
                  currentCases: cur.cases,
                  current: cur[what],
                },
              },
            ],
            pricing: null,
          }),
        );
      }
    }
  }
  return out;
}
