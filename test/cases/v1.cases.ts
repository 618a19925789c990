import { describe, expect, it } from 'vitest';
import { type Fetcher, type Reply, send } from './client.js';
import { documentedChecks, expectDocumented } from './documented.js';

const DAY = 86_400_000;
const mug = {
  product_id: 'sku-mug-blue',
  name: 'Blue mug',
  unit_price: 1299,
  quantity: 2,
  metadata: { color: 'blue' },
};
const tee = { product_id: 'sku-tee', name: 'T-shirt', unit_price: 2500 };

/** Makes `n` distinct lines, for filling carts. */
const lines = (n: number, unitPrice = 100) =>
  Array.from({ length: n }, (_, i) => ({ product_id: `p-${i}`, name: `Product ${i}`, unit_price: unitPrice }));

/** Add-item bodies the schema refuses, and the path each must name. */
const refusedAdds: Array<{ name: string; body: unknown; path: string }> = [
  { name: 'no product_id', body: { name: 'x', unit_price: 1 }, path: 'product_id' },
  { name: 'a null product_id', body: { ...tee, product_id: null }, path: 'product_id' },
  { name: 'a numeric product_id', body: { ...tee, product_id: 12 }, path: 'product_id' },
  { name: 'an empty product_id', body: { ...tee, product_id: '' }, path: 'product_id' },
  { name: 'a product_id of 65 characters', body: { ...tee, product_id: 'a'.repeat(65) }, path: 'product_id' },
  { name: 'a product_id with a space', body: { ...tee, product_id: 'sku mug' }, path: 'product_id' },
  { name: 'a product_id with a slash', body: { ...tee, product_id: 'sku/1' }, path: 'product_id' },
  { name: 'no name', body: { product_id: 'p', unit_price: 1 }, path: 'name' },
  { name: 'a blank name', body: { ...tee, name: '   ' }, path: 'name' },
  { name: 'a name of 201 code points', body: { ...tee, name: 'é'.repeat(201) }, path: 'name' },
  { name: 'a name with NUL', body: { ...tee, name: 'a\u0000b' }, path: 'name' },
  { name: 'a boolean name', body: { ...tee, name: true }, path: 'name' },
  { name: 'no unit_price', body: { product_id: 'p', name: 'x' }, path: 'unit_price' },
  { name: 'a fractional unit_price', body: { ...tee, unit_price: 12.5 }, path: 'unit_price' },
  { name: 'a string unit_price', body: { ...tee, unit_price: '1299' }, path: 'unit_price' },
  { name: 'a negative unit_price', body: { ...tee, unit_price: -1 }, path: 'unit_price' },
  { name: 'a unit_price over 10^12', body: { ...tee, unit_price: 1_000_000_000_001 }, path: 'unit_price' },
  { name: 'a unit_price of 1e400', body: '{"product_id":"p","name":"x","unit_price":1e400}', path: 'unit_price' },
  { name: 'quantity 0', body: { ...tee, quantity: 0 }, path: 'quantity' },
  { name: 'quantity 10001', body: { ...tee, quantity: 10_001 }, path: 'quantity' },
  { name: 'a fractional quantity', body: { ...tee, quantity: 1.5 }, path: 'quantity' },
  { name: 'a string quantity', body: { ...tee, quantity: '2' }, path: 'quantity' },
  { name: 'a null quantity', body: { ...tee, quantity: null }, path: 'quantity' },
  { name: 'metadata as a list', body: { ...tee, metadata: ['a'] }, path: 'metadata' },
  { name: 'metadata with a nested object', body: { ...tee, metadata: { a: { b: 1 } } }, path: 'metadata.a' },
  { name: 'metadata with a null value', body: { ...tee, metadata: { a: null } }, path: 'metadata.a' },
  {
    name: 'metadata with 21 keys',
    body: { ...tee, metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) },
    path: 'metadata',
  },
  { name: 'metadata over 2 KiB', body: { ...tee, metadata: { big: 'x'.repeat(2100) } }, path: 'metadata' },
  { name: 'a list body', body: [tee], path: '' },
];

/**
 * The /v1 cart API (API.md §2), run unchanged against every runtime. Every
 * reply is also held to the OpenAPI document: status listed, body matching.
 */
