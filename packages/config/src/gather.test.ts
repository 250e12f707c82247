import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { gatherConfig } from './gather.js';
import { intSettingsFromEnv } from './int-settings.js';
import { loadConfig } from './load-config.js';

const knobs = { size: { variable: 'X_SIZE', min: 1, max: 10 } };

describe('gatherConfig', () => {
  it('returns every reader’s result', () => {
    const [config, settings] = gatherConfig(
      () => loadConfig({ FRIREN_PREFIX: 'p' }),
      () => intSettingsFromEnv({ X_SIZE: '7' }, knobs, { size: 3 }),
    );
    expect(config.prefix).toBe('p');
    expect(settings).toEqual({ size: 7 });
  });

  it('names the bad variables of every reader in one ConfigError', () => {
    let error: unknown;
    try {
      gatherConfig(
        () => loadConfig({ LOG_LEVEL: 'loud' }),
        () => intSettingsFromEnv({ X_SIZE: 'abc' }, knobs, { size: 3 }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.variable)).toEqual(['LOG_LEVEL', 'X_SIZE']);
  });

  it('lets any other error through', () => {
    expect(() =>
      gatherConfig(() => {
        throw new TypeError('a bug');
      }),
    ).toThrow(TypeError);
  });
});
