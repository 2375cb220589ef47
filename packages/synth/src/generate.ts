/**
 * 合成地区 (synthetic region): `generateRegion` builds the region's fixed parts and returns a
 * generator of settlement lists that streams any number of stays in constant memory, roughly in
 * order of admission, with labelled irregular cases injected at a given rate.
 */

import type { DrgScheme } from "@yibao/grouper";
import { parseDay } from "./calendar.js";
import { ClinicalModel } from "./clinical.js";
import { DEFAULT_PROFILE, type RegionProfile } from "./profile.js";
import { buildFacilities, type Department, type Hospital, type Physician, Population } from "./region.js";
import { StayStream } from "./stream.js";
import { INJECTED_VIOLATION_TYPES, type InjectedViolationType, type SynthStay } from "./types.js";

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
