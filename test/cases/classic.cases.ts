import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';

const ITEM_KEYS = ['id', 'product_name', 'product_price', 'product_quantity'];
const valid = { product_name: 'name', product_price: '41', product_quantity: '1' };

type Errors = Record<string, string[]>;

/** Bodies the tutorial's serializer refuses, with DRF's messages. `raw` bodies are sent as written. */
const refusedCreates: Array<{ name: string; body: unknown; errors: Errors }> = [
  {
    name: 'an empty object',
    body: {},
    errors: { product_name: ['This field is required.'], product_price: ['This field is required.'] },
  },
  {
    name: 'a null name',
    body: { ...valid, product_name: null },
    errors: { product_name: ['This field may not be null.'] },
  },
  {
    name: 'a blank name',
    body: { ...valid, product_name: '   ' },
    errors: { product_name: ['This field may not be blank.'] },
  },
  { name: 'a boolean name', body: { ...valid, product_name: true }, errors: { product_name: ['Not a valid string.'] } },
  {
    name: 'an object name',
    body: { ...valid, product_name: { a: 1 } },
    errors: { product_name: ['Not a valid string.'] },
  },
  {
    name: 'a name of 201 code points',
    body: { ...valid, product_name: 'é'.repeat(201) },
    errors: { product_name: ['Ensure this field has no more than 200 characters.'] },
  },
  {
    name: 'a name with a NUL character',
    body: { ...valid, product_name: 'a\u0000b' },
    errors: { product_name: ['Null characters are not allowed.'] },
  },
  {
    name: 'a null price',
    body: { ...valid, product_price: null },
    errors: { product_price: ['This field may not be null.'] },
  },
  {
    name: 'a word as price',
    body: { ...valid, product_price: 'abc' },
    errors: { product_price: ['A valid number is required.'] },
  },
  {
    name: 'a blank price',
    body: { ...valid, product_price: '' },
    errors: { product_price: ['A valid number is required.'] },
  },
  {
    name: '"nan" as price',
    body: { ...valid, product_price: 'nan' },
    errors: { product_price: ['A valid number is required.'] },
  },
  {
    name: '"NaN" as price',
    body: { ...valid, product_price: 'NaN' },
    errors: { product_price: ['A valid number is required.'] },
  },
  {
    name: '"Infinity" as price',
    body: { ...valid, product_price: 'Infinity' },
    errors: { product_price: ['A valid number is required.'] },
  },
  {
    name: '"1e400" as price',
    body: { ...valid, product_price: '1e400' },
    errors: { product_price: ['A valid number is required.'] },
  },
  {
    name: 'a JSON number 1e400 as price',
    body: '{"product_name":"x","product_price":1e400}',
    errors: { product_price: ['A valid number is required.'] },
  },
  {
    name: 'a boolean price',
    body: { ...valid, product_price: true },
    errors: { product_price: ['A valid number is required.'] },
  },
  {
    name: 'a list as price',
    body: { ...valid, product_price: [1] },
    errors: { product_price: ['A valid number is required.'] },
  },
  {
    name: 'a price with three decimals',
    body: { ...valid, product_price: '12.345' },
    errors: { product_price: ['Ensure that there are no more than 2 decimal places.'] },
  },
  {
    name: 'a negative price',
    body: { ...valid, product_price: -1 },
    errors: { product_price: ['Ensure this value is greater than or equal to 0.'] },
  },
  {
    name: 'a price over the limit',
    body: { ...valid, product_price: 10000000000.01 },
    errors: { product_price: ['Ensure this value is less than or equal to 10000000000.'] },
  },
  {
    name: 'a fractional quantity',
    body: { ...valid, product_quantity: 1.5 },
    errors: { product_quantity: ['A valid integer is required.'] },
  },
  {
    name: 'a boolean quantity',
    body: { ...valid, product_quantity: true },
    errors: { product_quantity: ['A valid integer is required.'] },
  },
  {
    name: 'a word as quantity',
    body: { ...valid, product_quantity: 'two' },
    errors: { product_quantity: ['A valid integer is required.'] },
  },
  {
    name: '"1.5" as quantity',
    body: { ...valid, product_quantity: '1.5' },
    errors: { product_quantity: ['A valid integer is required.'] },
  },
  {
    name: 'a JSON number 1e400 as quantity',
    body: '{"product_name":"x","product_price":1,"product_quantity":1e400}',
    errors: { product_quantity: ['A valid integer is required.'] },
  },
  {
    name: 'a null quantity',
    body: { ...valid, product_quantity: null },
    errors: { product_quantity: ['This field may not be null.'] },
  },
  {
    name: 'a negative quantity',
    body: { ...valid, product_quantity: -1 },
    errors: { product_quantity: ['Ensure this value is greater than or equal to 0.'] },
  },
  {
    name: 'a quantity over the line limit',
    body: { ...valid, product_quantity: 10001 },
    errors: { product_quantity: ['Ensure this value is less than or equal to 10000.'] },
  },
  {
    name: 'a huge quantity',
    body: { ...valid, product_quantity: 2 ** 64 },
    errors: { product_quantity: ['Ensure this value is less than or equal to 10000.'] },
  },
  {
    name: 'every field wrong at once',
    body: { product_name: '', product_price: 'x', product_quantity: -5 },
    errors: {
      product_name: ['This field may not be blank.'],
      product_price: ['A valid number is required.'],
      product_quantity: ['Ensure this value is greater than or equal to 0.'],
    },
  },
  {
    name: 'a list body',
    body: [valid],
    errors: { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] },
  },
  {
    name: 'a string body',
    body: '"text"',
    errors: { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] },
  },
  {
    name: 'a number body',
    body: '5',
    errors: { non_field_errors: ['Invalid data. Expected a dictionary, but got int.'] },
  },
  { name: 'a null body', body: 'null', errors: { non_field_errors: ['No data provided'] } },
];

