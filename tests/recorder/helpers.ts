import { type FrirenConfig, loadConfig } from '@friren/config';
import type { TradeJobInput } from '@friren/contracts';
import {
  createLogger,
  createMetrics,
  type ReadinessReport,
  runShutdownSteps,
  serveService,
  serviceShutdownSteps,
} from '@friren/observability';
import { type StartOptions, start } from '@friren/trade-recorder';
import { Redis } from 'ioredis';

import { REDIS_URL } from '../support/shared-servers.js';

export {
  createTestLedger,
  deletePrefix,
  MYSQL_SERVER_URL,
  REDIS_URL,
  randomSuffix,
  type TestLedger,
} from '../support/shared-servers.js';

export const ACCOUNTS = ['alpha', 'beta', 'gamma'] as const;

export function redisClient(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: null });
}

export function testConfig(opts: { mysqlUrl: string; prefix: string; opsPort?: number }): FrirenConfig {
  return loadConfig(
    {
      REDIS_URL,
      MYSQL_URL: opts.mysqlUrl,
      FRIREN_PREFIX: opts.prefix,
      FRIREN_ACCOUNTS: ACCOUNTS.join(','),
      OPS_PORT: String(opts.opsPort ?? 0),
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    },
    {},
  );
}

export interface ServedRecorder {
  /** The ops server's base URL (`/metrics`, `/readyz`). */
  readonly opsUrl: string;
  readiness(): Promise<ReadinessReport>;
  /** The shutdown its process runs: /readyz fails, the recorder closes, the ops server goes. */
  close(): Promise<void>;
}

/** The recorder as its process runs it (see runService), with its ops server, in this process. */
export async function serveRecorder(config: FrirenConfig, opts: StartOptions = {}): Promise<ServedRecorder> {
  const logger = createLogger({ name: 'trade-recorder', level: config.logLevel });
  const served = await serveService('trade-recorder', config, (c, deps) => start(c, { ...deps, ...opts }), {
    logger,
    registry: opts.registry ?? createMetrics().registry,
    env: process.env,
  });
  let closed: Promise<void> | undefined;
  return {
    opsUrl: served.ops.url,
    readiness: () => served.service.readiness(),
    close() {
      closed ??= runShutdownSteps(serviceShutdownSteps([served]), 25_000, logger).then(() => {});
      return closed;
    },
  };
}

/** Env for a spawned recorder. */
export function recorderEnv(opts: {
  mysqlUrl: string;
  prefix: string;
  opsPort: number;
}): Record<string, string> {
  return {
    REDIS_URL,
    MYSQL_URL: opts.mysqlUrl,
    FRIREN_PREFIX: opts.prefix,
    FRIREN_ACCOUNTS: ACCOUNTS.join(','),
    OPS_PORT: String(opts.opsPort),
  };
}

/**
 * A valid trade, deterministic in `i`, already in canonical form (decimals without trailing zeros,
 * UTC timestamps with 6 fractional digits), so what the ledger returns can be compared verbatim.
 * Spreads over accounts and strategies and exercises the awkward values: 9 decimals, 29 integer
 * digits, ':' in ids, optional fields present and absent.
 */
export function makeTrade(i: number, tag = 'run'): TradeJobInput {
  const account = ACCOUNTS[i % ACCOUNTS.length]!;
  const micros = String(i % 1_000_000).padStart(6, '0');
  const second = String(i % 60).padStart(2, '0');
  const trade: TradeJobInput = {
    trade_id: i % 7 === 0 ? `${tag}:fill:${i}` : `${tag}-fill-${i}`,
    account,
    symbol: ['AAPL', 'BTC/USD', 'SPY250117C00500000', 'BRK.B'][i % 4]!,
    side: i % 2 === 0 ? 'buy' : 'sell',
    quantity: i % 5 === 0 ? '0.000000001' : `${(i % 97) + 1}.${String(i % 1000).padStart(3, '0')}5`,
    price: i % 11 === 0 ? '12345678901234567890123456789.123456789' : `${100 + (i % 300)}.25`,
    timestamp: `2026-11-25T14:${String(i % 60).padStart(2, '0')}:${second}.${micros}Z`,
    strategy_used: ['momentum', 'mean-rev:v2', 'sentiment ✓'][i % 3]!,
  };
  if (i % 2 === 0) {
    trade.finbert_sentiment = ((i % 200) - 100) / 100;
    trade.confidence_score = (i % 101) / 100;
    trade.fees = `${i % 3}.01`;
    trade.order_id = `ord-${i}`;
    trade.metadata = { i, note: 'ünïcode', nested: { ok: true, list: [1, 'two', null] } };
  }
  return trade;
}
