import { z } from 'zod';

const series = z.array(z.number().nullable());

/**
 * `GET /v2/account/portfolio/history`. Unlike the account, Alpaca sends these series as JSON
 * numbers by design (daily equity and P&L for charts and ratios); they are kept as sent. Days
 * without data come as `null`. The four series are parallel arrays, so their lengths must match.
 * Every other field (`base_value`, `base_value_asof`, `cashflow`, ...) is kept as sent and never
 * checked: analytics reads only the series and the timeframe.
 */
export const portfolioHistorySchema = z
  .looseObject({
    timestamp: z.array(z.number().int()),
    equity: series,
    profit_loss: series,
    profit_loss_pct: series,
    timeframe: z.string().min(1),
  })
  .refine(
    (h) =>
      h.equity.length === h.timestamp.length &&
      h.profit_loss.length === h.timestamp.length &&
      h.profit_loss_pct.length === h.timestamp.length,
    { message: 'timestamp, equity, profit_loss and profit_loss_pct must have equal lengths' },
  );

export type PortfolioHistory = z.infer<typeof portfolioHistorySchema>;
