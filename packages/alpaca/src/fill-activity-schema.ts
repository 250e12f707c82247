import { z } from 'zod';
import { moneySchema } from './money.js';

/**
 * One `FILL` entry of `GET /v2/account/activities/FILL`. Its `id` is the next page's `page_token`.
 * Strict for what matching a fill to the ledger needs (id, time, symbol, side, quantity, price,
 * order id); every other field (`type`, `order_status`, `leaves_qty`, `cum_qty`, ...) is kept as
 * sent and never checked.
 */
export const fillActivitySchema = z.looseObject({
  id: z.string().min(1),
  activity_type: z.literal('FILL'),
  transaction_time: z.string().min(1),
  symbol: z.string().min(1),
  side: z.string().min(1),
  qty: moneySchema,
  price: moneySchema,
  order_id: z.string().nullish(),
});

export const fillActivitiesSchema = z.array(fillActivitySchema);

export type FillActivity = z.infer<typeof fillActivitySchema>;
