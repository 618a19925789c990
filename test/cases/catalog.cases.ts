import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';
import { expectDocumented } from './documented.js';
import { walkPages } from './walk.js';

/** A request that is also held to the OpenAPI document. */
export const documentedSend = async (
  fetcher: Fetcher,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const reply = await send(fetcher, method, path, body, headers);
  expectDocumented(method, path, reply);
  return reply;
};

let serial = 0;
/** A product id no other test uses. */
export const freshSku = (name = 'sku') => `${name}-${Date.now().toString(36)}-${(serial++).toString(36)}`;

/** `items` cut into pages of `limit`: what a listing's pages hold. */
const inPages = <T>(items: T[], limit: number) =>
  Array.from({ length: Math.ceil(items.length / limit) }, (_, i) => items.slice(i * limit, (i + 1) * limit));

/**
 * Reads a listing by key (`path`, such as /v1/admin/products) from its start at `limit` a page, following
 * `next_cursor`, and holds it to `keys`, every key it lists in order: each page exactly the next `limit` of
 * them, a `next_cursor` and its `Link` on every page but the last, neither on the last (never an empty one).
 */
export async function expectExactPages(
  fetcher: Fetcher,
  listing: { path: string; field: string; key: string },
  limit: number,
  keys: string[],
  headers: Record<string, string>,
) {
  const expected = inPages(keys, limit);
  const pages: string[][] = [];
  let cursor: string | null = null;
  // One page more than expected at most: a cursor that does not move would loop forever.
  do {
    const url = `${listing.path}?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
    const reply = await documentedSend(fetcher, 'GET', url, undefined, headers);
    expect(reply.status, url).toBe(200);
    pages.push(reply.json[listing.field].map((item: Record<string, string>) => item[listing.key]));
    cursor = reply.json.next_cursor;
    expect(reply.headers.get('link'), url).toBe(
      cursor === null ? null : `<${listing.path}?limit=${limit}&cursor=${cursor}>; rel="next"`,
    );
  } while (cursor !== null && pages.length <= expected.length);
  expect(pages).toEqual(expected);
  expect(cursor).toBeNull();
}

/** The catalog (API.md §4) and its price source, on an app with PRICES=catalog and the admin token `token`. */
export function catalogCases(fetcher: Fetcher, token: string) {
  const admin = { authorization: `Bearer ${token}` };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    documentedSend(fetcher, method, path, body, headers);
  const put = (id: string, product: object) => call('PUT', `/v1/admin/products/${id}`, product, admin);

  describe('the catalog', () => {
    it('creates a product (201), replaces it (200, version up) and reads it, each with its ETag', async () => {
      const id = freshSku('mug');
      const created = await put(id, { name: 'Blue mug', prices: { USD: 1399, EUR: 1299 } });
      expect(created.status).toBe(201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.json).toMatchObject({
        id,
        name: 'Blue mug',
        prices: { EUR: 1299, USD: 1399 },
        active: true,
        metadata: {},
        version: 1,
      });
      expect(Object.keys(created.json.prices)).toEqual(['EUR', 'USD']);
      const replaced = await put(id, {
        id,
        name: 'Blue mug, large',
        prices: { EUR: 1499 },
        active: false,
        metadata: { size: 'L' },
      });
      expect(replaced.status).toBe(200);
      expect(replaced.headers.get('etag')).toBe('"2"');
      expect(replaced.json).toMatchObject({
        name: 'Blue mug, large',
        prices: { EUR: 1499 },
        active: false,
        version: 2,
      });
      expect(replaced.json.created_at).toBe(created.json.created_at);
      const read = await call('GET', `/v1/admin/products/${id}`, undefined, admin);
      expect(read.status).toBe(200);
      expect(read.json).toEqual(replaced.json);
      expect(read.headers.get('etag')).toBe('"2"');
    });

    it('refuses a bad product with every offending path, and an id in the body that is not the path’s', async () => {
      const id = freshSku();
      const bad = await put(id, { name: ' ', prices: { EUR: -1, XYZ: 5, USD: 1.5 } });
      expect(bad.status).toBe(422);
      expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(
        ['name', 'prices.EUR', 'prices.USD', 'prices.XYZ'].sort(),
      );
      const none = await put(id, { name: 'Mug', prices: {} });
      expect(none.status).toBe(422);
      expect(none.json.errors).toEqual([{ path: 'prices', message: 'At least one currency' }]);
      const other = await put(id, { id: 'someone-else', name: 'Mug', prices: { EUR: 1 } });
      expect(other.status).toBe(422);
      expect(other.json.errors).toEqual([{ path: 'id', message: 'Must match the id in the path' }]);
      expect((await call('GET', `/v1/admin/products/${id}`, undefined, admin)).status).toBe(404);
    });

    it('lists products in id order a page at a time, and deletes one (204, then 404)', async () => {
      const prefix = freshSku('page');
      for (const n of [3, 1, 2]) await put(`${prefix}-${n}`, { name: `P${n}`, prices: { EUR: n } });
      const ids: string[] = [];
      let path = `/v1/admin/products?limit=2`;
      for (let pages = 0; pages < 100; pages++) {
        const page = await call('GET', path, undefined, admin);
        expect(page.status).toBe(200);
        ids.push(...page.json.products.map((p: { id: string }) => p.id));
        if (page.json.next_cursor === null) break;
        expect(page.headers.get('link')).toContain('rel="next"');
        path = `/v1/admin/products?limit=2&cursor=${page.json.next_cursor}`;
      }
      expect(ids.filter((id) => id.startsWith(prefix))).toEqual([`${prefix}-1`, `${prefix}-2`, `${prefix}-3`]);
      expect([...ids].sort()).toEqual(ids);
      expect((await call('DELETE', `/v1/admin/products/${prefix}-2`, undefined, admin)).status).toBe(204);
      expect((await call('GET', `/v1/admin/products/${prefix}-2`, undefined, admin)).status).toBe(404);
      expect((await call('DELETE', `/v1/admin/products/${prefix}-2`, undefined, admin)).status).toBe(404);
      expect((await call('GET', '/v1/admin/products?cursor=nonsense', undefined, admin)).status).toBe(422);
    });

    it('stores prices by currency code in code order, whatever order they are sent in (a PUT and an import)', async () => {
      const id = freshSku('sorted');
      const put3 = await put(id, { name: 'Three prices', prices: { USD: 300, EUR: 250, GBP: 200 } });
      expect(put3.status).toBe(201);
      expect(put3.json.prices).toEqual({ EUR: 250, GBP: 200, USD: 300 });
      expect(Object.keys(put3.json.prices)).toEqual(['EUR', 'GBP', 'USD']);
      expect(put3.text).toContain('"prices":{"EUR":250,"GBP":200,"USD":300}');
      const read = await call('GET', `/v1/admin/products/${id}`, undefined, admin);
      expect(read.text).toBe(put3.text);
      const imported = freshSku('sorted');
      const reply = await call(
        'POST',
        '/v1/admin/products/import',
        [{ id: imported, name: 'Imported', prices: { USD: 3, EUR: 2, GBP: 1 } }],
        admin,
      );
      expect(reply.json).toEqual({ created: 1, updated: 0 });
      const stored = await call('GET', `/v1/admin/products/${imported}`, undefined, admin);
      expect(stored.text).toContain('"prices":{"EUR":2,"GBP":1,"USD":3}');
    });

    it('lists every product once in id order, exactly `limit` a page, with next_cursor and Link on every page but the last', async () => {
      const listing = { path: '/v1/admin/products', field: 'products', key: 'id' };
      const limit = 100;
      const everyId = async () =>
        (await walkPages<{ id: string }>(fetcher, `${listing.path}?limit=200`, 'products', admin)).map((p) => p.id);
      const prefix = freshSku('exact');
      const made = (from: number, count: number) =>
        Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${from + i}`, name: 'P', prices: { EUR: 1 } }));
      // As many products as make the listing a whole number of pages: the last page is full, and last.
      const before = await everyId();
      const topUp = made(0, limit - (before.length % limit));
      expect((await call('POST', '/v1/admin/products/import', topUp, admin)).json).toEqual({
        created: topUp.length,
        updated: 0,
      });
      const whole = await everyId();
      expect(whole).toEqual([...before, ...topUp.map((p) => p.id)].sort());
      expect(new Set(whole).size).toBe(whole.length);
      expect(whole.length % limit).toBe(0);
      await expectExactPages(fetcher, listing, limit, whole, admin);
      // One more: the last page holds just one product.
      expect((await put(`${prefix}-x`, { name: 'One more', prices: { EUR: 1 } })).status).toBe(201);
      const onePast = [...whole, `${prefix}-x`].sort();
      expect(await everyId()).toEqual(onePast);
      await expectExactPages(fetcher, listing, limit, onePast, admin);
    });

    it('is for the admin only', async () => {
      expect((await call('GET', '/v1/admin/products')).status).toBe(401);
      expect(
        (
          await call(
            'PUT',
            `/v1/admin/products/${freshSku()}`,
            { name: 'x', prices: { EUR: 1 } },
            { authorization: 'Bearer wrong-token-wrong-token' },
          )
        ).status,
      ).toBe(403);
      expect((await call('POST', '/v1/admin/products/import', [])).status).toBe(401);
    });
  });

  describe('POST /v1/admin/products/import', () => {
    it('takes `shippable` (default true) by PUT, JSON import and NDJSON import, and replaces it', async () => {
      const [put1, json1, nd1] = [freshSku('ship'), freshSku('ship'), freshSku('ship')];
      expect((await put(put1, { name: 'Mug', prices: { EUR: 1 } })).json.shippable).toBe(true);
      expect((await put(put1, { name: 'E-book', prices: { EUR: 1 }, shippable: false })).json.shippable).toBe(false);
      const imported = await call(
        'POST',
        '/v1/admin/products/import',
        [
          { id: json1, name: 'Licence', prices: { EUR: 1 }, shippable: false },
          { id: put1, name: 'Mug again', prices: { EUR: 1 } },
        ],
        admin,
      );
      expect(imported.json).toEqual({ created: 1, updated: 1 });
      const ndjson = `${JSON.stringify({ id: nd1, name: 'Song', prices: { EUR: 1 }, shippable: false })}\n`;
      const lines = await send(fetcher, 'POST', '/v1/admin/products/import', ndjson, {
        ...admin,
        'content-type': 'application/x-ndjson',
      });
      expect(lines.status).toBe(200);
      const shippable = async (id: string) =>
        (await call('GET', `/v1/admin/products/${id}`, undefined, admin)).json.shippable;
      expect([await shippable(put1), await shippable(json1), await shippable(nd1)]).toEqual([true, false, false]);
      expect((await put(put1, { name: 'Mug', prices: { EUR: 1 }, shippable: 'no' })).status).toBe(422);
    });

    it('imports a JSON array, counting created and updated (an unchanged product counts as updated)', async () => {
      const a = freshSku('imp');
      const b = freshSku('imp');
      await put(a, { name: 'A', prices: { EUR: 100 } });
      const reply = await call(
        'POST',
        '/v1/admin/products/import',
        [
          { id: a, name: 'A', prices: { EUR: 100 } },
          { id: b, name: 'B', prices: { EUR: 200, USD: 210 }, active: false },
        ],
        admin,
      );
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ created: 1, updated: 1 });
      expect((await call('GET', `/v1/admin/products/${a}`, undefined, admin)).json.version).toBe(2);
      expect((await call('GET', `/v1/admin/products/${b}`, undefined, admin)).json).toMatchObject({
        name: 'B',
        active: false,
        prices: { EUR: 200, USD: 210 },
      });
    });

    it('imports NDJSON, blank lines ignored; a line that is not JSON is 400 naming it', async () => {
      const a = freshSku('nd');
      const b = freshSku('nd');
      const ndjson = `${JSON.stringify({ id: a, name: 'A', prices: { EUR: 1 } })}\n\n${JSON.stringify({ id: b, name: 'B', prices: { EUR: 2 } })}\n`;
      const reply = await send(fetcher, 'POST', '/v1/admin/products/import', ndjson, {
        ...admin,
        'content-type': 'application/x-ndjson',
      });
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ created: 2, updated: 0 });
      const broken = await send(
        fetcher,
        'POST',
        '/v1/admin/products/import',
        `${JSON.stringify({ id: freshSku(), name: 'C', prices: { EUR: 3 } })}\n{oops\n`,
        { ...admin, 'content-type': 'application/x-ndjson' },
      );
      expect(broken.status).toBe(400);
      expect(broken.json).toMatchObject({
        type: '/problems/malformed-json',
        detail: 'Line 2 of the NDJSON body is not valid JSON.',
      });
    });

    it('is all or nothing: one bad product lists every bad path and stores nothing', async () => {
      const ids = [freshSku('all'), freshSku('all'), freshSku('all')];
      const body = [
        { id: ids[0], name: 'ok', prices: { EUR: 1 } },
        { id: ids[1], name: 'bad', prices: { EUR: 'x' } },
        { id: ids[2], name: '', prices: { EUR: 3 } },
      ];
      for (const [type, payload] of [
        ['application/json', JSON.stringify(body)],
        ['application/x-ndjson', body.map((p) => JSON.stringify(p)).join('\n')],
      ] as const) {
        const reply = await send(fetcher, 'POST', '/v1/admin/products/import', payload, {
          ...admin,
          'content-type': type,
        });
        expect(reply.status).toBe(422);
        expect(reply.json.errors.map((e: { path: string }) => e.path)).toEqual(['1.prices.EUR', '2.name']);
      }
      for (const id of ids) expect((await call('GET', `/v1/admin/products/${id}`, undefined, admin)).status).toBe(404);
    });

    it('takes 1,000 products past the 64 KiB body limit, refuses 1,001, and refuses a duplicate id', async () => {
      const prefix = freshSku('bulk');
      const many = Array.from({ length: 1000 }, (_, i) => ({
        id: `${prefix}-${i}`,
        name: `Product ${i} ${'x'.repeat(150)}`,
        prices: { EUR: i, USD: i + 1 },
      }));
      expect(JSON.stringify(many).length).toBeGreaterThan(64 * 1024);
      const reply = await call('POST', '/v1/admin/products/import', many, admin);
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ created: 1000, updated: 0 });
      expect((await call('GET', `/v1/admin/products/${prefix}-999`, undefined, admin)).json.prices).toEqual({
        EUR: 999,
        USD: 1000,
      });
      const tooMany = await call(
        'POST',
        '/v1/admin/products/import',
        [...many, { id: `${prefix}-x`, name: 'x', prices: { EUR: 1 } }],
        admin,
      );
      expect(tooMany.status).toBe(422);
      const twice = await call('POST', '/v1/admin/products/import', [many[0], many[0]], admin);
      expect(twice.status).toBe(422);
      expect(twice.json.errors).toEqual([{ path: '', message: 'Each id at most once' }]);
    });

    it('imports 1,000 products of 2 KiB of metadata each, over 2 MiB, every one stored as sent and counted', async () => {
      const prefix = freshSku('big');
      const product = (i: number) => ({
        id: `${prefix}-${String(i).padStart(4, '0')}`,
        name: `Product ${i} ${'y'.repeat(150)}`,
        prices: { USD: i + 1, EUR: i },
        active: i % 7 !== 0,
        metadata: { n: i, note: `${i}:`.padEnd(1990, '.') },
      });
      const many = Array.from({ length: 1000 }, (_, i) => product(i));
      expect(JSON.stringify(many).length).toBeGreaterThan(2 * 1024 * 1024);
      // Three exist already, at the start, the middle and the end: they count as updated, and are replaced.
      for (const i of [0, 500, 999]) {
        const before = await put(product(i).id, { name: 'Before', prices: { GBP: 1 }, metadata: { old: true } });
        expect(before.status).toBe(201);
      }
      const reply = await call('POST', '/v1/admin/products/import', many, admin);
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ created: 997, updated: 3 });
      const stored = (
        await walkPages<{
          id: string;
          name: string;
          prices: Record<string, number>;
          active: boolean;
          metadata: Record<string, unknown>;
          version: number;
        }>(fetcher, '/v1/admin/products?limit=200', 'products', admin)
      ).filter((p) => p.id.startsWith(`${prefix}-`));
      expect(stored.map(({ id, name, prices, active, metadata }) => ({ id, name, prices, active, metadata }))).toEqual(
        many,
      );
      expect(stored.filter((p) => p.version === 2).map((p) => p.id)).toEqual([0, 500, 999].map((i) => product(i).id));
      expect(stored.filter((p) => p.version !== 1 && p.version !== 2)).toEqual([]);
    }, 60_000);

    it('refuses a body over 5 MiB (413) and a body in another media type (415)', async () => {
      const huge = await send(fetcher, 'POST', '/v1/admin/products/import', `[${'"x",'.repeat(1_400_000)}"x"]`, admin);
      expect(huge.status).toBe(413);
      const text = await send(fetcher, 'POST', '/v1/admin/products/import', 'id,name', {
        ...admin,
        'content-type': 'text/csv',
      });
      expect(text.status).toBe(415);
    });
  });

  describe('prices from the catalog (PRICES=catalog)', () => {
    const product = async (prices: Record<string, number>, extra: object = {}) => {
      const id = freshSku('p');
      expect((await put(id, { name: `Name of ${id}`, prices, ...extra })).status).toBe(201);
      return id;
    };
    const cart = async (currency = 'EUR', items?: unknown[]) =>
      call('POST', '/v1/carts', items === undefined ? { currency } : { currency, items });

    it('prices a line from the product in the cart’s currency, and shows where the price came from', async () => {
      const id = await product({ EUR: 1299, USD: 1399 });
      const { json: created } = await cart('USD');
      const added = await call('POST', `/v1/carts/${created.id}/items`, { product_id: id, quantity: 2 });
      expect(added.status).toBe(201);
      expect(added.json.items).toMatchObject([
        {
          product_id: id,
          name: `Name of ${id}`,
          unit_price: 1399,
          quantity: 2,
          line_total: 2798,
          price_source: 'catalog',
        },
      ]);
      expect(added.json.subtotal).toBe(2798);
      const again = await call('POST', `/v1/carts/${created.id}/items`, { product_id: id });
      expect(again.status).toBe(200);
      expect(again.json.items).toMatchObject([{ quantity: 3 }]);
    });

    it('refuses a client price or name without the admin token (422), and takes it with the token as a custom line', async () => {
      const id = await product({ EUR: 1299 });
      const { json: created } = await cart();
      const priced = await call('POST', `/v1/carts/${created.id}/items`, { product_id: id, unit_price: 1 });
      expect(priced.status).toBe(422);
      expect(priced.json).toMatchObject({
        type: '/problems/client-price-not-allowed',
        errors: [{ path: 'unit_price' }],
      });
      const named = await call('POST', `/v1/carts/${created.id}/items`, { product_id: id, name: 'Cheap' });
      expect(named.status).toBe(422);
      expect(named.json.errors).toMatchObject([{ path: 'name' }]);
      const wrong = await call(
        'POST',
        `/v1/carts/${created.id}/items`,
        { product_id: id, name: 'Cheap', unit_price: 1 },
        { authorization: 'Bearer not-the-admin-token-at-all' },
      );
      expect(wrong.status).toBe(422);
      const custom = await call(
        'POST',
        `/v1/carts/${created.id}/items`,
        { product_id: id, name: 'Staff price', unit_price: 999 },
        admin,
      );
      expect(custom.status).toBe(201);
      expect(custom.json.items).toMatchObject([{ name: 'Staff price', unit_price: 999, price_source: 'custom' }]);
      const half = await call('POST', `/v1/carts/${created.id}/items`, { product_id: id, unit_price: 999 }, admin);
      expect(half.status).toBe(422);
      expect(half.json.errors).toEqual([{ path: 'name', message: 'Required' }]);
      expect((await call('GET', `/v1/carts/${created.id}`)).json.version).toBe(2);
    });

    it('refuses an unknown, inactive or deleted product, and one with no price in the cart’s currency', async () => {
      const inactive = await product({ EUR: 100 }, { active: false });
      const deleted = await product({ EUR: 100 });
      await call('DELETE', `/v1/admin/products/${deleted}`, undefined, admin);
      const dollars = await product({ USD: 100 });
      const { json: created } = await cart();
      for (const [id, slug] of [
        [freshSku('unknown'), 'product-unavailable'],
        [inactive, 'product-unavailable'],
        [deleted, 'product-unavailable'],
        [dollars, 'price-unavailable'],
      ]) {
        const reply = await call('POST', `/v1/carts/${created.id}/items`, { product_id: id });
        expect(reply.status, `${id}`).toBe(422);
        expect(reply.json.type).toBe(`/problems/${slug}`);
      }
      const after = await call('GET', `/v1/carts/${created.id}`);
      expect(after.json).toMatchObject({ version: 1, items: [] });
    });

    it('gives every line of 100 adds racing a price change one of the two prices, name and price together, totals exact', async () => {
      const id = await product({ EUR: 1000 });
      const { json: created } = await cart();
      const adds = Array.from({ length: 100 }, () =>
        documentedSend(fetcher, 'POST', `/v1/carts/${created.id}/items`, { product_id: id }),
      );
      await new Promise((resolve) => setTimeout(resolve, 5));
      const change = put(id, { name: 'Renamed', prices: { EUR: 1500 } });
      const replies = await Promise.all([...adds, change]);
      expect(replies.slice(0, 100).every((r) => r.status === 200 || r.status === 201)).toBe(true);
      const final = (await call('GET', `/v1/carts/${created.id}`)).json;
      const pairs = final.items.map((l: { name: string; unit_price: number }) => `${l.name}@${l.unit_price}`);
      for (const pair of pairs) expect([`Name of ${id}@1000`, 'Renamed@1500']).toContain(pair);
      expect(final.items.reduce((n: number, l: { quantity: number }) => n + l.quantity, 0)).toBe(100);
      expect(final.subtotal).toBe(
        final.items.reduce(
          (n: number, l: { unit_price: number; quantity: number }) => n + l.unit_price * l.quantity,
          0,
        ),
      );
      expect(final.version).toBe(101);
    });

    it('prices the items of a new cart from the catalog, merging equal lines, and names the item it refuses', async () => {
      const a = await product({ EUR: 250 });
      const b = await product({ EUR: 1000 });
      const made = await cart('EUR', [
        { product_id: a },
        { product_id: b, quantity: 2 },
        { product_id: a, quantity: 3 },
      ]);
      expect(made.status, made.text).toBe(201);
      expect(made.json.items).toMatchObject([
        { product_id: a, unit_price: 250, quantity: 4, price_source: 'catalog' },
        { product_id: b, unit_price: 1000, quantity: 2, price_source: 'catalog' },
      ]);
      expect(made.json.subtotal).toBe(3000);
      const refused = await cart('EUR', [{ product_id: a }, { product_id: freshSku('gone') }]);
      expect(refused.status).toBe(422);
      expect(refused.json).toMatchObject({
        type: '/problems/product-unavailable',
        errors: [{ path: 'items.1.product_id' }],
      });
      const client = await cart('EUR', [{ product_id: a, unit_price: 1, name: 'x' }]);
      expect(client.status).toBe(422);
      expect(client.json).toMatchObject({
        type: '/problems/client-price-not-allowed',
        errors: [{ path: 'items.0.name' }, { path: 'items.0.unit_price' }],
      });
    });

    /** Every cart id the admin listing holds, page by page. */
    const cartIds = async () => {
      const ids: string[] = [];
      for (let cursor: string | null = null, pages = 0; pages < 100; pages++) {
        const page = await call(
          'GET',
          `/v1/admin/carts?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
          undefined,
          admin,
        );
        expect(page.status).toBe(200);
        ids.push(...page.json.carts.map((c: { id: string }) => c.id));
        cursor = page.json.next_cursor;
        if (cursor === null) break;
      }
      return ids.sort();
    };

    it('refuses a new cart whose second item is inactive, deleted or unpriced with 422 at items.1.product_id, creating nothing', async () => {
      const first = await product({ EUR: 250 });
      const inactive = await product({ EUR: 100 }, { active: false });
      const deleted = await product({ EUR: 100 });
      expect((await call('DELETE', `/v1/admin/products/${deleted}`, undefined, admin)).status).toBe(204);
      const dollars = await product({ USD: 100 });
      const before = await cartIds();
      for (const [id, slug, detail] of [
        [inactive, 'product-unavailable', 'No such product is on sale.'],
        [deleted, 'product-unavailable', 'No such product is on sale.'],
        [dollars, 'price-unavailable', 'The product has no price in the cart’s currency.'],
      ] as const) {
        const reply = await cart('EUR', [{ product_id: first }, { product_id: id, quantity: 2 }]);
        expect(reply.status, id).toBe(422);
        expect(reply.json).toMatchObject({ type: `/problems/${slug}`, status: 422, detail });
        expect(reply.json.errors).toEqual([{ path: 'items.1.product_id', message: detail }]);
        expect(reply.headers.get('location')).toBeNull();
        expect(reply.headers.get('etag')).toBeNull();
      }
      expect(await cartIds()).toEqual(before);
      // The index counts every item, a custom-priced one (admin token) before it included.
      const afterCustom = await call(
        'POST',
        '/v1/carts',
        {
          currency: 'EUR',
          items: [
            { product_id: first, name: 'Staff price', unit_price: 1 },
            { product_id: first },
            { product_id: inactive },
          ],
        },
        admin,
      );
      expect(afterCustom.status).toBe(422);
      expect(afterCustom.json).toMatchObject({ type: '/problems/product-unavailable' });
      expect(afterCustom.json.errors).toEqual([{ path: 'items.2.product_id', message: 'No such product is on sale.' }]);
      expect(await cartIds()).toEqual(before);
      // Put on sale again, the same product makes the cart.
      expect((await put(inactive, { name: `Name of ${inactive}`, prices: { EUR: 100 } })).status).toBe(200);
      const made = await cart('EUR', [{ product_id: first }, { product_id: inactive, quantity: 2 }]);
      expect(made.status).toBe(201);
      expect(made.json).toMatchObject({
        items: [
          { product_id: first, unit_price: 250, quantity: 1, price_source: 'catalog' },
          { product_id: inactive, unit_price: 100, quantity: 2, price_source: 'catalog' },
        ],
        subtotal: 450,
      });
    });
  });
}
