/**
 * 合成地区 (synthetic region): `generateRegion` builds the region's fixed parts and returns a
 * generator of settlement lists that streams any number of stays in constant memory, roughly in
 * order of admission, with labelled irregular cases injected at a given rate.
 */

import type { DrgScheme, GroupResult } from "@yibao/grouper";
import { VIOLATION_TYPE_NAMES } from "@yibao/kernel/enums";
import { ageInYears, DayFormatter, parseDay, weekday } from "./calendar.js";
import {
  type AdrgModel,
  type ClinicalCase,
  ClinicalModel,
  type DrgModel,
  type PatientFacts,
} from "./clinical.js";
import { addCharge, classify, type FeeItem, type FeeMixKind, feeItems, itemsTotal } from "./costs.js";
import { type DetailLine, detailLines } from "./details.js";
import { renderStay, type StayDraft } from "./message.js";
import { DEFAULT_PROFILE, type HospitalLevel, type RegionProfile } from "./profile.js";
import { Rng, unitHash, Weighted } from "./random.js";
import {
  buildFacilities,
  type Department,
  type Hospital,
  newbornPerson,
  type Person,
  type Physician,
  Population,
} from "./region.js";
import {
  type HonestList,
  INJECTED_VIOLATION_TYPES,
  type InjectedViolationType,
  type SynthStay,
  type ViolationLabel,
} from "./types.js";

/** Salt of the hash that decides the deaths of non-severe stays. */
const DEATH_SALT = 0xdea7;

/** Injection of labelled irregular cases (违规病例注入). */
export interface InjectOptions {
  /** Share of clinical episodes turned into an irregular case (0–1). */
  readonly rate: number;
  /** Types to inject (default: every type the scheme allows). */
  readonly types?: readonly InjectedViolationType[];
}

export interface GenerateOptions {
  readonly seed: number | string;
  /** Number of lists to generate. */
  readonly stays: number;
  readonly scheme: DrgScheme;
  readonly profile?: RegionProfile;
  /** Period of the stays, `yyyy-MM-dd` (default the year 2023): admissions on or after `from`,
   * discharges on or before `to` (stays near the end are shortened to fit). */
  readonly from?: string;
  readonly to?: string;
  readonly inject?: InjectOptions;
}

/** A generated region. `stays()` may be iterated any number of times and yields the same lists. */
export interface SynthRegion {
  readonly seed: number | string;
  readonly schemeId: string;
  readonly profile: RegionProfile;
  readonly from: string;
  readonly to: string;
  readonly stayCount: number;
  readonly hospitals: readonly Hospital[];
  readonly departments: readonly Department[];
  readonly physicians: readonly Physician[];
  readonly population: Population;
  readonly clinical: ClinicalModel;
  /** Violation types this scheme allows (QY needs a scheme with ambiguous groups). */
  readonly injectableTypes: readonly InjectedViolationType[];
  readonly injectedTypes: readonly InjectedViolationType[];
  stays(): Generator<SynthStay, void, undefined>;
}

const clinicalCache = new WeakMap<DrgScheme, Map<RegionProfile, ClinicalModel>>();

/** The (cached) clinical model of a scheme under a profile. */
export function clinicalModel(scheme: DrgScheme, profile: RegionProfile): ClinicalModel {
  let byProfile = clinicalCache.get(scheme);
  if (!byProfile) {
    byProfile = new Map();
    clinicalCache.set(scheme, byProfile);
  }
  let m = byProfile.get(profile);
  if (!m) {
    m = new ClinicalModel(scheme, profile);
    byProfile.set(profile, m);
  }
  return m;
}

/** Generates a synthetic region. Pure: no I/O, no clock, no `Math.random`. */
export function generateRegion(options: GenerateOptions): SynthRegion {
  const profile = options.profile ?? DEFAULT_PROFILE;
  const from = options.from ?? "2023-01-01";
  const to = options.to ?? "2023-12-31";
  const fromDay = parseDay(from);
  const toDay = parseDay(to);
  if (toDay <= fromDay) throw new RangeError(`结束日期 ${to} 应晚于开始日期 ${from}`);
  if (!Number.isInteger(options.stays) || options.stays < 0)
    throw new RangeError(`病例数应为非负整数：${options.stays}`);
  const rate = options.inject?.rate ?? 0;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`注入比例应在 0–1 之间：${rate}`);
  const clinical = clinicalModel(options.scheme, profile);
  const { hospitals, departments, physicians } = buildFacilities(profile, options.seed);
  const population = new Population(
    profile,
    options.seed,
    Math.max(1000, Math.ceil(options.stays * profile.personsPerStay)),
    fromDay,
  );
  const injectable = INJECTED_VIOLATION_TYPES.filter((t) => t !== "qy_ambiguity" || clinical.qyMdcs.size > 0);
  const wanted = options.inject?.types ?? injectable;
  for (const t of wanted)
    if (!INJECTED_VIOLATION_TYPES.includes(t)) throw new RangeError(`未知的违规类型：${t}`);
  const injected = rate > 0 ? wanted.filter((t) => injectable.includes(t)) : [];
  const base = { hospitals, departments, physicians, population, clinical, profile, fromDay, toDay };
  return {
    seed: options.seed,
    schemeId: options.scheme.id,
    profile,
    from,
    to,
    stayCount: options.stays,
    hospitals,
    departments,
    physicians,
    population,
    clinical,
    injectableTypes: injectable,
    injectedTypes: injected,
    stays: () =>
      new StayStream({ ...base, seed: options.seed, stays: options.stays, rate, types: injected }).run(),
  };
}

