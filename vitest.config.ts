import { defineConfig } from 'vitest/config';

// One config for the whole monorepo: unit tests live beside the code, cross-app suites in tests/.
// The "@friren/source" condition makes workspace packages resolve to their TypeScript sources,
// so tests never depend on a prior build.
export default defineConfig({
  resolve: { conditions: ['@friren/source'] },
  ssr: { resolve: { conditions: ['@friren/source'] } },
  test: {
    // Suites share one Redis and one MariaDB; each uses its own prefix/database, but the
    // machine has two cores, so cap parallel files.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/bench/**', '**/node_modules/**'],
        },
      },
    ],
  },
});
