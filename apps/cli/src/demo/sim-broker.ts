import { z } from 'zod';

export interface SimBrokerOptions {
  /** The simulator's base URL (its Alpaca API and its `/_sim` control plane). */
  readonly baseUrl: string;
  readonly keyId: string;
  readonly secretKey: string;
  readonly timeoutMs?: number;
}

/** What the demo needs of a filled order (broker body, zod-checked: it comes from outside). */
const filledOrderSchema = z.object({
  id: z.string().min(1),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  status: z.string(),
  filled_qty: z.string(),
  filled_avg_price: z.string().nullable(),
  filled_at: z.string().nullable(),
});

export type FilledOrder = z.infer<typeof filledOrderSchema> & { filled_avg_price: string; filled_at: string };

export type OrderOutcome =
  | { readonly ok: true; readonly order: FilledOrder }
  | { readonly ok: false; readonly status: number; readonly message: string };

const pricesSchema = z.record(z.string(), z.string());

/**
 * The demo's side of the broker: market orders through Alpaca's `POST /v2/orders` (counted and rate
 * limited like any broker call), quotes through the simulator's uncounted `/_sim/prices` control
 * routes — the demo plays the market, which a real broker would not let it do.
 */
export class SimBroker {
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(private readonly opts: SimBrokerOptions) {
    this.headers = {
      'APCA-API-KEY-ID': opts.keyId,
      'APCA-API-SECRET-KEY': opts.secretKey,
      'content-type': 'application/json',
    };
    this.timeoutMs = opts.timeoutMs ?? 5_000;
  }

  async prices(): Promise<Record<string, string>> {
    const res = await fetch(`${this.opts.baseUrl}/_sim/prices`, {
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok)
      throw new Error(`GET /_sim/prices answered ${res.status}: is ${this.opts.baseUrl} the simulator?`);
    return pricesSchema.parse(await res.json());
  }

  async setPrices(prices: Record<string, string>): Promise<void> {
    const res = await fetch(`${this.opts.baseUrl}/_sim/prices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prices }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`POST /_sim/prices answered ${res.status}`);
    await res.arrayBuffer();
  }

  async marketOrder(order: {
    symbol: string;
    side: 'buy' | 'sell';
    qty: number;
    clientOrderId: string;
  }): Promise<OrderOutcome> {
    const res = await fetch(`${this.opts.baseUrl}/v2/orders`, {
      method: 'POST',
      headers: this.headers,
      body: JSON.stringify({
        symbol: order.symbol,
        side: order.side,
        qty: String(order.qty),
        type: 'market',
        time_in_force: 'day',
        client_order_id: order.clientOrderId,
      }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) return { ok: false, status: res.status, message: brokerMessage(text) };
    const parsed = filledOrderSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return { ok: false, status: res.status, message: 'unexpected order body' };
    const o = parsed.data;
    if (o.status !== 'filled' || o.filled_avg_price === null || o.filled_at === null) {
      return { ok: false, status: res.status, message: `order not filled (${o.status})` };
    }
    return { ok: true, order: { ...o, filled_avg_price: o.filled_avg_price, filled_at: o.filled_at } };
  }
}

function brokerMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200);
}