interface StreamConfig {
  readonly seed: number | string;
  readonly stays: number;
  readonly rate: number;
  readonly types: readonly InjectedViolationType[];
  readonly hospitals: readonly Hospital[];
  readonly physicians: readonly Physician[];
  readonly population: Population;
  readonly clinical: ClinicalModel;
  readonly profile: RegionProfile;
  readonly fromDay: number;
  readonly toDay: number;
}

/** ADRG selection for a kind of case. */
type Selector = "any" | "adult" | "split" | "surgical" | "qyMedical" | "cheapMedical";

const SELECTOR_OF: Readonly<Record<InjectedViolationType, Selector>> = {
  split_admission: "adult",
  repeated_admission: "adult",
  upcoding_secondary: "split",
  upcoding_principal: "adult",
  downcoding_outlier: "surgical",
  qy_ambiguity: "qyMedical",
  low_indication: "cheapMedical",
  cost_shifting: "adult",
  tier_crossing: "adult",
};

interface Built {
  draft: StayDraft;
  group: GroupResult;
}

interface Injected {
  uploaded: Built[];
  honest: Built[];
  detail: Record<string, string | number | boolean | readonly string[]> & { description: string };
}

const LEVEL_ORDER: Readonly<Record<HospitalLevel, number>> = { "1": 1, "2": 2, "3": 3 };

class StayStream {
  private readonly rng: Rng;
  /** Draws of the detail charges, apart from `rng` so the lists are those of the stream without details. */
  private readonly detailRng: Rng;
  private readonly fmt = new DayFormatter();
  private readonly lastDscg: Int32Array;
  private readonly admYear: Int16Array;
  private readonly admCount: Uint8Array;
  private readonly hospitalDist: Weighted<Hospital>;
  private readonly dists = new Map<Hospital, Partial<Record<Selector, Weighted<AdrgModel>>>>();
  private readonly staff = new Map<string, Physician[]>();
  private readonly anaesthetists = new Map<string, Physician[]>();
  private readonly meanHospitalPropensity: number;
  private readonly cheapLimit: number;
  private newborns = 0;
  private serial = 0;
  private episode = 0;
  private cases = 0;

  constructor(private readonly c: StreamConfig) {
    this.rng = new Rng(c.seed, 2);
    this.detailRng = new Rng(c.seed, 5);
    const n = c.population.size;
    this.lastDscg = new Int32Array(n).fill(-1_000_000);
    this.admYear = new Int16Array(n);
    this.admCount = new Uint8Array(n);
    // Hospitals that treat nothing in this scheme (e.g. an eye hospital under a scheme without
    // MDC C) receive no cases.
    this.hospitalDist = new Weighted(
      c.hospitals,
      c.hospitals.map((h) => (this.dist(h, "any").size > 0 ? h.capacity : 0)),
    );
    let w = 0;
    let s = 0;
    for (const h of c.hospitals) {
      w += h.capacity;
      s += h.capacity * h.violationPropensity;
    }
    this.meanHospitalPropensity = s / w;
    for (const p of c.physicians) {
      const key = `${p.hospitalCode}|${p.departmentCode}`;
      let arr = this.staff.get(key);
      if (!arr) {
        arr = [];
        this.staff.set(key, arr);
      }
      arr.push(p);
      if (p.departmentCode === c.profile.anaesthesiaDepartment) {
        let an = this.anaesthetists.get(p.hospitalCode);
        if (!an) {
          an = [];
          this.anaesthetists.set(p.hospitalCode, an);
        }
        an.push(p);
      }
    }
    const costs = c.clinical.adrgs
      .filter((a) => a.kind === "medical" && !a.newborn)
      .map((a) => c.clinical.intendedDrg(a, 0).expectedCostFen)
      .sort((x, y) => x - y);
    this.cheapLimit = costs[Math.floor(costs.length * 0.35)] ?? Number.POSITIVE_INFINITY;
  }

  *run(): Generator<SynthStay, void, undefined> {
    const { fromDay, toDay, stays } = this.c;
    // Admissions from `from` to the day before `to`; every discharge is on or before `to`.
    const days = toDay - fromDay;
    const weights: number[] = [];
    let total = 0;
    for (let d = 0; d < days; d++) {
      const wd = weekday(fromDay + d);
      const w = wd === 5 ? 0.75 : wd === 6 ? 0.65 : 1.1;
      total += w;
      weights.push(total);
    }
    let produced = 0;
    for (let d = 0; d < days && produced < stays; d++) {
      const target = d === days - 1 ? stays : Math.round((stays * (weights[d] as number)) / total);
      while (produced < target) {
        const out = this.episodeAt(fromDay + d, stays - produced);
        for (const s of out) {
          yield s;
          produced++;
        }
      }
    }
  }

  // ---- choosing hospitals, cases and people -------------------------------------------------

  private dist(h: Hospital, selector: Selector): Weighted<AdrgModel> {
    let byHospital = this.dists.get(h);
    if (!byHospital) {
      byHospital = {};
      this.dists.set(h, byHospital);
    }
    let d = byHospital[selector];
    if (d) return d;
    const { clinical, profile } = this.c;
    const popByKind = { medical: 0, surgical: 0, procedure: 0 };
    for (const a of clinical.adrgs) popByKind[a.kind] += a.popularity;
    const items = clinical.adrgs.filter((a) => this.allowed(h, a) && this.selects(a, selector));
    d = new Weighted(
      items,
      items.map(
        (a) =>
          (a.popularity * profile.kindShares[a.kind] * profile.kindByLevel[h.level][a.kind]) /
          Math.max(1e-9, popByKind[a.kind]),
      ),
    );
    byHospital[selector] = d;
    return d;
  }

