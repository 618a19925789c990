import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs for each mutant (npm run mutate): the in-process
 * suites on Node over a libSQL file, which cover every mutated module. The
 * slower real-process, browser and contract suites stay in npm test.
 */
export default defineConfig({
  test: {
    name: 'mutation',
    environment: 'node',
    include: [
      'src/**/*.test.ts',
      'test/node/core.test.ts',
      'test/node/v1.test.ts',
      'test/node/classic.test.ts',
      'test/node/retries.test.ts',
      'test/node/admin.test.ts',
      'test/node/auth.test.ts',
    ],
    exclude: ['src/**/*.worker.test.ts', 'src/runtime/**'],
  },
});
