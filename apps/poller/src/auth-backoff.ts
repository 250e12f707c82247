/** How long to wait before probing credentials the broker refused. */
export interface AuthBackoffSettings {
  /** The wait after the first refusal. */
  readonly authProbeMs: number;
  /** The longest wait, however many refusals. */
  readonly authProbeMaxMs: number;
}

/**
 * One account's stop after the broker refused its credentials (401/403): no call until a probe
 * with the same credentials, `authProbeMs` after the refusal, the wait doubling with each further
 * refusal up to `authProbeMaxMs`. A call the broker accepts, or new credentials, lift the stop.
 * Times in epoch ms; no timers here.
 */
export class AuthBackoff {
  private probeAtMs: number | null = null;
  private refusalCount = 0;

  constructor(private readonly settings: AuthBackoffSettings) {}

  /** True while the credentials stand refused: the only call allowed is the probe. */
  get stopped(): boolean {
    return this.probeAtMs !== null;
  }

  /** When the probe is due; null while not stopped. */
  get probeAt(): number | null {
    return this.probeAtMs;
  }

  /** Refusals since the credentials last worked. */
  get refusals(): number {
    return this.refusalCount;
  }

  /**
   * A refusal, or a probe that failed without an answer on the credentials (a 5xx, a timeout),
   * at `at`: returns when to probe next.
   */
  refused(at: number): number {
    this.refusalCount += 1;
    const { authProbeMs, authProbeMaxMs } = this.settings;
    const waitMs = Math.min(authProbeMs * 2 ** Math.min(this.refusalCount - 1, 30), authProbeMaxMs);
    this.probeAtMs = at + waitMs;
    return this.probeAtMs;
  }

  /** Lifts the stop; returns the refusals it had counted, or null if there was no stop. */
  lift(): number | null {
    if (this.probeAtMs === null) return null;
    const refusals = this.refusalCount;
    this.probeAtMs = null;
    this.refusalCount = 0;
    return refusals;
  }

  /** The time a call planned for `at` may go out: not before the probe while stopped. */
  notBefore(at: number): number {
    return this.probeAtMs === null ? at : Math.max(at, this.probeAtMs);
  }
}