  private selects(a: AdrgModel, s: Selector): boolean {
    switch (s) {
      case "any":
        return true;
      case "adult":
        return !a.newborn;
      case "split":
        return (
          !a.newborn &&
          a.drgs.length > 1 &&
          a.drgs.some((d) => d.severity === 0) &&
          a.drgs.some((d) => d.severity > 0)
        );
      case "surgical":
        return !a.newborn && a.kind === "surgical";
      case "qyMedical":
        return !a.newborn && a.kind === "medical" && this.c.clinical.qyMdcs.has(a.mdc);
      case "cheapMedical":
        return (
          !a.newborn &&
          a.kind === "medical" &&
          this.c.clinical.intendedDrg(a, 0).expectedCostFen <= this.cheapLimit
        );
    }
  }

  private allowed(h: Hospital, a: AdrgModel): boolean {
    const p = this.c.profile;
    if (h.mdcs && !h.mdcs.includes(a.mdc)) return false;
    const min = p.mdcMinLevel[a.mdc];
    if (min && LEVEL_ORDER[h.level] < LEVEL_ORDER[min]) return false;
    const mapped = p.mdcDepartments[a.mdc];
    const want = a.kind === "medical" ? mapped?.medical : mapped?.surgical;
    if (want && h.departments.includes(want)) return true;
    if (a.newborn) return false;
    if (h.type === "中医") return true;
    if (p.sexSpecificMdcs[a.mdc] && h.level === "1")
      return a.kind === "medical" && h.departments.includes("A05");
    return h.level === "1" && a.kind === "medical";
  }

  private departmentFor(h: Hospital, a: AdrgModel): string {
    const p = this.c.profile;
    const medical = a.kind === "medical";
    const mapped = p.mdcDepartments[a.mdc];
    const candidates = [
      medical ? mapped?.medical : mapped?.surgical,
      h.type === "中医"
        ? (p.tcmDepartments.byMdc[a.mdc] ?? (medical ? p.tcmDepartments.medical : p.tcmDepartments.surgical))
        : undefined,
      p.sexSpecificMdcs[a.mdc]?.sex === "2" ? "A05" : undefined,
      medical ? p.fallbackDepartment.medical : p.fallbackDepartment.surgical,
      "A02",
    ];
    for (const c of candidates) if (c && h.departments.includes(c)) return c;
    return h.departments[0] as string;
  }

  private physicianFor(h: Hospital, dept: string): Physician {
    const list = this.staff.get(`${h.code}|${dept}`);
    if (list && list.length > 0) return this.rng.pick(list);
    return this.c.physicians.find((p) => p.hospitalCode === h.code) as Physician;
  }

  /** A person free (not in hospital, not recently discharged) from `day` to `until`. */
  private personFor(a: AdrgModel, day: number, until: number, planned = false): Person | null {
    const pop = this.c.population;
    const gap = planned ? 0 : this.c.profile.naturalReadmissionMinGapDays;
    const constraint = { sex: a.sex ?? undefined, minAge: a.minAge, maxAge: a.maxAge };
    for (let attempt = 0; attempt < 60; attempt++) {
      const id = attempt < 30 ? pop.sampleId(this.rng) : this.rng.int(pop.size);
      if ((this.lastDscg[id] as number) + gap >= day) continue;
      if (!pop.fits(id, constraint, day)) continue;
      return pop.person(id);
    }
    void until;
    return null;
  }

  private reserve(p: Person, dscgDay: number): void {
    if (p.id < this.c.population.size) this.lastDscg[p.id] = Math.max(this.lastDscg[p.id] as number, dscgDay);
  }

  /** Marks an admission and says whether it is the person's second or later in the year. */
  private countAdmission(p: Person, day: number): boolean {
    if (p.id >= this.c.population.size) return false;
    const year = this.fmt.year(day);
    if (this.admYear[p.id] !== year) {
      this.admYear[p.id] = year;
      this.admCount[p.id] = 0;
    }
    const n = this.admCount[p.id] as number;
    if (n < 255) this.admCount[p.id] = n + 1;
    return n > 0;
  }

  private severity(): 0 | 1 | 2 {
    const [a, b] = this.c.profile.severityShares;
    const u = this.rng.float();
    return u < a ? 0 : u < a + b ? 1 : 2;
  }

  // ---- building drafts ---------------------------------------------------------------------

  private facts(p: Person, day: number, c: ClinicalCase): PatientFacts {
    if (c.ageDays !== null)
      return { sex: p.sex, ageYears: 0, ageDays: c.ageDays, birthWeight: c.birthWeight };
    return { sex: p.sex, ageYears: ageInYears(p.birthDay, day), ageDays: null, birthWeight: null };
  }

