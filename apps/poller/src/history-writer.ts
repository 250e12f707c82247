import type { PortfolioHistory } from '@friren/alpaca';
import type { RedisKeys } from '@friren/contracts';
import type { Redis } from 'ioredis';
import { STATUS } from './status-fields.js';

/**
 * Stores the daily portfolio history in `P:account:A:history` (no expiry) for the analytics
 * worker: the broker's object as sent (`timestamp`, `equity`, `profit_loss`, `profit_loss_pct`,
 * `base_value`, `timeframe`, ...) plus `account` and `fetched_at`.
 */
export async function writeHistory(
  redis: Redis,
  keys: RedisKeys,
  alias: string,
  history: PortfolioHistory,
  fetchedAt: number,
): Promise<void> {
  const doc = { ...history, account: alias, fetched_at: fetchedAt };
  await redis
    .multi()
    .set(keys.history(alias), JSON.stringify(doc))
    .hset(keys.poller(alias), STATUS.historyFetchedAt, String(fetchedAt), STATUS.historyLastError, '')
    .exec();
}
