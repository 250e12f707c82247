import { formatDecimal, parseDecimal, trimDecimal } from '@friren/contracts';
import { z } from 'zod';

/** Same symbol rule as the trade job (docs/CONTRACT.md §3): equities, crypto pairs, OCC option symbols. */
export const ORDER_SYMBOL_PATTERN = /^[A-Z0-9./-]{1,21}$/;

/** Positive, at most 9 decimals, as a decimal string or a JS number; normalised to a string. */
const positiveDecimal = z
  .union([z.string(), z.number()], {
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be a decimal string or number'),
  })
  .transform((input, ctx) => {
    const parsed = parseDecimal(input);
    if (parsed === null || parsed.units < 0n || Object.is(input, -0)) {
      ctx.addIssue({ code: 'custom', message: 'must be a positive decimal' });
      return z.NEVER;
    }
    const d = trimDecimal(parsed);
    if (d.scale > 9) {
      ctx.addIssue({ code: 'custom', message: 'at most 9 decimal places' });
      return z.NEVER;
    }
    if (d.units === 0n) {
      ctx.addIssue({ code: 'custom', message: 'must be greater than 0' });
      return z.NEVER;
    }
    return formatDecimal(d);
  });

/** A proposed order for `checkOrder`. Unknown fields are refused, as for every outside body. */
export const orderRequestSchema = z.strictObject({
  symbol: z.string().regex(ORDER_SYMBOL_PATTERN, { message: 'must be 1-21 of [A-Z0-9./-]' }),
  side: z.enum(['buy', 'sell'], { error: 'must be "buy" or "sell"' }),
  quantity: positiveDecimal,
  price: positiveDecimal,
});

export type OrderRequest = z.input<typeof orderRequestSchema>;
/** After parsing: quantity and price are canonical decimal strings. */
export type ParsedOrder = z.output<typeof orderRequestSchema>;