  /** A clinical case for a person, grouped; retries the severity code when exclusions hide it. */
  private clinicalCase(
    a: AdrgModel,
    severity: 0 | 1 | 2,
    facts: (c: ClinicalCase) => PatientFacts,
    age: number,
  ) {
    const clinical = this.c.clinical;
    const n = age < 30 ? this.rng.int(2) : age < 60 ? this.rng.int(3) : this.rng.int(5);
    const c = clinical.buildCase(this.rng, a, severity, n);
    let f = facts(c);
    let g = clinical.group(c, f);
    for (let i = 0; i < 3 && g.drg !== c.intendedDrg.code && severity > 0 && g.adrg === a.code; i++) {
      clinical.reseverity(this.rng, c, severity as 1 | 2);
      f = facts(c);
      g = clinical.group(c, f);
    }
    return { c, f, g };
  }

  private losFor(drg: DrgModel, costFen: number, expectedFen: number): number {
    const p = this.c.profile;
    const los =
      drg.meanLos * (costFen / expectedFen) ** p.losCostElasticity * Math.exp(0.2 * this.rng.normal());
    return Math.max(1, Math.min(120, Math.round(los)));
  }

  /**
   * A regular episode's draft at `day`. Returns null when no suitable person is free.
   * `costFactor` (multiple of the regional expected cost) overrides the random cost.
   */
  private honest(
    day: number,
    h: Hospital,
    a: AdrgModel,
    severity: 0 | 1 | 2,
    opts: { costFactor?: number; mix?: FeeMixKind; los?: number; span?: number; person?: Person } = {},
  ): Built | null {
    const { profile } = this.c;
    if (day >= this.c.toDay) return null;
    let person = opts.person ?? null;
    let newbornBirth = -1;
    if (!person && a.newborn) {
      // Decide the newborn's age first, then create the person born that day.
      newbornBirth = day;
    } else if (!person) {
      person = this.personFor(a, day, day + (opts.span ?? 30));
      if (!person) return null;
    }
    let facts: PatientFacts;
    let built: { c: ClinicalCase; f: PatientFacts; g: GroupResult };
    if (newbornBirth >= 0) {
      const sex = a.sex ?? (this.rng.chance(0.52) ? "1" : "2");
      built = this.clinicalCase(
        a,
        severity,
        (c) => ({ sex, ageYears: 0, ageDays: c.ageDays, birthWeight: c.birthWeight }),
        0,
      );
      person = newbornPerson(
        profile,
        this.c.seed,
        this.newborns++,
        day - (built.c.ageDays ?? 0),
        this.c.population.size,
        sex,
      );
      facts = built.f;
    } else {
      const pp = person as Person;
      const age = ageInYears(pp.birthDay, day);
      built = this.clinicalCase(a, severity, (c) => this.facts(pp, day, c), age);
      facts = built.f;
    }
    const p = person as Person;
    const { c, g } = built;
    const drg = c.intendedDrg;
    const levelFactor = profile.levelCostFactor[h.level];
    const expected = Math.round(drg.expectedCostFen * levelFactor);
    const cost = Math.max(
      30_000,
      Math.round(
        opts.costFactor !== undefined
          ? drg.expectedCostFen * opts.costFactor
          : this.rng.lognormalMean(expected, profile.stayCostSigma),
      ),
    );
    const los = Math.min(this.c.toDay - day, opts.los ?? this.losFor(drg, cost, expected));
    const dept = this.departmentFor(h, a);
    const physician = this.physicianFor(h, dept);
    const anaesthetists = this.anaesthetists.get(h.code);
    const anaesthetist = a.kind === "surgical" && anaesthetists ? this.rng.pick(anaesthetists) : physician;
    const severe = g.drg === drg.code ? drg.severity === 2 : false;
    const icu =
      (severe && this.rng.chance(0.3)) || a.mdc === "A" ? Math.min(los * 24 - 2, this.rng.range(12, 240)) : 0;
    const draft: StayDraft = {
      hospital: h,
      departmentCode: dept,
      physician,
      anaesthetist,
      person: p,
      facts,
      diagnoses: c.diagnoses.slice(),
      procedures: c.procedures.slice(),
      trueDiagnoses: c.diagnoses,
      trueProcedures: c.procedures,
      intendedDrg: drg.code,
      expectedCostFen: expected,
      admDay: day,
      los,
      admMinute: this.rng.range(7 * 60, 21 * 60),
      dscgMinute: this.rng.range(8 * 60, 17 * 60),
      uploadLagDays: this.rng.int(8),
      items: feeItems(this.rng, profile, cost, los, opts.mix ?? a.kind, h),
      admWay: this.rng.chance(0.35) ? "1" : this.rng.chance(0.95) ? "2" : "3",
      dscgWay: this.dischargeWay(severe, g.drg === drg.code ? drg.severity : 0),
      readmissionPlanned: false,
      readmissionPurpose: "",
      plannedReadmission: false,
      icuHours: icu > 1 ? icu : 0,
      ventHours: icu > 24 && this.rng.chance(0.5) ? Math.floor(icu * 0.6) : 0,
      transfusionUnits: a.kind === "surgical" && this.rng.chance(0.12) ? this.rng.range(1, 6) : 0,
      repeatInYear: false,
      accountShare: Math.min(1, this.c.profile.benefit.accountPayShare * 2 * this.rng.float()),
      episode: this.episode,
      secondaryOnset: c.diagnoses.slice(1).map(() => (this.rng.chance(0.08) ? "4" : "1")),
    };
    return { draft, group: g };
  }