export function v1Cases(fetcher: Fetcher) {
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const reply = await send(fetcher, method, path, body, headers);
    expectDocumented(method, path, reply);
    return reply;
  };
  const create = async (body: unknown = {}) => {
    const reply = await call('POST', '/v1/carts', body);
    expect(reply.status).toBe(201);
    return reply.json;
  };
  const add = (cartId: string, body: unknown, headers?: Record<string, string>) =>
    call('POST', `/v1/carts/${cartId}/items`, body, headers);
  const read = async (cartId: string) => (await call('GET', `/v1/carts/${cartId}`)).json;
  const expectProblem = (reply: Reply, status: number, slug: string) => {
    expect(reply.status).toBe(status);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.json).toMatchObject({ type: `/problems/${slug}`, status });
    expect(typeof reply.json.title).toBe('string');
  };

  describe('carts', () => {
    it('creates an empty cart with Location, ETag and the default currency', async () => {
      const reply = await call('POST', '/v1/carts', {});
      expect(reply.status).toBe(201);
      const cart = reply.json;
      expect(cart.id).toMatch(/^crt_[A-Za-z0-9_-]{22}$/);
      expect(reply.headers.get('location')).toBe(`/v1/carts/${cart.id}`);
      expect(reply.headers.get('etag')).toBe('"1"');
      expect(cart).toMatchObject({
        currency: 'USD',
        version: 1,
        items: [],
        line_count: 0,
        item_count: 0,
        subtotal: 0,
        metadata: {},
      });
      expect(Date.parse(cart.expires_at) - Date.parse(cart.updated_at)).toBe(30 * DAY);
      expect(cart.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('creates a cart with no body at all', async () => {
      const res = await fetcher('/v1/carts', { method: 'POST' });
      expect(res.status).toBe(201);
    });

    it('gives every cart a different unguessable id', async () => {
      const ids = await Promise.all(Array.from({ length: 20 }, async () => (await create()).id));
      expect(new Set(ids).size).toBe(20);
    });

    it('creates a cart with currency, metadata and first items, merging repeats', async () => {
      const cart = await create({
        currency: 'JPY',
        metadata: { channel: 'web' },
        items: [
          { product_id: 'tea', name: 'Tea', unit_price: 500, quantity: 2 },
          { product_id: 'tea', name: 'Tea', unit_price: 500, quantity: 3 },
          { product_id: 'cup', name: 'Cup', unit_price: 1200 },
        ],
      });
      expect(cart.currency).toBe('JPY');
      expect(cart.metadata).toEqual({ channel: 'web' });
      expect(cart.items.map((i: { product_id: string; quantity: number }) => [i.product_id, i.quantity])).toEqual([
        ['tea', 5],
        ['cup', 1],
      ]);
      expect(cart).toMatchObject({ version: 1, line_count: 2, item_count: 6, subtotal: 3700 });
    });

    it.each([
      ['an unknown currency', { currency: 'XYZ' }, 'currency'],
      ['a lower-case currency', { currency: 'eur' }, 'currency'],
      ['a numeric currency', { currency: 978 }, 'currency'],
      ['cart metadata as a string', { metadata: 'x' }, 'metadata'],
      ['items that are not a list', { items: {} }, 'items'],
      ['an invalid first item', { items: [tee, { ...tee, quantity: -1 }] }, 'items.1.quantity'],
    ])('refuses %s with 422 naming %s', async (_, body, path) => {
      const reply = await call('POST', '/v1/carts', body);
      expectProblem(reply, 422, 'validation-failed');
      expect(reply.json.errors).toContainEqual(expect.objectContaining({ path }));
    });

    it('refuses first items that merge past the quantity limit', async () => {
      const reply = await call('POST', '/v1/carts', {
        items: [
          { ...tee, quantity: 6000 },
          { ...tee, quantity: 5000 },
        ],
      });
      expectProblem(reply, 422, 'validation-failed');
      expect(reply.json.errors[0].path).toBe('items.1.quantity');
    });

    it('creates a cart whose items merge to exactly 10,000 of one line, and refuses 10,001', async () => {
      const cart = await create({
        items: [
          { ...tee, quantity: 4000 },
          { ...tee, quantity: 6000 },
        ],
      });
      expect(cart.items).toHaveLength(1);
      expect(cart.items[0].quantity).toBe(10_000);
      const over = await call('POST', '/v1/carts', {
        items: [
          { ...tee, quantity: 4000 },
          { ...tee, quantity: 6001 },
        ],
      });
      expectProblem(over, 422, 'validation-failed');
      expect(over.json.errors).toEqual([{ path: 'items.1.quantity', message: expect.stringContaining('10000') }]);
    });

    it('keeps one product at two prices apart when a cart is created with items', async () => {
      const cart = await create({ items: [tee, { ...tee, unit_price: 2600 }, tee] });
      expect(
        cart.items.map((item: { unit_price: number; quantity: number }) => [item.unit_price, item.quantity]),
      ).toEqual([
        [2500, 2],
        [2600, 1],
      ]);
      expect(cart).toMatchObject({ line_count: 2, item_count: 3, subtotal: 2 * 2500 + 2600 });
    });

    it('refuses more first lines than a cart holds with 409 cart-full', async () => {
      expectProblem(await call('POST', '/v1/carts', { items: lines(251) }), 409, 'cart-full');
      expect((await create({ items: lines(250) })).line_count).toBe(250);
    });

    it('reads a cart with its ETag, and answers If-None-Match with 304', async () => {
      const cart = await create({ items: [mug] });
      const reply = await call('GET', `/v1/carts/${cart.id}`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('etag')).toBe('"1"');
      expect(reply.json).toEqual(cart);
      const cached = await call('GET', `/v1/carts/${cart.id}`, undefined, { 'if-none-match': '"1"' });
      expect(cached.status).toBe(304);
      expect(cached.text).toBe('');
      expect(cached.headers.get('etag')).toBe('"1"');
      expect((await call('GET', `/v1/carts/${cart.id}`, undefined, { 'if-none-match': '"7", W/"1"' })).status).toBe(
        304,
      );
      expect((await call('GET', `/v1/carts/${cart.id}`, undefined, { 'if-none-match': '"2"' })).status).toBe(200);
      expectProblem(
        await call('GET', `/v1/carts/${cart.id}`, undefined, { 'if-none-match': 'nonsense' }),
        400,
        'validation-failed',
      );
    });

    it('answers unknown and malformed cart ids with the same 404', async () => {
      const unknown = await call('GET', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA');
      const malformed = await call('GET', '/v1/carts/not-a-cart');
      expectProblem(unknown, 404, 'not-found');
      expect(malformed.status).toBe(404);
      expect(malformed.json).toEqual(unknown.json);
    });

    it('deletes a cart: 204, then 404 everywhere', async () => {
      const cart = await create({ items: [mug] });
      const deleted = await call('DELETE', `/v1/carts/${cart.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expectProblem(await call('GET', `/v1/carts/${cart.id}`), 404, 'not-found');
      expectProblem(await call('DELETE', `/v1/carts/${cart.id}`), 404, 'not-found');
      expectProblem(await add(cart.id, tee), 404, 'not-found');
    });

    it('refuses to delete the default cart', async () => {
      expectProblem(await call('DELETE', '/v1/carts/default'), 409, 'conflict');
    });

    it('shows the classic items as lines of the default cart', async () => {
      const classic = await send(fetcher, 'POST', '/api/cart-items/', {
        product_name: 'Classic',
        product_price: '4.10',
      });
      const cart = await read('default');
      const line = cart.items.find((i: { id: number }) => i.id === classic.json.data.id);
      expect(line).toMatchObject({ product_id: null, name: 'Classic', unit_price: 410, quantity: 1, line_total: 410 });
      expect(cart.expires_at).toBeNull();
    });

    it.each([
      ['PUT', '/v1/carts', 'POST'],
      ['GET', '/v1/carts', 'POST'],
      ['PUT', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA', 'GET, DELETE'],
      ['GET', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA/items', 'POST, DELETE'],
      ['GET', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA/items/1', 'PATCH, DELETE'],
    ])('answers %s %s with 405 and Allow', async (method, path, allowed) => {
      const reply = await call(method, path);
      expectProblem(reply, 405, 'method-not-allowed');
      expect(reply.headers.get('allow')).toContain(allowed);
    });

    it('answers an unknown path with a 404 problem', async () => {
      expectProblem(await call('GET', '/v1/nothing-here'), 404, 'not-found');
    });
  });

  describe('adding lines', () => {
    it('adds a new line with 201, computing totals', async () => {
      const cart = await create({ currency: 'EUR' });
      const reply = await add(cart.id, mug);
      expect(reply.status).toBe(201);
      expect(reply.headers.get('etag')).toBe('"2"');
      const line = reply.json.items[0];
      expect(line).toMatchObject({
        product_id: 'sku-mug-blue',
        name: 'Blue mug',
        unit_price: 1299,
        quantity: 2,
        line_total: 2598,
        metadata: { color: 'blue' },
      });
      expect(Number.isInteger(line.id)).toBe(true);
      expect(reply.json).toMatchObject({ version: 2, line_count: 1, item_count: 2, subtotal: 2598 });
    });

    it('merges the same product, price and metadata into one line with 200', async () => {
      const cart = await create();
      await add(cart.id, mug);
      const reply = await add(cart.id, { ...mug, quantity: 3, metadata: { color: 'blue' } });
      expect(reply.status).toBe(200);
      expect(reply.json.items).toHaveLength(1);
      expect(reply.json).toMatchObject({ version: 3, item_count: 5, subtotal: 5 * 1299 });
    });

    it('merges metadata regardless of key order', async () => {
      const cart = await create();
      await add(cart.id, { ...tee, metadata: { size: 'M', color: 'red' } });
      const reply = await add(cart.id, { ...tee, metadata: { color: 'red', size: 'M' } });
      expect(reply.status).toBe(200);
      expect(reply.json.items).toHaveLength(1);
      expect(reply.json.items[0].quantity).toBe(2);
    });

    it.each([
      ['another price', { ...mug, unit_price: 999 }],
      ['other metadata', { ...mug, metadata: { color: 'red' } }],
      ['no metadata', { ...mug, metadata: undefined }],
      ['another product', { ...mug, product_id: 'sku-mug-red' }],
    ])('makes a new line for %s', async (_, other) => {
      const cart = await create();
      await add(cart.id, mug);
      const reply = await add(cart.id, other);
      expect(reply.status).toBe(201);
      expect(reply.json.line_count).toBe(2);
    });

    it('defaults quantity to 1 and ignores unknown fields', async () => {
      const cart = await create();
      const reply = await add(cart.id, { ...tee, colour: 'blue', id: 5 });
      expect(reply.status).toBe(201);
      expect(reply.json.items[0].quantity).toBe(1);
      expect(reply.json.items[0]).not.toHaveProperty('colour');
    });

    it('accepts a name of 200 emoji and trims names', async () => {
      const cart = await create();
      const emoji = await add(cart.id, { ...tee, name: '🛒'.repeat(200) });
      expect(emoji.status).toBe(201);
      const trimmed = await add(cart.id, { ...tee, product_id: 'other', name: '  Spaced  ' });
      expect(trimmed.json.items[1].name).toBe('Spaced');
    });

    it('refuses a merge past 10,000 with 422 and changes nothing', async () => {
      const cart = await create({ items: [{ ...tee, quantity: 9_999 }] });
      const reply = await add(cart.id, { ...tee, quantity: 2 });
      expectProblem(reply, 422, 'validation-failed');
      expect(reply.json.errors[0].path).toBe('quantity');
      expect(await read(cart.id)).toEqual(cart);
      expect((await add(cart.id, { ...tee, quantity: 1 })).json.items[0].quantity).toBe(10_000);
    });

    it('refuses a new line in a full cart with 409 cart-full, but still merges', async () => {
      const cart = await create({ items: lines(250) });
      const full = await add(cart.id, { ...tee });
      expectProblem(full, 409, 'cart-full');
      expect(full.json.detail).toBe('The cart already holds 250 lines, the most it may.');
      expect((await read(cart.id)).version).toBe(1);
      const merged = await add(cart.id, { product_id: 'p-7', name: 'Product 7', unit_price: 100 });
      expect(merged.status).toBe(200);
      expect(merged.json.line_count).toBe(250);
    });

    it('refuses a change that would take the subtotal past MAX_SAFE_INTEGER', async () => {
      const cart = await create({ items: [{ ...tee, unit_price: 1_000_000_000_000, quantity: 9_000 }] });
      expect(cart.subtotal).toBe(9_000_000_000_000_000);
      const reply = await add(cart.id, { ...tee, product_id: 'more', unit_price: 1_000_000_000_000, quantity: 8 });
      expectProblem(reply, 422, 'validation-failed');
      expect((await read(cart.id)).subtotal).toBe(9_000_000_000_000_000);
      expectProblem(
        await call('POST', '/v1/carts', { items: [{ ...tee, unit_price: 1_000_000_000_000, quantity: 10_000 }] }),
        422,
        'validation-failed',
      );
    });

    it.each(refusedAdds)('refuses $name with 422 naming the path, storing nothing', async ({ body, path }) => {
      const cart = await create();
      const reply = await add(cart.id, body);
      expectProblem(reply, 422, 'validation-failed');
      expect(reply.json.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect(await read(cart.id)).toEqual(cart);
    });

    it('lists every offending path at once', async () => {
      const cart = await create();
      const reply = await add(cart.id, { product_id: '', name: '', unit_price: -1, quantity: 0 });
      expect(reply.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
        'name',
        'product_id',
        'quantity',
        'unit_price',
      ]);
    });

    it('answers malformed JSON with 400, a non-JSON body with 415 and a body over 64 KiB with 413', async () => {
      const cart = await create();
      expectProblem(await add(cart.id, '{"product_id": '), 400, 'malformed-json');
      expectProblem(
        await add(cart.id, 'product_id=x', { 'content-type': 'application/x-www-form-urlencoded' }),
        415,
        'unsupported-media-type',
      );
      expectProblem(await add(cart.id, 'x', { 'content-type': 'text/plain' }), 415, 'unsupported-media-type');
      expectProblem(await add(cart.id, { ...tee, metadata: { pad: 'x'.repeat(70_000) } }), 413, 'body-too-large');
      expect(await read(cart.id)).toEqual(cart);
    });

    it('answers an add to an unknown cart with 404', async () => {
      expectProblem(await add('crt_AAAAAAAAAAAAAAAAAAAAAA', tee), 404, 'not-found');
    });
  });

  describe('bodies on every route that takes one', () => {
    const targets = async () => {
      const cart = await create({ items: [tee] });
      return {
        cart,
        routes: [
          ['POST', '/v1/carts'],
          ['POST', `/v1/carts/${cart.id}/items`],
          ['PATCH', `/v1/carts/${cart.id}/items/${cart.items[0].id}`],
        ] as const,
      };
    };

    it.each([
      ['malformed JSON', '{"quantity": ', {}, 400, 'malformed-json'],
      [
        'a form body',
        'quantity=2',
        { 'content-type': 'application/x-www-form-urlencoded' },
        415,
        'unsupported-media-type',
      ],
      ['a text body', '{}', { 'content-type': 'text/plain' }, 415, 'unsupported-media-type'],
      ['a body over 64 KiB', JSON.stringify({ metadata: { pad: 'x'.repeat(70_000) } }), {}, 413, 'body-too-large'],
    ])('answers %s with %i and changes nothing', async (_, body, headers, status, slug) => {
      const { cart, routes } = await targets();
      for (const [method, path] of routes) {
        expectProblem(await call(method, path, body, headers), status, slug);
      }
      expect(await read(cart.id)).toEqual(cart);
    });
  });

  describe('changing and removing lines', () => {
    const withLines = async () => {
      const cart = await create({ items: [mug, tee] });
      return { cart, mugId: cart.items[0].id as number, teeId: cart.items[1].id as number };
    };

    it('refuses a quantity change that would take the subtotal past MAX_SAFE_INTEGER, changing nothing', async () => {
      const cart = await create({ items: [{ ...tee, unit_price: 1_000_000_000_000, quantity: 9_000 }] });
      const line = cart.items[0].id;
      const ok = await call('PATCH', `/v1/carts/${cart.id}/items/${line}`, { quantity: 9_007 });
      expect(ok.status).toBe(200);
      expect(ok.json.subtotal).toBe(9_007_000_000_000_000);
      const reply = await call('PATCH', `/v1/carts/${cart.id}/items/${line}`, { quantity: 9_008 });
      expectProblem(reply, 422, 'validation-failed');
      expect(reply.json.errors).toEqual([
        { path: 'quantity', message: `The cart subtotal would exceed ${Number.MAX_SAFE_INTEGER}.` },
      ]);
      expect(await read(cart.id)).toEqual(ok.json);
    });

    it('changes a quantity', async () => {
      const { cart, mugId } = await withLines();
      const reply = await call('PATCH', `/v1/carts/${cart.id}/items/${mugId}`, { quantity: 5 });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('etag')).toBe('"2"');
      expect(reply.json.items[0]).toMatchObject({ quantity: 5, line_total: 5 * 1299 });
      expect(reply.json).toMatchObject({ version: 2, item_count: 6, subtotal: 5 * 1299 + 2500 });
    });

    it('removes the line on quantity 0', async () => {
      const { cart, mugId } = await withLines();
      const reply = await call('PATCH', `/v1/carts/${cart.id}/items/${mugId}`, { quantity: 0 });
      expect(reply.status).toBe(200);
      expect(reply.json.items.map((i: { id: number }) => i.id)).not.toContain(mugId);
      expect(reply.json).toMatchObject({ version: 2, line_count: 1, subtotal: 2500 });
    });

    it('changes metadata, and refuses metadata that would duplicate another line with 409', async () => {
      const cart = await create({
        items: [
          { ...tee, metadata: { size: 'M' } },
          { ...tee, metadata: { size: 'L' } },
        ],
      });
      const [m, l] = cart.items;
      const changed = await call('PATCH', `/v1/carts/${cart.id}/items/${m.id}`, { metadata: { size: 'S' } });
      expect(changed.json.items[0].metadata).toEqual({ size: 'S' });
      const clash = await call('PATCH', `/v1/carts/${cart.id}/items/${m.id}`, { metadata: { size: 'L' } });
      expectProblem(clash, 409, 'conflict');
      expect((await read(cart.id)).items[1]).toEqual(l);
    });

    it('accepts {} and changes nothing', async () => {
      const { cart, mugId } = await withLines();
      const reply = await call('PATCH', `/v1/carts/${cart.id}/items/${mugId}`, {});
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual(cart);
    });

    it.each([
      [{ quantity: -1 }, 'quantity'],
      [{ quantity: 10_001 }, 'quantity'],
      [{ quantity: 1.5 }, 'quantity'],
      [{ quantity: '2' }, 'quantity'],
      [{ quantity: null }, 'quantity'],
      [{ metadata: 'x' }, 'metadata'],
    ])('refuses %j with 422 and changes nothing', async (body, path) => {
      const { cart, mugId } = await withLines();
      const reply = await call('PATCH', `/v1/carts/${cart.id}/items/${mugId}`, body);
      expectProblem(reply, 422, 'validation-failed');
      expect(reply.json.errors[0].path).toBe(path);
      expect(await read(cart.id)).toEqual(cart);
    });

    it('removes a line, then answers 404 for it', async () => {
      const { cart, mugId } = await withLines();
      const reply = await call('DELETE', `/v1/carts/${cart.id}/items/${mugId}`);
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ version: 2, line_count: 1 });
      expectProblem(await call('DELETE', `/v1/carts/${cart.id}/items/${mugId}`), 404, 'not-found');
      expectProblem(await call('PATCH', `/v1/carts/${cart.id}/items/${mugId}`, { quantity: 1 }), 404, 'not-found');
    });

    it("never reaches a line through another cart's path, leaving that cart untouched", async () => {
      const a = await withLines();
      const b = await create();
      expectProblem(await call('PATCH', `/v1/carts/${b.id}/items/${a.mugId}`, { quantity: 9 }), 404, 'not-found');
      expectProblem(await call('DELETE', `/v1/carts/${b.id}/items/${a.mugId}`), 404, 'not-found');
      expect(await read(a.cart.id)).toEqual(a.cart);
      expect(await read(b.id)).toEqual(b);
    });

    it.each(['0', 'abc', '-1', '99999999999999999999'])('answers line id %s with 404', async (lineId) => {
      const { cart } = await withLines();
      expectProblem(await call('DELETE', `/v1/carts/${cart.id}/items/${lineId}`), 404, 'not-found');
    });

    it('empties a cart once; emptying it again changes nothing', async () => {
      const { cart } = await withLines();
      const emptied = await call('DELETE', `/v1/carts/${cart.id}/items`);
      expect(emptied.status).toBe(200);
      expect(emptied.json).toMatchObject({ version: 2, items: [], line_count: 0, item_count: 0, subtotal: 0 });
      const again = await call('DELETE', `/v1/carts/${cart.id}/items`);
      expect(again.json.version).toBe(2);
    });
  });

  it('held every reply above to the OpenAPI document', () => {
    expect(documentedChecks()).toBeGreaterThan(100);
  });
}
