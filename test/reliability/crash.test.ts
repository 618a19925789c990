import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, expect, it } from 'vitest';
import { freePort, type RunningServer, startServer } from '../node/server.js';

// kill -9 at random moments under concurrent writes; after every restart the
// database must be intact and hold exactly the acknowledged writes.

const CYCLES = 12;
const CARTS = 16;
const dir = mkdtempSync(join(tmpdir(), 'edgecart-crash-'));
const file = join(dir, 'cart.db');
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Line {
  product_id: string;
  unit_price: number;
  quantity: number;
  line_total: number;
}
interface Cart {
  id: string;
  version: number;
  items: Line[];
  subtotal: number;
  item_count: number;
  line_count: number;
}
type Op =
  | { kind: 'add'; product: string; price: number; quantity: number }
  | { kind: 'set'; product: string; lineId: number; quantity: number }
  | { kind: 'remove'; product: string; lineId: number };

/** Lines as a comparable value: product, price and quantity, in product order. */
const shape = (lines: Array<Pick<Line, 'product_id' | 'unit_price' | 'quantity'>>) =>
  lines
    .map((l) => `${l.product_id}@${l.unit_price}x${l.quantity}`)
    .sort()
    .join(',');

/** The lines a cart has after `op`, computed without the service. */
function applied(cart: Cart, op: Op) {
  const lines = cart.items.map((l) => ({ ...l }));
  const line = lines.find((l) => l.product_id === op.product);
  if (op.kind === 'add') {
    if (line) line.quantity += op.quantity;
    else lines.push({ product_id: op.product, unit_price: op.price, quantity: op.quantity, line_total: 0 });
    return lines;
  }
  if (op.kind === 'set' && op.quantity > 0 && line) {
    line.quantity = op.quantity;
    return lines;
  }
  return lines.filter((l) => l.product_id !== op.product);
}

function pick(cart: Cart, n: number): Op {
  const r = Math.random();
  const line = cart.items[Math.floor(Math.random() * cart.items.length)];
  if (!line || r < 0.45 || cart.items.length > 200) {
    const merge = line && Math.random() < 0.5;
    return merge
      ? { kind: 'add', product: line.product_id, price: line.unit_price, quantity: 1 + (n % 3) }
      : {
          kind: 'add',
          product: `p-${n}-${Math.random().toString(36).slice(2, 8)}`,
          price: 100 + (n % 50),
          quantity: 1 + (n % 4),
        };
  }
  if (r < 0.8)
    return { kind: 'set', product: line.product_id, lineId: (line as unknown as { id: number }).id, quantity: n % 5 };
  return { kind: 'remove', product: line.product_id, lineId: (line as unknown as { id: number }).id };
}

async function send(url: string, cartId: string, op: Op): Promise<Response> {
  const json = { 'content-type': 'application/json' };
  if (op.kind === 'add') {
    const body = JSON.stringify({
      product_id: op.product,
      name: op.product,
      unit_price: op.price,
      quantity: op.quantity,
    });
    return fetch(`${url}/v1/carts/${cartId}/items`, { method: 'POST', headers: json, body });
  }
  if (op.kind === 'set') {
    return fetch(`${url}/v1/carts/${cartId}/items/${op.lineId}`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ quantity: op.quantity }),
    });
  }
  return fetch(`${url}/v1/carts/${cartId}/items/${op.lineId}`, { method: 'DELETE' });
}

const start = async () =>
  startServer({ DATABASE_URL: `file:${file}`, PORT: String(await freePort()), LOG_LEVEL: 'warn' });

it(`loses no acknowledged write across ${CYCLES} kill -9 cycles`, { timeout: 240_000 }, async () => {
  server = await start();
  const acked = new Map<string, Cart>();
  for (let i = 0; i < CARTS; i++) {
    const cart = (await (await fetch(`${server.url}/v1/carts`, { method: 'POST' })).json()) as Cart;
    acked.set(cart.id, cart);
  }
  let acknowledged = 0;
  let inDoubtApplied = 0;
  let inDoubtLost = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const running = server;
    const pending = new Map<string, Op>();
    let stop = false;
    // One writer per cart, all carts at once: each writer knows its cart's exact state.
    const writers = [...acked.keys()].map(async (cartId) => {
      for (let n = cycle * 10_000; !stop; n++) {
        const op = pick(acked.get(cartId) as Cart, n);
        pending.set(cartId, op);
        let res: Response;
        try {
          res = await send(running.url, cartId, op);
        } catch {
          return; // The server died with this op in flight: it stays in doubt.
        }
        const body = (await res.json().catch(() => undefined)) as Cart | undefined;
        if (res.status !== 200 && res.status !== 201) throw new Error(`${op.kind} answered ${res.status}`);
        if (body === undefined) return;
        acked.set(cartId, body);
        pending.delete(cartId);
        acknowledged++;
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 600));
    running.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    const exited = running.child.exitCode !== null || running.child.signalCode !== null;
    if (!exited) await new Promise((resolve) => running.child.once('exit', resolve));

    const db = new Database(file);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual(expect.objectContaining({ integrity_check: 'ok' }));
    db.close();

    server = await start();
    for (const [cartId, before] of acked) {
      const now = (await (await fetch(`${server.url}/v1/carts/${cartId}`)).json()) as Cart;
      // Totals always agree with the lines.
      expect(now.subtotal).toBe(now.items.reduce((sum, l) => sum + l.unit_price * l.quantity, 0));
      expect(now.item_count).toBe(now.items.reduce((sum, l) => sum + l.quantity, 0));
      for (const line of now.items) expect(line.line_total).toBe(line.unit_price * line.quantity);
      const op = pending.get(cartId);
      if (now.version === before.version) {
        expect(shape(now.items), `cart ${cartId} at its acknowledged version`).toBe(shape(before.items));
        if (op) inDoubtLost++;
      } else {
        // Only the one write in flight at the kill may have landed, whole.
        expect(op, `cart ${cartId} moved without a write in flight`).toBeDefined();
        expect(now.version).toBe(before.version + 1);
        expect(shape(now.items)).toBe(shape(applied(before, op as Op)));
        inDoubtApplied++;
      }
      acked.set(cartId, now);
    }
  }
  console.log(
    `crash: ${CYCLES} kill -9 cycles, ${acknowledged} acknowledged writes all present; in flight at a kill: ${inDoubtApplied} applied whole, ${inDoubtLost} not applied; integrity_check ok every cycle`,
  );
  expect(acknowledged).toBeGreaterThan(CYCLES * 10);
});