  /**
   * 离院方式: death at the mortality of the DRG's severity, else transfer (3%) or home. Severe stays
   * draw from the main stream as they always did; the rarer deaths of the others come from a
   * stateless hash of the episode, so that the rest of the region stays the same.
   */
  private dischargeWay(severe: boolean, severity: 0 | 1 | 2): string {
    const mortality = this.c.profile.mortalityBySeverity;
    if (severe && this.rng.chance(mortality[2])) return "5";
    const transfer = this.rng.chance(0.03);
    if (!severe && unitHash(`${this.c.seed}|${this.episode}`, DEATH_SALT) < mortality[severity]) return "5";
    return transfer ? "2" : "1";
  }

  private regroup(d: StayDraft): GroupResult {
    return this.c.clinical.group({ diagnoses: d.diagnoses, procedures: d.procedures }, d.facts, d.los);
  }

  private withCost(b: Built, costFen: number, mix: FeeMixKind): void {
    const d = b.draft;
    d.items = feeItems(this.rng, this.c.profile, costFen, d.los, mix, d.hospital);
  }

  // ---- one episode -------------------------------------------------------------------------

  private episodeAt(day: number, remaining: number): SynthStay[] {
    this.episode++;
    for (let attempt = 0; attempt < 20; attempt++) {
      const h = this.hospitalDist.sample(this.rng);
      const type = this.injectionType(h, remaining);
      if (type) {
        const inj = this.inject(type, day, h);
        if (inj) return this.emitInjected(type, inj);
        continue;
      }
      const a = this.dist(h, "any").sample(this.rng);
      const b = this.honest(day, h, a, this.severity());
      if (!b) continue;
      const out = [b];
      if (remaining >= 2 && !a.newborn && this.rng.chance(this.c.profile.plannedReadmissionRate)) {
        const second = this.plannedReadmission(b);
        if (second) out.push(second);
      }
      return out.map((x) => this.emit(x, null));
    }
    throw new Error("无法生成病例：参保人群过小或方案无可用分组");
  }

  private injectionType(h: Hospital, remaining: number): InjectedViolationType | null {
    const { rate, types } = this.c;
    if (rate <= 0 || types.length === 0) return null;
    const p = Math.min(1, (rate * h.violationPropensity) / this.meanHospitalPropensity);
    if (!this.rng.chance(p)) return null;
    const t = this.rng.pick(types);
    if ((t === "split_admission" || t === "repeated_admission") && remaining < 2) return null;
    return t;
  }

  private plannedReadmission(first: Built): Built | null {
    const d1 = first.draft;
    const gap = this.rng.range(7, 21);
    const day = d1.admDay + d1.los + gap;
    if (day + 10 > this.c.toDay) return null;
    const a = this.c.clinical.adrg(first.group.adrg ?? "");
    if (!a) return null;
    const second = this.honest(day, d1.hospital, a, this.severity(), { person: d1.person });
    if (!second) return null;
    d1.readmissionPlanned = true;
    d1.readmissionPurpose = this.rng.pick(["计划性化疗", "分期手术治疗", "计划复查及后续治疗"]);
    second.draft.plannedReadmission = true;
    return second;
  }

  private emit(b: Built, label: ViolationLabel | null, suffix = ""): SynthStay {
    const d = b.draft;
    d.repeatInYear = this.countAdmission(d.person, d.admDay);
    this.reserve(d.person, d.admDay + d.los);
    const serial = ++this.serial;
    const index = serial - 1;
    const { message, truth } = renderStay(
      d,
      { serial, suffix },
      this.c.clinical,
      this.c.profile,
      this.fmt,
      b.group,
      this.rng,
    );
    return { index, message, truth, label, ...this.detailsOf(d) };
  }

  /** 费用明细 and pre-admission outpatient spending of a draft (drawn with `detailRng`). */
  private detailsOf(d: StayDraft): { details: DetailLine[]; outpatientBeforeAdmission: number } {
    const rng = this.detailRng;
    const details = detailLines(
      rng,
      {
        items: d.items,
        diagnoses: d.trueDiagnoses,
        procedures: d.trueProcedures,
        admDay: d.admDay,
        los: d.los,
        oralOnly: d.oralOnly === true,
        ventilated: d.ventHours > 0,
        transfused: d.transfusionUnits > 0,
        shiftedOwnPay: d.shiftedOwnPay,
      },
      this.fmt,
      (c) => this.c.clinical.pxName(c),
    );
    // About 40% of inpatients were seen in outpatient care in the days before (挂号、检验、检查).
    const visit = rng.chance(0.4) ? Math.round(rng.lognormalMean(25_000, 0.6)) : 0;
    return { details, outpatientBeforeAdmission: visit + (d.outpatientShiftedFen ?? 0) };
  }

  private emitInjected(type: InjectedViolationType, inj: Injected): SynthStay[] {
    const caseId = `V${String(++this.cases).padStart(7, "0")}`;
    const firstSerial = this.serial + 1;
    const setlIds: string[] = [];
    const honest: HonestList[] = [];
    const label: ViolationLabel = { violation: type, caseId, setlIds, detail: inj.detail, honest };
    const out = inj.uploaded.map((b) => this.emit(b, label));
    for (const s of out) setlIds.push(s.message.input.setlinfo.setl_id);
    const repeat = inj.uploaded[0]?.draft.repeatInYear ?? false;
    for (const b of inj.honest) {
      b.draft.repeatInYear = repeat;
      const { message, truth } = renderStay(
        b.draft,
        { serial: firstSerial, suffix: "H" },
        this.c.clinical,
        this.c.profile,
        this.fmt,
        b.group,
        this.rng,
      );
      honest.push({ message, truth });
    }
    return out;
  }

