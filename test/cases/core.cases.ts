import { describe, expect, it, onTestFinished } from 'vitest';
import { type Fetcher, send } from './client.js';
import { expectDocumented } from './documented.js';

let counter = 0;
const freshKey = () => `core-${Date.now()}-${counter++}-${Math.random().toString(36).slice(2)}`;

/**
 * One cart, one set of rules (API.md §2): the classic surface and /v1 write
 * the default cart through the same rules. `fetcher` reaches an app without
 * ADMIN_TOKEN whose default cart is empty when this suite starts; the suite
 * fills it, so it runs on a store of its own.
 */
export function oneCartCases(fetcher: Fetcher) {
  const v1 = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const reply = await send(fetcher, method, path, body, headers);
    expectDocumented(method, path, reply);
    return reply;
  };
  const classic = (method: string, path: string, body?: unknown) => send(fetcher, method, path, body);
  const defaultCart = async () => (await v1('GET', '/v1/carts/default')).json;

  describe('one cart, one set of rules on both surfaces', () => {
    it('refuses a classic PATCH that gives a /v1 line the merge key of another line, changing nothing', async () => {
      await v1('POST', '/v1/carts/default/items', { product_id: 'sku-clash', name: 'Cheap', unit_price: 100 });
      const dear = await v1('POST', '/v1/carts/default/items', {
        product_id: 'sku-clash',
        name: 'Dear',
        unit_price: 200,
      });
      const line = dear.json.items.find(
        (item: { product_id: string; unit_price: number }) =>
          item.product_id === 'sku-clash' && item.unit_price === 200,
      );
      const before = await defaultCart();
      const reply = await classic('PATCH', `/api/cart-items/${line.id}`, { product_price: '1.00' });
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({
        status: 'error',
        data: { non_field_errors: ['Another line already has this product, price and metadata.'] },
      });
      expect(await defaultCart()).toEqual(before);
    });

    it('refuses a classic PATCH to quantity 0 of a /v1 line (a product line holds at least 1)', async () => {
      const added = await v1('POST', '/v1/carts/default/items', {
        product_id: 'sku-zero',
        name: 'Zero',
        unit_price: 5,
      });
      const line = added.json.items.find((item: { product_id: string }) => item.product_id === 'sku-zero');
      const reply = await classic('PATCH', `/api/cart-items/${line.id}`, { product_quantity: 0 });
      expect(reply.status).toBe(400);
      expect(reply.json.data.product_quantity).toEqual([
        'A line of a product holds at least 1; remove the line instead.',
      ]);
      const after = await defaultCart();
      expect(after.items.find((item: { id: number }) => item.id === line.id).quantity).toBe(1);
      expect(after.version).toBe(added.json.version);
    });

    it('answers 200 for a /v1 add that merges into a line a classic PATCH changed', async () => {
      const added = await v1('POST', '/v1/carts/default/items', { product_id: 'sku-merge', name: 'M', unit_price: 7 });
      const line = added.json.items.find((item: { product_id: string }) => item.product_id === 'sku-merge');
      expect((await classic('PATCH', `/api/cart-items/${line.id}`, { product_quantity: 4 })).status).toBe(200);
      const merged = await v1('POST', '/v1/carts/default/items', { product_id: 'sku-merge', name: 'M', unit_price: 7 });
      expect(merged.status).toBe(200);
      expect(merged.json.items.find((item: { id: number }) => item.id === line.id).quantity).toBe(5);
    });

    it('bumps the default cart version on every classic change, so a stale If-Match on /v1 is 412', async () => {
      const before = await v1('GET', '/v1/carts/default');
      const posted = await classic('POST', '/api/cart-items/', { product_name: 'versioned', product_price: 1 });
      expect(posted.status).toBe(200);
      const id = posted.json.data.id;
      // The add alone moves the ETag: the tag read before it no longer matches.
      const afterAdd = await v1('GET', '/v1/carts/default');
      expect(afterAdd.headers.get('etag')).toBe(`"${before.json.version + 1}"`);
      const staleAdd = await v1(
        'POST',
        '/v1/carts/default/items',
        { product_id: 'x', name: 'X', unit_price: 1 },
        {
          'if-match': before.headers.get('etag') ?? '',
        },
      );
      expect(staleAdd.status).toBe(412);
      expect(staleAdd.headers.get('etag')).toBe(afterAdd.headers.get('etag'));
      expect((await classic('PATCH', `/api/cart-items/${id}`, { product_quantity: 3 })).status).toBe(200);
      expect((await defaultCart()).version).toBe(before.json.version + 2);
      const stale = await v1('DELETE', `/v1/carts/default/items/${id}`, undefined, {
        'if-match': before.headers.get('etag') ?? '',
      });
      expect(stale.status).toBe(412);
      expect((await classic('DELETE', `/api/cart-items/${id}`)).status).toBe(200);
      expect((await defaultCart()).version).toBe(before.json.version + 3);
    });

    it('refuses a classic POST that would take the subtotal past MAX_SAFE_INTEGER, storing nothing', async () => {
      const before = await defaultCart();
      // 10,000,000,000.00 dollars × 10,000 = 10^16 cents.
      const reply = await classic('POST', '/api/cart-items/', {
        product_name: 'too dear',
        product_price: '10000000000',
        product_quantity: 10_000,
      });
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({
        status: 'error',
        data: { non_field_errors: [`The cart subtotal would exceed ${Number.MAX_SAFE_INTEGER}.`] },
      });
      expect(await defaultCart()).toEqual(before);
    });

    it('refuses a classic PATCH that would take the subtotal past MAX_SAFE_INTEGER', async () => {
      const posted = await classic('POST', '/api/cart-items/', { product_name: 'dear', product_price: '10000000000' });
      expect(posted.status).toBe(200);
      const reply = await classic('PATCH', `/api/cart-items/${posted.json.data.id}`, { product_quantity: 10_000 });
      expect(reply.status).toBe(400);
      expect(reply.json.data.non_field_errors).toEqual([`The cart subtotal would exceed ${Number.MAX_SAFE_INTEGER}.`]);
      const item = await classic('GET', `/api/cart-items/${posted.json.data.id}`);
      expect(item.json.data.product_quantity).toBe(1);
      expect((await classic('DELETE', `/api/cart-items/${posted.json.data.id}`)).status).toBe(200);
    });

    it('refuses a classic PATCH of the price alone that would take the subtotal past MAX_SAFE_INTEGER', async () => {
      const posted = await classic('POST', '/api/cart-items/', {
        product_name: 'many',
        product_price: '0.01',
        product_quantity: 10_000,
      });
      expect(posted.status).toBe(200);
      const reply = await classic('PATCH', `/api/cart-items/${posted.json.data.id}`, { product_price: '10000000000' });
      expect(reply.status).toBe(400);
      expect(reply.json.data.non_field_errors).toEqual([`The cart subtotal would exceed ${Number.MAX_SAFE_INTEGER}.`]);
      expect((await classic('GET', `/api/cart-items/${posted.json.data.id}`)).json.data.product_price).toBe(0.01);
      expect((await classic('DELETE', `/api/cart-items/${posted.json.data.id}`)).status).toBe(200);
    });

    // 250 sequential POSTs: seconds on a loaded machine, more over the local client's comparison (tee) harness.
    it('stops classic POSTs at the line limit, with a non_field_errors refusal, and /v1 keeps working', {
      timeout: 30_000,
    }, async () => {
      const start = (await defaultCart()).line_count;
      // The default cart is shared by the file's other cases: emptied again at the end, whatever happens.
      onTestFinished(async () => {
        expect((await v1('DELETE', '/v1/carts/default/items')).status).toBe(200);
      });
      for (let i = start; i < 250; i++) {
        const reply = await classic('POST', '/api/cart-items/', { product_name: `fill ${i}`, product_price: 1 });
        expect(reply.status).toBe(200);
      }
      const full = await classic('POST', '/api/cart-items/', { product_name: 'one too many', product_price: 1 });
      expect(full.status).toBe(400);
      expect(full.json).toEqual({
        status: 'error',
        data: { non_field_errors: ['The cart already holds 250 lines, the most it may.'] },
      });
      const cart = await defaultCart();
      expect(cart.line_count).toBe(250);
      expect(cart.subtotal).toBe(
        cart.items.reduce((sum: number, item: { line_total: number }) => sum + item.line_total, 0),
      );
      // /v1 refuses a new line for the same reason, and still merges into an existing one.
      const v1Full = await v1('POST', '/v1/carts/default/items', { product_id: 'sku-new', name: 'New', unit_price: 1 });
      expect(v1Full.status).toBe(409);
      expect(v1Full.json.type).toBe('/problems/cart-full');
      const merge = await v1('POST', '/v1/carts/default/items', { product_id: 'sku-merge', name: 'M', unit_price: 7 });
      expect(merge.status).toBe(200);
      expect((await v1('PATCH', `/v1/carts/default/items/${cart.items[0].id}`, { quantity: 2 })).status).toBe(200);
    });
  });
}

