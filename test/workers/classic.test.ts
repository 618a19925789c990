import { SELF } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import * as schema from '../../src/data/schema.js';
import { storeOver } from '../../src/data/store.js';
import { classicCases } from '../cases/classic.cases.js';
import type { Fetcher } from '../cases/client.js';
import { healthCases, notReadyCases } from '../cases/health.cases.js';

const fetcher: Fetcher = (path, init) => SELF.fetch(`http://edgecart.test${path}`, init);
healthCases(fetcher);
classicCases(fetcher);

// A D1 binding that fails every query, as an unreachable database would.
const unreachable = {
  prepare: () => {
    throw new Error('D1_ERROR: network connection lost');
  },
  batch: async () => {
    throw new Error('D1_ERROR: network connection lost');
  },
} as unknown as D1Database;
const down = createApp({
  config: loadConfig({ LOG_LEVEL: 'silent' }),
  store: () => storeOver(drizzle(unreachable, { schema })),
});
notReadyCases(async (path, init) => down.request(`http://edgecart.test${path}`, init));
