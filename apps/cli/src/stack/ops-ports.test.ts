import { describe, expect, it } from 'vitest';
import { opsPorts } from './ops-ports.js';

describe('opsPorts', () => {
  it('keeps each app’s default without OPS_PORT', () => {
    expect(opsPorts({}, 9101)).toEqual({
      poller: 9101,
      'trade-recorder': 9102,
      analytics: 9103,
      orchestrator: 9104,
    });
  });
  it('counts up from OPS_PORT', () => {
    expect(opsPorts({ OPS_PORT: '7000' }, 7000)).toEqual({
      poller: 7000,
      'trade-recorder': 7001,
      analytics: 7002,
      orchestrator: 7003,
    });
  });
  it('gives every app a free port with OPS_PORT=0', () => {
    expect(Object.values(opsPorts({ OPS_PORT: '0' }, 0))).toEqual([0, 0, 0, 0]);
  });
  it('refuses a base too close to the top', () => {
    expect(() => opsPorts({ OPS_PORT: '65534' }, 65534)).toThrow(/no room/);
  });
});
