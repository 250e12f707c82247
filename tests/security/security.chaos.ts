import { networkInterfaces } from 'node:os';
import { type AlpacaSim, createAlpacaSim } from '@friren/alpaca-sim';
import { loadConfig } from '@friren/config';
import { JOB_NAMES, parseTradeJob, QUEUES } from '@friren/contracts';
import { countTrades, createDb, type Database, listRejected, type StoredRejected } from '@friren/db';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bannerUrl, N, scenario, sleep } from '../chaos/support.js';
import { deletePrefix, REDIS_URL, randomSuffix, testDatabase } from '../e2e/support.js';
import { startLockedRedis } from '../support/locked-redis.js';
import { freePort, type SpawnedApp, spawnApp } from '../support/spawn-app.js';
import { waitUntil } from '../support/wait.js';

/**
 * The whole cluster as an operator runs it (`friren up` in its own process) against a broker
 * reached with distinctive fake credentials and an API token; then hostile input on every door:
 * the trade queue, the HTTP API, the admin routes. Secrets must appear nowhere we can read.
 */
const ALIAS = 'sec';
const prefix = `friren-chaos-sec-${randomSuffix()}`;
const database = testDatabase();
const KEY_ID = 'PKCHAOSKEYID7Q3ZX9W1';
const SECRET = 'chaosSecret_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZ';
const TOKEN = 'chaos-token-5a4f3e2d1c0b9a8877665544332211';
const SECRETS = [KEY_ID, SECRET, TOKEN];

let sim: AlpacaSim;
let app: SpawnedApp;
let redis: Redis;
let queue: Queue;
let db: Database;
let api: string;
let viewUrl: string;
let metricsUrls: string[] = [];
/** Every HTTP response body the suite saw, checked for secrets at the end. */
const responses: string[] = [];

beforeAll(async () => {
  sim = createAlpacaSim({
    accounts: [{ keyId: KEY_ID, secretKey: SECRET, cash: '100000' }],
    rateLimitPerMin: 10_000,
  });
  const { url: simUrl } = await sim.listen(0, '127.0.0.1');
  app = spawnApp(
    'cli',
    {
      REDIS_URL,
      MYSQL_URL: database.url,
      FRIREN_PREFIX: prefix,
      FRIREN_ACCOUNTS: ALIAS,
      ALPACA_KEY_ID: KEY_ID,
      ALPACA_SECRET_KEY: SECRET,
      ALPACA_BASE_URL: simUrl,
      FRIREN_API_TOKEN: TOKEN,
      SNAPSHOT_REFRESH_MS: '500',
      SNAPSHOT_MIN_INTERVAL_MS: '200',
      SNAPSHOT_TTL_MS: '3000',
      HTTP_PORT: String(await freePort()),
      OPS_PORT: '0',
      ANALYTICS_SETTLE_MS: '100',
      // The most talkative level: whatever is logged anywhere is checked for secrets.
      LOG_LEVEL: 'debug',
    },
    ['up'],
  );
  await app.waitFor(/^Try: pnpm friren report/, 90_000);
  const out = app.output();
  api = bannerUrl(out, 'API \\(orchestrator\\)');
  viewUrl = bannerUrl(out, 'account view');
  metricsUrls = ['poller', 'trade-recorder', 'analytics', 'orchestrator'].map((a) =>
    bannerUrl(out, `${a} metrics`),
  );
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUES.trades, { connection: redis, prefix });
  db = createDb(database.url, { poolSize: 2 });
  await waitUntil(async () => (await fetch(viewUrl)).status === 200, 20_000, 100);
}, 120_000);

afterAll(async () => {
  await app?.stop('SIGTERM');
  await queue?.close();
  await db?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await sim?.close();
  await database.drop();
});

async function call(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
) {
  const res = await fetch(`${api}${path}`, { method, ...init });
  const text = await res.text();
  responses.push(text);
  return { status: res.status, text };
}

/** How many times the cluster printed its banner: more than once means something restarted it. */
const starts = () => app.output().match(/^Friren is up:/gm)?.length ?? 0;

// ---------------------------------------------------------------- bad input on the queue

const VALID = {
  account: ALIAS,
  symbol: 'AAPL',
  side: 'buy',
  quantity: '1.5',
  price: '187.25',
  timestamp: '2026-11-25T14:30:00.123456Z',
  strategy_used: 'chaos',
};
const FIELDS = [
  'trade_id',
  ...Object.keys(VALID),
  'finbert_sentiment',
  'confidence_score',
  'fees',
  'order_id',
  'metadata',
];

