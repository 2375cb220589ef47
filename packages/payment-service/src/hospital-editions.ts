/**
 * The bureau's new editions of hospital master data (医院主数据新版本), through the API or an Excel
 * import: the rules (`planHospitalEdition`, pure) and the save (`saveHospitalEdition`).
 *
 * Rules of an edition: its effective date is today or later in China (北京时间) — a released edition is
 * never edited and the past never changes; every row is checked (code, level one of HOSPITAL_LEVELS,
 * benefit class one of the stored benefit policies' 起付线类别 or empty, payment method DRG or DIP, the
 * hospital in the store's hospital dictionary, or named by the row: then it is registered there — a
 * hospital only a region pack gave, with master data but not in the dictionary yet, may go unnamed); a
 * row identical to the master data in force on that date is a no-op (re-importing the same file changes
 * nothing). Every problem names the row (JSON index or Excel line), the column and the rule; one bad
 * row refuses the whole edition, and nothing is written.
 */
import { isIsoDate } from "@yibao/kernel/calendar";
import type { Store } from "@yibao/store";
import {
  type HospitalEditionSource,
  loadHospitalEditions,
  type NewHospitalEdition,
  type PaymentHospital,
  type PaymentMethod,
  sameMasterData,
  todayInChina,
  writeHospitalEditions,
} from "./hospital-data.js";
import { HOSPITAL_LEVELS } from "./region-data.js";
import { loadBenefitPolicies, PaymentInputError } from "./repo.js";
import { paymentDb } from "./tables.js";

/** A row of a new edition as the caller gives it (a JSON item or an Excel line), not yet checked. */
export interface HospitalEditionInputRow {
  readonly code: string;
  /** 医院名称: needed only for a hospital neither the store nor payment knows yet. */
  readonly name?: string | null;
  readonly level: string;
  /** 起付线类别; empty or null: none. */
  readonly benefitClass?: string | null;
  /** `DRG` or `DIP` (any case). */
  readonly paymentMethod: string;
}

/** The columns of a row, as a problem names them. */
export type EditionColumn = "code" | "name" | "level" | "benefitClass" | "paymentMethod";

/** How problems name where they are: each row and column as the caller's source calls them. */
export interface EditionLabels {
  /** `rows[0]` (JSON) or `第 2 行` (Excel). */
  row(index: number): string;
  /** `rows[0].level` (JSON) or `第 2 行「医院等级」` (Excel). */
  field(index: number, column: EditionColumn): string;
  /** What an empty edition is called out as (`rows` or `file`). */
  readonly rows: string;
}

/** The JSON body's labels: `rows[i].level`. */
export const JSON_LABELS: EditionLabels = {
  row: (i) => `rows[${i}]`,
  field: (i, c) => `rows[${i}].${c}`,
  rows: "rows",
};

/** What the rules need to know besides the rows. */
export interface EditionContext {
  /** Today in China (yyyy-MM-dd). */
  readonly today: string;
  readonly levels: readonly string[];
  /** The 起付线类别 the stored benefit policies know (empty: none stored). */
  readonly benefitClasses: ReadonlySet<string>;
  /** Hospitals in the store's hospital dictionary (定点医疗机构字典). */
  readonly knownCodes: ReadonlySet<string>;
  /** Hospitals with master data already (a region pack's hospital may not be in the dictionary yet). */
  readonly paymentCodes?: ReadonlySet<string>;
  /** Each hospital's master data in force on the edition's effective date. */
  readonly inForce: ReadonlyMap<string, PaymentHospital>;
}

/** One problem: where (row and column, or field) and the rule, in Chinese. */
export interface EditionProblem {
  readonly field: string;
  readonly message: string;
}

/** A row that changes its hospital's master data. */
export interface EditionChange extends NewHospitalEdition {
  /** A hospital not in the store's dictionary, named by the row: its name (registered with the edition). */
  readonly newName: string | null;
}

