import { z } from 'zod';
import { moneySchema, optionalMoneySchema } from './money.js';

/** One `FILL` entry of `GET /v2/account/activities/FILL`. Its `id` is the next page's `page_token`. */
export const fillActivitySchema = z.looseObject({
  id: z.string().min(1),
  activity_type: z.literal('FILL'),
  transaction_time: z.string().min(1),
  symbol: z.string().min(1),
  side: z.string().min(1),
  qty: moneySchema,
  price: moneySchema,
  type: z.string().nullish(),
  order_id: z.string().nullish(),
  order_status: z.string().nullish(),
  leaves_qty: optionalMoneySchema,
  cum_qty: optionalMoneySchema,
});

export const fillActivitiesSchema = z.array(fillActivitySchema);

export type FillActivity = z.infer<typeof fillActivitySchema>;
