/**
 * Query-string and path-parameter schemas (查询参数) shared by every area's routes, so that each
 * parameter is bounded the same way: periods and dates within sane years, offsets and limits with
 * maxima. Values outside are a 400 naming the parameter, never a database error.
 */
import { MAX_YEAR, MIN_YEAR } from "@yibao/kernel/calendar";
import { Type } from "typebox";

/** Earliest and latest year a period or date parameter may name: the kernel's. */
export { MAX_YEAR, MIN_YEAR } from "@yibao/kernel/calendar";

const YEAR = "(19[0-9]{2}|2[01][0-9]{2})";

/** 结算期号 `yyyy-MM`, years 1900–2199. */
export const PERIOD_PATTERN = `^${YEAR}-(0[1-9]|1[0-2])$`;

/** A date `yyyy-MM-dd`, years 1900–2199 (the day of month is checked where the date is used). */
export const DATE_PATTERN = `^${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`;

/** Largest row offset of a paged query. */
export const MAX_OFFSET = 100_000_000;

/** A period parameter (`yyyy-MM`). */
export const PeriodParam = () => Type.String({ pattern: PERIOD_PATTERN, description: "结算期号 yyyy-MM" });

/** A date parameter (`yyyy-MM-dd`). */
export const DateParam = () => Type.String({ pattern: DATE_PATTERN, description: "日期 yyyy-MM-dd" });

/** A year parameter (integer, 1900–2199). */
export const YearParam = () => Type.Integer({ minimum: MIN_YEAR, maximum: MAX_YEAR });

/** A row offset as an integer (0–`MAX_OFFSET`). */
export const OffsetParam = () => Type.Integer({ minimum: 0, maximum: MAX_OFFSET });

/** A page size as an integer (1–`max`). */
export const LimitParam = (max = 1000) => Type.Integer({ minimum: 1, maximum: max });

/**
 * The filters of a settlement-list query that every area offers alike: the list's status
 * (已接收/已拒收), its DRG and its grouping outcome.
 */
export const ListFilterParams = () => ({
  status: Type.Optional(Type.Union([Type.Literal("accepted"), Type.Literal("refused")])),
  drg: Type.Optional(Type.String({ minLength: 1, maxLength: 10 })),
  groupStatus: Type.Optional(
    Type.Union([
      Type.Literal("OK"),
      Type.Literal("AMBIGUOUS"),
      Type.Literal("UNGROUPABLE"),
      Type.Literal("CHECK_FAILED"),
    ]),
  ),
});
