import { waitUntil } from '../support/wait.js';

export { cliContext } from '@friren/cli/test-support';
export {
  deletePrefix,
  MYSQL_SERVER_URL,
  REDIS_URL,
  randomSuffix,
  testDatabase,
} from '../support/shared-servers.js';

export async function getJson<T = Record<string, unknown>>(
  url: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

/** `waitUntil` for probes that answer null until ready: resolves with the non-null answer. */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined> | T | null | undefined,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  return (await waitUntil(probe, timeoutMs, everyMs)) as T;
}
