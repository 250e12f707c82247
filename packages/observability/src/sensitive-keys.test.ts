import { describe, expect, it } from 'vitest';
import { isSensitiveKey } from './sensitive-keys.js';

describe('isSensitiveKey', () => {
  it.each([
    'apiKey',
    'api_key',
    'X-Api-Key',
    'APCA-API-KEY-ID',
    'APCA-API-SECRET-KEY',
    'ALPACA_KEY_ID',
    'ALPACA_SECRET_KEY',
    'keyId',
    'secretKey',
    'clientSecret',
    'password',
    'dbPassword',
    'passwd',
    'token',
    'apiToken',
    'accessToken',
    'refresh_token',
    'authorization',
    'Authorization',
    'credentials',
    'cookie',
  ])('%s is sensitive', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each(['key', 'keyHash', 'keyPrefix', 'redisKey', 'tokens', 'tokensLeft', 'account', 'monkey', 'hockey'])(
    '%s is benign',
    (key) => {
      expect(isSensitiveKey(key)).toBe(false);
    },
  );
});
