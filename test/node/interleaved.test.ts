import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI } from 'jose';
import { afterAll } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type Store, storeOver } from '../../src/data/store.js';
import { openLibsqlStore } from '../../src/runtime/node/libsql.js';
import type { Fetcher } from '../cases/client.js';
import { manualClock } from '../cases/clock.js';
import { batchHooks, interleavedCases } from '../cases/interleaved.cases.js';
import { AUDIENCE, ISSUER, testKey, tokenMaker } from '../cases/tokens.js';

// Each test gets two apps (PRICES=client and PRICES=catalog) over a libSQL file of its own,
// whose batches it can interleave.
const dir = mkdtempSync(join(tmpdir(), 'edgecart-interleaved-'));
const opened: Array<{ close(): void }> = [];
afterAll(() => {
  for (const store of opened) store.close();
  rmSync(dir, { recursive: true, force: true });
});
const hooks = batchHooks();
const key = await testKey('k1');
const keys = tokenMaker(() => key, await testKey('k1'));
const token = 'node-interleaved-admin-token-0';
const clock = manualClock(Date.now());
const settings = {
  LOG_LEVEL: 'warn',
  ADMIN_TOKEN: token,
  AUTH_PUBLIC_KEY: await exportSPKI(key.publicKey),
  AUTH_ISSUER: ISSUER,
  AUTH_AUDIENCE: AUDIENCE,
};
const appWith = (prices: 'client' | 'catalog', store: Store): Fetcher => {
  const app = createApp({ config: loadConfig({ ...settings, PRICES: prices }), store: () => store, now: clock.now });
  return async (path, init) => app.request(`http://edgecart.test${path}`, init);
};
interleavedCases(async () => {
  const libsql = await openLibsqlStore({ url: `file:${join(dir, `cart-${opened.length}.db`)}` });
  opened.push(libsql);
  // Every verb of the store goes through the hooked database.
  const hooked = storeOver(hooks.wrap(libsql.db));
  return {
    client: appWith('client', hooked),
    catalog: appWith('catalog', hooked),
    elsewhere: appWith('client', storeOver(hooks.wrap(libsql.db))),
    token,
    keys,
    clock,
    beforeBatch: hooks.set,
  };
});
