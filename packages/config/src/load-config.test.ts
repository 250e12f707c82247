import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { DEFAULT_OPS_PORTS, loadConfig } from './index.js';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const dir = mkdtempSync(join(tmpdir(), 'friren-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('loadConfig defaults', () => {
  it('gives docs/CONTRACT.md §1 defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      redisSentinel: null,
      submitReplicas: { count: null, timeoutMs: 2000 },
      mysqlUrl: 'mysql://root@127.0.0.1:3306/friren',
      prefix: 'friren',
      accounts: [{ alias: 'default', credentials: null }],
      alpaca: {
        baseUrl: 'https://paper-api.alpaca.markets',
        baseUrlSet: false,
        rateLimitPerMin: 200,
        useSimulator: true,
      },
      snapshot: { refreshMs: 30000, ttlMs: 90000, minIntervalMs: 2000 },
      portfolioHistoryRefreshMs: 900000,
      pnlMethod: 'fifo',
      opsPort: 9100,
      opsHost: '127.0.0.1',
      http: { port: 8080, host: '127.0.0.1' },
      apiToken: null,
      logLevel: 'info',
    });
  });

  it("uses the app's own OPS_PORT default unless OPS_PORT is set", () => {
    expect(DEFAULT_OPS_PORTS).toEqual({
      poller: 9101,
      'trade-recorder': 9102,
      analytics: 9103,
      orchestrator: 9104,
    });
    expect(loadConfig({}, { opsPort: DEFAULT_OPS_PORTS.analytics }).opsPort).toBe(9103);
    expect(loadConfig({ OPS_PORT: '0' }, { opsPort: 9103 }).opsPort).toBe(0);
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({ REDIS_URL: '', ALPACA_KEY_ID: '', ALPACA_SECRET_KEY: '', LOG_LEVEL: '' });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.alpaca.useSimulator).toBe(true);
    expect(config.logLevel).toBe('info');
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.alpaca)).toBe(true);
    expect(Object.isFrozen(config.accounts[0])).toBe(true);
  });
});

