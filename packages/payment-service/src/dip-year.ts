/**
 * DIP year settlement from the stored lists (按病种分值付费年度结算): reads the year's accepted
 * settlement lists (by discharge date) of the hospitals the DIP input names, in keyset pages by
 * setl_id; assigns each stay its DIP group (诊断+治疗 key as the catalogue builds it, matched against a
 * catalogue of the policy's groups, or a caller's `groupOf`); and pays the year with the payment
 * core's `settleDipYear` (cost = 医疗总费用 `total_fee_fen`, patient paid = 个人负担
 * `personal_pay_fen`). Stays whose group the policy does not price are reported per hospital (count
 * and a sample of setl_ids) and left out of the pool, never dropped silently.
 */

import { readFile } from "node:fs/promises";
import {
  catalogueOfPolicy,
  DIP_CASE_TYPE_NAMES,
  type DipPaymentPolicy,
  type DipStay,
  type DipYearSettlement,
  dipDiagnosisCategory,
  dipGroup,
  dipProcedureCombination,
  type Fen,
  formatRational,
  formatYuan,
  PolicyDataError,
  type Ppm,
  parseDipPaymentPolicy,
  parseRatio,
  type SettlementError,
  settleDipYear,
} from "@yibao/payment";
import type { Store } from "@yibao/store";
import { type QueryResult, sql } from "kysely";
import { dbOf, PaymentInputError } from "./repo.js";
import { type ColumnHead, type StatementTable, tableHeads } from "./statements.js";

/** A hospital paid by DIP (DIP 结算机构): code, level (a key of the policy's standard costs), coefficient. */
export interface DipHospital {
  readonly code: string;
  readonly level: string;
  /** 医疗机构系数, ppm (1.0 = 1,000,000). */
  readonly coefficient: Ppm;
}

/** A stored list as the DIP grouping sees it. */
export interface DipListStay {
  readonly setlId: string;
  readonly hospital: string;
  readonly principalDiagnosis: string;
  readonly procedures: readonly string[];
  readonly costFen: Fen;
  readonly patientPaidFen: Fen;
  /** 年龄 (age_years) and 其他诊断, for the policy's 辅助目录. */
  readonly ageYears?: number | null;
  readonly secondaryDiagnoses?: readonly string[];
  /** 出院日期 (yyyy-MM-dd). */
  readonly dischargeDate?: string;
}

export interface DipYearOptions {
  readonly year: number;
  readonly policy: DipPaymentPolicy;
  /** The year's budget, fen; what it covers is the policy's `budgetBasis`. */
  readonly budgetFen: Fen;
  readonly hospitals: readonly DipHospital[];
  /**
   * The stay's group code (a key of the policy's `groupPoints`), or null when it has none. Default:
   * the catalogue key (`dipGroup` against the policy's groups: core `K80.1|51.2300`, else
   * comprehensive `综合|K80|手术操作`).
   */
  readonly groupOf?: (stay: DipListStay) => string | null;
  /** Rows per keyset page (default 20,000). */
  readonly pageSize?: number;
  /**
   * Whether a stay of the hospital discharged on the date is paid by DIP (its master-data edition
   * then); a stay it is not is left out (paid by DRG). Default: every stay of the hospitals.
   */
  readonly paysOn?: (hospital: string, dischargeDate: string) => boolean;
}

/** A hospital's stays left out because the policy prices no group for them (未入组/无分值病例). */
export interface DipUnpriced {
  readonly hospital: string;
  readonly count: number;
  /** Up to ten setl_ids. */
  readonly setlIds: readonly string[];
  /** The group keys looked up, with their counts. */
  readonly keys: ReadonlyMap<string, number>;
}

export interface DipYearFromStore {
  readonly year: number;
  /** Accepted lists of the year and hospitals read. */
  readonly lists: number;
  readonly settlement: DipYearSettlement;
  readonly unpriced: readonly DipUnpriced[];
  /** The stays the core refused (no standard cost for the level, bad cost), with the reason. */
  readonly refused: readonly SettlementError[];
  readonly levels: ReadonlyMap<string, string>;
  /** DIP hospitals with no accepted list discharged in the year. */
  readonly withoutLists: readonly string[];
}

