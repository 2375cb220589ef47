/**
 * Clinical content from the scheme (病例临床内容): which ADRGs and DRGs exist, what a record must
 * look like to land in each (derived from the MDC's and ADRG's `when` predicates), the region's
 * common codes per ADRG, CC/MCC and comorbidity pools, and the expected cost of every DRG.
 */
import { type DrgScheme, type GroupingRecord, type GroupResult, groupRecord } from "@yibao/grouper";
import { DEFAULT_QC_RULES, refusedAsPrincipal } from "@yibao/settlement";
import { diagnosisPools, procedurePools, restrictedDiagnoses } from "./clinical-pools.js";
import {
  drgSeverity,
  expand,
  kindOf,
  MAX_VARIANTS,
  merge,
  type Requirement,
} from "./clinical-requirements.js";
import type { CaseKind, RegionProfile } from "./profile.js";
import { hash32, Rng, Weighted } from "./random.js";
import { deterministicSample, normalFromHash } from "./sampling.js";

export { deterministicSample } from "./sampling.js";

/** A DRG as the generator models it. */
export interface DrgModel {
  readonly code: string;
  readonly name: string;
  readonly adrg: string;
  readonly mdc: string;
  /** Severity the DRG's condition requires (2 MCC, 1 CC/MCC, 0 none). */
  readonly severity: 0 | 1 | 2;
  /** Expected (regional mean) cost of a stay in this group, in fen, at the reference level (二级). */
  readonly expectedCostFen: number;
  /** Mean length of stay in days. */
  readonly meanLos: number;
}

/** One verified way to build a record for an ADRG. */
interface CaseTemplate {
  readonly req: Requirement;
  readonly pdx: Weighted<string>;
  readonly ppx: Weighted<string> | null;
  readonly anyPx: readonly (readonly [string, readonly string[]])[];
  readonly anyDx: readonly (readonly [string, readonly string[]])[];
}

/** 核心疾病诊断相关组 as the generator models it. */
export interface AdrgModel {
  readonly code: string;
  readonly name: string;
  readonly mdc: string;
  readonly kind: CaseKind;
  readonly drgs: readonly DrgModel[];
  /** Relative frequency in the region (before hospital adjustments). */
  readonly popularity: number;
  /** True when the case needs a newborn (age 0, ageDays, birth weight). */
  readonly newborn: boolean;
  readonly sex: "1" | "2" | null;
  readonly minAge: number;
  readonly maxAge: number;
  /** @internal verified templates. */
  readonly templates: readonly CaseTemplate[];
}

/** The clinical codes of one case, before it becomes a list. */
export interface ClinicalCase {
  readonly adrg: AdrgModel;
  /** The DRG the case is meant to land in (目标 DRG). */
  readonly intendedDrg: DrgModel;
  readonly diagnoses: string[];
  readonly procedures: string[];
  /** Newborn details (age in days, birth weight in grams) or null. */
  readonly ageDays: number | null;
  readonly birthWeight: number | null;
}

/** Patient facts the grouper needs. */
export interface PatientFacts {
  readonly sex: "1" | "2";
  readonly ageYears: number;
  readonly ageDays: number | null;
  readonly birthWeight: number | null;
}

/** Whether intake QC refuses a code as principal diagnosis: the generator codes as a hospital that passes. */
const refused = refusedAsPrincipal(DEFAULT_QC_RULES);

/** The scheme-derived clinical model of a region. */
export class ClinicalModel {
  readonly adrgs: readonly AdrgModel[];
  readonly unreachableAdrgs: readonly string[];
  private readonly drgByCode = new Map<string, DrgModel>();
  private readonly adrgByCode = new Map<string, AdrgModel>();
  private readonly listSets = new Map<string, Set<string>>();
  readonly ccPool: Weighted<string>;
  readonly mccPool: Weighted<string>;
  readonly comorbidityPool: Weighted<string>;
  readonly examProcedures: readonly string[];
  /** OR procedures (有效手术操作) present in the dictionary, for QY injection. */
  readonly orProcedures: readonly string[];
  /** MDC letters whose MDC checks ambiguous (QY) cases. */
  readonly qyMdcs: ReadonlySet<string>;
  /** Principal diagnoses of sex-specific and newborn MDCs: never used elsewhere. */
  private readonly restrictedDx: ReadonlySet<string>;
  /** Diagnoses by 3-character category (类目), for near-code swaps. */
  private readonly byCategory = new Map<string, string[]>();

