import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { CENSOR, redactSecrets, registerSecret } from './secrets.js';
import { captureLines } from './test-support.js';

// Distinctive values: if any of them shows up in captured output, redaction failed.
const ENV_SECRET = 'envSecret-7f3a9c';
const ENV_KEY_ID = 'PKENVKEYID4471';
const ENV_TOKEN = 'envToken-b81d20';
const URL_PASSWORD = 'urlPass-55e0c1';
const FILE_SECRET = 'fileSecret-d4c7e2';
const QUOTED_SECRET = 'quo"ted\\secret-91';
const ALL_SECRETS = [ENV_SECRET, ENV_KEY_ID, ENV_TOKEN, URL_PASSWORD, FILE_SECRET, QUOTED_SECRET];

const ENV = {
  ALPACA_MAIN_SECRET_KEY: ENV_SECRET,
  ALPACA_KEY_ID: ENV_KEY_ID,
  FRIREN_API_TOKEN: ENV_TOKEN,
  REDIS_URL: `redis://:${URL_PASSWORD}@127.0.0.1:6379`,
};
const saved: Record<string, string | undefined> = {};

beforeAll(() => {
  for (const [name, value] of Object.entries(ENV)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
});

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function logEverything() {
  const capture = captureLines();
  const logger = createLogger({ name: 'redaction-test', level: 'trace', destination: capture.destination });
  registerSecret(FILE_SECRET);
  registerSecret(QUOTED_SECRET);

  logger.info({ account: { broker: { auth: { note: `key ${ENV_KEY_ID} in text` } } } }, 'nested text');
  logger.info({
    list: [{ apiKey: 'plain-api-key-1' }, [ENV_SECRET], { deep: [{ password: 'pw-at-depth' }] }],
  });
  logger.info(
    {
      headers: {
        'APCA-API-KEY-ID': 'header-key-id',
        'APCA-API-SECRET-KEY': 'header-secret',
        Authorization: 'Bearer abc',
      },
    },
    'request',
  );
  logger.error(new Error(`broker refused secret ${ENV_SECRET} and token ${ENV_TOKEN}`));
  logger.error(
    {
      err: new Error('outer', { cause: new Error(`inner ${FILE_SECRET}`) }),
      nested: { inner: new Error(URL_PASSWORD) },
    },
    'with causes',
  );
  logger.warn(`connecting to redis://:${URL_PASSWORD}@127.0.0.1:6379 with ${QUOTED_SECRET}`);
  logger.info('formatted %s and %o', ENV_TOKEN, { token: 'tok-in-format' });
  logger
    .child({ secretKey: 'child-binding-secret', account: 'main' })
    .child({ password: 'grandchild-pw' })
    .info('child');
  return capture;
}

describe('createLogger redaction', () => {
  it('never prints a known or registered secret value, wherever it appears', () => {
    const output = logEverything().lines.join('');
    for (const secret of [...ALL_SECRETS, JSON.stringify(QUOTED_SECRET).slice(1, -1)]) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain(CENSOR);
  });

  it('censors values under sensitive keys at any depth, including child bindings', () => {
    const output = logEverything().lines.join('');
    for (const value of [
      'plain-api-key-1',
      'pw-at-depth',
      'header-key-id',
      'header-secret',
      'Bearer abc',
      'child-binding-secret',
      'grandchild-pw',
      'tok-in-format',
    ]) {
      expect(output).not.toContain(value);
    }
    const records = logEverything().records();
    expect(records[1]?.list).toEqual([{ apiKey: CENSOR }, [CENSOR], { deep: [{ password: CENSOR }] }]);
    expect(records[2]?.headers).toEqual({
      'APCA-API-KEY-ID': CENSOR,
      'APCA-API-SECRET-KEY': CENSOR,
      Authorization: CENSOR,
    });
    const child = records.find((record) => record.msg === 'child');
    expect(child).toMatchObject({ secretKey: CENSOR, password: CENSOR, account: 'main' });
  });

  it('serializes errors at any depth and keeps their non-secret text', () => {
    const records = logEverything().records();
    const withCauses = records.find((record) => record.msg === 'with causes');
    expect(withCauses?.err).toMatchObject({ type: 'Error', message: `outer: inner ${CENSOR}` });
    expect(withCauses?.nested).toMatchObject({ inner: { type: 'Error', message: CENSOR } });
    expect(withCauses?.err).toMatchObject({ stack: expect.stringContaining('caused by: Error: inner') });
    const refused = records.find((record) => String(record.msg).startsWith('broker refused'));
    expect(refused?.msg).toBe(`broker refused secret ${CENSOR} and token ${CENSOR}`);
    expect(refused?.level).toBe('error');
    expect(refused?.name).toBe('redaction-test');
  });

  it('keeps benign keys readable', () => {
    const capture = captureLines();
    const logger = createLogger({ name: 'benign', destination: capture.destination });
    const fields = { key: 'friren:account:main:snapshot', keyHash: 'ab12cd', tokens: 7, apiToken: null };
    logger.info(fields, 'benign');
    expect(capture.records()[0]).toMatchObject(fields);
  });

  it('survives circular objects and respects the level', () => {
    const capture = captureLines();
    const logger = createLogger({ name: 'cycles', level: 'warn', destination: capture.destination });
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    logger.info({ loop }, 'dropped');
    logger.warn({ loop }, 'kept');
    expect(capture.records()).toHaveLength(1);
    expect(capture.records()[0]?.loop).toEqual({ name: 'loop', self: '[Circular]' });
  });
});

describe('ioredis command arguments', () => {
  it('censors the arguments of AUTH and HELLO on an error, even for a password nobody registered', () => {
    const capture = captureLines();
    const logger = createLogger({ name: 'redis-auth', destination: capture.destination });
    const refused = (name: string, args: string[]) =>
      Object.assign(new Error('WRONGPASS invalid username-password pair or user is disabled.'), {
        command: { name, args },
      });
    logger.warn({ err: refused('auth', ['unregistered-pw-31']) }, 'redis error');
    logger.warn({ err: refused('auth', ['acl-user', 'unregistered-pw-32']) }, 'redis error');
    logger.warn({ err: refused('HELLO', ['3', 'AUTH', 'acl-user', 'unregistered-pw-33']) }, 'redis error');
    logger.warn({ err: refused('get', ['friren:account:main:snapshot']) }, 'other command');
    const output = capture.lines.join('');
    for (const pw of ['unregistered-pw-31', 'unregistered-pw-32', 'unregistered-pw-33']) {
      expect(output).not.toContain(pw);
    }
    const commands = capture.records().map((r) => (r.err as { command: unknown }).command);
    expect(commands).toEqual([
      { name: 'auth', args: [CENSOR] },
      { name: 'auth', args: [CENSOR, CENSOR] },
      { name: 'HELLO', args: [CENSOR, CENSOR, CENSOR, CENSOR] },
      // Other commands keep their arguments: they name keys, which help and reveal nothing.
      { name: 'get', args: ['friren:account:main:snapshot'] },
    ]);
  });
});

describe('redactSecrets', () => {
  it('masks any URL password and registered values in free text', () => {
    registerSecret('standalone-secret-x1');
    expect(redactSecrets('mysql://app:other-pw@db/friren and standalone-secret-x1')).toBe(
      `mysql://app:***@db/friren and ${CENSOR}`,
    );
  });

  it('ignores values too short to search for safely', () => {
    registerSecret('ab');
    expect(redactSecrets('about abc')).toBe('about abc');
  });
});
