/**
 * Display formatting. Money arrives as exact decimal strings and is only regrouped and rounded as
 * text (half away from zero), never passed through a float.
 */

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** `-12345.678` → `-12,345.68` (2 places by default); anything not a plain decimal is shown as is. */
export function money(value: string | null | undefined, places = 2): string {
  if (value === null || value === undefined || value === '') return '—';
  const m = DECIMAL.exec(value.trim());
  if (!m) return value;
  const [, sign = '', intPart = '0', frac = ''] = m;
  let digits = BigInt(intPart + frac.padEnd(places, '0').slice(0, places));
  // Round half away from zero on the first dropped digit.
  if ((frac[places] ?? '0') >= '5') digits += 1n;
  const text = digits.toString().padStart(places + 1, '0');
  const whole = text.slice(0, text.length - places);
  const cents = text.slice(text.length - places);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const negative = sign === '-' && digits !== 0n;
  return `${negative ? '-' : ''}${grouped}${places > 0 ? `.${cents}` : ''}`;
}

/** Like `money` but always signed (`+1,234.50`, `-3.10`, `0.00`). */
export function signedMoney(value: string | null | undefined, places = 2): string {
  const s = money(value, places);
  return s === '—' || s.startsWith('-') || /^[0.,]+$/.test(s) ? s : `+${s}`;
}

/** A ratio (Sharpe, profit factor …) to fixed places; null or non-finite shows `—`. */
export function ratio(value: number | null | undefined, places = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(places);
}

/** A value already in percent (`12.345` → `12.35%`). */
export function percent(value: number | null | undefined, places = 2): string {
  const r = ratio(value, places);
  return r === '—' ? r : `${r}%`;
}

/** Milliseconds as a short age: `850 ms`, `12.3 s`, `4 min`. */
export function age(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
