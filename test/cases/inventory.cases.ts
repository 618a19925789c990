import { describe, expect, it } from 'vitest';
import { documentedSend, freshSku } from './catalog.cases.js';
import type { Fetcher } from './client.js';
import { walkPages } from './walk.js';

/*
 * Stock records (README, Stock), the admin's side, on an app with the admin
 * token `token`: set, adjusted relative to what they are (never below 0,
 * nothing lost in a race), read and listed.
 */

interface Stock {
  product_id: string;
  on_hand: number;
  reserved: number;
  available: number;
  version: number;
  updated_at: string;
}

export function inventoryCases(fetcher: Fetcher, token: string) {
  const admin = { authorization: `Bearer ${token}` };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    documentedSend(fetcher, method, path, body, { ...admin, ...headers });
  const put = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    call('PUT', `/v1/admin/inventory/${id}`, body, headers);
  const adjust = (id: string, body: unknown) => call('POST', `/v1/admin/inventory/${id}/adjustments`, body);
  const read = async (id: string) => (await call('GET', `/v1/admin/inventory/${id}`)).json as Stock;
  const tracked = async (onHand: number) => {
    const id = freshSku('stock');
    expect((await put(id, { on_hand: onHand })).status).toBe(201);
    return id;
  };

  describe('PUT /v1/admin/inventory/{productId}', () => {
    it('creates a record (201, version 1), replaces it (200, version + 1), and reads it back with what is available', async () => {
      const id = freshSku('stock');
      expect((await call('GET', `/v1/admin/inventory/${id}`)).status).toBe(404);
      const created = await put(id, { on_hand: 12 });
      expect([created.status, created.headers.get('etag')]).toEqual([201, '"1"']);
      expect(created.json).toEqual({
        product_id: id,
        on_hand: 12,
        reserved: 0,
        available: 12,
        version: 1,
        updated_at: expect.any(String),
      });
      const replaced = await put(id, { on_hand: 0 });
      expect([replaced.status, replaced.headers.get('etag')]).toEqual([200, '"2"']);
      expect(replaced.json).toMatchObject({ on_hand: 0, available: 0, version: 2 });
      const got = await call('GET', `/v1/admin/inventory/${id}`);
      expect([got.status, got.headers.get('etag'), got.json]).toEqual([200, '"2"', replaced.json]);
    });

    it('honours If-Match: a stale version or a record that does not exist is 412, nothing changed; the current one and * set it', async () => {
      const id = await tracked(5);
      const stale = await put(id, { on_hand: 9 }, { 'if-match': '"2"' });
      expect([stale.status, stale.json.type, stale.headers.get('etag')]).toEqual([
        412,
        '/problems/precondition-failed',
        '"1"',
      ]);
      expect((await read(id)).on_hand).toBe(5);
      const current = await put(id, { on_hand: 9 }, { 'if-match': '"1"' });
      expect([current.status, current.json.on_hand, current.json.version]).toEqual([200, 9, 2]);
      const any = await put(id, { on_hand: 8 }, { 'if-match': '*' });
      expect([any.status, any.json.on_hand]).toEqual([200, 8]);
      const fresh = freshSku('stock');
      for (const tag of ['*', '"1"']) {
        const none = await put(fresh, { on_hand: 1 }, { 'if-match': tag });
        expect([none.status, none.json.type], tag).toEqual([412, '/problems/precondition-failed']);
      }
      expect((await call('GET', `/v1/admin/inventory/${fresh}`)).status).toBe(404);
      const malformed = await put(id, { on_hand: 1 }, { 'if-match': '3' });
      expect([malformed.status, malformed.json.type]).toEqual([400, '/problems/validation-failed']);
    });

    it('takes on_hand from 0 to 1,000,000,000 and refuses just outside, a non-integer and a bad id with 422, nothing changed', async () => {
      const id = await tracked(3);
      for (const onHand of [-1, 1_000_000_001, 1.5, '4', null]) {
        const reply = await put(id, { on_hand: onHand });
        expect([reply.status, reply.json.type], String(onHand)).toEqual([422, '/problems/validation-failed']);
        expect(reply.json.errors[0].path).toBe('on_hand');
      }
      expect((await put(id, { on_hand: 3, extra: 1 })).status).toBe(422);
      expect((await put(id, {})).status).toBe(422);
      expect(await read(id)).toMatchObject({ on_hand: 3, version: 1 });
      for (const onHand of [0, 1_000_000_000])
        expect((await put(id, { on_hand: onHand })).json.on_hand, String(onHand)).toBe(onHand);
      const badId = await put('no spaces', { on_hand: 1 });
      expect([badId.status, badId.json.errors[0].path]).toEqual([422, 'productId']);
    });
  });

  describe('POST /v1/admin/inventory/{productId}/adjustments', () => {
    it('moves the count relative to what it is, down to exactly 0 and no further (409 insufficient-stock, nothing changed)', async () => {
      const id = await tracked(5);
      const taken = await adjust(id, { delta: -2, reason: 'damaged' });
      expect([taken.status, taken.headers.get('etag'), taken.json.on_hand, taken.json.version]).toEqual([
        200,
        '"2"',
        3,
        2,
      ]);
      expect((await adjust(id, { delta: 10 })).json.on_hand).toBe(13);
      const short = await adjust(id, { delta: -14 });
      expect(short.status).toBe(409);
      expect(short.json).toMatchObject({ type: '/problems/insufficient-stock', on_hand: 13 });
      expect(await read(id)).toMatchObject({ on_hand: 13, version: 3 });
      expect((await adjust(id, { delta: -13 })).json).toMatchObject({ on_hand: 0, available: 0 });
    });

    it('refuses a non-integer delta, a bad reason and a count past the limit; 404 for a product without stock', async () => {
      const id = await tracked(5);
      for (const body of [{ delta: 1.5 }, { delta: '1' }, {}, { delta: 1, reason: '' }, { delta: 1, note: 'x' }]) {
        const reply = await adjust(id, body);
        expect([reply.status, reply.json.type], JSON.stringify(body)).toEqual([422, '/problems/validation-failed']);
      }
      const past = await adjust(id, { delta: 999_999_996 });
      expect([past.status, past.json.type]).toEqual([409, '/problems/conflict']);
      expect((await adjust(id, { delta: 999_999_995 })).json.on_hand).toBe(1_000_000_000);
      expect(await read(id)).toMatchObject({ on_hand: 1_000_000_000, version: 2 });
      const missing = await adjust(freshSku('untracked'), { delta: 1 });
      expect([missing.status, missing.json.type]).toEqual([404, '/problems/not-found']);
    });

    it('loses no adjustment in a race and never goes below 0: 30 concurrent takes of 1 from 10 leave 0, exactly 10 taken', async () => {
      const id = await tracked(10);
      const replies = await Promise.all(Array.from({ length: 30 }, () => adjust(id, { delta: -1 })));
      expect(replies.filter((reply) => reply.status === 200)).toHaveLength(10);
      expect(replies.filter((reply) => reply.status === 409)).toHaveLength(20);
      expect(await read(id)).toMatchObject({ on_hand: 0, version: 11 });
      const added = await Promise.all(Array.from({ length: 20 }, () => adjust(id, { delta: 2 })));
      expect(added.every((reply) => reply.status === 200)).toBe(true);
      expect((await read(id)).on_hand).toBe(40);
    });
  });

  describe('on_hand in the product import', () => {
    it('sets the stock of the products that carry it (JSON and NDJSON), in the same step, and leaves the others as they are', async () => {
      const [a, b, c, d] = [freshSku('imp'), await tracked(7), freshSku('imp'), await tracked(9)];
      const json = await call('POST', '/v1/admin/products/import', [
        { id: a, name: 'A', prices: { EUR: 100 }, on_hand: 3 },
        { id: b, name: 'B', prices: { EUR: 100 }, on_hand: 0 },
        { id: d, name: 'D', prices: { EUR: 100 } },
      ]);
      expect([json.status, json.json]).toEqual([200, { created: 3, updated: 0 }]);
      expect(await read(a)).toMatchObject({ on_hand: 3, version: 1 });
      expect(await read(b)).toMatchObject({ on_hand: 0, version: 2 });
      expect(await read(d)).toMatchObject({ on_hand: 9, version: 1 });
      const ndjson = `${JSON.stringify({ id: c, name: 'C', prices: { EUR: 1 }, on_hand: 1_000_000_000 })}\n`;
      const lines = await call('POST', '/v1/admin/products/import', ndjson, { 'content-type': 'application/x-ndjson' });
      expect(lines.status).toBe(200);
      expect((await read(c)).on_hand).toBe(1_000_000_000);
    });

    it('refuses an on_hand below 0, past the limit or not an integer: 422, nothing imported', async () => {
      for (const onHand of [-1, 1_000_000_001, 2.5, '3']) {
        const id = freshSku('imp');
        const reply = await call('POST', '/v1/admin/products/import', [
          { id: freshSku('imp'), name: 'Fine', prices: { EUR: 1 }, on_hand: 1 },
          { id, name: 'Bad', prices: { EUR: 1 }, on_hand: onHand },
        ]);
        expect([reply.status, reply.json.type], String(onHand)).toEqual([422, '/problems/validation-failed']);
        expect(reply.json.errors[0].path).toBe('1.on_hand');
        expect((await call('GET', `/v1/admin/products/${id}`)).status).toBe(404);
        expect((await call('GET', `/v1/admin/inventory/${id}`)).status).toBe(404);
      }
    });
  });

  describe('GET /v1/admin/inventory', () => {
    it('walks every record exactly once in product id order, a page at a time, and refuses a cursor it did not give out', async () => {
      const ids = [await tracked(1), await tracked(2), await tracked(3)];
      const all = await call('GET', '/v1/admin/inventory?limit=200');
      expect(all.status).toBe(200);
      const every = (all.json.inventory as Stock[]).map((s) => s.product_id);
      expect(every).toEqual([...every].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      for (const id of ids) expect(every).toContain(id);
      const walked = await walkPages<Stock>(
        fetcher,
        '/v1/admin/inventory?limit=1',
        'inventory',
        admin,
        every.length + 2,
      );
      expect(walked.map((s) => s.product_id)).toEqual(every);
      const bad = await call('GET', '/v1/admin/inventory?cursor=not-a-cursor');
      expect([bad.status, bad.json.type]).toEqual([422, '/problems/validation-failed']);
    });

    it('answers only the admin', async () => {
      const id = await tracked(1);
      for (const [method, path, body] of [
        ['GET', `/v1/admin/inventory/${id}`, undefined],
        ['GET', '/v1/admin/inventory', undefined],
        ['PUT', `/v1/admin/inventory/${id}`, { on_hand: 99 }],
        ['POST', `/v1/admin/inventory/${id}/adjustments`, { delta: 99 }],
      ] as const) {
        const none = await documentedSend(fetcher, method, path, body);
        expect(none.status, `${method} ${path}`).toBe(401);
        const wrong = await documentedSend(fetcher, method, path, body, {
          authorization: 'Bearer wrong-token-wrong-token',
        });
        expect(wrong.status, `${method} ${path}`).toBe(403);
      }
      expect((await read(id)).on_hand).toBe(1);
    });
  });
}
