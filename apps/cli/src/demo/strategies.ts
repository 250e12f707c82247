import { clamp, type DemoMarket } from './market.js';

/** A demo strategy: a name, the symbols it trades and its signal in [-1, 1] (sell … buy). */
export interface DemoStrategy {
  readonly name: string;
  readonly symbols: readonly string[];
  signal(market: DemoMarket, symbol: string): number;
}

/** Fast over slow exponential average: buys strength, sells weakness. */
export const momentum: DemoStrategy = {
  name: 'momentum',
  symbols: ['NVDA', 'AMZN', 'AAPL'],
  signal(market, symbol) {
    const h = market.history(symbol);
    const fast = ema(h, 0.3);
    const slow = ema(h, 0.05);
    return slow > 0 ? Math.tanh((400 * (fast - slow)) / slow) : 0;
  },
};

/** Z-score against the last minute: buys dips, sells rallies. */
export const meanReversion: DemoStrategy = {
  name: 'mean-reversion',
  symbols: ['SPY', 'MSFT', 'AAPL'],
  signal(market, symbol) {
    const h = market.history(symbol);
    if (h.length < 5) return 0;
    const mean = h.reduce((s, p) => s + p, 0) / h.length;
    const sd = Math.sqrt(h.reduce((s, p) => s + (p - mean) ** 2, 0) / h.length);
    if (sd === 0) return 0;
    const z = (market.price(symbol) - mean) / sd;
    return -Math.tanh(z / 1.5);
  },
};

/** Follows the news: the symbol's FinBERT sentiment is the signal. */
export const newsSentiment: DemoStrategy = {
  name: 'news-sentiment',
  symbols: ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'SPY'],
  signal(market, symbol) {
    return clamp(market.sentiment(symbol), -1, 1);
  },
};

export const DEMO_STRATEGIES: readonly DemoStrategy[] = [momentum, meanReversion, newsSentiment];

function ema(values: readonly number[], alpha: number): number {
  let e = values[0] ?? 0;
  for (const v of values) e = alpha * v + (1 - alpha) * e;
  return e;
}
