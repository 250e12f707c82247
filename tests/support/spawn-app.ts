import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Repository root, so suites can spawn apps wherever vitest runs from. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SpawnedApp {
  readonly child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves when a line matching `re` appears; rejects after `timeoutMs` or if the process exits first. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends a signal and waits for exit; returns the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

/**
 * Runs `apps/<app>/src/main.ts` from source in a child process (tsx + the `@friren/source`
 * condition), configured by env — the way production runs the built app, minus the build. `args`
 * are its command line (the CLI's command, e.g. `['up', '--demo']`).
 */
export function spawnApp(app: string, env: Record<string, string>, args: readonly string[] = []): SpawnedApp {
  const child = spawn(
    process.execPath,
    ['--conditions=@friren/source', '--import', 'tsx', `apps/${app}/src/main.ts`, ...args],
    { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let buffer = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = once(child, 'exit').then(([code]) => code as number | null);

  return {
    child,
    exited,
    output: () => buffer,
    waitFor(re, timeoutMs = 20_000) {
      return new Promise<string>((resolve, reject) => {
        const check = () => {
          const line = buffer.split('\n').find((l) => re.test(l));
          if (line !== undefined) {
            cleanup();
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${re} from ${app}; output:\n${buffer.slice(-4000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        exited.then((code) => {
          if (!waiters.has(check)) return;
          cleanup();
          reject(new Error(`${app} exited (${code}) before ${re}; output:\n${buffer.slice(-4000)}`));
        });
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** A free loopback TCP port (for servers a test starts itself). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/** `count` consecutive free loopback ports (for `friren up`, whose ops ports count up from OPS_PORT). */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const ok = await Promise.all(Array.from({ length: count }, (_, i) => isFree(base + i)));
    if (ok.every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
