import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { Webhook } from 'standardwebhooks';
import { afterAll, expect, it } from 'vitest';
import { freePort, type RunningServer, startServer } from '../node/server.js';

// kill -9 at random moments while orders are placed (INVENTORY=reserve, every
// product's stock counted: each new cart reserves its items, each checkout
// takes them) and webhooks delivered: after each restart no order exists
// without its event nor an event without its order, every acknowledged order
// exists, each product's on_hand plus the units in orders is the stock there
// was, every line carries its cart's reservation and no product is reserved
// past what is on hand, and in the end every acknowledged order reached the receiver.

const CYCLES = 8;
/** Each product's stock at the start. */
const STOCK = 100_000;
const BUYERS = 8;
const dir = mkdtempSync(join(tmpdir(), 'edgecart-checkout-crash-'));
const file = join(dir, 'cart.db');
const token = 'crash-admin-token-0123456789';
const secret = `whsec_${btoa('crash test webhook secret 32 by!')}`;
let server: RunningServer | undefined;

/** The receiver: verifies every delivery with the Standard Webhooks library, answers slowly at times. */
const received = new Map<string, number>();
let forged = 0;
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => {
    body += chunk.toString();
  });
  req.on('end', () => {
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const event = new Webhook(secret).verify(body, headers) as { data: { id: string } };
      received.set(event.data.id, (received.get(event.data.id) ?? 0) + 1);
    } catch {
      forged++;
    }
    setTimeout(() => res.writeHead(200).end(), Math.random() * 150);
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

afterAll(async () => {
  await server?.stop('SIGKILL');
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const start = async () =>
  startServer({
    DATABASE_URL: `file:${file}`,
    PORT: String(await freePort()),
    LOG_LEVEL: 'error',
    PRICES: 'catalog',
    ADMIN_TOKEN: token,
    INVENTORY: 'reserve',
    WEBHOOK_URL: hookUrl,
    WEBHOOK_SECRET: secret,
  });

const json = { 'content-type': 'application/json' };

/** One buyer: a cart of two catalog lines, then checkout; the order id once acknowledged. */
async function buy(url: string, n: number): Promise<string | undefined> {
  const cart = await fetch(`${url}/v1/carts`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      currency: 'EUR',
      items: [{ product_id: `crash-${n % 5}` }, { product_id: `crash-${(n + 1) % 5}`, quantity: 2 }],
    }),
  });
  if (cart.status !== 201) throw new Error(`cart answered ${cart.status}`);
  const { id } = (await cart.json()) as { id: string };
  const order = await fetch(`${url}/v1/carts/${id}/checkout`, { method: 'POST', headers: json, body: '{}' });
  if (order.status !== 201) throw new Error(`checkout answered ${order.status}`);
  return ((await order.json()) as { id: string }).id;
}

/** Orders without their event and events without their order, straight from the file. */
function orphans() {
  const db = new Database(file);
  try {
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual(expect.objectContaining({ integrity_check: 'ok' }));
    const orders = db
      .prepare(`select count(*) as n from orders o where not exists (select 1 from events e
      where e.type = 'order.placed' and json_extract(e.body, '$.data.id') = o.id)`)
      .get() as { n: number };
    const events = db
      .prepare(`select count(*) as n from events e where e.type = 'order.placed' and not exists
      (select 1 from orders o where o.id = json_extract(e.body, '$.data.id'))`)
      .get() as { n: number };
    const closed = db
      .prepare(`select count(*) as n from orders o join carts c on c.id = o.cart_id
      where c.status <> 'checked_out' or c.order_id <> o.id`)
      .get() as { n: number };
    // Stock is never lost nor counted twice: what is on hand and what orders took add up to what there was.
    const miscounted = db
      .prepare(`select count(*) as n from stock s where s.on_hand + coalesce((select sum(json_extract(i.value, '$.quantity'))
        from orders o, json_each(o.body, '$.items') i where json_extract(i.value, '$.product_id') = s.product_id), 0) <> ${STOCK}`)
      .get() as { n: number };
    // A reservation is its cart's: every line carries its cart's reserved_until, at most 30 s behind, never
    // ahead, null with it (and so null once checked out).
    const unsynced = db
      .prepare(`select count(*) as n from cart_items l join carts c on c.id = l.cart_id
        where (l.reserved_until is null) <> (c.reserved_until is null) or l.reserved_until > c.reserved_until
          or l.reserved_until < c.reserved_until - 30000 or (c.status = 'checked_out' and l.reserved_until is not null)`)
      .get() as { n: number };
    // Live reservations never exceed what is on hand: each was checked when it was made, and checkouts take them.
    const overReserved = db
      .prepare(`select count(*) as n from stock s where (select coalesce(sum(l.quantity), 0) from cart_items l
        join carts c on c.id = l.cart_id where l.product_id = s.product_id and c.reserved_until > ?) > s.on_hand`)
      .get(Date.now()) as { n: number };
    return {
      orders: orders.n,
      events: events.n,
      closed: closed.n,
      miscounted: miscounted.n,
      unsynced: unsynced.n,
      overReserved: overReserved.n,
    };
  } finally {
    db.close();
  }
}

