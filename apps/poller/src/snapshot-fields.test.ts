import { brokerAccountSchema } from '@friren/alpaca';
import { decodeSnapshot } from '@friren/contracts';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_FIELDS, snapshotFields } from './snapshot-fields.js';

const meta = { alias: 'main', fetchedAt: 1_800_000_000_123, source: 'alpaca' as const };

describe('snapshotFields', () => {
  it('copies the broker strings byte for byte and adds our own fields', () => {
    const account = brokerAccountSchema.parse({
      id: 'b-1',
      status: 'ACTIVE',
      currency: 'USD',
      equity: '122011.09751111286868',
      buying_power: '-0.00',
      trading_blocked: false,
      pattern_day_trader: true,
      daytrade_count: 2,
      crypto_status: 'ACTIVE',
    });
    const fields = snapshotFields(account, meta);
    expect(fields).toEqual({
      account: 'main',
      broker_account_id: 'b-1',
      status: 'ACTIVE',
      currency: 'USD',
      equity: '122011.09751111286868',
      buying_power: '-0.00',
      trading_blocked: 'false',
      pattern_day_trader: 'true',
      daytrade_count: '2',
      fetched_at: '1800000000123',
      source: 'alpaca',
    });
    expect(fields).not.toHaveProperty('version');
    expect(Object.keys(fields).every((f) => SNAPSHOT_FIELDS.includes(f))).toBe(true);
    expect(decodeSnapshot({ ...fields, version: '7' }).ok).toBe(true);
  });

  it('leaves out what the broker omitted or sent as null', () => {
    const account = brokerAccountSchema.parse({
      id: 'b-1',
      status: 'ACTIVE',
      cash: null,
      daytrade_count: null,
    });
    const fields = snapshotFields(account, meta);
    expect(fields).not.toHaveProperty('cash');
    expect(fields).not.toHaveProperty('daytrade_count');
    expect(fields).not.toHaveProperty('pattern_day_trader');
  });

  it('writes passed-on fields sent as strings in the contract form, and leaves out unreadable ones', () => {
    const asStrings = brokerAccountSchema.parse({
      id: 'b-1',
      status: 'ACTIVE',
      daytrade_count: '0',
      pattern_day_trader: 'false',
    });
    const fields = snapshotFields(asStrings, meta);
    expect(fields['daytrade_count']).toBe('0');
    expect(fields['pattern_day_trader']).toBe('false');
    const decoded = decodeSnapshot({ ...fields, version: '1' });
    expect(decoded.ok && decoded.snapshot.daytrade_count).toBe(0);

    const unreadable = brokerAccountSchema.parse({
      id: 'b-1',
      status: 'ACTIVE',
      daytrade_count: 'zero',
      pattern_day_trader: 'sometimes',
      sma: 0,
    });
    const left = snapshotFields(unreadable, meta);
    expect(left).not.toHaveProperty('daytrade_count');
    expect(left).not.toHaveProperty('pattern_day_trader');
    expect(left).not.toHaveProperty('sma');
    expect(decodeSnapshot({ ...left, version: '1' }).ok).toBe(true);
  });
});