  // ---- injections ----------------------------------------------------------------------------

  private inject(type: InjectedViolationType, day: number, h: Hospital): Injected | null {
    const dist = this.dist(h, SELECTOR_OF[type]);
    if (dist.size === 0) return null;
    for (let attempt = 0; attempt < 4; attempt++) {
      const a = dist.sample(this.rng);
      const r = this.injectOnce(type, day, h, a);
      if (r) return r;
    }
    return null;
  }

  private injectOnce(type: InjectedViolationType, day: number, h: Hospital, a: AdrgModel): Injected | null {
    const { clinical, profile } = this.c;
    const rng = this.rng;
    const name = VIOLATION_TYPE_NAMES[type];
    switch (type) {
      case "upcoding_secondary": {
        const b = this.honest(day, h, a, 0);
        if (b?.group.status !== "OK" || b.group.adrg !== a.code) return null;
        const honestDrg = clinical.drg(b.group.drg);
        for (let i = 0; i < 5; i++) {
          const level = a.drgs.some((d) => d.severity === 2) && rng.chance(0.4) ? 2 : 1;
          const added = (level === 2 ? clinical.mccPool : clinical.ccPool).sample(rng);
          if (b.draft.diagnoses.includes(added)) continue;
          const up = cloneBuilt(b);
          up.draft.diagnoses.push(added);
          up.draft.secondaryOnset.push("1");
          up.group = this.regroup(up.draft);
          const upDrg = clinical.drg(up.group.drg);
          if (
            up.group.status !== "OK" ||
            !upDrg ||
            !honestDrg ||
            upDrg.expectedCostFen <= honestDrg.expectedCostFen
          )
            continue;
          return {
            uploaded: [up],
            honest: [b],
            detail: {
              description: `${name}：无诊疗依据增加次要诊断 ${added}（${profileName(clinical, added)}），${b.group.drg} → ${up.group.drg}`,
              addedDiagnosis: added,
              level: level === 2 ? "MCC" : "CC",
              honestDrg: b.group.drg,
              uploadedDrg: up.group.drg,
            },
          };
        }
        return null;
      }
      case "upcoding_principal": {
        const b = this.honest(day, h, a, this.severity());
        if (b?.group.status !== "OK") return null;
        const honestDrg = clinical.drg(b.group.drg);
        if (!honestDrg) return null;
        const pdx = b.draft.diagnoses[0] as string;
        const near = new Set<string>(clinical.category(pdx));
        for (const other of clinical.adrgs) {
          if (other.mdc !== a.mdc || other.code === a.code || other.newborn) continue;
          for (const t of other.templates) for (const code of t.pdx.items.slice(0, 3)) near.add(code);
        }
        near.delete(pdx);
        const candidates = [...near].filter((c) => !clinical.isRestricted(c));
        let best: Built | null = null;
        let bestCost = honestDrg.expectedCostFen * 1.1;
        for (let i = 0; i < 16 && candidates.length > 0; i++) {
          const code = candidates.splice(rng.int(candidates.length), 1)[0] as string;
          if (b.draft.diagnoses.includes(code)) continue;
          const up = cloneBuilt(b);
          up.draft.diagnoses[0] = code;
          up.group = this.regroup(up.draft);
          const d = clinical.drg(up.group.drg);
          if (up.group.status === "OK" && d && d.expectedCostFen > bestCost) {
            best = up;
            bestCost = d.expectedCostFen;
          }
        }
        if (!best) return null;
        const swapped = best.draft.diagnoses[0] as string;
        return {
          uploaded: [best],
          honest: [b],
          detail: {
            description: `${name}：主要诊断 ${pdx}（${profileName(clinical, pdx)}）改填为更高权重的近似诊断 ${swapped}（${profileName(clinical, swapped)}），${b.group.drg} → ${best.group.drg}`,
            honestPrincipal: pdx,
            uploadedPrincipal: swapped,
            honestDrg: b.group.drg,
            uploadedDrg: best.group.drg,
          },
        };
      }
      case "downcoding_outlier": {
        const b = this.honest(day, h, a, this.severity());
        if (b?.group.status !== "OK" || b.draft.procedures.length === 0) return null;
        const up = cloneBuilt(b);
        up.draft.procedures = [];
        up.group = this.regroup(up.draft);
        const honestDrg = clinical.drg(b.group.drg);
        const upDrg = clinical.drg(up.group.drg);
        if (up.group.status !== "OK" || !honestDrg || !upDrg) return null;
        const cost = Math.round(upDrg.expectedCostFen * profile.outlier.highMax * (1.1 + 0.2 * rng.float()));
        if (cost >= honestDrg.expectedCostFen * profile.outlier.highMin * 0.9) return null;
        this.withCost(b, cost, a.kind);
        up.draft.items = b.draft.items;
        return {
          uploaded: [up],
          honest: [b],
          detail: {
            description: `${name}：费用较高的手术病例（${b.group.drg}）未填写手术操作，入低权重组 ${up.group.drg} 并达到高倍率`,
            droppedProcedures: b.draft.procedures,
            honestDrg: b.group.drg,
            uploadedDrg: up.group.drg,
            costToUploadedExpected: Number((cost / upDrg.expectedCostFen).toFixed(2)),
          },
        };
      }
      case "qy_ambiguity": {
        const drg = clinical.intendedDrg(a, 0);
        const b = this.honest(day, h, a, 0, { costFactor: 1.4 + 0.5 * rng.float() });
        if (b?.group.status !== "OK" || clinical.orProcedures.length === 0) return null;
        for (let i = 0; i < 12; i++) {
          const px = rng.pick(clinical.orProcedures);
          const up = cloneBuilt(b);
          up.draft.procedures = [px, ...b.draft.procedures.filter((p) => p !== px)];
          up.group = this.regroup(up.draft);
          if (up.group.status !== "AMBIGUOUS") continue;
          return {
            uploaded: [up],
            honest: [b],
            detail: {
              description: `${name}：费用较高的病例（${b.group.drg}）增加与主要诊断无关的手术 ${px}（${clinical.scheme.procedures.name(px) ?? px}），进入歧义组 ${up.group.drg}`,
              addedProcedure: px,
              honestDrg: b.group.drg,
              uploadedDrg: up.group.drg,
              costToExpected: Number((itemsTotal(b.draft.items) / drg.expectedCostFen).toFixed(2)),
            },
          };
        }
        return null;
      }
      case "low_indication": {
        const los = rng.range(1, 3);
        const b = this.honest(day, h, a, 0, {
          costFactor: 0.15 + 0.25 * rng.float(),
          mix: "lowIndication",
          los,
        });
        if (!b) return null;
        b.draft.procedures = b.draft.procedures.filter((p) => clinical.examProcedures.includes(p));
        b.draft.trueProcedures = b.draft.procedures;
        b.draft.oralOnly = true;
        b.draft.icuHours = 0;
        b.draft.ventHours = 0;
        b.group = this.regroup(b.draft);
        return {
          uploaded: [b],
          honest: [],
          detail: {
            description: `${name}：住院 ${los} 天，仅做检查检验并以口服药为主，可在门诊治疗`,
            los,
            categories: b.draft.items.map((i) => i.category),
          },
        };
      }
      case "cost_shifting": {
        const b = this.honest(day, h, a, this.severity());
        if (!b) return null;
        const up = cloneBuilt(b);
        if (rng.chance(0.5)) {
          let shifted = 0;
          const share = 0.3 + 0.3 * rng.float();
          const byCategory: Record<string, number> = {};
          up.draft.shiftedOwnPay = byCategory;
          up.draft.items = b.draft.items.map((i) => {
            if (i.category !== "08" && i.category !== "09" && i.category !== "03") return i;
            const moveB = Math.round(i.classBFen * share);
            const moveA = Math.round(i.classAFen * share * 0.5);
            shifted += moveA + moveB;
            byCategory[i.category] = moveA + moveB;
            return {
              ...i,
              classAFen: i.classAFen - moveA,
              classBFen: i.classBFen - moveB,
              ownPayFen: i.ownPayFen + moveA + moveB,
            };
          });
          if (shifted === 0) return null;
          return {
            uploaded: [up],
            honest: [b],
            detail: {
              description: `${name}：将医保目录内费用 ${(shifted / 100).toFixed(2)} 元改为患者全自费`,
              mode: "ownpay",
              shiftedFen: shifted,
            },
          };
        }
        let moved = 0;
        const share = 0.4 + 0.4 * rng.float();
        const kept: FeeItem[] = [];
        for (const i of b.draft.items) {
          if (i.category === "03" || i.category === "04") {
            const out = Math.round(i.amountFen * share);
            moved += out;
            if (i.amountFen - out > 0) kept.push(classify(rng, profile, i.category, i.amountFen - out));
          } else kept.push(i);
        }
        if (moved === 0) return null;
        up.draft.items = kept;
        up.draft.outpatientShiftedFen = moved;
        const daysBefore = rng.range(1, 3);
        return {
          uploaded: [up],
          honest: [b],
          detail: {
            description: `${name}：入院前 ${daysBefore} 天在门诊完成检查检验 ${(moved / 100).toFixed(2)} 元，未计入住院费用`,
            mode: "outpatient",
            outpatientFen: moved,
            outpatientDaysBeforeAdmission: daysBefore,
          },
        };
      }
      case "tier_crossing": {
        const drg = clinical.intendedDrg(a, this.severity());
        const high = rng.chance(0.7);
        const o = profile.outlier;
        const honestFactor = high
          ? o.highMin * (0.7 + 0.2 * rng.float())
          : o.low * (0.5 + 0.35 * rng.float());
        const upFactor = high ? o.highMax * (1.1 + 0.3 * rng.float()) : o.low * (1.3 + 0.5 * rng.float());
        const b = this.honest(day, h, a, drg.severity, { costFactor: honestFactor });
        if (b?.group.status !== "OK") return null;
        const ref = clinical.drg(b.group.drg) ?? drg;
        const target = Math.round(ref.expectedCostFen * upFactor);
        const extra = target - itemsTotal(b.draft.items);
        if (extra <= 0) return null;
        const up = cloneBuilt(b);
        const category = rng.pick(["05", "08", "09"]);
        up.draft.items = addCharge(rng, profile, b.draft.items, category, extra);
        return {
          uploaded: [up],
          honest: [b],
          detail: {
            description: `${name}：增加不合理收费 ${(extra / 100).toFixed(2)} 元，使病例${high ? "由正常倍率跃迁为高倍率" : "由低倍率跃迁为正常倍率"}`,
            tier: high ? "high" : "low",
            addedFen: extra,
            category,
          },
        };
      }
      case "split_admission":
        return this.splitAdmission(day, h, a);
      case "repeated_admission":
        return this.repeatedAdmission(day, h, a);
    }
  }

