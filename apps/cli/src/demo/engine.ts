import { randomBytes } from 'node:crypto';
import type { TradeClient } from '@friren/client';
import type { TradeJobInput } from '@friren/contracts';
import type { Logger } from '@friren/observability';
import { DEFAULT_DEMO_LIMITS, type Decision, type DemoLimits, decide } from './decide.js';
import { demoHistory } from './history.js';
import type { DemoLedger } from './ledger.js';
import { DEMO_START_PRICES, DEMO_SYMBOLS, DemoMarket } from './market.js';
import { createRandom, type Random } from './random.js';
import type { FilledOrder, SimBroker } from './sim-broker.js';
import { DEMO_STRATEGIES } from './strategies.js';

export interface DemoOptions {
  /** Fills per second the engine aims for (orders the broker refuses are not retried). */
  readonly ratePerSec: number;
  /** Seeds the market and the strategies' noise; random when not given. */
  readonly seed?: number;
  readonly limits?: DemoLimits;
}

export interface DemoEngineDeps {
  readonly broker: SimBroker;
  readonly client: TradeClient;
  /** The account alias the fills are recorded under. */
  readonly account: string;
  readonly logger: Logger;
  readonly options: DemoOptions;
  /**
   * The ledger, asked whether the account has trades yet: on an empty one the engine first submits
   * a month of seeded history (`demoHistory`). Without it the engine only trades live.
   */
  readonly ledger?: DemoLedger;
  /** The clock the history is dated by (tests). */
  readonly now?: () => number;
}

export interface DemoStats {
  /** Fills the broker confirmed and the queue accepted. */
  readonly fills: number;
  readonly buys: number;
  readonly sells: number;
  /** Orders the broker refused (e.g. 429, buying power). */
  readonly orderRejections: number;
  /** Broker fills the queue did not take after retries (logged with their payload). */
  readonly submitFailures: number;
  /** Turns where no strategy had a trade worth making. */
  readonly idleTicks: number;
  /** Past fills of the seeded history the queue took (queued, or already held: a resubmission). */
  readonly historyFills: number;
}

const MARKET_EVERY_MS = 1_000;
const PROGRESS_EVERY_MS = 30_000;
const SUBMIT_BACKOFF_MS = [250, 1_000];
const WARN_EVERY_MS = 5_000;

/**
 * `friren up --demo`: a few strategies trading a handful of symbols on the simulator. Each turn it
 * moves the market once a second, lets the next strategy pick a trade, places it as a market order
 * (so the broker's cash and positions move), then submits the fill — with its strategy, sentiment
 * and confidence — through `@friren/client`, like a real strategy engine would.
 */
export class DemoEngine {
  readonly runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  private readonly random: Random;
  private readonly intervalMs: number;
  private readonly limits: DemoLimits;
  private market: DemoMarket | null = null;
  /** Shares each strategy holds per symbol (what it bought and has not sold). */
  private readonly inventory = new Map<string, Map<string, number>>();
  private seq = 0;
  private turn = 0;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | null = null;
  private nextAt = 0;
  private lastMarketAt = -Infinity;
  private lastWarnAt = -Infinity;
  private counts = {
    fills: 0,
    buys: 0,
    sells: 0,
    orderRejections: 0,
    submitFailures: 0,
    idleTicks: 0,
    historyFills: 0,
  };

  constructor(private readonly deps: DemoEngineDeps) {
    const rate = deps.options.ratePerSec;
    if (!(rate > 0 && rate <= 100)) throw new RangeError('demo rate must be in (0, 100] fills per second');
    this.intervalMs = 1000 / rate;
    this.random = createRandom(deps.options.seed ?? randomBytes(4).readUInt32LE());
    this.limits = deps.options.limits ?? DEFAULT_DEMO_LIMITS;
  }

  stats(): DemoStats {
    return { ...this.counts };
  }

  /** Prices the demo symbols (keeping any the simulator already quotes) and starts trading. */
  async start(): Promise<void> {
    if (this.running) return;
    if (this.market === null) {
      const known = await this.deps.broker.prices();
      const start: Record<string, string> = {};
      const missing: Record<string, string> = {};
      for (const symbol of DEMO_SYMBOLS) {
        const quoted = known[symbol];
        start[symbol] = quoted ?? DEMO_START_PRICES[symbol]!;
        if (quoted === undefined) missing[symbol] = start[symbol];
      }
      if (Object.keys(missing).length > 0) await this.deps.broker.setPrices(missing);
      await this.seedHistory(start);
      this.market = new DemoMarket(start, this.random);
    }
    this.running = true;
    this.nextAt = performance.now();
    this.schedule();
    this.progressTimer = setInterval(() => this.logProgress(), PROGRESS_EVERY_MS);
    this.progressTimer.unref();
    this.deps.logger.info(
      { runId: this.runId, ratePerSec: this.deps.options.ratePerSec, account: this.deps.account },
      'demo trading started',
    );
  }

