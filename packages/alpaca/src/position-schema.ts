import { z } from 'zod';
import { moneySchema, optionalMoneySchema } from './money.js';

/**
 * One entry of `GET /v2/positions`, stored as sent in `P:account:A:positions`. Strict for the fields
 * its readers rely on (symbol, quantity, side, prices and values: decimal strings); every other
 * field (`asset_id`, `exchange`, `cost_basis`, `change_today`, ...) is kept as sent and never
 * checked, so a new or oddly typed one cannot stop the positions.
 */
export const brokerPositionSchema = z.looseObject({
  symbol: z.string().min(1),
  qty: moneySchema,
  side: z.string().nullish(),
  avg_entry_price: optionalMoneySchema,
  current_price: optionalMoneySchema,
  market_value: optionalMoneySchema,
  unrealized_pl: optionalMoneySchema,
});

export const brokerPositionsSchema = z.array(brokerPositionSchema);

export type BrokerPosition = z.infer<typeof brokerPositionSchema>;
