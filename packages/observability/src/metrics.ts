import { collectDefaultMetrics, Registry } from 'prom-client';

export type {
  CounterConfiguration,
  GaugeConfiguration,
  HistogramConfiguration,
  SummaryConfiguration,
} from 'prom-client';
export { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';

export interface MetricsOptions {
  /** Collect the process metrics (CPU, memory, event loop, GC); default true. */
  readonly defaultMetrics?: boolean;
  /** Prefix of the default metrics' names; default `friren_`. App metrics carry their own names. */
  readonly prefix?: string;
}

export interface Metrics {
  readonly registry: Registry;
}

/**
 * A fresh registry, never prom-client's global one: `friren up` runs all four apps in one
 * process, each with its own registry, and registering the default metrics into the global
 * registry twice would throw.
 */
export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: opts.prefix ?? 'friren_' });
  }
  return { registry };
}
