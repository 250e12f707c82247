import { DEFAULT_OPS_PORTS } from '@friren/config';

export type AppName = keyof typeof DEFAULT_OPS_PORTS;

/** The apps in the order their ops ports are assigned (and DEFAULT_OPS_PORTS counts up). */
export const APP_NAMES: readonly AppName[] = ['poller', 'trade-recorder', 'analytics', 'orchestrator'];

/**
 * One process, four ops servers, so four ports. Without OPS_PORT each app keeps its own default
 * (9101–9104, what Prometheus is configured to scrape); with OPS_PORT=N they take N, N+1, N+2, N+3;
 * with OPS_PORT=0 each picks a free port (tests).
 */
export function opsPorts(env: NodeJS.ProcessEnv, base: number): Record<AppName, number> {
  const given = env['OPS_PORT'] !== undefined && env['OPS_PORT'] !== '';
  const out = {} as Record<AppName, number>;
  APP_NAMES.forEach((app, i) => {
    out[app] = !given ? DEFAULT_OPS_PORTS[app] : base === 0 ? 0 : base + i;
  });
  if (Object.values(out).some((p) => p > 65_535)) {
    throw new RangeError(`OPS_PORT=${base} leaves no room for four ports (N to N+3 must be ≤ 65535)`);
  }
  return out;
}
