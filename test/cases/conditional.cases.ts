import { describe, expect, it } from 'vitest';
import { type Fetcher, type Reply, send } from './client.js';
import { expectDocumented } from './documented.js';

const tee = { product_id: 'sku-tee', name: 'T-shirt', unit_price: 2500 };

/** If-Match on every mutation (RFC 9110 §13.1.1): checked in the same atomic step as the write. */
export function conditionalCases(fetcher: Fetcher) {
  const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const reply = await send(fetcher, method, path, body, headers);
    expectDocumented(method, path, reply);
    return reply;
  };
  const create = async () => (await call('POST', '/v1/carts', { items: [tee] })).json;
  const read = async (id: string) => (await call('GET', `/v1/carts/${id}`)).json;
  const expect412 = (reply: Reply, etag: string) => {
    expect(reply.status).toBe(412);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.json.type).toBe('/problems/precondition-failed');
    expect(reply.headers.get('etag')).toBe(etag);
  };

  /** Every mutation of a cart at version 1 with one line, by method and path. */
  const mutations = (id: string, lineId: number): Array<[string, string, unknown]> => [
    ['POST', `/v1/carts/${id}/items`, { ...tee, product_id: 'other' }],
    ['PATCH', `/v1/carts/${id}/items/${lineId}`, { quantity: 3 }],
    ['DELETE', `/v1/carts/${id}/items/${lineId}`, undefined],
    ['DELETE', `/v1/carts/${id}/items`, undefined],
    ['DELETE', `/v1/carts/${id}`, undefined],
  ];

  describe('If-Match', () => {
    it('applies every mutation whose If-Match is the current ETag, answering the new ETag', async () => {
      /** What each mutation leaves: the lines' quantities, or no cart at all. */
      const after = [[1, 1], [3], [], [], undefined];
      for (let i = 0; i < 5; i++) {
        const cart = await create();
        const [method, path, body] = mutations(cart.id, cart.items[0].id)[i] ?? ['', '', undefined];
        const reply = await call(method, path, body, { 'if-match': '"1"' });
        const expected = after[i];
        if (expected === undefined) {
          expect(reply.status, `${method} ${path}`).toBe(204);
          expect((await call('GET', `/v1/carts/${cart.id}`)).status).toBe(404);
          continue;
        }
        expect(reply.status, `${method} ${path}`).toBeLessThan(300);
        expect(reply.headers.get('etag'), `${method} ${path}`).toBe('"2"');
        expect(reply.json.version).toBe(2);
        expect(reply.json.items.map((item: { quantity: number }) => item.quantity)).toEqual(expected);
        expect(await read(cart.id)).toEqual(reply.json);
      }
    });

    it('refuses every mutation with a stale ETag with 412, the current ETag, and no change', async () => {
      const cart = await create();
      for (const [method, path, body] of mutations(cart.id, cart.items[0].id)) {
        expect412(await call(method, path, body, { 'if-match': '"7"' }), '"1"');
      }
      expect(await read(cart.id)).toEqual(cart);
    });

    it('matches any of a list of ETags, and never a weak one', async () => {
      const cart = await create();
      expect412(await call('DELETE', `/v1/carts/${cart.id}/items`, undefined, { 'if-match': 'W/"1"' }), '"1"');
      const listed = await call('DELETE', `/v1/carts/${cart.id}/items`, undefined, { 'if-match': '"5", "1"' });
      expect(listed.status).toBe(200);
      expect(listed.headers.get('etag')).toBe('"2"');
    });

    it('takes If-Match: * as "while the cart exists"', async () => {
      const cart = await create();
      expect((await call('POST', `/v1/carts/${cart.id}/items`, tee, { 'if-match': '*' })).status).toBe(200);
      expect((await call('POST', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA/items', tee, { 'if-match': '*' })).status).toBe(
        404,
      );
    });

    it('lets exactly one of two writers holding the same ETag win', async () => {
      const cart = await create();
      const lineId = cart.items[0].id;
      const [a, b] = await Promise.all([
        call('PATCH', `/v1/carts/${cart.id}/items/${lineId}`, { quantity: 4 }, { 'if-match': '"1"' }),
        call('PATCH', `/v1/carts/${cart.id}/items/${lineId}`, { quantity: 9 }, { 'if-match': '"1"' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 412]);
      const winner = a.status === 200 ? 4 : 9;
      expect((await read(cart.id)).items[0].quantity).toBe(winner);
    });

    it.each(['4', '"4', 'W/4', '"a b"', ''])(
      'answers a malformed If-Match %j with 400 naming the header',
      async (value) => {
        const cart = await create();
        const reply = await call('POST', `/v1/carts/${cart.id}/items`, tee, { 'if-match': value });
        expect(reply.status).toBe(400);
        expect(reply.json.errors[0].path).toBe('If-Match');
        expect(await read(cart.id)).toEqual(cart);
      },
    );
  });

  describe('If-None-Match on a read', () => {
    const expect304 = (reply: Reply, etag: string) => {
      expect(reply.status).toBe(304);
      expect(reply.headers.get('etag')).toBe(etag);
      expect(reply.text).toBe('');
    };

    it('answers If-None-Match: * on a cart that exists with 304, its current ETag and no body', async () => {
      const cart = await create();
      expect304(await call('GET', `/v1/carts/${cart.id}`, undefined, { 'if-none-match': '*' }), '"1"');
      // Still so after a change, with the new ETag.
      const added = await call('POST', `/v1/carts/${cart.id}/items`, { ...tee, product_id: 'other' });
      expect(added.headers.get('etag')).toBe('"2"');
      expect304(await call('GET', `/v1/carts/${cart.id}`, undefined, { 'if-none-match': ' * ' }), '"2"');
      // The read without the condition is the cart itself.
      const plain = await call('GET', `/v1/carts/${cart.id}`);
      expect(plain.status).toBe(200);
      expect(plain.json).toEqual(added.json);
    });

    it('answers If-None-Match: * on a cart that does not exist (or no longer does) with 404, not 304', async () => {
      const unknown = await call('GET', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA', undefined, { 'if-none-match': '*' });
      expect(unknown.status).toBe(404);
      expect(unknown.json.type).toBe('/problems/not-found');
      expect(unknown.headers.get('etag')).toBeNull();
      const cart = await create();
      expect((await call('DELETE', `/v1/carts/${cart.id}`)).status).toBe(204);
      const gone = await call('GET', `/v1/carts/${cart.id}`, undefined, { 'if-none-match': '*' });
      expect(gone.status).toBe(404);
      expect(gone.json.type).toBe('/problems/not-found');
    });
  });
}
