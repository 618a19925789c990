import { env } from 'cloudflare:test';
import { type AppDeps, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { sessionStoreFor, storeFor } from '../../src/runtime/workers/index.js';
import type { Fetcher } from '../cases/client.js';

/** The app over this test run's D1, with settings other than wrangler.toml's. */
export function workersApp(
  settings: Record<string, string>,
  now?: () => number,
  deps: Partial<Omit<AppDeps, 'config' | 'store'>> = {},
): Fetcher {
  const app = createApp({
    config: loadConfig({ LOG_LEVEL: 'warn', PRICES: 'client', ...settings }),
    store: (_bindings, consistency) => sessionStoreFor(env.DB, consistency),
    ...(now ? { now } : {}),
    ...deps,
  });
  return async (path, init) => app.request(`http://edgecart.test${path}`, init);
}

/** The drizzle store over this test run's D1, as the Worker builds it. */
export const workersDb = () => storeFor(env.DB).db;
