import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON results let .ci/run print one closing "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: `.vitest/results-${process.env.VITEST_RESULTS ?? 'last'}.json` }]],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/node/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ['src/**/*.worker.test.ts'],
          globalSetup: ['./test/node/build.global.ts'],
        },
      },
      {
        // Slow, real-process tests (kill -9 cycles, abusive clients, a short
        // soak): npm run test:reliability, run in CI after npm test.
        test: {
          name: 'reliability',
          environment: 'node',
          include: ['test/reliability/**/*.test.ts'],
          globalSetup: ['./test/node/build.global.ts'],
          fileParallelism: false,
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            // Request lines would drown the test output; warnings and errors still show.
            miniflare: {
              bindings: {
                LOG_LEVEL: 'warn',
                PRICES: 'client',
                TEST_MIGRATIONS: await readD1Migrations('./migrations'),
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ['src/**/*.node.test.ts'],
          setupFiles: ['./test/workers/setup.ts'],
        },
      },
    ],
  },
});
