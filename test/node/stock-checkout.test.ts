import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import { oversellRace, stockCheckoutCases } from '../cases/stock-checkout.cases.js';
import { nodeAppsOverOne } from './app.js';
import { describeServer, type RunningServer, startServer } from './server.js';

const token = 'node-stock-admin-token-00000';
const settings = { ADMIN_TOKEN: token, PRICES: 'client' };
stockCheckoutCases(await nodeAppsOverOne({ track: { ...settings, INVENTORY: 'track' }, none: settings }), token);

describeServer('stock under WEB_CONCURRENCY=2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgecart-stock-'));
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([1, 3])(
    'never oversells across two processes on one file: 100 carts of %i unit(s) each, 10 on hand',
    async (units) => {
      server ??= await startServer({
        DATABASE_URL: `file:${join(dir, 'two.db')}`,
        WEB_CONCURRENCY: '2',
        ADMIN_TOKEN: token,
        PRICES: 'client',
        INVENTORY: 'track',
        LOG_LEVEL: 'info',
      });
      const url = server.url;
      await oversellRace((path, init) => fetch(`${url}${path}`, init), token, units);
    },
    60_000,
  );
});
