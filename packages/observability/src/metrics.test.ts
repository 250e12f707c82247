import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Counter, createMetrics } from './metrics.js';

describe('createMetrics', () => {
  it('gives each app its own registry with prefixed default metrics, several per process', async () => {
    const first = createMetrics();
    const second = createMetrics();
    expect(first.registry).not.toBe(second.registry);
    expect(first.registry).not.toBe(globalRegistry);
    for (const { registry } of [first, second]) {
      const text = await registry.metrics();
      expect(text).toContain('friren_process_cpu_seconds_total');
      expect(text).toContain('friren_nodejs_heap_size_used_bytes');
    }
    expect(await globalRegistry.getMetricsAsJSON()).toEqual([]);
  });

  it('lets the same metric name live in two registries', async () => {
    const registries = [createMetrics({ defaultMetrics: false }), createMetrics({ defaultMetrics: false })];
    for (const [i, { registry }] of registries.entries()) {
      new Counter({ name: 'friren_test_things_total', help: 'things', registers: [registry] }).inc(i + 1);
    }
    expect(await registries[0]?.registry.metrics()).toContain('friren_test_things_total 1');
    expect(await registries[1]?.registry.metrics()).toContain('friren_test_things_total 2');
  });

  it('honours a custom prefix and can leave the default metrics out', async () => {
    expect(await createMetrics({ prefix: 'other_' }).registry.metrics()).toContain(
      'other_process_cpu_seconds_total',
    );
    expect(await createMetrics({ defaultMetrics: false }).registry.metrics()).toBe('\n');
  });
});