const SAMPLE = 10;

export function checkDipOptions(options: DipYearOptions): Map<string, DipHospital> {
  const { year, policy, budgetFen, hospitals } = options;
  if (!Number.isInteger(year) || year < 1900 || year > 9999)
    throw new PaymentInputError(`year：须为四位年份（收到「${year}」）`);
  if (!Number.isSafeInteger(budgetFen) || budgetFen < 0)
    throw new PaymentInputError("budget：年度预算须为非负整数分");
  if (hospitals.length === 0) throw new PaymentInputError("hospitals：至少一家 DIP 结算机构");
  const byCode = new Map<string, DipHospital>();
  hospitals.forEach((h, i) => {
    if (typeof h.code !== "string" || h.code === "")
      throw new PaymentInputError(`hospitals[${i}].code：应为非空字符串`);
    if (byCode.has(h.code)) throw new PaymentInputError(`hospitals[${i}].code：机构 ${h.code} 重复`);
    if (!policy.standardCost.has(h.level))
      throw new PaymentInputError(
        `hospitals[${i}].level：DIP 政策没有「${h.level}」医院的标准费用（有：${[...policy.standardCost.keys()].join("、")}）`,
      );
    if (!Number.isSafeInteger(h.coefficient) || h.coefficient <= 0)
      throw new PaymentInputError(`hospitals[${i}].coefficient：机构系数须为正数`);
    byCode.set(h.code, h);
  });
  return byCode;
}

interface ListRow {
  setl_id: string;
  hospital_code: string;
  dscg_date: string;
  total_fee_fen: string | number;
  personal_pay_fen: string | number;
  principal_dx: string;
  procedures: string[] | null;
  age_years: number | string | null;
  secondary: string[] | null;
}

/**
 * The accepted lists of the hospitals discharged in [from, to), in keyset pages by setl_id; the next
 * page is asked for before this one is handed over, so the database reads while the caller groups.
 */
async function* readDischargedLists(
  store: Store,
  range: { readonly from: string; readonly to: string },
  hospitals: readonly string[],
  pageSize: number,
  withSecondary: boolean,
): AsyncGenerator<DipListStay> {
  const db = dbOf(store);
  // 其他诊断 only when the policy's 辅助目录 weighs them (reading them costs a pass over every message).
  const secondary = withSecondary
    ? sql`ARRAY(SELECT x->>'diag_code' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(l.message->'input'->'diseinfo') = 'array'
          THEN l.message->'input'->'diseinfo' ELSE '[]'::jsonb END) x WHERE coalesce(x->>'maindiag_flag', '') <> '1')`
    : sql`NULL::text[]`;
  const page = (after: string): Promise<QueryResult<ListRow>> =>
    sql<ListRow>`SELECT l.setl_id, l.hospital_code, l.dscg_date, l.total_fee_fen, l.personal_pay_fen, l.principal_dx, l.age_years,
        ARRAY(SELECT x->>'oprn_oprt_code' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(l.message->'input'->'oprninfo') = 'array'
          THEN l.message->'input'->'oprninfo' ELSE '[]'::jsonb END) x) AS procedures, ${secondary} AS secondary
        FROM settlement_list l WHERE l.status = 'accepted' AND l.hospital_code = ANY(${hospitals}::text[])
          AND l.dscg_date >= ${range.from}::date AND l.dscg_date < ${range.to}::date AND l.setl_id > ${after}
        ORDER BY l.setl_id LIMIT ${pageSize}`.execute(db);
  let next: Promise<QueryResult<ListRow>> | null = page("");
  while (next !== null) {
    const r: QueryResult<ListRow> = await next;
    const last = r.rows[r.rows.length - 1];
    next = r.rows.length === pageSize && last ? page(last.setl_id) : null;
    // A failed read ahead is reported when it is awaited, not as an unhandled rejection meanwhile.
    next?.catch(() => undefined);
    for (const x of r.rows) {
      yield {
        setlId: x.setl_id,
        hospital: x.hospital_code,
        principalDiagnosis: x.principal_dx ?? "",
        procedures: (x.procedures ?? []).filter((p): p is string => typeof p === "string" && p !== ""),
        costFen: Number(x.total_fee_fen),
        patientPaidFen: Number(x.personal_pay_fen),
        ageYears: x.age_years === null ? null : Number(x.age_years),
        secondaryDiagnoses: (x.secondary ?? []).filter((d): d is string => typeof d === "string" && d !== ""),
        dischargeDate: x.dscg_date,
      };
    }
  }
}

