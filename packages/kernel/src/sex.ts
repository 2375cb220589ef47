/**
 * 性别代码 (GB/T 2261.1-2003 人的性别代码), the codes of the 4101 field `gend`: 0 未知的性别,
 * 1 男性, 2 女性, 9 未说明的性别.
 *
 * Sex-specific rules name a sex with these constants, and say which way they use it:
 * - a 女性专用 diagnosis or item (妊娠、分娩和产褥期 O00–O9A, 宫颈/卵巢 …) ALLOWS `SEX_FEMALE` ("2")
 *   and is therefore FLAGGED on `SEX_MALE` ("1"); a 男性专用 one (前列腺 …) the other way round.
 * - the QC rule `sexSpecificDiagnosis` takes the sex that is flagged (`params.sex`), the audit
 *   knowledge base the sex that is allowed (`sex`); both are right for 女性专用 with "1" and "2"
 *   respectively, and only the constants below are to be written.
 * - a list whose sex is 0 or 9 (unknown) is not judged by either.
 */
export const SEX_UNKNOWN = "0";
export const SEX_MALE = "1";
export const SEX_FEMALE = "2";
export const SEX_UNSTATED = "9";

/** A sex code of GB/T 2261.1. */
export type SexCode = typeof SEX_UNKNOWN | typeof SEX_MALE | typeof SEX_FEMALE | typeof SEX_UNSTATED;
/** A known sex: male or female. */
export type KnownSex = typeof SEX_MALE | typeof SEX_FEMALE;

export const SEX_NAMES: Readonly<Record<SexCode, string>> = {
  "0": "未知的性别",
  "1": "男",
  "2": "女",
  "9": "未说明的性别",
};

/** True when `v` is 1 (男) or 2 (女). */
export function isKnownSex(v: unknown): v is KnownSex {
  return v === SEX_MALE || v === SEX_FEMALE;
}

/** The other known sex: the one a rule allowing `allowed` flags. */
export function oppositeSex(allowed: KnownSex): KnownSex {
  return allowed === SEX_MALE ? SEX_FEMALE : SEX_MALE;
}
