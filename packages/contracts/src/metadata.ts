/**
 * The rules for a trade's free-form `metadata`: a JSON object that survives a round trip through
 * the ledger unchanged and cannot pollute a prototype when read back.
 */

export const MAX_METADATA_BYTES = 4096;
const MAX_METADATA_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** What is wrong with an object given as metadata (already known to be a plain object), if anything. */
export function metadataProblem(
  value: Record<string, unknown>,
): { rule: 'json' | 'size'; message: string } | null {
  const problem = findJsonProblem(value, 0);
  if (problem) return { rule: 'json', message: problem };
  const json = JSON.stringify(value);
  // A UTF-16 unit is at most 3 bytes of UTF-8: short text needs no exact count.
  const bytes = json.length * 3 <= MAX_METADATA_BYTES ? json.length : Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_METADATA_BYTES) {
    return { rule: 'size', message: `at most ${MAX_METADATA_BYTES} bytes serialized (got ${bytes})` };
  }
  return null;
}

/** Only what JSON can carry faithfully: no undefined, functions, bigint, NaN, Dates, cycles, deep nesting. */
function findJsonProblem(v: unknown, depth: number): string | null {
  if (depth > MAX_METADATA_DEPTH) return `nested deeper than ${MAX_METADATA_DEPTH} levels`;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? null : 'numbers must be finite';
  if (Array.isArray(v)) {
    for (const item of v) {
      const p = findJsonProblem(item, depth + 1);
      if (p) return p;
    }
    return null;
  }
  if (isPlainObject(v)) {
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) return `forbidden key "${key}"`;
      const p = findJsonProblem(v[key], depth + 1);
      if (p) return p;
    }
    return null;
  }
  return `must be JSON-serializable (found ${typeof v === 'object' ? 'a non-plain object' : typeof v})`;
}
