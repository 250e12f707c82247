import type { AccountSnapshot } from '@friren/contracts';
import { safeParseWith } from '@friren/contracts';
import { describe, expect, it } from 'vitest';
import { orderRequestSchema } from './order.js';
import { type Positions, parsePositions } from './positions.js';
import { checkOrderAgainst, parseRiskLimits, type RiskLimits } from './risk.js';

const base: AccountSnapshot = {
  account: 'acct',
  broker_account_id: 'b-1',
  status: 'ACTIVE',
  fetched_at: 1,
  version: 1,
  source: 'simulator',
  equity: '100000',
  last_equity: '100000',
  portfolio_value: '100000',
  cash: '50000',
  buying_power: '50000',
  trading_blocked: false,
  account_blocked: false,
};

function positions(list: object[]): Positions {
  const r = parsePositions(JSON.stringify(list));
  if (!r.ok) throw new Error(r.reason);
  return r.positions;
}

const held = positions([
  { symbol: 'AAPL', qty: '100', side: 'long', market_value: '15000' },
  { symbol: 'TSLA', qty: '-10', side: 'short', market_value: '-2000' },
]);

const limits: RiskLimits = { maxPositionPct: 20, dailyLossLimit: '1000' };

interface Case {
  readonly name: string;
  readonly order: { symbol: string; side: 'buy' | 'sell'; quantity: string | number; price: string | number };
  readonly snapshot?: Partial<AccountSnapshot> | null;
  /** Fields to drop from the base snapshot. */
  readonly without?: readonly (keyof AccountSnapshot)[];
  readonly positions?: Positions | null;
  readonly limits?: RiskLimits;
  /** Reason codes expected, in order; empty = allowed. */
  readonly codes: readonly string[];
}

