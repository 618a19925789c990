import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { eventStore } from '../../src/data/events.js';
import { purgeEventsOf, purgeExpired } from '../../src/data/purge.js';
import { createLogger } from '../../src/platform/logger.js';
import { type Dispatcher, startDispatcher } from '../../src/runtime/node/dispatcher.js';
import { send } from '../cases/client.js';
import { manualClock } from '../cases/clock.js';
import { type Receiver, webhookCases } from '../cases/webhooks.cases.js';
import { nodeApp } from './app.js';

/** A real HTTP receiver on this machine: Node delivers over the network, with the global fetch. */
async function httpReceiver(): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const script: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      received.push({ headers, body });
      res.writeHead(script.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, fetch: (input, init) => fetch(input, init), received, script };
}

const token = 'node-webhooks-admin-token-0123';
const secret = `whsec_${btoa('node webhook secret, 32 bytes!!!')}`;
// Standard Webhooks receivers check the signing time against their own clock: start at the real now.
const clock = manualClock(Date.now());
const receiver = await httpReceiver();
const settings = {
  PRICES: 'catalog',
  ADMIN_TOKEN: token,
  WEBHOOK_URL: receiver.url,
  WEBHOOK_SECRET: secret,
  WEBHOOK_MAX_ATTEMPTS: '3',
  // Not the default (7): the purge must take the configured count.
  EVENT_RETENTION_DAYS: '3',
};
const app = await nodeApp(settings, clock.now);
// The purge as the server runs it: with the event settings of its configuration.
const purgeEvents = purgeEventsOf(loadConfig(settings));
const setup = {
  fetcher: app.fetcher,
  token,
  secret,
  events: eventStore(app.db),
  receiver,
  clock,
  maxAttempts: 3,
  retentionDays: 3,
  purge: (now: number) => purgeExpired(app.db, now, undefined, undefined, purgeEvents),
};
webhookCases(() => setup);

describe('the Node dispatcher', () => {
  it('delivers at once when a checkout wakes it, and stops only after the delivery in flight is recorded', async () => {
    const slow = await httpReceiver();
    let dispatcher: Dispatcher | undefined;
    const node = await nodeApp(
      { PRICES: 'catalog', ADMIN_TOKEN: token, WEBHOOK_URL: slow.url, WEBHOOK_SECRET: secret },
      undefined,
      { announce: () => dispatcher?.wake() },
    );
    const config = { WEBHOOK_URL: slow.url, WEBHOOK_SECRET: secret, WEBHOOK_MAX_ATTEMPTS: 8 };
    // A poll far longer than the test: only the wake can make it deliver in time.
    dispatcher = startDispatcher({ events: eventStore(node.db), config, log: createLogger('silent'), pollMs: 600_000 });
    const admin = { authorization: `Bearer ${token}` };
    await send(node.fetcher, 'PUT', '/v1/admin/products/sku-wake', { name: 'Wake', prices: { USD: 100 } }, admin);
    const cart = await send(node.fetcher, 'POST', '/v1/carts', { items: [{ product_id: 'sku-wake' }] });
    const started = Date.now();
    const order = await send(node.fetcher, 'POST', `/v1/carts/${cart.json.id}/checkout`);
    expect(order.status).toBe(201);
    while (slow.received.length === 0 && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 10));
    expect(slow.received).toHaveLength(1);
    expect(JSON.parse(slow.received[0]?.body ?? '{}').data.id).toBe(order.json.id);
    await dispatcher.stop();
    const [row] = (await eventStore(node.db).list(10)).rows.map((r) => r.event);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});
