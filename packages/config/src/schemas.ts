import { z } from 'zod';
import { LOG_LEVELS } from './types.js';

// Every message here is written by hand and names no value: a rejected value may be a secret.

// Node timers overflow past 2^31-1 ms and fire at once, so longer durations are refused.
const MAX_TIMER_MS = 2_147_483_647;

function integerIn(min: number, max: number, message: string) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, { message })
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n) && n >= min && n <= max, { message });
}

export const durationMsSchema = integerIn(
  1,
  MAX_TIMER_MS,
  `must be a whole number of ms, 1 to ${MAX_TIMER_MS}`,
);

export const positiveIntSchema = integerIn(1, Number.MAX_SAFE_INTEGER, 'must be a positive whole number');

/** `FRIREN_SUBMIT_REPLICAS`: replicas a submit waits for (0 = the master alone). */
export const replicaCountSchema = integerIn(0, 16, 'must be a whole number from 0 to 16');
export const portSchema = integerIn(0, 65_535, 'must be a port number, 0 to 65535');

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

export const redisUrlSchema = z
  .string()
  .trim()
  .refine(
    (value) => {
      const url = parseUrl(value);
      return url !== null && (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
    },
    { message: 'must be a redis:// or rediss:// URL with a host' },
  );

// The ledger needs a database name: `migrate` creates that database if it is absent.
export const mysqlUrlSchema = z
  .string()
  .trim()
  .refine(
    (value) => {
      const url = parseUrl(value);
      return (
        url !== null && url.protocol === 'mysql:' && url.hostname !== '' && /^\/[^/]+$/.test(url.pathname)
      );
    },
    { message: 'must be a mysql://user[:password]@host[:port]/database URL' },
  );

export const httpUrlSchema = z
  .string()
  .trim()
  .refine(
    (value) => {
      const url = parseUrl(value);
      return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    },
    { message: 'must be an http:// or https:// URL' },
  )
  .transform((value) => value.replace(/\/+$/, ''));

export const prefixSchema = z
  .string()
  .regex(/^\S{1,64}$/, { message: 'must be 1-64 characters without whitespace' });

export const hostSchema = z
  .string()
  .trim()
  .regex(/^[^\s/]+$/, { message: 'must be a host name or IP address' });

// Keys and bearer tokens never contain whitespace; an inner newline means a malformed secret file.
export const secretSchema = z.string().regex(/^\S+$/, { message: 'must not contain whitespace' });

export const pnlMethodSchema = z.enum(['fifo', 'average'], { message: 'must be fifo or average' });

export const logLevelSchema = z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` });
