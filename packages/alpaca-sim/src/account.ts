import type { Decimal } from '@friren/contracts';
import type { AssetClass } from './assets.js';
import type { JsonValue } from './types.js';

export interface Position {
  symbol: string;
  assetId: string;
  assetClass: AssetClass;
  exchange: string;
  /** Signed: negative for a short. */
  qty: Decimal;
  avgEntryPrice: Decimal;
}

/** A FILL activity exactly as GET /v2/account/activities returns it. */
export interface FillActivity {
  id: string;
  activity_type: 'FILL';
  transaction_time: string;
  type: 'fill' | 'partial_fill';
  price: string;
  qty: string;
  side: 'buy' | 'sell' | 'sell_short';
  symbol: string;
  leaves_qty: string;
  order_id: string;
  cum_qty: string;
  order_status: 'filled' | 'partially_filled';
}

/** An order as Alpaca returns it; fields follow the Trading API order entity. */
export type OrderJson = Record<string, JsonValue> & {
  id: string;
  client_order_id: string;
  status: string;
  created_at: string;
};

/** One simulated brokerage account, identified by its API key pair. */
export class SimAccount {
  readonly keyId: string;
  readonly secretKey: string;
  readonly id: string;
  cash: Decimal;
  /** Kept exact and emitted verbatim: consumers compare it digit for digit. */
  lastEquity: Decimal;
  /** Static fields fixed at creation (account_number, status, multiplier, ...). */
  readonly base: Record<string, JsonValue>;
  /** Fields set by tests; emitted verbatim over the base and computed values. */
  readonly overrides = new Map<string, JsonValue>();
  readonly positions = new Map<string, Position>();
  readonly activities: FillActivity[] = [];
  readonly orders: OrderJson[] = [];
  readonly clientOrderIds = new Set<string>();

  constructor(init: {
    keyId: string;
    secretKey: string;
    id: string;
    cash: Decimal;
    lastEquity: Decimal;
    base: Record<string, JsonValue>;
  }) {
    this.keyId = init.keyId;
    this.secretKey = init.secretKey;
    this.id = init.id;
    this.cash = init.cash;
    this.lastEquity = init.lastEquity;
    this.base = init.base;
  }

  /** The value a field has for clients: a test's override, else the base value. */
  field(name: string): JsonValue | undefined {
    return this.overrides.has(name) ? this.overrides.get(name) : this.base[name];
  }

  flag(name: string): boolean {
    return this.field(name) === true;
  }
}
