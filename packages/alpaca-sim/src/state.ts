import { abs, add, cmp, type Decimal, mul, sign, sub, ZERO } from '@friren/contracts';
import { type FillActivity, type Position, SimAccount } from './account.js';
import { assetFor } from './assets.js';
import { computeBalances } from './balances.js';
import { dec, format } from './decimal.js';
import { activityId, stableUint32, stableUuid } from './ids.js';
import { PriceBook } from './prices.js';
import {
  type AccountPatch,
  accountPatchSchema,
  accountSeedSchema,
  credentialsSchema,
  describeIssue,
} from './schemas.js';
import type { JsonValue, SimAccountSeed, SimCredentials } from './types.js';

const DAY_MS = 86_400_000;

/** With no accounts configured the simulator serves this one: realistic balances, two open positions. */
export const DEFAULT_ACCOUNT_SEED: SimAccountSeed = {
  keyId: 'sim-key',
  secretKey: 'sim-secret',
  cash: '100000',
  positions: [
    { symbol: 'AAPL', qty: '50', avgEntryPrice: '189.25', currentPrice: '195.40' },
    { symbol: 'MSFT', qty: '20', avgEntryPrice: '415.10', currentPrice: '421.35' },
  ],
};

export interface SimStateOptions {
  seed: number;
  includeRemovedPdtFields: boolean;
  now: () => number;
  prices: Record<string, string>;
}

/** Everything the simulator knows: accounts by key, the market, and a clock. */
export class SimState {
  readonly prices: PriceBook;
  readonly seed: number;
  readonly includeRemovedPdtFields: boolean;
  readonly now: () => number;
  /** By API key id: an account answers to every key it was given (key rotation), each with its secret. */
  readonly #accounts = new Map<string, SimAccount>();
  readonly #secrets = new Map<string, string>();
  #seq = 0;

  constructor(options: SimStateOptions) {
    this.seed = options.seed;
    this.includeRemovedPdtFields = options.includeRemovedPdtFields;
    this.now = options.now;
    this.prices = new PriceBook(options.seed);
    for (const [symbol, price] of Object.entries(options.prices))
      this.prices.set(symbol.toUpperCase(), dec(price));
  }

