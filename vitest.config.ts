import { defineConfig } from 'vitest/config';

// One config runs every package's tests: the engine's unit and contract tests
// and the cross-package tests under test/.
export default defineConfig({
  test: {
    include: ['engine/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
