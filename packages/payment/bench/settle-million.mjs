// Benchmark (基准测试): settle 1,000,000 synthetic stays in memory and clear the year.
// Run after building: node packages/payment/bench/settle-million.mjs [count]
import {
  BenefitPolicySet,
  clearYear,
  createSettlementContext,
  EXAMPLE_OUTLIERS,
  EXAMPLE_QY_SHARE,
  HANDAN_RESIDENTS_2021,
  parseBenefitPolicy,
  parseDrgWeightTable,
  parsePaymentPolicy,
  settleStay,
} from "../dist/index.js";

const count = Number(process.argv[2] ?? 1_000_000);
let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};

const drgs = Array.from({ length: 600 }, (_, i) => ({
  drg: `D${String(i).padStart(3, "0")}`,
  rw: (0.2 + rand() * 4).toFixed(4),
  avgCost: (2000 + rand() * 30000).toFixed(2),
}));
const weights = parseDrgWeightTable({
  id: "bench",
  version: "1",
  effectiveFrom: "2021-01-01",
  entries: drgs,
});
const policyData = (method) => ({
  id: "bench",
  version: method,
  effectiveFrom: "2021-01-01",
  method,
  rate: "8811",
  levelCoefficients: { 三级: "1.1", 二级: "1.0", 一级: "0.9" },
  baseGroups: ["D001", "D002"],
  outliers: EXAMPLE_OUTLIERS,
  ambiguous: { qyShare: EXAMPLE_QY_SHARE, ungroupedShare: "80%" },
  exclusions: { fixedDrgs: ["D599"], newTechCap: "3‰" },
});
const classes = ["一级", "主城区二级", "市级中医"];
const levels = ["一级", "二级", "三级"];
const hospitals = Array.from({ length: 60 }, (_, i) => ({
  id: `H${i}`,
  level: levels[i % 3],
  benefitClass: classes[i % 3],
}));

const stays = new Array(count);
for (let i = 0; i < count; i++) {
  const d = drgs[Math.floor(rand() * drgs.length)];
  const base = Math.round(Number(d.avgCost) * 100 * (0.3 + rand() * 2.2));
  const classA = Math.round(base * 0.6);
  const classB = Math.round(base * 0.3);
  const selfPay = base - classA - classB;
  const r = rand();
  stays[i] = {
    id: `S${i}`,
    hospitalId: `H${i % 60}`,
    drg: r < 0.002 ? "0000" : r < 0.004 ? "BQY" : d.drg,
    totalCost: base,
    admissionDate: "2021-06-01",
    dischargeDate: "2021-06-09",
    costs: { classA, classB, selfPay, other: 0 },
    person: i % 5 === 0 ? { 2021: { admissions: 1, fundPaid: 0 } } : undefined,
  };
}

for (const method of ["rate", "point"]) {
  const ctx = createSettlementContext({
    policies: [{ policy: parsePaymentPolicy(policyData(method)), weights }],
    hospitals,
    benefit: new BenefitPolicySet([parseBenefitPolicy(HANDAN_RESIDENTS_2021)]),
  });
  const t0 = performance.now();
  let payment = 0;
  let fund = 0;
  let patient = 0;
  const pts = new Map();
  for (let i = 0; i < count; i++) {
    const s = settleStay(stays[i], ctx);
    payment += s.drgPayment;
    fund += s.fundPayment;
    patient += s.patientShare;
    if (s.points !== null) pts.set(s.hospitalId, (pts.get(s.hospitalId) ?? 0) + s.points);
  }
  const t1 = performance.now();
  let clearingMs = 0;
  if (method === "point") {
    const c0 = performance.now();
    const r = clearYear({
      budget: Math.round(payment * 0.95),
      rules: { surplusRetention: 700_000, overspendBands: [{ upTo: 100_000, fundShare: 500_000 }] },
      hospitals: [...pts].map(([hospitalId, points]) => ({
        hospitalId,
        points,
        totalCost: 0,
        patientShare: 0,
      })),
    });
    clearingMs = performance.now() - c0;
    if (r.totals.payment !== r.budget) throw new Error("clearing totals differ from the budget");
  }
  console.log(
    `${method === "rate" ? "费率法" : "点数法"}：结算 ${count} 例用时 ${((t1 - t0) / 1000).toFixed(2)} 秒` +
      `（${Math.round(count / ((t1 - t0) / 1000))} 例/秒）；病组支付合计 ${payment} 分，基金 ${fund} 分，个人负担 ${patient} 分` +
      (method === "point" ? `；年终清算 ${clearingMs.toFixed(1)} 毫秒` : ""),
  );
}
