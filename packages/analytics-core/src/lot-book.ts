import { formatFixed, formatMoney, parseFixed, parseMoney, QUANTITY_SCALE } from './fixed.js';
import type { PnlMethod } from './types.js';

/**
 * An open lot. `quantity` is unsigned (the book knows the side); `cost` is the signed cash paid to
 * open it, fees included: a long lot bought 10 @ 50 with 1 fee costs 501, a short lot sold
 * 10 @ 50 with 1 fee costs −499. Closing m units realizes (cash of the close) − (cost removed).
 */
export class Lot {
  constructor(
    /** Unsigned, scale 9. */
    public quantity: bigint,
    /** Signed cash paid, money scale 18. */
    public cost: bigint,
    /** Strategy of the opening fill (the alternative attribution). */
    readonly strategy: string,
    readonly tradeId: string,
    readonly openedAt: string,
  ) {}
}

/** Serialised lot; `quantity` is signed here (negative for a short) so the JSON reads plainly. */
export interface LotState {
  readonly trade_id: string;
  readonly opened_at: string;
  readonly strategy: string;
  readonly quantity: string;
  readonly cost: string;
}

/**
 * The open lots of one account + symbol. FIFO keeps a queue of lots; average cost keeps one lot
 * holding the total cost basis and total quantity — never a rounded average price — so a full close
 * realizes exactly the cash in minus the cash out.
 *
 * Proration: a partial close removes cost × m / Q truncated toward zero at 18 decimals and leaves
 * the remainder in the lot; a fill that flips through zero splits its fee the same way (closing
 * part fee × closed / quantity, the rest to the new lot). Each individual realized figure is thus
 * exact to 1e-18 and the sum over any position that returns to flat is exact, with no residue.
 */
export class LotBook {
  /** Signed net quantity, scale 9. */
  position = 0n;
  /** FIFO: lots[head..] are open, oldest first. Average: at most one lot. */
  lots: Lot[] = [];
  head = 0;

  constructor(
    readonly symbol: string,
    readonly method: PnlMethod,
  ) {}

  /**
   * Applies one fill and returns its realized P&L (money scale, net of the fees of both sides), or
   * `null` when the fill only opens or adds. `fee` is at money scale.
   */
  apply(
    buy: boolean,
    quantity: bigint,
    price: bigint,
    fee: bigint,
    strategy: string,
    tradeId: string,
    at: string,
    /** quantity × price, when the caller has it already. */
    notional: bigint = quantity * price,
  ): bigint | null {
    const position = this.position;
    if (position === 0n || position > 0n === buy) {
      // Opening or adding: cost = cash paid, fees included.
      this.open(quantity, buy ? notional + fee : fee - notional, strategy, tradeId, at);
      this.position = buy ? position + quantity : position - quantity;
      return null;
    }
    const held = position < 0n ? -position : position;
    if (quantity <= held) {
      // Cash received by the account for the close: negative for a buy.
      const cash = fee === 0n ? (buy ? -notional : notional) : buy ? -notional - fee : notional - fee;
      const removed = this.method === 'fifo' ? this.takeFifo(quantity) : this.takeAverage(quantity);
      this.position = buy ? position + quantity : position - quantity;
      return cash - removed;
    }
    // Flip through zero: close everything held, open the rest the other way.
    const closeNotional = held * price;
    const closeFee = fee === 0n ? 0n : (fee * held) / quantity;
    const closeCash = buy ? -closeNotional - closeFee : closeNotional - closeFee;
    const removed = this.method === 'fifo' ? this.takeFifo(held) : this.takeAverage(held);
    const rest = quantity - held;
    const cash = buy ? -notional - fee : notional - fee;
    this.open(rest, closeCash - cash, strategy, tradeId, at);
    this.position = buy ? rest : -rest;
    return closeCash - removed;
  }