describe('loadConfig Redis behind Sentinel', () => {
  it('names each bad Sentinel or replica variable, never a password', () => {
    let message = '';
    try {
      loadConfig({
        REDIS_SENTINELS: 'host-without-port,other:26379',
        REDIS_SENTINEL_PASSWORD: 'has space secret',
        FRIREN_SUBMIT_REPLICAS: 'all',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('REDIS_SENTINELS');
    expect(message).toContain('REDIS_SENTINEL_NAME');
    expect(message).toContain('REDIS_SENTINEL_PASSWORD');
    expect(message).toContain('FRIREN_SUBMIT_REPLICAS');
    expect(message).not.toContain('space secret');
  });
});

describe('loadConfig parsing', () => {
  it('parses every variable', () => {
    const config = loadConfig({
      REDIS_URL: 'rediss://:pw@redis.example:6380/2',
      MYSQL_URL: 'mysql://app:pw@db.example:3307/ledger',
      FRIREN_PREFIX: '{friren}',
      FRIREN_ACCOUNTS: 'main, hedge-1',
      ALPACA_KEY_ID: 'PKSHARED',
      ALPACA_SECRET_KEY: 'shared-secret',
      ALPACA_BASE_URL: 'http://127.0.0.1:4010/',
      ALPACA_RATE_LIMIT_PER_MIN: '150',
      SNAPSHOT_REFRESH_MS: '10000',
      SNAPSHOT_TTL_MS: '30000',
      SNAPSHOT_MIN_INTERVAL_MS: '500',
      PORTFOLIO_HISTORY_REFRESH_MS: '60000',
      PNL_METHOD: 'average',
      OPS_PORT: '9200',
      OPS_HOST: '0.0.0.0',
      HTTP_PORT: '8081',
      HTTP_HOST: '0.0.0.0',
      FRIREN_API_TOKEN: 'tok-123',
      LOG_LEVEL: 'debug',
      REDIS_SENTINELS: 'sentinel-a:26379, 10.0.0.7:26380,[::1]:26381',
      REDIS_SENTINEL_NAME: 'friren-master',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
      FRIREN_SUBMIT_REPLICAS: '2',
      FRIREN_SUBMIT_REPLICAS_TIMEOUT_MS: '500',
    });
    expect(config).toEqual({
      redisUrl: 'rediss://:pw@redis.example:6380/2',
      redisSentinel: {
        sentinels: [
          { host: 'sentinel-a', port: 26379 },
          { host: '10.0.0.7', port: 26380 },
          { host: '::1', port: 26381 },
        ],
        name: 'friren-master',
        password: 'sentinel-pw',
      },
      submitReplicas: { count: 2, timeoutMs: 500 },
      mysqlUrl: 'mysql://app:pw@db.example:3307/ledger',
      prefix: '{friren}',
      accounts: [
        { alias: 'main', credentials: { keyId: 'PKSHARED', secretKey: 'shared-secret' } },
        { alias: 'hedge-1', credentials: { keyId: 'PKSHARED', secretKey: 'shared-secret' } },
      ],
      alpaca: {
        baseUrl: 'http://127.0.0.1:4010',
        baseUrlSet: true,
        rateLimitPerMin: 150,
        useSimulator: false,
      },
      snapshot: { refreshMs: 10000, ttlMs: 30000, minIntervalMs: 500 },
      portfolioHistoryRefreshMs: 60000,
      pnlMethod: 'average',
      opsPort: 9200,
      opsHost: '0.0.0.0',
      http: { port: 8081, host: '0.0.0.0' },
      apiToken: 'tok-123',
      logLevel: 'debug',
    });
  });

  it('lets per-account credentials override the shared ones', () => {
    const config = loadConfig({
      FRIREN_ACCOUNTS: 'main,hedge-1',
      ALPACA_KEY_ID: 'PKSHARED',
      ALPACA_SECRET_KEY: 'shared-secret',
      ALPACA_HEDGE_1_KEY_ID: 'PKHEDGE',
      ALPACA_HEDGE_1_SECRET_KEY: 'hedge-secret',
    });
    expect(config.accounts).toEqual([
      { alias: 'main', credentials: { keyId: 'PKSHARED', secretKey: 'shared-secret' } },
      { alias: 'hedge-1', credentials: { keyId: 'PKHEDGE', secretKey: 'hedge-secret' } },
    ]);
    expect(config.alpaca.useSimulator).toBe(false);
  });

  it('leaves simulator mode when only per-account credentials are set', () => {
    const config = loadConfig({
      FRIREN_ACCOUNTS: 'solo',
      ALPACA_SOLO_KEY_ID: 'PKSOLO',
      ALPACA_SOLO_SECRET_KEY: 'solo-secret',
    });
    expect(config.alpaca.useSimulator).toBe(false);
    expect(config.accounts[0]?.credentials).toEqual({ keyId: 'PKSOLO', secretKey: 'solo-secret' });
  });

  it('refuses a mix of accounts with and without credentials', () => {
    const error = configError({
      FRIREN_ACCOUNTS: 'a,b',
      ALPACA_A_KEY_ID: 'PKA',
      ALPACA_A_SECRET_KEY: 'a-secret',
    });
    expect(error.issues.map((issue) => issue.variable)).toEqual(['ALPACA_B_KEY_ID']);
  });

  it('refuses a key id without its secret and a secret without its key id', () => {
    const error = configError({
      FRIREN_ACCOUNTS: 'a',
      ALPACA_KEY_ID: 'PKSHARED',
      ALPACA_A_SECRET_KEY: 'a-secret',
    });
    expect(error.issues.map((issue) => issue.variable)).toEqual(['ALPACA_SECRET_KEY', 'ALPACA_A_KEY_ID']);
  });

  it('checks account aliases: pattern, duplicates, credential-name collisions', () => {
    const error = configError({ FRIREN_ACCOUNTS: 'main,Main,main,a-b,a_b' });
    expect(error.issues).toEqual([
      { variable: 'FRIREN_ACCOUNTS', message: expect.stringContaining('entry 2 of 5') },
      { variable: 'FRIREN_ACCOUNTS', message: '"main" is listed twice' },
      { variable: 'FRIREN_ACCOUNTS', message: '"a-b" and "a_b" would share ALPACA_A_B_KEY_ID' },
    ]);
  });

  it('checks the snapshot timings against each other', () => {
    const error = configError({
      SNAPSHOT_REFRESH_MS: '60000',
      SNAPSHOT_TTL_MS: '59999',
      SNAPSHOT_MIN_INTERVAL_MS: '60001',
    });
    expect(error.issues.map((issue) => issue.variable)).toEqual([
      'SNAPSHOT_TTL_MS',
      'SNAPSHOT_MIN_INTERVAL_MS',
    ]);
    expect(() => loadConfig({ SNAPSHOT_REFRESH_MS: '60000', SNAPSHOT_TTL_MS: '60000' })).not.toThrow();
  });

  it('keeps the default spacing floor within a short refresh interval', () => {
    // Default floor 2000 ms; a 1000 ms refresh makes it min(2000, 1000) = 1000.
    expect(loadConfig({ SNAPSHOT_REFRESH_MS: '1000' }).snapshot).toEqual({
      refreshMs: 1000,
      ttlMs: 90000,
      minIntervalMs: 1000,
    });
    // A refresh above 2000 ms keeps the 2000 ms floor.
    expect(loadConfig({ SNAPSHOT_REFRESH_MS: '2500' }).snapshot.minIntervalMs).toBe(2000);
    // A floor the operator sets is still checked against the refresh interval.
    const error = configError({ SNAPSHOT_REFRESH_MS: '1000', SNAPSHOT_MIN_INTERVAL_MS: '1001' });
    expect(error.issues.map((issue) => issue.variable)).toEqual(['SNAPSHOT_MIN_INTERVAL_MS']);
  });

  it('leaves the poller timing relations to apps that poll', () => {
    const env = { SNAPSHOT_REFRESH_MS: '60000', SNAPSHOT_TTL_MS: '1000', SNAPSHOT_MIN_INTERVAL_MS: '70000' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(loadConfig(env, { pollerTiming: false }).snapshot).toEqual({
      refreshMs: 60000,
      ttlMs: 1000,
      minIntervalMs: 70000,
    });
    // Each value's own form is still checked.
    expect(() => loadConfig({ SNAPSHOT_TTL_MS: 'soon' }, { pollerTiming: false })).toThrow(/SNAPSHOT_TTL_MS/);
  });

  it('skips cross-field checks when a field is itself invalid', () => {
    const error = configError({ SNAPSHOT_REFRESH_MS: 'soon', SNAPSHOT_TTL_MS: '1' });
    expect(error.issues.map((issue) => issue.variable)).toEqual(['SNAPSHOT_REFRESH_MS']);
  });

  it.each([
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_URL', 'not a url'],
    ['MYSQL_URL', 'mysql://root@127.0.0.1:3306'],
    ['MYSQL_URL', 'postgres://root@127.0.0.1/friren'],
    ['ALPACA_BASE_URL', 'ftp://example.com'],
    ['ALPACA_RATE_LIMIT_PER_MIN', '0'],
    ['ALPACA_RATE_LIMIT_PER_MIN', '1.5'],
    ['SNAPSHOT_REFRESH_MS', '-1'],
    ['PORTFOLIO_HISTORY_REFRESH_MS', '9999999999'],
    ['OPS_PORT', '65536'],
    ['HTTP_PORT', 'eighty'],
    ['HTTP_HOST', 'http://localhost'],
    ['OPS_HOST', 'http://localhost'],
    ['FRIREN_PREFIX', 'has space'],
    ['PNL_METHOD', 'lifo'],
    ['LOG_LEVEL', 'verbose'],
    ['FRIREN_API_TOKEN', 'two words'],
  ])('rejects %s=%j', (variable, value) => {
    expect(configError({ [variable]: value }).issues.map((issue) => issue.variable)).toEqual([variable]);
  });
});

describe('loadConfig *_FILE secrets', () => {
  it('reads every secret from files, dropping the trailing newline', () => {
    const config = loadConfig({
      FRIREN_ACCOUNTS: 'main,paper-2',
      ALPACA_KEY_ID_FILE: secretFile('key-id', 'PKFILE\n'),
      ALPACA_SECRET_KEY_FILE: secretFile('secret', 'file-secret\r\n'),
      ALPACA_PAPER_2_KEY_ID_FILE: secretFile('paper-key-id', 'PKPAPER2'),
      ALPACA_PAPER_2_SECRET_KEY_FILE: secretFile('paper-secret', 'paper-secret\n'),
      FRIREN_API_TOKEN_FILE: secretFile('token', 'file-token\n'),
      REDIS_URL_FILE: secretFile('redis-url', 'redis://:pw@127.0.0.1:6379\n'),
      MYSQL_URL_FILE: secretFile('mysql-url', 'mysql://root:pw@127.0.0.1:3306/friren\n'),
    });
    expect(config.accounts).toEqual([
      { alias: 'main', credentials: { keyId: 'PKFILE', secretKey: 'file-secret' } },
      { alias: 'paper-2', credentials: { keyId: 'PKPAPER2', secretKey: 'paper-secret' } },
    ]);
    expect(config.apiToken).toBe('file-token');
    expect(config.redisUrl).toBe('redis://:pw@127.0.0.1:6379');
    expect(config.mysqlUrl).toBe('mysql://root:pw@127.0.0.1:3306/friren');
  });

  it('uses the injected readFile', () => {
    const read: string[] = [];
    const config = loadConfig(
      { FRIREN_API_TOKEN_FILE: '/run/secrets/token' },
      {
        readFile: (path) => {
          read.push(path);
          return 'injected\n';
        },
      },
    );
    expect(read).toEqual(['/run/secrets/token']);
    expect(config.apiToken).toBe('injected');
  });

  it('refuses a value and its _FILE together, a missing file and an empty file', () => {
    const error = configError({
      ALPACA_KEY_ID: 'PKVALUE',
      ALPACA_KEY_ID_FILE: secretFile('dup-key-id', 'PKFILE'),
      ALPACA_SECRET_KEY_FILE: join(dir, 'does-not-exist'),
      FRIREN_API_TOKEN_FILE: secretFile('empty-token', '\n'),
    });
    expect(error.issues).toEqual([
      {
        variable: 'ALPACA_KEY_ID',
        message: 'both ALPACA_KEY_ID and ALPACA_KEY_ID_FILE are set; set only one',
      },
      { variable: 'ALPACA_SECRET_KEY_FILE', message: 'cannot read the file it names (ENOENT)' },
      { variable: 'FRIREN_API_TOKEN_FILE', message: 'the file it names is empty' },
    ]);
  });

  it('refuses a secret file holding more than one line', () => {
    const error = configError({
      ALPACA_KEY_ID: 'PKVALUE',
      ALPACA_SECRET_KEY_FILE: secretFile('two-lines', 'line-one\nline-two\n'),
    });
    expect(error.issues.map((issue) => issue.variable)).toEqual(['ALPACA_SECRET_KEY']);
  });
});

describe('ConfigError', () => {
  it('lists every bad variable in one error', () => {
    const error = configError({
      REDIS_URL: 'http://nope',
      SNAPSHOT_TTL_MS: 'soon',
      PNL_METHOD: 'lifo',
      LOG_LEVEL: 'loud',
      FRIREN_ACCOUNTS: 'BAD',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    const variables = ['REDIS_URL', 'FRIREN_ACCOUNTS', 'SNAPSHOT_TTL_MS', 'PNL_METHOD', 'LOG_LEVEL'];
    expect(error.issues.map((issue) => issue.variable)).toEqual(variables);
    for (const variable of variables) expect(error.message).toContain(`${variable}:`);
    expect(error.message.split('\n')[0]).toBe(`Invalid configuration (${variables.join(', ')}):`);
  });

  it('never echoes a secret, even a malformed one', () => {
    const secrets = ['zq-SECRET-8c1f', 'PKLEAK77X', 'tok LEAK 91', 'hunter2xyz', 'BAD-ALIAS-LEAK'];
    const error = configError({
      FRIREN_ACCOUNTS: 'ok,BAD-ALIAS-LEAK',
      ALPACA_SECRET_KEY: `${secrets[0]} with spaces`,
      ALPACA_OK_KEY_ID: secrets[1],
      FRIREN_API_TOKEN: secrets[2],
      REDIS_URL: `http://user:${secrets[3]}@example.com`,
      MYSQL_URL: `mysql://user:${secrets[3]}@example.com`,
    });
    expect(error.issues.length).toBeGreaterThanOrEqual(5);
    const everything = `${error.message}\n${JSON.stringify(error.issues)}\n${String(error.stack)}`;
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
