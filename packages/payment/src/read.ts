/** Field readers for JSON policy data: every failure names the data set, the field and the rule. */
import { type Fen, type MoneyFormatError, type Ppm, parseRatio, parseYuan } from "./money.js";
import { isIsoDate, PolicyDataError } from "./versioned.js";

export class Reader {
  constructor(readonly dataset: string) {}

  fail(field: string, rule: string): never {
    throw new PolicyDataError(this.dataset, field, rule);
  }

  object(v: unknown, field: string): Record<string, unknown> {
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(field, "须为对象");
    return v as Record<string, unknown>;
  }

  array(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v)) this.fail(field, "须为数组");
    return v;
  }

  string(v: unknown, field: string): string {
    if (typeof v !== "string" || v.length === 0) this.fail(field, "须为非空字符串");
    return v;
  }

  optString(v: unknown, field: string): string | null {
    return v == null ? null : this.string(v, field);
  }

  date(v: unknown, field: string): string {
    if (!isIsoDate(v)) this.fail(field, "须为 YYYY-MM-DD 格式的日期");
    return v;
  }

  optDate(v: unknown, field: string): string | null {
    return v == null ? null : this.date(v, field);
  }

  yuan(v: unknown, field: string, allowNegative = false): Fen {
    if (typeof v !== "string" && typeof v !== "number")
      this.fail(field, '须为十进制元金额字符串，如 "123.45"');
    let fen: Fen;
    try {
      fen = parseYuan(v);
    } catch (e) {
      this.fail(field, (e as MoneyFormatError).message);
    }
    if (!allowNegative && fen < 0) this.fail(field, "金额不能为负");
    return fen;
  }

  optYuan(v: unknown, field: string): Fen | null {
    return v == null ? null : this.yuan(v, field);
  }

  ratio(v: unknown, field: string, allowNegative = false): Ppm {
    if (typeof v !== "string" && typeof v !== "number")
      this.fail(field, '须为十进制比例字符串，如 "0.8" 或 "80%"');
    let ppm: Ppm;
    try {
      ppm = parseRatio(v);
    } catch (e) {
      this.fail(field, (e as MoneyFormatError).message);
    }
    if (!allowNegative && ppm < 0) this.fail(field, "比例不能为负");
    return ppm;
  }

  optRatio(v: unknown, field: string): Ppm | null {
    return v == null ? null : this.ratio(v, field);
  }

  integer(v: unknown, field: string, min = 0): number {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min)
      this.fail(field, `须为不小于 ${min} 的整数`);
    return v;
  }

  stringList(v: unknown, field: string): string[] {
    return this.array(v ?? [], field).map((x, i) => this.string(x, `${field}[${i}]`));
  }

  ratioMap(v: unknown, field: string): Map<string, Ppm> {
    const o = this.object(v ?? {}, field);
    const m = new Map<string, Ppm>();
    for (const [k, x] of Object.entries(o)) m.set(k, this.ratio(x, `${field}.${k}`));
    return m;
  }

  yuanMap(v: unknown, field: string): Map<string, Fen> {
    const o = this.object(v ?? {}, field);
    const m = new Map<string, Fen>();
    for (const [k, x] of Object.entries(o)) m.set(k, this.yuan(x, `${field}.${k}`));
    return m;
  }
}