  private open(quantity: bigint, cost: bigint, strategy: string, tradeId: string, at: string): void {
    if (this.method === 'average') {
      const lot = this.lots[0];
      if (lot !== undefined) {
        lot.quantity += quantity;
        lot.cost += cost;
        return;
      }
    }
    this.lots.push(new Lot(quantity, cost, strategy, tradeId, at));
  }

  /** Removes `quantity` (≤ held) oldest-first; returns the cost removed. */
  private takeFifo(quantity: bigint): bigint {
    const lots = this.lots;
    const first = lots[this.head] as Lot;
    if (quantity < first.quantity) {
      // The common case: the oldest lot covers the close.
      const part = (first.cost * quantity) / first.quantity;
      first.cost -= part;
      first.quantity -= quantity;
      return part;
    }
    let removed = 0n;
    let left = quantity;
    let head = this.head;
    while (left > 0n) {
      const lot = lots[head] as Lot;
      if (left >= lot.quantity) {
        removed += lot.cost;
        left -= lot.quantity;
        head++;
      } else {
        const part = (lot.cost * left) / lot.quantity;
        lot.cost -= part;
        lot.quantity -= left;
        removed += part;
        left = 0n;
      }
    }
    if (head === lots.length) {
      lots.length = 0;
      head = 0;
    } else if (head > 64 && head * 2 > lots.length) {
      // Drop the closed prefix now and then, so a long-lived position does not grow the array.
      lots.splice(0, head);
      head = 0;
    }
    this.head = head;
    return removed;
  }

  private takeAverage(quantity: bigint): bigint {
    const lot = this.lots[0] as Lot;
    if (quantity === lot.quantity) {
      this.lots.length = 0;
      return lot.cost;
    }
    const part = (lot.cost * quantity) / lot.quantity;
    lot.cost -= part;
    lot.quantity -= quantity;
    return part;
  }

  /** Open lots, oldest first. */
  openLots(): readonly Lot[] {
    return this.head === 0 ? this.lots : this.lots.slice(this.head);
  }

  /** Total signed cost of the open lots, money scale. */
  openCost(): bigint {
    let cost = 0n;
    for (let i = this.head; i < this.lots.length; i++) cost += (this.lots[i] as Lot).cost;
    return cost;
  }

  lotsToJSON(): LotState[] {
    const sign = this.position < 0n ? -1n : 1n;
    return this.openLots().map((lot) => ({
      trade_id: lot.tradeId,
      opened_at: lot.openedAt,
      strategy: lot.strategy,
      quantity: formatFixed(sign * lot.quantity, QUANTITY_SCALE),
      cost: formatMoney(lot.cost),
    }));
  }

  /**
   * Open lots as [signed quantity, cost]: the checkpoint's form for a strategy's own book, whose
   * lots are never shown one by one (the strategy is the book's, the fill ids are not needed).
   */
  lotsToTuples(): [string, string][] {
    const sign = this.position < 0n ? -1n : 1n;
    return this.openLots().map((lot) => [
      formatFixed(sign * lot.quantity, QUANTITY_SCALE),
      formatMoney(lot.cost),
    ]);
  }

  /** Restores lots from either form; a tuple's lot belongs to `strategy`, with no fill id. */
  restoreLots(states: readonly (LotState | LotTuple)[], strategy = ''): void {
    let position = 0n;
    this.lots = states.map((s) => {
      const tuple = Array.isArray(s);
      const q = parseFixed(tuple ? s[0] : (s as LotState).quantity, QUANTITY_SCALE);
      const cost = parseMoney(tuple ? s[1] : (s as LotState).cost);
      position += q;
      const abs = q < 0n ? -q : q;
      return tuple
        ? new Lot(abs, cost, strategy, '', '')
        : new Lot(abs, cost, (s as LotState).strategy, (s as LotState).trade_id, (s as LotState).opened_at);
    });
    this.head = 0;
    this.position = position;
  }
}

/** A lot in the compact form: [signed quantity, cost]. */
export type LotTuple = readonly [string, string];
