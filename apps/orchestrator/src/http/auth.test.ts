import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { type AuthPolicy, isLoopbackHost, requireToken } from './auth.js';

async function probe(policy: AuthPolicy, authorization?: string) {
  const app = Fastify();
  app.addHook('onRequest', requireToken(policy, 'Bearer'));
  app.post('/x', async () => ({ ok: true }));
  const res = await app.inject({
    method: 'POST',
    url: '/x',
    ...(authorization === undefined ? {} : { headers: { authorization } }),
  });
  await app.close();
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['127.example.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('requireToken', () => {
  it('without a configured token, serves loopback and refuses every other bind address', async () => {
    expect((await probe({ token: null, host: '127.0.0.1' })).status).toBe(200);
    const open = await probe({ token: null, host: '0.0.0.0' }, 'Bearer anything');
    expect(open.status).toBe(403);
    expect(open.body.message).toMatch(/FRIREN_API_TOKEN is not set/);
  });

  it('with a token, requires it even on loopback', async () => {
    const policy = { token: 's3cret', host: '127.0.0.1' };
    expect((await probe(policy)).status).toBe(401);
    expect((await probe(policy, 'Bearer s3cre')).status).toBe(401);
    expect((await probe(policy, 'Bearer s3cret-and-more')).status).toBe(401);
    expect((await probe(policy, 'Token s3cret')).status).toBe(401);
    expect((await probe(policy, 'Bearer s3cret')).status).toBe(200);
    expect((await probe(policy, 'bearer   s3cret')).status).toBe(200);
    expect((await probe(policy, `Basic ${Buffer.from('any:s3cret').toString('base64')}`)).status).toBe(200);
  });
});
