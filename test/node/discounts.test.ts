import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import { manualClock } from '../cases/clock.js';
import { discountCases, lastRedemptionRaces, redemptionRace } from '../cases/discounts.cases.js';
import { nodeApp } from './app.js';
import { describeServer, type RunningServer, startServer } from './server.js';

const token = 'node-discounts-admin-token-01';
const clock = manualClock();
discountCases((await nodeApp({ ADMIN_TOKEN: token }, clock.now)).fetcher, token, clock);

describeServer('discount redemptions under WEB_CONCURRENCY=2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgecart-discounts-'));
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('places exactly ten orders with a code limited to ten when fifty carts check out at once across two processes', async () => {
    server = await startServer({
      DATABASE_URL: `file:${join(dir, 'two.db')}`,
      WEB_CONCURRENCY: '2',
      ADMIN_TOKEN: token,
      LOG_LEVEL: 'info',
    });
    const url = server.url;
    await redemptionRace((path, init) => fetch(`${url}${path}`, init), token);
  }, 60_000);

  it('places exactly one order per code limited to one, over twenty pairs of carts checked out at once', async () => {
    if (server === undefined) throw new Error('the server of the test above did not start');
    const url = server.url;
    await lastRedemptionRaces((path, init) => fetch(`${url}${path}`, init), token);
  }, 60_000);
});
