/**
 * Display formatting. Money arrives as exact decimal strings and is rounded (half away from zero)
 * and regrouped exactly, never passed through a float.
 */
import { formatDecimal, parseDecimal, roundDecimal } from '@friren/contracts';

/** `-12345.678` → `-12,345.68` (2 places by default); anything not a plain decimal is shown as is. */
export function money(value: string | null | undefined, places = 2): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = parseDecimal(value.trim().replace(/^\+/, ''));
  if (d === null) return value;
  const text = formatDecimal(roundDecimal(d, places), places);
  const dot = text.indexOf('.');
  const whole = dot === -1 ? text : text.slice(0, dot);
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (dot === -1 ? '' : text.slice(dot));
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
