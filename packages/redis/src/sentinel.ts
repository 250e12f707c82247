/**
 * Where Redis is when Sentinel fronts it (docs/CONTRACT.md §1 `REDIS_SENTINELS`): the sentinels to
 * ask and the name of the master they watch. The master's own password, user, database and TLS still
 * come from `REDIS_URL`; only its host and port are the sentinels' to say.
 */
export interface SentinelSettings {
  readonly sentinels: readonly { readonly host: string; readonly port: number }[];
  /** `REDIS_SENTINEL_NAME`: the master group name in the sentinels' configuration. */
  readonly name: string;
  /** `REDIS_SENTINEL_PASSWORD` (or `_FILE`): the sentinels' own password, when they have one. */
  readonly password?: string;
}

/** `host:port,host:port` (IPv6 as `[::1]:26379`) → the list, or why not. */
export function parseSentinelList(
  raw: string,
): { ok: true; value: SentinelSettings['sentinels'] } | { ok: false; reason: string } {
  const out: { host: string; port: number }[] = [];
  for (const part of raw.split(',').map((p) => p.trim())) {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(part);
    const port = Number(m?.[3]);
    if (m === null || !(port >= 1 && port <= 65_535)) {
      return { ok: false, reason: 'must be a comma-separated list of host:port' };
    }
    out.push({ host: (m[1] ?? m[2]) as string, port });
  }
  return { ok: true, value: out };
}