  constructor(
    readonly scheme: DrgScheme,
    readonly profile: RegionProfile,
  ) {
    const { restrictedDx, generalPdxLists } = restrictedDiagnoses(scheme, profile);
    this.restrictedDx = restrictedDx;
    const pools = diagnosisPools(scheme, profile, restrictedDx);
    this.ccPool = pools.ccPool;
    this.mccPool = pools.mccPool;
    this.comorbidityPool = pools.comorbidityPool;
    for (const code of scheme.diagnoses.codes()) {
      const cat = code.slice(0, 3);
      let arr = this.byCategory.get(cat);
      if (!arr) {
        arr = [];
        this.byCategory.set(cat, arr);
      }
      arr.push(code);
    }

    const procedures = procedurePools(scheme, profile);
    this.examProcedures = procedures.examProcedures;
    this.orProcedures = procedures.orProcedures;
    this.qyMdcs = new Set(scheme.mdcs.filter((m) => m.hasQy).map((m) => m.code));

    const { adrgs, unreachable } = this.buildAdrgs(generalPdxLists);
    this.adrgs = adrgs;
    this.unreachableAdrgs = unreachable;
  }

  /** The ADRG and DRG models (expected costs, stays, popularity) with their verified case templates. */
  private buildAdrgs(generalPdxLists: readonly string[]): { adrgs: AdrgModel[]; unreachable: string[] } {
    const { scheme, profile } = this;
    const salt = profile.calibrationSalt;
    const src = scheme.source;
    const mdcWhen = new Map(src.mdcs.map((m) => [m.code, m.when]));
    const drgSrc = new Map(src.drgs.map((d) => [d.code, d]));
    const adrgs: AdrgModel[] = [];
    const unreachable: string[] = [];
    for (const a of src.adrgs) {
      const kind = kindOf(a.code, a.when);
      const mdc = a.mdc;
      const adrgFactor = Math.exp(profile.adrgCostSigma * normalFromHash(`${a.code}`, salt));
      const base = profile.baseCostFen[kind] * (profile.mdcCostFactor[mdc] ?? 1) * adrgFactor;
      const single = a.drgs.length === 1;
      const drgs: DrgModel[] = a.drgs.map((code) => {
        const d = drgSrc.get(code);
        const severity = d ? drgSeverity(d.when) : 0;
        const factor = single
          ? (profile.severityCostFactor[3] as number)
          : (profile.severityCostFactor[severity] as number);
        const expectedCostFen = Math.round(base * factor);
        const los =
          profile.baseLosDays[kind] *
          (profile.mdcCostFactor[mdc] ?? 1) ** 0.3 *
          (single ? 1.05 : 1 + 0.25 * severity);
        const m: DrgModel = {
          code,
          name: d?.name ?? code,
          adrg: a.code,
          mdc,
          severity,
          expectedCostFen,
          meanLos: Math.max(2, los * adrgFactor ** 0.3),
        };
        this.drgByCode.set(code, m);
        return m;
      });
      const sexSpec = profile.sexSpecificMdcs[mdc];
      const variants: Requirement[] = [];
      for (const m of expand(mdcWhen.get(mdc) ?? { always: true }))
        for (const v of expand(a.when)) if (variants.length < MAX_VARIANTS) variants.push(merge(m, v));
      const newborn =
        profile.newbornMdcs.includes(mdc) ||
        variants.some((v) => v.ageYears?.eq === 0 || v.ageDays !== undefined);
      const sex = variants[0]?.sex ?? sexSpec?.sex ?? null;
      const model: AdrgModel = {
        code: a.code,
        name: a.name ?? scheme.adrg(a.code)?.name ?? a.code,
        mdc,
        kind,
        drgs,
        popularity:
          (profile.mdcWeights[mdc] ?? 0.5) *
          Math.exp(profile.adrgPopularitySigma * normalFromHash(`pop:${a.code}`, salt)),
        newborn,
        sex,
        minAge: newborn ? 0 : (sexSpec?.minAge ?? 1),
        // One year of margin: later lists of the same person (readmissions) stay within the range.
        maxAge: newborn ? 0 : (sexSpec?.maxAge ?? 96) - 1,
        templates: [],
      };
      const templates = variants
        .map((v) => this.verifyTemplate(model, v, generalPdxLists))
        .filter((t): t is CaseTemplate => t !== null);
      if (templates.length === 0) {
        unreachable.push(a.code);
        continue;
      }
      const full = { ...model, templates };
      adrgs.push(full);
      this.adrgByCode.set(a.code, full);
    }
    return { adrgs, unreachable };
  }

