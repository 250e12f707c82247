import {
  encodeAccountUpdate,
  encodePerformance,
  type PerformanceReport,
  type RedisKeys,
} from '@friren/contracts';
import type { Redis } from 'ioredis';

// Replaces the hash and publishes, atomically, unless the hash already holds a version at least
// ARGV[1] — two recomputes of one account commit in revision order (row lock), but may reach Redis
// out of order — or, when ARGV[4] is not empty, unless it holds exactly version ARGV[4] (replacing
// a hash known to be wrong, and nothing written since). Returns {1} or {0, the version found}.
const WRITE = `
local found = redis.call('HGET', KEYS[1], 'version')
local current = tonumber(found or '-1') or -1
if ARGV[4] ~= '' then
  if found ~= ARGV[4] then return {0, found or ''} end
elseif current >= tonumber(ARGV[1]) then
  return {0, found}
end
redis.call('DEL', KEYS[1])
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return {1}`;

export type WriteResult = { readonly written: true } | { readonly written: false; readonly found: number };

/**
 * Writes `P:account:A:performance` (docs/CONTRACT.md §5 names, overall and `strategy:<name>:<field>`)
 * and publishes `{"kind":"performance","version":N}` on `P:account:A:updated`, unless the hash holds
 * this version or a newer one (then `found` is that version). With `replacing`, writes only over a
 * hash holding exactly that version, whatever it is.
 */
export async function writePerformance(
  redis: Redis,
  keys: RedisKeys,
  account: string,
  report: PerformanceReport,
  replacing?: number,
): Promise<WriteResult> {
  const fields = Object.entries(encodePerformance(report)).flat();
  const message = encodeAccountUpdate({ kind: 'performance', version: report.version });
  const reply = (await redis.eval(
    WRITE,
    1,
    keys.performance(account),
    String(report.version),
    keys.updatedChannel(account),
    message,
    replacing === undefined ? '' : String(replacing),
    ...fields,
  )) as [number, string?];
  if (Number(reply[0]) === 1) return { written: true };
  return { written: false, found: Number(reply[1]) };
}
