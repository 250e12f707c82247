import type { TradeClient } from '@friren/client';
import type { TradeJobInput } from '@friren/contracts';
import { createLogger } from '@friren/observability';
import { describe, expect, it } from 'vitest';
import { DemoEngine } from './engine.js';
import type { DemoLedger } from './ledger.js';
import type { SimBroker } from './sim-broker.js';

const NOW = Date.parse('2026-12-04T16:00:00Z');
const PRICES = { AAPL: '195.40', MSFT: '421.35', NVDA: '182.50', AMZN: '228.30', SPY: '668.20' };

/** A client that takes everything and says `duplicate` for a trade id it has already seen. */
function fakeClient() {
  const seen = new Set<string>();
  const submitted: TradeJobInput[] = [];
  const client = {
    async submitMany(trades: readonly TradeJobInput[]) {
      return trades.map((t) => {
        submitted.push(t);
        const status = seen.has(t.trade_id) ? 'duplicate' : 'queued';
        seen.add(t.trade_id);
        return { status, jobId: t.trade_id, trade: t };
      });
    },
  } as unknown as TradeClient;
  return { client, submitted };
}

const broker = {
  prices: async () => ({ ...PRICES }),
  setPrices: async () => {},
  marketOrder: async () => ({ ok: false, status: 503, message: 'closed' }),
} as unknown as SimBroker;

async function startAndStop(ledger: DemoLedger | undefined, client: TradeClient) {
  const engine = new DemoEngine({
    broker,
    client,
    account: 'demo',
    logger: createLogger({ name: 'test', level: 'silent' }),
    options: { ratePerSec: 0.001, seed: 1 },
    now: () => NOW,
    ...(ledger ? { ledger } : {}),
  });
  await engine.start();
  await engine.stop();
  return engine.stats();
}

describe('DemoEngine history', () => {
  it('submits the seeded month on a ledger with no other trades of the account, once per id', async () => {
    const { client, submitted } = fakeClient();
    const asked: [string, string][] = [];
    const ledger: DemoLedger = {
      countOtherTrades: async (account, prefix) => {
        asked.push([account, prefix]);
        return 0;
      },
    };
    const first = await startAndStop(ledger, client);
    expect(asked).toEqual([['demo', 'demo-hist-20261204-']]);
    expect(first.historyFills).toBeGreaterThan(100);
    expect(submitted).toHaveLength(first.historyFills);
    expect(submitted.every((t) => t.account === 'demo' && Date.parse(String(t.timestamp)) < NOW)).toBe(true);

    // A restart after a partial submission (only history in the ledger) sends the same trades again:
    // the same ids and data, so the queue and the ledger see duplicates, not new fills.
    const again = await startAndStop(ledger, client);
    expect(again.historyFills).toBe(first.historyFills);
    expect(submitted.slice(first.historyFills)).toEqual(submitted.slice(0, first.historyFills));
  });

  it('leaves a ledger that has other trades of the account alone, and runs without a ledger', async () => {
    const { client, submitted } = fakeClient();
    const stats = await startAndStop({ countOtherTrades: async () => 12 }, client);
    expect(stats.historyFills).toBe(0);
    expect(await startAndStop(undefined, client)).toMatchObject({ historyFills: 0 });
    expect(submitted).toEqual([]);
  });
});
