/** Date and age checks: order of dates, stay days, dates after the upload, procedure dates in the stay, ages, newborn weights, the upload deadline. */

import { dayNumber, dayToIso, fullYears } from "../../dates.js";
import type { QcCheckKindModule } from "../kind.js";
import {
  bad,
  type FieldRef,
  infoValue,
  numParam,
  param,
  setlinfoRef,
  show,
  skipped,
  strArrayParam,
} from "../params.js";
import { emit } from "../run.js";

export const dateOrderKind: QcCheckKindModule = {
  kind: "dateOrder",
  params: ["pairs"],
  compile: (r) => {
    const raw = param(r.rule, "pairs");
    if (!Array.isArray(raw)) bad(r.rule, "pairs", "字段路径对数组");
    const pairs = raw.map((p: unknown) => {
      if (!Array.isArray(p) || p.length !== 2) bad(r.rule, "pairs", "字段路径对数组");
      const [a, b] = p.map((x) => setlinfoRef(r.rule, String(x))) as [FieldRef, FieldRef];
      for (const x of [a, b])
        if (x.spec.kind !== "D" && x.spec.kind !== "T") bad(r.rule, "pairs", "日期字段对");
      return { a, b };
    });
    return (run) => {
      for (const { a, b } of pairs) {
        const va = infoValue(run.list, a) as string | null;
        const vb = infoValue(run.list, b) as string | null;
        if (va === null || vb === null) continue;
        const later = va.length === vb.length ? va > vb : va.slice(0, 10) > vb.slice(0, 10);
        if (later)
          emit(run, r, b.path, { aLabel: a.spec.label, a: show(va), bLabel: b.spec.label, b: show(vb) });
      }
    };
  },
};

export const actualStayDaysKind: QcCheckKindModule = {
  kind: "actualStayDays",
  params: ["sameDayDays", "toleranceDays"],
  compile: (r) => {
    const sameDay = numParam(r.rule, "sameDayDays", 1);
    const tolerance = numParam(r.rule, "toleranceDays", 0);
    return (run) => {
      const { admDay, dscgDay } = run.facts;
      const v = run.list.info.actIptDays;
      if (v === null || admDay === null || dscgDay === null || dscgDay < admDay) return;
      const expected = dscgDay === admDay ? sameDay : dscgDay - admDay;
      if (Math.abs(v - expected) > tolerance) {
        emit(run, r, "setlinfo.act_ipt_days", {
          value: v,
          expected,
          adm: dayToIso(admDay),
          dscg: dayToIso(dscgDay),
        });
      }
    };
  },
};

export const notAfterUploadKind: QcCheckKindModule = {
  kind: "notAfterUpload",
  params: ["fields"],
  compile: (r) => {
    const refs = strArrayParam(r.rule, "fields").map((p) => setlinfoRef(r.rule, p));
    for (const x of refs) if (x.spec.kind !== "D" && x.spec.kind !== "T") bad(r.rule, "fields", "日期字段");
    return (run) => {
      for (const ref of refs) {
        const v = infoValue(run.list, ref) as string | null;
        if (v !== null && dayNumber(v) > run.todayDay) {
          emit(run, r, ref.path, { label: ref.spec.label, value: show(v), today: run.todayIso.slice(0, 10) });
        }
      }
    };
  },
};

export const procedureDateInStayKind: QcCheckKindModule = {
  kind: "procedureDateInStay",
  params: [],
  compile: (r) => (run) => {
    const { admDay, dscgDay } = run.facts;
    if (admDay === null || dscgDay === null) return;
    for (const p of run.list.procedures) {
      if (p.oprnOprtDate === null) continue;
      const d = dayNumber(p.oprnOprtDate);
      if (d < admDay || d > dscgDay) {
        emit(run, r, `oprninfo[${p.position}].oprn_oprt_date`, {
          value: p.oprnOprtDate,
          adm: dayToIso(admDay),
          dscg: dayToIso(dscgDay),
        });
      }
    }
  },
};