export interface EditionPlan {
  readonly problems: readonly EditionProblem[];
  readonly changes: readonly EditionChange[];
  /** Codes whose row equals the master data in force on the date. */
  readonly unchanged: readonly string[];
}

const CODE = /^[A-Za-z0-9]{1,30}$/;
const MAX_NAME = 100;

function methodOf(s: string): PaymentMethod | null {
  const m = s.trim().toUpperCase();
  return m === "DRG" ? "drg" : m === "DIP" ? "dip" : null;
}

/** Checks the effective date against today; null when it is fine. */
export function effectiveDateProblem(effectiveFrom: string, today: string): string | null {
  if (!isIsoDate(effectiveFrom)) return `生效日期须为 yyyy-MM-dd 格式的有效日期（收到「${effectiveFrom}」）`;
  if (effectiveFrom < today)
    return `生效日期 ${effectiveFrom} 早于今天（${today}，北京时间）：已发布的医院主数据不可修改，变更只能从今天或以后生效`;
  return null;
}

/**
 * The rules of a new edition (pure): every problem of every row, or the rows that change their
 * hospital's master data and those that do not.
 */
export function planHospitalEdition(
  effectiveFrom: string,
  rows: readonly HospitalEditionInputRow[],
  labels: EditionLabels,
  ctx: EditionContext,
): EditionPlan {
  const problems: EditionProblem[] = [];
  const dateProblem = effectiveDateProblem(effectiveFrom, ctx.today);
  if (dateProblem !== null) problems.push({ field: "effectiveFrom", message: dateProblem });
  if (rows.length === 0) problems.push({ field: labels.rows, message: "至少须有一家医院" });
  const changes: EditionChange[] = [];
  const unchanged: string[] = [];
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const add = (c: EditionColumn, message: string) => problems.push({ field: labels.field(i, c), message });
    const before = problems.length;
    const code = r.code.trim();
    if (!CODE.test(code)) add("code", `医院编码须为 1–30 位字母或数字（收到「${r.code}」）`);
    const first = seen.get(code);
    if (first !== undefined) add("code", `医院编码 ${code} 与 ${labels.row(first)} 重复`);
    seen.set(code, i);
    const name = (r.name ?? "").trim();
    if (name.length > MAX_NAME) add("name", `医院名称不超过 ${MAX_NAME} 个字符`);
    const known = ctx.knownCodes.has(code);
    if (!known && name === "" && CODE.test(code) && !ctx.paymentCodes?.has(code))
      add("name", `医院编码 ${code} 不在定点医疗机构字典中：新增医院须填写医院名称`);
    const level = r.level.trim();
    if (!ctx.levels.includes(level))
      add("level", `医院等级须为 ${ctx.levels.join("、")} 之一（收到「${r.level}」）`);
    const benefitClass = (r.benefitClass ?? "").trim();
    if (benefitClass !== "" && !ctx.benefitClasses.has(benefitClass))
      add(
        "benefitClass",
        ctx.benefitClasses.size === 0
          ? `没有已保存的待遇政策，起付线类别须留空（收到「${benefitClass}」）`
          : `起付线类别「${benefitClass}」不是已保存的待遇政策中的类别（有：${[...ctx.benefitClasses].join("、")}）`,
      );
    const method = methodOf(r.paymentMethod);
    if (method === null) add("paymentMethod", `支付方式须为 DRG 或 DIP（收到「${r.paymentMethod}」）`);
    if (problems.length > before || method === null) return;
    const row = { hospitalCode: code, level, benefitClass: benefitClass || null, paymentMethod: method };
    const current = ctx.inForce.get(code);
    if (current !== undefined && sameMasterData(row, current)) {
      unchanged.push(code);
      return;
    }
    changes.push({ ...row, effectiveFrom, newName: known || name === "" ? null : name });
  });
  return { problems, changes: problems.length > 0 ? [] : changes, unchanged };
}

