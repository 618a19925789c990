import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db.js';
import { purgeExpired } from '../../src/data/purge.js';
import { cartItems, carts, idempotencyKeys } from '../../src/data/schema.js';
import { type Fetcher, send } from './client.js';
import { DAY_MS, HOUR_MS } from './clock.js';

const tee = { product_id: 'sku-tee', name: 'T-shirt', unit_price: 2500 };

/**
 * Expiry and purge, driven by a clock moved by hand. `fetcher` reaches an app
 * with CART_TTL_DAYS=30 whose clock is `clock`, over the store `db`; `purge`
 * runs the runtime's own purge (the scheduled handler on Workers).
 */
export function expiryCases(
  fetcher: Fetcher,
  db: Db,
  clock: { now: () => number; advance: (ms: number) => void },
  purge: (now: number) => Promise<unknown> = (now) => purgeExpired(db, now),
) {
  const newCart = async () => (await send(fetcher, 'POST', '/v1/carts', { items: [tee] })).json;
  const rows = async (id: string) => {
    const [c] = await db.select({ n: count() }).from(carts).where(eq(carts.id, id));
    const [l] = await db.select({ n: count() }).from(cartItems).where(eq(cartItems.cartId, id));
    return { carts: c?.n, lines: l?.n };
  };

  describe('expiry', () => {
    it('expires a cart CART_TTL_DAYS after its last change: 404 everywhere before any purge', async () => {
      const cart = await newCart();
      clock.advance(30 * DAY_MS - 1000);
      expect((await send(fetcher, 'GET', `/v1/carts/${cart.id}`)).status).toBe(200);
      clock.advance(2000);
      const gone = await send(fetcher, 'GET', `/v1/carts/${cart.id}`);
      expect(gone.status).toBe(404);
      expect(gone.json.type).toBe('/problems/not-found');
      for (const [method, path, body] of [
        ['POST', `/v1/carts/${cart.id}/items`, tee],
        ['PATCH', `/v1/carts/${cart.id}/items/${cart.items[0].id}`, { quantity: 2 }],
        ['DELETE', `/v1/carts/${cart.id}/items/${cart.items[0].id}`, undefined],
        ['DELETE', `/v1/carts/${cart.id}/items`, undefined],
        ['DELETE', `/v1/carts/${cart.id}`, undefined],
      ] as const) {
        expect((await send(fetcher, method, path, body)).status, `${method} ${path}`).toBe(404);
      }
      expect(await rows(cart.id)).toEqual({ carts: 1, lines: 1 });
    });

    it('finds a cart expired at exactly its expires_at, and live a millisecond before', async () => {
      const cart = await newCart();
      const expiresAt = Date.parse(cart.expires_at);
      clock.advance(expiresAt - 1 - clock.now());
      expect((await send(fetcher, 'GET', `/v1/carts/${cart.id}`)).status).toBe(200);
      clock.advance(1);
      expect(clock.now()).toBe(expiresAt);
      expect((await send(fetcher, 'GET', `/v1/carts/${cart.id}`)).status).toBe(404);
      expect((await send(fetcher, 'POST', `/v1/carts/${cart.id}/items`, tee)).status).toBe(404);
    });

    it('answers an expired cart exactly as an unknown one', async () => {
      const cart = await newCart();
      clock.advance(31 * DAY_MS);
      const expired = await send(fetcher, 'GET', `/v1/carts/${cart.id}`);
      const unknown = await send(fetcher, 'GET', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA');
      expect(expired.status).toBe(unknown.status);
      expect(expired.json).toEqual(unknown.json);
    });

    it('moves the expiry with every change', async () => {
      const cart = await newCart();
      clock.advance(20 * DAY_MS);
      const changed = await send(fetcher, 'POST', `/v1/carts/${cart.id}/items`, tee);
      expect(Date.parse(changed.json.expires_at)).toBe(clock.now() + 30 * DAY_MS);
      expect(Date.parse(changed.json.items[0].updated_at)).toBe(clock.now());
      clock.advance(20 * DAY_MS);
      expect((await send(fetcher, 'GET', `/v1/carts/${cart.id}`)).status).toBe(200);
      const line = changed.json.items[0].id;
      const patched = await send(fetcher, 'PATCH', `/v1/carts/${cart.id}/items/${line}`, { quantity: 5 });
      expect(Date.parse(patched.json.expires_at)).toBe(clock.now() + 30 * DAY_MS);
      expect(Date.parse(patched.json.updated_at)).toBe(clock.now());
      expect(Date.parse(patched.json.items[0].updated_at)).toBe(clock.now());
      expect(patched.json.items[0].created_at).toBe(cart.items[0].created_at);
    });

    it('purges expired carts with their lines, and expired idempotency records, leaving live ones', async () => {
      const old = await newCart();
      await send(
        fetcher,
        'POST',
        `/v1/carts/${old.id}/items`,
        { ...tee, product_id: 'kept-key' },
        { 'idempotency-key': `purge-${old.id}` },
      );
      clock.advance(15 * DAY_MS);
      const young = await newCart();
      clock.advance(16 * DAY_MS);
      await purge(clock.now());
      expect(await rows(old.id)).toEqual({ carts: 0, lines: 0 });
      expect(await rows(young.id)).toEqual({ carts: 1, lines: 1 });
      const keys = await db
        .select({ n: count() })
        .from(idempotencyKeys)
        .where(eq(idempotencyKeys.key, `purge-${old.id}`));
      expect(keys[0]?.n).toBe(0);
      expect((await send(fetcher, 'GET', `/v1/carts/${young.id}`)).status).toBe(200);
      expect((await send(fetcher, 'GET', '/api/cart-items/')).status).toBe(200);
    });

    it('purges in bounded batches, stops after maxBatches, and the next run carries on', async () => {
      const ids = [];
      for (let i = 0; i < 7; i++) {
        const cart = await newCart();
        ids.push(cart.id);
        const keyed = { 'idempotency-key': `batch-${cart.id}` };
        expect((await send(fetcher, 'POST', `/v1/carts/${cart.id}/items`, tee, keyed)).status).toBe(200);
      }
      clock.advance(31 * DAY_MS);
      // Every cart but the default one, and every key, is due now.
      const [due] = await db.select({ n: count() }).from(carts);
      const [keys] = await db.select({ n: count() }).from(idempotencyKeys);
      const dueCarts = (due?.n ?? 0) - 1;
      const dueKeys = keys?.n ?? 0;
      expect(dueCarts).toBeGreaterThanOrEqual(7);
      expect(dueKeys).toBeGreaterThanOrEqual(7);
      expect(await purgeExpired(db, clock.now(), 2, 2)).toEqual({ carts: 4, idempotencyKeys: 4, events: 0 });
      expect(await purgeExpired(db, clock.now(), 2)).toEqual({
        carts: dueCarts - 4,
        idempotencyKeys: dueKeys - 4,
        events: 0,
      });
      expect(await purgeExpired(db, clock.now(), 2)).toEqual({ carts: 0, idempotencyKeys: 0, events: 0 });
      for (const id of ids) expect(await rows(id)).toEqual({ carts: 0, lines: 0 });
      expect(await rows('default')).toMatchObject({ carts: 1 });
    });

    it('keeps the default cart and its lines, which never expire', async () => {
      const item = await send(fetcher, 'POST', '/api/cart-items/', { product_name: 'kept', product_price: 3 });
      expect(item.status).toBe(200);
      clock.advance(400 * DAY_MS + HOUR_MS);
      await purge(clock.now());
      expect(await rows('default')).toMatchObject({ carts: 1 });
      const listed = await send(fetcher, 'GET', '/api/cart-items/');
      expect(listed.json.data).toContainEqual(item.json.data);
      const again = await send(fetcher, 'GET', `/api/cart-items/${item.json.data.id}`);
      expect(again.json).toEqual(item.json);
    });
  });
}
