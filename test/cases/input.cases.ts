import { describe, expect, it } from 'vitest';
import { type Fetcher, send } from './client.js';
import { expectDocumented } from './documented.js';

const tee = { product_id: 'sku-tee', name: 'T-shirt', unit_price: 2500 };
const tags = (versions: number[]) => versions.map((v) => `"${v}"`).join(', ');
let counter = 0;
const freshKey = () => `input-${Date.now()}-${counter++}`;

/** Headers and text that could push a request past what the store can take, on /v1 and the classic surface. */
export function inputCases(fetcher: Fetcher) {
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const reply = await send(fetcher, method, path, body, headers);
    expectDocumented(method, path, reply);
    return reply;
  };
  const cartWithLine = async () => {
    const cart = (await call('POST', '/v1/carts', { items: [tee] })).json;
    return { id: cart.id as string, line: cart.items[0].id as number };
  };

  describe('If-Match and If-None-Match lists', () => {
    const mutations = (id: string, line: number) =>
      [
        ['POST', `/v1/carts/${id}/items`, tee],
        ['PATCH', `/v1/carts/${id}/items/${line}`, { quantity: 2 }],
        ['DELETE', `/v1/carts/${id}/items/${line}`, undefined],
        ['DELETE', `/v1/carts/${id}/items`, undefined],
        ['DELETE', `/v1/carts/${id}`, undefined],
      ] as const;

    it('refuses more than 32 entity tags with 400 on every mutation, changing nothing', async () => {
      const { id, line } = await cartWithLine();
      const many = tags(Array.from({ length: 100 }, (_, i) => i + 1));
      for (const [method, path, body] of mutations(id, line)) {
        for (const header of ['if-match', 'if-none-match']) {
          const reply = await call(method, path, body, { [header]: many });
          expect(reply.status, `${method} ${path} ${header}`).toBe(400);
          expect(reply.json.errors[0].path.toLowerCase()).toBe(header);
        }
      }
      expect((await call('GET', `/v1/carts/${id}`)).json.version).toBe(1);
    });

    it('takes 32 tags, and any number of copies of one tag', async () => {
      const { id } = await cartWithLine();
      const thirtyTwo = tags(Array.from({ length: 32 }, (_, i) => i + 1));
      expect((await call('POST', `/v1/carts/${id}/items`, tee, { 'if-match': thirtyTwo })).status).toBe(200);
      const copies = Array.from({ length: 200 }, () => '"2"').join(', ');
      expect((await call('POST', `/v1/carts/${id}/items`, tee, { 'if-match': copies })).status).toBe(200);
    });

    it('honours If-None-Match on a mutation: a match (or *) is 412 with the ETag, a miss applies', async () => {
      const { id, line } = await cartWithLine();
      const matched = await call('PATCH', `/v1/carts/${id}/items/${line}`, { quantity: 3 }, { 'if-none-match': '"1"' });
      expect(matched.status).toBe(412);
      expect(matched.headers.get('etag')).toBe('"1"');
      const weak = await call('POST', `/v1/carts/${id}/items`, tee, { 'if-none-match': 'W/"1"' });
      expect(weak.status).toBe(412);
      expect((await call('DELETE', `/v1/carts/${id}`, undefined, { 'if-none-match': '*' })).status).toBe(412);
      expect((await call('GET', `/v1/carts/${id}`)).json.version).toBe(1);
      const missed = await call('PATCH', `/v1/carts/${id}/items/${line}`, { quantity: 3 }, { 'if-none-match': '"7"' });
      expect(missed.status).toBe(200);
      expect(missed.headers.get('etag')).toBe('"2"');
    });

    it('refuses a malformed If-None-Match on a mutation with 400, as If-Match', async () => {
      const { id, line } = await cartWithLine();
      const reply = await call('DELETE', `/v1/carts/${id}/items/${line}`, undefined, { 'if-none-match': 'nope' });
      expect(reply.status).toBe(400);
      expect(reply.json.errors).toEqual([{ path: 'If-None-Match', message: expect.any(String) }]);
    });
  });

  describe('Idempotency-Key forms', () => {
    it('takes a quoted key of 255 characters, the same key as its bare form', async () => {
      const { id } = await cartWithLine();
      const key = `${freshKey()}-${'k'.repeat(255)}`.slice(0, 255);
      const quoted = await call('POST', `/v1/carts/${id}/items`, tee, { 'idempotency-key': `"${key}"` });
      expect(quoted.status).toBe(200);
      const bare = await call('POST', `/v1/carts/${id}/items`, tee, { 'idempotency-key': key });
      expect(bare.status).toBe(200);
      expect(bare.headers.get('idempotent-replayed')).toBe('true');
      expect((await call('GET', `/v1/carts/${id}`)).json.version).toBe(2);
    });

    it('unescapes a quoted key: "a\\\\b" is the key a\\b', async () => {
      const { id } = await cartWithLine();
      const key = freshKey();
      const first = await call('POST', `/v1/carts/${id}/items`, tee, { 'idempotency-key': `"${key}\\\\x"` });
      expect(first.status).toBe(200);
      const again = await call('POST', `/v1/carts/${id}/items`, tee, { 'idempotency-key': `${key}\\x` });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    });

    it.each([
      ['two keys, as two headers are joined', 'first, second'],
      ['two quoted keys', '"first", "second"'],
      ['256 characters', 'k'.repeat(256)],
      ['a quoted key of 256 characters', `"${'k'.repeat(256)}"`],
      ['an unfinished escape', '"a\\"'],
    ])('refuses %s with 400', async (_name, header) => {
      const { id } = await cartWithLine();
      const reply = await call('POST', `/v1/carts/${id}/items`, tee, { 'idempotency-key': header });
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0].path).toBe('Idempotency-Key');
      expect((await call('GET', `/v1/carts/${id}`)).json.version).toBe(1);
    });
  });

  describe('text both runtimes store alike', () => {
    const lone = '\ud800';

    it.each([
      ['a name with a lone surrogate', { ...tee, name: `mug ${lone}` }, 'name'],
      ['a metadata value with a lone surrogate', { ...tee, metadata: { note: lone } }, 'metadata.note'],
      ['a metadata key with a lone surrogate', { ...tee, metadata: { [lone]: 'x' } }, 'metadata'],
    ])('refuses %s with 422', async (_name, body, path) => {
      const { id } = await cartWithLine();
      const reply = await call('POST', `/v1/carts/${id}/items`, body);
      expect(reply.status).toBe(422);
      expect(reply.json.errors.map((e: { path: string }) => e.path)).toContainEqual(expect.stringContaining(path));
    });

    it('refuses a metadata key __proto__ with 422 rather than dropping it', async () => {
      const { id } = await cartWithLine();
      const raw = '{"product_id":"p","name":"x","unit_price":1,"metadata":{"__proto__":"x","ok":"y"}}';
      const reply = await call('POST', `/v1/carts/${id}/items`, raw);
      expect(reply.status).toBe(422);
      expect(JSON.stringify(reply.json.errors)).toContain('__proto__');
    });

    it('refuses a lone surrogate in the items of a new cart with 422', async () => {
      const reply = await call('POST', '/v1/carts', { items: [{ ...tee, name: lone.repeat(200) }] });
      expect(reply.status).toBe(422);
      expect(reply.json.errors[0].path).toBe('items.0.name');
    });

    it('refuses a lone surrogate in a classic name with 400', async () => {
      const reply = await send(fetcher, 'POST', '/api/cart-items/', { product_name: lone, product_price: 1 });
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ status: 'error', data: { product_name: ['Lone surrogates are not allowed.'] } });
    });
  });

  describe('the classic surface reads an empty JSON body as no data, as DRF does', () => {
    it('answers the required-field errors', async () => {
      const reply = await send(fetcher, 'POST', '/api/cart-items/', '', { 'content-type': 'application/json' });
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({
        status: 'error',
        data: { product_name: ['This field is required.'], product_price: ['This field is required.'] },
      });
    });
  });
}
