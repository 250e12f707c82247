import { z } from 'zod';
import { moneySchema, optionalMoneySchema } from './money.js';

/** One entry of `GET /v2/positions`; decimal fields stay strings, unknown fields are kept. */
export const brokerPositionSchema = z.looseObject({
  symbol: z.string().min(1),
  qty: moneySchema,
  asset_id: z.string().nullish(),
  side: z.string().nullish(),
  asset_class: z.string().nullish(),
  exchange: z.string().nullish(),
  avg_entry_price: optionalMoneySchema,
  qty_available: optionalMoneySchema,
  market_value: optionalMoneySchema,
  cost_basis: optionalMoneySchema,
  unrealized_pl: optionalMoneySchema,
  unrealized_plpc: optionalMoneySchema,
  unrealized_intraday_pl: optionalMoneySchema,
  unrealized_intraday_plpc: optionalMoneySchema,
  current_price: optionalMoneySchema,
  lastday_price: optionalMoneySchema,
  change_today: optionalMoneySchema,
});

export const brokerPositionsSchema = z.array(brokerPositionSchema);

export type BrokerPosition = z.infer<typeof brokerPositionSchema>;
