import { env } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import * as schema from '../../src/data/schema.js';
import { storeOver } from '../../src/data/store.js';
import { threeDecimalCases } from '../cases/currency.cases.js';

// This file's D1 is its own: its default cart is moved to KWD before any request.
await env.DB.prepare("update carts set currency = 'KWD' where id = 'default'").run();
const app = createApp({
  config: loadConfig({ LOG_LEVEL: 'warn', PRICES: 'client' }),
  store: () => storeOver(drizzle(env.DB, { schema })),
});
threeDecimalCases(async (path, init) => app.request(`http://edgecart.test${path}`, init));