/** The stays of a date range grouped for DIP: those the policy prices, and those it does not. */
export interface DipStaysOfRange {
  readonly lists: number;
  readonly stays: readonly DipStay[];
  readonly unpriced: readonly DipUnpriced[];
  /** The hospitals with at least one list in the range. */
  readonly seen: ReadonlySet<string>;
}

/** The default grouping of a stored list: the policy catalogue's key (core, then comprehensive). */
function catalogueGrouping(policy: DipPaymentPolicy): (s: DipListStay) => string | null {
  const catalogue = catalogueOfPolicy(policy);
  return (s) => {
    if (s.principalDiagnosis.trim() === "") return null;
    const a = dipGroup(catalogue, { principalDiagnosis: s.principalDiagnosis, procedures: s.procedures });
    // Unmatched: the core key (诊断类目+亚目|治疗方式) names the stay best in the report.
    return (
      a.group?.key ?? `${dipDiagnosisCategory(s.principalDiagnosis)}|${dipProcedureCombination(s.procedures)}`
    );
  };
}

/**
 * Reads the accepted lists of the DIP hospitals discharged in [from, to) and assigns each its DIP
 * group; stays in groups the policy does not price are counted per hospital, never dropped silently.
 */
export async function collectDipStays(
  store: Store,
  options: {
    readonly from: string;
    readonly to: string;
    readonly policy: DipPaymentPolicy;
    readonly hospitals: ReadonlyMap<string, DipHospital>;
    readonly groupOf?: (stay: DipListStay) => string | null;
    readonly pageSize?: number;
    /** See `DipYearOptions.paysOn`. */
    readonly paysOn?: (hospital: string, dischargeDate: string) => boolean;
  },
): Promise<DipStaysOfRange> {
  const { policy, hospitals } = options;
  const groupOf = options.groupOf ?? catalogueGrouping(policy);
  const stays: DipStay[] = [];
  const unpriced = new Map<string, { count: number; setlIds: string[]; keys: Map<string, number> }>();
  let lists = 0;
  const seen = new Set<string>();
  const range = { from: options.from, to: options.to };
  const withSecondary = (policy.auxiliary?.cciLevels.length ?? 0) > 0;
  const pages = readDischargedLists(
    store,
    range,
    [...hospitals.keys()],
    options.pageSize ?? 20_000,
    withSecondary,
  );
  for await (const s of pages) {
    if (options.paysOn && !options.paysOn(s.hospital, s.dischargeDate ?? "")) continue;
    lists++;
    seen.add(s.hospital);
    const hospital = hospitals.get(s.hospital) as DipHospital;
    const group = groupOf(s);
    if (group === null || !policy.groupPoints.has(group)) {
      const u = unpriced.get(s.hospital) ?? { count: 0, setlIds: [], keys: new Map<string, number>() };
      u.count++;
      if (u.setlIds.length < SAMPLE) u.setlIds.push(s.setlId);
      const key = group ?? "（无主要诊断）";
      u.keys.set(key, (u.keys.get(key) ?? 0) + 1);
      unpriced.set(s.hospital, u);
      continue;
    }
    stays.push({
      id: s.setlId,
      hospital: s.hospital,
      hospitalLevel: hospital.level,
      group,
      costFen: s.costFen,
      patientPaidFen: s.patientPaidFen,
      ...(s.ageYears !== undefined ? { ageYears: s.ageYears } : {}),
      ...(s.secondaryDiagnoses && s.secondaryDiagnoses.length > 0
        ? { secondaryDiagnoses: s.secondaryDiagnoses }
        : {}),
    });
  }
  return {
    lists,
    stays,
    seen,
    unpriced: [...unpriced]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([hospital, u]) => ({ hospital, ...u })),
  };
}

