import { z } from 'zod';

/**
 * Broker fields the cluster passes on (into the snapshot hash) but does not rely on. Alpaca has sent
 * some of them in another JSON type than documented (its own account example has
 * `"daytrade_count": "0"`), so each takes the documented type or its string form; anything else
 * reads as if the broker had left the field out, and never makes the whole body invalid.
 */

/** The snapshot hash's count form holds at most 15 digits. */
const MAX_COUNT = 999_999_999_999_999;

/** A count: a non-negative integer, or the same as a string of digits. */
export const passedOnCount = z
  .union([
    z.number().int().nonnegative().max(MAX_COUNT),
    z
      .string()
      .regex(/^\d{1,15}$/)
      .transform(Number),
  ])
  .nullish()
  .catch(undefined);

/** A flag: a boolean, or `"true"` / `"false"`. */
export const passedOnFlag = z
  .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
  .nullish()
  .catch(undefined);

/** A label: a string, or a number or boolean as its string form. */
export const passedOnText = z
  .union([z.string(), z.number().transform(String), z.boolean().transform(String)])
  .nullish()
  .catch(undefined);
