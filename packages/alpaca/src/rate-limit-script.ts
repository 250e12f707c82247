import { RedisScript } from './redis-script.js';

/**
 * The shared broker rate limit, one atomic script. It is a sliding-window log rather than a
 * token bucket: a bucket holding LIMIT tokens that refills LIMIT per minute lets 2×LIMIT calls
 * through within one minute (a full bucket, then a minute of refill), while the log provably
 * admits at most LIMIT calls whose broker arrivals fall in any window of WINDOW ms:
 *
 *   KEYS[1] ZSET of calls, member = call id, score = the latest ms the call can reach the broker:
 *           at admission `now + reserve` (the client aborts by then), lowered by `settle` to the
 *           time its answer came back. KEYS[2] holds `blocked_until` (ms) after a 429.
 *   A call is admitted at `now` only if fewer than LIMIT scores exceed `now - WINDOW`. Take any set
 *   of calls arriving within WINDOW ms of each other and B the one admitted last: every other call
 *   A arrived after `arrival(B) - WINDOW >= now_B - WINDOW`, and score(A) >= arrival(A), so A was
 *   still counted when B was admitted. Hence the set holds at most LIMIT calls.
 *
 * All times come from Redis `TIME`, so the clocks of the processes sharing a key do not matter.
 * Modes (ARGV[1]): `acquire` (ARGV[4] member, ARGV[5] reserve ms) → {1, 0, tokens left} or
 * {0, wait ms, tokens left}; `settle` (ARGV[4] member); `block` (ARGV[5] ms); `peek` → {0, wait, left}.
 */
export const RATE_LIMIT_SCRIPT = new RedisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mode = ARGV[1]
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])

if mode == 'settle' then
  redis.call('ZADD', KEYS[1], 'XX', now, ARGV[4])
  return {1, 0, 0}
end

if mode == 'block' then
  local ms = tonumber(ARGV[5])
  local current = tonumber(redis.call('GET', KEYS[2]) or '0')
  if now + ms > current then
    redis.call('SET', KEYS[2], now + ms, 'PX', ms)
  end
  return {1, 0, 0}
end

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local left = limit - count
if left < 0 then left = 0 end

local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked > now then
  return {0, blocked - now, 0}
end

if count < limit then
  if mode == 'peek' then return {0, 0, left} end
  local reserve = tonumber(ARGV[5])
  redis.call('ZADD', KEYS[1], now + reserve, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window + reserve + 1000)
  return {1, 0, left - 1}
end

local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now + 1, 0}
`);