const cases: Case[] = [
  {
    name: 'a small buy passes every rule',
    order: { symbol: 'MSFT', side: 'buy', quantity: 10, price: 100 },
    codes: [],
  },
  {
    name: 'a buy over buying power is refused',
    order: { symbol: 'MSFT', side: 'buy', quantity: '100', price: '600' },
    limits: {},
    codes: ['buying_power'],
  },
  {
    name: 'a buy of exactly the buying power passes',
    order: { symbol: 'MSFT', side: 'buy', quantity: '500', price: '100' },
    limits: {},
    codes: [],
  },
  {
    name: 'buying power is compared exactly, not as floats',
    order: { symbol: 'MSFT', side: 'buy', quantity: '3', price: '0.1' },
    snapshot: { buying_power: '0.3' },
    codes: [],
  },
  {
    name: 'a sell closing a long needs no buying power',
    order: { symbol: 'AAPL', side: 'sell', quantity: '100', price: '150' },
    snapshot: { buying_power: '0' },
    codes: [],
  },
  {
    name: 'a sell beyond the long needs buying power for the new short only',
    order: { symbol: 'AAPL', side: 'sell', quantity: '150', price: '150' },
    snapshot: { buying_power: '7500' },
    codes: [],
  },
  {
    name: 'a sell flipping to a short larger than buying power is refused',
    order: { symbol: 'AAPL', side: 'sell', quantity: '150', price: '150' },
    snapshot: { buying_power: '7499.99' },
    codes: ['buying_power'],
  },
  {
    name: 'a sell opening a short with no buying power is refused',
    order: { symbol: 'NVDA', side: 'sell', quantity: '1', price: '10' },
    snapshot: { buying_power: '0' },
    codes: ['buying_power'],
  },
  {
    name: 'a buy covering a short still needs buying power',
    order: { symbol: 'TSLA', side: 'buy', quantity: '10', price: '200' },
    snapshot: { buying_power: '1999' },
    codes: ['buying_power'],
  },
  {
    name: 'a snapshot without buying power refuses orders needing it',
    order: { symbol: 'MSFT', side: 'buy', quantity: '1', price: '1' },
    without: ['buying_power'],
    codes: ['buying_power'],
  },
  {
    name: 'trading blocked refuses every order',
    order: { symbol: 'AAPL', side: 'sell', quantity: '1', price: '150' },
    snapshot: { trading_blocked: true },
    codes: ['trading_blocked'],
  },
  {
    name: 'account blocked refuses every order',
    order: { symbol: 'AAPL', side: 'sell', quantity: '1', price: '150' },
    snapshot: { account_blocked: true },
    codes: ['account_blocked'],
  },
  {
    name: 'a status other than ACTIVE refuses',
    order: { symbol: 'MSFT', side: 'buy', quantity: '1', price: '1' },
    snapshot: { status: 'ACCOUNT_UPDATED' },
    codes: ['account_status'],
  },
  {
    name: 'concentration: held exposure plus the order over the limit',
    order: { symbol: 'AAPL', side: 'buy', quantity: '40', price: '150' },
    codes: ['concentration'],
  },
  {
    name: 'concentration: exactly at the limit passes',
    order: { symbol: 'AAPL', side: 'buy', quantity: '33.333333333', price: '150' },
    snapshot: { equity: '99999.99999975' },
    codes: [],
  },
  {
    name: 'concentration: one unit of the last digit past the limit is refused',
    order: { symbol: 'AAPL', side: 'buy', quantity: '33.333333333', price: '150' },
    snapshot: { equity: '99999.99999974' },
    codes: ['concentration'],
  },
  {
    name: 'concentration: growing a short counts its exposure',
    order: { symbol: 'TSLA', side: 'sell', quantity: '100', price: '200' },
    codes: ['concentration'],
  },
  {
    name: 'concentration: a flip counts only the new short',
    order: { symbol: 'AAPL', side: 'sell', quantity: '200', price: '150' },
    codes: [],
  },
  {
    name: 'concentration: off when no limit is configured',
    order: { symbol: 'AAPL', side: 'buy', quantity: '200', price: '150' },
    limits: { dailyLossLimit: '1000' },
    codes: [],
  },
  {
    name: 'concentration: unknown positions refuse new risk',
    order: { symbol: 'AAPL', side: 'buy', quantity: '1', price: '150' },
    positions: null,
    codes: ['concentration'],
  },
  {
    name: 'concentration: non-positive equity refuses new risk',
    order: { symbol: 'MSFT', side: 'buy', quantity: '1', price: '1' },
    snapshot: { equity: '0', last_equity: '0' },
    codes: ['concentration'],
  },
  {
    name: 'daily loss beyond the limit refuses a buy',
    order: { symbol: 'MSFT', side: 'buy', quantity: '1', price: '1' },
    snapshot: { equity: '98999.99' },
    codes: ['daily_loss'],
  },
  {
    name: 'daily loss exactly at the limit passes',
    order: { symbol: 'MSFT', side: 'buy', quantity: '1', price: '1' },
    snapshot: { equity: '99000' },
    codes: [],
  },
  {
    name: 'daily loss does not stop reducing a long',
    order: { symbol: 'AAPL', side: 'sell', quantity: '50', price: '150' },
    snapshot: { equity: '90000' },
    codes: [],
  },
  {
    name: 'daily loss does not stop covering a short',
    order: { symbol: 'TSLA', side: 'buy', quantity: '10', price: '200' },
    snapshot: { equity: '90000' },
    codes: [],
  },
  {
    name: 'daily loss with last_equity missing refuses new risk',
    order: { symbol: 'MSFT', side: 'buy', quantity: '1', price: '1' },
    without: ['last_equity'],
    codes: ['daily_loss'],
  },
  {
    name: 'PDT flagged, 3 day trades, equity under 25k: refused',
    order: { symbol: 'MSFT', side: 'buy', quantity: '1', price: '1' },
    snapshot: { pattern_day_trader: true, daytrade_count: 3, equity: '24999.99', last_equity: '24999.99' },
    limits: {},
    codes: ['pattern_day_trader'],
  },
  {
    name: 'PDT flagged with equity of 25k or more: allowed',
    order: { symbol: 'MSFT', side: 'buy', quantity: '1', price: '1' },
    snapshot: { pattern_day_trader: true, daytrade_count: 5, equity: '25000', last_equity: '25000' },
    limits: {},
    codes: [],
  },
  {
    name: 'PDT fields absent (broker dropped them): rule off',
    order: { symbol: 'MSFT', side: 'buy', quantity: '1', price: '1' },
    snapshot: { daytrade_count: 7, equity: '1000', last_equity: '1000' },
    limits: {},
    codes: [],
  },
  {
    name: 'not flagged PDT: rule off',
    order: { symbol: 'MSFT', side: 'buy', quantity: '1', price: '1' },
    snapshot: { pattern_day_trader: false, daytrade_count: 3, equity: '1000', last_equity: '1000' },
    limits: {},
    codes: [],
  },
  {
    name: 'unknown snapshot: refused',
    order: { symbol: 'MSFT', side: 'buy', quantity: '1', price: '1' },
    snapshot: null,
    codes: ['no_snapshot'],
  },
  {
    name: 'every failing rule is reported',
    order: { symbol: 'AAPL', side: 'buy', quantity: '1000', price: '150' },
    snapshot: { status: 'INACTIVE', trading_blocked: true, equity: '98000' },
    codes: ['account_status', 'trading_blocked', 'buying_power', 'concentration', 'daily_loss'],
  },
];