  private splitAdmission(day: number, h: Hospital, a: AdrgModel): Injected | null {
    const rng = this.rng;
    const [gMin, gMax] = this.c.profile.splitGapDays;
    const gap = rng.range(gMin, gMax);
    const b = this.honest(day, h, a, this.severity(), { span: 40 + gap });
    if (b?.group.status !== "OK") return null;
    const d = b.draft;
    if (d.los < 4) {
      d.los = rng.range(4, 9);
      this.withCost(b, itemsTotal(d.items), a.kind);
    }
    if (day + d.los + gap > this.c.toDay) return null;
    const total = itemsTotal(d.items);
    const k = rng.range(Math.max(1, Math.floor(d.los * 0.3)), Math.max(1, Math.floor(d.los * 0.6)));
    const p1 = cloneBuilt(b);
    const p2 = cloneBuilt(b);
    p1.draft.los = k;
    p2.draft.los = d.los - k;
    p2.draft.admDay = day + k + gap;
    const c1 = Math.round(total * (k / d.los) * (0.8 + 0.3 * rng.float()));
    const c2 = total - c1 + Math.round(total * (0.03 + 0.05 * rng.float()));
    const surgical = d.procedures.length > 0 && a.kind !== "medical";
    if (surgical) p1.draft.procedures = [];
    p1.draft.items = feeItems(
      rng,
      this.c.profile,
      Math.max(30_000, c1),
      p1.draft.los,
      surgical ? "medical" : a.kind,
      h,
    );
    p2.draft.items = feeItems(rng, this.c.profile, Math.max(30_000, c2), p2.draft.los, a.kind, h);
    p2.draft.facts = { ...p2.draft.facts, ageYears: ageInYears(d.person.birthDay, p2.draft.admDay) };
    p1.group = this.regroup(p1.draft);
    p2.group = this.regroup(p2.draft);
    return {
      uploaded: [p1, p2],
      honest: [b],
      detail: {
        description: `${name2("split_admission")}：一次住院（${d.los} 天）拆分为两次，出院 ${gap} 天后以同一疾病再次入院`,
        gapDays: gap,
        honestLos: d.los,
        honestDrg: b.group.drg,
        uploadedDrgs: [p1.group.drg, p2.group.drg],
      },
    };
  }

