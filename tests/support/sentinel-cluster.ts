import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './spawn-app.js';
import { waitUntil } from './wait.js';

/** The master group name the sentinels watch. */
export const SENTINEL_NAME = 'friren';

/**
 * A Redis master, one replica and three sentinels (quorum 2) on free loopback ports, from Debian's
 * `redis-server` and `redis-sentinel` (installed by scripts/test-tools). Nothing is saved to disk:
 * what a failover keeps is what replication carried. `down-after` is short so a test sees the
 * failover within seconds.
 */
export class SentinelCluster {
  private readonly procs = new Map<number, ChildProcess>();
  private dir = '';
  readonly ports: { master: number; replica: number; sentinels: number[] } = {
    master: 0,
    replica: 0,
    sentinels: [],
  };

  constructor(private readonly downAfterMs = 1_000) {}

  /** `host:port,…` for REDIS_SENTINELS. */
  get sentinelList(): string {
    return this.ports.sentinels.map((p) => `127.0.0.1:${p}`).join(',');
  }

  get sentinels(): { host: string; port: number }[] {
    return this.ports.sentinels.map((port) => ({ host: '127.0.0.1', port }));
  }

  async start(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'friren-sentinel-'));
    this.ports.master = await freePort();
    this.ports.replica = await freePort();
    for (let i = 0; i < 3; i++) this.ports.sentinels.push(await freePort());
    await this.startServer(this.ports.master);
    await this.startServer(this.ports.replica, this.ports.master);
    for (const port of this.ports.sentinels) await this.startSentinel(port);
    // Ready when the master's replica is in sync (`state=online`: it acknowledges writes) and every
    // sentinel knows both.
    await waitUntil(async () => (await this.onlineReplicas(this.ports.master)) === 1, 20_000, 100);
    await waitUntil(
      async () => {
        for (const port of this.ports.sentinels) {
          const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
          r.on('error', () => {});
          try {
            await r.connect();
            const replicas = (await r.call('SENTINEL', 'REPLICAS', SENTINEL_NAME)) as unknown[];
            const others = (await r.call('SENTINEL', 'SENTINELS', SENTINEL_NAME)) as unknown[];
            if (replicas.length < 1 || others.length < 2) return false;
          } catch {
            return false;
          } finally {
            r.disconnect();
          }
        }
        return true;
      },
      30_000,
      200,
    );
  }

  /** The port the sentinels now name master. */
  async masterPort(): Promise<number> {
    const r = new Redis({ port: this.ports.sentinels[0]!, host: '127.0.0.1', lazyConnect: true });
    r.on('error', () => {});
    try {
      await r.connect();
      const [, port] = (await r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_NAME)) as [
        string,
        string,
      ];
      return Number(port);
    } finally {
      r.disconnect();
    }
  }

  /** Replicas of the server on `port` that finished their sync (-1 when it does not answer). */
  async onlineReplicas(port: number): Promise<number> {
    const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
    r.on('error', () => {});
    try {
      await r.connect();
      return (await r.info('replication')).split('\n').filter((l) => /^slave\d+:.*state=online/.test(l))
        .length;
    } catch {
      return -1;
    } finally {
      r.disconnect();
    }
  }

  /** SIGKILL the server on `port` (no shutdown, no last write). */
  async kill(port: number): Promise<void> {
    const proc = this.procs.get(port);
    if (proc === undefined || proc.exitCode !== null) return;
    proc.kill('SIGKILL');
    await once(proc, 'exit');
    this.procs.delete(port);
  }

  /** Starts the server on `port` again, empty; the sentinels make it a replica of the new master. */
  async restart(port: number): Promise<void> {
    await this.startServer(port);
  }

  async stop(): Promise<void> {
    for (const port of [...this.procs.keys()]) await this.kill(port);
    if (this.dir !== '') await rm(this.dir, { recursive: true, force: true });
  }

  private async startServer(port: number, replicaOf?: number): Promise<void> {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    // A replica's first sync starts at once rather than after the default 5 s diskless delay.
    args.push('--repl-diskless-sync-delay', '0');
    args.push('--dir', this.dir, '--dbfilename', `dump-${port}.rdb`);
    if (replicaOf !== undefined) args.push('--replicaof', '127.0.0.1', String(replicaOf));
    this.procs.set(port, spawn('redis-server', args, { stdio: 'ignore' }));
    await this.waitForPing(port);
  }

  private async startSentinel(port: number): Promise<void> {
    const file = join(this.dir, `sentinel-${port}.conf`);
    await writeFile(
      file,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${this.dir}`,
        `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${this.ports.master} 2`,
        `sentinel down-after-milliseconds ${SENTINEL_NAME} ${this.downAfterMs}`,
        `sentinel failover-timeout ${SENTINEL_NAME} 10000`,
        `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
        '',
      ].join('\n'),
    );
    this.procs.set(port, spawn('redis-sentinel', [file], { stdio: 'ignore' }));
    await this.waitForPing(port);
  }

  private async waitForPing(port: number): Promise<void> {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await waitUntil(
        async () => {
          try {
            if (probe.status !== 'ready') await probe.connect();
            return (await probe.ping()) === 'PONG';
          } catch {
            probe.disconnect();
            return false;
          }
        },
        10_000,
        50,
      );
    } finally {
      probe.disconnect();
    }
  }
}
