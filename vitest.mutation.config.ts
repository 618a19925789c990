import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs for each mutant (npm run mutate): every Node test.
 * Stryker's Vitest runner cannot drive the workerd pool; the shared suites
 * in test/cases/ are the same on both runtimes. The tests that start the
 * built server as a process are skipped (EDGECART_MUTATION, see
 * test/node/server.ts): no mutant is ever active in dist/.
 */
export default defineConfig({
  test: {
    name: 'mutation',
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/node/**/*.test.ts'],
    // The browser test drives the built server in Chromium: a real process too.
    exclude: ['src/**/*.worker.test.ts', 'test/node/docs.browser.test.ts'],
    env: { EDGECART_MUTATION: '1' },
    // Kept statements and schemas are built again in each test (src/platform/memo.ts).
    setupFiles: ['./test/mutation.setup.ts'],
  },
});
