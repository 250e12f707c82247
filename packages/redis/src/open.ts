import { Redis, type RedisOptions } from 'ioredis';
import type { SentinelSettings } from './sentinel.js';

/**
 * The one way a Friren process opens a Redis connection: straight to `url`, or, with `sentinel`,
 * to whichever server the sentinels name master, following it through a failover (ioredis asks the
 * sentinels again on every reconnect). `url` still gives the master's password, user, database and
 * TLS (`rediss://`) in Sentinel mode.
 */
export function openRedis(
  url: string,
  sentinel: SentinelSettings | null | undefined,
  options: RedisOptions = {},
): Redis {
  if (sentinel === null || sentinel === undefined) return new Redis(url, options);
  return new Redis({ ...masterOptions(url), ...options, ...sentinelOptions(sentinel, url) });
}

/** What `url` says about the master apart from where it is. */
function masterOptions(url: string): RedisOptions {
  const u = new URL(url);
  const db = Number(u.pathname.slice(1) || '0');
  return {
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

function sentinelOptions(s: SentinelSettings, url: string): RedisOptions {
  return {
    sentinels: s.sentinels.map((x) => ({ host: x.host, port: x.port })),
    name: s.name,
    ...(s.password === undefined ? {} : { sentinelPassword: s.password }),
    // A TLS master is reached through TLS sentinels too.
    ...(url.startsWith('rediss:') ? { enableTLSForSentinelMode: true } : {}),
    // After a failover the old master may come back as a replica: never keep writing to it.
    failoverDetector: true,
  };
}
