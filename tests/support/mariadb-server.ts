import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from './spawn-app.js';

/**
 * A private, throw-away mariadbd on a free loopback port, for suites that must take the database
 * away (outage tests) without touching the shared server on 3306. Root logs in without a password.
 * `stop()` and `start()` reuse the same data directory, so the data survives an outage; `destroy()`
 * kills the server and deletes everything.
 */
export interface MariadbServer {
  readonly port: number;
  /** `mysql://root@127.0.0.1:<port>/` (append a database name). */
  readonly url: string;
  readonly dataDir: string;
  readonly running: boolean;
  start(): Promise<void>;
  /** SIGTERM (clean shutdown) by default; SIGKILL simulates a crash. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  destroy(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

export async function startMariadbServer(): Promise<MariadbServer> {
  const dir = await mkdtemp(join(tmpdir(), 'friren-mariadb-'));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const url = `mysql://root@127.0.0.1:${port}/`;
  // mariadbd refuses to run as root unless told to; as anyone else it runs as that user.
  const userArgs = process.getuid?.() === 0 ? ['--user=root'] : [];

  await run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${dataDir}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--skip-name-resolve',
    ...userArgs,
  ]);

  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const server: MariadbServer = {
    port,
    url,
    dataDir,
    get running() {
      return child !== undefined;
    },
    async start() {
      if (child) return;
      const proc = spawn(
        'mariadbd',
        [
          '--no-defaults',
          `--datadir=${dataDir}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--socket=${join(dir, 'mysqld.sock')}`,
          `--pid-file=${join(dir, 'mysqld.pid')}`,
          `--log-error=${join(dir, 'error.log')}`,
          '--skip-name-resolve',
          '--skip-log-bin',
          '--innodb-buffer-pool-size=32M',
          ...userArgs,
        ],
        { stdio: 'ignore' },
      );
      child = proc;
      proc.once('exit', () => {
        if (child === proc) child = undefined;
      });
      await waitReady(url, proc, join(dir, 'error.log'));
    },
    async stop(signal = 'SIGTERM') {
      const proc = child;
      if (!proc) return;
      const exited = once(proc, 'exit');
      proc.kill(signal);
      await exited;
    },
    async destroy() {
      await server.stop('SIGKILL');
      process.off('exit', killOnExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await server.start();
  } catch (error) {
    await server.destroy();
    throw error;
  }
  return server;
}

async function waitReady(url: string, proc: ChildProcess, errorLog: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`mariadbd exited during start-up:\n${await tail(errorLog)}`);
    }
    try {
      const conn = await createConnection({ uri: url, connectTimeout: 1000 });
      await conn.query('SELECT 1');
      await conn.end();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`mariadbd not ready in time:\n${await tail(errorLog)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function tail(path: string): Promise<string> {
  return (await readFile(path, 'utf8').catch(() => '')).split('\n').slice(-20).join('\n');
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    proc.once('error', reject);
    proc.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}:\n${output.slice(-2000)}`)),
    );
  });
}
