import { randomUUID } from 'node:crypto';
import { describeIssue, faultSchema } from './schemas.js';
import type { ActiveSimFault, SimEndpoint, SimFault } from './types.js';

type ActionFault = Exclude<ActiveSimFault, { kind: 'latency' }>;

/** Injected faults, matched by endpoint and key in the order they were set. */
export class FaultRegistry {
  #faults: ActiveSimFault[] = [];

  /** Validates and adds a fault; returns its id (for `clear(id)`). */
  add(input: SimFault): string {
    const parsed = faultSchema.safeParse(input);
    if (!parsed.success) throw new RangeError(`invalid fault: ${describeIssue(parsed.error)}`);
    const id = randomUUID();
    this.#faults.push({ ...parsed.data, id, remaining: parsed.data.count ?? null });
    return id;
  }

  /** Removes one fault, or all; returns how many went. */
  clear(id?: string): number {
    const before = this.#faults.length;
    this.#faults = id === undefined ? [] : this.#faults.filter((f) => f.id !== id);
    return before - this.#faults.length;
  }

  list(): ActiveSimFault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  /** Total delay of every matching latency fault; each one spends a use. */
  takeLatency(endpoint: SimEndpoint, keyId: string | null): number {
    let ms = 0;
    for (const f of this.#matching(endpoint, keyId)) {
      if (f.kind !== 'latency') continue;
      ms += f.ms;
      this.#spend(f);
    }
    return ms;
  }

  /** The first matching non-latency fault, spending one of its uses. */
  takeAction(endpoint: SimEndpoint, keyId: string | null): ActionFault | undefined {
    for (const f of this.#matching(endpoint, keyId)) {
      if (f.kind === 'latency') continue;
      this.#spend(f);
      return f;
    }
    return undefined;
  }

  #matching(endpoint: SimEndpoint, keyId: string | null): ActiveSimFault[] {
    return this.#faults.filter(
      (f) =>
        (f.endpoint === undefined || f.endpoint === '*' || f.endpoint === endpoint) &&
        (f.keyId === undefined || f.keyId === '*' || f.keyId === keyId),
    );
  }

  #spend(f: ActiveSimFault): void {
    if (f.remaining === null) return;
    f.remaining -= 1;
    if (f.remaining <= 0) this.#faults = this.#faults.filter((x) => x !== f);
  }
}
