/**
 * 两库 as data files: the rule base (规则库) and the knowledge base (知识库) read from JSON — a region
 * pack's `audit-rules.json` and `knowledge.json` — checked field by field against their schemas
 * (TypeBox), then by the rule base's own checks (`validateRuleBase`). Every problem names the path
 * in Chinese. A rule's check is checked against the schema of its own kind, so a wrong parameter is
 * named as such rather than as "matches no kind". The schemas are tied to the TypeScript types at
 * compile time (`Static<…>` must be assignable to `RuleBase` and `KnowledgeBase`).
 */
import { VIOLATION_TYPES } from "@yibao/kernel/enums";
import { SEX_FEMALE, SEX_MALE } from "@yibao/kernel/sex";
import { localizeSchemaErrors } from "@yibao/kernel/validation-zh";
import { type Static, type TSchema, Type } from "typebox";
import { Value } from "typebox/value";
import {
  type KnowledgeBase,
  type RuleBase,
  RuleBaseError,
  type RuleCheck,
  validateRuleBase,
} from "./rules.js";

const Num = Type.Number({ minimum: 0 });
const Share = Type.Number({ minimum: 0, maximum: 1 });
const Count = Type.Integer({ minimum: 0 });
const Text = Type.String({ minLength: 1 });
const Strings = Type.Array(Type.String());
const IsoDate = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" });
const Sex = Type.Union([Type.Literal(SEX_MALE), Type.Literal(SEX_FEMALE)]);
const strict = { additionalProperties: false } as const;
const WithoutDetailsSchema = Type.Union([Type.Literal("abstain"), Type.Literal("cost")]);

function check<K extends string, P extends Record<string, TSchema>>(kind: K, params: P) {
  return Type.Object({ kind: Type.Literal(kind), ...params }, strict);
}

/** The parameters of each check kind (规则逻辑与参数), by kind. */
export const RULE_CHECK_SCHEMAS = {
  split_admission: check("split_admission", {
    windowDays: Count,
    relation: Type.Union([Type.Literal("principal"), Type.Literal("category"), Type.Literal("mdc")]),
    sameHospital: Type.Boolean(),
  }),
  repeated_admission: check("repeated_admission", { windowDays: Count, sameHospital: Type.Boolean() }),
  patient_selection: check("patient_selection", {
    periodMonths: Type.Integer({ minimum: 1 }),
    highWeightRw: Num,
    elderlyAge: Count,
    minCases: Count,
    maxRelativeDrop: Share,
  }),
  low_indication: check("low_indication", {
    maxLos: Count,
    allowedCategories: Strings,
    maxOtherShare: Share,
    maxCostRatio: Num,
    outpatientAdrgs: Strings,
    lossShare: Share,
  }),
  upcoding_secondary: check("upcoding_secondary", {
    maxSupport: Num,
    principalEvidenceExplains: Type.Optional(Type.Boolean()),
    withoutDetails: Type.Optional(WithoutDetailsSchema),
    minUnexplainedShare: Type.Optional(Share),
    minUnexplainedShareWithCost: Type.Optional(Share),
    minBaselineCases: Type.Optional(Count),
  }),
  upcoding_principal: check("upcoding_principal", {
    maxCostRatio: Num,
    minFitGain: Num,
    topPrincipalsPerAdrg: Count,
    withoutDetails: Type.Optional(WithoutDetailsSchema),
    maxBaselineUnsupported: Type.Optional(Share),
    minBaselineCases: Type.Optional(Count),
  }),
  downcoding_outlier: check("downcoding_outlier", { surgeryCategory: Text, minSurgeryFee: Count }),
  cost_shifting: check("cost_shifting", {
    ownPayExcess: Share,
    examShareFactor: Num,
    examCategories: Strings,
    minCases: Count,
    coveredOwnPayShare: Type.Optional(Share),
    outpatientShare: Type.Optional(Num),
    outpatientExamShareFactor: Type.Optional(Num),
    outpatientExamQuantile: Type.Optional(Share),
  }),
  qy_ambiguity: check("qy_ambiguity", {}),
  tier_crossing: check("tier_crossing", { minExcessShare: Share, minCases: Count }),
  sex_restriction: check("sex_restriction", {}),
  age_restriction: check("age_restriction", {}),
  duplicate_charge: check("duplicate_charge", {}),
  quantity_limit: check("quantity_limit", { bedDayTolerance: Count }),
  exclusive_items: check("exclusive_items", {}),
  restricted_payment: check("restricted_payment", {}),
  price_ceiling: check("price_ceiling", {}),
  frequency_limit: check("frequency_limit", {}),
  bundled_items: check("bundled_items", {}),
  item_substitution: check("item_substitution", {}),
  fund_paid_self_pay: check("fund_paid_self_pay", {}),
} satisfies { readonly [K in RuleCheck["kind"]]: TSchema };

