/**
 * Exact money and ratio arithmetic (金额与比例): the platform's one money module lives in
 * `@yibao/kernel/money` (integer fen, ppm ratios, one rounding rule: half away from zero to the fen).
 */
export * from "@yibao/kernel/money";