const SQLI = [
  "'; DROP TABLE trades; --",
  "1' OR '1'='1",
  '" OR ""="',
  '1); DELETE FROM rejected_trades WHERE (1=1',
  '\\x00\\x1a',
  "admin'--",
  'UNION SELECT * FROM mysql.user',
];
const deep = (levels: number): unknown => (levels === 0 ? 'leaf' : { d: deep(levels - 1) });
/** Values that no field of the contract accepts, or accepts only by chance (decided by the contract's parser). */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, Number.MAX_SAFE_INTEGER, 1e308, -0, [], {}, ''),
  fc.constantFrom(...SQLI),
  fc.constantFrom('__proto__', 'constructor', 'prototype'),
  fc.constantFrom(
    '0',
    '-0.000000001',
    '0.000000001',
    '0.0000000001',
    '1e5',
    '1.',
    '.5',
    ' 1',
    '1 ',
    '0x10',
    'NaN',
  ),
  fc.constantFrom(
    '99999999999999999999999999999.999999999',
    '999999999999999999999999999999',
    '1.1234567890',
  ),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.double(),
  fc.integer(),
  fc.constantFrom('𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'A\u0000B', '\u202eRTL', 'ＡＡＰＬ', 'aapl', 'ÄAPL'),
  fc.integer({ min: 20, max: 200 }).map(deep),
  fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 5 }),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}')),
);

interface Generated {
  data: Record<string, unknown>;
  /** The field we broke (or `__proto__`/`constructor`/... for an extra key); null when nothing was. */
  field: string;
}

/** A valid trade with one field replaced by a hostile value, or an extra hostile key added. */
const payload: fc.Arbitrary<Generated> = fc
  .oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(fc.constantFrom(...FIELDS), hostileValue)
        .map(([field, value]) => ({ field, value })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', "x'; --", 'ünï'),
          hostileValue,
        )
        .map(([field, value]) => ({ field, value })),
    },
  )
  .map(({ field, value }) => {
    // JSON.parse makes `__proto__` an own key, as a producer's JSON would.
    const data = JSON.parse(JSON.stringify(VALID)) as Record<string, unknown>;
    Object.defineProperty(data, field, { value, enumerable: true, writable: true, configurable: true });
    return { data, field };
  });

function rejectedAll(): Promise<StoredRejected[]> {
  return listRejected(db.db, { limit: 1_000_000 });
}

