/**
 * Group commit, reusable: `add(item)` returns a promise settled only after the batch holding the
 * item was written. A batch goes out when it holds `maxItems`, or when its oldest item has waited
 * `maxWaitMs`; at most `maxInFlight` batches are written at once, and while every slot is busy new
 * items gather into the next batch (which is how batches grow, and throughput rises, under load).
 *
 * `write` returns one result per item, in order, delivered to that item's `add`; if it throws,
 * every item of that batch rejects with the error. Nothing is retried here: the caller owns
 * retries (for the recorder, BullMQ does).
 */
export interface BatchWriterOptions<T, R> {
  readonly maxItems: number;
  readonly maxWaitMs: number;
  /** Default 1. */
  readonly maxInFlight?: number;
  readonly write: (items: readonly T[]) => Promise<readonly R[]>;
}

interface Entry<T, R> {
  readonly item: T;
  readonly at: number;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export class BatchWriterClosedError extends Error {
  override readonly name = 'BatchWriterClosedError';
  constructor() {
    super('batch writer is closed');
  }
}

export class BatchWriter<T, R = void> {
  private readonly maxItems: number;
  private readonly maxWaitMs: number;
  private readonly maxInFlight: number;
  private readonly write: (items: readonly T[]) => Promise<readonly R[]>;
  private pending: Entry<T, R>[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  /** While positive, everything pending goes out at once (drain/close). */
  private forcing = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(opts: BatchWriterOptions<T, R>) {
    if (!(opts.maxItems >= 1)) throw new RangeError('maxItems must be >= 1');
    if (!(opts.maxWaitMs >= 0)) throw new RangeError('maxWaitMs must be >= 0');
    this.maxItems = opts.maxItems;
    this.maxWaitMs = opts.maxWaitMs;
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 1);
    this.write = opts.write;
  }

  /** Items not yet handed to `write`. */
  get size(): number {
    return this.pending.length;
  }

  get batchesInFlight(): number {
    return this.inFlight;
  }

  add(item: T): Promise<R> {
    if (this.closed) return Promise.reject(new BatchWriterClosedError());
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, at: performance.now(), resolve, reject });
      if (this.pending.length >= this.maxItems) this.pump();
      else if (this.pending.length === 1) this.arm(this.maxWaitMs);
    });
  }

  /** Writes everything pending now; resolves when nothing is pending or in flight. */
  async drain(): Promise<void> {
    this.forcing++;
    try {
      this.pump();
      while (this.pending.length > 0 || this.inFlight > 0) {
        await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
        this.pump();
      }
    } finally {
      this.forcing--;
    }
  }

  /** Refuses new items, then drains. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
    this.disarm();
  }

  private arm(ms: number): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, ms);
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const oldest = this.pending[0]!;
      const due =
        this.forcing > 0 ||
        this.pending.length >= this.maxItems ||
        performance.now() - oldest.at >= this.maxWaitMs;
      if (!due) break;
      this.dispatch(this.pending.splice(0, this.maxItems));
    }
    if (this.pending.length === 0) {
      this.disarm();
    } else if (this.inFlight < this.maxInFlight) {
      // Not due yet: wake when the oldest item has waited long enough. (With every slot busy, the
      // next batch to finish pumps instead.)
      const oldest = this.pending[0]!;
      this.arm(Math.max(0, oldest.at + this.maxWaitMs - performance.now()));
    }
  }

  private dispatch(batch: Entry<T, R>[]): void {
    this.inFlight++;
    let written: Promise<readonly R[]>;
    try {
      written = this.write(batch.map((e) => e.item));
    } catch (error) {
      written = Promise.reject(error);
    }
    written
      .then((results) => {
        if (results.length !== batch.length) {
          throw new Error(`write returned ${results.length} results for ${batch.length} items`);
        }
        for (const [i, e] of batch.entries()) e.resolve(results[i] as R);
      })
      .catch((error: unknown) => {
        for (const e of batch) e.reject(error);
      })
      .finally(() => {
        this.inFlight--;
        this.pump();
        // drain() re-checks its condition on every wake-up.
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      });
  }
}
