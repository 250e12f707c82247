import { SNAPSHOT_MONEY_FIELDS } from '@friren/contracts';
import { z } from 'zod';
import { optionalMoneySchema } from './money.js';
import { passedOnCount, passedOnFlag, passedOnText } from './passed-on.js';

const moneyShape = Object.fromEntries(SNAPSHOT_MONEY_FIELDS.map((f) => [f, optionalMoneySchema])) as {
  [K in (typeof SNAPSHOT_MONEY_FIELDS)[number]]: typeof optionalMoneySchema;
};

/** The blocked flags: risk checks and health rely on them, so they stay strict booleans. */
const blockedFlag = z.boolean().nullish();

/**
 * `GET /v2/account`. Strict for what the cluster relies on: `id`, `status`, every money field
 * (decimal strings, never JSON numbers) and the blocked flags. Alpaca adds fields over time and
 * removed `pattern_day_trader`, `daytrade_count` and `daytrading_buying_power` in 2026, so all but
 * `id` and `status` may be absent. `currency`, `pattern_day_trader` and `daytrade_count` are only
 * passed on, so an odd type there is tolerated (passed-on.ts). Every other field is kept as sent
 * and never checked.
 */
export const brokerAccountSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  currency: passedOnText,
  daytrade_count: passedOnCount,
  pattern_day_trader: passedOnFlag,
  trading_blocked: blockedFlag,
  account_blocked: blockedFlag,
  transfers_blocked: blockedFlag,
  ...moneyShape,
});

export type BrokerAccount = z.infer<typeof brokerAccountSchema>;
