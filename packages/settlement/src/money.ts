/**
 * Exact money (金额) of the 4101 wire: amounts are integer fen (分), read from decimal yuan text
 * character by character. The one money module is `@yibao/kernel/money`.
 */
export { type Fen, formatFen, MAX_YUAN_DIGITS, parseFen } from "@yibao/kernel/money";
