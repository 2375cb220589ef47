/** Query-string helpers shared by the routes. */
import { HttpError } from "../errors.js";

export { PERIOD_PATTERN } from "../query-schemas.js";

/** `period` (one month) or `periodFrom`/`periodTo` (inclusive range); both forms together are an error. */
export function periodRange(q: { period?: string; periodFrom?: string; periodTo?: string }): {
  periodFrom?: string;
  periodTo?: string;
} {
  if (q.period !== undefined) {
    if (q.periodFrom !== undefined || q.periodTo !== undefined) {
      throw new HttpError("INVALID_REQUEST", "查询参数 period 不能与 periodFrom/periodTo 同时使用");
    }
    return { periodFrom: q.period, periodTo: q.period };
  }
  if (q.periodFrom !== undefined && q.periodTo !== undefined && q.periodFrom > q.periodTo) {
    throw new HttpError(
      "INVALID_REQUEST",
      `查询参数 periodFrom（${q.periodFrom}）晚于 periodTo（${q.periodTo}）`,
    );
  }
  return {
    ...(q.periodFrom !== undefined ? { periodFrom: q.periodFrom } : {}),
    ...(q.periodTo !== undefined ? { periodTo: q.periodTo } : {}),
  };
}