/** Accepted inputs and what the tutorial's serializer makes of them. */
const acceptedCreates: Array<{ name: string; body: unknown; item: Record<string, unknown> }> = [
  { name: 'numeric strings', body: valid, item: { product_name: 'name', product_price: 41, product_quantity: 1 } },
  {
    name: 'a padded price and quantity',
    body: { product_name: '  mug  ', product_price: ' 7 ', product_quantity: ' 3 ' },
    item: { product_name: 'mug', product_price: 7, product_quantity: 3 },
  },
  {
    name: 'a number as name',
    body: { product_name: 12, product_price: 1 },
    item: { product_name: '12', product_price: 1, product_quantity: 1 },
  },
  {
    name: 'no quantity (default 1)',
    body: { product_name: 'a', product_price: 19.99 },
    item: { product_price: 19.99, product_quantity: 1 },
  },
  { name: '"2.0" as quantity', body: { ...valid, product_quantity: '2.0' }, item: { product_quantity: 2 } },
  {
    name: '2.0 as quantity',
    body: '{"product_name":"a","product_price":1,"product_quantity":2.0}',
    item: { product_quantity: 2 },
  },
  { name: 'quantity 0', body: { ...valid, product_quantity: 0 }, item: { product_quantity: 0 } },
  {
    name: 'the line limit as quantity',
    body: { ...valid, product_quantity: 10000 },
    item: { product_quantity: 10000 },
  },
  { name: 'a price in exponent form', body: { ...valid, product_price: '1.5e2' }, item: { product_price: 150 } },
  { name: 'a price of 0.29 kept exact', body: { ...valid, product_price: '0.29' }, item: { product_price: 0.29 } },
  { name: 'a price of 0', body: { ...valid, product_price: 0 }, item: { product_price: 0 } },
  {
    name: 'trailing zeros past the currency',
    body: { ...valid, product_price: '41.000' },
    item: { product_price: 41 },
  },
  { name: 'the largest price', body: { ...valid, product_price: '10000000000' }, item: { product_price: 10000000000 } },
  {
    name: '200 emoji as name',
    body: { ...valid, product_name: '🛒'.repeat(200) },
    item: { product_name: '🛒'.repeat(200) },
  },
];

