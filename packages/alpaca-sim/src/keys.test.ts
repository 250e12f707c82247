import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlpacaSim, createAlpacaSim } from './index.js';

const OLD = { 'APCA-API-KEY-ID': 'sim-key', 'APCA-API-SECRET-KEY': 'sim-secret' };
const NEW = { 'APCA-API-KEY-ID': 'sim-key-2', 'APCA-API-SECRET-KEY': 'sim-secret-2' };

let sim: AlpacaSim;
let base: string;

beforeEach(async () => {
  sim = createAlpacaSim();
  base = (await sim.listen()).url;
});

afterEach(async () => {
  await sim.close();
});

async function accountId(headers: Record<string, string>): Promise<{ status: number; id: unknown }> {
  const res = await fetch(`${base}/v2/account`, { headers });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, id: body['id'] };
}

const control = (path: string, init: RequestInit = {}) => fetch(`${base}/_sim${path}`, init);

describe('key rotation', () => {
  it('opens the same account under a second key until the first is revoked', async () => {
    const before = await accountId(OLD);
    expect(before.status).toBe(200);
    sim.addKey('sim-key', { keyId: 'sim-key-2', secretKey: 'sim-secret-2' });
    expect(await accountId(NEW)).toEqual(before);
    expect(await accountId(OLD)).toEqual(before);
    expect(sim.credentials()).toEqual([
      { keyId: 'sim-key', secretKey: 'sim-secret' },
      { keyId: 'sim-key-2', secretKey: 'sim-secret-2' },
    ]);

    sim.revokeKey('sim-key');
    expect((await accountId(OLD)).status).toBe(401);
    expect(await accountId(NEW)).toEqual(before);
    // A wrong secret for the new key is refused like any other.
    expect((await accountId({ ...NEW, 'APCA-API-SECRET-KEY': 'sim-secret' })).status).toBe(401);
  });

  it('rotates over the control API and refuses bad or clashing keys', async () => {
    const before = await accountId(OLD);
    const added = await control('/accounts/sim-key/keys', {
      method: 'POST',
      body: JSON.stringify({ keyId: 'sim-key-2', secretKey: 'sim-secret-2' }),
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({ keyId: 'sim-key-2' });
    expect(await accountId(NEW)).toEqual(before);

    const revoked = await control('/keys/sim-key', { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect((await accountId(OLD)).status).toBe(401);

    const clash = await control('/accounts/sim-key-2/keys', {
      method: 'POST',
      body: JSON.stringify({ keyId: 'sim-key-2', secretKey: 'x' }),
    });
    expect(clash.status).toBe(422);
    const empty = await control('/accounts/sim-key-2/keys', {
      method: 'POST',
      body: JSON.stringify({ keyId: 'k3', secretKey: '' }),
    });
    expect(empty.status).toBe(422);
    expect((await control('/accounts/nobody/keys', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await control('/keys/sim-key', { method: 'DELETE' })).status).toBe(404);
  });
});
