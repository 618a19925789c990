import { env } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import * as schema from '../../src/db/schema.js';
import { cloudflareRateLimit } from '../../src/worker.js';
import type { Fetcher } from '../cases/client.js';
import { rateLimitCases } from '../cases/rate-limit.cases.js';

// The Worker's own wiring over the binding of wrangler.toml (120 a minute).
const config = loadConfig({ LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '120' });
const app = createApp({
  config,
  db: () => drizzle(env.DB, { schema }),
  rateLimit: cloudflareRateLimit(env.RATE_LIMITER, config.RATE_LIMIT_PER_MINUTE),
});
const fetcher: Fetcher = async (path, init) => app.request(`http://edgecart.test${path}`, init);
rateLimitCases(fetcher, 120, (client) => ({ 'cf-connecting-ip': client }));
