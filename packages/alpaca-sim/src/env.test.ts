import { describe, expect, it } from 'vitest';
import { simEnv } from './env.js';

describe('simEnv', () => {
  it('defaults to 127.0.0.1:8090 and the built-in account', () => {
    expect(simEnv({})).toEqual({
      port: 8090,
      host: '127.0.0.1',
      accounts: undefined,
      rateLimitPerMin: undefined,
    });
  });

  it('reads a port, host, limit and JSON key list', () => {
    const env = simEnv({
      ALPACA_SIM_PORT: '0',
      ALPACA_SIM_HOST: '0.0.0.0',
      ALPACA_SIM_RATE_LIMIT_PER_MIN: '50',
      ALPACA_SIM_KEYS: '[{"keyId":"k","secretKey":"s","cash":"5.5"}]',
    });
    expect(env).toEqual({
      port: 0,
      host: '0.0.0.0',
      rateLimitPerMin: 50,
      accounts: [{ keyId: 'k', secretKey: 's', cash: '5.5' }],
    });
  });

  it('names every bad variable at once', () => {
    expect(() => simEnv({ ALPACA_SIM_PORT: 'x', ALPACA_SIM_KEYS: '{oops' })).toThrow(
      /ALPACA_SIM_PORT.*ALPACA_SIM_KEYS|ALPACA_SIM_KEYS.*ALPACA_SIM_PORT/,
    );
  });
});
