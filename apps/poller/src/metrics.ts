import {
  BROKER_ENDPOINTS,
  BROKER_ERROR_KINDS,
  type BrokerRequestEvent,
  type RedisRateLimiter,
} from '@friren/alpaca';
import { Counter, Gauge, Histogram, type Registry } from '@friren/observability';

/** How long a scrape waits for the rate-limit state before leaving the gauge as it was. */
const TOKENS_SCRAPE_TIMEOUT_MS = 250;

/** The poller's docs/CONTRACT.md §6 metrics, registered on the app's own registry. */
export class PollerMetrics {
  readonly requests: Counter<'endpoint' | 'outcome' | 'account'>;
  readonly duration: Histogram<'endpoint'>;
  readonly failures: Counter<'account' | 'kind'>;
  readonly snapshotsWritten: Counter<'account'>;
  private readonly leader: Gauge<'account'>;
  private readonly equity: Gauge<'account'>;
  private readonly cash: Gauge<'account'>;
  private readonly buyingPower: Gauge<'account'>;
  private readonly lastEquity: Gauge<'account'>;
  /** Epoch ms of the snapshot each led account last wrote; the age gauge is computed at scrape. */
  private readonly fetchedAt = new Map<string, number>();
  private readonly limiters = new Map<string, RedisRateLimiter>();
  private readonly tokens: Gauge<'key'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'friren_broker_requests_total',
      help: 'Broker HTTP requests by endpoint and outcome (ok or the failure class).',
      labelNames: ['endpoint', 'outcome', 'account'],
      registers,
    });
    this.duration = new Histogram({
      name: 'friren_broker_request_duration_seconds',
      help: 'Broker request duration, answer body included.',
      labelNames: ['endpoint'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.failures = new Counter({
      name: 'friren_poller_failures_total',
      help: 'Failed snapshot fetches by failure class.',
      labelNames: ['account', 'kind'],
      registers,
    });
    this.snapshotsWritten = new Counter({
      name: 'friren_snapshots_written_total',
      help: 'Snapshots written to Redis by this process.',
      labelNames: ['account'],
      registers,
    });
    this.leader = new Gauge({
      name: 'friren_poller_leader',
      help: '1 while this process holds the account lease and polls the broker for it.',
      labelNames: ['account'],
      registers,
    });
    // Balances as floats for dashboards only; the stored snapshot keeps the exact strings.
    this.equity = gauge(registers, 'friren_account_equity', 'Account equity (display only).');
    this.cash = gauge(registers, 'friren_account_cash', 'Account cash (display only).');
    this.buyingPower = gauge(
      registers,
      'friren_account_buying_power',
      'Account buying power (display only).',
    );
    // Yesterday's closing equity, so dashboards can show day P&L as equity - last_equity.
    this.lastEquity = gauge(
      registers,
      'friren_account_last_equity',
      'Account equity at the previous close (display only).',
    );
    const fetchedAt = this.fetchedAt;
    new Gauge({
      name: 'friren_snapshot_age_seconds',
      help: 'Age of the snapshot this leader last wrote.',
      labelNames: ['account'],
      registers,
      collect() {
        this.reset();
        const now = Date.now();
        for (const [account, at] of fetchedAt) this.set({ account }, (now - at) / 1000);
      },
    });
    const limiters = this.limiters;
    this.tokens = new Gauge({
      name: 'friren_broker_rate_limit_tokens',
      help: 'Calls left in the shared per-key rate-limit window (key = hash of the API key id).',
      labelNames: ['key'],
      registers,
      async collect() {
        await Promise.all(
          [...limiters].map(async ([key, limiter]) => {
            const state = await withTimeout(limiter.state(), TOKENS_SCRAPE_TIMEOUT_MS);
            if (state) this.set({ key }, state.remaining);
          }),
        );
      },
    });
  }

  /**
   * Creates every endpoint × outcome series of an account at 0, so the first 429 or auth failure
   * is an increase Prometheus can see (increase() over a series that starts at 1 reads 0).
   */
  trackAccount(account: string): void {
    for (const endpoint of BROKER_ENDPOINTS) {
      for (const outcome of ['ok', ...BROKER_ERROR_KINDS])
        this.requests.inc({ endpoint, outcome, account }, 0);
    }
  }

  trackLimiter(limiter: RedisRateLimiter): void {
    this.limiters.set(limiter.keyHash, limiter);
  }

  /** A key no account uses any more (rotated out): its series goes, not frozen at its last value. */
  untrackLimiter(limiter: RedisRateLimiter): void {
    this.limiters.delete(limiter.keyHash);
    this.tokens.remove({ key: limiter.keyHash });
  }

  observeRequest(account: string, e: BrokerRequestEvent): void {
    this.requests.inc({ endpoint: e.endpoint, outcome: e.outcome, account });
    this.duration.observe({ endpoint: e.endpoint }, e.durationMs / 1000);
  }

  setLeader(account: string, leader: boolean): void {
    this.leader.set({ account }, leader ? 1 : 0);
    if (!leader) {
      // Only the leader's view is current; a follower reporting stale balances would mislead.
      this.fetchedAt.delete(account);
      for (const g of this.balanceGauges()) g.remove({ account });
    }
  }

  recordSnapshot(account: string, fields: Readonly<Record<string, string>>, fetchedAt: number): void {
    this.snapshotsWritten.inc({ account });
    this.fetchedAt.set(account, fetchedAt);
    setDisplay(this.equity, account, fields['equity']);
    setDisplay(this.cash, account, fields['cash']);
    setDisplay(this.buyingPower, account, fields['buying_power']);
    setDisplay(this.lastEquity, account, fields['last_equity']);
  }

  private balanceGauges(): Gauge<'account'>[] {
    return [this.equity, this.cash, this.buyingPower, this.lastEquity];
  }
}

function gauge(registers: Registry[], name: string, help: string): Gauge<'account'> {
  return new Gauge({ name, help, labelNames: ['account'], registers });
}

function setDisplay(g: Gauge<'account'>, account: string, value: string | undefined): void {
  if (value === undefined) g.remove({ account });
  else g.set({ account }, Number(value));
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p.catch(() => undefined),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
