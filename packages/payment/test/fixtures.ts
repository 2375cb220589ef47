import { BenefitPolicySet, parseBenefitPolicy } from "../src/benefit.js";
import { EXAMPLE_CLEARING, EXAMPLE_OUTLIERS, EXAMPLE_QY_SHARE } from "../src/data/example-policy.js";
import { HANDAN_RESIDENTS_2021 } from "../src/data/handan-2021.js";
import { parseYuan } from "../src/money.js";
import { parseDrgWeightTable, parsePaymentPolicy } from "../src/policy.js";
import {
  createSettlementContext,
  type HospitalInfo,
  type SettlementContextInput,
  type Stay,
} from "../src/settle.js";

export const yuan = parseYuan;

export function weightsData(over: Record<string, unknown> = {}) {
  return {
    id: "test-weights",
    version: "1",
    effectiveFrom: "2021-01-01",
    entries: [
      { drg: "KD15", rw: "1.26", avgCost: "11000" },
      { drg: "DA15", rw: "2.08" },
      { drg: "HU15", rw: "0.64", avgCost: "5000" },
      { drg: "FF19", rw: "0.50" },
      { drg: "AA19", rw: "40.0" },
      { drg: "BR25", rw: "0.97" },
    ],
    ...over,
  };
}

export function policyData(over: Record<string, unknown> = {}) {
  return {
    id: "test-policy",
    version: "1",
    effectiveFrom: "2021-01-01",
    method: "rate",
    rate: "8811",
    levelCoefficients: { 三级: "1.1", 二级: "1.0", 一级: "0.9" },
    hospitalCoefficients: { H9: "1.05" },
    baseGroups: ["FF19"],
    outliers: EXAMPLE_OUTLIERS,
    ambiguous: { qyShare: EXAMPLE_QY_SHARE, ungroupedShare: "70%" },
    exclusions: { fixedDrgs: ["AA19"], newTechCap: "3‰" },
    newTechItems: [{ code: "NT001", name: "示例新技术", recordedOn: "2021-03-15" }],
    clearing: EXAMPLE_CLEARING,
    ...over,
  };
}

export const HOSPITALS: HospitalInfo[] = [
  { id: "H3", level: "三级", benefitClass: "市级中医" },
  { id: "H2", level: "二级", benefitClass: "主城区二级" },
  { id: "H1", level: "一级", benefitClass: "一级" },
  { id: "H9", level: "三级", benefitClass: "县级三级中医" },
];

export const handan = () => new BenefitPolicySet([parseBenefitPolicy(HANDAN_RESIDENTS_2021)]);

export function context(
  policyOver: Record<string, unknown> = {},
  extra: Partial<SettlementContextInput> = {},
) {
  return createSettlementContext({
    policies: [
      { policy: parsePaymentPolicy(policyData(policyOver)), weights: parseDrgWeightTable(weightsData()) },
    ],
    hospitals: HOSPITALS,
    benefit: handan(),
    ...extra,
  });
}

export function stay(over: Partial<Stay> = {}): Stay {
  return {
    id: "S1",
    hospitalId: "H2",
    drg: "KD15",
    totalCost: yuan("10000"),
    admissionDate: "2021-05-01",
    dischargeDate: "2021-05-08",
    patientShare: yuan("2000"),
    ...over,
  };
}
