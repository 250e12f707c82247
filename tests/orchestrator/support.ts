import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AccountSnapshot, encodeAccountUpdate, encodeSnapshot, type RedisKeys } from '@friren/contracts';
import { Redis } from 'ioredis';
import { waitUntil } from '../support/wait.js';

export { deletePrefix } from '../support/shared-servers.js';

export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

export function sampleSnapshot(alias: string, over: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    account: alias,
    broker_account_id: `broker-${alias}`,
    status: 'ACTIVE',
    currency: 'USD',
    fetched_at: Date.now(),
    version: 1,
    source: 'simulator',
    portfolio_value: '101000.50',
    equity: '101000.50',
    last_equity: '100000',
    cash: '40000.25',
    buying_power: '80000.5',
    regt_buying_power: '80000.5',
    non_marginable_buying_power: '40000.25',
    long_market_value: '61000.25',
    short_market_value: '0',
    initial_margin: '30500.12',
    maintenance_margin: '18300.07',
    multiplier: '2',
    trading_blocked: false,
    account_blocked: false,
    transfers_blocked: false,
    ...over,
  };
}

export interface PollerWriteOptions {
  readonly ttlMs?: number;
  readonly positions?: readonly object[];
  /** Default true: PUBLISH `{"kind":"snapshot","version":N}` after the write. */
  readonly publish?: boolean;
}

/** What the poller does for one snapshot (docs/CONTRACT.md §2): live hash + expiry, last-good, positions, PUBLISH. */
export async function pollerWrite(
  redis: Redis,
  keys: RedisKeys,
  s: AccountSnapshot,
  opts: PollerWriteOptions = {},
): Promise<void> {
  const a = s.account;
  const ttl = opts.ttlMs ?? 60_000;
  const hash = encodeSnapshot(s);
  const m = redis
    .multi()
    .del(keys.snapshot(a), keys.lastGood(a))
    .hset(keys.snapshot(a), hash)
    .pexpire(keys.snapshot(a), ttl)
    .hset(keys.lastGood(a), hash);
  if (opts.positions !== undefined) m.set(keys.positions(a), JSON.stringify(opts.positions), 'PX', ttl);
  await m.exec();
  if (opts.publish !== false) {
    await redis.publish(
      keys.updatedChannel(a),
      encodeAccountUpdate({ kind: 'snapshot', version: s.version }),
    );
  }
}

/**
 * A redis-server of the test's own, to kill and restart at will. No automatic saves; `dir` holds
 * the `dump.rdb` an explicit SAVE writes and a restart loads (to start with data already in).
 */
export class OwnRedis {
  private child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
        '--dbfilename',
        'dump.rdb',
      ],
      { stdio: 'ignore' },
    );
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    try {
      await waitUntil(async () => {
        try {
          if (probe.status !== 'ready') await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          probe.disconnect();
          return false;
        }
      }, 10_000);
    } finally {
      probe.disconnect();
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child === null || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
