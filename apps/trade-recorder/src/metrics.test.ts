import { createMetrics } from '@friren/observability';
import { describe, expect, it } from 'vitest';
import { createRecorderMetrics } from './metrics.js';

describe('createRecorderMetrics', () => {
  it('starts every configured account at zero conflicts, so the first one is an increase', async () => {
    const { registry } = createMetrics();
    createRecorderMetrics(registry, ['alpha', 'beta']);
    const text = await registry.metrics();
    expect(text).toContain('friren_trades_conflicting_total{account="alpha"} 0');
    expect(text).toContain('friren_trades_conflicting_total{account="beta"} 0');
  });
});