describe('checkOrderAgainst', () => {
  it.each(cases)('$name', (c) => {
    let snapshot: AccountSnapshot | null = c.snapshot === null ? null : { ...base, ...c.snapshot };
    if (snapshot !== null && c.without) {
      const copy: Record<string, unknown> = { ...snapshot };
      for (const f of c.without) delete copy[f];
      snapshot = copy as AccountSnapshot;
    }
    const order = safeParseWith(orderRequestSchema, c.order);
    if (!order.ok) throw new Error(order.reason);
    const decision = checkOrderAgainst(
      {
        snapshot,
        positions: c.positions === undefined ? held : c.positions,
        limits: parseRiskLimits(c.limits ?? limits),
      },
      order.value,
    );
    expect(decision.reasons.map((r) => r.slice(0, r.indexOf(':')))).toEqual(c.codes);
    expect(decision.allowed).toBe(c.codes.length === 0);
  });
});

describe('orderRequestSchema', () => {
  it.each([
    [{ symbol: 'AAPL', side: 'buy', quantity: 0, price: 1 }, 'quantity'],
    [{ symbol: 'AAPL', side: 'buy', quantity: '1.0000000001', price: 1 }, 'quantity'],
    [{ symbol: 'AAPL', side: 'buy', quantity: 1, price: '-1' }, 'price'],
    [{ symbol: 'aapl', side: 'buy', quantity: 1, price: 1 }, 'symbol'],
    [{ symbol: 'AAPL', side: 'hold', quantity: 1, price: 1 }, 'side'],
    [{ symbol: 'AAPL', side: 'buy', price: 1 }, 'quantity'],
    [{ symbol: 'AAPL', side: 'buy', quantity: 1, price: 1, tif: 'day' }, 'tif'],
  ])('refuses %j naming %s', (input, field) => {
    const r = safeParseWith(orderRequestSchema, input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.field)).toContain(field);
  });

  it('normalises numbers and strings to canonical decimals', () => {
    const r = safeParseWith(orderRequestSchema, {
      symbol: 'BTC/USD',
      side: 'sell',
      quantity: 0.1,
      price: '010.50',
    });
    expect(r).toEqual({
      ok: true,
      value: { symbol: 'BTC/USD', side: 'sell', quantity: '0.1', price: '10.5' },
    });
  });
});

describe('parseRiskLimits', () => {
  it('refuses non-positive limits at construction', () => {
    expect(() => parseRiskLimits({ maxPositionPct: 0 })).toThrow(/maxPositionPct/);
    expect(() => parseRiskLimits({ dailyLossLimit: 'abc' })).toThrow(/dailyLossLimit/);
    expect(parseRiskLimits({})).toEqual({ maxPositionPct: null, dailyLossLimit: null });
  });
});
