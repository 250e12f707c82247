import {
  encodeAccountUpdate,
  encodePerformance,
  type PerformanceReport,
  type RedisKeys,
} from '@friren/contracts';
import type { Redis } from 'ioredis';

// Replaces the hash and publishes, atomically, unless the hash already holds a newer version: two
// recomputes of one account commit in revision order (row lock), but may reach Redis out of order.
const WRITE_IF_NEWER = `
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1') or -1
if current >= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;

/**
 * Writes `P:account:A:performance` (docs/CONTRACT.md §5 names, overall and `strategy:<name>:<field>`) and
 * publishes `{"kind":"performance","version":N}` on `P:account:A:updated`. Returns false when a
 * newer version was already there (nothing written).
 */
export async function publishPerformance(
  redis: Redis,
  keys: RedisKeys,
  account: string,
  report: PerformanceReport,
): Promise<boolean> {
  const fields = Object.entries(encodePerformance(report)).flat();
  const message = encodeAccountUpdate({ kind: 'performance', version: report.version });
  const written = await redis.eval(
    WRITE_IF_NEWER,
    1,
    keys.performance(account),
    String(report.version),
    keys.updatedChannel(account),
    message,
    ...fields,
  );
  return Number(written) === 1;
}
