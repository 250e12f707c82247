import type { SimCallCounts, SimCallRecord, SimEndpoint } from './types.js';

/** The log keeps the most recent calls; counts are kept apart and never truncated. */
const MAX_RECORDS = 50_000;

export class CallLog {
  #records: SimCallRecord[] = [];
  #counts: SimCallCounts = { total: 0, byEndpoint: {}, byKey: {} };

  /** Records a call on arrival; the caller fills in `status` (and `fault`) when it answers. */
  start(init: Omit<SimCallRecord, 'status' | 'fault'>): SimCallRecord {
    const record: SimCallRecord = { ...init, status: null, fault: null };
    this.#records.push(record);
    if (this.#records.length > MAX_RECORDS) this.#records.splice(0, this.#records.length - MAX_RECORDS);
    const c = this.#counts;
    c.total += 1;
    bump(c.byEndpoint, init.endpoint);
    const key = init.keyId ?? '';
    c.byKey[key] ??= { total: 0, byEndpoint: {} };
    c.byKey[key].total += 1;
    bump(c.byKey[key].byEndpoint, init.endpoint);
    return record;
  }

  records(): SimCallRecord[] {
    return this.#records.map((r) => ({ ...r }));
  }

  counts(): SimCallCounts {
    return structuredClone(this.#counts);
  }

  reset(): void {
    this.#records = [];
    this.#counts = { total: 0, byEndpoint: {}, byKey: {} };
  }
}

function bump(map: Partial<Record<SimEndpoint, number>>, endpoint: SimEndpoint): void {
  map[endpoint] = (map[endpoint] ?? 0) + 1;
}
