import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './spawn-app.js';
import { waitUntil } from './wait.js';

/** A password-protected Redis of the suite's own (the shared one takes no password). */
export interface LockedRedis {
  readonly port: number;
  /** An ACL user that exists on it, with password `aclPassword`. */
  readonly aclUser: string;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port, requiring `password` for the default user and
 * knowing one ACL user, nothing persisted.
 */
export async function startLockedRedis(
  password: string,
  aclUser: string,
  aclPassword: string,
): Promise<LockedRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'friren-locked-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const admin = (await waitUntil(
    async () => {
      const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
      r.on('error', () => {});
      return r.connect().then(
        () => r,
        (): Redis | null => {
          r.disconnect();
          return null;
        },
      );
    },
    10_000,
    50,
  )) as Redis;
  try {
    await admin.call('ACL', 'SETUSER', aclUser, 'on', `>${aclPassword}`, '~*', '&*', '+@all');
    await admin.config('SET', 'requirepass', password);
  } finally {
    admin.disconnect();
  }
  return {
    port,
    aclUser,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
