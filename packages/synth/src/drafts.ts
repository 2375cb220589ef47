/**
 * The drafting vocabulary shared by the stay stream (`stream.ts`), the injections (`injections.ts`)
 * and the readmission episodes (`readmissions.ts`): a built stay, an injected case, the part of the
 * stream they draw with, and small helpers.
 */

import type { GroupResult } from "@yibao/grouper";
import { VIOLATION_TYPE_NAMES } from "@yibao/kernel/enums";
import type { AdrgModel, ClinicalModel } from "./clinical.js";
import type { FeeMixKind } from "./costs.js";
import type { StayDraft } from "./message.js";
import type { RegionProfile } from "./profile.js";
import type { Rng, Weighted } from "./random.js";
import type { Hospital, Person, Physician, Population } from "./region.js";
import type { InjectedViolationType } from "./types.js";

export interface StreamConfig {
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
export type Selector = "any" | "adult" | "split" | "surgical" | "qyMedical" | "cheapMedical";

export interface Built {
  draft: StayDraft;
  group: GroupResult;
}

export interface Injected {
  uploaded: Built[];
  honest: Built[];
  detail: Record<string, string | number | boolean | readonly string[]> & { description: string };
}

/** Overrides of a regular episode's draft (`StayStream.honest`). */
export interface HonestOptions {
  costFactor?: number;
  mix?: FeeMixKind;
  los?: number;
  span?: number;
  person?: Person;
}

/** What the injections and readmission episodes use of the stay stream. */
export interface DraftingStream {
  readonly c: StreamConfig;
  readonly rng: Rng;
  dist(h: Hospital, selector: Selector): Weighted<AdrgModel>;
  severity(): 0 | 1 | 2;
  honest(day: number, h: Hospital, a: AdrgModel, severity: 0 | 1 | 2, opts?: HonestOptions): Built | null;
  regroup(d: StayDraft): GroupResult;
  withCost(b: Built, costFen: number, mix: FeeMixKind): void;
}

export function name2(t: InjectedViolationType): string {
  return VIOLATION_TYPE_NAMES[t];
}

export function profileName(clinical: ClinicalModel, code: string): string {
  return clinical.scheme.diagnoses.name(code) ?? code;
}

export function cloneBuilt(b: Built): Built {
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