export const ageYearsKind: QcCheckKindModule = {
  kind: "ageYears",
  params: [],
  compile: (r) => (run) => {
    const info = run.list.info;
    const expected = run.facts.computedAgeYears;
    if (info.age === null || expected === null || info.brdy === null) return;
    const given = Math.floor(info.age);
    if (given === expected) return;
    if (info.dscgTime !== null && info.dscgTime >= info.brdy && given === fullYears(info.brdy, info.dscgTime))
      return;
    emit(run, r, "setlinfo.age", { value: info.age, expected, brdy: info.brdy });
  },
};

export const ageDaysKind: QcCheckKindModule = {
  kind: "ageDays",
  params: ["toleranceDays"],
  compile: (r) => {
    const tolerance = numParam(r.rule, "toleranceDays", 0);
    return (run) => {
      const info = run.list.info;
      const expected = run.facts.computedAgeDays;
      if (info.nwbAge === null || expected === null || info.brdy === null) return;
      if (Math.abs(info.nwbAge - expected) > tolerance) {
        emit(run, r, "setlinfo.nwb_age", { value: info.nwbAge, expected, brdy: info.brdy });
      }
    };
  },
};

export const newbornWeightRequiredKind: QcCheckKindModule = {
  kind: "newbornWeightRequired",
  params: ["maxAgeDays", "fields"],
  compile: (r) => {
    const max = numParam(r.rule, "maxAgeDays");
    const refs = strArrayParam(r.rule, "fields").map((p) => setlinfoRef(r.rule, p));
    return (run) => {
      const days = run.facts.ageDays;
      if (days === null || days < 0 || days > max) return;
      for (const ref of refs) {
        if (infoValue(run.list, ref) === null && !skipped(run, ref.path)) {
          emit(run, r, ref.path, { label: ref.spec.label, days, max });
        }
      }
    };
  },
};

export const newbornWeightRangeKind: QcCheckKindModule = {
  kind: "newbornWeightRange",
  params: ["minGrams", "maxGrams", "fields"],
  compile: (r) => {
    const min = numParam(r.rule, "minGrams");
    const max = numParam(r.rule, "maxGrams");
    const refs = strArrayParam(r.rule, "fields").map((p) => setlinfoRef(r.rule, p));
    return (run) => {
      for (const ref of refs) {
        const v = infoValue(run.list, ref);
        if (typeof v === "number" && (v < min || v > max))
          emit(run, r, ref.path, { label: ref.spec.label, value: v, min, max });
      }
    };
  },
};

export const uploadDeadlineKind: QcCheckKindModule = {
  kind: "uploadDeadline",
  params: ["deadlineDays"],
  compile: (r) => {
    const deadline = numParam(r.rule, "deadlineDays");
    return (run) => {
      const end = run.facts.setlEndDay;
      if (end === null) return;
      const days = run.todayDay - end;
      if (days > deadline) {
        emit(run, r, "setlinfo.setl_end_date", {
          value: dayToIso(end),
          today: run.todayIso.slice(0, 10),
          days,
          deadline,
        });
      }
    };
  },
};

export const uploadDeadlineNearKind: QcCheckKindModule = {
  kind: "uploadDeadlineNear",
  params: ["deadlineDays", "warnDaysBefore"],
  compile: (r) => {
    const deadline = numParam(r.rule, "deadlineDays");
    const warn = numParam(r.rule, "warnDaysBefore");
    return (run) => {
      const end = run.facts.setlEndDay;
      if (end === null) return;
      const left = deadline - (run.todayDay - end);
      if (left >= 0 && left <= warn) {
        emit(run, r, "setlinfo.setl_end_date", {
          value: dayToIso(end),
          deadline,
          due: dayToIso(end + deadline),
          left,
        });
      }
    };
  },
};
