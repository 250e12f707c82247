import { ConfigError } from '@friren/config';
import { describe, expect, it } from 'vitest';
import { riskLimitsFromEnv } from './settings.js';

describe('riskLimitsFromEnv', () => {
  it('reads both limits, unset meaning off', () => {
    expect(riskLimitsFromEnv({})).toEqual({ maxPositionPct: null, dailyLossLimit: null });
    expect(
      riskLimitsFromEnv({ FRIREN_RISK_MAX_POSITION_PCT: '12.5', FRIREN_RISK_DAILY_LOSS_LIMIT: '2500' }),
    ).toEqual({ maxPositionPct: '12.5', dailyLossLimit: '2500' });
  });

  it('names every bad variable in one ConfigError', () => {
    try {
      riskLimitsFromEnv({ FRIREN_RISK_MAX_POSITION_PCT: '-1', FRIREN_RISK_DAILY_LOSS_LIMIT: 'lots' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).issues.map((i) => i.variable)).toEqual([
        'FRIREN_RISK_MAX_POSITION_PCT',
        'FRIREN_RISK_DAILY_LOSS_LIMIT',
      ]);
    }
  });
});