/** A refused edition: every problem, each naming its row and column (→ HTTP 400 with details). */
export class HospitalEditionError extends PaymentInputError {
  constructor(readonly problems: readonly EditionProblem[]) {
    super(
      `医院主数据版本未保存（共 ${problems.length} 处问题，未写入任何数据）：${problems
        .map((p) => `${p.field}：${p.message}`)
        .join("；")}`,
    );
    this.name = "HospitalEditionError";
  }
}

/** A new edition to save, from the API or an Excel import. */
export interface HospitalEditionRequest {
  readonly effectiveFrom: string;
  readonly reason: string;
  readonly rows: readonly HospitalEditionInputRow[];
  readonly actor: string;
  readonly source: Exclude<HospitalEditionSource, "pack">;
  readonly labels?: EditionLabels;
}

/** What saving an edition did. */
export interface HospitalEditionResult {
  readonly effectiveFrom: string;
  /** Hospitals whose master data the edition changes (each a new edition). */
  readonly changed: number;
  /** Rows equal to the master data in force on the date: nothing written. */
  readonly unchanged: number;
  /** Hospitals new to the store, registered with their names. */
  readonly added: readonly string[];
  readonly changes: readonly {
    readonly code: string;
    readonly level: string;
    readonly benefitClass: string | null;
    readonly paymentMethod: "DRG" | "DIP";
  }[];
}

/** The 起付线类别 of every stored benefit policy edition. */
async function storedBenefitClasses(store: Store): Promise<Set<string>> {
  const out = new Set<string>();
  for (const p of await loadBenefitPolicies(store)) for (const c of p.classes.keys()) out.add(c);
  return out;
}

/**
 * Checks a new edition against the rules and saves it: the new hospitals into the store's hospital
 * dictionary, one edition per changed hospital, the projection brought in step, all in one
 * transaction. Throws HospitalEditionError listing every problem (nothing written).
 */
export async function saveHospitalEdition(
  store: Store,
  req: HospitalEditionRequest,
  now: Date = new Date(),
): Promise<HospitalEditionResult> {
  const today = todayInChina(now);
  const editions = await loadHospitalEditions(store);
  const codes = [...new Set(req.rows.map((r) => r.code.trim()))];
  const db = paymentDb(store);
  const inStore =
    codes.length === 0
      ? []
      : await db.selectFrom("hospital").select("code").where("code", "in", codes).execute();
  const knownCodes = new Set(inStore.map((r) => r.code));
  const plan = planHospitalEdition(req.effectiveFrom, req.rows, req.labels ?? JSON_LABELS, {
    today,
    levels: HOSPITAL_LEVELS,
    benefitClasses: await storedBenefitClasses(store),
    knownCodes,
    paymentCodes: new Set(editions.codes()),
    inForce: isIsoDate(req.effectiveFrom) ? editions.inForce(req.effectiveFrom) : new Map(),
  });
  if (plan.problems.length > 0) throw new HospitalEditionError(plan.problems);
  const added = plan.changes.filter((c) => c.newName !== null);
  await db.transaction().execute(async (trx) => {
    if (added.length > 0)
      // The store keeps its dictionary from uploads and exposes no writer for it; a new hospital
      // enters it here with its name (a later upload renames it as usual).
      await trx
        .insertInto("hospital")
        .values(
          added.map((c) => ({
            code: c.hospitalCode,
            name: c.newName as string,
            level: null,
            first_seen_at: now,
            updated_at: now,
          })),
        )
        .onConflict((oc) => oc.column("code").doNothing())
        .execute();
    await writeHospitalEditions(
      trx,
      plan.changes,
      { actor: req.actor, reason: req.reason, source: req.source },
      today,
    );
  });
  return {
    effectiveFrom: req.effectiveFrom,
    changed: plan.changes.length,
    unchanged: plan.unchanged.length,
    added: added.map((c) => c.hospitalCode),
    changes: plan.changes.map((c) => ({
      code: c.hospitalCode,
      level: c.level,
      benefitClass: c.benefitClass,
      paymentMethod: c.paymentMethod === "dip" ? "DIP" : "DRG",
    })),
  };
}
