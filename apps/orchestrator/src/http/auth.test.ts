import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { type AuthPolicy, callerOf, foreignHostReason, isLoopbackHost, requireToken } from './auth.js';

async function probe(policy: AuthPolicy, authorization?: string, more: Record<string, string> = {}) {
  const app = Fastify();
  app.addHook('onRequest', requireToken(policy, 'Bearer'));
  app.post('/x', async () => ({ ok: true }));
  const res = await app.inject({
    method: 'POST',
    url: '/x',
    headers: { ...(authorization === undefined ? {} : { authorization }), ...more },
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

describe('DNS rebinding on a token-less loopback server', () => {
  const policy = { token: null, host: '127.0.0.1' };

  it.each([
    [{ host: '127.0.0.1:8080' }, 200],
    [{ host: 'localhost:8080', origin: 'http://localhost:8080' }, 200],
    [{ host: '[::1]:8080', origin: 'http://127.0.0.1:3000' }, 200],
    // A page at evil.example re-pointed to 127.0.0.1 names itself.
    [{ host: 'evil.example:8080' }, 403],
    [{ host: '127.0.0.1:8080', origin: 'http://evil.example:8080' }, 403],
    [{ host: '127.0.0.1:8080', origin: 'null' }, 403],
    [{ host: '127.0.0.1.evil.example' }, 403],
  ])('%j → %i', async (headers, status) => {
    const r = await probe(policy, undefined, headers);
    expect(r.status).toBe(status);
    if (status === 403) expect(r.body.message).toMatch(/does not name a loopback address/);
  });

  it('leaves a server with a token to the token (its Host may be any name)', async () => {
    const r = await probe({ token: 't', host: '127.0.0.1' }, 'Bearer t', { host: 'orchestrator.internal' });
    expect(r.status).toBe(200);
  });

  it('foreignHostReason refuses a missing Host', () => {
    expect(foreignHostReason({})).toMatch(/Host/);
    expect(foreignHostReason({ host: 'localhost' })).toBeNull();
  });
});

describe('callerOf', () => {
  it('names the credential kind and the Basic user, never the secret', async () => {
    const app = Fastify();
    const seen: unknown[] = [];
    app.get('/x', async (request) => {
      seen.push(callerOf(request));
      return {};
    });
    await app.inject({
      method: 'GET',
      url: '/x',
      headers: {
        authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}`,
        'user-agent': 'ua',
      },
    });
    await app.inject({ method: 'GET', url: '/x', headers: { authorization: 'Bearer s3cret' } });
    await app.inject({ method: 'GET', url: '/x' });
    await app.close();
    expect(seen).toEqual([
      { ip: '127.0.0.1', via: 'basic', user: 'alice', user_agent: 'ua' },
      { ip: '127.0.0.1', via: 'bearer', user_agent: 'lightMyRequest' },
      { ip: '127.0.0.1', via: 'none', user_agent: 'lightMyRequest' },
    ]);
    expect(JSON.stringify(seen)).not.toContain('s3cret');
  });
});
