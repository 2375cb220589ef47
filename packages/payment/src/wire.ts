/**
 * JSON forms of stays and hospitals (病例与机构的 JSON 格式): money as decimal yuan strings,
 * dates ISO, person state by year.
 */
import type { PersonState, Treatment } from "./benefit.js";
import { Reader } from "./read.js";
import type { HospitalInfo, Stay } from "./settle.js";

const TREATMENTS: readonly Treatment[] = ["local", "remoteLongTerm", "remoteTemporary", "remoteUnregistered"];

/** Parses a stay from JSON (解析病例). Throws `PolicyDataError` naming the field. */
export function parseStay(data: unknown, dataset = "病例"): Stay {
  const r0 = new Reader(dataset);
  const raw = r0.object(data, "(根)");
  const id = r0.string(raw.id, "id");
  const r = new Reader(`${dataset} ${id}`);
  const costs =
    raw.costs == null
      ? undefined
      : (() => {
          const c = r.object(raw.costs, "costs");
          return {
            classA: r.yuan(c.classA ?? "0", "costs.classA"),
            classB: r.yuan(c.classB ?? "0", "costs.classB"),
            selfPay: r.yuan(c.selfPay ?? "0", "costs.selfPay"),
            other: r.yuan(c.other ?? "0", "costs.other"),
          };
        })();
  let person: PersonState | undefined;
  if (raw.person != null) {
    const p = r.object(raw.person, "person");
    const out: Record<string, { admissions: number; fundPaid: number }> = {};
    for (const [year, v0] of Object.entries(p)) {
      if (!/^\d{4}$/.test(year)) r.fail(`person.${year}`, "键须为四位年份");
      const v = r.object(v0, `person.${year}`);
      out[year] = {
        admissions: r.integer(v.admissions ?? 0, `person.${year}.admissions`),
        fundPaid: r.yuan(v.fundPaid ?? "0", `person.${year}.fundPaid`),
      };
    }
    person = out;
  }
  const treatment = raw.treatment;
  if (treatment != null && !TREATMENTS.includes(treatment as Treatment)) {
    r.fail("treatment", `须为 ${TREATMENTS.join("/")} 之一`);
  }
  let specialReview: Stay["specialReview"];
  if (raw.specialReview != null) {
    const sr = r.object(raw.specialReview, "specialReview");
    if (typeof sr.approved !== "boolean") r.fail("specialReview.approved", "须为 true 或 false");
    specialReview =
      sr.amount == null
        ? { approved: sr.approved as boolean }
        : { approved: sr.approved as boolean, amount: r.yuan(sr.amount, "specialReview.amount") };
  }
  const stay: Stay = {
    id,
    hospitalId: r.string(raw.hospitalId, "hospitalId"),
    drg: r.string(raw.drg, "drg"),
    totalCost: r.yuan(raw.totalCost, "totalCost"),
    admissionDate: r.date(raw.admissionDate, "admissionDate"),
    dischargeDate: r.date(raw.dischargeDate, "dischargeDate"),
    ...(raw.admissionTime == null ? {} : { admissionTime: clock(r, raw.admissionTime, "admissionTime") }),
    ...(raw.dischargeTime == null ? {} : { dischargeTime: clock(r, raw.dischargeTime, "dischargeTime") }),
    ...(raw.dischargeWay == null ? {} : { dischargeWay: r.string(raw.dischargeWay, "dischargeWay") }),
    ...(raw.los == null ? {} : { los: r.integer(raw.los, "los") }),
    ...(costs === undefined ? {} : { costs }),
    ...(raw.bedFee == null ? {} : { bedFee: r.yuan(raw.bedFee, "bedFee") }),
    ...(raw.bedDays == null ? {} : { bedDays: r.integer(raw.bedDays, "bedDays") }),
    ...(raw.insurance == null ? {} : { insurance: r.string(raw.insurance, "insurance") }),
    ...(treatment == null ? {} : { treatment: treatment as Treatment }),
    ...(raw.fixedCase == null ? {} : { fixedCase: r.string(raw.fixedCase, "fixedCase") }),
    ...(person === undefined ? {} : { person }),
    ...(raw.patientShare == null ? {} : { patientShare: r.yuan(raw.patientShare, "patientShare") }),
    ...(raw.newTechExclusion == null ? {} : { newTechExclusion: raw.newTechExclusion === true }),
    ...(raw.newTechItems == null ? {} : { newTechItems: r.stringList(raw.newTechItems, "newTechItems") }),
    ...(specialReview === undefined ? {} : { specialReview }),
  };
  if (stay.dischargeDate < stay.admissionDate) r.fail("dischargeDate", "出院日期早于入院日期");
  return stay;
}

function clock(r: Reader, v: unknown, field: string): string {
  if (typeof v !== "string" || !/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(v)) {
    r.fail(field, "须为 HH:MM:SS 或 HH:MM 格式的时间");
  }
  return v;
}

/** Parses a hospital from JSON (解析定点医疗机构). */
export function parseHospital(data: unknown, dataset = "定点医疗机构"): HospitalInfo {
  const r = new Reader(dataset);
  const raw = r.object(data, "(根)");
  return {
    id: r.string(raw.id, "id"),
    level: r.string(raw.level, "level"),
    ...(typeof raw.name === "string" ? { name: raw.name } : {}),
    ...(raw.benefitClass == null ? {} : { benefitClass: r.string(raw.benefitClass, "benefitClass") }),
  };
}