  drg(code: string): DrgModel | undefined {
    return this.drgByCode.get(code);
  }

  adrg(code: string): AdrgModel | undefined {
    return this.adrgByCode.get(code);
  }

  private readonly dxNames = new Map<string, string>();
  private readonly pxNames = new Map<string, string>();

  /** Diagnosis name (诊断名称), cached: the region uses a small share of the dictionary. */
  dxName(code: string): string {
    let n = this.dxNames.get(code);
    if (n === undefined) {
      n = this.scheme.diagnoses.name(code) ?? code;
      this.dxNames.set(code, n);
    }
    return n;
  }

  /** Procedure name (手术操作名称), cached. */
  pxName(code: string): string {
    let n = this.pxNames.get(code);
    if (n === undefined) {
      n = this.scheme.procedures.name(code) ?? code;
      this.pxNames.set(code, n);
    }
    return n;
  }

  /** Whether a diagnosis is a principal diagnosis of a sex-specific or newborn MDC. */
  isRestricted(code: string): boolean {
    return this.restrictedDx.has(code);
  }

  /** Codes of the same 3-character category (类目). */
  category(code: string): readonly string[] {
    return this.byCategory.get(code.slice(0, 3)) ?? [];
  }

  listSet(name: string): Set<string> {
    let s = this.listSets.get(name);
    if (!s) {
      s = new Set(this.scheme.source.lists[name] ?? []);
      this.listSets.set(name, s);
    }
    return s;
  }

  private pool(names: readonly string[], dict: "dx" | "px", tag: string, limit: number): string[] {
    if (names.length === 0) return [];
    const sets = names.map((n) => this.listSet(n)).sort((x, y) => x.size - y.size);
    const [first, ...rest] = sets as [Set<string>, ...Set<string>[]];
    const d = dict === "dx" ? this.scheme.diagnoses : this.scheme.procedures;
    const all: string[] = [];
    for (const c of first) if (d.has(c) && rest.every((s) => s.has(c))) all.push(c);
    return deterministicSample(all, limit, hash32(tag, this.profile.calibrationSalt));
  }

