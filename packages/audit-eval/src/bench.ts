/**
 * Benchmark (审核吞吐量): audits N stays (default 1,000,000) on one core. The stays are a synthetic
 * region of `base` stays replicated with new ids, persons and dates until N is reached (generation
 * is not timed; the audit is). Each stay carries its detail charges (费用明细) and pre-admission
 * outpatient spending, so the knowledge-base checks run as in the evaluation. Prints the wall time
 * and the process CPU time of the audit (on a shared machine the two differ). Run:
 * `node packages/audit-eval/dist/bench.js [N] [base]` (after `npx tsc -b`).
 */
import os from "node:os";
import { type AuditStay, auditStayFromList, contextFromStays, runAudit } from "@yibao/audit";
import { DEMO_SCHEME_DIR, loadSchemeDir, resolveSchemeDir } from "@yibao/grouper/load";
import { parseSettlementMessage } from "@yibao/settlement";
import { generateRegion } from "@yibao/synth";

const n = Number(process.argv[2] ?? 1_000_000);
const base = Number(process.argv[3] ?? 20_000);
const scheme = await loadSchemeDir(process.env.YIBAO_SCHEME_DIR ? resolveSchemeDir() : DEMO_SCHEME_DIR);
let t = performance.now();
const region = generateRegion({ seed: 7, stays: base, scheme, inject: { rate: 0.1 } });
const seedStays: AuditStay[] = [];
for (const s of region.stays()) {
  const list = parseSettlementMessage(s.message).list;
  if (list !== undefined)
    seedStays.push(
      auditStayFromList(list, {
        scheme,
        details: s.details,
        outpatientBeforeAdmission: s.outpatientBeforeAdmission,
      }),
    );
}
const ctx = contextFromStays(seedStays, scheme);
const stays: AuditStay[] = [];
for (let copy = 0; stays.length < n; copy++) {
  for (const s of seedStays) {
    if (stays.length >= n) break;
    stays.push(copy === 0 ? s : { ...s, id: `${s.id}-${copy}`, personId: `${s.personId}-${copy}` });
  }
}
console.log(
  `准备 ${stays.length} 例（基础 ${seedStays.length} 例），${((performance.now() - t) / 1000).toFixed(1)} s`,
);
t = performance.now();
const cpu0 = process.cpuUsage();
const r = runAudit(stays, ctx);
const secs = (performance.now() - t) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSecs = (cpu.user + cpu.system) / 1e6;
const byType = new Map<string, number>();
for (const f of r.findings) byType.set(f.violation, (byType.get(f.violation) ?? 0) + 1);
console.log(
  `审核 ${stays.length} 例：${secs.toFixed(1)} s（CPU ${cpuSecs.toFixed(1)} s），${Math.round(stays.length / secs)} 例/秒，发现 ${r.findings.length} 条，未定价 ${r.unpriced.length} 例`,
);
// On a shared machine the wall time includes waiting for the CPU; the load shows how busy it was.
console.log(`系统负载（1 分钟）${os.loadavg()[0]?.toFixed(2)}，CPU 核数 ${os.availableParallelism()}`);
console.log(JSON.stringify(Object.fromEntries(byType)));
