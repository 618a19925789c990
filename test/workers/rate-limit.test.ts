import { env } from 'cloudflare:test';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { cloudflareClientAddress, cloudflareRateLimiter, storeFor } from '../../src/runtime/workers/index.js';
import type { Fetcher } from '../cases/client.js';
import { rateLimitCases } from '../cases/rate-limit.cases.js';

// The Worker's own wiring over the binding of wrangler.toml (120 a minute).
const config = loadConfig({ LOG_LEVEL: 'warn', PRICES: 'client', RATE_LIMIT_PER_MINUTE: '120' });
const app = createApp({
  config,
  store: () => storeFor(env.DB),
  clientAddress: cloudflareClientAddress,
  rateLimiter: cloudflareRateLimiter(env.RATE_LIMITER, config.RATE_LIMIT_PER_MINUTE),
});
const fetcher: Fetcher = async (path, init) => app.request(`http://edgecart.test${path}`, init);
rateLimitCases(fetcher, 120, (client) => ({ 'cf-connecting-ip': client }));
