/** Checks for arguments that end up in SQL, so a bad one fails here with a clear message. */

/** A row id as a decimal string (BIGINT UNSIGNED, so at most 20 digits). */
export function decimalId(id: string): string {
  if (!/^\d{1,20}$/.test(id)) throw new RangeError(`not a row id: ${JSON.stringify(id)}`);
  return id;
}

export function positiveLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }
  return limit;
}
