/** Character and size rules of the trade job's fields (docs/CONTRACT.md §3), shared by both parsers. */

export const TRADE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
export const SYMBOL_PATTERN = /^[A-Z0-9./-]{1,21}$/;
export const MAX_DECIMALS = 9;
/** DECIMAL(38,9) holds 29 integer digits. */
export const MAX_INTEGER_DIGITS = 29;