/** Authorization before idempotency on the classic surface; `fetcher` reaches an app with ADMIN_TOKEN `token`. */
export function authorizationFirstCases(fetcher: Fetcher, token: string) {
  describe('authorization comes before Idempotency-Key', () => {
    const auth = { authorization: `Bearer ${token}` };
    const body = { product_name: 'keyed', product_price: 2 };

    it('never replays a token holder’s answer to a caller without the token, or with a wrong one', async () => {
      const key = freshKey();
      const first = await send(fetcher, 'POST', '/api/cart-items/', body, { ...auth, 'idempotency-key': key });
      expect(first.status).toBe(200);
      const bare = await send(fetcher, 'POST', '/api/cart-items/', body, { 'idempotency-key': key });
      expect(bare.status).toBe(401);
      expect(bare.headers.get('idempotent-replayed')).toBeNull();
      expect(bare.text).not.toContain('keyed');
      const wrong = await send(fetcher, 'POST', '/api/cart-items/', body, {
        authorization: `Bearer ${token}x`,
        'idempotency-key': key,
      });
      expect(wrong.status).toBe(403);
      expect(wrong.headers.get('idempotent-replayed')).toBeNull();
    });

    it('answers 401 whether or not a key exists, so no key can be probed', async () => {
      const used = freshKey();
      await send(fetcher, 'POST', '/api/cart-items/', body, { ...auth, 'idempotency-key': used });
      const otherBody = { product_name: 'different', product_price: 3 };
      const probeUsed = await send(fetcher, 'POST', '/api/cart-items/', otherBody, { 'idempotency-key': used });
      const probeFresh = await send(fetcher, 'POST', '/api/cart-items/', otherBody, { 'idempotency-key': freshKey() });
      expect([probeUsed.status, probeFresh.status]).toEqual([401, 401]);
      expect(probeUsed.json).toEqual(probeFresh.json);
    });

    it('stores nothing for a refused caller: the holder may then use that key for another body', async () => {
      const key = freshKey();
      expect((await send(fetcher, 'POST', '/api/cart-items/', body, { 'idempotency-key': key })).status).toBe(401);
      const mine = await send(
        fetcher,
        'POST',
        '/api/cart-items/',
        { product_name: 'mine', product_price: 4 },
        {
          ...auth,
          'idempotency-key': key,
        },
      );
      expect(mine.status).toBe(200);
      expect(mine.json.data.product_name).toBe('mine');
    });

    it('guards every route of the default cart on /v1 with the admin token', async () => {
      const auth = { authorization: `Bearer ${token}` };
      const added = await send(
        fetcher,
        'POST',
        '/v1/carts/default/items',
        { product_id: 'g', name: 'G', unit_price: 1 },
        auth,
      );
      const line = added.json.items.find((item: { product_id: string }) => item.product_id === 'g').id;
      const routes = [
        ['GET', '/v1/carts/default', undefined],
        ['DELETE', '/v1/carts/default', undefined],
        ['POST', '/v1/carts/default/items', { product_id: 'h', name: 'H', unit_price: 1 }],
        ['PATCH', `/v1/carts/default/items/${line}`, { quantity: 2 }],
        ['DELETE', `/v1/carts/default/items/${line}`, undefined],
        ['DELETE', '/v1/carts/default/items', undefined],
      ] as const;
      const before = (await send(fetcher, 'GET', '/v1/carts/default', undefined, auth)).json;
      for (const [method, path, body] of routes) {
        const bare = await send(fetcher, method, path, body);
        expect(bare.status, `${method} ${path}`).toBe(401);
        expect(bare.json).toMatchObject({ type: '/problems/unauthorized', status: 401 });
        const wrong = await send(fetcher, method, path, body, { authorization: `Bearer ${token}x` });
        expect(wrong.status, `${method} ${path}`).toBe(403);
      }
      expect((await send(fetcher, 'GET', '/v1/carts/default', undefined, auth)).json).toEqual(before);
    });

    it('puts the default cart’s /v1 routes behind the token before their key too', async () => {
      const key = freshKey();
      const add = { product_id: 'sku-keyed', name: 'Keyed', unit_price: 3 };
      const first = await send(fetcher, 'POST', '/v1/carts/default/items', add, { ...auth, 'idempotency-key': key });
      expect([200, 201]).toContain(first.status);
      const bare = await send(fetcher, 'POST', '/v1/carts/default/items', add, { 'idempotency-key': key });
      expect(bare.status).toBe(401);
      expect(bare.text).not.toContain('sku-keyed');
    });
  });
}

