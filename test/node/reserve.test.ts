import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import { manualClock } from '../cases/clock.js';
import { customerKey, reserveCases, reserveRace } from '../cases/reserve.cases.js';
import { nodeAppsOverOne } from './app.js';
import { describeServer, type RunningServer, startServer } from './server.js';

const token = 'node-reserve-admin-token-000';
const settings = { ADMIN_TOKEN: token, PRICES: 'client' };
const clock = manualClock();
const key = await customerKey();
reserveCases(
  await nodeAppsOverOne(
    {
      reserve: { ...settings, INVENTORY: 'reserve', AUTH_PUBLIC_KEY: key.pem },
      track: { ...settings, INVENTORY: 'track' },
      none: settings,
    },
    clock.now,
  ),
  token,
  clock,
  key.token,
);

describeServer('reservations under WEB_CONCURRENCY=2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgecart-reserve-'));
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never reserves more than is there across two processes on one file: 100 one-unit adds, 10 available', async () => {
    server = await startServer({
      DATABASE_URL: `file:${join(dir, 'two.db')}`,
      WEB_CONCURRENCY: '2',
      ADMIN_TOKEN: token,
      PRICES: 'client',
      INVENTORY: 'reserve',
      LOG_LEVEL: 'info',
    });
    const url = server.url;
    await reserveRace((path, init) => fetch(`${url}${path}`, init), token);
  }, 60_000);
});
