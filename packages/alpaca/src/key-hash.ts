import { createHash } from 'node:crypto';

/**
 * The name under which an API key's shared rate limit is stored: 16 hex digits of its SHA-256,
 * so the key id itself never appears in Redis, logs or metric labels.
 */
export function apiKeyHash(keyId: string): string {
  return createHash('sha256').update(keyId, 'utf8').digest('hex').slice(0, 16);
}