/**
 * Keys on cart creation are scoped to the caller (API.md §2): `as(client)`
 * gives the headers by which the runtime tells clients apart.
 */
export function creationKeyCases(fetcher: Fetcher, as: (client: string) => Record<string, string>, token?: string) {
  describe(`Idempotency-Key on cart creation${token ? ', with ADMIN_TOKEN set' : ''}`, () => {
    const body = { currency: 'EUR', metadata: { note: 'mine' } };

    it('never hands one client’s cart to another that sends the same key and body', async () => {
      const key = freshKey();
      const mine = await send(fetcher, 'POST', '/v1/carts', body, { ...as('198.51.100.7'), 'idempotency-key': key });
      expect(mine.status).toBe(201);
      const theirs = await send(fetcher, 'POST', '/v1/carts', body, { ...as('203.0.113.9'), 'idempotency-key': key });
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.json.id).not.toBe(mine.json.id);
      expect(theirs.headers.get('location')).not.toBe(mine.headers.get('location'));
    });

    it('keeps clients apart when they send a bearer token that is not the admin’s', async () => {
      const key = freshKey();
      const bearer = { authorization: 'Bearer not-the-admin-token-0123' };
      const mine = await send(fetcher, 'POST', '/v1/carts', body, {
        ...as('198.51.100.20'),
        ...bearer,
        'idempotency-key': key,
      });
      const theirs = await send(fetcher, 'POST', '/v1/carts', body, {
        ...as('198.51.100.21'),
        ...bearer,
        'idempotency-key': key,
      });
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.json.id).not.toBe(mine.json.id);
    });

    if (token !== undefined) {
      it('replays the admin token holder’s key from any address', async () => {
        const key = freshKey();
        const admin = { authorization: `Bearer ${token}`, 'idempotency-key': key };
        const first = await send(fetcher, 'POST', '/v1/carts', body, { ...as('198.51.100.30'), ...admin });
        const again = await send(fetcher, 'POST', '/v1/carts', body, { ...as('198.51.100.31'), ...admin });
        expect(first.status).toBe(201);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expect(again.json.id).toBe(first.json.id);
        // A caller without the token using the admin's key gets a cart of its own.
        const bare = await send(fetcher, 'POST', '/v1/carts', body, { ...as('198.51.100.30'), 'idempotency-key': key });
        expect(bare.status).toBe(201);
        expect(bare.json.id).not.toBe(first.json.id);
      });
    }

    it('still replays the same client’s retry', async () => {
      const key = freshKey();
      const first = await send(fetcher, 'POST', '/v1/carts', body, { ...as('198.51.100.8'), 'idempotency-key': key });
      const again = await send(fetcher, 'POST', '/v1/carts', body, { ...as('198.51.100.8'), 'idempotency-key': key });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.json.id).toBe(first.json.id);
    });
  });
}
