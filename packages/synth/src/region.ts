/**
 * The region's fixed parts: 定点医疗机构 (hospitals), 科室 (departments), 医师 (physicians) and the
 * insured population (参保人). Persons are derived from their id on demand, so a population of
 * millions costs no memory.
 */
import { ageInYears, civilDayNumber, formatDay } from "./calendar.js";
import type { HospitalLevel, HospitalType, InsuranceType, RegionProfile } from "./profile.js";
import { fmix32, Rng, seedOf, Weighted } from "./random.js";

/** 定点医疗机构. */
export interface Hospital {
  /** 定点医药机构编号 (fixmedins_code): H + 6-digit district + 5-digit sequence. */
  readonly code: string;
  readonly name: string;
  readonly level: HospitalLevel;
  readonly type: HospitalType;
  readonly district: string;
  readonly capacity: number;
  /** MDC letters treated (specialty hospitals); null = all. */
  readonly mdcs: readonly string[] | null;
  /** Department codes present. */
  readonly departments: readonly string[];
  /** Propensity to upload irregular lists (1 = average); drives where injected cases land. */
  readonly violationPropensity: number;
}

/** 科室 of one hospital. */
export interface Department {
  readonly hospitalCode: string;
  readonly code: string;
  readonly name: string;
}

/** 医师 with a 医保医师代码. */
export interface Physician {
  readonly code: string;
  readonly name: string;
  readonly hospitalCode: string;
  readonly departmentCode: string;
  /** 职称. */
  readonly title: string;
  readonly violationPropensity: number;
}

/** 参保人. */
export interface Person {
  readonly id: number;
  /** 居民身份证号 (certno), 18 characters with a valid check digit. */
  readonly certno: string;
  readonly name: string;
  /** 性别 gend: "1" 男, "2" 女. */
  readonly sex: "1" | "2";
  /** Birth day number and `yyyy-MM-dd`. */
  readonly birthDay: number;
  readonly birthDate: string;
  readonly insuranceType: InsuranceType;
  /** 人员编号 / 医保编号. */
  readonly hiNo: string;
  /** 职业 (prfs, GB/T 2261.4). */
  readonly occupation: string;
  readonly address: string;
  readonly phone: string;
  readonly employer: string;
  readonly contactName: string;
  /** 与患者关系 (patn_rlts). */
  readonly contactRelation: string;
  readonly contactPhone: string;
  /** 医疗救助对象 (low-income person covered by 610100). */
  readonly assisted: boolean;
}

const TITLES = ["主任医师", "副主任医师", "主治医师", "主治医师", "住院医师", "住院医师"];

function chineseName(rng: Rng, profile: RegionProfile, sex: "1" | "2"): string {
  const surname = profile.surnames[rng.int(profile.surnames.length)] as string;
  const pool = sex === "1" ? profile.givenMale : profile.givenFemale;
  const first = pool[rng.int(pool.length)] as string;
  return rng.chance(0.35) ? surname + first : surname + first + (pool[rng.int(pool.length)] as string);
}

const CERT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CERT_CHECK = "10X98765432";

