import { recomputeAccount } from '@friren/analytics';
import { createTradeClient, type TradeClient } from '@friren/client';
import type { TradeJobInput } from '@friren/contracts';
import { countTrades } from '@friren/db';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsOutput, recomputeContext } from '../analytics/helpers.js';
import {
  ACCOUNTS,
  createTestLedger,
  deletePrefix,
  REDIS_URL,
  randomSuffix,
  recorderEnv,
  redisClient,
  type TestLedger,
} from '../recorder/helpers.js';
import { freePort, type SpawnedApp, spawnApp } from '../support/spawn-app.js';
import { waitUntil } from '../support/wait.js';
import { N, scenario, sleep } from './support.js';

/**
 * Crash storm: trades stream in through @friren/client while the trade-recorder process is
 * SIGKILLed at random moments and restarted; analytics runs beside it as its own process. Then the
 * ledger must hold every trade exactly once, and the analytics figures must equal a rebuild's.
 */
const prefix = `friren-chaos-crash-${randomSuffix()}`;
let ledger: TestLedger;
let redis: Redis;
let client: TradeClient;
const apps: SpawnedApp[] = [];

beforeAll(async () => {
  ledger = await createTestLedger();
  redis = redisClient();
  client = createTradeClient({ redisUrl: REDIS_URL, prefix });
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.stop('SIGKILL');
  await client?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await ledger?.drop();
});

function env(): Record<string, string> {
  return {
    ...recorderEnv({ mysqlUrl: ledger.url, prefix, opsPort: 0 }),
    LOG_LEVEL: 'warn',
  };
}

async function spawnRecorder(): Promise<SpawnedApp> {
  const app = spawnApp('trade-recorder', {
    ...env(),
    OPS_PORT: String(await freePort()),
    // Short locks so a killed recorder's jobs are redelivered within seconds.
    RECORDER_LOCK_MS: '2000',
    LOG_LEVEL: 'info',
  });
  apps.push(app);
  await app.waitFor(/recording trades/, 60_000);
  return app;
}

/** A plausible fill: a few symbols per account, buys and sells, fees, sentiment. */
function trade(i: number): TradeJobInput {
  const account = ACCOUNTS[i % ACCOUNTS.length]!;
  const sym = ['AAPL', 'MSFT', 'BTC/USD', 'SPY'][Math.floor(i / 3) % 4]!;
  const minute = Math.floor(i / 60) % 60;
  return {
    trade_id: `storm-${i}`,
    account,
    symbol: sym,
    side: i % 5 < 3 ? 'buy' : 'sell',
    quantity: `${(i % 7) + 1}.${String(i % 1000).padStart(3, '0')}`,
    price: `${100 + Math.floor(((i * 7919) % 5000) / 100)}.${String((i * 7919) % 100).padStart(2, '0')}`,
    timestamp: `2026-11-${String(2 + (Math.floor(i / 3600) % 20)).padStart(2, '0')}T15:${String(minute).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(i % 1_000_000).padStart(6, '0')}Z`,
    strategy_used: ['momentum', 'mean-reversion', 'news-sentiment'][i % 3]!,
    fees: '0.01',
    finbert_sentiment: ((i % 200) - 100) / 100,
    confidence_score: (i % 101) / 100,
  };
}

async function distinct(): Promise<{ rows: number; ids: number }> {
  const [rows] = await ledger.database.pool
    .promise()
    .query('SELECT COUNT(*) AS n, COUNT(DISTINCT trade_id) AS d FROM trades');
  const r = (rows as { n: number | string; d: number | string }[])[0]!;
  return { rows: Number(r.n), ids: Number(r.d) };
}