  private verifyTemplate(
    adrg: AdrgModel,
    req: Requirement,
    generalPdxLists: readonly string[],
  ): CaseTemplate | null {
    const k = this.profile.codesPerAdrg;
    const tag = `${adrg.code}:${JSON.stringify(req)}`;
    const restrictedPdx = req.pdxLists.length === 0;
    const pdxCandidates = restrictedPdx
      ? deterministicSample(
          generalPdxLists.flatMap((l) => this.pool([l], "dx", `${tag}:${l}`, 4)),
          k * 4,
          hash32(tag, 11),
        )
      : this.pool(req.pdxLists, "dx", `${tag}:pdx`, k * 4);
    // Code as a hospital whose lists pass intake QC: no code refused as principal diagnosis.
    for (let i = pdxCandidates.length - 1; i >= 0; i--)
      if (refused(pdxCandidates[i] as string)) pdxCandidates.splice(i, 1);
    if (!adrg.newborn && adrg.sex === null) {
      // Keep sex-neutral codes: a code shared with MDC M/N/O would need a particular sex.
      for (let i = pdxCandidates.length - 1; i >= 0; i--)
        if (this.restrictedDx.has(pdxCandidates[i] as string)) pdxCandidates.splice(i, 1);
    }
    const ppxCandidates = this.pool(req.ppxLists, "px", `${tag}:ppx`, k * 2);
    if (pdxCandidates.length === 0 || (req.ppxLists.length > 0 && ppxCandidates.length === 0)) return null;
    const anyPx = req.anyPxLists.map((l) => [l, this.pool([l], "px", `${tag}:${l}`, 8)] as const);
    const anyDx = req.anyDxLists.map((l) => [l, this.pool([l], "dx", `${tag}:${l}`, 8)] as const);
    if (anyPx.some(([, p]) => p.length === 0) || anyDx.some(([, p]) => p.length === 0)) return null;
    const template: CaseTemplate = {
      req,
      pdx: new Weighted(
        pdxCandidates,
        pdxCandidates.map(() => 1),
      ),
      ppx:
        ppxCandidates.length > 0
          ? new Weighted(
              ppxCandidates,
              ppxCandidates.map(() => 1),
            )
          : null,
      anyPx,
      anyDx,
    };
    // Keep the principal diagnoses (and procedures) that really group into this ADRG.
    const rng = new Rng(hash32(tag, 12));
    const facts = this.referenceFacts(adrg, req);
    const goodPdx: string[] = [];
    for (const pdx of pdxCandidates) {
      if (goodPdx.length >= k) break;
      const c = this.assemble(rng, { ...adrg, templates: [template] }, template, pdx, null, 0);
      if (c && this.group(c, facts).adrg === adrg.code) goodPdx.push(pdx);
    }
    if (goodPdx.length === 0) return null;
    let goodPpx: string[] = [];
    if (template.ppx) {
      for (const ppx of ppxCandidates) {
        if (goodPpx.length >= Math.ceil(k / 2)) break;
        const c = this.assemble(
          rng,
          { ...adrg, templates: [template] },
          template,
          goodPdx[0] as string,
          ppx,
          0,
        );
        if (c && this.group(c, facts).adrg === adrg.code) goodPpx.push(ppx);
      }
      if (goodPpx.length === 0) return null;
    } else goodPpx = [];
    // Zipf-like frequencies: a few codes dominate each group, as in real data.
    const zipf = (n: number) => Array.from({ length: n }, (_, i) => 1 / (i + 1));
    return {
      req,
      pdx: new Weighted(goodPdx, zipf(goodPdx.length)),
      ppx: goodPpx.length > 0 ? new Weighted(goodPpx, zipf(goodPpx.length)) : null,
      anyPx,
      anyDx,
    };
  }

  /** Sex, age and newborn facts used when verifying templates. */
  referenceFacts(adrg: AdrgModel, req?: Requirement): PatientFacts {
    const sex = req?.sex ?? adrg.sex ?? "1";
    if (adrg.newborn) {
      return { sex, ageYears: 0, ageDays: 3, birthWeight: this.birthWeightFor(req, null) };
    }
    return {
      sex,
      ageYears: Math.min(adrg.maxAge, Math.max(adrg.minAge, 45)),
      ageDays: null,
      birthWeight: null,
    };
  }

  /** A birth weight (g) within the template's range, or a typical one. */
  birthWeightFor(req: Requirement | undefined, rng: Rng | null): number {
    const r = req?.birthWeight;
    // Never below 500 g: a range open at the bottom ("below 1500 g") still means a live newborn.
    const lo = Math.max(500, r?.min ?? (r?.below !== undefined ? r.below - 1000 : 2500));
    const hi = Math.max(
      lo,
      r?.below !== undefined ? r.below - 1 : r?.min !== undefined ? Math.max(lo + 1500, 4000) : 4200,
    );
    const u = rng ? rng.float() : 0.5;
    return Math.round(lo + u * (hi - lo));
  }

  /** Builds a record's codes for a template (without grouping). */
  private assemble(
    rng: Rng,
    adrg: AdrgModel,
    t: CaseTemplate,
    pdx: string,
    ppx: string | null,
    severity: 0 | 1 | 2,
  ): { diagnoses: string[]; procedures: string[] } | null {
    const diagnoses = [pdx];
    const procedures: string[] = [];
    const principal = ppx ?? (t.ppx ? t.ppx.sample(rng) : null);
    if (principal) procedures.push(principal);
    for (const [list, pool] of t.anyPx) {
      const set = this.listSet(list);
      if (!procedures.some((p) => set.has(p))) procedures.push(rng.pick(pool));
    }
    for (const [list, pool] of t.anyDx) {
      const set = this.listSet(list);
      if (!diagnoses.some((d) => set.has(d))) diagnoses.push(rng.pick(pool));
    }
    const multi = t.req.regions ?? t.req.trauma;
    if (multi) {
      const chosen = deterministicSample([...multi.lists], multi.min, rng.u32());
      for (const l of chosen) {
        const pool = this.pool([l], "dx", `${adrg.code}:${l}`, 6);
        const set = this.listSet(l);
        if (pool.length === 0) return null;
        if (t.req.regions && diagnoses.some((d) => set.has(d))) continue;
        diagnoses.push(rng.pick(pool));
      }
    }
    if (severity === 2) diagnoses.push(this.mccPool.sample(rng));
    else if (severity === 1) diagnoses.push(this.ccPool.sample(rng));
    return { diagnoses: dedupe(diagnoses), procedures: dedupe(procedures) };
  }

