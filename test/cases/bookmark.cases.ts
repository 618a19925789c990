import { describe, expect, it } from 'vitest';
import { bookmarkOf, createCartClient } from '../../src/client.js';
import { type Fetcher, send } from './client.js';

const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;
const tee = { product_id: 'sku-tee', name: 'T-shirt', unit_price: 2500 };

/** A bookmark in the form Node's store gives out: the clock in milliseconds in the middle fields. */
const clockAt = (ms: number) =>
  `00000000-${Math.floor(ms / 2 ** 32)
    .toString(16)
    .padStart(8, '0')}-${(ms % 2 ** 32).toString(16).padStart(8, '0')}-${'0'.repeat(32)}`;

/**
 * Read your writes everywhere (API.md §9): X-Bookmark on every /v1 and
 * classic answer. `issuer` says what the runtime's store can check of a
 * bookmark it is sent: `clock` (Node) its form and its time, `d1` (Workers)
 * its form only.
 */
export function bookmarkCases(fetcher: Fetcher, issuer: 'clock' | 'd1') {
  const bookmarkOfReply = (reply: { headers: Headers }) => reply.headers.get('x-bookmark') ?? '';

  describe('X-Bookmark', () => {
    it('is on every /v1 and classic answer, refusals included', async () => {
      const cart = await send(fetcher, 'POST', '/v1/carts', { items: [tee] });
      const answers = [
        cart,
        await send(fetcher, 'GET', `/v1/carts/${cart.json.id}`),
        await send(fetcher, 'GET', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA'),
        await send(fetcher, 'GET', '/v1/carts/not-an-id'),
        await send(fetcher, 'POST', `/v1/carts/${cart.json.id}/items`, { ...tee, quantity: 0 }),
        await send(fetcher, 'POST', `/v1/carts/${cart.json.id}/items`, '{not json'),
        await send(fetcher, 'PUT', `/v1/carts/${cart.json.id}`),
        await send(fetcher, 'GET', '/v1/admin/carts'),
        await send(fetcher, 'GET', '/api/cart-items/'),
        await send(fetcher, 'GET', '/api/cart-items/0'),
        await send(fetcher, 'POST', '/api/cart-items/', { product_name: '' }),
        await send(fetcher, 'GET', '/v1/no-such-route'),
        await send(fetcher, 'POST', `/v1/carts/${cart.json.id}/items`, 'x'.repeat(70_000)),
        await send(fetcher, 'POST', `/v1/carts/${cart.json.id}/items`, 'a=1', { 'content-type': 'text/plain' }),
      ];
      expect(answers.map((a) => a.status)).toEqual([
        201, 200, 404, 404, 422, 400, 405, 403, 200, 404, 400, 404, 413, 415,
      ]);
      for (const answer of answers) expect(bookmarkOfReply(answer)).toMatch(BOOKMARK);
    });

    it('never goes backwards across a sequence of writes', async () => {
      const cart = await send(fetcher, 'POST', '/v1/carts', {});
      const seen = [bookmarkOfReply(cart)];
      for (let i = 0; i < 6; i++) {
        const added = await send(
          fetcher,
          'POST',
          `/v1/carts/${cart.json.id}/items`,
          { ...tee, product_id: `p-${i}` },
          {
            'x-bookmark': seen.at(-1) ?? '',
          },
        );
        expect(added.status).toBe(201);
        seen.push(bookmarkOfReply(added));
      }
      expect(seen.every((b) => BOOKMARK.test(b))).toBe(true);
      expect([...seen].sort()).toEqual(seen);
    });

    it('lets a read that sends a write’s bookmark see that write', async () => {
      const cart = await send(fetcher, 'POST', '/v1/carts', {});
      const added = await send(fetcher, 'POST', `/v1/carts/${cart.json.id}/items`, tee);
      const read = await send(fetcher, 'GET', `/v1/carts/${cart.json.id}`, undefined, {
        'x-bookmark': bookmarkOfReply(added),
      });
      expect(read.status).toBe(200);
      expect(read.json.version).toBe(2);
      expect(read.json.items.map((item: { product_id: string }) => item.product_id)).toEqual(['sku-tee']);
      expect(bookmarkOfReply(read) >= bookmarkOfReply(added)).toBe(true);
    });

    /** A bookmark of D1's form with fields of `a`, `b`, `c` and `d` hexadecimal digits (8-8-8-32 is the form). */
    const shaped = (a: number, b: number, c: number, d: number, digit = '0') =>
      [a, b, c, d].map((n) => digit.repeat(n)).join('-');

    it.each([
      'garbage',
      '',
      '00000000-00000003-00000000',
      `${'0'.repeat(8)}-${'0'.repeat(8)}-${'0'.repeat(8)}-${'G'.repeat(32)}`,
      // The right shape, a last field of the wrong length: 1, 31 and 33 digits.
      '00000000-00000000-00000000-0',
      shaped(8, 8, 8, 31),
      shaped(8, 8, 8, 33),
      // Each other field one digit short and one over.
      shaped(7, 8, 8, 32),
      shaped(9, 8, 8, 32),
      shaped(8, 7, 8, 32),
      shaped(8, 9, 8, 32),
      shaped(8, 8, 7, 32),
      shaped(8, 8, 9, 32),
      // Upper-case hexadecimal (D1 gives out lower case), and a valid bookmark with something before or after it.
      shaped(8, 8, 8, 32, 'F'),
      `x${shaped(8, 8, 8, 32)}`,
      `${shaped(8, 8, 8, 32)}-0`,
    ])('refuses %j, a bookmark the service could not have issued, with 400 on both surfaces', async (value) => {
      const bad = { 'x-bookmark': value };
      const v1 = await send(fetcher, 'GET', '/v1/carts/crt_AAAAAAAAAAAAAAAAAAAAAA', undefined, bad);
      expect(v1.status).toBe(400);
      expect(v1.json).toMatchObject({ type: '/problems/validation-failed', errors: [{ path: 'X-Bookmark' }] });
      expect(bookmarkOfReply(v1)).toMatch(BOOKMARK);
      // A write is refused the same way, before it changes anything.
      const cart = await send(fetcher, 'POST', '/v1/carts', { items: [tee] });
      const write = await send(fetcher, 'POST', `/v1/carts/${cart.json.id}/items`, tee, bad);
      expect(write.status).toBe(400);
      expect(write.json).toMatchObject({ type: '/problems/validation-failed', errors: [{ path: 'X-Bookmark' }] });
      expect((await send(fetcher, 'GET', `/v1/carts/${cart.json.id}`)).json).toEqual(cart.json);
      const classic = await send(fetcher, 'GET', '/api/cart-items/', undefined, bad);
      expect(classic.status).toBe(400);
      expect(classic.json).toEqual({
        status: 'error',
        data: { 'X-Bookmark': ['Send back the X-Bookmark of an earlier answer, as it was.'] },
      });
      expect(bookmarkOfReply(classic)).toMatch(BOOKMARK);
      const items = (await send(fetcher, 'GET', '/api/cart-items/')).json.data;
      const post = { product_name: 'Bookmarked', product_price: '1.00' };
      const classicWrite = await send(fetcher, 'POST', '/api/cart-items/', post, bad);
      expect(classicWrite.status).toBe(400);
      expect(Object.keys(classicWrite.json.data)).toEqual(['X-Bookmark']);
      expect((await send(fetcher, 'GET', '/api/cart-items/')).json.data).toEqual(items);
    });

    it('takes a bookmark whose fields are exactly 8, 8, 8 and 32 digits, on /v1 and on the classic surface', async () => {
      const cart = await send(fetcher, 'POST', '/v1/carts', {});
      const taken =
        issuer === 'd1'
          ? [
              shaped(8, 8, 8, 32),
              shaped(8, 8, 8, 32, '9'),
              '0123abcd-4567ef01-89abcdef-0123456789abcdef0123456789abcdef',
            ]
          : [shaped(8, 8, 8, 32), clockAt(Date.now() - 1_000), clockAt(2 ** 32 + 7)];
      for (const value of taken) {
        const sent = { 'x-bookmark': value };
        const read = await send(fetcher, 'GET', `/v1/carts/${cart.json.id}`, undefined, sent);
        expect(read.status, value).toBe(200);
        expect(read.json.id).toBe(cart.json.id);
        const classic = await send(fetcher, 'GET', '/api/cart-items/', undefined, sent);
        expect(classic.status, value).toBe(200);
        expect(classic.json.status).toBe('success');
      }
    });

    it('answers a well-formed bookmark from no session of this database like any other: 200, 201 then 200, never 400 or 5xx', async () => {
      const cart = await send(fetcher, 'POST', '/v1/carts', {});
      let version = 1;
      const forgeries =
        issuer === 'd1' ? [shaped(8, 8, 8, 32, 'f'), shaped(8, 8, 8, 32, '0')] : [shaped(8, 8, 8, 32, '0')];
      for (const forged of forgeries) {
        const sent = { 'x-bookmark': forged };
        const read = await send(fetcher, 'GET', `/v1/carts/${cart.json.id}`, undefined, sent);
        expect(read.status).toBe(200);
        expect(read.headers.get('etag')).toBe(`"${version}"`);
        expect(read.json).toMatchObject({ id: cart.json.id, version });
        expect(bookmarkOfReply(read)).toMatch(BOOKMARK);
        // The first add makes the line (201), the second merges into it (200).
        const write = await send(fetcher, 'POST', `/v1/carts/${cart.json.id}/items`, tee, sent);
        expect(write.status).toBe(version === 1 ? 201 : 200);
        version += 1;
        expect(write.json).toMatchObject({ version, items: [{ product_id: 'sku-tee', quantity: version - 1 }] });
        expect(bookmarkOfReply(write)).toMatch(BOOKMARK);
        const classic = await send(fetcher, 'GET', '/api/cart-items/', undefined, sent);
        expect(classic.status).toBe(200);
        expect(classic.json.status).toBe('success');
      }
    });

    if (issuer === 'clock')
      it('refuses a bookmark of a time the service has not reached, or not of its form, and takes one a minute ahead', async () => {
        const cart = await send(fetcher, 'POST', '/v1/carts', {});
        const read = (value: string) =>
          send(fetcher, 'GET', `/v1/carts/${cart.json.id}`, undefined, { 'x-bookmark': value });
        for (const value of [
          shaped(8, 8, 8, 32, 'f'),
          clockAt(Date.now() + 3_600_000),
          clockAt(Date.now() + 120_000),
          '0123abcd-4567ef01-89abcdef-0123456789abcdef0123456789abcdef',
          `00000001-${clockAt(Date.now()).slice(9)}`,
          `${clockAt(Date.now()).slice(0, -1)}1`,
        ]) {
          const refused = await read(value);
          expect(refused.status, value).toBe(400);
          expect(refused.json).toMatchObject({ type: '/problems/validation-failed', errors: [{ path: 'X-Bookmark' }] });
          const classic = await send(fetcher, 'GET', '/api/cart-items/', undefined, { 'x-bookmark': value });
          expect(classic.status, value).toBe(400);
        }
        expect((await read(clockAt(Date.now() + 30_000))).status).toBe(200);
        // What it answers is never behind what it was sent.
        const ahead = await read(clockAt(Date.now() + 30_000));
        expect(bookmarkOfReply(ahead) >= clockAt(Date.now() + 29_000)).toBe(true);
      });

    it('is threaded by the typed client without the caller’s help', async () => {
      const sent: Array<string | null> = [];
      const recording: typeof fetch = async (input, init) => {
        const request = new Request(input, init);
        sent.push(request.headers.get('x-bookmark'));
        const url = new URL(request.url);
        return fetcher(`${url.pathname}${url.search}`, {
          method: request.method,
          headers: request.headers,
          ...(request.method === 'GET' ? {} : { body: await request.text() }),
        });
      };
      const api = createCartClient('http://edgecart.test', { fetch: recording });
      expect(bookmarkOf(api)).toBeUndefined();
      const created = await api.v1.carts.$post({ header: {}, json: { currency: 'EUR' } });
      expect(created.status).toBe(201);
      const id = created.status === 201 ? (await created.json()).id : '';
      const afterCreate = bookmarkOf(api);
      expect(afterCreate).toMatch(BOOKMARK);
      await api.v1.carts[':cartId'].items.$post({ param: { cartId: id }, header: {}, json: tee });
      const afterAdd = bookmarkOf(api) ?? '';
      expect(afterAdd >= (afterCreate ?? '')).toBe(true);
      const read = await api.v1.carts[':cartId'].$get({ param: { cartId: id }, header: {} });
      expect(read.status).toBe(200);
      expect(sent).toEqual([null, afterCreate, afterAdd]);

      // A stored bookmark starts another client (another page, another region) where the first left off.
      const resumed = createCartClient('http://edgecart.test', { fetch: recording, bookmark: bookmarkOf(api) });
      await resumed.v1.carts[':cartId'].$get({ param: { cartId: id }, header: {} });
      expect(sent.at(-1)).toBe(bookmarkOf(api));
      expect((bookmarkOf(resumed) ?? '') >= (bookmarkOf(api) ?? '')).toBe(true);
    });

    it('answers a request that sends a bookmark with one no older, even when it reads nothing', async () => {
      const cart = await send(fetcher, 'POST', '/v1/carts', {});
      const sent = bookmarkOfReply(cart);
      for (const path of ['/v1/no-such-route', '/v1/admin/carts', `/v1/carts/${cart.json.id}`]) {
        const reply = await send(fetcher, 'GET', path, undefined, { 'x-bookmark': sent });
        expect(bookmarkOfReply(reply)).toMatch(BOOKMARK);
        expect(bookmarkOfReply(reply) >= sent).toBe(true);
      }
    });
  });
}