describe('security: hostile input, secrets, access', () => {
  it('bad input: generated payloads are each rejected naming the field; valid ones recorded; no restart', async () => {
    await scenario(
      {
        id: 'bad-input',
        order: 60,
        scenario: 'Bad input (queue + HTTP fuzz)',
        load: `${N.badPayloads} queue payloads, ${N.httpFuzz} HTTP bodies`,
        faults:
          'wrong types, boundary decimals, huge strings, unicode, SQL injection, __proto__ keys, deep nesting',
        inputs: `${N.badPayloads + N.httpFuzz} generated (fast-check, seed 4242)`,
      },
      async (row) => {
        const samples = fc.sample(payload, { numRuns: N.badPayloads, seed: 4242 });
        const expected = new Map<string, { valid: boolean; field: string }>();
        const jobs = samples.map((g, i) => {
          const data = g.data;
          if (g.field !== 'trade_id') data['trade_id'] = `fuzz-${i}`;
          // What a producer's JSON makes of it (BullMQ serializes the same way).
          const wire = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
          const verdict = parseTradeJob(wire);
          // A hostile trade_id that happens to be valid could collide; such jobs are counted once.
          expected.set(`fuzz-${i}`, { valid: verdict.ok, field: g.field });
          return { name: JOB_NAMES.trade, data, opts: { jobId: `fuzz-${i}` } };
        });
        const validIds = new Set<string>();
        for (const [i, g] of samples.entries()) {
          const e = expected.get(`fuzz-${i}`)!;
          // The parser checks the alias's form; the recorder also wants it configured.
          if (e.valid && g.data['account'] !== ALIAS) {
            e.valid = false;
            e.field = 'account';
          }
          if (e.valid) validIds.add(String(g.data['trade_id']));
        }
        const invalid = [...expected.values()].filter((e) => !e.valid).length;
        for (let i = 0; i < jobs.length; i += 200) await queue.addBulk(jobs.slice(i, i + 200));

        // Settled: nothing waiting, active or delayed.
        await waitUntil(
          async () => {
            const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
            return Object.values(c).every((n) => n === 0);
          },
          180_000,
          250,
        );
        await sleep(500);
        const rows = await rejectedAll();
        const rejectedIds = new Set(rows.map((r) => r.job_id));
        const recorded = await countTrades(db.db, ALIAS);
        const problems: string[] = [];
        let unnamed = 0;
        for (const r of rows) {
          const e = expected.get(r.job_id);
          if (e === undefined) continue;
          if (e.valid) problems.push(`${r.job_id} (valid per contract) rejected: ${r.reason.slice(0, 120)}`);
          else if (!r.reason.includes(e.field)) {
            unnamed++;
            problems.push(`${r.job_id} broke ${e.field}, reason: ${r.reason.slice(0, 120)}`);
          }
        }
        for (const [id, e] of expected) {
          if (!e.valid && !rejectedIds.has(id)) {
            const job = await queue.getJob(id);
            problems.push(
              `${id} (${e.field}) not in rejected_trades; job ${await job?.getState()} ${job?.failedReason ?? ''}`,
            );
          }
        }
        row.figures['queue payloads'] = jobs.length;
        row.figures['invalid per contract'] = invalid;
        row.figures['rejected (stored with reason)'] = rows.length;
        row.figures['valid per contract (distinct trade_id)'] = validIds.size;
        row.figures['valid recorded'] = recorded;
        row.figures['reasons not naming the field'] = unnamed;
        row.lost = Math.max(0, invalid - rows.length) + Math.max(0, validIds.size - recorded);
        row.duplicated = Math.max(0, recorded - validIds.size);
        expect(problems.slice(0, 20)).toEqual([]);
        expect(recorded).toBe(validIds.size);

        // HTTP bodies fuzzed the same way, with the right token: 4xx, never 5xx.
        const bodies = fc.sample(
          fc.oneof(
            hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
            payload.map((g) => JSON.stringify(g.data)),
            fc.string({ maxLength: 200 }),
            fc.constantFrom('{', '{"symbol":', '\u0000', '[]'.repeat(5000), `{"a":${'['.repeat(10_000)}}`),
          ),
          { numRuns: N.httpFuzz, seed: 4243 },
        );
        const statuses = new Map<number, number>();
        const paths = [
          `/v1/accounts/${ALIAS}/risk-check`,
          `/v1/accounts/${ALIAS}/refresh`,
          '/v1/accounts/%27%20OR%201=1/risk-check',
        ];
        let fiveXX = 0;
        for (const [i, body] of bodies.entries()) {
          const r = await call('POST', paths[i % paths.length]!, {
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body,
          });
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.status >= 500) fiveXX++;
        }
        row.figures['HTTP statuses'] = [...statuses].map(([s, n]) => `${s}×${n}`).join(' ');
        row.figures['HTTP 5xx'] = fiveXX;
        expect(fiveXX).toBe(0);
        expect(app.child.exitCode).toBeNull();
        expect(starts()).toBe(1);
        row.figures['restarts'] = starts() - 1;
      },
    );
  }, 300_000);

  it('bad input: a strategy named "*" gets series of its own and never overwrites the whole account\'s', async () => {
    const at = (minute: number) => `2026-11-25T15:${String(minute).padStart(2, '0')}:00.000000Z`;
    const fill = (id: string, side: 'buy' | 'sell', price: string, strategy: string, minute: number) => ({
      name: JOB_NAMES.trade,
      data: {
        ...VALID,
        trade_id: id,
        symbol: 'STAR',
        side,
        quantity: '1',
        price,
        timestamp: at(minute),
        strategy_used: strategy,
      },
      opts: { jobId: id },
    });
    // "*" loses 10 on its round trip; "star-base" gains 30 on its own: the account is not "*".
    await queue.addBulk([
      fill('star-1', 'buy', '100', '*', 1),
      fill('star-2', 'sell', '90', '*', 2),
      fill('star-3', 'buy', '50', 'star-base', 3),
      fill('star-4', 'sell', '80', 'star-base', 4),
    ]);
    const analyticsMetrics = metricsUrls[2]!;
    const value = (text: string, labels: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`friren_pnl_total{${labels}} `));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    const star = `account="${ALIAS}",scope="strategy",strategy="*"`;
    const text =
      (await waitUntil(
        async () => {
          const t = await (await fetch(analyticsMetrics)).text();
          return value(t, star) === -10 ? t : undefined;
        },
        30_000,
        200,
      )) ?? '';
    const hash = await redis.hgetall(`${prefix}:account:${ALIAS}:performance`);
    expect(hash['strategy:*:total_pnl']).toBe('-10');
    expect(value(text, `account="${ALIAS}",scope="strategy",strategy="star-base"`)).toBe(30);
    // The account-wide series is the hash's overall figure, not the "*" strategy's.
    const account = value(text, `account="${ALIAS}",scope="account"`);
    expect(account).toBe(Number(hash['total_pnl']));
    expect(account).not.toBe(-10);
    expect(text).not.toMatch(/friren_pnl_total\{account="[^"]*",strategy=/);
  }, 60_000);

  it('bad input in Redis: a snapshot dated ahead is labelled skewed and replaced; a garbage performance field is dropped, named', async () => {
    await scenario(
      {
        id: 'bad-input-redis',
        order: 61,
        scenario: 'Bad input (Redis: future-dated snapshot, garbage performance field)',
        load: 'live cluster, poller held on broker 500s while the bad hashes are served',
        faults: 'fetched_at 10 min and 30 days ahead; total_pnl = "garbage"',
        inputs: '3 hostile Redis writes',
      },
      async (row) => {
        const snapshotKey = `${prefix}:account:${ALIAS}:snapshot`;
        const performanceKey = `${prefix}:account:${ALIAS}:performance`;
        const channel = `${prefix}:account:${ALIAS}:updated`;
        type View = {
          snapshot: { version: number } | null;
          freshness: { age_ms: number; stale: boolean; skewed: boolean };
          performance: unknown;
          warnings: string[];
          health: { reasons: string[] };
        };
        const view = async () => {
          const r = await call('GET', `/v1/accounts/${ALIAS}`);
          return { status: r.status, text: r.text, body: JSON.parse(r.text) as View };
        };
        const stats = async () =>
          JSON.parse((await call('GET', `/v1/accounts/${ALIAS}/stats`)).text) as { background_loads: number };
        /** Writes the live hash as the poller would, dated `aheadMs` into the future. */
        const writeAhead = async (aheadMs: number, version: number) => {
          const live = await redis.hgetall(snapshotKey);
          const hash = { ...live, fetched_at: String(Date.now() + aheadMs), version: String(version) };
          await redis.multi().del(snapshotKey).hset(snapshotKey, hash).pexpire(snapshotKey, 60_000).exec();
          await redis.publish(channel, JSON.stringify({ kind: 'snapshot', version }));
        };

        // Hold the poller (the broker answers 500) so only our hashes are in Redis for a while.
        sim.setFault({ kind: 'http_error', status: 500 });
        try {
          await sleep(1_000);
          const base = Number((await redis.hget(snapshotKey, 'version')) ?? '0') + 1_000;

          // Ten minutes ahead: labelled skewed, not fresh, and said so in health.
          await writeAhead(600_000, base);
          await waitUntil(async () => (await view()).body.freshness.skewed, 10_000, 100);
          const skewed = await view();
          expect(skewed.body.freshness).toMatchObject({ stale: true, skewed: true });
          expect(skewed.body.freshness.age_ms).toBeLessThan(-590_000);
          expect(skewed.body.health.reasons.some((r) => r.startsWith('clock_skew:'))).toBe(true);
          row.figures['10 min ahead: freshness'] = JSON.stringify(skewed.body.freshness);

          // Thirty days ahead: the expiry timer must not overflow into a busy reload loop.
          await writeAhead(30 * 86_400_000, base + 1);
          await waitUntil(async () => (await view()).body.freshness.age_ms < -29 * 86_400_000, 10_000, 100);
          const before = (await stats()).background_loads;
          await sleep(3_000);
          const reloads = (await stats()).background_loads - before;
          row.figures['30 days ahead: background loads in 3 s'] = reloads;
          // An overflowing timer fires every millisecond: thousands here.
          expect(reloads).toBeLessThan(30);
          expect(app.output()).not.toMatch(/TimeoutOverflowWarning/);
        } finally {
          sim.clearFaults();
        }
        // The poller's next, correctly timed write replaces it.
        await waitUntil(
          async () => {
            const v = (await view()).body;
            return !v.freshness.skewed && !v.freshness.stale;
          },
          30_000,
          200,
        );
        const fixed = await view();
        expect(fixed.body.freshness.age_ms).toBeGreaterThanOrEqual(0);
        row.figures['after a correct write: freshness'] = JSON.stringify(fixed.body.freshness);

        // A garbage performance field: dropped with the field named, never served.
        const original = await redis.hget(performanceKey, 'total_pnl');
        await redis.hset(performanceKey, 'total_pnl', 'garbage');
        await redis.publish(channel, JSON.stringify({ kind: 'performance', version: 0 }));
        try {
          await waitUntil(async () => (await view()).body.warnings.length > 0, 10_000, 100);
          const dropped = await view();
          expect(dropped.status).toBe(200);
          expect(dropped.body.performance).toBeNull();
          expect(dropped.body.warnings[0]).toMatch(
            /^performance_invalid: total_pnl: must be a decimal string/,
          );
          expect(dropped.text).not.toContain('garbage');
          row.figures['garbage total_pnl: warnings'] = dropped.body.warnings.join('; ');
        } finally {
          if (original === null) await redis.hdel(performanceKey, 'total_pnl');
          else await redis.hset(performanceKey, 'total_pnl', original);
          await redis.publish(channel, JSON.stringify({ kind: 'performance', version: 0 }));
        }
        expect(app.child.exitCode).toBeNull();
        expect(starts()).toBe(1);
      },
    );
  }, 120_000);

  it('bad input: a conflicting duplicate, a reused job id and an overlong job id are each kept; a redelivery is not', async () => {
    const recorderMetrics = metricsUrls[1]!;
    const settledState = async (jobId: string): Promise<string> => {
      let state = '';
      await waitUntil(async () => {
        state = (await (await queue.getJob(jobId))?.getState()) ?? '';
        return state === 'completed' || state === 'failed';
      }, 30_000);
      return state;
    };
    const metric = async (name: string): Promise<number> => {
      const text = await (await fetch(recorderMetrics)).text();
      const line = text
        .split('\n')
        .find((l) => l.startsWith(`${name}{account="${ALIAS}"}`) || l.startsWith(`${name} `));
      return line === undefined ? 0 : Number(line.split(' ').pop());
    };
    const conflictsBefore = await metric('friren_trades_conflicting_total');

    const byJob = async (jobId: string) => (await rejectedAll()).filter((r) => r.job_id === jobId);

    await scenario(
      {
        id: 'bad-input-conflict',
        order: 62,
        scenario: 'Bad input (conflicting duplicate)',
        load: 'live cluster; one trade, then its trade_id again with other fields, then again exactly',
        faults:
          'same (account, trade_id): sell 999 @ 1.23 after buy 10 @ 100; an exact copy with decimals written otherwise',
        inputs: '3 jobs',
      },
      async (row) => {
        // 1. Buy 10 @ 100 under trade_id X; then X again as sell 999 @ 1.23; then X exactly again
        //    (decimals written otherwise): one trade, one conflict kept with its reason, one redelivery.
        const x = { ...VALID, trade_id: 'sec-conflict-x', side: 'buy', quantity: '10', price: '100' };
        await queue.add(JOB_NAMES.trade, x, { jobId: 'sec-conflict-1' });
        expect(await settledState('sec-conflict-1')).toBe('completed');
        await queue.add(
          JOB_NAMES.trade,
          { ...x, side: 'sell', quantity: '999', price: '1.23' },
          { jobId: 'sec-conflict-2' },
        );
        await queue.add(
          JOB_NAMES.trade,
          { ...x, quantity: 10, price: '100.00' },
          { jobId: 'sec-conflict-3' },
        );
        expect(await settledState('sec-conflict-2')).toBe('failed');
        expect(await settledState('sec-conflict-3')).toBe('completed');
        const [stored] = await db.db
          .selectFrom('trades')
          .selectAll()
          .where('trade_id', '=', x.trade_id)
          .execute();
        expect([stored?.side, stored?.quantity, stored?.price]).toEqual([
          'buy',
          '10.000000000',
          '100.000000000',
        ]);
        const [conflict] = await byJob('sec-conflict-2');
        expect(conflict?.reason).toMatch(
          new RegExp(
            `^trade_id: conflicts with recorded trade ${stored!.id} .*side recorded "buy", received "sell"`,
          ),
        );
        expect(await byJob('sec-conflict-3')).toEqual([]);
        await waitUntil(
          async () => (await metric('friren_trades_conflicting_total')) === conflictsBefore + 1,
          10_000,
        );

        const kept = (await byJob('sec-conflict-2')).length;
        row.lost = (stored === undefined ? 1 : 0) + (1 - kept);
        row.duplicated =
          (await db.db.selectFrom('trades').select('id').where('trade_id', '=', x.trade_id).execute())
            .length - 1;
        row.figures['recorded trade'] = `${stored?.side} ${stored?.quantity} @ ${stored?.price}`;
        row.figures['conflict kept'] = conflict?.reason ?? 'none';
        row.figures['exact copy'] = 'counted as a redelivery, nothing stored';
      },
    );

    await scenario(
      {
        id: 'bad-input-reused-job-id',
        order: 63,
        scenario: 'Bad input (rejections under a reused job id)',
        load: 'live cluster; the queue id counter set back, as after a Redis restart without persistence',
        faults: 'two invalid jobs under the same job id',
        inputs: '2 jobs',
      },
      async (row) => {
        // 2. A job id the queue hands out again (Redis restarted without persistence, so its id counter
        //    starts over): both rejections are kept.
        const first = await queue.add(JOB_NAMES.trade, { ...VALID, trade_id: 'sec-reuse-1', side: 'hold' });
        expect(await settledState(first.id!)).toBe('failed');
        await first.remove();
        await redis.set(`${prefix}:${QUEUES.trades}:id`, String(Number(first.id) - 1));
        const second = await queue.add(JOB_NAMES.trade, { ...VALID, trade_id: 'sec-reuse-2', quantity: '0' });
        expect(second.id).toBe(first.id);
        expect(await settledState(second.id!)).toBe('failed');
        expect((await byJob(first.id!)).map((r) => r.reason.split(':')[0])).toEqual(['side', 'quantity']);

        const kept = (await byJob(first.id!)).length;
        row.lost = 2 - kept;
        row.duplicated = 0;
        row.figures['rejections kept under one job id'] = kept;
      },
    );

    await scenario(
      {
        id: 'bad-input-poison-id',
        order: 64,
        scenario: 'Bad input (poison job id)',
        load: 'live cluster; one batch of three jobs',
        faults: 'an invalid job whose id is 411 characters (the column holds 255) between two valid ones',
        inputs: '3 jobs',
      },
      async (row) => {
        // 3. An invalid job whose id is longer than the column: stored cut and marked, alone; its batch
        //    neighbours are recorded and the recorder never pauses.
        const poisonId = `sec-poison-${'p'.repeat(400)}`;
        await queue.addBulk([
          {
            name: JOB_NAMES.trade,
            data: { ...VALID, trade_id: 'sec-poison-before' },
            opts: { jobId: 'sec-poison-before' },
          },
          {
            name: JOB_NAMES.trade,
            data: { ...VALID, trade_id: 'sec-poison', price: '-1' },
            opts: { jobId: poisonId },
          },
          {
            name: JOB_NAMES.trade,
            data: { ...VALID, trade_id: 'sec-poison-after' },
            opts: { jobId: 'sec-poison-after' },
          },
        ]);
        expect(await settledState(poisonId)).toBe('failed');
        expect(await settledState('sec-poison-before')).toBe('completed');
        expect(await settledState('sec-poison-after')).toBe('completed');
        const [poison] = (await rejectedAll()).filter((r) => r.job_id.startsWith('sec-poison-ppp'));
        expect(poison?.job_id).toBe(poisonId.slice(0, 255));
        expect(poison?.job_id_truncated).toBe(true);
        expect(poison?.reason).toMatch(/^price: must be > 0 \(job id cut from 411 characters\)$/);
        const neighbours = await db.db
          .selectFrom('trades')
          .select('trade_id')
          .where('trade_id', 'in', ['sec-poison-before', 'sec-poison-after'])
          .execute();
        row.lost = (poison === undefined ? 1 : 0) + (2 - neighbours.length);
        row.duplicated = 0;
        row.figures['poison row'] =
          `job id cut to ${poison?.job_id.length} characters, marked cut: ${poison?.job_id_truncated}`;
        row.figures['batch neighbours recorded'] = neighbours.length;
        row.figures['recorder paused'] = await metric('friren_recorder_paused');
      },
    );
    expect(await metric('friren_recorder_paused')).toBe(0);
    expect(starts()).toBe(1);
  }, 120_000);

  it('access: every mutating/admin route without or with a wrong token is 401; default bind is loopback', async () => {
    await scenario(
      {
        id: 'access',
        order: 80,
        scenario: 'Access control',
        load: 'protected routes × 5 credential variants',
        faults: 'no token, wrong bearer, wrong basic, token in query, bearer of the right length',
        inputs: '',
      },
      async (row) => {
        const routes: [string, string, string | undefined][] = [
          [
            'POST',
            `/v1/accounts/${ALIAS}/risk-check`,
            JSON.stringify({ symbol: 'AAPL', side: 'buy', quantity: '1', price: '1' }),
          ],
          ['POST', `/v1/accounts/${ALIAS}/refresh`, '{}'],
          ['POST', '/v1/accounts/nope/risk-check', '{}'],
          ['GET', '/admin/queues', undefined],
          ['GET', '/admin/queues/api/queues', undefined],
          ['PUT', '/admin/queues/api/queues/trades/clean/completed', undefined],
        ];
        const wrongBasic = `Basic ${Buffer.from('admin:wrong').toString('base64')}`;
        const variants: (Record<string, string> | null)[] = [
          null,
          { authorization: 'Bearer wrong' },
          { authorization: `Bearer ${'x'.repeat(TOKEN.length)}` },
          { authorization: wrongBasic },
          { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
        ];
        let tried = 0;
        const not401: string[] = [];
        for (const [method, path, body] of routes) {
          for (const v of variants) {
            const headers: Record<string, string> = { ...(v ?? {}) };
            if (body !== undefined) headers['content-type'] = 'application/json';
            const r = await call(method, path, { headers, ...(body !== undefined ? { body } : {}) });
            tried++;
            if (r.status !== 401) not401.push(`${method} ${path} ${JSON.stringify(v)} → ${r.status}`);
          }
          // The token in the query string is not a credential.
          const q = await call(method, `${path}?token=${TOKEN}&access_token=${TOKEN}`, {
            ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body } : {}),
          });
          tried++;
          if (q.status !== 401) not401.push(`${method} ${path}?token → ${q.status}`);
        }
        // With the right token the same routes work (so the 401s are about the token).
        const ok = await call('POST', `/v1/accounts/${ALIAS}/risk-check`, {
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ symbol: 'AAPL', side: 'buy', quantity: '1', price: '1' }),
        });
        expect(ok.status).toBe(200);

        // Default bind: loopback, both in the config and in what the process listens on.
        const host = loadConfig({}, { opsPort: 0 }).http.host;
        row.figures['default HTTP_HOST'] = String(host);
        expect(host).toBe('127.0.0.1');
        const external = Object.values(networkInterfaces())
          .flat()
          .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
        let externalReachable = 'no non-loopback interface';
        if (external !== undefined) {
          const port = new URL(api).port;
          externalReachable = await fetch(`http://${external}:${port}/healthz`, {
            signal: AbortSignal.timeout(2000),
          })
            .then((r) => `reachable (${r.status})`)
            .catch(() => 'refused');
          expect(externalReachable).toBe('refused');
        }
        row.figures['API on a non-loopback address'] = externalReachable;
        row.figures['requests'] = tried;
        row.figures['not 401'] = not401.length;
        row.inputs = `${tried} requests on ${routes.length} routes`;
        expect(not401).toEqual([]);
      },
    );
  }, 60_000);

  it('access: the queue dashboard is read-only: a valid token cannot rewrite a queued fill', async () => {
    await scenario(
      {
        id: 'access-dashboard-write',
        order: 81,
        scenario: 'Access control (queue dashboard writes)',
        load: 'one delayed trade job in the queue',
        faults: 'update-data quantity 1 → 1000, promote, clean and pause with the right token',
        inputs: '',
      },
      async (row) => {
        const job = await queue.add(
          JOB_NAMES.trade,
          { ...VALID, trade_id: 'dash-1', quantity: '1' },
          { jobId: 'dash-1', delay: 600_000 },
        );
        try {
          const auth = { authorization: `Bearer ${TOKEN}` };
          const attempts: [string, string, string | undefined][] = [
            [
              'PATCH',
              `/admin/queues/api/queues/${QUEUES.trades}/dash-1/update-data`,
              JSON.stringify({ jobData: { ...VALID, trade_id: 'dash-1', quantity: '1000' } }),
            ],
            ['PUT', `/admin/queues/api/queues/${QUEUES.trades}/dash-1/promote`, undefined],
            ['PUT', `/admin/queues/api/queues/${QUEUES.trades}/clean/completed`, undefined],
            ['PUT', `/admin/queues/api/queues/${QUEUES.trades}/pause`, undefined],
          ];
          const statuses: string[] = [];
          for (const [method, path, body] of attempts) {
            const headers: Record<string, string> = { ...auth };
            if (body !== undefined) headers['content-type'] = 'application/json';
            const r = await call(method, path, { headers, ...(body !== undefined ? { body } : {}) });
            statuses.push(`${method} ${path.split('/').slice(-1)[0]} → ${r.status}`);
            expect(r.status, `${method} ${path}`).toBe(403);
          }
          const after = await queue.getJob(job.id!);
          expect(after?.data.quantity).toBe('1');
          expect(await after?.getState()).toBe('delayed');
          expect(await queue.isPaused()).toBe(false);
          expect(app.output()).toMatch(/queue dashboard: refused a write action/);
          row.figures['write attempts'] = statuses.join(', ');
          row.figures['job quantity after'] = String(after?.data.quantity);
          row.inputs = `${attempts.length} write requests with the right token`;
        } finally {
          await job.remove();
        }
      },
    );
  }, 60_000);

  it('secrets: the key, secret and token appear in no log line, metric, error response or rejected row', async () => {
    await scenario(
      {
        id: 'secrets',
        order: 70,
        scenario: 'Secrets',
        load: 'cluster running with a fake key id, secret and API token',
        faults: 'broker 401 and 500, wrong tokens, bad jobs echoing the secrets, debug logging',
        inputs: '',
      },
      async (row) => {
        // Provoke the paths that like to print credentials: broker auth failures and errors ...
        sim.setFault({ kind: 'unauthorized', count: 3 });
        await sleep(2_000);
        sim.setFault({ kind: 'http_error', status: 500, count: 3 });
        await sleep(2_000);
        sim.clearFaults();
        // ... a job carrying the secrets in a field, which the recorder rejects.
        await queue.add(
          JOB_NAMES.trade,
          { ...VALID, trade_id: 'leak-1', symbol: SECRET, extra: TOKEN },
          { jobId: 'leak-1' },
        );
        // ... and error responses that quote what the client sent.
        await call('POST', `/v1/accounts/${ALIAS}/risk-check`, {
          headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
          body: JSON.stringify({ symbol: KEY_ID, side: 'buy', quantity: '1', price: '1' }),
        });
        await call('GET', `/v1/accounts/${ALIAS}`);
        await call('GET', `/v1/accounts/${ALIAS}/health`);
        await call('GET', '/v1/accounts/does-not-exist');
        await waitUntil(async () => (await rejectedAll()).some((r) => r.job_id === 'leak-1'), 15_000, 100);

        const logs = app.output();
        const metrics = await Promise.all(metricsUrls.map(async (u) => (await fetch(u)).text()));
        const leakRow = (await rejectedAll()).find((r) => r.job_id === 'leak-1')!;
        // The leak job's raw payload holds the secret because the producer put it there; its reason must not.
        const rejectedText = (await rejectedAll())
          .map((r) => (r.job_id === 'leak-1' ? r.reason : `${r.payload} ${r.reason}`))
          .join('\n');
        const found: string[] = [];
        for (const s of SECRETS) {
          if (logs.includes(s)) found.push(`log: ${s.slice(0, 6)}…`);
          if (metrics.some((m) => m.includes(s))) found.push(`metrics: ${s.slice(0, 6)}…`);
          if (responses.some((r) => r.includes(s))) found.push(`response: ${s.slice(0, 6)}…`);
          if (rejectedText.includes(s)) found.push(`rejected_trades: ${s.slice(0, 6)}…`);
        }
        row.figures['log lines checked'] = logs.split('\n').length;
        row.figures['metric pages checked'] = metrics.length;
        row.figures['HTTP responses checked'] = responses.length;
        row.figures['leak-1 reason'] = leakRow.reason.slice(0, 80);
        row.figures['occurrences found'] = found.length;
        row.inputs = `${logs.split('\n').length} log lines, ${metrics.length} metric pages, ${responses.length} responses, rejected rows`;
        row.lost = null;
        expect(found).toEqual([]);
        expect(logs).toMatch(/auth|unauthor|401/i);
      },
    );
  }, 60_000);

  it('secrets: a wrong Redis password, plain or an ACL user’s, is printed by no app nor by friren up', async () => {
    const PASSWORD = 'wrongpw999';
    const ACL_PASSWORD = 'aclWrong_5c4b3a29';
    await scenario(
      {
        id: 'redis-credentials',
        order: 71,
        scenario: 'Secrets: refused Redis credentials',
        load: 'each app and `friren up` started against a Redis that refuses their credentials',
        faults: 'WRONGPASS for the default user and for an ACL user',
        inputs: '',
      },
      async (row) => {
        const locked = await startLockedRedis('rightpw123', 'frirenacl', 'aclRight_77');
        try {
          const urls = [
            `redis://:${PASSWORD}@127.0.0.1:${locked.port}`,
            `redis://${locked.aclUser}:${ACL_PASSWORD}@127.0.0.1:${locked.port}`,
          ];
          const runs: [string, string[]][] = [
            ['poller', []],
            ['trade-recorder', []],
            ['analytics', []],
            ['orchestrator', []],
            ['cli', ['up']],
          ];
          const found: string[] = [];
          let lines = 0;
          for (const [name, args] of runs) {
            const children = urls.map((REDIS_URL) =>
              spawnApp(
                name,
                {
                  REDIS_URL,
                  MYSQL_URL: database.url,
                  FRIREN_PREFIX: `${prefix}-locked`,
                  FRIREN_ACCOUNTS: ALIAS,
                  OPS_PORT: '0',
                  HTTP_PORT: '0',
                  LOG_LEVEL: 'debug',
                },
                args,
              ),
            );
            try {
              for (const child of children) {
                await child.waitFor(/WRONGPASS/, 60_000);
                await child.stop('SIGTERM');
                const output = child.output();
                lines += output.split('\n').length;
                for (const secret of [PASSWORD, ACL_PASSWORD]) {
                  if (output.includes(secret)) found.push(`${name}: ${secret.slice(0, 6)}…`);
                }
                // Node's own printer (an uncaught error) would show the AUTH command with its arguments.
                if (/^\s+at /m.test(output) || output.includes('command: {'))
                  found.push(`${name}: raw error`);
              }
            } finally {
              await Promise.all(children.map((c) => c.stop('SIGKILL')));
            }
          }
          row.figures['processes'] = runs.length * urls.length;
          row.figures['occurrences found'] = found.length;
          row.inputs = `${runs.length * urls.length} processes, ${lines} output lines`;
          row.lost = null;
          expect(found).toEqual([]);
        } finally {
          await locked.stop();
        }
      },
    );
  }, 300_000);
});
