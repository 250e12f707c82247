/**
 * Stops taking trades while the ledger cannot be written. A failed group commit trips the breaker:
 * the workers pause (jobs already taken finish, and BullMQ retries the failed ones with their
 * backoff), so new trades wait in the queue instead of burning attempts and CPU on a database that
 * is down. The database is then probed every `probeMs`; the first probe that answers resumes the
 * workers. Each recorder process decides for itself: a replica that can still write keeps going.
 */
export interface CommitBreakerOptions {
  /** Resolves when the database answers (rejects or times out otherwise). */
  readonly probe: () => Promise<unknown>;
  readonly pause: () => Promise<void>;
  readonly resume: () => Promise<void>;
  /** Wait before each probe while open. */
  readonly probeMs: number;
  /** Told when the breaker opens (true) and closes again (false). */
  readonly onChange?: (open: boolean) => void;
}

export class CommitBreaker {
  private readonly opts: CommitBreakerOptions;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(opts: CommitBreakerOptions) {
    this.opts = opts;
  }

  /** True while the workers are held paused. */
  get isOpen(): boolean {
    return this.loop !== undefined;
  }

  /** A commit failed: pause (once) and probe until the database answers. */
  trip(): void {
    if (this.stopped || this.loop !== undefined) return;
    this.opts.onChange?.(true);
    this.loop = this.run().finally(() => {
      this.loop = undefined;
    });
  }

  /** For shutdown: never resume again; resolves once a running probe loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    await this.opts.pause().catch(() => {});
    while (!this.stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.opts.probeMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      if (this.stopped) return;
      try {
        await this.opts.probe();
      } catch {
        continue;
      }
      if (this.stopped) return;
      await this.opts.resume().catch(() => {});
      this.opts.onChange?.(false);
      return;
    }
  }
}
