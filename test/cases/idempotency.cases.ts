import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/cart/limits.js';
import type { Db } from '../../src/data/db.js';
import { claimKey } from '../../src/data/idempotency.js';
import { requestFingerprint } from '../../src/platform/idempotency.js';
import { type Fetcher, send } from './client.js';
import { HOUR_MS } from './clock.js';
import { expectDocumented } from './documented.js';

const tee = { product_id: 'sku-tee', name: 'T-shirt', unit_price: 2500 };
const lines = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ product_id: `p-${i}`, name: `Product ${i}`, unit_price: 100 }));
let counter = 0;
const freshKey = () => `key-${Date.now()}-${counter++}-${Math.random().toString(36).slice(2)}`;

/**
 * Idempotency-Key on POST. `fetcher` must reach an app whose clock is
 * `clock`, over the store `db`.
 */
export function idempotencyCases(
  fetcher: Fetcher,
  db: Db,
  clock: { now: () => number; advance: (ms: number) => void },
  /** Who `fetcher` speaks as: keys on a cart are scoped to the cart and the caller. */
  caller: 'anonymous' | 'admin' = 'anonymous',
) {
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const reply = await send(fetcher, method, path, body, headers);
    expectDocumented(method, path, reply);
    return reply;
  };
  const newCart = async () => (await call('POST', '/v1/carts', {})).json;

  describe('Idempotency-Key', () => {
    it('replays a cart creation: same status, body, Location and ETag, and no second cart', async () => {
      const key = freshKey();
      const first = await call('POST', '/v1/carts', { currency: 'EUR' }, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const again = await call('POST', '/v1/carts', { currency: 'EUR' }, { 'idempotency-key': key });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.json).toEqual(first.json);
      expect(again.headers.get('location')).toBe(first.headers.get('location'));
      expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(again.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('replays an add instead of adding twice', async () => {
      const cart = await newCart();
      const key = freshKey();
      const path = `/v1/carts/${cart.id}/items`;
      const first = await call('POST', path, tee, { 'idempotency-key': key });
      const again = await call('POST', path, tee, { 'idempotency-key': key });
      expect(again.status).toBe(first.status);
      expect(again.json).toEqual(first.json);
      const now = (await call('GET', `/v1/carts/${cart.id}`)).json;
      expect(now.items[0].quantity).toBe(1);
      expect(now.version).toBe(2);
    });

    it('refuses the same key with another body with 422 idempotency-key-reuse', async () => {
      const cart = await newCart();
      const key = freshKey();
      const path = `/v1/carts/${cart.id}/items`;
      await call('POST', path, tee, { 'idempotency-key': key });
      const reuse = await call('POST', path, { ...tee, quantity: 2 }, { 'idempotency-key': key });
      expect(reuse.status).toBe(422);
      expect(reuse.json.type).toBe('/problems/idempotency-key-reuse');
      expect((await call('GET', `/v1/carts/${cart.id}`)).json.items[0].quantity).toBe(1);
    });

    it('answers 409 idempotency-in-flight while the first request still runs', async () => {
      const cart = await newCart();
      const key = freshKey();
      const path = `/v1/carts/${cart.id}/items`;
      const body = JSON.stringify(tee);
      const fingerprint = await requestFingerprint(path, body);
      expect((await claimKey(db, `cart:${cart.id}:${caller}`, key, fingerprint, clock.now())).owner).toBe(true);
      const busy = await call('POST', path, body, { 'idempotency-key': key });
      expect(busy.status).toBe(409);
      expect(busy.json.type).toBe('/problems/idempotency-in-flight');
      expect(busy.headers.get('retry-after')).toBe('1');
      expect((await call('GET', `/v1/carts/${cart.id}`)).json.items).toEqual([]);
    });

    it('takes over a claim abandoned for over a minute (its request died)', async () => {
      const cart = await newCart();
      const key = freshKey();
      const path = `/v1/carts/${cart.id}/items`;
      const body = JSON.stringify(tee);
      await claimKey(db, `cart:${cart.id}:${caller}`, key, await requestFingerprint(path, body), clock.now());
      clock.advance(59_000);
      // Within the minute the claim still stands for the request that made it.
      expect((await call('POST', path, body, { 'idempotency-key': key })).status).toBe(409);
      clock.advance(2_000);
      const taken = await call('POST', path, body, { 'idempotency-key': key });
      expect(taken.status).toBe(201);
      expect(taken.headers.get('idempotent-replayed')).toBeNull();
      expect(taken.json.items.map((item: { quantity: number }) => item.quantity)).toEqual([1]);
      // The request that took the claim over is the one replayed from now on.
      const replay = await call('POST', path, body, { 'idempotency-key': key });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.json).toEqual(taken.json);
      expect((await call('GET', `/v1/carts/${cart.id}`)).json.version).toBe(2);
    });

    it('stores nothing for a request refused by validation, so the corrected retry runs', async () => {
      const cart = await newCart();
      const key = freshKey();
      const path = `/v1/carts/${cart.id}/items`;
      expect((await call('POST', path, { ...tee, unit_price: -1 }, { 'idempotency-key': key })).status).toBe(422);
      const fixed = await call('POST', path, tee, { 'idempotency-key': key });
      expect(fixed.status).toBe(201);
      expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    });

    it('scopes item keys per cart', async () => {
      const [a, b] = [await newCart(), await newCart()];
      const key = freshKey();
      expect((await call('POST', `/v1/carts/${a.id}/items`, tee, { 'idempotency-key': key })).status).toBe(201);
      const other = await call('POST', `/v1/carts/${b.id}/items`, { ...tee, quantity: 3 }, { 'idempotency-key': key });
      expect(other.status).toBe(201);
      expect(other.headers.get('idempotent-replayed')).toBeNull();
    });

    it('forgets a response after 24 hours', async () => {
      const cart = await newCart();
      const key = freshKey();
      const path = `/v1/carts/${cart.id}/items`;
      await call('POST', path, tee, { 'idempotency-key': key });
      clock.advance(24 * HOUR_MS + 1000);
      const later = await call('POST', path, tee, { 'idempotency-key': key });
      expect(later.status).toBe(200);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
      expect(later.json.items[0].quantity).toBe(2);
    });

    it('works on the classic POST too', async () => {
      const key = freshKey();
      const body = { product_name: 'once', product_price: 1 };
      const first = await send(fetcher, 'POST', '/api/cart-items/', body, { 'idempotency-key': key });
      const again = await send(fetcher, 'POST', '/api/cart-items/', body, { 'idempotency-key': key });
      expect(again.json).toEqual(first.json);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const reuse = await send(
        fetcher,
        'POST',
        '/api/cart-items/',
        { ...body, product_price: 2 },
        { 'idempotency-key': key },
      );
      expect(reuse.status).toBe(422);
      expect(reuse.json.status).toBe('error');
    });

    it('replays the classic POST whether or not the path ends in a slash', async () => {
      const key = freshKey();
      const body = { product_name: 'slashed once', product_price: 1 };
      const first = await send(fetcher, 'POST', '/api/cart-items/', body, { 'idempotency-key': key });
      expect(first.status).toBe(200);
      const again = await send(fetcher, 'POST', '/api/cart-items', body, { 'idempotency-key': key });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.json).toEqual(first.json);
      const list = await send(fetcher, 'GET', '/api/cart-items/');
      const named = list.json.data.filter((item: { product_name: string }) => item.product_name === 'slashed once');
      expect(named).toHaveLength(1);
    });

    it('replays refusals that are outcomes (404, 409, 412) with their status, body and ETag', async () => {
      const gone = `/v1/carts/crt_${'A'.repeat(22)}/items`;
      const key404 = freshKey();
      const missing = await call('POST', gone, tee, { 'idempotency-key': key404 });
      expect(missing.status).toBe(404);
      const missingAgain = await call('POST', gone, tee, { 'idempotency-key': key404 });
      expect([missingAgain.status, missingAgain.headers.get('idempotent-replayed')]).toEqual([404, 'true']);
      expect(missingAgain.json).toEqual(missing.json);

      const cart = await newCart();
      const path = `/v1/carts/${cart.id}/items`;
      const key412 = freshKey();
      const stale = await call('POST', path, tee, { 'idempotency-key': key412, 'if-match': '"7"' });
      expect([stale.status, stale.headers.get('etag')]).toEqual([412, '"1"']);
      // The same request again is the same outcome, even though it would now apply without the stale condition.
      const staleAgain = await call('POST', path, tee, { 'idempotency-key': key412, 'if-match': '"7"' });
      expect([staleAgain.status, staleAgain.headers.get('idempotent-replayed')]).toEqual([412, 'true']);
      expect(staleAgain.headers.get('etag')).toBe('"1"');
      expect(staleAgain.headers.get('content-type')).toBe(stale.headers.get('content-type'));

      const full = (await call('POST', '/v1/carts', { items: lines(LIMITS.linesPerCart) })).json;
      const key409 = freshKey();
      const refused = await call('POST', `/v1/carts/${full.id}/items`, tee, { 'idempotency-key': key409 });
      expect(refused.status).toBe(409);
      const refusedAgain = await call('POST', `/v1/carts/${full.id}/items`, tee, { 'idempotency-key': key409 });
      expect([refusedAgain.status, refusedAgain.headers.get('idempotent-replayed')]).toEqual([409, 'true']);
      expect((await call('GET', `/v1/carts/${cart.id}`)).json.version).toBe(1);
    });

    it.each([
      ['empty', ''],
      ['256 characters', 'k'.repeat(256)],
      ['only spaces', '   '],
      ['non-ASCII', 'clé'],
    ])('refuses an Idempotency-Key that is %s with 400 naming the header, changing nothing', async (_, value) => {
      const cart = await newCart();
      const reply = await call('POST', `/v1/carts/${cart.id}/items`, tee, { 'idempotency-key': value });
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].path).toBe('Idempotency-Key');
      expect((await call('GET', `/v1/carts/${cart.id}`)).json.version).toBe(1);
    });

    it('accepts a key of 255 characters and a quoted structured-field key', async () => {
      const cart = await newCart();
      expect(
        (await call('POST', `/v1/carts/${cart.id}/items`, tee, { 'idempotency-key': `${freshKey()}`.padEnd(255, 'x') }))
          .status,
      ).toBe(201);
      const quoted = `"${freshKey()}"`;
      await call('POST', `/v1/carts/${cart.id}/items`, tee, { 'idempotency-key': quoted });
      expect(
        (await call('POST', `/v1/carts/${cart.id}/items`, tee, { 'idempotency-key': quoted })).headers.get(
          'idempotent-replayed',
        ),
      ).toBe('true');
    });
  });
}