/** The acknowledged orders the file does not hold. */
function missingOrders(ids: string[]) {
  const db = new Database(file);
  try {
    const read = db.prepare('select 1 from orders where id = ?');
    return ids.filter((id) => read.get(id) === undefined);
  } finally {
    db.close();
  }
}

it(`delivers every acknowledged order's event at least once across ${CYCLES} kill -9 cycles`, {
  timeout: 240_000,
}, async () => {
  server = await start();
  const catalog = Array.from({ length: 5 }, (_, i) => ({
    id: `crash-${i}`,
    name: `Crash ${i}`,
    prices: { EUR: 100 * (i + 1) },
  }));
  const imported = await fetch(`${server.url}/v1/admin/products/import`, {
    method: 'POST',
    headers: { ...json, authorization: `Bearer ${token}` },
    body: JSON.stringify(catalog),
  });
  expect(imported.status).toBe(200);
  for (const { id } of catalog) {
    const counted = await fetch(`${server.url}/v1/admin/inventory/${id}`, {
      method: 'PUT',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({ on_hand: STOCK }),
    });
    expect(counted.status).toBe(201);
  }
  const acknowledged = new Set<string>();
  let inFlight = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const running = server;
    let stop = false;
    const buyers = Array.from({ length: BUYERS }, async (_, b) => {
      for (let n = cycle * 1000 + b * 100; !stop; n++) {
        try {
          const order = await buy(running.url, n);
          if (order !== undefined) acknowledged.add(order);
        } catch (error) {
          if (!stop && !String(error).includes('fetch failed')) throw error;
          inFlight++;
          return;
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 600));
    running.child.kill('SIGKILL');
    stop = true;
    await Promise.all(buyers);
    if (running.child.exitCode === null && running.child.signalCode === null)
      await new Promise((resolve) => running.child.once('exit', resolve));
    expect(orphans()).toEqual({ orders: 0, events: 0, closed: 0, miscounted: 0, unsynced: 0, overReserved: 0 });
    expect(missingOrders([...acknowledged])).toEqual([]);
    server = await start();
  }
  // Claims a killed process held are taken again when their lease ends (15 s).
  const deadline = Date.now() + 60_000;
  const missing = () => [...acknowledged].filter((id) => !received.has(id));
  while (missing().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  expect(missing()).toEqual([]);
  expect(forged).toBe(0);
  const twice = [...received.values()].filter((n) => n > 1).length;
  console.log(
    `checkout crash: ${CYCLES} kill -9 cycles, ${acknowledged.size} acknowledged orders all delivered (${twice} delivered more than once), ${inFlight} requests cut by a kill; no order without its event or event without its order, on_hand + units ordered = the stock there was, every line carries its cart's reservation`,
  );
  expect(acknowledged.size).toBeGreaterThan(CYCLES * 5);
});