/** Settles a DIP year from the stored lists: points, the point value, each hospital's payment and fund due. */
export async function settleDipYearFromStore(
  store: Store,
  options: DipYearOptions,
): Promise<DipYearFromStore> {
  const byCode = checkDipOptions(options);
  const { policy } = options;
  const c = await collectDipStays(store, {
    from: `${options.year}-01-01`,
    to: `${options.year + 1}-01-01`,
    policy,
    hospitals: byCode,
    ...(options.groupOf ? { groupOf: options.groupOf } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    ...(options.paysOn ? { paysOn: options.paysOn } : {}),
  });
  const settlement = settleDipYear(policy, c.stays, {
    budgetFen: options.budgetFen,
    coefficients: new Map([...byCode].map(([code, h]) => [code, h.coefficient])),
  });
  return {
    year: options.year,
    lists: c.lists,
    settlement,
    unpriced: c.unpriced,
    refused: settlement.refused,
    levels: new Map([...byCode].map(([code, h]) => [code, h.level])),
    withoutLists: [...byCode.keys()].filter((code) => !c.seen.has(code)).sort(),
  };
}

/** 点值 in yuan per point, two decimals (as `examples dip` prints it). */
export function dipPointValueYuan(s: DipYearSettlement, decimals = 2): string {
  return formatRational({ num: s.pointValue.num, den: s.pointValue.den * 100n }, decimals);
}

/** The report in Chinese: each hospital's points, payment and fund due, the left-out stays, the point value, then JSON. */
export function formatDipYear(r: DipYearFromStore): string {
  const s = r.settlement;
  const lines: string[] = [
    `${r.year} 年 DIP 年度结算：读取已接收结算清单 ${r.lists} 份，结算 ${s.hospitals.reduce((n, h) => n + h.stays.length, 0)} 例`,
  ];
  for (const h of s.hospitals) {
    lines.push(
      `${h.hospital}（${r.levels.get(h.hospital) ?? ""}，系数 ${formatRational({ num: BigInt(h.coefficient), den: 1_000_000n }, 2)}）：` +
        `${h.stays.length} 例，分值 ${formatRational(h.points, 4)}，DIP 支付 ${formatYuan(h.paymentFen)} 元，` +
        `个人负担 ${formatYuan(h.patientPaidFen)} 元，基金应支付 ${formatYuan(h.fundFen)} 元`,
    );
  }
  if (s.hospitals.length === 0) lines.push("没有可按 DIP 结算的病例（请检查年度、机构编号与病种分值表）");
  for (const u of r.unpriced) {
    const keys = [...u.keys].map(([k, n]) => `${k} ${n} 例`).join("、");
    lines.push(
      `${u.hospital} 未结算 ${u.count} 例（病种不在 DIP 分值表中：${keys}），如 ${u.setlIds.join("、")}`,
    );
  }
  if (r.withoutLists.length > 0)
    lines.push(`${r.year} 年没有已接收结算清单的 DIP 机构：${r.withoutLists.join("、")}`);
  for (const e of r.refused.slice(0, SAMPLE)) lines.push(`未结算：${e.message}`);
  if (r.refused.length > SAMPLE) lines.push(`另有 ${r.refused.length - SAMPLE} 例未结算`);
  lines.push(
    `总分值 ${formatRational(s.totalPoints, 4)}，预算 ${formatYuan(s.budgetFen)} 元，按分值支付总额 ${formatYuan(s.poolFen)} 元，` +
      `点值 ${dipPointValueYuan(s)} 元/分`,
  );
  lines.push(
    JSON.stringify({
      year: r.year,
      pointValue: dipPointValueYuan(s),
      hospitals: s.hospitals.map((h) => ({
        hospital: h.hospital,
        stays: h.stays.length,
        points: formatRational(h.points, 4),
        payment: formatYuan(h.paymentFen),
        fund: formatYuan(h.fundFen),
      })),
      unpriced: r.unpriced.map((u) => ({ hospital: u.hospital, count: u.count, setlIds: u.setlIds })),
      refused: r.refused.length,
      withoutLists: r.withoutLists,
    }),
  );
  return lines.join("\n");
}

/** The statement: one row per stay (so every hospital figure traces to its stays), then a total per hospital. */
/** The columns of a DIP statement's stay rows (DIP结算明细), shared by the year's and the clearing's. */
export const DIP_STAY_COLUMNS: readonly ColumnHead[] = [
  { header: "定点医疗机构编号" },
  { header: "结算清单号" },
  { header: "DIP病种" },
  { header: "病例类型" },
  { header: "医疗总费用(元)", money: true },
  { header: "病种标准费用(元)", money: true },
  { header: "病例分值", points: true },
  { header: "DIP支付(元)", money: true },
  { header: "个人负担(元)", money: true },
  { header: "基金应支付(元)", money: true },
];

export function dipYearStatement(r: DipYearFromStore): StatementTable {
  const s = r.settlement;
  const rows: (string | number)[][] = [];
  for (const h of s.hospitals) {
    h.stays.forEach((p, i) => {
      rows.push([
        h.hospital,
        p.stay.id,
        p.stay.group,
        DIP_CASE_TYPE_NAMES[p.caseType],
        p.stay.costFen,
        p.standardFen,
        formatRational(p.points, 6),
        h.stayPaymentsFen[i] as number,
        p.stay.patientPaidFen,
        (h.stayPaymentsFen[i] as number) - p.stay.patientPaidFen,
      ]);
    });
    rows.push([
      h.hospital,
      "合计",
      "",
      `${h.stays.length} 例`,
      h.stays.reduce((n, p) => n + p.stay.costFen, 0),
      "",
      formatRational(h.points, 6),
      h.paymentFen,
      h.patientPaidFen,
      h.fundFen,
    ]);
  }
  return {
    title: `${r.year}年度DIP结算明细（点值 ${dipPointValueYuan(s, 6)} 元/分）`,
    ...tableHeads(DIP_STAY_COLUMNS),
    rows,
  };
}

// ---- the CLI's input files -------------------------------------------------------------------------

async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new PaymentInputError(`${what}：无法读取文件 ${path}（${(e as Error).message}）`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new PaymentInputError(`${what}：文件 ${path} 不是合法 JSON（${(e as Error).message}）`);
  }
}

