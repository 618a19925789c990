import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
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
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            // Request lines would drown the test output; warnings and errors still show.
            miniflare: { bindings: { LOG_LEVEL: 'warn', TEST_MIGRATIONS: await readD1Migrations('./migrations') } },
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