/** The 18-character 居民身份证号 with its ISO 7064 MOD 11-2 check character. */
export function certnoOf(district: string, birthDate: string, seq3: number): string {
  const body = `${district}${birthDate.replaceAll("-", "")}${String(seq3).padStart(3, "0")}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * (CERT_WEIGHTS[i] as number);
  return body + CERT_CHECK[sum % 11];
}

/** Whether a certno's check character is right. */
export function isValidCertno(certno: string): boolean {
  if (!/^\d{17}[\dX]$/.test(certno)) return false;
  return (
    certnoOf(
      certno.slice(0, 6),
      `${certno.slice(6, 10)}-${certno.slice(10, 12)}-${certno.slice(12, 14)}`,
      Number(certno.slice(14, 17)),
    ) === certno
  );
}

function phone(rng: Rng): string {
  return `1${rng.pick(["3", "5", "7", "8", "9"])}${String(rng.int(1e9)).padStart(9, "0")}`;
}

/** Builds hospitals, departments and physicians from the profile; deterministic for the seed. */
export function buildFacilities(
  profile: RegionProfile,
  seed: number | string,
): { hospitals: Hospital[]; departments: Department[]; physicians: Physician[] } {
  const rng = new Rng(seed, 1);
  const deptName = new Map(profile.departments.map((d) => [d.code, d.name]));
  const hospitals: Hospital[] = [];
  const departments: Department[] = [];
  const physicians: Physician[] = [];
  const seqByDistrict = new Map<string, number>();
  let physicianSeq = 0;
  for (const spec of profile.hospitals) {
    const seq = (seqByDistrict.get(spec.district) ?? 0) + 1;
    seqByDistrict.set(spec.district, seq);
    const code = `H${spec.district}${String(seq * 37 + 100).padStart(5, "0")}`;
    let depts: readonly string[];
    if (spec.type === "中医") depts = profile.departmentsByType.中医;
    else if (spec.type === "专科") {
      const set = new Set<string>(profile.departmentsByType.专科);
      for (const mdc of spec.mdcs ?? []) {
        const d = profile.mdcDepartments[mdc];
        if (d) {
          set.add(d.medical);
          set.add(d.surgical);
        }
      }
      depts = [...set];
    } else depts = profile.departmentsByLevel[spec.level];
    depts = depts.filter((d) => deptName.has(d));
    const hospital: Hospital = {
      code,
      name: spec.name,
      level: spec.level,
      type: spec.type,
      district: spec.district,
      capacity: spec.capacity,
      mdcs: spec.mdcs ?? null,
      departments: depts,
      violationPropensity: rng.lognormalMean(1, profile.violationPropensitySigma),
    };
    hospitals.push(hospital);
    const [minP, maxP] = profile.physiciansPerDepartment[spec.level];
    for (const d of depts) {
      departments.push({ hospitalCode: code, code: d, name: deptName.get(d) as string });
      const n = rng.range(minP, maxP);
      for (let i = 0; i < n; i++) {
        physicianSeq++;
        physicians.push({
          code: `${profile.physicianCodePrefix}${spec.district}${String(physicianSeq).padStart(7, "0")}`,
          name: chineseName(rng, profile, rng.chance(0.55) ? "1" : "2"),
          hospitalCode: code,
          departmentCode: d,
          title: TITLES[Math.min(TITLES.length - 1, rng.int(TITLES.length))] as string,
          violationPropensity: rng.lognormalMean(1, profile.violationPropensitySigma),
        });
      }
    }
  }
  return { hospitals, departments, physicians };
}

/** Person constraints a case imposes (sex, age range in whole years at admission). */
export interface PersonConstraint {
  readonly sex?: "1" | "2";
  readonly minAge?: number;
  readonly maxAge?: number;
}

/**
 * 参保人群: `size` persons, each derived from (seed, id). Ids are also the admission-frequency rank
 * after a bijective scramble, so a few persons are admitted many times (repeat admissions).
 */
export class Population {
  readonly size: number;
  private readonly salt: number;
  private readonly ageBands: Weighted<readonly [number, number, number]>;
  private readonly elderBands: Weighted<readonly [number, number, number]>;
  private readonly refYear: number;
  private readonly multiplier: number;

  constructor(
    readonly profile: RegionProfile,
    seed: number | string,
    size: number,
    /** Day number of the start of the period: everyone is at least one year old by then. */
    readonly fromDay: number,
  ) {
    this.size = Math.max(1, Math.floor(size));
    this.salt = seedOf(seed) ^ 0x7e57;
    this.ageBands = new Weighted(
      profile.ageBands,
      profile.ageBands.map((b) => b[2]),
    );
    this.elderBands = new Weighted(
      profile.ageBands,
      profile.ageBands.map((b) => (b[0] >= 45 ? b[2] * 3 : b[2] * 0.3)),
    );
    this.refYear = Number(formatDay(fromDay).slice(0, 4));
    // An odd multiplier coprime to size scrambles ranks into ids.
    let m = (Math.floor(this.size * 0.6180339887) | 1) % this.size || 1;
    while (gcd(m, this.size) !== 1) m = (m + 2) % this.size || 1;
    this.multiplier = m;
  }

  /** The person id with admission-frequency rank r (0 = most frequently admitted). */
  idOfRank(rank: number): number {
    return (rank * this.multiplier + 12345) % this.size;
  }

  /** A person drawn by the admission-frequency skew. */
  sampleId(rng: Rng): number {
    const r = Math.floor(this.size * rng.float() ** this.profile.repeatAdmissionSkew);
    return this.idOfRank(Math.min(this.size - 1, r));
  }

  /** Whether person `id` is among the frequently admitted (older) part of the population. */
  private frequent(id: number): boolean {
    // Invert the rank scramble cheaply: frequent persons are those whose rank < 10% of size.
    return this.rankOf(id) < this.size * 0.1;
  }

  private inverse = -1;
  private rankOf(id: number): number {
    if (this.inverse < 0) this.inverse = Number(modInverse(BigInt(this.multiplier), BigInt(this.size)));
    const n = this.size;
    const shifted = (((id - 12345) % n) + n) % n;
    if (n < 90_000_000) return (shifted * this.inverse) % n;
    return Number((BigInt(shifted) * BigInt(this.inverse)) % BigInt(n));
  }

  /** Sex and birth day only (cheap, for constraint checks). */
  basics(id: number): { sex: "1" | "2"; birthDay: number } {
    const h1 = fmix32(id ^ this.salt);
    const h2 = fmix32(h1 ^ 0x27d4eb2f);
    const h3 = fmix32(h2 ^ 0x165667b1);
    const sex: "1" | "2" = (h1 & 1) === 1 ? "1" : "2";
    const band = (this.frequent(id) ? this.elderBands : this.ageBands).at(h2 / 4294967296);
    const age = band[0] + Math.floor((h3 / 4294967296) * (band[1] - band[0] + 1));
    // Birth day-of-year from the id keeps (district, birth date, sequence) unique.
    const doy = id % 365;
    const year = this.refYear - 1 - age;
    const birthDay = civilDayNumber(year, 1, 1) + Math.min(doy, 364);
    return { sex, birthDay };
  }

  /** Whether the person meets a case's constraints on day `on`. */
  fits(id: number, c: PersonConstraint, on: number): boolean {
    const b = this.basics(id);
    if (c.sex !== undefined && b.sex !== c.sex) return false;
    if (c.minAge === undefined && c.maxAge === undefined) return true;
    const age = ageInYears(b.birthDay, on);
    return age >= (c.minAge ?? 0) && age <= (c.maxAge ?? 200);
  }

  private readonly cache = new Map<number, Person>();

  /** The full person record (cached for the most recent persons; memory stays bounded). */
  person(id: number): Person {
    let p = this.cache.get(id);
    if (p === undefined) {
      p = this.derive(id);
      if (this.cache.size >= 50_000) this.cache.clear();
      this.cache.set(id, p);
    }
    return p;
  }

  private derive(id: number): Person {
    if (!Number.isInteger(id) || id < 0 || id >= this.size) throw new RangeError(`参保人编号超出范围：${id}`);
    const { sex, birthDay } = this.basics(id);
    const rng = new Rng(fmix32(id ^ this.salt), 8);
    const p = this.profile;
    const birthDate = formatDay(birthDay);
    const k = Math.floor(id / 365);
    const seq3 = (k % 500) * 2 + (sex === "1" ? 1 : 0);
    const district = districtFor(p, Math.floor(k / 500));
    const age = ageInYears(birthDay, this.fromDay);
    let share = 0;
    for (const [minAge, s] of p.employeeShareByAge) if (age >= minAge) share = s;
    const insuranceType: InsuranceType = rng.chance(share) ? "310" : "390";
    const occupation =
      age < 18
        ? "31"
        : age >= 60
          ? "80"
          : insuranceType === "310"
            ? rng.pick(["13", "17", "24", "21"])
            : rng.pick(["27", "51", "54", "70"]);
    const contactSex: "1" | "2" = rng.chance(0.5) ? "1" : "2";
    const name = chineseName(rng, p, sex);
    return {
      id,
      certno: certnoOf(district, birthDate, seq3),
      name,
      sex,
      birthDay,
      birthDate,
      insuranceType,
      hiNo: `${p.regionCode}${String(id).padStart(12, "0")}`,
      occupation,
      address: `${p.regionName}${rng.pick(p.streets)}${rng.range(1, 999)}号`,
      phone: phone(rng),
      employer: insuranceType === "310" && age < 60 ? rng.pick(p.employers) : "",
      contactName: (profileSurname(name) ?? "") + chineseName(rng, p, contactSex).slice(1),
      contactRelation: age < 18 ? "5" : rng.pick(["1", "2", "3"]),
      contactPhone: phone(rng),
      assisted: insuranceType === "390" && rng.chance(p.benefit.assistanceShare),
    };
  }
}

function profileSurname(name: string): string | undefined {
  return name[0];
}

/** The birth-registration district for a block of ids: the region's districts, then other codes. */
function districtFor(p: RegionProfile, block: number): string {
  if (block < p.districts.length) return p.districts[block] as string;
  // Persons born elsewhere: other county codes of the same province prefix.
  const n = block - p.districts.length;
  return `${p.regionCode.slice(0, 2)}${String(80 + Math.floor(n / 99)).padStart(2, "0")}${String((n % 99) + 1).padStart(2, "0")}`;
}

/** 新生儿: a newborn person admitted in the period (not part of the base population). */
export function newbornPerson(
  profile: RegionProfile,
  seed: number | string,
  serial: number,
  birthDay: number,
  populationSize: number,
  sex: "1" | "2",
): Person {
  const rng = new Rng(fmix32(serial ^ seedOf(seed) ^ 0xb0b1), 9);
  const birthDate = formatDay(birthDay);
  const seq3 = (serial % 500) * 2 + (sex === "1" ? 1 : 0);
  const district = profile.districts[Math.floor(serial / 500) % profile.districts.length] as string;
  const mother = chineseName(rng, profile, "2");
  return {
    id: populationSize + serial,
    certno: certnoOf(district, birthDate, seq3),
    name: `${mother}之${sex === "1" ? "子" : "女"}`,
    sex,
    birthDay,
    birthDate,
    insuranceType: "390",
    hiNo: `${profile.regionCode}N${String(serial).padStart(11, "0")}`,
    occupation: "90",
    address: `${profile.regionName}${rng.pick(profile.streets)}${rng.range(1, 999)}号`,
    phone: phone(rng),
    employer: "",
    contactName: mother,
    contactRelation: "5",
    contactPhone: phone(rng),
    assisted: false,
  };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function modInverse(a: bigint, m: bigint): bigint {
  if (m === 1n) return 0n;
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
