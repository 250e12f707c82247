import { SNAPSHOT_FLAG_FIELDS, SNAPSHOT_MONEY_FIELDS } from '@friren/contracts';
import { z } from 'zod';
import { optionalMoneySchema } from './money.js';

const moneyShape = Object.fromEntries(SNAPSHOT_MONEY_FIELDS.map((f) => [f, optionalMoneySchema])) as {
  [K in (typeof SNAPSHOT_MONEY_FIELDS)[number]]: typeof optionalMoneySchema;
};
const flag = z.boolean().nullish();
const flagShape = Object.fromEntries(SNAPSHOT_FLAG_FIELDS.map((f) => [f, flag])) as {
  [K in (typeof SNAPSHOT_FLAG_FIELDS)[number]]: typeof flag;
};

/**
 * `GET /v2/account`. Only `id` and `status` are required: Alpaca adds fields over time and removed
 * `pattern_day_trader`, `daytrade_count` and `daytrading_buying_power` in 2026, so every other field
 * is optional and unknown ones are kept as sent.
 */
export const brokerAccountSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  account_number: z.string().nullish(),
  currency: z.string().nullish(),
  daytrade_count: z.number().int().nonnegative().nullish(),
  ...moneyShape,
  ...flagShape,
});

export type BrokerAccount = z.infer<typeof brokerAccountSchema>;