/**
 * The classic tutorial surface (API.md §1), run unchanged against every
 * runtime. Items of the default cart are shared by all tests of a run, so no
 * test assumes the list is empty.
 */
export function classicCases(fetcher: Fetcher) {
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    send(fetcher, method, path, body, headers);
  const ids = async () => ((await call('GET', '/api/cart-items/')).json.data as Array<{ id: number }>).map((i) => i.id);
  const create = async (body: unknown = valid) => {
    const reply = await call('POST', '/api/cart-items/', body);
    expect(reply.status).toBe(200);
    return reply.json.data as { id: number; product_name: string; product_price: number; product_quantity: number };
  };

  describe('the tutorial walkthrough', () => {
    it('creates, lists, changes and deletes an item', async () => {
      const created = await call('POST', '/api/cart-items/', valid);
      expect(created.status).toBe(200);
      expect(created.headers.get('content-type')).toMatch(/^application\/json/);
      expect(created.json.status).toBe('success');
      const item = created.json.data;
      expect(Object.keys(item)).toEqual(ITEM_KEYS);
      expect(item).toEqual({ id: item.id, product_name: 'name', product_price: 41, product_quantity: 1 });
      expect(Number.isInteger(item.id)).toBe(true);

      const list = await call('GET', '/api/cart-items/');
      expect(list.status).toBe(200);
      expect(list.json.status).toBe('success');
      expect(list.json.data).toContainEqual(item);

      const patched = await call('PATCH', `/api/cart-items/${item.id}`, { product_quantity: 6 });
      expect(patched.status).toBe(200);
      expect(patched.json).toEqual({ status: 'success', data: { ...item, product_quantity: 6 } });
      expect((await call('GET', `/api/cart-items/${item.id}`)).json.data.product_quantity).toBe(6);

      const deleted = await call('DELETE', `/api/cart-items/${item.id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.json).toEqual({ status: 'success', data: 'Item Deleted' });
      expect((await call('GET', `/api/cart-items/${item.id}`)).status).toBe(404);
    });

    it('lists items in id order', async () => {
      await create();
      await create();
      const list = await ids();
      expect(list).toEqual([...list].sort((a, b) => a - b));
    });

    it('never merges: the same name twice makes two items', async () => {
      const a = await create({ product_name: 'twin', product_price: 3 });
      const b = await create({ product_name: 'twin', product_price: 3 });
      expect(b.id).not.toBe(a.id);
      expect(a.product_quantity).toBe(1);
      expect(b.product_quantity).toBe(1);
    });

    it('never reuses the id of a deleted item', async () => {
      const a = await create();
      await call('DELETE', `/api/cart-items/${a.id}`);
      const b = await create();
      expect(b.id).toBeGreaterThan(a.id);
    });
  });

  describe('POST input', () => {
    it.each(refusedCreates)('refuses $name with 400 and stores nothing', async ({ body, errors }) => {
      const before = await ids();
      const reply = await call('POST', '/api/cart-items/', body);
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ status: 'error', data: errors });
      expect(await ids()).toEqual(before);
    });

    it.each(acceptedCreates)('accepts $name', async ({ body, item }) => {
      const reply = await call('POST', '/api/cart-items/', body);
      expect(reply.status).toBe(200);
      expect(reply.json.data).toMatchObject(item);
      expect((await call('GET', `/api/cart-items/${reply.json.data.id}`)).json.data).toEqual(reply.json.data);
    });

    it('ignores unknown fields and an id in the body', async () => {
      const before = Math.max(0, ...(await ids()));
      const item = await create({ ...valid, id: 999_999, colour: 'blue' });
      expect(item.id).toBeGreaterThan(before);
      expect(item.id).not.toBe(999_999);
      expect(Object.keys(item)).toEqual(ITEM_KEYS);
    });

    it('accepts an urlencoded form', async () => {
      const reply = await call(
        'POST',
        '/api/cart-items/',
        'product_name=form+item&product_price=2.50&product_quantity=3',
        {
          'content-type': 'application/x-www-form-urlencoded',
        },
      );
      expect(reply.status).toBe(200);
      expect(reply.json.data).toMatchObject({ product_name: 'form item', product_price: 2.5, product_quantity: 3 });
    });

    it('accepts a multipart form', async () => {
      const form = new FormData();
      form.set('product_name', 'multipart');
      form.set('product_price', '4');
      const res = await fetcher('/api/cart-items/', { method: 'POST', body: form });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: unknown }).data).toMatchObject({
        product_name: 'multipart',
        product_price: 4,
      });
    });

    it('answers malformed JSON with 400 and a parse error', async () => {
      const before = await ids();
      const reply = await call('POST', '/api/cart-items/', '{"product_name": ');
      expect(reply.status).toBe(400);
      expect(reply.json.status).toBe('error');
      expect(reply.json.data.detail).toMatch(/^JSON parse error - /);
      expect(await ids()).toEqual(before);
    });

    it('answers an unsupported media type with 415', async () => {
      const reply = await call('POST', '/api/cart-items/', 'product_name=x', { 'content-type': 'text/plain' });
      expect(reply.status).toBe(415);
      expect(reply.json).toEqual({
        status: 'error',
        data: { detail: 'Unsupported media type "text/plain" in request.' },
      });
    });

    it('refuses a body over 64 KiB with 413', async () => {
      const before = await ids();
      const reply = await call('POST', '/api/cart-items/', { ...valid, padding: 'x'.repeat(70_000) });
      expect(reply.status).toBe(413);
      expect(reply.json.status).toBe('error');
      expect(await ids()).toEqual(before);
    });
  });

  describe('PATCH', () => {
    it('changes only the fields it is given', async () => {
      const item = await create({ product_name: 'before', product_price: '5.25', product_quantity: 2 });
      const reply = await call('PATCH', `/api/cart-items/${item.id}`, { product_name: 'after', product_price: 6 });
      expect(reply.status).toBe(200);
      expect(reply.json.data).toEqual({ id: item.id, product_name: 'after', product_price: 6, product_quantity: 2 });
    });

    it.each([
      ['product_name', { product_name: 'renamed' }, { product_name: 'renamed' }],
      ['product_price', { product_price: '7.5' }, { product_price: 7.5 }],
      ['product_quantity', { product_quantity: 4 }, { product_quantity: 4 }],
    ])('changes %s alone', async (_, body, changed) => {
      const item = await create({ product_name: 'alone', product_price: '5.25', product_quantity: 2 });
      const reply = await call('PATCH', `/api/cart-items/${item.id}`, body);
      expect(reply.json).toEqual({ status: 'success', data: { ...item, ...changed } });
      expect((await call('GET', `/api/cart-items/${item.id}`)).json).toEqual(reply.json);
    });

    it('accepts {} and changes nothing, not even the cart version', async () => {
      const item = await create();
      const version = (await send(fetcher, 'GET', '/v1/carts/default')).json.version;
      const reply = await call('PATCH', `/api/cart-items/${item.id}`, {});
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ status: 'success', data: item });
      expect((await send(fetcher, 'GET', '/v1/carts/default')).json.version).toBe(version);
    });

    it.each([
      {
        body: { product_quantity: -1 },
        errors: { product_quantity: ['Ensure this value is greater than or equal to 0.'] },
      },
      { body: { product_price: 'nan' }, errors: { product_price: ['A valid number is required.'] } },
      { body: { product_name: null }, errors: { product_name: ['This field may not be null.'] } },
      { body: { product_name: '' }, errors: { product_name: ['This field may not be blank.'] } },
    ])('refuses $body with 400 and changes nothing', async ({ body, errors }) => {
      const item = await create();
      const reply = await call('PATCH', `/api/cart-items/${item.id}`, body);
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ status: 'error', data: errors });
      expect((await call('GET', `/api/cart-items/${item.id}`)).json.data).toEqual(item);
    });

    it('answers malformed JSON with 400', async () => {
      const item = await create();
      const reply = await call('PATCH', `/api/cart-items/${item.id}`, '{oops');
      expect(reply.status).toBe(400);
      expect(reply.json.data.detail).toMatch(/^JSON parse error - /);
    });
  });

  describe('missing items and odd paths', () => {
    const notFound = { status: 'error', data: { detail: 'Not found.' } };

    it.each([
      ['GET', '/api/cart-items/987654321'],
      ['PATCH', '/api/cart-items/987654321'],
      ['DELETE', '/api/cart-items/987654321'],
      ['GET', '/api/cart-items/0'],
      ['GET', '/api/cart-items/abc'],
      ['GET', '/api/cart-items/-1'],
      ['GET', '/api/cart-items/99999999999999999999999'],
      ['GET', '/api/cart-items/1/extra'],
    ])('%s %s answers the 404 envelope', async (method, path) => {
      const reply = await call(method, path, method === 'PATCH' ? { product_quantity: 1 } : undefined);
      expect(reply.status).toBe(404);
      expect(reply.json).toEqual(notFound);
    });

    it('finds no item by another spelling of its id, and judges no body on a path that names none', async () => {
      const item = await create();
      for (const spelling of [`${item.id}.0`, `0x${item.id.toString(16)}`, `${item.id}e0`, ` ${item.id}`]) {
        const path = `/api/cart-items/${encodeURIComponent(spelling)}`;
        const reply = await call('GET', path);
        expect(reply.json, spelling).toEqual(notFound);
      }
      const patched = await call('PATCH', '/api/cart-items/abc', { product_price: 'not a price' });
      expect([patched.status, patched.json]).toEqual([404, notFound]);
    });

    it('answers 404 for a deleted item on every method', async () => {
      const item = await create();
      await call('DELETE', `/api/cart-items/${item.id}`);
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const reply = await call(method, `/api/cart-items/${item.id}`, method === 'PATCH' ? {} : undefined);
        expect(reply.status).toBe(404);
        expect(reply.json).toEqual(notFound);
      }
    });

    it('serves every route with and without the trailing slash', async () => {
      const created = await call('POST', '/api/cart-items', valid);
      expect(created.status).toBe(200);
      const id = created.json.data.id;
      expect((await call('GET', '/api/cart-items')).status).toBe(200);
      expect((await call('GET', `/api/cart-items/${id}/`)).json.data.id).toBe(id);
      expect((await call('PATCH', `/api/cart-items/${id}/`, { product_quantity: 2 })).json.data.product_quantity).toBe(
        2,
      );
      expect((await call('DELETE', `/api/cart-items/${id}/`)).status).toBe(200);
    });

    it.each([
      ['PUT', '/api/cart-items/', 'GET, POST'],
      ['DELETE', '/api/cart-items/', 'GET, POST'],
      ['PUT', '/api/cart-items/1', 'GET, PATCH, DELETE'],
      ['POST', '/api/cart-items/1/', 'GET, PATCH, DELETE'],
    ])('answers %s %s with 405 and Allow', async (method, path, allowed) => {
      const reply = await call(method, path, valid);
      expect(reply.status).toBe(405);
      expect(reply.headers.get('allow')).toContain(allowed);
      expect(reply.json).toEqual({ status: 'error', data: { detail: `Method "${method}" not allowed.` } });
    });
  });
}