/** Reads a DIP payment policy file; a bad policy is an input error naming the field. */
export async function readDipPolicyFile(path: string): Promise<DipPaymentPolicy> {
  const data = await readJsonFile(path, "--policy");
  try {
    return parseDipPaymentPolicy(data);
  } catch (e) {
    if (e instanceof PolicyDataError) throw new PaymentInputError(`--policy ${path}：${e.message}`);
    throw e;
  }
}

/**
 * The DIP hospitals (DIP 结算机构): `[{code, level, coefficient}]` or `{hospitals: [...]}` (the form
 * of `examples/dip/year.json`), the coefficient as a decimal ("0.9").
 */
export function parseDipHospitals(data: unknown): DipHospital[] {
  const list =
    typeof data === "object" && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>).hospitals
      : data;
  if (!Array.isArray(list)) throw new PaymentInputError("hospitals：应为机构数组或含 hospitals 数组的对象");
  return list.map((h: unknown, i) => {
    if (typeof h !== "object" || h === null) throw new PaymentInputError(`hospitals[${i}]：应为对象`);
    const o = h as Record<string, unknown>;
    for (const k of ["code", "level"])
      if (typeof o[k] !== "string" || o[k] === "")
        throw new PaymentInputError(`hospitals[${i}].${k}：应为非空字符串`);
    let coefficient: Ppm;
    try {
      if (typeof o.coefficient !== "string" && typeof o.coefficient !== "number")
        throw new Error("应为十进制数");
      coefficient = parseRatio(o.coefficient);
    } catch (e) {
      throw new PaymentInputError(`hospitals[${i}].coefficient：${(e as Error).message}`);
    }
    return { code: o.code as string, level: o.level as string, coefficient };
  });
}

/** Reads the DIP hospitals file. */
export async function readDipHospitalsFile(path: string): Promise<DipHospital[]> {
  try {
    return parseDipHospitals(await readJsonFile(path, "--hospitals"));
  } catch (e) {
    if (e instanceof PaymentInputError && !e.message.startsWith("--hospitals"))
      throw new PaymentInputError(`--hospitals ${path}：${e.message}`);
    throw e;
  }
}
