import type { BrokerPosition } from '@friren/alpaca';
import { encodeAccountUpdate, type RedisKeys } from '@friren/contracts';
import type { Redis } from 'ioredis';
import { SNAPSHOT_FIELDS } from './snapshot-fields.js';
import { type CallCounters, counterIncrements } from './status-writer.js';

export interface SnapshotWrite {
  /** Hash fields without `version`. */
  readonly fields: Readonly<Record<string, string>>;
  readonly positions: readonly BrokerPosition[];
  /** Status-hash fields recording this success. */
  readonly status: Readonly<Record<string, string>>;
  readonly counters: CallCounters;
}

/**
 * Writes one fetched snapshot in a single MULTI, then PUBLISHes its version:
 *
 *   HSET/HDEL last-good (the fields, dropping ones the broker no longer sends)
 *   HINCRBY last-good version 1    ← the version, +1 per write; last-good never expires, so it survives
 *                                    the live hash's expiry and restarts
 *   COPY last-good → live REPLACE, PEXPIRE live TTL   ← the live hash is an exact copy
 *   SET positions PX TTL, HSET/HINCRBY the status hash
 *
 * A reader therefore never sees a live hash without its version, or positions from another fetch.
 */
export class SnapshotWriter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly alias: string,
    private readonly ttlMs: number,
  ) {}

  async write(w: SnapshotWrite): Promise<number> {
    const lastGood = this.keys.lastGood(this.alias);
    const live = this.keys.snapshot(this.alias);
    const statusKey = this.keys.poller(this.alias);
    const absent = SNAPSHOT_FIELDS.filter((f) => f !== 'version' && !(f in w.fields));

    const tx = this.redis.multi().hset(lastGood, w.fields);
    if (absent.length > 0) tx.hdel(lastGood, ...absent);
    tx.hincrby(lastGood, 'version', 1)
      .copy(lastGood, live, 'REPLACE')
      .pexpire(live, this.ttlMs)
      .set(this.keys.positions(this.alias), JSON.stringify(w.positions), 'PX', this.ttlMs)
      .hset(statusKey, w.status);
    for (const [field, by] of counterIncrements(w.counters)) tx.hincrby(statusKey, field, by);

    const results = await tx.exec();
    if (results === null) throw new Error('snapshot transaction was aborted');
    for (const [error] of results) if (error) throw error;
    const versionReply = results[absent.length > 0 ? 2 : 1]?.[1];
    const version = Number(versionReply);
    await this.redis.publish(
      this.keys.updatedChannel(this.alias),
      encodeAccountUpdate({ kind: 'snapshot', version }),
    );
    return version;
  }
}