type CheckKind = keyof typeof RULE_CHECK_SCHEMAS;
/** Compile-time tie: every kind's schema gives exactly that kind's parameters. */
type Checked = { [K in CheckKind]: Static<(typeof RULE_CHECK_SCHEMAS)[K]> }[CheckKind];
const CHECKS_MATCH: (c: Checked) => RuleCheck = (c) => c;
void CHECKS_MATCH;

const Enum = <const T extends readonly string[]>(values: T) => Type.Enum(values);

/** A rule without its check (the check is checked by its own kind's schema). */
const RuleHead = Type.Object(
  {
    id: Text,
    name: Text,
    category: Enum(["政策类", "管理类", "医疗类"] as const),
    scenarios: Type.Array(Enum(["住院", "门诊", "药店"] as const), { minItems: 1 }),
    stages: Type.Array(Enum(["事前", "事中", "事后"] as const), { minItems: 1 }),
    outcome: Enum(["明确违规", "可疑"] as const),
    violation: Enum(VIOLATION_TYPES),
    check: Type.Object({ kind: Enum(Object.keys(RULE_CHECK_SCHEMAS) as CheckKind[]) }),
    enabled: Type.Boolean(),
    description: Type.String(),
    basis: Type.String(),
  },
  strict,
);

const Versioned = {
  id: Text,
  version: Text,
  effectiveFrom: IsoDate,
  effectiveTo: Type.Union([IsoDate, Type.Null()]),
};

const ResponseSchema = Type.Object(
  {
    workingDays: Type.Integer({ minimum: 1, maximum: 365 }),
    unanswered: Enum(["upheld", "overturned"] as const),
    holidays: Type.Array(IsoDate),
    workdays: Type.Array(IsoDate),
  },
  strict,
);

const RuleBaseHead = Type.Object(
  {
    ...Versioned,
    region: Type.String(),
    rules: Type.Array(Type.Unknown(), { minItems: 1 }),
    response: Type.Optional(ResponseSchema),
    profiling: Type.Optional(
      Type.Object(
        {
          clusters: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          minPhysiciansPerCluster: Type.Optional(Type.Integer({ minimum: 1 })),
          maxAbsCorrelation: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
        },
        strict,
      ),
    ),
  },
  strict,
);

const Selector = { codes: Type.Optional(Strings), prefixes: Type.Optional(Strings) };

const Restricted = {
  sex: Type.Optional(Sex),
  minAge: Type.Optional(Count),
  maxAge: Type.Optional(Count),
};

/** 诊断诊疗依据 (optional part of a knowledge base). */
const DiagnosisSupportSchema = Type.Object(
  {
    ...Versioned,
    classes: Type.Array(
      Type.Object({ id: Text, name: Text, codes: Strings, prefixes: Type.Optional(Strings) }, strict),
    ),
    diagnoses: Type.Array(Type.Object({ prefix: Text, name: Text, classes: Strings }, strict)),
    chapterFallbacks: Type.Array(Type.Object({ from: Text, to: Text, name: Text, classes: Strings }, strict)),
    injectableNamePatterns: Strings,
    oralNamePatterns: Strings,
    sources: Strings,
  },
  strict,
);

