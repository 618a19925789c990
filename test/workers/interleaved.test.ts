import { env } from 'cloudflare:test';
import { exportSPKI } from 'jose';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { storeOver } from '../../src/data/store.js';
import { sessionStoreFor } from '../../src/runtime/workers/index.js';
import type { Fetcher } from '../cases/client.js';
import { manualClock } from '../cases/clock.js';
import { batchHooks, interleavedCases } from '../cases/interleaved.cases.js';
import { AUDIENCE, ISSUER, testKey, tokenMaker } from '../cases/tokens.js';

// Two apps (PRICES=client and PRICES=catalog) over this run's D1, whose batches a test can interleave.
const hooks = batchHooks();
const key = await testKey('k1');
const token = 'workers-interleaved-admin-token';
const clock = manualClock(Date.now());
const settings = {
  LOG_LEVEL: 'warn',
  ADMIN_TOKEN: token,
  AUTH_PUBLIC_KEY: await exportSPKI(key.publicKey),
  AUTH_ISSUER: ISSUER,
  AUTH_AUDIENCE: AUDIENCE,
};
const appWith = (prices: 'client' | 'catalog'): Fetcher => {
  const app = createApp({
    config: loadConfig({ ...settings, PRICES: prices }),
    store: (_bindings, consistency) => {
      const store = sessionStoreFor(env.DB, consistency);
      // Every verb of the store goes through the hooked database.
      return storeOver(hooks.wrap(store.db), store.bookmark);
    },
    now: clock.now,
  });
  return async (path, init) => app.request(`http://edgecart.test${path}`, init);
};
const keys = tokenMaker(() => key, await testKey('k1'));
// Every test shares this run's D1, as every request of a Worker does.
interleavedCases(() => ({
  client: appWith('client'),
  catalog: appWith('catalog'),
  // Each request's store here remembers nothing across requests.
  elsewhere: appWith('client'),
  token,
  keys,
  clock,
  beforeBatch: hooks.set,
}));
