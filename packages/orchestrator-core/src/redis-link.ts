import { openRedis, type SentinelSettings } from '@friren/redis';
import type { Redis } from 'ioredis';
import type { LoggerLike } from './logger.js';

export interface RedisConnectionOptions {
  /**
   * A connection of the caller's to send commands on (it stays the caller's: `close()` leaves it
   * open). Its options govern timeouts; a `commandTimeout` is recommended. The subscriber is a
   * `duplicate()` owned here.
   */
  readonly redis?: Redis;
  /** Used when `redis` is not given: both connections are then created and closed here. */
  readonly redisUrl?: string;
  /** With `redisUrl`: Redis behind Sentinel (`REDIS_SENTINELS`), followed through a failover. */
  readonly sentinel?: SentinelSettings | null;
}

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** A read that waits longer than this is worse than answering from memory. */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * One command connection and one subscriber connection shared by every account of a process.
 * Commands are only sent while the command connection is ready, so a read never sits in ioredis's
 * offline queue while Redis is down: callers fall back to memory at once instead.
 */
export class RedisLink {
  readonly command: Redis;
  readonly subscriber: Redis;
  private readonly ownsCommand: boolean;
  private readonly handlers = new Map<string, (message: string) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private reachable = false;
  /** Every channel's SUBSCRIBE has been answered since the last (re)connection. */
  private subscribedAll = false;
  private closed = false;

  constructor(
    conn: RedisConnectionOptions,
    private readonly logger: LoggerLike,
  ) {
    if (conn.redis !== undefined) {
      this.command = conn.redis;
      this.ownsCommand = false;
    } else {
      this.command = openRedis(conn.redisUrl ?? DEFAULT_REDIS_URL, conn.sentinel, {
        lazyConnect: true,
        connectionName: 'friren-orchestrator',
        commandTimeout: COMMAND_TIMEOUT_MS,
        maxRetriesPerRequest: 1,
        retryStrategy: (times) => Math.min(50 * 2 ** times, 2_000),
      });
      this.ownsCommand = true;
    }
    this.subscriber = this.command.duplicate({
      lazyConnect: true,
      connectionName: 'friren-orchestrator-sub',
      // SUBSCRIBE is re-sent on every `ready`, so a failed one need not wait in the queue.
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(50 * 2 ** times, 2_000),
    });

    this.subscriber.on('message', (channel: string, message: string) => {
      this.handlers.get(channel)?.(message);
    });
    this.subscriber.on('ready', () => {
      void this.resubscribe();
    });
    this.command.on('ready', () => {
      this.noteState();
      this.emitResync();
    });
    for (const conn of [this.command, this.subscriber]) {
      // Without a listener ioredis prints every failed reconnect; state changes are logged below.
      if (conn !== this.command || this.ownsCommand) conn.on('error', () => {});
      conn.on('close', () => this.noteState());
      conn.on('end', () => this.noteState());
    }
  }

  /** Both connections ready: reads can be trusted to be current. */
  isReachable(): boolean {
    return this.command.status === 'ready' && this.subscriber.status === 'ready';
  }

  /** The command connection can take a command now (the subscriber may still be reconnecting). */
  canCommand(): boolean {
    return this.command.status === 'ready';
  }

  /** `cb` runs whenever the link (re)gains both connections: readers re-read what they may have missed. */
  onResync(cb: () => void): () => void {
    this.resyncListeners.add(cb);
    return () => this.resyncListeners.delete(cb);
  }

  /** Delivers messages of `channel` to `handler`; subscribed now if connected, else on `ready`. */
  async listen(channel: string, handler: (message: string) => void): Promise<void> {
    this.handlers.set(channel, handler);
    if (this.subscriber.status === 'ready') {
      await this.subscriber.subscribe(channel).catch(() => {});
    }
  }

  /**
   * Connects (if not yet) and waits until both connections are ready, at most `timeoutMs`.
   * Resolves false on timeout: the link keeps reconnecting and resyncs readers when it gets there.
   */
  async start(timeoutMs: number): Promise<boolean> {
    for (const conn of [this.command, this.subscriber]) {
      if (conn.status === 'wait') conn.connect().catch(() => {});
    }
    const deadline = Date.now() + timeoutMs;
    while (!this.isReachable() || !this.subscribedAll) {
      if (this.closed || Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    this.resyncListeners.clear();
    await quit(this.subscriber);
    if (this.ownsCommand) await quit(this.command);
  }

  private async resubscribe(): Promise<void> {
    this.subscribedAll = false;
    const channels = [...this.handlers.keys()];
    try {
      if (channels.length > 0) await this.subscriber.subscribe(...channels);
      this.subscribedAll = true;
    } catch {
      // The connection dropped again; the next `ready` retries.
      return;
    }
    this.noteState();
    this.emitResync();
  }

  private emitResync(): void {
    if (this.closed || !this.isReachable()) return;
    for (const cb of this.resyncListeners) cb();
  }

  private noteState(): void {
    const now = this.isReachable();
    if (now === this.reachable || this.closed) return;
    this.reachable = now;
    if (now) this.logger.info({}, 'redis reachable');
    else this.logger.warn({}, 'redis unreachable: answering from process memory');
  }
}

async function quit(conn: Redis): Promise<void> {
  if (conn.status === 'end') return;
  try {
    // QUIT waits for replies in flight; a dead connection is just dropped.
    if (conn.status === 'ready') await conn.quit();
    else conn.disconnect();
  } catch {
    conn.disconnect();
  }
}
