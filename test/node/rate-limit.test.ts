import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { storeOver } from '../../src/data/store.js';
import { openLibsqlStore } from '../../src/runtime/node/libsql.js';
import { nodeClientAddress, nodeRateLimiter } from '../../src/runtime/node/rate-limit.js';
import type { Fetcher } from '../cases/client.js';
import { rateLimitCases } from '../cases/rate-limit.cases.js';
import { describeServer, type RunningServer, startServer } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'edgecart-limit-'));
const running: RunningServer[] = [];
const store = await openLibsqlStore({ url: `file:${join(dir, 'app.db')}` });
afterAll(async () => {
  store.close();
  await Promise.all(running.map((server) => server.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

// The Node wiring behind one trusted proxy: it appends the address it saw, so
// the right-most X-Forwarded-For entry is the client; the left one is the
// client's own claim and changes nothing.
const config = loadConfig({ LOG_LEVEL: 'warn', PRICES: 'client', RATE_LIMIT_PER_MINUTE: '20', TRUST_PROXY: 'true' });
const app = createApp({
  config,
  store: () => storeOver(store.db),
  clientAddress: nodeClientAddress(config.TRUST_PROXY),
  rateLimiter: nodeRateLimiter(20),
});
const fetcher: Fetcher = async (path, init) => app.request(`http://edgecart.test${path}`, init);
rateLimitCases(fetcher, 20, (client) => ({
  'x-forwarded-for': `203.0.113.${Math.floor(Math.random() * 250)}, ${client}`,
}));

describeServer('rate limiting on the real server', () => {
  const hit = (url: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA`, { headers: { connection: 'close', ...headers } });

  it('counts by socket address, ignoring X-Forwarded-For unless TRUST_PROXY', async () => {
    const server = await startServer({ DATABASE_URL: `file:${join(dir, 'one.db')}`, RATE_LIMIT_PER_MINUTE: '5' });
    running.push(server);
    for (let i = 0; i < 5; i++)
      expect((await hit(server.url, { 'x-forwarded-for': `198.51.100.${i}` })).status).toBe(404);
    expect((await hit(server.url, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
  });

  it('shares the counters between WEB_CONCURRENCY processes', async () => {
    const server = await startServer({
      DATABASE_URL: `file:${join(dir, 'two.db')}`,
      RATE_LIMIT_PER_MINUTE: '10',
      WEB_CONCURRENCY: '2',
    });
    running.push(server);
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await hit(server.url)).status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });
});