  /** Groups codes with patient facts. */
  group(
    codes: { diagnoses: readonly string[]; procedures: readonly string[] },
    f: PatientFacts,
    los = 7,
  ): GroupResult {
    const record: GroupingRecord = {
      id: "synth",
      sex: f.sex,
      ageYears: f.ageYears,
      ageDays: f.ageDays,
      birthWeight: f.birthWeight,
      dept: "",
      los,
      dischargeWay: "1",
      diagnoses: codes.diagnoses,
      procedures: codes.procedures,
    };
    return groupRecord(this.scheme, record);
  }

  /** The DRG a case of the given severity (0 none, 1 CC, 2 MCC) is meant to land in. */
  intendedDrg(adrg: AdrgModel, severity: 0 | 1 | 2): DrgModel {
    for (const d of adrg.drgs) if (d.severity <= severity) return d;
    return adrg.drgs[adrg.drgs.length - 1] as DrgModel;
  }

  /** Newborn ageDays/birthWeight for a case of this ADRG. */
  newbornFacts(adrg: AdrgModel, rng: Rng, template?: CaseTemplate): { ageDays: number; birthWeight: number } {
    const req = template?.req ?? adrg.templates[0]?.req;
    const maxDays = Math.min(28, req?.ageDays?.max ?? 28);
    return { ageDays: rng.range(0, maxDays), birthWeight: this.birthWeightFor(req, rng) };
  }

  /**
   * Builds the clinical codes of one case of `adrg` at the given severity, with `comorbidities`
   * plain secondary diagnoses. Grouping is left to the caller, who knows the patient.
   */
  buildCase(rng: Rng, adrg: AdrgModel, severity: 0 | 1 | 2, comorbidities: number): ClinicalCase {
    const t = rng.pick(adrg.templates);
    const pdx = t.pdx.sample(rng);
    let codes = this.assemble(rng, adrg, t, pdx, null, severity);
    if (!codes) codes = { diagnoses: [pdx], procedures: t.ppx ? [t.ppx.sample(rng)] : [] };
    for (let i = 0; i < comorbidities; i++) codes.diagnoses.push(this.comorbidityPool.sample(rng));
    if (
      adrg.kind === "medical" &&
      this.examProcedures.length > 0 &&
      codes.procedures.length === 0 &&
      rng.chance(0.3)
    ) {
      codes.procedures.push(rng.pick(this.examProcedures));
    }
    const nb = adrg.newborn ? this.newbornFacts(adrg, rng, t) : null;
    return {
      adrg,
      intendedDrg: this.intendedDrg(adrg, severity),
      diagnoses: dedupe(codes.diagnoses),
      procedures: dedupe(codes.procedures),
      ageDays: nb ? nb.ageDays : null,
      birthWeight: nb ? nb.birthWeight : null,
    };
  }

  /** Replaces the severity-carrying secondary diagnosis with a fresh one of the same level. */
  reseverity(rng: Rng, c: ClinicalCase, severity: 1 | 2): void {
    const pool = severity === 2 ? this.mccPool : this.ccPool;
    const level = severity === 2 ? "MCC" : "CC";
    const i = c.diagnoses.findIndex((d, j) => j > 0 && this.scheme.ccLevel(d) === level);
    const code = pool.sample(rng);
    if (c.diagnoses.includes(code)) return;
    if (i > 0) c.diagnoses[i] = code;
    else c.diagnoses.push(code);
  }
}

function dedupe(codes: string[]): string[] {
  const out: string[] = [];
  for (const c of codes) if (!out.includes(c)) out.push(c);
  return out;
}
