/** A JSON value as emitted by the simulator (account overrides are echoed verbatim). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Logical Alpaca endpoints, used for fault targeting and call counting. */
export type SimEndpoint = 'account' | 'positions' | 'activities' | 'portfolio_history' | 'orders' | 'unknown';

export interface SimPositionSeed {
  symbol: string;
  /** Signed decimal string: negative opens a short. */
  qty: string;
  avgEntryPrice: string;
  /** Market price, used when the symbol has none yet (from `prices` or an earlier account); else avgEntryPrice. */
  currentPrice?: string;
}

export interface SimAccountSeed {
  keyId: string;
  secretKey: string;
  /** Broker account id (UUID); derived from keyId when absent. */
  id?: string;
  accountNumber?: string;
  /** Cash balance; give either `cash` or `equity` (cash is then equity minus positions). */
  cash?: string;
  equity?: string;
  /** Yesterday's closing equity; defaults to the equity at creation. */
  lastEquity?: string;
  /** "1" cash account, "2" Reg T margin, "4" day-trading margin. Default "2". */
  multiplier?: '1' | '2' | '4';
  status?: string;
  shortingEnabled?: boolean;
  createdAt?: string;
  positions?: SimPositionSeed[];
  /** Account fields emitted verbatim in GET /v2/account, over the computed ones. */
  fields?: Record<string, JsonValue>;
}

export interface SimOptions {
  accounts?: SimAccountSeed[];
  /** Calls per API key per fixed 60 s window. Default 200. */
  rateLimitPerMin?: number;
  /** Emit pattern_day_trader, daytrade_count, daytrading_buying_power (and bod_dtbp). Default false. */
  includeRemovedPdtFields?: boolean;
  /** Seeds portfolio history and synthetic prices. Default 1. */
  seed?: number;
  /** Starting prices by symbol (decimal strings). */
  prices?: Record<string, string>;
  /** Clock in epoch ms. Default Date.now. */
  now?: () => number;
}

interface SimFaultTarget {
  /** Endpoint the fault applies to; default every endpoint ("*"). */
  endpoint?: SimEndpoint | '*';
  /** API key id the fault applies to; default every key ("*"). */
  keyId?: string;
  /** Apply to the next N matching calls only; default until cleared. */
  count?: number;
}

export type SimFault = SimFaultTarget &
  (
    | { kind: 'latency'; ms: number }
    | { kind: 'http_error'; status?: number; body?: JsonValue }
    | { kind: 'hang' }
    | { kind: 'malformed_json' }
    | { kind: 'unauthorized' }
    | { kind: 'rate_limited'; retryAfterSec?: number }
  );

export type SimFaultKind = SimFault['kind'];

export type ActiveSimFault = SimFault & { id: string; remaining: number | null };

export interface SimCallRecord {
  /** Arrival time, epoch ms (from the simulator's clock). */
  at: number;
  method: string;
  path: string;
  endpoint: SimEndpoint;
  keyId: string | null;
  /** Response status; null while pending and forever for a hung call. */
  status: number | null;
  /** The injected fault that shaped the answer, if any (latency is reported only when alone). */
  fault: SimFaultKind | null;
}

export interface SimCallCounts {
  total: number;
  byEndpoint: Partial<Record<SimEndpoint, number>>;
  byKey: Record<string, { total: number; byEndpoint: Partial<Record<SimEndpoint, number>> }>;
}

export interface SimCredentials {
  keyId: string;
  secretKey: string;
}
