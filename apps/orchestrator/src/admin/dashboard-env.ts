import { ConfigError } from '@friren/config';

/** docs/CONTRACT.md §1: the queue dashboard's write actions are off unless this says `true`. */
export const QUEUE_DASHBOARD_WRITE_ENV = 'FRIREN_QUEUE_DASHBOARD_WRITE';

/** Unset, empty or `false` → read-only; `true` → write actions allowed. Anything else is refused. */
export function dashboardWriteFromEnv(env: NodeJS.ProcessEnv): boolean {
  const raw = env[QUEUE_DASHBOARD_WRITE_ENV]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError([{ variable: QUEUE_DASHBOARD_WRITE_ENV, message: 'must be "true" or "false"' }]);
}
