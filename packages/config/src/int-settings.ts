import type { ConfigIssue } from './errors.js';
import { ConfigError } from './errors.js';

/** One whole-number knob of one app, read from `variable`, accepted in [min, max]. */
export interface IntSetting {
  readonly variable: string;
  readonly min: number;
  readonly max: number;
}

/**
 * An app's own tuning knobs (not in docs/CONTRACT.md §1, e.g. RECORDER_BATCH_SIZE): unset or empty keeps
 * the default, as in `loadConfig`; every bad variable is named in one ConfigError, never its value.
 */
export function intSettingsFromEnv<K extends string>(
  env: NodeJS.ProcessEnv,
  spec: Readonly<Record<K, IntSetting>>,
  defaults: Readonly<Record<K, number>>,
): Record<K, number> {
  const issues: ConfigIssue[] = [];
  const out = { ...defaults } as Record<K, number>;
  for (const key of Object.keys(spec) as K[]) {
    const { variable, min, max } = spec[key];
    const raw = env[variable]?.trim();
    if (raw === undefined || raw === '') continue;
    if (!/^\d+$/.test(raw)) {
      issues.push({ variable, message: 'must be a whole number' });
      continue;
    }
    const n = Number(raw);
    if (n < min || n > max) issues.push({ variable, message: `must be between ${min} and ${max}` });
    else out[key] = n;
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return out;
}
