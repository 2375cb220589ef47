import { type DrgScheme, groupRecord } from "@yibao/grouper";
import { DEMO_SCHEME_DIR, loadSchemeDir } from "@yibao/grouper/load";
import { parseDrgWeightTable, parsePaymentPolicy } from "@yibao/payment/policy";
import { createSettlementContext } from "@yibao/payment/settle";
import type { AuditContext } from "../src/context.js";
import { STARTER_KNOWLEDGE_BASE } from "../src/data/starter-knowledge.js";
import { STARTER_RULE_BASE } from "../src/data/starter-rules.js";
import type { AuditStay, FeeCategory } from "../src/model.js";
import type { DrgNorm, GroupNorms } from "../src/norms.js";
import type { RuleCheck } from "../src/rules.js";

export const scheme: DrgScheme = await loadSchemeDir(DEMO_SCHEME_DIR);

/** The fund-loss worked examples (`examples/seed-002`): rate 8811 yuan, weights as the examples quote them. */
const WEIGHTS: Record<string, [string, number]> = {
  ES33: ["0.89", 784179],
  ES35: ["0.52", 458172],
  BR23: ["1.25", 1101375],
  BR25: ["0.97", 854667],
  HC25: ["1.26", 1110186],
  HU15: ["0.64", 563904],
  KD15: ["1.26", 1110186],
  DA15: ["2.08", 1832688],
};

/**
 * The payment policy of the seed-002 worked examples (rate 8811 yuan; high outliers from 3× paid by
 * items, low outliers under 0.4× at cost; QY at 80%), under `id`, with `over` merged in.
 */
export function examplePolicy(id: string, over: Record<string, unknown> = {}) {
  return parsePaymentPolicy({
    id,
    version: "1",
    effectiveFrom: "2020-01-01",
    method: "rate",
    rate: "8811",
    outliers: {
      high: { bands: [{ maxRw: null, multiple: "3" }], payment: { method: "items", ratio: "1" } },
      low: { multiple: "0.4", payment: { method: "actualCost" } },
    },
    ambiguous: { qyShare: "80%" },
    ...over,
  });
}

/** The context with the rules of one kind given other parameters (or turned off with `null`). */
export function withCheck(
  ctx: AuditContext,
  kind: RuleCheck["kind"],
  check: Partial<RuleCheck> | null,
): AuditContext {
  return {
    ...ctx,
    rules: {
      ...ctx.rules,
      rules: ctx.rules.rules.map((r) =>
        r.check.kind !== kind
          ? r
          : check === null
            ? { ...r, enabled: false }
            : { ...r, check: { ...r.check, ...check } as RuleCheck },
      ),
    },
  };
}

export function norm(
  drg: string,
  meanCost: number,
  shares: Record<string, number> = {},
  cases = 100,
): DrgNorm {
  return {
    drg,
    cases,
    meanCost,
    meanLos: 7,
    categoryShare: new Map(Object.entries(shares)),
    ownPayShare: 0.05,
  };
}

export function context(
  over: Partial<GroupNorms> = {},
  policyOver: Record<string, unknown> = {},
): AuditContext {
  const policy = examplePolicy("seed-002", {
    // The examples quote these two standards in yuan rather than as weight × rate.
    drgStandards: { HC25: "11102.39", BR25: "10159.74" },
    ...policyOver,
  });
  const weights = parseDrgWeightTable({
    id: "seed-002-weights",
    version: "1",
    effectiveFrom: "2020-01-01",
    entries: Object.entries(WEIGHTS).map(([drg, [rw, avg]]) => ({
      drg,
      rw,
      avgCost: (avg / 100).toFixed(2),
    })),
  });
  const settlement = createSettlementContext({
    policies: [{ policy, weights }],
    hospitals: [
      { id: "H1", level: "3" },
      { id: "H2", level: "3" },
    ],
  });
  const drgs = new Map<string, DrgNorm>(Object.entries(WEIGHTS).map(([d, [, avg]]) => [d, norm(d, avg)]));
  return {
    scheme,
    rules: STARTER_RULE_BASE,
    knowledge: STARTER_KNOWLEDGE_BASE,
    settlement,
    norms: {
      drgs,
      principalsByAdrg: new Map(),
      procedureByPrincipal: new Map(),
      adrgsByMdc: new Map(),
      ...over,
    },
  };
}

let serial = 0;

export function fees(parts: Record<string, number>): FeeCategory[] {
  return Object.entries(parts).map(([category, amount]) => ({ category, amount }));
}

/** A hand-made stay, grouped with the demo scheme. Money in fen. */
export function stay(p: {
  diagnoses: string[];
  procedures?: string[];
  cost: number;
  patientShare?: number;
  fees?: Record<string, number>;
  los?: number;
  adm?: number;
  person?: string;
  hospital?: string;
  sex?: "1" | "2";
  age?: number;
  planned?: boolean;
  id?: string;
}): AuditStay {
  const id = p.id ?? `S${++serial}`;
  const los = p.los ?? 7;
  const adm = p.adm ?? 19_500;
  const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
  const record = {
    id,
    sex: p.sex ?? "1",
    ageYears: p.age ?? 50,
    ageDays: null,
    birthWeight: null,
    dept: "A03",
    los,
    dischargeWay: "1",
    diagnoses: p.diagnoses,
    procedures: p.procedures ?? [],
  } as const;
  const g = groupRecord(scheme, record);
  return {
    id,
    personId: p.person ?? `P${id}`,
    hospitalId: p.hospital ?? "H1",
    hospitalLevel: "3",
    deptCode: "A03",
    physicianCode: "D1",
    admissionDate: iso(adm),
    dischargeDate: iso(adm + los),
    admissionDay: adm,
    dischargeDay: adm + los,
    los,
    record,
    group: { status: g.status, drg: g.drg, mdc: g.mdc, adrg: g.adrg },
    totalCost: p.cost,
    patientShare: p.patientShare ?? 0,
    ownPay: 0,
    fees: fees(p.fees ?? { "09": p.cost }),
    readmissionPlanned: p.planned ?? false,
  };
}

/**
 * The context with the coding rules' cost-only screening turned on (`withoutDetails: "cost"`): a stay
 * without detail items is judged by its cost alone, as the seed-002 worked examples are.
 */
export function costScreening(ctx: AuditContext): AuditContext {
  return {
    ...ctx,
    rules: {
      ...ctx.rules,
      rules: ctx.rules.rules.map((r) =>
        r.check.kind === "upcoding_secondary" || r.check.kind === "upcoding_principal"
          ? { ...r, check: { ...r.check, withoutDetails: "cost" as const } }
          : r,
      ),
    },
  };
}
