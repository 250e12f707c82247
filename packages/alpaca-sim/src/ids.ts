import { createHash, randomBytes } from 'node:crypto';

function digest(parts: readonly (string | number)[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

/** A version-4-shaped UUID derived from its inputs, so seeded ids are stable across runs. */
export function stableUuid(...parts: (string | number)[]): string {
  return uuidFromBytes(digest(parts));
}

function uuidFromBytes(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A deterministic unsigned 32-bit integer from its inputs: the simulator's only source of "chance". */
export function stableUint32(...parts: (string | number)[]): number {
  return digest(parts).readUInt32BE(0);
}

/**
 * Alpaca activity ids look like "20240115143000123::<uuid>". The leading hex of the uuid part is a
 * per-simulator sequence, so sorting ids as strings sorts activities by (time, arrival).
 */
export function activityId(atMs: number, seq: number): string {
  const stamp = new Date(atMs).toISOString().replace(/[-:TZ.]/g, '');
  const rest = uuidFromBytes(randomBytes(16)).slice(8);
  return `${stamp}::${seq.toString(16).padStart(8, '0')}${rest}`;
}
