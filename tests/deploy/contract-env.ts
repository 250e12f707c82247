import { readFileSync } from 'node:fs';

/**
 * Every environment variable a deploy file may set for a Friren container.
 *
 * CONTRACT_ENV is read from the table of docs/CONTRACT.md §1 (the contract lives in the repository),
 * so the deploy tests follow the contract. APP_KNOBS are the apps' own documented tuning variables,
 * not part of the contract. Runtime variables belong to Node, not to Friren.
 */
export const CONTRACT_ENV: readonly string[] = contractVariables(
  readFileSync(new URL('../../docs/CONTRACT.md', import.meta.url), 'utf8'),
);

/** The variables named in the first column of the table of §1 (`A` or `A` / `B`). */
export function contractVariables(markdown: string): string[] {
  const section = /^## 1\..*$([\s\S]*?)^## 2\./m.exec(markdown)?.[1];
  if (section === undefined) throw new Error('docs/CONTRACT.md has no section 1 followed by section 2');
  const names = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
  if (names.length === 0) throw new Error('docs/CONTRACT.md §1 lists no variables');
  return names;
}

/**
 * Variables whose value may come from a file through `<NAME>_FILE` (docs/CONTRACT.md §1 says so for the
 * broker keys; @friren/config reads the URLs and the API token the same way).
 */
export const FILE_VARIANTS = [
  'ALPACA_KEY_ID',
  'ALPACA_SECRET_KEY',
  'REDIS_URL',
  'MYSQL_URL',
  'FRIREN_API_TOKEN',
  'REDIS_SENTINEL_PASSWORD',
] as const;

/** Per-account broker keys: ALPACA_<ALIAS>_KEY_ID / ALPACA_<ALIAS>_SECRET_KEY, optionally _FILE. */
export const PER_ACCOUNT_ENV = /^ALPACA_[A-Z0-9_]{1,32}_(KEY_ID|SECRET_KEY)(_FILE)?$/;

/** The apps' own tuning knobs (documented in each app), allowed beside the contract. */
export const APP_KNOBS = {
  'trade-recorder': [
    'RECORDER_CONCURRENCY',
    'RECORDER_BATCH_SIZE',
    'RECORDER_BATCH_MS',
    'RECORDER_BATCHES_IN_FLIGHT',
    'RECORDER_WORKERS',
    'RECORDER_LOCK_MS',
  ],
  analytics: ['ANALYTICS_CONCURRENCY', 'ANALYTICS_SETTLE_MS', 'ANALYTICS_TICK_MS', 'ANALYTICS_VERIFY_MS'],
  orchestrator: ['FRIREN_RISK_MAX_POSITION_PCT', 'FRIREN_RISK_DAILY_LOSS_LIMIT'],
  'alpaca-sim': ['ALPACA_SIM_PORT', 'ALPACA_SIM_HOST', 'ALPACA_SIM_KEYS', 'ALPACA_SIM_RATE_LIMIT_PER_MIN'],
} as const satisfies Record<string, readonly string[]>;

/** Node's own variables, harmless in any container. */
export const RUNTIME_ENV = ['NODE_ENV', 'NODE_OPTIONS', 'TZ'] as const;

/** Whether `name` may be set for a container running `app` (an apps/ or packages/ directory name). */
export function isAllowedEnv(name: string, app: string): boolean {
  if (CONTRACT_ENV.includes(name)) return true;
  if ((RUNTIME_ENV as readonly string[]).includes(name)) return true;
  if (
    name.endsWith('_FILE') &&
    (FILE_VARIANTS as readonly string[]).includes(name.slice(0, -'_FILE'.length))
  ) {
    return true;
  }
  if (PER_ACCOUNT_ENV.test(name)) return true;
  const knobs: readonly string[] = (APP_KNOBS as Record<string, readonly string[]>)[app] ?? [];
  return knobs.includes(name);
}
