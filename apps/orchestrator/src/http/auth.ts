import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

/**
 * docs/CONTRACT.md §1: mutating and admin routes need `FRIREN_API_TOKEN` as a bearer token; with no token
 * configured they are served only when the server listens on loopback (a laptop's `friren up`), and
 * only to requests that name a loopback host: a web page whose name an attacker re-points at
 * 127.0.0.1 (DNS rebinding) sends its own name as Host and Origin, and is refused.
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

/** The host name of a `Host` header (`name:port`, `[v6]:port`) or an `Origin` URL; null if unreadable. */
function hostName(value: string, isOrigin: boolean): string | null {
  try {
    const url = new URL(isOrigin ? value : `http://${value}`);
    return url.hostname === '' ? null : url.hostname;
  } catch {
    return null;
  }
}

/**
 * Why a request to a token-less loopback server is refused, or null when its `Host` (and `Origin`,
 * when sent) name a loopback address. An `Origin` of `null` (sandboxed or file pages) is refused too.
 */
export function foreignHostReason(headers: {
  host?: string | undefined;
  origin?: string | undefined;
}): string | null {
  const host = headers.host === undefined ? null : hostName(headers.host, false);
  if (host === null || !isLoopbackHost(host)) return 'the Host header does not name a loopback address';
  if (headers.origin !== undefined) {
    const origin = hostName(headers.origin, true);
    if (origin === null || !isLoopbackHost(origin))
      return 'the Origin header does not name a loopback address';
  }
  return null;
}

/** Who sent a request, for audit lines: never the secret itself. */
export interface Caller {
  readonly ip: string;
  /** How the request was let in: a bearer token, Basic (dashboard), or no token configured on loopback. */
  readonly via: 'bearer' | 'basic' | 'none';
  /** The user name typed into a Basic prompt (free text, not checked), when there is one. */
  readonly user?: string;
  readonly user_agent?: string;
}

export function callerOf(request: FastifyRequest): Caller {
  const header = request.headers.authorization;
  const agent = request.headers['user-agent']?.slice(0, 200);
  const base = { ip: request.ip, ...(agent === undefined ? {} : { user_agent: agent }) };
  if (header === undefined) return { ...base, via: 'none' };
  const basic = /^Basic[ ]+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon > 0 ? decoded.slice(0, Math.min(colon, 64)) : undefined;
    return { ...base, via: 'basic', ...(user === undefined ? {} : { user }) };
  }
  return { ...base, via: 'bearer' };
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
      if (loopback) {
        const foreign = foreignHostReason(request.headers);
        if (foreign === null) return;
        request.log.warn(
          { caller: callerOf(request), host: request.headers.host, origin: request.headers.origin },
          'refused a request naming a non-loopback host on a token-less server',
        );
        return sendError(
          reply,
          403,
          'forbidden',
          `${foreign}: without FRIREN_API_TOKEN, mutating and admin routes answer loopback names only`,
        );
      }
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
