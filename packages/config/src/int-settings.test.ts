import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { intSettingsFromEnv } from './int-settings.js';

const spec = {
  size: { variable: 'X_SIZE', min: 1, max: 100 },
  wait: { variable: 'X_WAIT_MS', min: 0, max: 1000 },
};
const defaults = { size: 10, wait: 5 };

describe('intSettingsFromEnv', () => {
  it('keeps defaults for unset or empty variables and reads the rest', () => {
    expect(intSettingsFromEnv({}, spec, defaults)).toEqual({ size: 10, wait: 5 });
    expect(intSettingsFromEnv({ X_SIZE: ' 100 ', X_WAIT_MS: '' }, spec, defaults)).toEqual({
      size: 100,
      wait: 5,
    });
    expect(intSettingsFromEnv({ X_WAIT_MS: '0' }, spec, defaults)).toEqual({ size: 10, wait: 0 });
  });

  it('names every bad variable in one ConfigError, never the value', () => {
    let error: unknown;
    try {
      intSettingsFromEnv({ X_SIZE: 'secret-ish-7', X_WAIT_MS: '1001' }, spec, defaults);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { issues, message } = error as ConfigError;
    expect(issues).toEqual([
      { variable: 'X_SIZE', message: 'must be a whole number' },
      { variable: 'X_WAIT_MS', message: 'must be between 0 and 1000' },
    ]);
    expect(message).not.toContain('secret-ish-7');
    expect(message).not.toContain('1001');
  });
});
