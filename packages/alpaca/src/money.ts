import { SIGNED_DECIMAL_PATTERN } from '@friren/contracts';
import { z } from 'zod';

/**
 * Money as Alpaca sends it: a JSON string holding a decimal, kept byte-for-byte. A JSON number is
 * refused rather than accepted: once parsed into a float its exact digits are already lost.
 */
export const moneySchema = z.string().regex(SIGNED_DECIMAL_PATTERN, { message: 'must be a decimal string' });

/** Broker fields that may be absent or `null` (e.g. prices outside market hours). */
export const optionalMoneySchema = moneySchema.nullish();
