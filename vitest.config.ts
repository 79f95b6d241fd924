import { defineConfig } from 'vitest/config';

// One configuration, one command (`pnpm vitest`) for every suite. Unit tests sit beside
// the code; integration and end-to-end suites (real Docker, real Chromium) live in test/.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', include: ['shared/src/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'analyzers', include: ['analyzers/src/**/*.test.ts'], environment: 'node', testTimeout: 60_000 } },
      { test: { name: 'helper', include: ['helper/src/**/*.test.ts'], environment: 'node', testTimeout: 60_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 900_000,
          // Suites share one Docker daemon; run files one at a time.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        extends: './extension/vitest.config.ts',
        test: { name: 'extension', root: './extension', include: ['**/*.test.{ts,tsx}'], exclude: ['node_modules/**', '.output/**', '.wxt/**'] },
      },
    ],
  },
});
