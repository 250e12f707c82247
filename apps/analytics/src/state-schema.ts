import type { AccumulatorState } from '@friren/analytics-core';
import { SIGNED_DECIMAL_PATTERN } from '@friren/contracts';
import { z } from 'zod';

const decimal = z.string().regex(SIGNED_DECIMAL_PATTERN);
const count = z.number().int().nonnegative();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const lot = z.object({
  trade_id: z.string(),
  opened_at: z.string(),
  strategy: z.string(),
  quantity: decimal,
  cost: decimal,
});

const stats = z.object({
  count,
  wins: count,
  losses: count,
  gross_profit: decimal,
  gross_loss: decimal,
  largest_win: decimal,
  largest_loss: decimal,
  losing_streak: count,
  longest_losing_streak: count,
});

/** The serialized accumulator as `analytics_state.state` holds it (a DB value: checked on the way in). */
export const accumulatorStateSchema = z.object({
  version: z.union([z.literal(3), z.literal(2)]),
  method: z.enum(['fifo', 'average']),
  account: z.string().nullable(),
  fills: count,
  fees: decimal,
  last_id: z.string().nullable(),
  last_timestamp: z.string().nullable(),
  overall: stats,
  sentiment: z.array(stats),
  confidence: z.array(stats),
  symbols: z.array(
    z.object({
      symbol: z.string(),
      fills: count,
      stats,
      lots: z.array(lot),
      last_fill: z.array(z.tuple([day, decimal])),
    }),
  ),
  strategies: z.array(
    z.object({
      strategy: z.string(),
      fills: count,
      stats,
      flows: z.array(z.tuple([day, decimal, decimal, count])),
      positions: z.array(
        z.object({
          symbol: z.string(),
          // Version 3: [signed quantity, cost]; version 2: lot objects.
          lots: z.array(z.union([z.tuple([decimal, decimal]), lot])),
          end_of_day: z.array(z.tuple([day, decimal])),
        }),
      ),
    }),
  ),
}) satisfies z.ZodType<AccumulatorState>;
