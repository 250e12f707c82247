/**
 * The few numpy reductions empyrical relies on, reproduced operation for operation, so that results
 * — including the rounding noise that decides whether a flat series has a zero or a tiny standard
 * deviation — match numpy's, not merely the textbook formula.
 */

/** numpy's pairwise summation of float64 (`pairwise_sum_DOUBLE`, block size 128, 8 accumulators). */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res += a[start + i] as number;
    return res;
  }
  if (n <= 128) {
    let r0 = a[start] as number;
    let r1 = a[start + 1] as number;
    let r2 = a[start + 2] as number;
    let r3 = a[start + 3] as number;
    let r4 = a[start + 4] as number;
    let r5 = a[start + 5] as number;
    let r6 = a[start + 6] as number;
    let r7 = a[start + 7] as number;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const k = start + i;
      r0 += a[k] as number;
      r1 += a[k + 1] as number;
      r2 += a[k + 2] as number;
      r3 += a[k + 3] as number;
      r4 += a[k + 4] as number;
      r5 += a[k + 5] as number;
      r6 += a[k + 6] as number;
      r7 += a[k + 7] as number;
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i] as number;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** `np.nanmean`: NaNs become 0 in the sum and leave the count; NaN when nothing is left. */
export function nanMean(a: readonly number[]): number {
  const zeroed = new Float64Array(a.length);
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    if (!Number.isNaN(v)) {
      zeroed[i] = v;
      count++;
    }
  }
  return pairwiseSum(zeroed) / count;
}

/** `np.nanstd(a, ddof)`: NaN when fewer than ddof + 1 values are not NaN. */
export function nanStd(a: readonly number[], ddof: number): number {
  const zeroed = new Float64Array(a.length);
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    if (!Number.isNaN(v)) {
      zeroed[i] = v;
      count++;
    }
  }
  const avg = pairwiseSum(zeroed) / count;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i] as number)) continue;
    const d = (zeroed[i] as number) - avg;
    zeroed[i] = d * d;
  }
  const dof = count - ddof;
  return dof <= 0 ? Number.NaN : Math.sqrt(pairwiseSum(zeroed) / dof);
}

/** `np.mean` (NaN propagates). */
export function mean(a: ArrayLike<number>): number {
  return pairwiseSum(a) / a.length;
}

/**
 * `np.percentile(a, q)` with the default linear method; NaN if any value is NaN (numpy's rule)
 * or the input is empty (numpy raises there).
 */
export function percentile(a: readonly number[], q: number): number {
  const n = a.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(a).sort();
  if (Number.isNaN(sorted[n - 1] as number)) return Number.NaN;
  const index = (n - 1) * (q / 100);
  if (index >= n - 1) return sorted[n - 1] as number;
  const lo = Math.floor(index);
  const gamma = index - lo;
  const below = sorted[lo] as number;
  const above = sorted[lo + 1] as number;
  // numpy's `_lerp`: from the nearer end, so gamma = 1 lands exactly on `above`.
  const diff = above - below;
  return gamma >= 0.5 ? above - diff * (1 - gamma) : below + diff * gamma;
}
