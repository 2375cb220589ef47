/** The stream of a region's stays: choosing hospitals, cases and people, drafting regular episodes, emitting lists. */

import type { GroupResult } from "@yibao/grouper";
import { ageInYears, DayFormatter, weekday } from "./calendar.js";
import type { AdrgModel, ClinicalCase, DrgModel, PatientFacts } from "./clinical.js";
import { type FeeMixKind, feeItems } from "./costs.js";
import { type DetailLine, detailLines } from "./details.js";
import type { Built, DraftingStream, HonestOptions, Injected, Selector, StreamConfig } from "./drafts.js";
import {
  injectCostShifting,
  injectDowncodingOutlier,
  injectLowIndication,
  injectQyAmbiguity,
  injectTierCrossing,
  injectUpcodingPrincipal,
  injectUpcodingSecondary,
} from "./injections.js";
import { renderStay, type StayDraft } from "./message.js";
import type { HospitalLevel } from "./profile.js";
import { Rng, unitHash, Weighted } from "./random.js";
import { plannedReadmission, repeatedAdmission, splitAdmission } from "./readmissions.js";
import { type Hospital, newbornPerson, type Person, type Physician } from "./region.js";
import type { HonestList, InjectedViolationType, SynthStay, ViolationLabel } from "./types.js";

/** Salt of the hash that decides the deaths of non-severe stays. */
const DEATH_SALT = 0xdea7;

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

const LEVEL_ORDER: Readonly<Record<HospitalLevel, number>> = { "1": 1, "2": 2, "3": 3 };

export class StayStream implements DraftingStream {
  readonly rng: Rng;
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

  constructor(readonly c: StreamConfig) {
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

  dist(h: Hospital, selector: Selector): Weighted<AdrgModel> {
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

  severity(): 0 | 1 | 2 {
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
  honest(
    day: number,
    h: Hospital,
    a: AdrgModel,
    severity: 0 | 1 | 2,
    opts: HonestOptions = {},
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

  regroup(d: StayDraft): GroupResult {
    return this.c.clinical.group({ diagnoses: d.diagnoses, procedures: d.procedures }, d.facts, d.los);
  }

  withCost(b: Built, costFen: number, mix: FeeMixKind): void {
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
        const second = plannedReadmission(this, b);
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
    switch (type) {
      case "upcoding_secondary":
        return injectUpcodingSecondary(this, day, h, a);
      case "upcoding_principal":
        return injectUpcodingPrincipal(this, day, h, a);
      case "downcoding_outlier":
        return injectDowncodingOutlier(this, day, h, a);
      case "qy_ambiguity":
        return injectQyAmbiguity(this, day, h, a);
      case "low_indication":
        return injectLowIndication(this, day, h, a);
      case "cost_shifting":
        return injectCostShifting(this, day, h, a);
      case "tier_crossing":
        return injectTierCrossing(this, day, h, a);
      case "split_admission":
        return splitAdmission(this, day, h, a);
      case "repeated_admission":
        return repeatedAdmission(this, day, h, a);
    }
  }
}