  /** Monotonic sequence for activity ids: orders arrivals within one millisecond. */
  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  credentials(): SimCredentials[] {
    return [...this.#secrets].map(([keyId, secretKey]) => ({ keyId, secretKey }));
  }

  account(keyId: string): SimAccount | undefined {
    return this.#accounts.get(keyId);
  }

  requireAccount(keyId: string): SimAccount {
    const account = this.#accounts.get(keyId);
    if (!account) throw new RangeError(`no simulated account with keyId ${JSON.stringify(keyId)}`);
    return account;
  }

  /** The account both headers identify, or undefined (a wrong secret is as bad as no key). */
  authenticate(keyId: string | undefined, secretKey: string | undefined): SimAccount | undefined {
    if (keyId === undefined || secretKey === undefined) return undefined;
    return this.#secrets.get(keyId) === secretKey ? this.#accounts.get(keyId) : undefined;
  }

  /** Key rotation, as in Alpaca's dashboard: a new key pair for the account `keyId` opens. */
  addKey(keyId: string, input: SimCredentials): SimAccount {
    const account = this.requireAccount(keyId);
    const parsed = credentialsSchema.safeParse(input);
    if (!parsed.success) throw new RangeError(`invalid key: ${describeIssue(parsed.error)}`);
    const next = parsed.data;
    if (this.#accounts.has(next.keyId)) throw new RangeError(`duplicate keyId ${JSON.stringify(next.keyId)}`);
    this.#accounts.set(next.keyId, account);
    this.#secrets.set(next.keyId, next.secretKey);
    return account;
  }

  /** A revoked key is unknown from then on: its calls answer 401, its account stays for other keys. */
  revokeKey(keyId: string): void {
    this.requireAccount(keyId);
    this.#accounts.delete(keyId);
    this.#secrets.delete(keyId);
  }

  addAccount(input: SimAccountSeed): SimAccount {
    const parsed = accountSeedSchema.safeParse(input);
    if (!parsed.success) throw new RangeError(`invalid account seed: ${describeIssue(parsed.error)}`);
    const seed = parsed.data;
    if (this.#accounts.has(seed.keyId)) throw new RangeError(`duplicate keyId ${JSON.stringify(seed.keyId)}`);
    const account = this.#create(seed);
    this.#accounts.set(seed.keyId, account);
    this.#secrets.set(seed.keyId, seed.secretKey);
    return account;
  }

  /** Applies Alpaca-named fields: `cash`/`last_equity` move state, the rest is echoed verbatim. */
  patchAccount(keyId: string, patch: AccountPatch): SimAccount {
    const account = this.requireAccount(keyId);
    const parsed = accountPatchSchema.safeParse(patch);
    if (!parsed.success) throw new RangeError(`invalid account fields: ${describeIssue(parsed.error)}`);
    for (const [name, value] of Object.entries(parsed.data as Record<string, JsonValue | undefined>)) {
      if (value === undefined) continue;
      if (name === 'cash') account.cash = dec(value as string);
      else if (name === 'last_equity') account.lastEquity = dec(value as string);
      else if (value === null) account.overrides.delete(name);
      else account.overrides.set(name, value);
    }
    return account;
  }

  #create(seed: SimAccountSeed): SimAccount {
    const nowMs = this.now();
    const id = seed.id ?? stableUuid('account', this.seed, seed.keyId);
    const positions: Position[] = (seed.positions ?? []).map((p) => {
      this.prices.ensure(p.symbol, dec(p.currentPrice ?? p.avgEntryPrice));
      return {
        symbol: p.symbol,
        ...assetFor(p.symbol),
        qty: dec(p.qty),
        avgEntryPrice: dec(p.avgEntryPrice),
      };
    });
    const positionsValue = positions.reduce<Decimal>(
      (sum, p) => add(sum, mul(p.qty, this.prices.price(p.symbol))),
      ZERO,
    );
    const account = new SimAccount({
      keyId: seed.keyId,
      secretKey: seed.secretKey,
      id,
      cash: resolveCash(seed, positionsValue),
      lastEquity: ZERO,
      base: {
        id,
        account_number:
          seed.accountNumber ??
          `PA${String(stableUint32('number', this.seed, seed.keyId)).padStart(10, '0')}`,
        status: seed.status ?? 'ACTIVE',
        crypto_status: 'ACTIVE',
        currency: 'USD',
        multiplier: seed.multiplier ?? '2',
        shorting_enabled: seed.shortingEnabled ?? (seed.multiplier ?? '2') !== '1',
        trading_blocked: false,
        transfers_blocked: false,
        account_blocked: false,
        trade_suspended_by_user: false,
        created_at: seed.createdAt ?? new Date(nowMs - 400 * DAY_MS).toISOString(),
        options_approved_level: 2,
        options_trading_level: 2,
        sma: '0',
        accrued_fees: '0',
        intraday_adjustments: '0',
        pending_reg_taf_fees: '0',
        crypto_tier: 1,
        balance_asof: new Date(nowMs - DAY_MS).toISOString().slice(0, 10),
      },
    });
    for (const p of positions) account.positions.set(p.symbol, p);
    const opening = computeBalances(account, this.prices);
    account.lastEquity = seed.lastEquity !== undefined ? dec(seed.lastEquity) : opening.equity;
    account.base['last_maintenance_margin'] = format(opening.maintenanceMargin);
    for (const [name, value] of Object.entries(seed.fields ?? {})) account.overrides.set(name, value);
    positions.forEach((p, i) => {
      account.activities.push(this.#seedFill(account, p, nowMs - (positions.length - i) * DAY_MS));
    });
    return account;
  }

  /** Every seeded position gets the historical buy (or short sale) that opened it. */
  #seedFill(account: SimAccount, p: Position, atMs: number): FillActivity {
    const qty = format(abs(p.qty));
    return {
      id: activityId(atMs, this.nextSeq()),
      activity_type: 'FILL',
      transaction_time: new Date(atMs).toISOString(),
      type: 'fill',
      price: format(p.avgEntryPrice),
      qty,
      side: sign(p.qty) > 0 ? 'buy' : 'sell_short',
      symbol: p.symbol,
      leaves_qty: '0',
      order_id: stableUuid('seed-order', this.seed, account.keyId, p.symbol),
      cum_qty: qty,
      order_status: 'filled',
    };
  }
}

function resolveCash(seed: SimAccountSeed, positionsValue: Decimal): Decimal {
  if (seed.cash !== undefined) {
    const cash = dec(seed.cash);
    if (seed.equity !== undefined && cmp(add(cash, positionsValue), dec(seed.equity)) !== 0) {
      throw new RangeError(`seed ${seed.keyId}: cash + positions ≠ equity; give one of them`);
    }
    return cash;
  }
  if (seed.equity !== undefined) return sub(dec(seed.equity), positionsValue);
  return dec('100000');
}