export const KnowledgeBaseSchema = Type.Object(
  {
    ...Versioned,
    items: Type.Array(
      Type.Object(
        {
          code: Text,
          name: Text,
          category: Text,
          ...Restricted,
          maxPerDay: Type.Optional(Num),
          unit: Type.Optional(Type.String()),
          bedDay: Type.Optional(Type.Boolean()),
        },
        strict,
      ),
    ),
    diagnosisRestrictions: Type.Array(Type.Object({ prefix: Text, name: Text, ...Restricted }, strict)),
    exclusivePairs: Type.Array(Type.Object({ a: Text, b: Text, reason: Text }, strict)),
    paymentLimits: Type.Optional(
      Type.Array(
        Type.Object(
          {
            ...Selector,
            name: Text,
            text: Text,
            diagnoses: Type.Optional(Strings),
            hospitalLevels: Type.Optional(Strings),
            requires: Type.Optional(Type.Object(Selector, strict)),
            maxDays: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          strict,
        ),
      ),
    ),
    priceCeilings: Type.Optional(
      Type.Array(
        Type.Object(
          {
            code: Text,
            name: Text,
            maxPrice: Count,
            byLevel: Type.Optional(Type.Record(Type.String(), Count)),
          },
          strict,
        ),
      ),
    ),
    frequencyLimits: Type.Optional(
      Type.Array(
        Type.Object(
          {
            ...Selector,
            name: Text,
            text: Text,
            maxUnits: Type.Number({ exclusiveMinimum: 0 }),
            perDays: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          strict,
        ),
      ),
    ),
    bundles: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Text,
            text: Text,
            bundle: Type.Object(Selector, strict),
            components: Type.Object(Selector, strict),
          },
          strict,
        ),
      ),
    ),
    substitutions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Text,
            text: Text,
            billed: Type.Object(Selector, strict),
            markers: Type.Object(Selector, strict),
            actual: Text,
            scope: Type.Union([Type.Literal("day"), Type.Literal("stay")]),
          },
          strict,
        ),
      ),
    ),
    selfPayItems: Type.Optional(Type.Array(Type.Object({ ...Selector, name: Text, text: Text }, strict))),
    bedFeeCapPerDay: Type.Record(Type.String(), Count),
    feeCategoryNames: Type.Record(Type.String(), Type.String()),
    diagnosisSupport: Type.Optional(DiagnosisSupportSchema),
    sources: Strings,
  },
  strict,
);
const KNOWLEDGE_MATCHES: (k: Static<typeof KnowledgeBaseSchema>) => KnowledgeBase = (k) => k;
void KNOWLEDGE_MATCHES;

/** What reading a data file gave: the value when it is valid, else every problem in Chinese. */
export type DataReading<T> =
  | { readonly value: T; readonly problems: readonly [] }
  | { readonly value: null; readonly problems: readonly string[] };

function problemsOf(schema: TSchema, data: unknown, where: string): string[] {
  if (Value.Check(schema, data)) return [];
  return localizeSchemaErrors([...Value.Errors(schema, data)], where).map((p) => `${p.field}：${p.message}`);
}

/** Reads a rule base (规则库) from parsed JSON: each rule's head, then its check by its own kind's schema. */
export function readRuleBase(data: unknown): DataReading<RuleBase> {
  const problems = problemsOf(RuleBaseHead, data, "规则库");
  if (problems.length > 0) return { value: null, problems };
  const head = data as Static<typeof RuleBaseHead>;
  head.rules.forEach((rule, i) => {
    const at = `规则库.rules.${i}`;
    const ruleProblems = problemsOf(RuleHead, rule, at);
    if (ruleProblems.length > 0) {
      problems.push(...ruleProblems);
      return;
    }
    const r = rule as Static<typeof RuleHead>;
    problems.push(
      ...problemsOf(RULE_CHECK_SCHEMAS[r.check.kind as CheckKind], r.check, `${at}.check（${r.id}）`),
    );
  });
  if (problems.length > 0) return { value: null, problems };
  try {
    return { value: validateRuleBase(data as RuleBase), problems: [] };
  } catch (e) {
    if (e instanceof RuleBaseError) return { value: null, problems: [e.message] };
    throw e;
  }
}

/** Reads a knowledge base (知识库) from parsed JSON. */
export function readKnowledgeBase(data: unknown): DataReading<KnowledgeBase> {
  const problems = problemsOf(KnowledgeBaseSchema, data, "知识库");
  return problems.length > 0 ? { value: null, problems } : { value: data as KnowledgeBase, problems: [] };
}
