import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

/**
 * docs/CONTRACT.md §1: mutating and admin routes need `FRIREN_API_TOKEN` as a bearer token; with no token
 * configured they are served only when the server listens on loopback (a laptop's `friren up`).
 */
export interface AuthPolicy {
  readonly token: string | null;
  /** The listen address, to decide whether a token-less server may serve protected routes. */
  readonly host: string;
}

/** `localhost`, 127.0.0.0/8, ::1 and the IPv4-mapped form of 127.x. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** SHA-256 first, so the comparison is constant-time whatever the lengths. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer <t>`, or from Basic's password (browsers, for the dashboard). */
function presentedToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const bearer = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1] ?? null;
  const basic = /^Basic[ ]+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? null : decoded.slice(colon + 1);
  }
  return null;
}

/** An `onRequest` hook: runs before the body is read, so an unauthenticated client learns nothing more. */
export function requireToken(policy: AuthPolicy, scheme: 'Bearer' | 'Basic') {
  const loopback = isLoopbackHost(policy.host);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (policy.token === null) {
      if (loopback) return;
      return sendError(
        reply,
        403,
        'forbidden',
        'FRIREN_API_TOKEN is not set: mutating and admin routes are served only on a loopback address',
      );
    }
    const given = presentedToken(request.headers.authorization);
    if (given !== null && sameSecret(given, policy.token)) return;
    reply.header('WWW-Authenticate', `${scheme} realm="friren"`);
    return sendError(
      reply,
      401,
      'unauthorized',
      given === null ? 'a bearer token is required' : 'the bearer token is not valid',
    );
  };
}
