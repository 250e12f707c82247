import type { Redis } from 'ioredis';

/** The trade is on the master but fewer replicas than asked confirmed it in time. */
export class ReplicationTimeoutError extends Error {
  override readonly name = 'ReplicationTimeoutError';
  constructor(
    readonly wanted: number,
    readonly confirmed: number,
    readonly timeoutMs: number,
  ) {
    super(
      `trade queued on the Redis master but confirmed by ${confirmed} of ${wanted} replica(s) within ${timeoutMs} ms; ` +
        'a failover now could lose it: resubmitting is safe ((account, trade_id) is the idempotency key)',
    );
  }
}

/** `FRIREN_SUBMIT_REPLICAS`: a count, or `auto` (1 when the master has replicas, else 0). */
export type ReplicaPolicy = number | 'auto';

/**
 * What "acknowledged" means (docs/CONTRACT.md §3): after a submit's writes, `WAIT` until `wanted`
 * replicas hold them. `auto` asks the master how many replicas it has on every (re)connection, so
 * a failover to a master without replicas does not make every submit fail.
 */
export class ReplicaAck {
  private auto: number | undefined;

  constructor(
    private readonly connection: Redis,
    private readonly policy: ReplicaPolicy,
    private readonly timeoutMs: number,
  ) {
    // A reconnection may land on another master (Sentinel): count its replicas again.
    connection.on('ready', () => {
      this.auto = undefined;
    });
  }

  /** Resolves once the connection's writes so far are on enough replicas; throws if they are not. */
  async confirm(): Promise<void> {
    const wanted = await this.wanted();
    if (wanted === 0) return;
    const confirmed = Number(await this.connection.call('WAIT', String(wanted), String(this.timeoutMs)));
    if (confirmed < wanted) throw new ReplicationTimeoutError(wanted, confirmed, this.timeoutMs);
  }

  private async wanted(): Promise<number> {
    if (this.policy !== 'auto') return this.policy;
    if (this.auto === undefined) {
      const info = String(await this.connection.info('replication'));
      const replicas = Number(/^connected_slaves:(\d+)/m.exec(info)?.[1] ?? '0');
      this.auto = replicas > 0 ? 1 : 0;
    }
    return this.auto;
  }
}
