import { type AlpacaSim, createAlpacaSim } from '@friren/alpaca-sim';
import { decodeSnapshot, redisKeys } from '@friren/contracts';
import type { Poller } from '@friren/poller';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAll,
  deletePrefix,
  newRedis,
  pollerConfig,
  startPollers,
  testPrefix,
  waitForValue,
} from './support.js';

const REFRESH_MS = 200;

const prefix = testPrefix('poller-bodies');
const keys = redisKeys(prefix);
let sim: AlpacaSim;
let redis: Redis;
let pollers: Poller[] = [];

beforeAll(async () => {
  // As Alpaca's own "Get account" example sends it: the count as a string. Plus fields the
  // cluster does not use, in types other than documented (seed fields are sent verbatim).
  sim = createAlpacaSim({
    accounts: [
      {
        keyId: 'sim-key',
        secretKey: 'sim-secret',
        cash: '100000',
        positions: [
          { symbol: 'AAPL', qty: '50', avgEntryPrice: '189.25', currentPrice: '195.40' },
          { symbol: 'MSFT', qty: '20', avgEntryPrice: '415.10', currentPrice: '421.35' },
        ],
        fields: {
          daytrade_count: '0',
          pattern_day_trader: false,
          account_number: 10203,
          sma: 0,
          shorting_enabled: 'true',
          crypto_tier: 'n/a',
        },
      },
    ],
  });
  await sim.listen(0);
  redis = newRedis();
  const config = pollerConfig(prefix, sim.url!, {
    FRIREN_ACCOUNTS: 'main',
    SNAPSHOT_REFRESH_MS: String(REFRESH_MS),
    SNAPSHOT_MIN_INTERVAL_MS: String(REFRESH_MS),
  });
  pollers = await startPollers(1, config);
});

afterAll(async () => {
  await closeAll(pollers);
  await sim?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
});

describe('broker bodies with fields in another type than documented', () => {
  it('an account sending daytrade_count "0" stays healthy; positions and history keep coming', async () => {
    expect(sim.account('sim-key')['daytrade_count']).toBe('0');
    // Several fetches in a row, each written.
    await waitForValue(async () => Number(await redis.hget(keys.lastGood('main'), 'version')) >= 3, 10_000);

    const status = await redis.hgetall(keys.poller('main'));
    expect(status['healthy']).toBe('true');
    expect(status['state']).toBe('ok');
    expect(status['consecutive_failures']).toBe('0');
    expect(status['last_error'] ?? '').toBe('');

    // The count in the hash in its string form, and the hash reads back under the contract.
    const hash = await redis.hgetall(keys.snapshot('main'));
    expect(hash['daytrade_count']).toBe('0');
    expect(hash['pattern_day_trader']).toBe('false');
    const decoded = decodeSnapshot(hash);
    expect(decoded.ok && decoded.snapshot.daytrade_count).toBe(0);
    // Fields outside the contract never reach the hash.
    expect(hash).not.toHaveProperty('sma');
    expect(hash).not.toHaveProperty('account_number');

    const positions = JSON.parse((await redis.get(keys.positions('main'))) ?? 'null') as { symbol: string }[];
    expect(positions.map((p) => p.symbol)).toEqual(['AAPL', 'MSFT']);
    const history = JSON.parse((await redis.get(keys.history('main'))) ?? 'null') as { timestamp: number[] };
    expect(history.timestamp.length).toBeGreaterThan(10);
    expect(sim.callLog().every((c) => c.status === 200 || c.status === null)).toBe(true);
  });

  it('an unreadable passed-on field is left out of the hash; the account stays healthy', async () => {
    sim.setAccount('sim-key', { daytrade_count: 'zero' });
    const version = Number(await redis.hget(keys.lastGood('main'), 'version'));
    const hash = await waitForValue(async () => {
      const h = await redis.hgetall(keys.snapshot('main'));
      return Number(h['version']) >= version + 2 ? h : null;
    }, 10_000);
    expect(hash).not.toHaveProperty('daytrade_count');
    expect(decodeSnapshot(hash).ok).toBe(true);
    const status = await redis.hgetall(keys.poller('main'));
    expect(status['healthy']).toBe('true');
    expect(status['consecutive_failures']).toBe('0');
  });
});
