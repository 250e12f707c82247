import { describe, expect, it } from 'vitest';
import { DEFAULT_RECORDER_SETTINGS, recorderSettingsFromEnv } from './settings.js';

describe('recorder settings', () => {
  it('defaults without RECORDER_* variables', () => {
    expect(recorderSettingsFromEnv({})).toEqual(DEFAULT_RECORDER_SETTINGS);
  });

  it('reads every variable', () => {
    expect(
      recorderSettingsFromEnv({
        RECORDER_CONCURRENCY: '1024',
        RECORDER_WORKERS: '2',
        RECORDER_BATCH_SIZE: '250',
        RECORDER_BATCH_MS: '0',
        RECORDER_BATCHES_IN_FLIGHT: '3',
        RECORDER_LOCK_MS: '5000',
        RECORDER_MAX_FUTURE_SKEW_MS: '60000',
      }),
    ).toEqual({
      concurrency: 1024,
      workers: 2,
      batchSize: 250,
      batchMs: 0,
      batchesInFlight: 3,
      lockMs: 5000,
      maxFutureSkewMs: 60_000,
    });
  });

  it('names every bad variable at once', () => {
    expect(() =>
      recorderSettingsFromEnv({
        RECORDER_CONCURRENCY: 'many',
        RECORDER_BATCH_SIZE: '0',
        RECORDER_LOCK_MS: '10',
      }),
    ).toThrow(
      /RECORDER_CONCURRENCY: must be a whole number.*RECORDER_BATCH_SIZE: must be between.*RECORDER_LOCK_MS/s,
    );
  });
});
