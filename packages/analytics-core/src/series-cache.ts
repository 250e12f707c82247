import { lowerBound } from './day-ledger.js';
import type { Mark } from './marks.js';

/** Why a day's mark was noted: 0 not noted, 1 no broker mark, 2 bad broker mark. */
export type NoteCode = 0 | 1 | 2;

/** One symbol's resolved marks, indexed like the cached days. */
export interface CachedMarks {
  readonly marks: (Mark | undefined)[];
  /** The recorded broker mark each day was resolved from (undefined: none recorded). */
  readonly closes: (string | undefined)[];
  readonly notes: NoteCode[];
}

/** One strategy's market value at the end of each day: per symbol, and their sum. */
export interface CachedValues {
  readonly total: bigint[];
  readonly bySymbol: Map<string, bigint[]>;
}

/**
 * The trading series' closed past days from the last summary of an accumulator, so the next one
 * only recomputes the days something changed on. A day's marks and values depend on the fills
 * dated on or before it, its recorded broker marks and (today only) the live prices; the history
 * equity enters only the returns, which are always recomputed.
 */
export interface SeriesCache {
  readonly days: readonly string[];
  /** The live day of that summary: it and later days are never reused. */
  readonly liveDay: string | undefined;
  readonly marks: Map<string, CachedMarks>;
  readonly values: Map<string, CachedValues>;
}

/**
 * How many leading days of `days` the cache still holds: the days both lists share, before the
 * earliest day of a fill folded since (a late fill may be dated in the past), and before either
 * summary's live day.
 */
export function reusableDays(
  cache: SeriesCache | undefined,
  days: readonly string[],
  touchedFrom: string | undefined,
  liveDay: string | undefined,
): number {
  if (cache === undefined) return 0;
  const old = cache.days;
  let n = 0;
  const max = Math.min(old.length, days.length);
  while (n < max && old[n] === days[n]) n++;
  if (touchedFrom !== undefined) n = Math.min(n, lowerBound(days, touchedFrom));
  if (cache.liveDay !== undefined) n = Math.min(n, lowerBound(days, cache.liveDay));
  if (liveDay !== undefined) n = Math.min(n, lowerBound(days, liveDay));
  return n;
}
