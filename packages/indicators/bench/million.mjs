// Throughput of computeIndicators on 1,000,000 synthetic stays (build first: npx tsc -b packages/indicators).
// Usage: node --max-old-space-size=4096 packages/indicators/bench/million.mjs [stays]
import { computeIndicators } from "../dist/index.js";

const N = Number(process.argv[2] ?? 1_000_000);
let state = 42;
// mulberry32: a small deterministic generator.
const rnd = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const drgs = Array.from({ length: 600 }, (_, i) => `D${String(i).padStart(3, "0")}`);
const weight = new Map(drgs.map((d, i) => [d, 0.3 + (i % 50) / 10]));
const iso = (day) => new Date(day * 86_400_000).toISOString().slice(0, 10);
const stays = [];
for (let i = 0; i < N; i++) {
  const adm = 19_723 + Math.floor(rnd() * 365);
  const los = 1 + Math.floor(rnd() * 20);
  const cost = Math.floor(rnd() * 3_000_000);
  const ungrouped = rnd() < 0.003;
  stays.push({
    setlId: `s${i}`,
    hospital: `H${Math.floor(rnd() * 60)}`,
    department: `K${Math.floor(rnd() * 30)}`,
    physician: `P${Math.floor(rnd() * 3000)}`,
    personId: `p${Math.floor(rnd() * 700_000)}`,
    drg: ungrouped ? "0000" : drgs[Math.floor(rnd() * 600)],
    groupStatus: ungrouped ? "UNGROUPABLE" : "OK",
    totalCostFen: cost,
    fundPayFen: cost - Math.floor(cost / 5),
    patientShareFen: Math.floor(cost / 5),
    drgPaymentFen: Math.floor(rnd() * 3_000_000),
    los,
    admDate: iso(adm),
    dscgDate: iso(adm + los),
    dischargeWay: rnd() < 0.01 ? "5" : "1",
    plannedReadmission: rnd() < 0.05,
    period: iso(adm + los).slice(0, 7),
    qcPassed: rnd() < 0.97,
  });
}
for (const groupBy of ["region", "hospital", "physician", "drg"]) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const res = computeIndicators(stays, { groupBy, weights: (d) => weight.get(d) });
  const used = process.cpuUsage(cpu);
  console.log(
    `${groupBy}: ${res.rows.length} rows, ${Math.round(performance.now() - t)} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU`,
  );
}