  private repeatedAdmission(day: number, h: Hospital, a: AdrgModel): Injected | null {
    const rng = this.rng;
    const [gMin, gMax] = this.c.profile.repeatGapDays;
    const gap = rng.range(gMin, gMax);
    const first = this.honest(day, h, a, this.severity(), { span: 40 + gap });
    if (first?.group.status !== "OK") return null;
    const d1 = first.draft;
    const day2 = day + d1.los + gap;
    const person = d1.person;
    let second: Built | null = null;
    const dist = this.dist(h, "adult");
    for (let i = 0; i < 8 && !second; i++) {
      const b = dist.sample(rng);
      if (b.code === a.code || (b.sex && b.sex !== person.sex)) continue;
      const age = ageInYears(person.birthDay, day2);
      if (age < b.minAge || age > b.maxAge) continue;
      const s = this.honest(day2, h, b, this.severity(), { person });
      // A different illness: another ADRG and another principal diagnosis category (类目).
      if (
        s &&
        s.group.status === "OK" &&
        s.group.adrg !== first.group.adrg &&
        (s.draft.diagnoses[0] as string).slice(0, 3) !== (d1.diagnoses[0] as string).slice(0, 3)
      )
        second = s;
    }
    if (!second || day2 + second.draft.los > this.c.toDay) return null;
    const d2 = second.draft;
    const merged = cloneBuilt(first);
    const md = merged.draft;
    md.diagnoses = [...new Set([...d1.diagnoses, ...d2.diagnoses])];
    md.trueDiagnoses = md.diagnoses;
    md.secondaryOnset = md.diagnoses.slice(1).map((_, i) => d1.secondaryOnset[i] ?? "1");
    md.procedures = [...new Set([...d1.procedures, ...d2.procedures])];
    md.trueProcedures = md.procedures;
    md.los = d1.los + d2.los;
    const cost = itemsTotal(d1.items) + Math.round(itemsTotal(d2.items) * 0.95);
    md.items = feeItems(
      rng,
      this.c.profile,
      cost,
      md.los,
      a.kind === "medical" ? (d2.items.some((i) => i.category === "06") ? "surgical" : "medical") : a.kind,
      h,
    );
    merged.group = this.regroup(md);
    return {
      uploaded: [first, second],
      honest: [merged],
      detail: {
        description: `${name2("repeated_admission")}：出院 ${gap} 天后以不同诊断再次入院，两次住院应合并计算`,
        gapDays: gap,
        firstDrg: first.group.drg,
        secondDrg: second.group.drg,
        honestDrg: merged.group.drg,
      },
    };
  }
}

function name2(t: InjectedViolationType): string {
  return VIOLATION_TYPE_NAMES[t];
}

function profileName(clinical: ClinicalModel, code: string): string {
  return clinical.scheme.diagnoses.name(code) ?? code;
}

function cloneBuilt(b: Built): Built {
  const d = b.draft;
  return {
    group: b.group,
    draft: {
      ...d,
      diagnoses: d.diagnoses.slice(),
      procedures: d.procedures.slice(),
      items: d.items.slice(),
      secondaryOnset: d.secondaryOnset.slice(),
    },
  };
}
