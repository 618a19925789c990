import { describe, expect, it } from 'vitest';
import { createCartClient } from '../../src/client.js';
import { documentedSend, freshSku } from './catalog.cases.js';
import { type Fetcher, send } from './client.js';
import { nextMillisecond, walkPages } from './walk.js';

/** Checkout into orders (API.md §5), on an app with PRICES=catalog and the admin token `token`. */
export function checkoutCases(fetcher: Fetcher, token: string) {
  const admin = { authorization: `Bearer ${token}` };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    documentedSend(fetcher, method, path, body, headers);
  const product = async (prices: Record<string, number>) => {
    const id = freshSku('co');
    expect((await call('PUT', `/v1/admin/products/${id}`, { name: `Name ${id}`, prices }, admin)).status).toBe(201);
    return id;
  };
  const cartWith = async (lines: Array<{ product_id: string; quantity?: number }>) => {
    const made = await call('POST', '/v1/carts', { currency: 'EUR', items: lines });
    expect(made.status).toBe(201);
    return made.json as { id: string; version: number };
  };

  describe('POST /v1/carts/{cartId}/checkout', () => {
    it('turns the cart into an order: 201, Location, the lines as they were, and the cart closed', async () => {
      const mug = await product({ EUR: 1299 });
      const tee = await product({ EUR: 2500 });
      const cart = await cartWith([{ product_id: mug, quantity: 2 }, { product_id: tee }]);
      const placed = await call(
        'POST',
        `/v1/carts/${cart.id}/checkout`,
        { email: 'buyer@example.com', metadata: { note: 'gift' } },
        { 'if-match': '"1"' },
      );
      expect(placed.status).toBe(201);
      const order = placed.json;
      expect(order.id).toMatch(/^ord_[A-Za-z0-9_-]{22}$/);
      expect(placed.headers.get('location')).toBe(`/v1/orders/${order.id}`);
      expect(order).toMatchObject({
        cart_id: cart.id,
        status: 'placed',
        currency: 'EUR',
        items: [
          { product_id: mug, name: `Name ${mug}`, unit_price: 1299, quantity: 2, line_total: 2598, metadata: {} },
          { product_id: tee, name: `Name ${tee}`, unit_price: 2500, quantity: 1, line_total: 2500, metadata: {} },
        ],
        subtotal: 5098,
        discount_total: 0,
        discounts: [],
        total: 5098,
        email: 'buyer@example.com',
        customer_id: null,
        metadata: { note: 'gift' },
      });
      expect(Date.parse(order.created_at)).not.toBeNaN();
      const read = await call('GET', `/v1/orders/${order.id}`);
      expect(read.status).toBe(200);
      expect(read.json).toEqual(order);
      const closed = await call('GET', `/v1/carts/${cart.id}`);
      expect(closed.json).toMatchObject({ status: 'checked_out', order_id: order.id, version: 2 });
      const listed = await call('GET', '/v1/admin/orders?limit=200', undefined, admin);
      expect(listed.status).toBe(200);
      expect(listed.json.orders.map((o: { id: string }) => o.id)).toContain(order.id);
    });

    it('refuses an empty cart (409 cart-empty) and changes nothing', async () => {
      const made = await call('POST', '/v1/carts', { currency: 'EUR' });
      const reply = await call('POST', `/v1/carts/${made.json.id}/checkout`, {});
      expect(reply.status).toBe(409);
      expect(reply.json).toMatchObject({
        type: '/problems/cart-empty',
        detail: 'An empty cart cannot be checked out.',
      });
      expect((await call('GET', `/v1/carts/${made.json.id}`)).json).toMatchObject({ status: 'open', version: 1 });
    });

    it('answers a second checkout, and every later change, 409 cart-closed with the order id, whatever the If-Match', async () => {
      const id = await product({ EUR: 100 });
      const cart = await cartWith([{ product_id: id }]);
      const first = await call('POST', `/v1/carts/${cart.id}/checkout`);
      expect(first.status).toBe(201);
      const attempts = [
        await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"1"' }),
        await call('POST', `/v1/carts/${cart.id}/items`, { product_id: id }),
        await call('PATCH', `/v1/carts/${cart.id}/items/1`, { quantity: 2 }, { 'if-match': '"99"' }),
        await call('DELETE', `/v1/carts/${cart.id}/items`),
        await call('DELETE', `/v1/carts/${cart.id}`),
      ];
      for (const reply of attempts) {
        expect(reply.status).toBe(409);
        expect(reply.json).toMatchObject({ type: '/problems/cart-closed', order_id: first.json.id });
      }
      expect((await call('GET', `/v1/carts/${cart.id}`)).json).toMatchObject({ version: 2, line_count: 1 });
    });

    it('refuses a cart whose prices changed (409 prices-changed), reprices it in the same step, and the retry with the new ETag succeeds', async () => {
      const up = await product({ EUR: 1000 });
      const same = await product({ EUR: 500 });
      const gone = await product({ EUR: 700 });
      const cart = await cartWith([{ product_id: up }, { product_id: same }, { product_id: gone, quantity: 2 }]);
      await call('PUT', `/v1/admin/products/${up}`, { name: 'Renamed', prices: { EUR: 1200 } }, admin);
      await call('DELETE', `/v1/admin/products/${gone}`, undefined, admin);
      const refused = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"1"' });
      expect(refused.status).toBe(409);
      expect(refused.headers.get('etag')).toBe('"2"');
      const lines = (await call('GET', `/v1/carts/${cart.id}`)).json;
      const lineOf = (productId: string) => lines.items.find((l: { product_id: string }) => l.product_id === productId);
      expect(refused.json).toMatchObject({
        type: '/problems/prices-changed',
        errors: [
          { path: `items.${lineOf(up).id}`, old_price: 1000, new_price: 1200 },
          { path: `items.${lineOf(gone).id}`, old_price: 700, code: 'product-unavailable' },
        ],
      });
      expect(refused.json.errors[1].new_price).toBeUndefined();
      expect(lines).toMatchObject({ version: 2, status: 'open', subtotal: 1200 + 500 + 1400 });
      expect(lineOf(up)).toMatchObject({ unit_price: 1200, name: `Name ${up}` });
      // The gone product's line is the buyer's to remove; then the checkout goes through.
      const still = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"2"' });
      expect(still.status).toBe(409);
      expect(still.json.errors).toMatchObject([{ path: `items.${lineOf(gone).id}`, code: 'product-unavailable' }]);
      expect(
        (await call('DELETE', `/v1/carts/${cart.id}/items/${lineOf(gone).id}`, undefined, { 'if-match': '"2"' }))
          .status,
      ).toBe(200);
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"3"' });
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ subtotal: 1700, total: 1700 });
    });

    it('reprices nothing when another rule refuses the checkout: a stale If-Match (412), a checked-out cart (409 cart-closed)', async () => {
      const id = await product({ EUR: 1000 });
      const cart = await cartWith([{ product_id: id, quantity: 2 }]);
      await call('PUT', `/v1/admin/products/${id}`, { name: `Name ${id}`, prices: { EUR: 1200 } }, admin);
      const stale = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"7"' });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('etag')).toBe('"1"');
      expect(stale.json).toMatchObject({ type: '/problems/precondition-failed' });
      const unchanged = await call('GET', `/v1/carts/${cart.id}`);
      expect(unchanged.json).toMatchObject({ version: 1, status: 'open', subtotal: 2000 });
      expect(unchanged.json.items).toMatchObject([{ unit_price: 1000, quantity: 2 }]);
      // Now with the cart's ETag: repriced (version 2), then placed at the new price.
      const refused = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"1"' });
      expect([refused.status, refused.json.type]).toEqual([409, '/problems/prices-changed']);
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"2"' });
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ subtotal: 2400, total: 2400 });
      // The price moves again: the closed cart refuses a checkout and keeps the lines of its order.
      await call('PUT', `/v1/admin/products/${id}`, { name: `Name ${id}`, prices: { EUR: 1500 } }, admin);
      const closed = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
      expect(closed.status).toBe(409);
      expect(closed.json).toMatchObject({ type: '/problems/cart-closed', order_id: placed.json.id });
      const kept = await call('GET', `/v1/carts/${cart.id}`);
      expect(kept.json).toMatchObject({ version: 3, status: 'checked_out', order_id: placed.json.id, subtotal: 2400 });
      expect(kept.json.items).toMatchObject([{ unit_price: 1200, quantity: 2 }]);
    });

    it('refuses a cart holding a gone product’s line with prices-changed, whatever its codes: one that applies, one gone inactive', async () => {
      const keep = await product({ EUR: 1000 });
      const gone = await product({ EUR: 500 });
      const [applies, inactive] = ['APPLY', 'IDLE'].map((name) => `${name}${Date.now().toString(36).toUpperCase()}`);
      for (const code of [applies, inactive])
        expect(
          (await call('PUT', `/v1/admin/discounts/${code}`, { kind: 'percentage', percent_off_bp: 1000 }, admin))
            .status,
        ).toBe(201);
      const cart = await cartWith([{ product_id: keep }, { product_id: gone }]);
      for (const code of [applies, inactive])
        expect((await call('POST', `/v1/carts/${cart.id}/discount-codes`, { code })).status).toBe(200);
      await call(
        'PUT',
        `/v1/admin/discounts/${inactive}`,
        { kind: 'percentage', percent_off_bp: 1000, active: false },
        admin,
      );
      await call('DELETE', `/v1/admin/products/${gone}`, undefined, admin);
      const read = (await call('GET', `/v1/carts/${cart.id}`)).json;
      const goneLine = read.items.find((l: { product_id: string }) => l.product_id === gone);
      expect(read.discount_codes).toMatchObject([
        { code: applies, applicable: true, amount: 150 },
        { code: inactive, applicable: false, reason: 'inactive', amount: 0 },
      ]);
      const refused = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({
        type: '/problems/prices-changed',
        errors: [
          {
            path: `items.${goneLine.id}`,
            message: 'The product is no longer on sale in this currency; remove the line.',
            code: 'product-unavailable',
            old_price: 500,
          },
        ],
      });
      expect((await call('GET', `/v1/carts/${cart.id}`)).json).toMatchObject({ version: read.version, status: 'open' });
      expect((await call('GET', `/v1/admin/discounts/${applies}`, undefined, admin)).json.redemptions).toBe(0);
      // The line removed, the order is placed with the code that applies; the inactive one is left out.
      expect((await call('DELETE', `/v1/carts/${cart.id}/items/${goneLine.id}`)).status).toBe(200);
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {});
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({
        subtotal: 1000,
        discounts: [{ code: applies, amount: 100 }],
        discount_total: 100,
        total: 900,
      });
      expect((await call('GET', `/v1/admin/discounts/${applies}`, undefined, admin)).json.redemptions).toBe(1);
    });

    it('keeps a custom-priced line apart from the catalog line of the same product and price, and reprices only the catalog one', async () => {
      const id = await product({ EUR: 1299 });
      const cart = await cartWith([{ product_id: id }]);
      const custom = await call(
        'POST',
        `/v1/carts/${cart.id}/items`,
        { product_id: id, name: 'Staff', unit_price: 1299 },
        admin,
      );
      expect(custom.status).toBe(201);
      const again = await call('POST', `/v1/carts/${cart.id}/items`, { product_id: id });
      expect(again.status).toBe(200);
      expect(
        again.json.items.map((l: { price_source: string; quantity: number }) => `${l.price_source}×${l.quantity}`),
      ).toEqual(['catalog×2', 'custom×1']);
      await call('PUT', `/v1/admin/products/${id}`, { name: 'Dearer', prices: { EUR: 1500 } }, admin);
      const refused = await call('POST', `/v1/carts/${cart.id}/checkout`);
      expect(refused.status).toBe(409);
      expect(refused.json.errors).toHaveLength(1);
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`);
      expect(placed.status).toBe(201);
      expect(
        placed.json.items.map((l: { unit_price: number; quantity: number }) => `${l.unit_price}×${l.quantity}`),
      ).toEqual(['1500×2', '1299×1']);
    });

    it('places the order only at the total the buyer was shown (expected_total), discounts included', async () => {
      const mug = await product({ EUR: 1000 });
      const code = `SEEN${Date.now().toString(36).toUpperCase()}`;
      const discount = { kind: 'percentage', percent_off_bp: 1000, max_redemptions: 5 };
      expect((await call('PUT', `/v1/admin/discounts/${code}`, discount, admin)).status).toBe(201);
      const cart = await cartWith([{ product_id: mug, quantity: 2 }]);
      expect((await call('POST', `/v1/carts/${cart.id}/discount-codes`, { code })).status).toBe(200);
      // 2,000 less 10%: 1,800. One unit either side is refused, and changes nothing.
      for (const wrong of [1799, 1801, 2000]) {
        const refused = await call('POST', `/v1/carts/${cart.id}/checkout`, { expected_total: wrong });
        expect(refused.status).toBe(409);
        expect(refused.json).toMatchObject({ type: '/problems/total-changed', total: 1800 });
        expect(refused.json.cart).toMatchObject({ id: cart.id, version: 2, status: 'open', total: 1800 });
        expect(refused.headers.get('etag')).toBe('"2"');
      }
      expect((await call('GET', `/v1/admin/discounts/${code}`, undefined, admin)).json.redemptions).toBe(0);
      expect((await call('GET', `/v1/carts/${cart.id}`)).json).toMatchObject({ version: 2, status: 'open' });
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, { expected_total: 1800 });
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ subtotal: 2000, discount_total: 200, total: 1800 });
      const bad = await call('POST', `/v1/carts/${(await cartWith([{ product_id: mug }])).id}/checkout`, {
        expected_total: -1,
      });
      expect(bad.status).toBe(422);
    });

    it('answers 412 with the current ETag when If-Match is stale, and 404 for no cart', async () => {
      const id = await product({ EUR: 100 });
      const cart = await cartWith([{ product_id: id }]);
      const stale = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, { 'if-match': '"7"' });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('etag')).toBe('"1"');
      expect((await call('POST', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA/checkout')).status).toBe(404);
      expect((await call('GET', '/v1/orders/ord_AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
      expect((await call('GET', '/v1/orders/not-an-order')).status).toBe(404);
    });

    it('places exactly one order when 50 checkouts of one cart race', async () => {
      const id = await product({ EUR: 100 });
      const cart = await cartWith([{ product_id: id, quantity: 3 }]);
      const replies = await Promise.all(
        Array.from({ length: 50 }, () => call('POST', `/v1/carts/${cart.id}/checkout`)),
      );
      const placed = replies.filter((r) => r.status === 201);
      expect(placed).toHaveLength(1);
      for (const reply of replies.filter((r) => r.status !== 201)) {
        expect(reply.status).toBe(409);
        expect(reply.json).toMatchObject({ type: '/problems/cart-closed', order_id: placed[0]?.json.id });
      }
      const orders = await call('GET', '/v1/admin/orders?limit=200', undefined, admin);
      expect(orders.json.orders.filter((o: { cart_id: string }) => o.cart_id === cart.id)).toHaveLength(1);
    });

    it('pages through GET /v1/admin/orders with limit=1: each order once, newest first, ending with no next page', async () => {
      const id = await product({ EUR: 100 });
      const mine: string[] = [];
      for (let i = 0; i < 3; i++) {
        await nextMillisecond();
        const placed = await call('POST', `/v1/carts/${(await cartWith([{ product_id: id }])).id}/checkout`);
        expect(placed.status).toBe(201);
        mine.push(placed.json.id);
      }
      const all = await call('GET', '/v1/admin/orders?limit=200', undefined, admin);
      expect(all.json.next_cursor).toBeNull();
      const walked = await walkPages<{ id: string; created_at: string }>(
        fetcher,
        '/v1/admin/orders?limit=1',
        'orders',
        admin,
        all.json.orders.length + 2,
      );
      const ids = walked.map((o) => o.id);
      expect(ids).toEqual(all.json.orders.map((o: { id: string }) => o.id));
      expect(new Set(ids).size).toBe(ids.length);
      // Newest first (orders of one millisecond in the order they were written: tested on events).
      const times = walked.map((o) => Date.parse(o.created_at));
      expect(times).toEqual([...times].sort((x, y) => y - x));
      expect(ids.slice(0, 3)).toEqual([...mine].reverse());
      // limit is 1–200 (200 was read above), and a cursor must be one the service gave out.
      for (const query of ['limit=0', 'limit=201', 'limit=abc', 'cursor=not-a-cursor', `cursor=${btoa('[1,"x"]')}`]) {
        const reply = await call('GET', `/v1/admin/orders?${query}`, undefined, admin);
        expect([reply.status, reply.json.type], query).toEqual([422, '/problems/validation-failed']);
      }
      // A cursor of the orders listing is none of the carts' or the events' listing, nor theirs of it.
      const ordersCursor = (await call('GET', '/v1/admin/orders?limit=1', undefined, admin)).json.next_cursor;
      const cartsCursor = (await call('GET', '/v1/admin/carts?limit=1', undefined, admin)).json.next_cursor;
      expect([typeof ordersCursor, typeof cartsCursor]).toEqual(['string', 'string']);
      for (const path of [
        `/v1/admin/carts?cursor=${ordersCursor}`,
        `/v1/admin/events?cursor=${ordersCursor}`,
        `/v1/admin/orders?cursor=${cartsCursor}`,
      ]) {
        const reply = await call('GET', path, undefined, admin);
        expect([reply.status, reply.json.type], path).toEqual([422, '/problems/validation-failed']);
      }
    });

    it('replays the same order for a retry with the same Idempotency-Key', async () => {
      const id = await product({ EUR: 100 });
      const cart = await cartWith([{ product_id: id }]);
      const key = { 'idempotency-key': `checkout-${cart.id}` };
      const first = await call('POST', `/v1/carts/${cart.id}/checkout`, { email: 'a@example.com' }, key);
      const again = await call('POST', `/v1/carts/${cart.id}/checkout`, { email: 'a@example.com' }, key);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.json).toEqual(first.json);
      expect(again.headers.get('location')).toBe(first.headers.get('location'));
    });

    it('runs a retry with the same Idempotency-Key again after a refusal the buyer can fix, and replays a placed order', async () => {
      const id = await product({ EUR: 1000 });
      const cart = await cartWith([{ product_id: id }]);
      await call('PUT', `/v1/admin/products/${id}`, { name: 'Dearer', prices: { EUR: 1100 } }, admin);
      const key = { 'idempotency-key': `retry-${cart.id}` };
      const refused = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, key);
      expect(refused.status).toBe(409);
      const placed = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, key);
      expect(placed.status).toBe(201);
      expect(placed.headers.get('idempotent-replayed')).toBeNull();
      expect(placed.json.total).toBe(1100);
      const again = await call('POST', `/v1/carts/${cart.id}/checkout`, {}, key);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.json).toEqual(placed.json);
    });

    it('is a typed call of the client: checkout, then the order', async () => {
      const id = await product({ EUR: 700 });
      const cart = await cartWith([{ product_id: id, quantity: 3 }]);
      const api = createCartClient('http://edgecart.test', {
        fetch: (input: string | URL | Request, init?: RequestInit) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          return fetcher(`${url.pathname}${url.search}`, init);
        },
      });
      const placed = await api.v1.carts[':cartId'].checkout.$post({ param: { cartId: cart.id }, header: {}, json: {} });
      expect(placed.status).toBe(201);
      if (placed.status !== 201) return;
      const order = await placed.json();
      expect(order.total).toBe(2100);
      const read = await api.v1.orders[':orderId'].$get({ param: { orderId: order.id }, header: {} });
      expect(read.status).toBe(200);
      if (read.status === 200) expect((await read.json()).items[0]?.quantity).toBe(3);
    });

    it('checks out the default cart through /v1 with the admin token only, and the default cart stays, open and empty', async () => {
      expect((await call('POST', '/v1/carts/default/checkout')).status).toBe(401);
      const item = await send(
        fetcher,
        'POST',
        '/api/cart-items/',
        { product_name: 'Tutorial mug', product_price: '4.5', product_quantity: 2 },
        admin,
      );
      expect(item.status).toBe(200);
      const placed = await call('POST', '/v1/carts/default/checkout', {}, admin);
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({
        cart_id: 'default',
        items: expect.arrayContaining([expect.objectContaining({ name: 'Tutorial mug', quantity: 2 })]),
      });
      const after = await call('GET', '/v1/carts/default', undefined, admin);
      expect(after.json).toMatchObject({ status: 'open', order_id: null, items: [], expires_at: null });
      expect((await send(fetcher, 'GET', '/api/cart-items/', undefined, admin)).json).toMatchObject({ data: [] });
      expect(
        (
          await send(
            fetcher,
            'POST',
            '/api/cart-items/',
            { product_name: 'Again', product_price: '1', product_quantity: 1 },
            admin,
          )
        ).status,
      ).toBe(200);
    });
  });
}
