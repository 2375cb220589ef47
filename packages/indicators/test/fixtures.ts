import type { StaySummary } from "../src/stay.js";

/** A stay with neutral defaults; tests override what they are about. */
export function stay(p: Partial<StaySummary> & { setlId: string }): StaySummary {
  return {
    hospital: "H1",
    department: "D1",
    physician: "P1",
    personId: `person-${p.setlId}`,
    drg: "A",
    groupStatus: "OK",
    totalCostFen: 10000,
    fundPayFen: 8000,
    patientShareFen: 2000,
    los: 5,
    admDate: "2024-01-01",
    dscgDate: "2024-01-06",
    dischargeWay: "1",
    plannedReadmission: false,
    period: "2024-01",
    ...p,
  };
}

/** Relative weights of the test scheme. */
export const WEIGHTS: Record<string, number> = { A: 1, B: 2, C: 0.5, D: 1.5, E: 3 };
export const weights = (drg: string): number | undefined => WEIGHTS[drg];

/**
 * The hand-computed region of the docs (docs/indicators.md, 算例): two hospitals, six stays with a
 * list and one settlement (s7) whose list was not uploaded in time.
 */
export const REGION: StaySummary[] = [
  stay({
    setlId: "s1",
    personId: "X",
    drg: "A",
    totalCostFen: 10000,
    fundPayFen: 8000,
    patientShareFen: 2000,
    drgPaymentFen: 12000,
    los: 5,
    admDate: "2024-01-01",
    dscgDate: "2024-01-06",
    qcPassed: true,
  }),
  stay({
    setlId: "s2",
    personId: "Y",
    drg: "B",
    totalCostFen: 30000,
    fundPayFen: 24000,
    patientShareFen: 6000,
    drgPaymentFen: 25000,
    los: 10,
    admDate: "2024-01-03",
    dscgDate: "2024-01-13",
    plannedReadmission: true,
    auditFindings: 2,
    recoveredFen: 1500,
    qcPassed: true,
  }),
  stay({
    setlId: "s3",
    hospital: "H2",
    department: "D2",
    physician: "P2",
    personId: "X",
    drg: "A",
    totalCostFen: 20000,
    fundPayFen: 16000,
    patientShareFen: 4000,
    drgPaymentFen: 12000,
    los: 4,
    admDate: "2024-01-16",
    dscgDate: "2024-01-20",
    qcPassed: false,
  }),
  stay({
    setlId: "s4",
    hospital: "H2",
    department: "D2",
    physician: "P2",
    personId: "Z",
    drg: "B",
    totalCostFen: 50000,
    fundPayFen: 40000,
    patientShareFen: 10000,
    drgPaymentFen: 45000,
    los: 20,
    admDate: "2024-01-05",
    dscgDate: "2024-01-25",
    dischargeWay: "5",
    auditFindings: 1,
    recoveredFen: 3000,
    qcPassed: true,
  }),
  stay({
    setlId: "s5",
    hospital: "H2",
    department: "D2",
    physician: "P3",
    personId: "X",
    drg: "0000",
    groupStatus: "UNGROUPABLE",
    totalCostFen: 8000,
    fundPayFen: 6400,
    patientShareFen: 1600,
    los: 3,
    admDate: "2024-02-12",
    dscgDate: "2024-02-15",
    period: "2024-02",
    qcPassed: false,
  }),
  stay({
    setlId: "s6",
    personId: "Y",
    drg: "AQY",
    groupStatus: "AMBIGUOUS",
    totalCostFen: 6000,
    fundPayFen: 4800,
    patientShareFen: 1200,
    los: 2,
    admDate: "2024-01-20",
    dscgDate: "2024-01-22",
  }),
  stay({
    setlId: "s7",
    personId: "Y",
    drg: "",
    groupStatus: "CHECK_FAILED",
    totalCostFen: 99999,
    los: 1,
    admDate: "2024-01-25",
    dscgDate: "2024-01-26",
    listUploaded: false,
  }),
];

/** ISO date of a day number (days since 1970-01-01). */
export function isoOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
