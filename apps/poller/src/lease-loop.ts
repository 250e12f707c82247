import type { Logger } from '@friren/observability';
import type { LeaseAttempt } from './lease.js';

/** What the loop needs of a lease: lease.ts against Redis, or a stand-in in unit tests. */
export interface LeaseHandle {
  tryAcquire(): Promise<LeaseAttempt>;
  renew(): Promise<boolean>;
  release(): Promise<boolean>;
}

export interface LeaseTiming {
  /** Lease lifetime from the start of a successful acquire or renewal. */
  readonly leaseMs: number;
  /** The leader renews, and a follower retries, this often. */
  readonly renewEveryMs: number;
}

export interface LeaseLoopHooks<T> {
  /** The lease was just won: gather what leading needs. A throw means "try again next tick". */
  prepare(): Promise<T>;
  /** Leading starts now, with what `prepare` gathered. */
  lead(prepared: T): void;
  /** Leading has ended: the lease was lost or could not be confirmed in time. Not called on stop. */
  stepDown(): void;
}

/**
 * One account's leader election: while following, tries to take the lease every `renewEveryMs`
 * (or as soon as the holder's lease expires, if sooner); while leading, renews it as often. A
 * refused renewal ends leading at once; renewals that fail (Redis unreachable) end it only once
 * the lease may have expired.
 */
export class LeaseLoop<T> {
  private leadingNow = false;
  /** The lease is ours until at least this time (counted from the start of the last renewal). */
  private validUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly lease: LeaseHandle,
    private readonly timing: LeaseTiming,
    private readonly hooks: LeaseLoopHooks<T>,
    private readonly log: Logger,
  ) {}

  get leading(): boolean {
    return this.leadingNow;
  }

  /** True while leading with the lease confirmed ours at `now`. */
  confirmed(now: number = Date.now()): boolean {
    return this.leadingNow && now < this.validUntil;
  }

  start(): void {
    this.schedule(0);
  }

  /** Ends leading without waiting for the next tick (the lease is not released). */
  stepDown(): void {
    if (!this.leadingNow) return;
    this.leadingNow = false;
    this.hooks.stepDown();
  }

  /** Stops the loop and waits for a tick under way; resolves to whether this process was leading. */
  async stop(): Promise<boolean> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tick?.catch(() => undefined);
    const wasLeading = this.leadingNow;
    this.leadingNow = false;
    return wasLeading;
  }

  /** Compare-and-delete: true if the lease was still ours. */
  release(): Promise<boolean> {
    return this.lease.release();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick = this.runTick().finally(() => {
        this.tick = null;
      });
    }, delayMs);
  }

  private async runTick(): Promise<void> {
    const { leaseMs, renewEveryMs } = this.timing;
    let nextInMs = renewEveryMs;
    const started = Date.now();
    try {
      if (this.leadingNow) {
        if (await this.lease.renew()) {
          this.validUntil = started + leaseMs;
        } else {
          this.log.warn('lease lost to another instance');
          this.stepDown();
        }
      } else {
        const attempt = await this.lease.tryAcquire();
        if (attempt.held && !this.stopped) {
          this.validUntil = started + leaseMs;
          const prepared = await this.hooks.prepare();
          if (this.stopped) return;
          this.leadingNow = true;
          this.hooks.lead(prepared);
        } else if (!attempt.held) {
          // Try again right when the holder's lease would expire, if that is sooner.
          nextInMs = Math.min(renewEveryMs, attempt.retryInMs + 1);
        }
      }
    } catch (error) {
      this.log.warn({ err: error }, 'lease check failed');
      if (this.leadingNow && Date.now() >= this.validUntil) {
        this.log.warn('lease expired without renewal; stepping down');
        this.stepDown();
      }
    } finally {
      this.schedule(nextInMs);
    }
  }
}