describe('chaos: crash storm', () => {
  it('recorder SIGKILLed at random while trades stream: exact count, 0 duplicates, analytics = rebuild', async () => {
    const total = N.crashTrades;
    const kills = N.crashKills;
    await scenario(
      {
        id: 'crash-storm',
        order: 10,
        scenario: 'Crash storm',
        load: `${total} trades via @friren/client`,
        faults: `trade-recorder SIGKILLed ${kills}× at random, restarted each time`,
        inputs: `${total} trades, 3 accounts`,
      },
      async (row) => {
        let recorder = await spawnRecorder();
        const analytics = spawnApp('analytics', {
          ...env(),
          OPS_PORT: String(await freePort()),
          ANALYTICS_SETTLE_MS: '200',
          LOG_LEVEL: 'info',
        });
        apps.push(analytics);
        await analytics.waitFor(/analytics started/, 60_000);

        // Spread production over the kill schedule (~5 s per kill and restart).
        const ratePerSec = Math.max(500, Math.ceil(total / (kills * 5)));
        const chunk = 250;
        let sent = 0;
        const startedAt = performance.now();
        const producing = (async () => {
          while (sent < total) {
            const n = Math.min(chunk, total - sent);
            await client.submitMany(Array.from({ length: n }, (_, k) => trade(sent + k)));
            sent += n;
            const ahead = (sent / ratePerSec) * 1000 - (performance.now() - startedAt);
            if (ahead > 0) await sleep(ahead);
          }
        })();

        let produceError: unknown = null;
        producing.catch((e: unknown) => {
          produceError = e;
        });
        const killedAt: number[] = [];
        let seed = 20261125;
        const random = () => {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          return seed / 2 ** 31;
        };
        for (let k = 0; k < kills && produceError === null; k++) {
          await sleep(500 + Math.floor(random() * 2500));
          expect(await recorder.stop('SIGKILL')).toBeNull();
          killedAt.push(await countTrades(ledger.database.db));
          recorder = await spawnRecorder();
        }
        await producing;
        const produceS = (performance.now() - startedAt) / 1000;
        await waitUntil(async () => (await countTrades(ledger.database.db)) >= total, 180_000, 250);
        await sleep(1_000);
        const { rows, ids } = await distinct();
        row.lost = total - ids;
        row.duplicated = rows - ids;
        row.figures['trades submitted'] = sent;
        row.figures['rows in trades'] = rows;
        row.figures['distinct trade_id'] = ids;
        row.figures['kills (ledger count at each)'] = killedAt.join(', ');
        row.figures['submit rate target (trades/s)'] = ratePerSec;
        row.figures['produce time (s)'] = Math.round(produceS * 10) / 10;
        row.figures['recorder processes'] = kills + 1;
        expect(rows).toBe(total);
        expect(ids).toBe(total);

        // Analytics, fed incrementally through the storm, converges to a rebuild's figures.
        const counts = new Map<string, number>();
        for (const a of ACCOUNTS) counts.set(a, await countTrades(ledger.database.db, a));
        const convergedAt = performance.now();
        await waitUntil(
          async () => {
            for (const a of ACCOUNTS) {
              const n = await redis.hget(`${prefix}:account:${a}:performance`, 'trades_count');
              if (Number(n) !== counts.get(a)) return false;
            }
            return true;
          },
          180_000,
          250,
        );
        row.figures['analytics caught up after the ledger (s)'] =
          Math.round((performance.now() - convergedAt) / 100) / 10;
        await analytics.stop('SIGTERM');
        const mismatched: string[] = [];
        for (const a of ACCOUNTS) {
          const incremental = await analyticsOutput(ledger.database, redis, prefix, a);
          await recomputeAccount(
            recomputeContext({ database: ledger.database, redis, prefix, settleMs: 0 }),
            a,
            {
              rebuild: 'requested',
            },
          );
          const rebuilt = await analyticsOutput(ledger.database, redis, prefix, a);
          if (JSON.stringify(incremental) !== JSON.stringify(rebuilt)) mismatched.push(a);
          expect(incremental.hash, a).toEqual(rebuilt.hash);
          expect(incremental.metrics, a).toEqual(rebuilt.metrics);
        }
        row.figures['accounts whose analytics differ from a rebuild'] = mismatched.length;
        expect(recorder.child.exitCode).toBeNull();
      },
    );
  }, 900_000);
});
