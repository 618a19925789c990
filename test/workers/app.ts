import { env } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import * as schema from '../../src/db/schema.js';
import type { Fetcher } from '../cases/client.js';

/** The app over this test run's D1, with settings other than wrangler.toml's. */
export function workersApp(settings: Record<string, string>, now?: () => number): Fetcher {
  const app = createApp({
    config: loadConfig({ LOG_LEVEL: 'warn', ...settings }),
    db: () => workersDb(),
    ...(now ? { now } : {}),
  });
  return async (path, init) => app.request(`http://edgecart.test${path}`, init);
}

/** The drizzle store over this test run's D1, as the Worker builds it. */
export const workersDb = () => drizzle(env.DB, { schema });