  /**
   * On a ledger with no trades of the account but this history's own, submits the history, all of it
   * before any live fill. Its trade ids are the same for the same account and New York day, so a
   * restart after a partial submission completes it and the rest are recognised as duplicates; once
   * anything else is in the ledger (live fills, an earlier day's history) it is left alone.
   */
  private async seedHistory(prices: Record<string, string>): Promise<void> {
    const { ledger, account, logger, client } = this.deps;
    if (ledger === undefined) return;
    const nowMs = (this.deps.now ?? Date.now)();
    const history = demoHistory({ account, prices, nowMs });
    const others = await ledger.countOtherTrades(account, history.idPrefix);
    if (others > 0) {
      logger.info({ account, trades: others }, 'demo history skipped: the ledger already has trades');
      return;
    }
    const results = await client.submitMany(history.trades);
    const taken = results.filter((r) => r.status === 'queued' || r.status === 'duplicate').length;
    this.counts.historyFills = taken;
    for (const r of results) {
      if (r.status === 'rejected' || r.status === 'conflict')
        logger.error({ result: r }, 'a demo history fill was not taken as it is');
    }
    logger.info(
      { account, fills: taken, from: history.days[0], to: history.days.at(-1) },
      'demo history submitted',
    );
  }

  /** Stops placing orders; resolves once the turn in progress (order and submit) is done. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    clearInterval(this.progressTimer);
    await this.inFlight;
  }

  private schedule(): void {
    if (!this.running) return;
    const now = performance.now();
    // After a stall, start afresh rather than firing a burst to catch up.
    if (this.nextAt < now - 1_000) this.nextAt = now;
    this.timer = setTimeout(
      () => {
        this.inFlight = this.tick()
          .catch((error: unknown) => this.warn({ err: error }, 'demo turn failed'))
          .finally(() => {
            this.inFlight = null;
            this.nextAt += this.intervalMs;
            this.schedule();
          });
      },
      Math.max(0, this.nextAt - now),
    );
  }

  private async tick(): Promise<void> {
    const market = this.market!;
    const now = performance.now();
    if (now - this.lastMarketAt >= MARKET_EVERY_MS) {
      this.lastMarketAt = now;
      await this.deps.broker.setPrices(market.step());
    }
    const decision = this.nextDecision(market);
    if (decision === null) {
      this.counts.idleTicks++;
      return;
    }
    const tradeId = `demo-${this.runId}-${++this.seq}`;
    const outcome = await this.deps.broker.marketOrder({
      symbol: decision.symbol,
      side: decision.side,
      qty: decision.qty,
      clientOrderId: tradeId,
    });
    if (!outcome.ok) {
      this.counts.orderRejections++;
      // The broker's rate limit: give it a second rather than hammering.
      if (outcome.status === 429) this.nextAt += 1_000;
      this.warn({ status: outcome.status, reason: outcome.message, ...decision }, 'demo order refused');
      return;
    }
    const filled = Number(outcome.order.filled_qty);
    this.hold(decision.strategy, decision.symbol, decision.side === 'buy' ? filled : -filled);
    await this.submit(fillToTrade(tradeId, this.deps.account, decision, outcome.order));
  }

  /** Strategies take turns; when one has nothing to do the next gets the turn. */
  private nextDecision(market: DemoMarket): Decision | null {
    for (let i = 0; i < DEMO_STRATEGIES.length; i++) {
      const strategy = DEMO_STRATEGIES[this.turn++ % DEMO_STRATEGIES.length]!;
      const held = (symbol: string) => this.inventory.get(strategy.name)?.get(symbol) ?? 0;
      const decision = decide(strategy, market, held, this.random, this.limits);
      if (decision !== null) return decision;
    }
    return null;
  }

  private hold(strategy: string, symbol: string, delta: number): void {
    let book = this.inventory.get(strategy);
    if (book === undefined) {
      book = new Map();
      this.inventory.set(strategy, book);
    }
    book.set(symbol, (book.get(symbol) ?? 0) + delta);
  }

  /** The broker has filled it, so it must reach the ledger: retry, and if all fails, log it whole. */
  private async submit(trade: TradeJobInput): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deps.client.submit(trade);
        this.counts.fills++;
        if (trade.side === 'buy') this.counts.buys++;
        else this.counts.sells++;
        return;
      } catch (error) {
        const backoff = SUBMIT_BACKOFF_MS[attempt];
        if (backoff === undefined || !this.running) {
          this.counts.submitFailures++;
          this.deps.logger.error(
            { err: error, trade },
            'a demo fill could not be queued; resubmit it with `friren submit --json`',
          );
          return;
        }
        await new Promise((r) => setTimeout(r, backoff));
      }
    }
  }

  private logProgress(): void {
    this.deps.logger.info({ runId: this.runId, ...this.counts }, 'demo progress');
  }

  /** Warnings at most every 5 s: a broker outage would otherwise log every turn. */
  private warn(fields: object, message: string): void {
    const now = performance.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.deps.logger.warn(fields, message);
  }
}

/** The trade job (docs/CONTRACT.md §3) for one broker fill: the broker's quantity, price, time and order id. */
export function fillToTrade(
  tradeId: string,
  account: string,
  decision: Decision,
  order: FilledOrder,
): TradeJobInput {
  return {
    trade_id: tradeId,
    account,
    symbol: order.symbol,
    side: order.side,
    quantity: order.filled_qty,
    price: order.filled_avg_price,
    timestamp: order.filled_at,
    strategy_used: decision.strategy,
    finbert_sentiment: decision.sentiment,
    confidence_score: decision.confidence,
    order_id: order.id,
    metadata: { source: 'friren-demo', signal: decision.signal },
  };
}
