import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type AlpacaSim, createAlpacaSim } from '@friren/alpaca-sim';
import {
  decodeAccountUpdate,
  decodeSnapshot,
  redisKeys,
  SNAPSHOT_FLAG_FIELDS,
  SNAPSHOT_MONEY_FIELDS,
} from '@friren/contracts';
import { Registry } from '@friren/observability';
import type { Poller } from '@friren/poller';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedApp, spawnApp } from '../support/spawn-app.js';
import {
  closeAll,
  deletePrefix,
  newRedis,
  pollerConfig,
  REDIS_URL,
  sleep,
  startPollers,
  testPrefix,
  waitForValue,
} from './support.js';

const REFRESH_MS = 400;
const MIN_INTERVAL_MS = 100;
const TTL_MS = 3_000;
const INTERVALS = 20;
const EXACT_EQUITY = '122011.09751111286868';

const prefix = testPrefix('poller-cadence');
const keys = redisKeys(prefix);
let sim: AlpacaSim;
let redis: Redis;
let subscriber: Redis;
let pollers: Poller[] = [];
const published: string[] = [];
const registries = [new Registry(), new Registry(), new Registry()];

const accountCalls = () => sim.callLog().filter((c) => c.endpoint === 'account');

describe('3 pollers on one account', () => {
  beforeAll(async () => {
    // The PDT fields Alpaca dropped are switched on here, so every contract field can be checked.
    sim = createAlpacaSim({ includeRemovedPdtFields: true });
    const { url } = await sim.listen(0);
    sim.setAccount('sim-key', { equity: EXACT_EQUITY });
    redis = newRedis();
    subscriber = newRedis();
    subscriber.on('message', (_channel: string, message: string) => published.push(message));
    await subscriber.subscribe(keys.updatedChannel('main'));
    const config = pollerConfig(prefix, url, {
      FRIREN_ACCOUNTS: 'main',
      SNAPSHOT_REFRESH_MS: String(REFRESH_MS),
      SNAPSHOT_MIN_INTERVAL_MS: String(MIN_INTERVAL_MS),
      SNAPSHOT_TTL_MS: String(TTL_MS),
    });
    pollers = await startPollers(3, config, {}, registries);
  });

  afterAll(async () => {
    await closeAll(pollers);
    await sim?.close();
    await subscriber?.quit();
    if (redis) {
      await deletePrefix(redis, prefix);
      await redis.quit();
    }
  });

  it('call the broker once per interval between them, for ~20 intervals', async () => {
    const first = await waitForValue(() => accountCalls()[0], 10_000);
    // Count from mid-interval so the edges of the window do not decide the count.
    const from = first.at + REFRESH_MS / 2;
    const to = from + INTERVALS * REFRESH_MS;
    await sleep(to - Date.now() + 100);
    const inWindow = accountCalls().filter((c) => c.at >= from && c.at < to).length;
    expect(inWindow).toBeGreaterThanOrEqual(INTERVALS - 1);
    expect(inWindow).toBeLessThanOrEqual(INTERVALS + 1);
    // Consecutive calls never closer than SNAPSHOT_MIN_INTERVAL_MS.
    const times = accountCalls().map((c) => c.at);
    for (let i = 1; i < times.length; i += 1)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(MIN_INTERVAL_MS);
    // Exactly one of the three leads.
    expect(pollers.filter((p) => p.isLeader('main'))).toHaveLength(1);
  });

  it('write a hash with every contract field, money exactly as the broker sent it', async () => {
    const hash = await redis.hgetall(keys.snapshot('main'));
    const contractFields = [
      ...SNAPSHOT_MONEY_FIELDS,
      ...SNAPSHOT_FLAG_FIELDS,
      'currency',
      'status',
      'daytrade_count',
      'account',
      'broker_account_id',
      'fetched_at',
      'version',
      'source',
    ];
    for (const field of contractFields) expect(hash, `field ${field}`).toHaveProperty(field);
    const decoded = decodeSnapshot(hash);
    expect(decoded.ok).toBe(true);

    const broker = sim.account('sim-key');
    expect(hash['equity']).toBe(EXACT_EQUITY);
    for (const field of SNAPSHOT_MONEY_FIELDS) {
      if (field !== 'equity') expect(hash[field], field).toBe(broker[field]);
    }
    expect(hash['account']).toBe('main');
    expect(hash['broker_account_id']).toBe(broker['id']);
    expect(hash['source']).toBe('simulator');
    expect(Number(hash['fetched_at'])).toBeGreaterThan(Date.now() - 5 * REFRESH_MS);

    // One write per broker fetch, version +1 each time (all fetches succeeded).
    const lastGood = await redis.hgetall(keys.lastGood('main'));
    expect(Number(lastGood['version'])).toBeGreaterThanOrEqual(Number(hash['version']));
    expect(Number(hash['version'])).toBeGreaterThanOrEqual(accountCalls().length - 1);
    expect(Number(hash['version'])).toBeLessThanOrEqual(accountCalls().length);

    const ttl = await redis.pttl(keys.snapshot('main'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL_MS);
    expect(await redis.pttl(keys.lastGood('main'))).toBe(-1);
  });

  it('reads the same through redis-cli HGETALL', async () => {
    const { stdout } = await promisify(execFile)('redis-cli', [
      '-u',
      REDIS_URL,
      'HGETALL',
      keys.lastGood('main'),
    ]);
    const lines = stdout.trimEnd().split('\n');
    const fromCli: Record<string, string> = {};
    for (let i = 0; i + 1 < lines.length; i += 2) fromCli[lines[i]!] = lines[i + 1]!;
    expect(fromCli['equity']).toBe(EXACT_EQUITY);
    expect(fromCli['account']).toBe('main');
    expect(fromCli['trading_blocked']).toMatch(/^(true|false)$/);
    expect(fromCli['version']).toMatch(/^\d+$/);
    expect(decodeSnapshot(fromCli).ok).toBe(true);
  });

  it('stores positions, history and a status hash, and publishes each version', async () => {
    const positions = JSON.parse((await redis.get(keys.positions('main'))) ?? 'null') as {
      symbol: string;
      qty: string;
    }[];
    expect(positions.map((p) => [p.symbol, p.qty])).toEqual([
      ['AAPL', '50'],
      ['MSFT', '20'],
    ]);
    expect(await redis.pttl(keys.positions('main'))).toBeGreaterThan(0);

    const history = JSON.parse((await redis.get(keys.history('main'))) ?? 'null') as Record<
      string,
      unknown[]
    >;
    expect(history['account']).toBe('main');
    expect(history['timestamp']!.length).toBeGreaterThan(10);
    expect(history['equity']).toHaveLength(history['timestamp']!.length);
    // The slow schedule: once, not once per interval.
    expect(sim.callLog().filter((c) => c.endpoint === 'portfolio_history')).toHaveLength(1);

    const status = await redis.hgetall(keys.poller('main'));
    const leader = pollers.find((p) => p.isLeader('main'));
    expect(status['leader']).toBe(leader?.instanceId);
    expect(status['consecutive_failures']).toBe('0');
    expect(status['healthy']).toBe('true');
    expect(Number(status['last_success_at'])).toBeGreaterThan(Date.now() - 5 * REFRESH_MS);
    // Every broker call so far (account + positions per fetch, the history call), give or take
    // the calls of the fetch still being written.
    const calls = sim.callLog().length;
    expect(Number(status['broker_calls_total'])).toBeGreaterThanOrEqual(calls - 2);
    expect(Number(status['broker_calls_total'])).toBeLessThanOrEqual(calls);

    const versions = published.map((m) => decodeAccountUpdate(m));
    expect(versions.every((u) => u?.kind === 'snapshot')).toBe(true);
    const numbers = versions.map((u) => u?.version ?? -1);
    expect(numbers.length).toBeGreaterThan(INTERVALS - 2);
    for (let i = 1; i < numbers.length; i += 1) expect(numbers[i]).toBe(numbers[i - 1]! + 1);
  });

  it('expose the §6 metrics: only the leader reports the account', async () => {
    const leaderIndex = pollers.findIndex((p) => p.isLeader('main'));
    const text = await registries[leaderIndex]!.metrics();
    expect(text).toMatch(/^friren_poller_leader\{account="main"\} 1$/m);
    expect(text).toMatch(
      /^friren_broker_requests_total\{endpoint="account",outcome="ok",account="main"\} \d+$/m,
    );
    // Failure series exist before the first failure, so increase() sees the first 429.
    expect(text).toMatch(
      /^friren_broker_requests_total\{endpoint="account",outcome="rate-limited",account="main"\} 0$/m,
    );
    expect(text).toMatch(/^friren_account_last_equity\{account="main"\} \d/m);
    expect(text).toMatch(/^friren_broker_request_duration_seconds_count\{endpoint="positions"\} \d+$/m);
    expect(text).toMatch(/^friren_account_buying_power\{account="main"\} \d/m);
    expect(text).toMatch(/^friren_account_equity\{account="main"\} 122011\.09/m);
    const age = /^friren_snapshot_age_seconds\{account="main"\} ([\d.e-]+)$/m.exec(text)?.[1];
    expect(Number(age)).toBeGreaterThanOrEqual(0);
    expect(Number(age)).toBeLessThan(5);
    expect(text).toMatch(/^friren_broker_rate_limit_tokens\{key="[0-9a-f]{16}"\} \d+$/m);
    const follower = await registries[(leaderIndex + 1) % 3]!.metrics();
    expect(follower).toMatch(/^friren_poller_leader\{account="main"\} 0$/m);
    expect(follower).not.toMatch(/^friren_account_equity\{/m);
    // A follower never calls the broker: its request series exist (at 0, so alerts see a first
    // increase) but none has counted anything.
    const followerCounts = [...follower.matchAll(/^friren_broker_requests_total\{[^}]*\} (\d+)$/gm)].map(
      (m) => Number(m[1]),
    );
    expect(followerCounts.length).toBeGreaterThan(0);
    expect(followerCounts.every((n) => n === 0)).toBe(true);
  });
});

// SNAPSHOT_REFRESH_MS=1000 and nothing else: the minimum interval defaults to min(2000, refresh),
// so 1 s too. Separate poller processes.
const SECOND_MS = 1_000;
/** Measured over 12 intervals and scaled to a minute. */
const WINDOW_MS = 12_000;

describe.each([1, 3])('%i poller process(es), SNAPSHOT_REFRESH_MS=1000 alone', (replicas) => {
  const processPrefix = testPrefix(`poller-cadence-${replicas}p`);
  let processSim: AlpacaSim;
  let apps: SpawnedApp[] = [];

  beforeAll(async () => {
    processSim = createAlpacaSim();
    await processSim.listen(0);
    const env = {
      REDIS_URL,
      FRIREN_PREFIX: processPrefix,
      FRIREN_ACCOUNTS: 'main',
      ALPACA_BASE_URL: processSim.url!,
      SNAPSHOT_REFRESH_MS: String(SECOND_MS),
      SNAPSHOT_TTL_MS: '5000',
      OPS_PORT: '0',
      // Each written snapshot is logged with when its call went out.
      LOG_LEVEL: 'debug',
    };
    apps = Array.from({ length: replicas }, () => spawnApp('poller', env));
    await Promise.all(apps.map((a) => a.waitFor(/poller started/, 30_000)));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop('SIGTERM')));
    await processSim?.close();
    const cleanup = newRedis();
    await deletePrefix(cleanup, processPrefix);
    await cleanup.quit();
  });

  it('about 60 account fetches a minute, never two closer than the minimum interval', async () => {
    const calls = () => processSim.callLog().filter((c) => c.endpoint === 'account');
    const first = await waitForValue(() => calls()[0], 15_000);
    // From mid-interval, after the first fetches, so the window's edges do not decide the count.
    const from = first.at + 2 * SECOND_MS + SECOND_MS / 2;
    const to = from + WINDOW_MS;
    await sleep(to - Date.now() + 200);
    const inWindow = calls().filter((c) => c.at >= from && c.at < to).length;
    const perMinute = (inWindow * 60_000) / WINDOW_MS;
    // 12 ± 1 fetches: 55..65 a minute. A fetch that ends a few ms after its slot must not push
    // the next one a whole interval on (6 fetches, 30 a minute).
    expect(inWindow, `${perMinute} fetches a minute`).toBeGreaterThanOrEqual(11);
    expect(inWindow, `${perMinute} fetches a minute`).toBeLessThanOrEqual(13);
    // The floor holds between the poller's own calls, as it logs them...
    const called = apps
      .flatMap((a) => a.output().split('\n'))
      .filter((line) => line.includes('"snapshot written"'))
      .map((line) => (JSON.parse(line) as { calledAt: number }).calledAt)
      .sort((a, b) => a - b);
    expect(called.length).toBeGreaterThanOrEqual(inWindow);
    for (let i = 1; i < called.length; i += 1)
      expect(called[i]! - called[i - 1]!).toBeGreaterThanOrEqual(SECOND_MS);
    // ...and no two arrive together at the simulator. It stamps arrivals on its own event loop,
    // which on a loaded machine can see a request tens of ms late, so only a second call within
    // half the floor (a doubled fetch) is told apart from that jitter here.
    const arrivals = calls().map((c) => c.at);
    for (let i = 1; i < arrivals.length; i += 1)
      expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(SECOND_MS / 2);
  }, 45_000);
});
