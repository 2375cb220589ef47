/**
 * `yibao examples dip`: the DIP worked example (`examples/dip`) paid by the payment core's DIP year
 * settlement (`settleDipYear`), the same code a DIP clearing runs. Reads the policy and the year's
 * hospitals and stays from their JSON files; prints a Chinese table and, as the last line, JSON.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DIP_CASE_TYPE_NAMES,
  type DipStay,
  type DipYearSettlement,
  formatRational,
  formatYuan,
  parseDipPaymentPolicy,
  parseRatio,
  parseYuan,
  settleDipYear,
} from "@yibao/payment";

interface YearFile {
  readonly budget: string;
  readonly hospitals: readonly { code: string; level: string; coefficient: string }[];
  readonly stays: readonly {
    id: string;
    hospital: string;
    group: string;
    cost: string;
    patientPaid: string;
  }[];
}

/** Reads `policy.json` and `year.json` of `dir` and settles the year. */
export async function runDipExample(dir: string): Promise<DipYearSettlement> {
  const policy = parseDipPaymentPolicy(JSON.parse(await readFile(join(dir, "policy.json"), "utf8")));
  const year = JSON.parse(await readFile(join(dir, "year.json"), "utf8")) as YearFile;
  const level = new Map(year.hospitals.map((h) => [h.code, h.level]));
  const stays: DipStay[] = year.stays.map((s) => ({
    id: s.id,
    hospital: s.hospital,
    hospitalLevel: level.get(s.hospital) ?? "",
    group: s.group,
    costFen: parseYuan(s.cost),
    patientPaidFen: parseYuan(s.patientPaid),
  }));
  return settleDipYear(policy, stays, {
    budgetFen: parseYuan(year.budget),
    coefficients: new Map(year.hospitals.map((h) => [h.code, parseRatio(h.coefficient)])),
  });
}

/** 点值 in yuan per point. */
const yuanPerPoint = (r: DipYearSettlement) =>
  formatRational({ num: r.pointValue.num, den: r.pointValue.den * 100n }, 2);

/** The report: a line per stay and per hospital in Chinese, then the JSON summary as the last line. */
export function formatDipExample(r: DipYearSettlement): string {
  const lines: string[] = [];
  for (const h of r.hospitals) {
    h.stays.forEach((p, i) => {
      lines.push(
        `${h.hospital} 病例 ${p.stay.id}  病种 ${p.stay.group}  ${DIP_CASE_TYPE_NAMES[p.caseType]}  ` +
          `分值 ${formatRational(p.points, 4)}  支付 ${formatYuan(h.stayPaymentsFen[i] as number)} 元`,
      );
    });
    lines.push(
      `${h.hospital} 合计：分值 ${formatRational(h.points, 4)}，DIP 支付 ${formatYuan(h.paymentFen)} 元，` +
        `个人负担 ${formatYuan(h.patientPaidFen)} 元，基金应支付 ${formatYuan(h.fundFen)} 元`,
    );
  }
  for (const e of r.refused) lines.push(`未结算：${e.message}`);
  lines.push(
    `总分值 ${formatRational(r.totalPoints, 4)}，预算 ${formatYuan(r.budgetFen)} 元，点值 ${yuanPerPoint(r)} 元/分`,
  );
  lines.push(
    JSON.stringify({
      pointValue: yuanPerPoint(r),
      hospitals: r.hospitals.map((h) => ({
        hospital: h.hospital,
        points: formatRational(h.points, 4),
        payment: formatYuan(h.paymentFen),
        fund: formatYuan(h.fundFen),
      })),
    }),
  );
  return lines.join("\n");
}
