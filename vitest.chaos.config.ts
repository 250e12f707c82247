import { defineConfig } from 'vitest/config';

// The chaos and security suite (`pnpm test:chaos`): the whole cluster under faults, one file at a
// time (they kill processes, stop servers and measure throughput on a two-core machine).
// CHAOS_PROFILE=ci (default) is the short CI profile; CHAOS_PROFILE=full is the numbers.
// When the run ends, tests/chaos/global-setup.ts regenerates docs/RELIABILITY.md from the results.
export default defineConfig({
  resolve: { conditions: ['@friren/source'] },
  ssr: { resolve: { conditions: ['@friren/source'] } },
  test: {
    name: 'chaos',
    include: ['tests/chaos/**/*.chaos.ts', 'tests/security/**/*.chaos.ts'],
    exclude: ['**/node_modules/**'],
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    globalSetup: ['tests/chaos/global-setup.ts'],
  },
});
