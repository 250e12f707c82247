import { Counter, Gauge, type Registry } from 'prom-client';
import { READ_LAYERS, type ReadLayer } from './types.js';

/** What the metrics read from one account manager at scrape time. */
export interface MetricsSource {
  readonly alias: string;
  readCount(layer: ReadLayer): number;
  /** Seconds since the held snapshot's `fetched_at`, signed; null when none is held. */
  snapshotAgeSeconds(): number | null;
  /** Refreshes what health needs, then judges it. */
  isHealthy(): Promise<boolean>;
}

/** What a reader serves; the contract's `friren_snapshot_age_seconds` is the poller's. */
export const SERVED_SNAPSHOT_AGE = 'friren_served_snapshot_age_seconds';

/**
 * Counters live as plain numbers in each manager (the crisis read must do no prom-client work);
 * these metrics copy them at scrape time through `collect()`. One set per registry, shared by every
 * manager attached to it; a name already registered by someone else is left to them.
 */
const sourcesByRegistry = new WeakMap<Registry, Set<MetricsSource>>();

export function attachMetrics(registry: Registry, source: MetricsSource): () => void {
  let sources = sourcesByRegistry.get(registry);
  if (sources === undefined) {
    sources = new Set();
    sourcesByRegistry.set(registry, sources);
    registerMetrics(registry, sources);
  }
  sources.add(source);
  return () => sources.delete(source);
}

function registerMetrics(registry: Registry, sources: Set<MetricsSource>): void {
  const free = (name: string) => registry.getSingleMetric(name) === undefined;

  if (free('friren_cache_reads_total')) {
    new Counter({
      name: 'friren_cache_reads_total',
      help: 'Account snapshot reads by the layer that answered (memory, redis, last-good) or miss',
      labelNames: ['account', 'layer'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of sources) {
          for (const layer of READ_LAYERS) this.inc({ account: s.alias, layer }, s.readCount(layer));
        }
      },
    });
  }
  // Not `friren_snapshot_age_seconds`: that is the poller's (the live snapshot it last wrote,
  // docs/CONTRACT.md §6); this is what a reader serves, which lags it when updates do not arrive.
  if (free(SERVED_SNAPSHOT_AGE)) {
    new Gauge({
      name: SERVED_SNAPSHOT_AGE,
      help: 'Age of the account snapshot this process serves from memory (now - fetched_at); negative when fetched_at is ahead of this clock',
      labelNames: ['account'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of sources) {
          const age = s.snapshotAgeSeconds();
          if (age !== null) this.set({ account: s.alias }, age);
        }
      },
    });
  }
  if (free('friren_account_healthy')) {
    new Gauge({
      name: 'friren_account_healthy',
      help: '1 when the account is healthy (fresh snapshot, poller fine, ACTIVE, not blocked, Redis up)',
      labelNames: ['account'],
      registers: [registry],
      async collect() {
        this.reset();
        const list = [...sources];
        const results = await Promise.all(list.map((s) => s.isHealthy()));
        list.forEach((s, i) => {
          this.set({ account: s.alias }, results[i] ? 1 : 0);
        });
      },
    });
  }
}
